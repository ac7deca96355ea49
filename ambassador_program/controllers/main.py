# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public pages of the programme: presentation, sign-up per segment with double
opt-in, confirmation and the public wall. The sign-up is the only public route
that writes (SPEC 2.6); CSRF is checked by Odoo on every POST."""
import base64
import logging

from werkzeug.urls import url_encode

from odoo import _, http
from odoo.http import request

from ..models.ambassador_signup_request import CHAR_MAX, NAME_MAX, TEXT_MAX, \
    SignupRateLimited
from ..models.email_address import EMAIL_MAX
from ..models.form_input import FormErrors
from ..models.ir_http import FORM_ONLY_PATH
from ..models.membership import member_partner
from ..models.res_partner import CONSENT_PURPOSES
from .referral import referral_code

_logger = logging.getLogger(__name__)

# Invisible field: people leave it empty, form-filling robots do not.
HONEYPOT_FIELD = "contact_homepage"
# People thanked per page of the wall.
WALL_PAGE_SIZE = 24
# First bytes of the image formats Odoo stores, and their type.
IMAGE_SIGNATURES = (
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


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


def current_ambassador():
    """The visitor's own contact when it is an ambassador already (active or
    suspended), else an empty recordset."""
    return member_partner(request.env.user)


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
            {"segments": segments, "tiers": tiers, "points": points, "rules": rules,
             "ambassador": current_ambassador()},
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
        # Through a referral link: its inviter's public name, nothing else.
        referrer = request.env["ambassador.referral"]._referrer_from_code(
            (values or {}).get("ref"))
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
                "referrer_name": referrer.name if referrer else False,
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
        if current_ambassador():
            # Signed up already: its space, not a blank form (nor a second
            # sign-up in its name).
            return request.redirect("/my/ambassador?message=already_ambassador")
        segment = self._get_segment(code)
        if not segment:
            return message_page(
                _("Unknown segment"),
                _("There is no ambassador segment here. Choose yours on the "
                  "programme page."),
                404,
                [("/ambassadors", _("The ambassador programme"))],
            )
        # The referral link's code, kept through the form and its errors.
        form = dict(form_strings(post), ref=referral_code(post))
        if request.httprequest.method != "POST":
            return self._signup_render(segment, {"ref": form["ref"]})
        if post.get(HONEYPOT_FIELD):
            # A robot: answer as if all went well, write nothing.
            _logger.info("Ambassador sign-up honeypot filled from %s", client_ip())
            return self._signup_done(segment)
        try:
            request.env["ambassador.signup.request"]._ambassador_signup(
                segment, form, client_ip(), client_user_agent(),
                request.lang,
            )
        except SignupRateLimited as error:
            return message_page(_("Too many sign-ups"), error.name, 429)
        except FormErrors as error:
            shown = {key: value[:TEXT_MAX] for key, value in form.items() if value}
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
            if current_ambassador():
                return signup, message_page(
                    _("Link already used"),
                    _("This confirmation link was already used: your sign-up "
                      "is confirmed."),
                    410,
                    [("/my/ambassador", _("My ambassador space"))],
                )
            return signup, message_page(
                _("Link already used"),
                _("This confirmation link was already used: your sign-up is "
                  "confirmed. Log in to reach your ambassador space."),
                410,
                [("/web/login?redirect=/my/ambassador", _("Log in")),
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
        # sudo: the contact just confirmed, by the holder of its token.
        partner = signup.partner_id.sudo()
        visitor = request.env.user
        return request.render(
            "ambassador_program.ambassador_confirmed_page",
            {"signup_url": signup_url, "name": partner.name,
             "tier_name": partner.ambassador_tier_id.name,
             # Signed in as this very ambassador: its space is one click away.
             "signed_in": not visitor._is_public()
             and visitor.partner_id == signup.partner_id},
        )

    # ------------------------------------------------------------------
    # A form's address opened directly (models/ir_http.py, _find_handler)
    # ------------------------------------------------------------------
    # multilang=False: answered at the form's address, which website's
    # canonical-URL redirection would otherwise replace with this one.
    @http.route(FORM_ONLY_PATH, type="http", auth="public", website=True,
                sitemap=False, multilang=False)
    def ambassadors_form_only(self, **kw):
        links = [("/ambassadors", _("The ambassador programme"))]
        way_back = request.env["ir.http"]._ambassador_way_back()
        if way_back and way_back not in (FORM_ONLY_PATH, "/ambassadors"):
            links.insert(0, (way_back, _("Go back")))
        return message_page(
            _("Page reached from a form only"),
            _("This address receives what a form sends: it cannot be opened "
              "directly. Go back to the form's page to use it."),
            405, links)

    # ------------------------------------------------------------------
    # Public wall: thanks, with the photo and words of those who agreed
    # ------------------------------------------------------------------
    def _wall_domain(self):
        tiers = request.env["ambassador.tier"].search([("public_wall", "=", True)])
        return [
            ("ambassador_state", "=", "active"),
            ("ambassador_tier_id", "in", tiers.ids),
            ("ambassador_consent_wall", "=", True),
        ]

    @http.route(["/ambassadors/wall", "/ambassadors/wall/page/<int:page>"],
                type="http", auth="public", website=True)
    def ambassadors_wall(self, page=1, **kw):
        # sudo: visitors may not read contacts; only what the wall shows of
        # the ambassadors of a wall tier who agreed to appear there (the city
        # only if they chose to show it). A page: three queries at any size.
        Partner = request.env["res.partner"].sudo()
        domain = self._wall_domain()
        total = Partner.search_count(domain)
        pager = request.website.pager(
            url="/ambassadors/wall", total=total, page=page, step=WALL_PAGE_SIZE)
        rows = Partner.search_read(
            domain,
            ["name", "city", "ambassador_show_city", "ambassador_segment_id",
             "ambassador_testimonial"],
            order="name, id",
            offset=pager["offset"],
            limit=WALL_PAGE_SIZE,
        )
        people = [
            {"id": row["id"],
             "name": row["name"],
             "photo_alt": _("Photo of %s") % row["name"],
             "segment": row["ambassador_segment_id"]
             and row["ambassador_segment_id"][1] or False,
             "testimonial": row["ambassador_testimonial"] or False,
             "city": row["ambassador_show_city"] and row["city"] or False}
            for row in rows
        ]
        return request.render(
            "ambassador_program.ambassadors_wall_page",
            {"people": people, "pager": pager, "total": total,
             "ambassador": current_ambassador()},
        )

    @http.route("/ambassadors/wall/photo/<int:partner_id>", type="http",
                auth="public", website=True, sitemap=False)
    def ambassadors_wall_photo(self, partner_id, **kw):
        # sudo: the photo of an ambassador on the wall only (checked by the
        # domain); anyone else's answers 404 as if it did not exist.
        partner = request.env["res.partner"].sudo().search(
            self._wall_domain() + [("id", "=", partner_id)], limit=1)
        if not partner or not partner.image_medium:
            raise request.not_found()
        content = base64.b64decode(partner.image_medium)
        mimetype = next((kind for signature, kind in IMAGE_SIGNATURES
                         if content.startswith(signature)), "image/png")
        # Short cache: a consent taken back removes the photo soon.
        return request.make_response(content, [
            ("Content-Type", mimetype),
            ("Cache-Control", "public, max-age=600"),
            ("X-Content-Type-Options", "nosniff"),
        ])
