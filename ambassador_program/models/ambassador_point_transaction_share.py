# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorPointTransaction(models.Model):
    """Ledger lines of tracked shares (origin "share", issue 14): the link
    whose measured clicks earned them and the click total they count up to."""

    _inherit = "ambassador.point.transaction"

    share_link_id = fields.Many2one(
        "ambassador.share.link", string="Share Link", index=True,
        ondelete="restrict", readonly=True)
    share_clicks = fields.Integer(
        string="Clicks Counted up to", readonly=True,
        help="The link's measured clicks this line counts up to.")

    @api.model_cr
    def init(self):
        super(AmbassadorPointTransaction, self).init()
        # The same clicks of a link are awarded once, whoever runs the award.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_share_once
            ON ambassador_point_transaction (share_link_id, share_clicks)
            WHERE origin = 'share'
            """)
