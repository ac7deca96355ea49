# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public pages of the programme: presentation, sign-up per segment with double
opt-in, confirmation and the public wall. The sign-up is the only public route
that writes (SPEC 2.6); CSRF is checked by Odoo on every POST."""
import logging

from werkzeug.urls import url_encode

from odoo import _, http
from odoo.http import request

from ..models.ambassador_signup_request import CHAR_MAX, NAME_MAX, TEXT_MAX, \
    SignupRateLimited
from ..models.email_address import EMAIL_MAX
from ..models.form_input import FormErrors
from ..models.res_partner import CONSENT_PURPOSES

_logger = logging.getLogger(__name__)

# Invisible field: people leave it empty, form-filling robots do not.
HONEYPOT_FIELD = "contact_homepage"


def message_page(title, message, status, links=None):
    """A page that says what happened, with the right HTTP status."""
    return request.render(
        "ambassador_program.ambassador_message_page",
        {"title": title, "message": message, "links": links or []},
        status=status,
    )


def client_ip():
    """The client's address as Odoo took it: the peer of the connection, or
    with --proxy-mode the last X-Forwarded-For entry (SECURITY.md,
    "Deployment"). Quotas count by its network (client_address)."""
    return (request.httprequest.remote_addr or "")[:64]


def client_user_agent():
    return (request.httprequest.user_agent.string or "")[:256]


def form_strings(post):
    """The text values of a posted form (a file sent in a text field is not
    an answer)."""
    return {key: value for key, value in post.items() if isinstance(value, str)}


def consent_labels():
    """(field, label) of the consents, all off by default, offered at sign-up,
    on the confirmation page and in the ambassador space."""
    fields_ = request.env["res.partner"]._fields
    return [(name, fields_[name].get_description(request.env)["string"])
            for name in CONSENT_PURPOSES]


class AmbassadorWebsite(http.Controller):

    # ------------------------------------------------------------------
    # Programme page
    # ------------------------------------------------------------------
    @http.route("/ambassadors", type="http", auth="public", website=True)
    def ambassadors_page(self, **kw):
        env = request.env
        segments = env["ambassador.segment"].search([])
        tiers = env["ambassador.tier"].search([])
        thresholds = env["ambassador.tier.threshold"].search(
            [("segment_id", "in", segments.ids), ("tier_id", "in", tiers.ids)]
        )
        points = {(t.segment_id.id, t.tier_id.id): t.points for t in thresholds}
        rules = env["ambassador.point.rule"].search([])
        return request.render(
            "ambassador_program.ambassadors_page",
            {"segments": segments, "tiers": tiers, "points": points, "rules": rules},
        )

    # ------------------------------------------------------------------
    # Sign-up
    # ------------------------------------------------------------------
    def _get_segment(self, code):
        if not code or len(code) > 32:
            return request.env["ambassador.segment"]
        return request.env["ambassador.segment"].search([("code", "=", code)], limit=1)

    def _signup_render(self, segment, values=None, errors=None, status=200):
        charter = request.env["ambassador.charter"].get_current()
        countries = request.env["res.country"].search([])
        partner_fields = request.env["res.partner"]._fields
        lines = []
        for line in segment.signup_field_ids:
            field = partner_fields[line.field_name]
            lines.append(
                {
                    "name": line.field_name,
                    "label": line.get_label(),
                    "required": line.required,
                    "help": line.help_text,
                    "type": field.type,
                    "options": field.type == "selection"
                    and field._description_selection(request.env) or [],
                }
            )
        return request.render(
            "ambassador_program.ambassador_signup_page",
            {
                "segment": segment,
                "charter": charter,
                "lines": lines,
                "countries": countries,
                "consents": consent_labels(),
                "values": values or {},
                "errors": errors or {},
                "honeypot": HONEYPOT_FIELD,
                "name_max": NAME_MAX,
                "email_max": EMAIL_MAX,
                "char_max": CHAR_MAX,
                "text_max": TEXT_MAX,
            },
            status=status,
        )

    @http.route(
        "/ambassadors/join/<string:code>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def ambassadors_join(self, code, **post):
        segment = self._get_segment(code)
        if not segment:
            return message_page(
                _("Unknown segment"),
                _("There is no ambassador segment here. Choose yours on the "
                  "programme page."),
                404,
                [("/ambassadors", _("The ambassador programme"))],
            )
        if request.httprequest.method != "POST":
            return self._signup_render(segment)
        if post.get(HONEYPOT_FIELD):
            # A robot: answer as if all went well, write nothing.
            _logger.info("Ambassador sign-up honeypot filled from %s", client_ip())
            return self._signup_done(segment)
        try:
            request.env["ambassador.signup.request"]._ambassador_signup(
                segment, form_strings(post), client_ip(), client_user_agent(),
                request.lang,
            )
        except SignupRateLimited as error:
            return message_page(_("Too many sign-ups"), error.name, 429)
        except FormErrors as error:
            shown = {key: value[:TEXT_MAX] for key, value in form_strings(post).items()}
            return self._signup_render(segment, shown, error.errors, status=400)
        return self._signup_done(segment)

    def _signup_done(self, segment):
        return request.render(
            "ambassador_program.ambassador_signup_done_page", {"segment": segment}
        )

    # ------------------------------------------------------------------
    # Confirmation (double opt-in): GET shows a button, POST confirms
    # ------------------------------------------------------------------
    def _check_token(self, token):
        """Return (signup request, error page or None)."""
        signup = request.env["ambassador.signup.request"]._find_by_token(token)
        if not signup or signup.state == "cancelled":
            return signup, message_page(
                _("Invalid link"),
                _("This confirmation link is not valid. Copy the whole link from "
                  "the e-mail, or sign up again."),
                404,
                [("/ambassadors", _("The ambassador programme"))],
            )
        if signup.state != "pending":
            return signup, message_page(
                _("Link already used"),
                _("This confirmation link was already used: your sign-up is "
                  "confirmed. Log in to reach your ambassador space."),
                410,
                [("/web/login", _("Log in")),
                 ("/web/reset_password", _("Forgot your password?"))],
            )
        if signup._is_expired():
            return signup, message_page(
                _("Link expired"),
                _("This confirmation link has expired. Sign up again to get a "
                  "new one."),
                410,
                [("/ambassadors", _("The ambassador programme"))],
            )
        return signup, None

    @http.route(
        "/ambassadors/confirm",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def ambassadors_confirm(self, token=None, **kw):
        signup, error = self._check_token(token)
        if error:
            return error
        if request.httprequest.method != "POST":
            offered = signup._offered_consents()
            return request.render(
                "ambassador_program.ambassador_confirm_page",
                {
                    "token": token,
                    "signup": signup,
                    "consents": [
                        (name, label, offered[name])
                        for name, label in consent_labels()
                    ],
                },
            )
        consents = {name: bool(kw.get(name)) for name in CONSENT_PURPOSES}
        user, new_account = signup._confirm(client_ip(), consents)
        signup_url = False
        if new_account:
            partner = signup.partner_id.sudo()
            signup_url = "/web/reset_password?%s" % url_encode(
                {
                    "db": request.env.cr.dbname,
                    "token": partner.signup_token,
                    "redirect": "/my/ambassador",
                }
            )
        return request.render(
            "ambassador_program.ambassador_confirmed_page",
            {"signup_url": signup_url, "name": signup.partner_id.name},
        )

    # ------------------------------------------------------------------
    # Public wall
    # ------------------------------------------------------------------
    @http.route("/ambassadors/wall", type="http", auth="public", website=True)
    def ambassadors_wall(self, **kw):
        tiers = request.env["ambassador.tier"].search([("public_wall", "=", True)])
        # sudo: visitors may not read contacts; only the name, and the city of
        # those who chose to show it, of Platinum ambassadors who opted in.
        rows = request.env["res.partner"].sudo().search_read(
            [
                ("ambassador_state", "=", "active"),
                ("ambassador_tier_id", "in", tiers.ids),
                ("ambassador_consent_wall", "=", True),
            ],
            ["name", "city", "ambassador_show_city"],
            order="name",
            limit=1000,
        )
        people = [
            {"name": row["name"],
             "city": row["ambassador_show_city"] and row["city"] or False}
            for row in rows
        ]
        return request.render(
            "ambassador_program.ambassadors_wall_page", {"people": people}
        )
