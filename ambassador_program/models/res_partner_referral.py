# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .ambassador_referral import new_code
from .authority import is_engine
from .referral_checks import network_of

STAFF_GROUP = "ambassador_program.group_ambassador_user"
# Set by the sign-up (referrer), the space (code) and the sign-in (network):
# never by a form or an RPC call.
REFERRAL_FIELDS = {
    "ambassador_referrer_id", "ambassador_referral_code",
    "ambassador_signin_network", "ambassador_signin_date",
}


class ResPartner(models.Model):
    """Referrals: the ambassador's code, who referred it, whom it referred."""

    _inherit = "res.partner"

    ambassador_referral_code = fields.Char(
        string="Referral Code", copy=False, readonly=True, groups=STAFF_GROUP,
        help="The code of the ambassador's referral link: random, stable.")
    ambassador_referrer_id = fields.Many2one(
        "res.partner", string="Referred By", copy=False, readonly=True,
        index=True, ondelete="set null", groups=STAFF_GROUP,
        help="The ambassador whose referral link this one signed up through.")
    ambassador_referral_ids = fields.One2many(
        "ambassador.referral", "referrer_id", string="Referrals Made",
        readonly=True, groups=STAFF_GROUP)
    ambassador_referred_ids = fields.One2many(
        "ambassador.referral", "referee_id", string="Referral Received",
        readonly=True, groups=STAFF_GROUP)
    # Only the network (IPv4 /24, IPv6 /64) of the last sign-in, never the
    # address: what the referral's anti-abuse check compares.
    ambassador_signin_network = fields.Char(
        string="Last Sign-in Network", copy=False, readonly=True,
        groups=STAFF_GROUP)
    ambassador_signin_date = fields.Datetime(
        string="Last Sign-in", copy=False, readonly=True, groups=STAFF_GROUP)

    @api.model_cr
    def init(self):
        result = super(ResPartner, self).init()
        # Codes are unique: a link names one ambassador.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS res_partner_ambassador_referral_code
            ON res_partner (ambassador_referral_code)
            WHERE ambassador_referral_code IS NOT NULL
            """)
        return result

    @api.model
    def _ambassador_check_guarded_fields(self, vals, creating=False):
        super(ResPartner, self)._ambassador_check_guarded_fields(
            vals, creating=creating)
        if is_engine(self.env):
            return
        given = {name for name in vals if vals[name] or not creating}
        if given & REFERRAL_FIELDS:
            raise AccessError(_(
                "The referrer and the referral code are set by the sign-up "
                "through a referral link, not by editing the contact."))

    @api.multi
    def _ambassador_referral_code_get(self):
        """The ambassador's referral code, made the first time it is asked for
        (one UPDATE; the unique index refuses a clash, retried)."""
        self.ensure_one()
        partner = self.sudo()
        if partner.ambassador_referral_code:
            return partner.ambassador_referral_code
        for _attempt in range(3):
            code = new_code()
            self.env.cr.execute(
                "SELECT 1 FROM res_partner WHERE ambassador_referral_code = %s",
                (code,))
            if not self.env.cr.fetchone():
                break
        self.env.cr.execute(
            "UPDATE res_partner SET ambassador_referral_code = %s "
            "WHERE id = %s AND ambassador_referral_code IS NULL",
            (code, partner.id))
        partner.invalidate_cache(["ambassador_referral_code"])
        return partner.ambassador_referral_code

    @api.model
    def _ambassador_note_signin(self, partner, remote_addr):
        """Keep the network of an ambassador's sign-in (not the address), for
        the referral checks; contacts outside the programme keep nothing."""
        network = network_of(remote_addr)
        if not partner or not network:
            return
        self.env.cr.execute(
            "UPDATE res_partner SET ambassador_signin_network = %s, "
            "ambassador_signin_date = now() at time zone 'UTC' "
            "WHERE id = %s AND ambassador_state IS NOT NULL",
            (network, partner.id))
        partner.invalidate_cache(
            ["ambassador_signin_network", "ambassador_signin_date"])

    @api.multi
    def _ambassador_activate(self):
        result = super(ResPartner, self)._ambassador_activate()
        # The one place a contact becomes active (confirmation, staff,
        # committee): its referrer's points, once.
        self.env["ambassador.referral"]._award_for_referees(
            self.filtered(lambda partner: partner.ambassador_state == "active"))
        return result

    @api.multi
    def _ambassador_referral_card(self):
        """What the ambassador space shows about referrals: the link (active
        ambassadors only), the points a referral earns in its segment and
        the referrals by state (one query). Private: the space's page calls
        it on the visitor's own contact (controllers/portal.py)."""
        self.ensure_one()
        # sudo: the space's own contact; the code and the referrals are
        # staff-only fields.
        partner = self.sudo()
        if partner.ambassador_state != "active":
            return {}
        rule = self.env["ambassador.point.rule"].sudo().search(
            [("code", "=", "referral"),
             ("segment_ids", "in", partner.ambassador_segment_id.ids)], limit=1)
        self.env.cr.execute(
            "SELECT state, count(*) FROM ambassador_referral "
            "WHERE referrer_id = %s GROUP BY state", (partner.id,))
        counts = dict(self.env.cr.fetchall())
        return {
            "url": self.env["ambassador.referral"]._referral_url(partner),
            "rule": rule,
            "awarded": counts.get("awarded", 0),
            "waiting": counts.get("recorded", 0),
            "total": sum(counts.values()),
        }
