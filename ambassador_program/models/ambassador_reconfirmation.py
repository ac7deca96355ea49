# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import datetime, timedelta

from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .ambassador_signup_request import hash_token
from .authority import as_engine
from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql
from .programme_params import int_param
from .res_partner import CONSENT_PURPOSES

DEFAULT_TOKEN_DAYS = 60
TEMPLATE = "ambassador_program.mail_template_reconfirmation"


class AmbassadorReconfirmation(models.Model):
    """An imported ambassador asked by e-mail to accept the charter and confirm
    or withdraw each consent brought by the import (double opt-in: only the
    SHA-256 hash of the link's token is stored, the token lives in the
    e-mail)."""

    _name = "ambassador.reconfirmation"
    _description = "Ambassador Re-confirmation Request"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    job_id = fields.Many2one(
        "ambassador.import.job", string="Import", ondelete="set null", readonly=True
    )
    token_hash = fields.Char(readonly=True, index=True, copy=False)
    expiration = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("confirmed", "Confirmed"),
         ("cancelled", "Cancelled")],
        default="pending", required=True, readonly=True,
    )
    confirmed_date = fields.Datetime(readonly=True)

    @api.model
    def _send_to(self, partners, job=None):
        """One request per contact of ``partners`` that has a usable address
        (one INSERT), and its e-mail queued in the contact's language, by
        batches (status engine's _queue_mails). Older waiting requests of
        these contacts are cancelled. Returns the requests."""
        if not partners:
            return self.browse()
        cr = self.env.cr
        cr.execute(
            """
            SELECT p.id FROM res_partner p
            WHERE p.id = ANY(%(ids)s) AND p.active AND {usable} ORDER BY p.id
            """.format(usable=usable_email_sql("p.email")),
            dict(USABLE_EMAIL_PARAMS, ids=partners.ids),
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        if not partner_ids:
            return self.browse()
        cr.execute(
            "UPDATE ambassador_reconfirmation SET state = 'cancelled' "
            "WHERE partner_id = ANY(%s) AND state = 'pending'",
            (partner_ids,),
        )
        tokens = [secrets.token_urlsafe(32) for _pid in partner_ids]
        days = int_param(self.env, "reconfirm_token_days", DEFAULT_TOKEN_DAYS, 1)
        expiration = fields.Datetime.to_string(datetime.utcnow() + timedelta(days=days))
        now = fields.Datetime.now()
        cr.execute(
            """
            INSERT INTO ambassador_reconfirmation
                (partner_id, job_id, token_hash, expiration, state,
                 create_uid, create_date, write_uid, write_date)
            SELECT r.partner_id, %s, r.token_hash, %s, 'pending', %s, %s, %s, %s
            FROM unnest(%s::int[], %s::varchar[]) AS r(partner_id, token_hash)
            RETURNING id, partner_id
            """,
            (job.id if job else None, expiration, self.env.uid, now, self.env.uid,
             now, partner_ids, [hash_token(token) for token in tokens]),
        )
        by_partner = {pid: rid for rid, pid in cr.fetchall()}
        self.invalidate_cache()
        # web.base.url, not a request's Host header (see the sign-up e-mail).
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        urls = {
            by_partner[pid]: "%s/ambassadors/reconfirm?%s" % (
                base_url, url_encode({"token": token}))
            for pid, token in zip(partner_ids, tokens)
        }
        ids = [by_partner[pid] for pid in partner_ids]
        self.env["ambassador.status.engine"]._queue_mails(
            self.env.ref(TEMPLATE), ids, {rid: pid for pid, rid in by_partner.items()},
            reconfirm_urls=urls,
        )
        return self.browse(ids)

    @api.model
    def _find_by_token(self, token):
        """The request of ``token`` whatever its state, or an empty recordset."""
        if not token or not isinstance(token, str) or len(token) > 128:
            return self.browse()
        # sudo: the visitor holding the token is not logged in; the hash is
        # the key.
        return self.sudo().search([("token_hash", "=", hash_token(token))], limit=1)

    @api.multi
    def _is_usable(self):
        self.ensure_one()
        return self.state == "pending" and fields.Datetime.from_string(
            self.expiration) > datetime.utcnow()

    @api.multi
    def _confirm(self, consents, ip_address=None, user_agent=None):
        """Single use: the person accepts the current charter and confirms
        (ticked) or withdraws (not ticked) each consent; every consent is
        logged again with channel "email" and basis "consent", which ends the
        legacy basis of the import. Returns (portal user, whether its
        password is to be chosen), as the sign-up's confirmation."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM ambassador_reconfirmation WHERE id = %s FOR UPDATE",
            (self.id,),
        )
        self.invalidate_cache(["state"])
        if not self._is_usable():
            raise UserError(_("This link was already used or has expired."))
        # Engine: whoever holds this single-use token read it in the mailbox
        # of the ambassador's address, the proof of identity of the e-mail.
        partner = as_engine(self.partner_id)
        charter = self.env["ambassador.charter"].get_current()
        if charter:
            partner._ambassador_accept_charter(
                charter, "email", ip_address, user_agent)
        chosen = {name: bool(consents.get(name)) for name in CONSENT_PURPOSES}
        # Unchanged choices are confirmed too: the log records the person's
        # own word and the text it read for each of them, membership included.
        partner._ambassador_set_consents(
            chosen, "email", ip_address, reconfirm=tuple(CONSENT_PURPOSES))
        partner._ambassador_reconfirm_membership("email", ip_address)
        self.sudo().write({"state": "confirmed",
                           "confirmed_date": fields.Datetime.now()})
        # An imported ambassador has no account yet: it gets its portal user,
        # as a confirmed sign-up does. Returns (user, password to choose?).
        return self.env["ambassador.signup.request"]._ensure_portal_user(partner)
