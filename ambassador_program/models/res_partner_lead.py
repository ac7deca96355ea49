# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """The leads an ambassador passed on (issue 15), for the contact form's
    "Leads" button."""

    _inherit = "res.partner"

    ambassador_lead_count = fields.Integer(
        string="Leads Passed On", compute="_compute_ambassador_lead_count",
        groups="ambassador_program.group_ambassador_user")

    def _compute_ambassador_lead_count(self):
        # SQL, one query for the form or a list: the count is the
        # programme's figure (the leads' own rules govern the list it opens).
        counts = {}
        if self.ids:
            self.env.cr.execute(
                "SELECT ambassador_partner_id, count(*) FROM crm_lead "
                "WHERE ambassador_partner_id IN %s GROUP BY ambassador_partner_id",
                (tuple(self.ids),))
            counts = dict(self.env.cr.fetchall())
        for partner in self:
            partner.ambassador_lead_count = counts.get(partner.id, 0)

    @api.multi
    def action_ambassador_view_leads(self):
        self.ensure_one()
        action = self.env.ref(
            "ambassador_program.action_crm_lead_ambassador").read()[0]
        action["domain"] = [("ambassador_partner_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action
