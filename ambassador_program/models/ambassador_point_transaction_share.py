# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import is_engine


class AmbassadorPointTransaction(models.Model):
    """Ledger lines of tracked shares (origin "share", issue 14): the link
    whose measured clicks earned them and the click total they count up to,
    written set-based by the engine only."""

    _inherit = "ambassador.point.transaction"

    share_link_id = fields.Many2one(
        "ambassador.share.link", string="Share Link", index=True,
        ondelete="restrict", readonly=True)
    share_clicks = fields.Integer(
        string="Clicks Counted up to", readonly=True,
        help="The link's measured clicks this line counts up to.")

    @api.model_cr
    def init(self):
        result = super(AmbassadorPointTransaction, self).init()
        # The same clicks of a link are awarded once, whoever runs the award.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ambassador_point_transaction_share_once
            ON ambassador_point_transaction (share_link_id, share_clicks)
            WHERE origin = 'share'
            """)
        return result

    @api.model
    def _award(self, vals_list, evaluate=True):
        """Lines of tracked shares (origin "share") are the engine's only; a
        run of the share award may give a line to each of 100,000
        ambassadors, which ``_award`` writes set-based like any line."""
        if any(vals.get("origin") == "share" for vals in vals_list):
            self.check_access_rights("create")
            if not is_engine(self.env):
                raise AccessError(
                    _("Points of tracked shares are awarded by the programme only, "
                      "from measured clicks."))
        return super(AmbassadorPointTransaction, self)._award(
            vals_list, evaluate=evaluate)

    @api.model
    def _check_award_line(self, vals, state, segment):
        """A share line goes to an active ambassador with a segment, for
        points earned (the award computed them from measured clicks)."""
        if vals.get("origin") == "share" and (
                state != "active" or not segment
                or int(vals.get("points") or 0) <= 0):
            raise UserError(
                _("Points of tracked shares go to active ambassadors with "
                  "a segment (contact %s).") % vals.get("partner_id"))
        return super(AmbassadorPointTransaction, self)._check_award_line(
            vals, state, segment)
