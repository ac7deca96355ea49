# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """The outcomes attributed to an ambassador (issue 15): the smart
    button's count on its form, for programme staff."""

    _inherit = "res.partner"

    ambassador_outcome_count = fields.Integer(
        string="Outcomes", compute="_compute_ambassador_outcome_count",
        groups="ambassador_program.group_ambassador_user")

    @api.multi
    def _compute_ambassador_outcome_count(self):
        groups = self.env["ambassador.outcome.attribution"].read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"])
        counts = {group["partner_id"][0]: group["partner_id_count"]
                  for group in groups}
        for partner in self:
            partner.ambassador_outcome_count = counts.get(partner.id, 0)
