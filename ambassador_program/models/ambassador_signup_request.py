# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
import secrets
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .authority import as_engine
from . import client_address
from .res_partner import CONSENT_PURPOSES

DEFAULT_RATE_LIMIT = 5  # sign-ups per IP address per hour
DEFAULT_TOKEN_HOURS = 72
DEFAULT_ADDRESS_LIMIT = 3  # sign-up e-mails to one address per hour


def hash_token(token):
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


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

    @api.model
    def _get_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(
            "ambassador_program.%s" % key
        )
        try:
            return int(value) if value else default
        except ValueError:
            return default

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
        limit = self._get_param("signup_rate_limit", DEFAULT_RATE_LIMIT)
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
        limit = self._get_param("signup_address_limit", DEFAULT_ADDRESS_LIMIT)
        since = fields.Datetime.to_string(datetime.utcnow() - timedelta(hours=1))
        count = self.sudo().search_count(
            [("email", "=", (email or "").lower()), ("create_date", ">=", since)]
        )
        return count >= limit

    @api.model
    def _new_request(self, partner, segment, ip_address, user_agent, state="pending",
                     pending_values=None, proposed_consents=None):
        """Create a request; return it with its clear token (pending only)."""
        token = secrets.token_urlsafe(32) if state == "pending" else None
        hours = self._get_param("signup_token_hours", DEFAULT_TOKEN_HOURS)
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
            }
        )
        return request, token

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
        hours = self._get_param("signup_token_hours", DEFAULT_TOKEN_HOURS)
        partner.sudo().signup_prepare(
            signup_type="reset",
            expiration=fields.Datetime.to_string(
                datetime.utcnow() + timedelta(hours=hours)
            ),
        )
        return user, True
