# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorMission(models.Model):
    """A mission's share kits and its one utm.campaign (issue 14): every
    personal link of its kits carries it (``utm_campaign``)."""

    _inherit = "ambassador.mission"

    share_kit_ids = fields.One2many(
        "ambassador.share.kit", "mission_id", string="Share Kits")
    share_utm_campaign_id = fields.Many2one(
        "utm.campaign", string="Share Campaign", readonly=True, copy=False,
        ondelete="set null",
        help="The campaign of the personal links of the mission's share kits.")

    @api.multi
    def _ambassador_share_campaign(self):
        """Give each mission of ``self`` its campaign when it has none yet."""
        # sudo: the campaign is the kits' bookkeeping, made for the staff
        # member who published a kit or the ambassador who opened it first.
        for mission in self.sudo().filtered(lambda m: not m.share_utm_campaign_id):
            campaign = self.env["utm.campaign"].sudo().create(
                {"name": mission.with_context(lang="en_US").name})
            mission.share_utm_campaign_id = campaign
        return True
