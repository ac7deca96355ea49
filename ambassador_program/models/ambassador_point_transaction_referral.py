# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorPointTransaction(models.Model):
    """The ledger's side of referrals: the award names its referral, which
    the database lets earn one line only."""

    _inherit = "ambassador.point.transaction"

    referral_id = fields.Many2one(
        "ambassador.referral", string="Referral", index=True,
        ondelete="restrict", readonly=True)

    @api.model_cr
    def init(self):
        result = super(AmbassadorPointTransaction, self).init()
        # One referee, one award to its referrer, even when two activations
        # of the same contact run at the same moment.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS
                ambassador_point_transaction_referral_once
            ON ambassador_point_transaction (referral_id)
            WHERE origin = 'referral'
            """)
        return result
