# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AmbassadorValueCost(models.Model):
    """What the programme cost in a year, entered by the agency (issue 15):
    the budget spent (events, goodies, communication: everything but staff)
    and the staff (full-time equivalents and their cost), for the whole
    programme (no segment) or for one segment. The value report adds budget
    and staff cost into the year's cost and divides it by ambassadors, leads
    and jobs."""

    _name = "ambassador.value.cost"
    _description = "Ambassador Programme Yearly Cost"
    _order = "year desc, segment_id"
    _rec_name = "year"

    year = fields.Char(
        required=True, size=4, index=True,
        default=lambda self: fields.Date.context_today(self)[:4],
        help="The calendar year, four digits.")
    segment_id = fields.Many2one(
        "ambassador.segment", index=True, ondelete="restrict",
        help="Empty: the cost of the whole programme (shared by every segment).")
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    budget = fields.Monetary(
        string="Budget Spent", currency_field="currency_id",
        help="Events, goodies, communication, tools: everything but staff.")
    staff_fte = fields.Float(
        string="Staff (FTE)", digits=(6, 2),
        help="Full-time equivalents of the agency's staff on the programme.")
    staff_cost = fields.Monetary(currency_field="currency_id")
    total_cost = fields.Monetary(
        compute="_compute_total_cost", currency_field="currency_id",
        help="Budget spent plus staff cost.")
    notes = fields.Text()

    _sql_constraints = [
        ("year_segment_unique", "unique(year, segment_id)",
         "The cost of a year is entered once per segment."),
    ]

    @api.model_cr
    def init(self):
        # unique(year, segment_id) lets two programme-wide rows through
        # (NULL differs from NULL): one more index for those.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_value_cost_programme_once
            ON ambassador_value_cost (year) WHERE segment_id IS NULL
            """)

    @api.depends("budget", "staff_cost")
    def _compute_total_cost(self):
        for cost in self:
            cost.total_cost = cost.budget + cost.staff_cost

    @api.constrains("year", "budget", "staff_fte", "staff_cost")
    def _check_figures(self):
        for cost in self:
            if not re.match(r"^(19|20|21)[0-9]{2}$", cost.year or ""):
                raise ValidationError(
                    _("The year is written with four digits, e.g. 2026."))
            if min(cost.budget, cost.staff_fte, cost.staff_cost) < 0:
                raise ValidationError(_("Costs and staff cannot be negative."))

    @api.multi
    def action_print_value_report(self):
        """The steering committee's PDF for this cost's year."""
        self.ensure_one()
        wizard = self.env["ambassador.value.report.wizard"].create(
            {"year": self.year})
        return wizard.action_print()
