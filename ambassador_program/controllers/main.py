# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public pages of the programme: presentation, sign-up per segment with double
opt-in, confirmation and the public wall. The sign-up is the only public route
that writes (SPEC 2.6); CSRF is checked by Odoo on every POST."""
import logging
import re

from werkzeug.urls import url_encode

from odoo import _, fields, http
from odoo.http import request

from ..models.res_partner import LINK_FIELDS
from ..models.safe_url import is_http_url

_logger = logging.getLogger(__name__)

_ADDR = r"[^@\s<>\"'(),;:\[\]\\]+"
EMAIL_RE = re.compile(r"^%s@%s\.[a-zA-Z]{2,}$" % (_ADDR, _ADDR))
NAME_MAX = 128
EMAIL_MAX = 254
CHAR_MAX = 256
TEXT_MAX = 2000
# Consents offered at sign-up and in the ambassador space, all off by default.
CONSENT_FIELDS = [
    "ambassador_consent_newsletter",
    "ambassador_show_email",
    "ambassador_show_phone",
    "ambassador_show_company",
    "ambassador_show_city",
    "ambassador_show_skills",
    "ambassador_consent_wall",
]
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


def parse_id(value):
    """A database id from a form value (ASCII digits, or an int), else 0:
    "\u00b2".isdigit() is true but int() refuses it, and PostgreSQL refuses
    ids past its integer range."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, str):
        value = value.strip()
        if not re.match(r"^[0-9]{1,10}$", value):
            return 0
        value = int(value)
    if not isinstance(value, int):
        return 0
    return value if 0 < value < 2 ** 31 else 0


def client_user_agent():
    return (request.httprequest.user_agent.string or "")[:256]


