# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The referral link's landing page: who invites the visitor (its name
only), and the segments to join, the link's code carried along."""
from odoo import http
from odoo.http import request

from ..models.membership import member_partner

# The session keeps a referral code met on the way, so that a visitor who
# wanders (the programme page, another segment) still signs up through it.
SESSION_KEY = "ambassador_referral_code"


def referral_code(params):
    """The code of the referral link in ``params`` or, failing that, the one
    the session kept; a code of an unknown link is dropped, never an error."""
    Referral = request.env["ambassador.referral"]
    for code in (params.get("ref"), request.session.get(SESSION_KEY)):
        if isinstance(code, str) and Referral._referrer_from_code(code):
            return code
    return None


class AmbassadorReferral(http.Controller):

    @http.route("/ambassadors/join", type="http", auth="public", website=True,
                sitemap=False)
    def ambassadors_join_referral(self, ref=None, **kw):
        if member_partner(request.env.user):
            # An ambassador already: its space (its own link is there).
            return request.redirect("/my/ambassador?message=already_ambassador")
        code = referral_code({"ref": ref})
        referrer = request.env["ambassador.referral"]._referrer_from_code(code)
        if code and code == ref:
            request.session[SESSION_KEY] = code
        return request.render(
            "ambassador_program.ambassador_referral_landing_page",
            {
                "segments": request.env["ambassador.segment"].search([]),
                # The referrer's public name, nothing else.
                "referrer_name": referrer.name if referrer else False,
                "ref": code,
            },
        )
