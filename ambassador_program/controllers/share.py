# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador's share kits in its space (issue 14): the kits of the
missions open to it, and one kit's page with the texts, the picture and its
own tracked short link (models/ambassador_share_kit.py and
ambassador_share_link.py decide what is shown and counted)."""
from odoo import _, http
from odoo.http import request

from ..models.form_input import parse_id

from .main import message_page
from .portal import AmbassadorPortal


class AmbassadorShare(AmbassadorPortal):

    def _share_ambassador(self):
        """The active ambassador, or the page to answer instead."""
        partner = self._ambassador()
        if not partner.ambassador_state:
            return partner, self._not_ambassador_page()
        if partner.ambassador_state != "active":
            return partner, self._inactive_page(partner)
        return partner, None

    @http.route("/my/ambassador/share", type="http", auth="user", website=True)
    def my_ambassador_shares(self, **kw):
        partner, refusal = self._share_ambassador()
        if refusal:
            return refusal
        kits = request.env["ambassador.share.kit"]._ambassador_kits_for(partner)
        return self._render("ambassador_program.portal_my_ambassador_shares", {
            "page_name": "ambassador_share", "partner": partner, "kits": kits})

    @http.route("/my/ambassador/share/<int:kit_id>", type="http", auth="user",
                website=True)
    def my_ambassador_share(self, kit_id, **kw):
        partner, refusal = self._share_ambassador()
        if refusal:
            return refusal
        kit_id = parse_id(kit_id)
        kit = kit_id and request.env["ambassador.share.kit"]._ambassador_kits_for(
            partner, [kit_id])
        if not kit:
            return message_page(
                _("Nothing to share here"),
                _("This share kit does not exist or its mission is not open "
                  "to you."),
                404, [("/my/ambassador/share", _("Share"))])
        # The kit is open to this active ambassador (checked above).
        link = request.env["ambassador.share.link"]._ambassador_link(kit, partner)
        short_url = link.short_url
        # The picture, when the ambassador may read it (its tier's documents).
        document = request.env["ambassador.document"].search(
            [("id", "=", kit.document_id.id)], limit=1) if kit.document_id else None
        return self._render("ambassador_program.portal_my_ambassador_share", {
            "page_name": "ambassador_share", "partner": partner, "kit": kit,
            "short_url": short_url, "document": document,
            "targets": kit._ambassador_share_targets(short_url),
            "clicks": link._ambassador_click_count(),
            "points": link._ambassador_points_earned(),
        })
