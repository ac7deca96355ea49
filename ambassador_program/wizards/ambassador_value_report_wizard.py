# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AmbassadorValueReportWizard(models.TransientModel):
    """Choose the year of the steering committee's PDF."""

    _name = "ambassador.value.report.wizard"
    _description = "Print the Yearly Value Report"

    year = fields.Char(
        required=True, size=4,
        default=lambda self: fields.Date.context_today(self)[:4],
        help="The calendar year, four digits.")

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not re.match(r"^(19|20|21)[0-9]{2}$", wizard.year or ""):
                raise ValidationError(
                    _("The year is written with four digits, e.g. 2026."))

    @api.multi
    def action_print(self):
        self.ensure_one()
        # The user's own wizard (Odoo's rule on transient records), and the
        # PDF shows the value report's figures: its readers only.
        self.check_access_rule("read")
        self.env["ambassador.value.report"].check_access_rights("read")
        return self.env.ref(
            "ambassador_program.action_report_value_year").report_action(self)