def consent_labels():
    fields_ = request.env["res.partner"]._fields
    return [(name, fields_[name].get_description(request.env)["string"])
            for name in CONSENT_FIELDS]


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

    def _signup_validate(self, segment, post):
        """Return (contact values, errors) from the posted form; values hold
        only the configured fields, cleaned."""
        errors, values = {}, {}
        name = (post.get("name") or "").strip()
        email = (post.get("email") or "").strip()
        if not name:
            errors["name"] = _("Please give your name.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("At most %d characters.") % NAME_MAX
        if not email:
            errors["email"] = _("Please give your e-mail address.")
        elif len(email) > EMAIL_MAX or not EMAIL_RE.match(email):
            errors["email"] = _("This e-mail address does not look valid.")
        values.update(name=name, email=email.lower())
        partner_fields = request.env["res.partner"]._fields
        for line in segment.signup_field_ids:
            fname = line.field_name
            field = partner_fields[fname]
            raw = (post.get(fname) or "").strip()
            if not raw:
                if line.required:
                    errors[fname] = _("This information is required.")
                continue
            if field.type == "many2one":
                record = request.env[field.comodel_name].browse(
                    parse_id(raw)
                ).exists()
                if not record:
                    errors[fname] = _("Please choose a value from the list.")
                else:
                    values[fname] = record.id
            elif field.type == "selection":
                keys = [
                    key for key, _label in field._description_selection(request.env)
                ]
                if raw not in keys:
                    errors[fname] = _("Please choose a value from the list.")
                else:
                    values[fname] = raw
            else:
                limit = TEXT_MAX if field.type in ("text", "html") else CHAR_MAX
                if len(raw) > limit:
                    errors[fname] = _("At most %d characters.") % limit
                elif fname in LINK_FIELDS and not is_http_url(raw):
                    errors[fname] = _("A web address starts with http:// or "
                                      "https://.")
                else:
                    values[fname] = raw
        charter = request.env["ambassador.charter"].get_current()
        if charter and not post.get("charter_accepted"):
            errors["charter"] = _("Please accept the ambassadors' charter.")
        if charter and post.get("charter_id") not in (None, str(charter.id)):
            errors["charter"] = _(
                "A new version of the charter was published meanwhile: please "
                "read it and accept it."
            )
        for consent in CONSENT_FIELDS:
            if post.get(consent):
                values[consent] = True
        return values, errors

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
        Request = request.env["ambassador.signup.request"]
        if Request._rate_limited(client_ip()):
            return message_page(
                _("Too many sign-ups"),
                _("Too many sign-ups were made from your network in the last hour. "
                  "Please try again later."),
                429,
            )
        values, errors = self._signup_validate(segment, post)
        if errors:
            shown = {key: (value or "")[:TEXT_MAX] for key, value in post.items()
                     if isinstance(value, str)}
            return self._signup_render(segment, shown, errors, status=400)
        self._signup_process(segment, values)
        return self._signup_done(segment)

    def _signup_done(self, segment):
        return request.render(
            "ambassador_program.ambassador_signup_done_page", {"segment": segment}
        )

    def _find_contact(self, email):
        request.env.cr.execute(
            "SELECT id FROM res_partner WHERE lower(email) = lower(%s) "
            "ORDER BY ambassador_state IS NULL, active DESC, id LIMIT 1",
            (email,),
        )
        row = request.env.cr.fetchone()
        return request.env["res.partner"].sudo().browse(row and row[0])

    def _signup_process(self, segment, values):
        """Create the candidate (or remind a known address) and e-mail it.
        The visitor sees the same page in every case: the page does not tell
        whether an address is already known, the e-mail does."""
        ip, agent = client_ip(), client_user_agent()
        Request = request.env["ambassador.signup.request"]
        if Request._address_flooded(values["email"]):
            _logger.info("Ambassador sign-up: too many e-mails to one address")
            return Request
        charter = request.env["ambassador.charter"].get_current()
        # Consents are applied only as confirmed on the page the e-mailed link
        # opens, by the owner of the mailbox (see ambassadors_confirm).
        consents = [name for name in CONSENT_FIELDS if values.pop(name, False)]
        existing = self._find_contact(values["email"])
        langs = [code for code, _name in request.env["res.lang"].get_installed()]
        lang = request.lang if request.lang in langs else None
        if existing and existing.ambassador_state:
            if existing.ambassador_state == "candidate":
                signup, token = Request._new_request(existing, segment, ip, agent)
                self._send_confirmation(signup, token)
            else:
                signup, _token = Request._new_request(
                    existing, segment, ip, agent, state="duplicate"
                )
                self._send_template(
                    "ambassador_program.mail_template_signup_known", signup
                )
            return signup
        values.update(
            ambassador_state="candidate",
            ambassador_segment_id=segment.id,
            ambassador_signup_date=fields.Datetime.now(),
        )
        if existing:
            # A contact the programme already knows (customer, event attendee):
            # no second contact; its data change only once the address is
            # confirmed, so nobody can alter a contact by typing its address.
            values.pop("email")
            values.pop("name")
            if charter:
                values["_charter_id"] = charter.id
            signup, token = Request._new_request(
                existing, segment, ip, agent, pending_values=values
            )
        else:
            if lang:
                values["lang"] = lang
            # The public user may not create contacts: the sign-up is the one
            # public write (SPEC 2.6), with the values checked above only (no
            # consent, no engine field: res.partner checks it again).
            partner = (
                request.env["res.partner"]
                .sudo()
                .with_context(mail_create_nosubscribe=True)
                .create(values)
            )
            if charter:
                partner._ambassador_accept_charter(charter, "website", ip, agent)
            signup, token = Request._new_request(
                partner, segment, ip, agent, proposed_consents=consents
            )
        self._send_confirmation(signup, token)
        return signup

    def _send_template(self, xmlid, signup, **ctx):
        template = request.env.ref(xmlid).sudo()
        lang = signup.partner_id.lang or request.lang
        # sudo: the public user renders and queues the e-mail to the address
        # that was just given; it reads nothing else.
        template.with_context(lang=lang, **ctx).send_mail(signup.id, force_send=False)

    def _send_confirmation(self, signup, token):
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
        # web.base.url, not the request's Host header: a forged Host must not
        # end up in the link e-mailed to someone else.
        url = "%s/ambassadors/confirm?%s" % (base_url, url_encode({"token": token}))
        self._send_template(
            "ambassador_program.mail_template_signup_confirm", signup, confirm_url=url
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
        consents = {name: bool(kw.get(name)) for name in CONSENT_FIELDS}
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
