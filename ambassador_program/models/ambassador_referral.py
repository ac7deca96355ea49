# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import secrets
from datetime import datetime, timedelta

from odoo import _, api, fields, models

from .authority import as_engine
from .programme_params import int_param, text_param
from .referral_checks import (
    email_domain, network_of, normalise_email, normalise_postal, parse_domains)

_logger = logging.getLogger(__name__)

# A referral code: 12 URL-safe characters (72 random bits), never the id.
CODE_BYTES = 9
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
DEFAULT_REVERSAL_DAYS = 90
# How far back the referrer's own sign-in and sign-up networks count.
RECENT_NETWORK_DAYS = 30
RULE_CODE = "referral"
ABUSE_FLAGS = ("flag_same_email", "flag_disposable_domain", "flag_same_address",
               "flag_same_network")


def new_code():
    return secrets.token_urlsafe(CODE_BYTES)


class AmbassadorReferral(models.Model):
    """One new ambassador brought by another: recorded at the sign-up made
    through the referrer's link (or at its confirmation, for a contact the
    programme knew), awarded once when the referee becomes active, reversed
    when it is excluded soon after. Written by the engine only; staff read."""

    _name = "ambassador.referral"
    _description = "Ambassador Referral"
    _order = "create_date desc, id desc"
    _rec_name = "referee_id"

    referrer_id = fields.Many2one(
        "res.partner", string="Referrer", required=True, index=True,
        ondelete="restrict", readonly=True)
    referee_id = fields.Many2one(
        "res.partner", string="New Ambassador", required=True, index=True,
        ondelete="cascade", readonly=True)
    referrer_segment_id = fields.Many2one(
        "ambassador.segment", string="Referrer's Segment", readonly=True,
        ondelete="set null", index=True)
    segment_id = fields.Many2one(
        "ambassador.segment", string="New Ambassador's Segment", readonly=True,
        ondelete="set null", index=True)
    signup_request_id = fields.Many2one(
        "ambassador.signup.request", string="Sign-up", readonly=True,
        ondelete="set null")
    state = fields.Selection(
        [
            ("recorded", "Waiting for Activation"),
            ("awarded", "Awarded"),
            ("withheld", "Not Awarded"),
            ("reversed", "Reversed"),
        ],
        default="recorded", required=True, readonly=True, index=True)
    withheld_reason = fields.Selection(
        [
            ("abuse", "Anti-abuse check"),
            ("referrer_inactive", "Referrer not active"),
            ("no_rule", "No referral rule for the referrer's segment"),
        ],
        readonly=True)
    flag_same_email = fields.Boolean(
        string="Same Mailbox", readonly=True,
        help="The two e-mail addresses are one mailbox once normalised "
        "(case, +tag, dots of Gmail).")
    flag_disposable_domain = fields.Boolean(
        string="Disposable Address", readonly=True,
        help="The new ambassador's e-mail domain is in the list of disposable "
        "domains (Settings).")
    flag_same_address = fields.Boolean(
        string="Same Postal Address", readonly=True)
    flag_same_network = fields.Boolean(
        string="Same Network", readonly=True,
        help="The sign-up came from the network (IPv4 /24, IPv6 /64) the "
        "referrer signed in or signed up from in the last 30 days.")
    abuse_flagged = fields.Boolean(
        string="Flagged", readonly=True, index=True,
        help="At least one anti-abuse check matched: no points.")
    activation_date = fields.Datetime(readonly=True)
    transaction_id = fields.Many2one(
        "ambassador.point.transaction", string="Award", readonly=True,
        ondelete="restrict")
    points = fields.Integer(related="transaction_id.points", readonly=True)
    reversal_id = fields.Many2one(
        "ambassador.point.transaction", string="Reversal", readonly=True,
        ondelete="restrict")
    reversal_date = fields.Datetime(readonly=True)
    count = fields.Integer(default=1, readonly=True, group_operator="sum",
                           help="1 per referral: the pivot's measure.")

    _sql_constraints = [
        ("referee_once", "unique(referee_id)",
         "A new ambassador has one referrer."),
        ("not_oneself", "CHECK(referee_id != referrer_id)",
         "Nobody refers itself."),
    ]

    @api.multi
    def name_get(self):
        # Not the referee's name: the referrer's own ledger line names its
        # referral, and the referrer reads it (Odoo names a many2one as
        # superuser). Called directly, it is reading.
        self.check_access_rights("read")
        self.check_access_rule("read")
        return [(referral.id, _("Referral #%d") % referral.id) for referral in self]

    # ------------------------------------------------------------------
    # Codes and links
    # ------------------------------------------------------------------
    @api.model
    def _referrer_from_code(self, code):
        """The active ambassador whose referral code is ``code``, or an empty
        recordset (unknown, malformed, or its owner not active: the link is
        then ignored). One indexed query; sudo: the visitor may not read
        contacts, and only the name is ever shown."""
        if not isinstance(code, str) or not CODE_RE.match(code):
            return self.env["res.partner"]
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE ambassador_referral_code = %s "
            "AND ambassador_state = 'active'", (code,))
        row = self.env.cr.fetchone()
        return self.env["res.partner"].sudo().browse(row and row[0])

    @api.model
    def _referral_url(self, partner):
        """The link the ambassador shares, on web.base.url (never the request's
        Host header)."""
        code = partner._ambassador_referral_code_get()
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return "%s/ambassadors/join?ref=%s" % ((base_url or "").rstrip("/"), code)

    # ------------------------------------------------------------------
    # Recording (sign-up, confirmation)
    # ------------------------------------------------------------------
    @api.model
    def _record(self, referee, referrer, signup=None):
        """Record that ``referrer`` brought ``referee`` (a contact the sign-up
        made or just confirmed). Nothing when the referee already has a
        referrer (the first one holds), refers itself, or the referrer is no
        longer an active ambassador. Returns the referral (possibly empty).
        Callers are the sign-up's engine code (the link's code was resolved by
        _referrer_from_code)."""
        referee, referrer = referee.sudo(), referrer.sudo()
        if not referee or not referrer or referee == referrer:
            return self.browse()
        if referrer.ambassador_state != "active":
            return self.browse()
        existing = self.sudo().search([("referee_id", "=", referee.id)], limit=1)
        if existing or referee.ambassador_referrer_id:
            return existing
        referral = self.sudo().create({
            "referrer_id": referrer.id,
            "referee_id": referee.id,
            "referrer_segment_id": referrer.ambassador_segment_id.id,
            "segment_id": referee.ambassador_segment_id.id,
            "signup_request_id": signup and signup.id,
        })
        # Engine: the referrer comes from the sign-up's own link, checked above.
        as_engine(referee).write({"ambassador_referrer_id": referrer.id})
        referral._flag_abuse()
        return referral

    # ------------------------------------------------------------------
    # Anti-abuse
    # ------------------------------------------------------------------
    @api.model
    def _disposable_domains(self):
        return parse_domains(text_param(self.env, "referral_disposable_domains", ""))

    @api.multi
    def _referrer_networks(self):
        """{referral id: networks the referrer used recently}: its last
        sign-in's network and its sign-ups' addresses of the last
        RECENT_NETWORK_DAYS days before the referee's sign-up. Two queries for
        the set."""
        result = {referral.id: set() for referral in self}
        if not self:
            return result
        self.env.cr.execute(
            """
            SELECT r.id, p.ambassador_signin_network, s.ip_address, s.confirmed_ip
            FROM ambassador_referral r
            JOIN res_partner p ON p.id = r.referrer_id
            LEFT JOIN ambassador_signup_request s
                ON s.partner_id = r.referrer_id
               AND s.create_date >= r.create_date - %s * interval '1 day'
            WHERE r.id IN %s
            """,
            (RECENT_NETWORK_DAYS, tuple(self.ids)))
        rows = self.env.cr.fetchall()
        since = datetime.utcnow() - timedelta(days=RECENT_NETWORK_DAYS)
        recent_signin = {
            partner.id for partner in self.mapped("referrer_id").sudo()
            if partner.ambassador_signin_date
            and fields.Datetime.from_string(partner.ambassador_signin_date) >= since
        }
        for referral_id, signin, ip_address, confirmed_ip in rows:
            networks = result[referral_id]
            referrer = self.browse(referral_id).referrer_id
            if signin and referrer.id in recent_signin:
                networks.add(signin)
            networks.update(
                filter(None, (network_of(ip_address), network_of(confirmed_ip))))
        return result

    @api.multi
    def _flag_abuse(self):
        """Set the anti-abuse flags (once set, they stay: a check made at the
        sign-up is not undone by one made at the activation)."""
        disposable = self._disposable_domains()
        networks = self._referrer_networks()
        for referral in self.sudo():
            referee, referrer = referral.referee_id, referral.referrer_id
            signup = referral.signup_request_id
            referee_networks = {
                network_of(signup.ip_address), network_of(signup.confirmed_ip),
                referee.ambassador_signin_network} - {False, None}
            referee_postal = normalise_postal(referee.street, referee.zip,
                                              referee.city)
            flags = {
                "flag_same_email": bool(referee.email) and normalise_email(
                    referee.email) == normalise_email(referrer.email),
                "flag_disposable_domain": email_domain(referee.email) in disposable,
                "flag_same_address": bool(referee_postal) and referee_postal == (
                    normalise_postal(referrer.street, referrer.zip, referrer.city)),
                "flag_same_network": bool(
                    referee_networks & networks.get(referral.id, set())),
            }
            values = {name: True for name, value in flags.items()
                      if value and not referral[name]}
            if values:
                values["abuse_flagged"] = True
                referral.write(values)

    @api.depends(*ABUSE_FLAGS)
    def _compute_flag_summary(self):
        labels = {name: self._fields[name].get_description(self.env)["string"]
                  for name in ABUSE_FLAGS}
        for referral in self:
            referral.flag_summary = ", ".join(
                labels[name] for name in ABUSE_FLAGS if referral[name]) or False

    flag_summary = fields.Char(string="Checks Matched",
                               compute="_compute_flag_summary")

    # ------------------------------------------------------------------
    # Award and reversal
    # ------------------------------------------------------------------
    @api.model
    def _award_for_referees(self, referees):
        """Award the referrals of ``referees`` (contacts that just became
        active) once: called from res.partner._ambassador_activate, the one
        place a contact becomes active. The rows are locked (in id order) so
        that two activations of one referee award once; the ledger's unique
        index on the referral holds even so."""
        if not referees:
            return self.browse()
        cr = self.env.cr
        # log_exceptions: a concurrent activation makes this fail with a
        # serialization error that Odoo retries; not an error to log.
        cr.execute(
            "SELECT id FROM ambassador_referral WHERE referee_id IN %s "
            "AND state = 'recorded' ORDER BY id FOR UPDATE",
            (tuple(referees.ids),), log_exceptions=False)
        referrals = self.sudo().browse([row[0] for row in cr.fetchall()])
        if not referrals:
            return referrals
        referrals.invalidate_cache()
        referrals._flag_abuse()
        rules = self.env["ambassador.point.rule"].sudo().search(
            [("code", "=", RULE_CODE)])
        now = fields.Datetime.now()
        awards, awarded = [], referrals.browse()
        for referral in referrals:
            referrer = referral.referrer_id
            segment = referrer.ambassador_segment_id
            rule = rules.filtered(lambda r, s=segment: s in r.segment_ids)[:1]
            reason = False
            if referral.abuse_flagged:
                reason = "abuse"
            elif referrer.ambassador_state != "active":
                reason = "referrer_inactive"
            elif not rule or rule.points <= 0:
                reason = "no_rule"
            if reason:
                referral.write({"state": "withheld", "withheld_reason": reason,
                                "activation_date": now})
                continue
            awards.append({
                "partner_id": referrer.id,
                "segment_id": segment.id,
                "rule_id": rule.id,
                "points": rule.points,
                "origin": "referral",
                "referral_id": referral.id,
                # No name: the append-only ledger outlives an erasure.
                "note": _("Referral of a new ambassador (#%d)") % referral.id,
            })
            awarded |= referral
        if awards:
            Ledger = as_engine(self.env["ambassador.point.transaction"])
            lines = Ledger._award(awards)
            by_referral = {line.referral_id.id: line for line in lines}
            for referral in awarded:
                referral.write({"state": "awarded", "activation_date": now,
                                "transaction_id": by_referral[referral.id].id})
        return referrals

    @api.model
    def _reverse_for_excluded(self, referees, reason=None):
        """Reverse, through the ledger's reversing lines, the referral awards
        of ``referees`` excluded within the window of the setting
        ``referral_reversal_days`` (default 90) after the award. A referee
        who leaves of its own will does not take its referrer's points back
        (readme/ARCHITECTURE.rst)."""
        if not referees:
            return self.browse()
        days = int_param(self.env, "referral_reversal_days", DEFAULT_REVERSAL_DAYS,
                         minimum=0)
        since = fields.Datetime.to_string(datetime.utcnow() - timedelta(days=days))
        self.env.cr.execute(
            "SELECT id FROM ambassador_referral WHERE referee_id IN %s "
            "AND state = 'awarded' AND activation_date >= %s ORDER BY id FOR UPDATE",
            (tuple(referees.ids), since), log_exceptions=False)
        referrals = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        referrals.invalidate_cache()
        for referral in referrals:
            line = referral.transaction_id
            reversal = as_engine(line).action_reverse(
                reason or _("Referral reversed: the new ambassador was excluded "
                            "(#%d)") % referral.id)
            referral.write({"state": "reversed", "reversal_id": reversal[:1].id,
                            "reversal_date": fields.Datetime.now()})
        return referrals

    @api.model
    def _ambassador_demo_refer(self, referee_ids, referrer_id):
        """Demo data: record that ``referrer_id`` referred ``referee_ids``."""
        Partner = self.env["res.partner"]
        referrer = Partner.browse(referrer_id)
        for referee in Partner.browse(referee_ids):
            self._record(referee, referrer)
        return True
