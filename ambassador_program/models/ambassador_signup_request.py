# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
import logging
import secrets
from datetime import datetime, timedelta

from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .authority import as_engine
from . import client_address
from .email_address import usable_email
from .form_input import FormErrors, parse_id
from .programme_params import int_param
from .res_partner import CONSENT_PURPOSES, LINK_FIELDS
from .safe_url import is_http_url

_logger = logging.getLogger(__name__)

DEFAULT_RATE_LIMIT = 5  # sign-ups per IP address per hour
DEFAULT_TOKEN_HOURS = 72
DEFAULT_ADDRESS_LIMIT = 3  # sign-up e-mails to one address per hour
# Lengths of the sign-up form's answers (the form shows them too).
NAME_MAX = 128
CHAR_MAX = 256
TEXT_MAX = 2000


def hash_token(token):
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


class SignupRateLimited(UserError):
    """Too many sign-ups from the caller's network in the last hour."""


class AmbassadorSignupRequest(models.Model):
    """A sign-up made on the website, waiting for its e-mail confirmation
    (double opt-in). Only the SHA-256 hash of the confirmation token is
    stored: the token itself exists only in the e-mail sent to the address.
    The table also feeds the per-IP rate limit of the public form."""

    _name = "ambassador.signup.request"
    _description = "Ambassador Sign-up Request"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", index=True, ondelete="cascade", readonly=True
    )
    segment_id = fields.Many2one(
        "ambassador.segment", ondelete="set null", readonly=True
    )
    email = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for Confirmation"),
            ("confirmed", "Confirmed"),
            ("duplicate", "Address Already Known"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    token_hash = fields.Char(readonly=True, index=True, copy=False)
    expiration = fields.Datetime(readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True, index=True)
    rate_limit_key = fields.Char(
        compute="_compute_rate_limit_key", store=True, index=True,
        help="What the per-network sign-up limit counts by: the IPv4 address, "
        "or the /64 network of an IPv6 address.",
    )
    user_agent = fields.Char(readonly=True)
    confirmed_date = fields.Datetime(readonly=True)
    confirmed_ip = fields.Char(string="Confirmed from IP", readonly=True)
    pending_values = fields.Text(
        readonly=True,
        help="Sign-up answers for a contact that existed before the sign-up: "
        "applied only once the address is confirmed.",
    )
    proposed_consents = fields.Text(
        readonly=True,
        help="Consents ticked on the sign-up form of a new contact: offered "
        "again on the confirmation page, applied only as confirmed there.",
    )
    referrer_id = fields.Many2one(
        "res.partner", string="Referred By", readonly=True, index=True,
        ondelete="set null",
        help="The ambassador whose referral link the sign-up came through.",
    )

    @api.depends("ip_address")
    def _compute_rate_limit_key(self):
        for request in self:
            request.rate_limit_key = client_address.rate_limit_key(request.ip_address)

    @api.model
    def _rate_limited(self, ip_address):
        """True when the network of ``ip_address`` (its IPv4 address, its
        IPv6 /64: client_address.rate_limit_key) made too many sign-ups in the
        last hour.
        Holds the quota's lock until the transaction ends, so that concurrent
        sign-ups from one network are counted one after the other."""
        key = client_address.rate_limit_key(ip_address)
        self.env["ambassador.quota.lock"].sudo()._acquire("signup_ip:%s" % key)
        limit = int_param(self.env, "signup_rate_limit", DEFAULT_RATE_LIMIT)
        since = fields.Datetime.to_string(datetime.utcnow() - timedelta(hours=1))
        count = self.sudo().search_count(
            [("rate_limit_key", "=", key), ("create_date", ">=", since)]
        )
        return count >= limit

    @api.model
    def _address_flooded(self, email):
        """True when ``email`` got too many sign-up e-mails in the last hour:
        nobody can use the form to flood someone's mailbox (counted under the
        address's quota lock, like _rate_limited)."""
        self.env["ambassador.quota.lock"].sudo()._acquire(
            "signup_email:%s" % (email or "").lower()
        )
        limit = int_param(self.env, "signup_address_limit", DEFAULT_ADDRESS_LIMIT)
        since = fields.Datetime.to_string(datetime.utcnow() - timedelta(hours=1))
        count = self.sudo().search_count(
            [("email", "=", (email or "").lower()), ("create_date", ">=", since)]
        )
        return count >= limit

    @api.model
    def _new_request(self, partner, segment, ip_address, user_agent, state="pending",
                     pending_values=None, proposed_consents=None, referrer=None):
        """Create a request; return it with its clear token (pending only)."""
        token = secrets.token_urlsafe(32) if state == "pending" else None
        hours = int_param(self.env, "signup_token_hours", DEFAULT_TOKEN_HOURS)
        request = self.sudo().create(
            {
                "partner_id": partner.id,
                "segment_id": segment.id,
                "email": (partner.email or "").strip().lower(),
                "state": state,
                "token_hash": token and hash_token(token),
                "expiration": fields.Datetime.to_string(
                    datetime.utcnow() + timedelta(hours=hours)
                ),
                "ip_address": ip_address,
                "user_agent": (user_agent or "")[:256] or False,
                "pending_values": pending_values and json.dumps(pending_values),
                "proposed_consents": proposed_consents
                and json.dumps(sorted(proposed_consents)),
                "referrer_id": referrer and referrer.id,
            }
        )
        return request, token

    # ------------------------------------------------------------------
    # Sign-up: what the website's form does, in one call
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_signup(self, segment, form, ip_address, user_agent, lang=None):
        """Sign up to ``segment`` with the answers of its form (``form``: field
        name -> text as typed). Returns the request made, or an empty recordset
        when the address already got as many e-mails as an hour allows.
        Raises SignupRateLimited (too many sign-ups from the network of
        ``ip_address``) or FormErrors (answers refused, field by field).
        Whatever the address, the caller shows the same page: the e-mail tells
        a known address apart (see _ambassador_signup_process)."""
        if self._rate_limited(ip_address):
            raise SignupRateLimited(
                _("Too many sign-ups were made from your network in the last hour. "
                  "Please try again later.")
            )
        values, errors = self._ambassador_signup_check(segment, form)
        if errors:
            raise FormErrors(errors)
        # A referral link's code ("ref"): unknown or malformed, it is ignored.
        referrer = self.env["ambassador.referral"]._referrer_from_code(
            form.get("ref"))
        return self._ambassador_signup_process(
            segment, values, ip_address, user_agent, lang, referrer=referrer
        )

    @api.model
    def _ambassador_signup_check(self, segment, form):
        """Return (contact values, errors) from the answers: values hold only
        the fields configured for the segment, cleaned, and the consents
        ticked; errors map a form field to its message."""
        errors, values = {}, {}
        name = (form.get("name") or "").strip()
        email = (form.get("email") or "").strip()
        if not name:
            errors["name"] = _("Please give your name.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("At most %d characters.") % NAME_MAX
        if not email:
            errors["email"] = _("Please give your e-mail address.")
        elif usable_email(email) != email.lower():
            # A bare address, as typed: not "Name <address>", not two.
            errors["email"] = _("This e-mail address does not look valid.")
        values.update(name=name, email=email.lower())
        partner_fields = self.env["res.partner"]._fields
        for line in segment.signup_field_ids:
            fname = line.field_name
            field = partner_fields[fname]
            raw = (form.get(fname) or "").strip()
            if not raw:
                if line.required:
                    errors[fname] = _("This information is required.")
                continue
            if field.type == "many2one":
                record = self.env[field.comodel_name].browse(parse_id(raw)).exists()
                if not record:
                    errors[fname] = _("Please choose a value from the list.")
                else:
                    values[fname] = record.id
            elif field.type == "selection":
                keys = [key for key, _label in field._description_selection(self.env)]
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
        charter = self.env["ambassador.charter"].get_current()
        if charter and not form.get("charter_accepted"):
            errors["charter"] = _("Please accept the ambassadors' charter.")
        if charter and form.get("charter_id") not in (None, str(charter.id)):
            errors["charter"] = _(
                "A new version of the charter was published meanwhile: please "
                "read it and accept it."
            )
        for consent in CONSENT_PURPOSES:
            if form.get(consent):
                values[consent] = True
        return values, errors

    @api.model
    def _ambassador_find_contact(self, email):
        """The contact of ``email``, archived ones included: an ambassador
        first, then an active contact, then the oldest. SQL: the ORM cannot
        order by "has an ambassador state", and the public user signing up may
        not read contacts."""
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE lower(email) = lower(%s) "
            "ORDER BY ambassador_state IS NULL, active DESC, id LIMIT 1",
            (email,),
        )
        row = self.env.cr.fetchone()
        return self.env["res.partner"].sudo().browse(row and row[0])

    @api.model
    def _ambassador_signup_process(self, segment, values, ip_address, user_agent,
                                   lang=None, referrer=None):
        """Create the candidate (or remind a known address) and e-mail it.
        The visitor sees the same page in every case: the page does not tell
        whether an address is already known, the e-mail does."""
        values = dict(values)
        if self._address_flooded(values["email"]):
            _logger.info("Ambassador sign-up: too many e-mails to one address")
            return self.browse()
        charter = self.env["ambassador.charter"].get_current()
        # Consents are applied only as confirmed on the page the e-mailed link
        # opens, by the owner of the mailbox (see _confirm).
        consents = [name for name in CONSENT_PURPOSES if values.pop(name, False)]
        existing = self._ambassador_find_contact(values["email"])
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        lang = lang if lang in installed else None
        if existing and existing.ambassador_state:
            if existing.ambassador_state == "candidate":
                signup, token = self._new_request(
                    existing, segment, ip_address, user_agent, referrer=referrer
                )
                signup._send_confirmation(token, lang)
            else:
                signup, _token = self._new_request(
                    existing, segment, ip_address, user_agent, state="duplicate"
                )
                signup._send_template(
                    "ambassador_program.mail_template_signup_known", lang
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
            # Its referrer too is recorded at the confirmation (_confirm).
            signup, token = self._new_request(
                existing, segment, ip_address, user_agent, pending_values=values,
                referrer=referrer,
            )
        else:
            if lang:
                values["lang"] = lang
            # The public user may not create contacts: the sign-up is the one
            # public write (SPEC 2.6), with the values checked by
            # _ambassador_signup_check only (no consent, no engine field:
            # res.partner checks it again).
            partner = (
                self.env["res.partner"]
                .sudo()
                .with_context(mail_create_nosubscribe=True)
                .create(values)
            )
            if charter:
                partner._ambassador_accept_charter(
                    charter, "website", ip_address, user_agent
                )
            signup, token = self._new_request(
                partner, segment, ip_address, user_agent, proposed_consents=consents,
                referrer=referrer,
            )
            if referrer:
                # The sign-up's own new contact: its referrer from now on.
                self.env["ambassador.referral"]._record(partner, referrer, signup)
        signup._send_confirmation(token, lang)
        return signup

    @api.multi
    def _send_template(self, xmlid, lang=None, **ctx):
        self.ensure_one()
        template = self.env.ref(xmlid).sudo()
        # sudo: the public user renders and queues the e-mail to the address
        # that was just given; it reads nothing else.
        template.with_context(
            lang=self.sudo().partner_id.lang or lang, **ctx
        ).send_mail(self.id, force_send=False)

    @api.multi
    def _send_confirmation(self, token, lang=None):
        self.ensure_one()
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        # web.base.url, not the request's Host header: a forged Host must not
        # end up in the link e-mailed to someone else.
        url = "%s/ambassadors/confirm?%s" % (base_url, url_encode({"token": token}))
        self._send_template(
            "ambassador_program.mail_template_signup_confirm", lang, confirm_url=url
        )

    @api.model
    def _find_by_token(self, token):
        """The request of ``token`` whatever its state, or an empty recordset."""
        if not token or len(token) > 128:
            return self.browse()
        return self.sudo().search([("token_hash", "=", hash_token(token))], limit=1)

    @api.multi
    def _is_expired(self):
        self.ensure_one()
        return fields.Datetime.from_string(self.expiration) < datetime.utcnow()

    @api.multi
    def _offered_consents(self):
        """{consent field: ticked?} for the confirmation page: what the sign-up
        form of a NEW contact ticked; nothing ticked for a contact that existed
        before, whose mailbox owner did not fill in the form."""
        self.ensure_one()
        ticked = set(json.loads(self.proposed_consents or "[]"))
        return {name: name in ticked for name in CONSENT_PURPOSES}

    @api.multi
    def _confirm(self, ip_address=None, consents=None):
        """Single use: lock the row, check it still waits, activate the
        ambassador, apply the consents chosen on the confirmation page and give
        it a portal user. Returns (user, whether a password is to be chosen)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM ambassador_signup_request WHERE id = %s FOR UPDATE",
            (self.id,),
        )
        self.invalidate_cache(["state"])
        if self.state != "pending":
            raise UserError(_("This confirmation link was already used."))
        if self._is_expired():
            raise UserError(_("This confirmation link has expired."))
        # Engine: whoever holds this single-use token read it in the mailbox of
        # the address; that is the proof of identity of a sign-up.
        partner = as_engine(self.partner_id)
        if self.pending_values:
            values = json.loads(self.pending_values)
            charter = self.env["ambassador.charter"].browse(
                values.pop("_charter_id", 0))
            values = {
                key: value for key, value in values.items()
                if key not in CONSENT_PURPOSES
            }
            values["ambassador_state"] = "candidate"
            partner.with_context(
                ambassador_channel="website", ambassador_ip=self.ip_address
            ).write(values)
            if charter.exists():
                partner._ambassador_accept_charter(
                    charter, "website", self.ip_address, self.user_agent
                )
        if self.referrer_id:
            # Before the activation, which awards the referrer (once).
            self.env["ambassador.referral"]._record(partner, self.referrer_id, self)
        if partner.ambassador_state == "candidate":
            partner._ambassador_activate()
        partner._ambassador_set_consents(consents or {}, "website", ip_address)
        self.write(
            {
                "state": "confirmed",
                "confirmed_date": fields.Datetime.now(),
                "confirmed_ip": ip_address,
            }
        )
        # Other open requests of the same contact die with this one.
        self.search(
            [("partner_id", "=", partner.id), ("state", "=", "pending")]
        ).write({"state": "cancelled"})
        return self._ensure_portal_user(partner)

    @api.model
    def _ensure_portal_user(self, partner):
        """(portal user of ``partner``, True) when this confirmation creates it,
        with a fresh auth_signup token so that the ambassador chooses its
        password on /web/reset_password. A contact that already has an account
        (an employee, a customer) keeps it untouched and gets no token: it logs
        in with that account, (existing user, False). Likewise (empty, False)
        when the address is the login of another account."""
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        user = Users.search([("partner_id", "=", partner.id)], limit=1)
        if user:
            return user, False
        self.env.cr.execute(
            "SELECT 1 FROM res_users WHERE lower(login) = lower(%s)",
            (partner.email,),
        )
        if self.env.cr.fetchone():
            return Users.browse(), False
        user = Users.with_context(no_reset_password=True).create(
            {
                "name": partner.name,
                "login": partner.email,
                "partner_id": partner.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        hours = int_param(self.env, "signup_token_hours", DEFAULT_TOKEN_HOURS)
        partner.sudo().signup_prepare(
            signup_type="reset",
            expiration=fields.Datetime.to_string(
                datetime.utcnow() + timedelta(hours=hours)
            ),
        )
        return user, True
