# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """How often a dormant ambassador may be suggested missions
    (ambassador.reengagement), saved as a system parameter by
    res_config_settings.set_values."""

    _inherit = "res.config.settings"

    ambassador_reengagement_interval_days = fields.Integer(
        string="Mission Suggestions at Most Every (days)",
        default=60,
        config_parameter="ambassador_program.reengagement_interval_days",
        help="A dormant ambassador is suggested missions at most once in this "
        "many days (the suggestions also wait under the contact cap).",
    )

    @api.constrains("ambassador_reengagement_interval_days")
    def _check_ambassador_reengagement_interval(self):
        for settings in self:
            if not 1 <= settings.ambassador_reengagement_interval_days <= 3650:
                raise ValidationError(
                    _("Mission suggestions: between 1 and 3650 days, please."))
