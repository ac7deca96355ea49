# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    """A won lead's outcomes (issue 15): the smart button's count. Programme
    staff only (the outcomes are theirs to read)."""

    _inherit = "crm.lead"

    ambassador_outcome_ids = fields.One2many(
        "ambassador.outcome", "lead_id", string="Outcomes",
        groups="ambassador_program.group_ambassador_user")
    ambassador_outcome_count = fields.Integer(
        string="Outcomes", compute="_compute_ambassador_outcome_count",
        groups="ambassador_program.group_ambassador_user")

    @api.multi
    def _compute_ambassador_outcome_count(self):
        groups = self.env["ambassador.outcome"].read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["lead_id"])
        counts = {group["lead_id"][0]: group["lead_id_count"] for group in groups}
        for lead in self:
            lead.ambassador_outcome_count = counts.get(lead.id, 0)
