# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The page an imported ambassador reaches from its re-confirmation e-mail:
accept the current charter, confirm or withdraw each consent."""
from werkzeug.urls import url_encode

from odoo import _, http
from odoo.http import request

from ..models.res_partner import CONSENT_PURPOSES
from .main import client_ip, client_user_agent, consent_labels, message_page


class AmbassadorReconfirm(http.Controller):

    @http.route(
        "/ambassadors/reconfirm",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def ambassadors_reconfirm(self, token=None, **post):
        reconfirmation = request.env["ambassador.reconfirmation"]._find_by_token(token)
        if not reconfirmation:
            return message_page(
                _("Invalid link"),
                _("This link is not valid. Copy the whole link from the e-mail."),
                404,
                [("/ambassadors", _("The ambassador programme"))],
            )
        if not reconfirmation._is_usable():
            return message_page(
                _("Link already used or expired"),
                _("This link was already used or has expired. Log in to your "
                  "ambassador space to see or change your choices."),
                410,
                [("/web/login?redirect=/my/ambassador", _("Log in"))],
            )
        # sudo: the holder of the token reads the name and choices of the
        # contact the token was sent to.
        partner = reconfirmation.partner_id.sudo()
        charter = request.env["ambassador.charter"].sudo().get_current()
        if request.httprequest.method == "POST":
            chosen = {name: bool(post.get(name)) for name in CONSENT_PURPOSES}
            if charter and not post.get("accept_charter"):
                return self._page(token, partner, charter, chosen, accepted=False,
                                  error=_("Tick the box to accept the charter: "
                                          "ambassadors share it."))
            _user, new_account = reconfirmation._confirm(
                chosen, client_ip(), client_user_agent())
            signup_url = False
            if new_account:
                signup_url = "/web/reset_password?%s" % url_encode({
                    "db": request.env.cr.dbname,
                    "token": partner.signup_token,
                    "redirect": "/my/ambassador",
                })
            return request.render(
                "ambassador_program.ambassador_reconfirmed_page",
                {"name": partner.name, "signup_url": signup_url},
            )
        current = {name: bool(partner[name]) for name in CONSENT_PURPOSES}
        return self._page(token, partner, charter, current, accepted=False)

    @staticmethod
    def _page(token, partner, charter, chosen, accepted, error=None):
        return request.render(
            "ambassador_program.ambassador_reconfirm_page",
            {
                "token": token,
                "name": partner.name,
                "charter": charter,
                "accepted": accepted,
                "error": error,
                "consents": [(name, label, chosen[name])
                             for name, label in consent_labels()],
            },
            status=400 if error else 200,
        )
