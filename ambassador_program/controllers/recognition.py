# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recognition (issue 14): the leaderboards page of the space, joining or
leaving them, and the milestone badges on the space, the directory (through
ambassador.directory.view._directory_cards) and the wall."""
from odoo import http
from odoo.http import request

from ..models.ambassador_leaderboard import PERIODS
from ..models.form_input import parse_id

from .main import AmbassadorWebsite, client_ip
from .portal import AmbassadorPortal

CONSENT_FIELD = "ambassador_consent_leaderboard"


class AmbassadorRecognition(AmbassadorPortal):

    @http.route()
    def my_ambassador(self, **kw):
        response = super(AmbassadorRecognition, self).my_ambassador(**kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None and qcontext.get("partner"):
            partner = qcontext["partner"]
            qcontext.update(self._recognition_values(partner))
        return response

    def _recognition_values(self, partner):
        """The space's recognition panel: its own badges (always), and its
        rank this month in its segment when it joined the leaderboards."""
        # sudo: the user's own contact.
        joined = partner.sudo()[CONSENT_FIELD]
        badges = request.env["gamification.badge"]._ambassador_badges_of(
            [partner.id], opted_in_only=False).get(partner.id, [])
        rank = None
        if joined and partner.ambassador_state == "active":
            rank = request.env["ambassador.leaderboard"]._ambassador_board(
                partner.ambassador_segment_id.id, "month", limit=0)
        return {"my_badges": badges, "leaderboard_joined": joined,
                "month_rank": rank}

    @http.route("/my/ambassador/leaderboard", type="http", auth="user",
                website=True)
    def my_ambassador_leaderboard(self, segment_id=None, period=None, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        if partner.ambassador_state != "active":
            return self._inactive_page(partner)
        env = request.env
        Board = env["ambassador.leaderboard"]
        segments = env["ambassador.segment"].search([])
        wanted = parse_id(segment_id)
        segment = segments.filtered(lambda s: s.id == wanted)[:1] or \
            partner.ambassador_segment_id
        period = period if period in dict(PERIODS) else "month"
        values = self._recognition_values(partner)
        values.update({
            "page_name": "ambassador_leaderboard",
            "partner": partner,
            "segments": segments,
            "segment": segment,
            "periods": Board._periods(),
            "period": period,
            "period_label": dict(Board._periods())[period],
            "board": None,
            "message": kw.get("message"),
            "consent_text": env["res.partner"]._ambassador_consent_texts().get(
                CONSENT_FIELD, ""),
        })
        if values["leaderboard_joined"]:
            # As the user: the model checks that it may see boards.
            values["board"] = Board._ambassador_board(segment.id, period)
        return self._render("ambassador_program.portal_my_ambassador_leaderboard",
                            values)

    @http.route("/my/ambassador/leaderboard/join", type="http", auth="user",
                website=True, methods=["POST"])
    def my_ambassador_leaderboard_join(self, join=None, **kw):
        """Join (a ticked box) or leave the leaderboards: a consent, logged."""
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        if partner.ambassador_state != "active":
            return self._inactive_page(partner)
        wanted = join == "1"
        # As the user (env.user's records are the superuser's): the model
        # checks that this is the user's own contact and logs the change.
        own = request.env["res.partner"].browse(partner.id)
        own._ambassador_set_consents({CONSENT_FIELD: wanted}, "portal", client_ip())
        return request.redirect("/my/ambassador/leaderboard?message=%s" % (
            "joined" if wanted else "left"))


class AmbassadorWallBadges(AmbassadorWebsite):

    @http.route()
    def ambassadors_wall(self, page=1, **kw):
        response = super(AmbassadorWallBadges, self).ambassadors_wall(
            page=page, **kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None:
            people = qcontext.get("people") or []
            qcontext["badges"] = request.env[
                "gamification.badge"]._ambassador_badges_of(
                    [person["id"] for person in people])
        return response
