# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorPointTransaction(models.Model):
    """Ledger lines earned by leads (origin "lead", issue 15): the lead and
    the milestone's round (a lead won, reopened, won again: round 0, then 1).
    Reversals of such lines carry the lead too, so that the lead's points are
    one sum."""

    _inherit = "ambassador.point.transaction"

    lead_id = fields.Many2one(
        "crm.lead", string="Lead", index=True, ondelete="restrict",
        readonly=True)
    lead_round = fields.Integer(
        string="Milestone Round", readonly=True,
        help="How many times the lead had reached this milestone before.")
    lead_auto_reversal = fields.Boolean(
        string="Reversed as the Lead Left the Milestone", readonly=True)

    @api.model_cr
    def init(self):
        result = super(AmbassadorPointTransaction, self).init()
        # One lead, one award per milestone and round: the database refuses a
        # second line even when two users move the same lead at once.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_lead_once
            ON ambassador_point_transaction (lead_id, rule_id, lead_round)
            WHERE origin = 'lead'
            """)
        return result

    @api.model
    def _award(self, vals_list, evaluate=True):
        """A reversal of a lead's line (the staff wizard's included) keeps
        the lead, so that the lead's points stay one sum."""
        reversed_ids = [vals["reversed_transaction_id"] for vals in vals_list
                        if vals.get("origin") == "reversal"
                        and vals.get("reversed_transaction_id")
                        and not vals.get("lead_id")]
        if reversed_ids:
            self.env.cr.execute(
                "SELECT id, lead_id FROM ambassador_point_transaction "
                "WHERE id IN %s AND lead_id IS NOT NULL", (tuple(reversed_ids),))
            leads = dict(self.env.cr.fetchall())
            if leads:
                vals_list = [
                    dict(vals, lead_id=leads[vals["reversed_transaction_id"]])
                    if vals.get("reversed_transaction_id") in leads
                    and vals.get("origin") == "reversal" else vals
                    for vals in vals_list]
        return super(AmbassadorPointTransaction, self)._award(
            vals_list, evaluate=evaluate)
