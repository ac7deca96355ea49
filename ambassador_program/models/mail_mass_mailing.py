# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models

from .res_partner_contact_cap import WINDOW_DAYS, contact_cap

_logger = logging.getLogger(__name__)

# The programme's mailing lists: those of the segments and of the tiers (kept
# in sync by mail.mass_mailing.list._ambassador_sync_lists).
PROGRAMME_LISTS_SQL = """
    SELECT mailing_list_id FROM ambassador_segment
    WHERE mailing_list_id IS NOT NULL
    UNION
    SELECT mailing_list_id FROM ambassador_tier
    WHERE mailing_list_id IS NOT NULL
"""
# The heuristic mass_mailing uses to compare e-mail addresses.
EMAIL_RE = "([^ ,;<@]+@[^> ,;]+)"


class MassMailing(models.Model):
    """Programme mailings respect the cross-channel contact cap (guideline
    10, avoid saturation; res_partner_contact_cap.py): an ambassador who
    received N programme messages (all channels) in the rolling 30 days is
    left out, counted on the mailing and recorded as deferred; the mailing's
    sends count towards the cap. A recipient who is no ambassador is capped
    on the programme mailings its address received."""

    _inherit = "mail.mass_mailing"

    ambassador_programme = fields.Boolean(
        string="Programme Mailing",
        help="Counts towards, and is subject to, the programme's contact-"
        "frequency cap. Always on for mailings to the programme's lists.",
    )
    ambassador_capped_count = fields.Integer(
        string="Excluded by the Frequency Cap",
        readonly=True,
        copy=False,
        help="Recipients left out because they already received the maximum "
        "number of programme mailings in the last 30 days.",
    )

    @api.model
    def _ambassador_programme_list_ids(self):
        self.env.cr.execute(PROGRAMME_LISTS_SQL)
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def create(self, vals):
        mailing = super(MassMailing, self).create(vals)
        mailing._ambassador_flag_programme()
        return mailing

    @api.multi
    def write(self, vals):
        result = super(MassMailing, self).write(vals)
        if "contact_list_ids" in vals or "ambassador_programme" in vals:
            self._ambassador_flag_programme()
        return result

    @api.multi
    def _ambassador_flag_programme(self):
        programme_lists = self._ambassador_programme_list_ids()
        to_flag = self.filtered(
            lambda m: not m.ambassador_programme
            and set(m.contact_list_ids.ids) & programme_lists
        )
        if to_flag:
            super(MassMailing, to_flag).write({"ambassador_programme": True})
        return True

    @api.model
    def _ambassador_cap(self):
        return contact_cap(self.env)

    def get_remaining_recipients(self):
        res_ids = super(MassMailing, self).get_remaining_recipients()
        if not self.ambassador_programme or not res_ids:
            return res_ids
        excluded = self._ambassador_excluded_recipients(res_ids)
        if excluded["capped_partners"]:
            # Once per mailing and ambassador (mass mailing asks for its
            # remaining recipients more than once).
            self.env["res.partner"]._ambassador_record_deferred(
                excluded["capped_partners"], "mailing", mass_mailing_id=self.id)
        if not excluded["capped"] and not excluded["blacklisted"]:
            if self.ambassador_capped_count:
                self.sudo().write({"ambassador_capped_count": 0})
            return res_ids
        if self.ambassador_capped_count != len(excluded["capped"]):
            self.sudo().write({"ambassador_capped_count": len(excluded["capped"])})
        drop = excluded["capped"] | excluded["blacklisted"]
        return [res_id for res_id in res_ids if res_id not in drop]

    def send_mail(self, res_ids=None):
        result = super(MassMailing, self).send_mail(res_ids=res_ids)
        for mailing in self.filtered("ambassador_programme"):
            mailing._ambassador_log_sent()
        return result

    def _ambassador_log_sent(self):
        """Record the mailing's ambassadors reached so far in the programme's
        message log (the contact cap counts them), once each: one query for
        who, one INSERT."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT DISTINCT COALESCE(c.ambassador_partner_id, p.id, a.id)
            FROM mail_mail_statistics s
            LEFT JOIN mail_mass_mailing_contact c
                ON s.model = 'mail.mass_mailing.contact' AND c.id = s.res_id
            LEFT JOIN res_partner p
                ON s.model = 'res.partner' AND p.id = s.res_id
                AND p.ambassador_state IS NOT NULL
            -- A list's own contact whose address is an ambassador's: the
            -- ambassador received it.
            LEFT JOIN res_partner a
                ON c.id IS NOT NULL AND c.ambassador_partner_id IS NULL
                AND a.ambassador_state IS NOT NULL
                AND lower(a.email) = lower(c.email)
            WHERE s.mass_mailing_id = %s
              AND COALESCE(c.ambassador_partner_id, p.id, a.id) IS NOT NULL
            """,
            (self.id,),
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["res.partner"]._ambassador_count_sent(
            partner_ids, "mailing", mass_mailing_id=self.id)

    def _ambassador_excluded_recipients(self, res_ids):
        """Recipients (ids of the mailing's model) to leave out, in one query:
        ``capped``: an ambassador who received ``cap`` programme messages or
        more in the last 30 days, all channels (this mailing's excluded), or
        another address that received ``cap`` programme mailings;
        ``capped_partners``: the ambassadors of ``capped``; ``blacklisted``:
        their address opted out as a mailing contact or as a contact (mass
        mailing only checks the model it targets)."""
        self.ensure_one()
        target = self.env[self.mailing_model_real]
        mail_field = "email" if "email" in target._fields else "email_from"
        if target._name == "mail.mass_mailing.contact":
            partner_column = "t.ambassador_partner_id"
        elif target._name == "res.partner":
            partner_column = (
                "CASE WHEN t.ambassador_state IS NOT NULL THEN t.id END")
        else:
            partner_column = "NULL::int"
        cap = self._ambassador_cap()
        query = """
            WITH recipients AS (
                SELECT t.id, lower(substring(t.{field}, %(email_re)s)) AS email,
                       {partner} AS partner_id
                FROM {table} t WHERE t.id = ANY(%(res_ids)s)
            ),
            logged AS (
                SELECT l.partner_id, COUNT(*) AS messages
                FROM ambassador_message_log l
                WHERE l.partner_id IN (SELECT partner_id FROM recipients)
                  AND l.state = 'sent'
                  AND l.mass_mailing_id IS DISTINCT FROM %(mailing_id)s
                  AND l.date >= (now() AT TIME ZONE 'UTC')
                                - %(days)s * interval '1 day'
                GROUP BY l.partner_id
            ),
            received AS (
                SELECT lower(substring(COALESCE(c.email, p.email), %(email_re)s))
                           AS email,
                       COUNT(*) AS mailings
                FROM mail_mail_statistics s
                JOIN mail_mass_mailing m ON m.id = s.mass_mailing_id
                LEFT JOIN mail_mass_mailing_contact c
                    ON s.model = 'mail.mass_mailing.contact' AND c.id = s.res_id
                LEFT JOIN res_partner p
                    ON s.model = 'res.partner' AND p.id = s.res_id
                WHERE m.ambassador_programme AND m.id != %(mailing_id)s
                  AND s.exception IS NULL
                  AND s.scheduled >= (now() AT TIME ZONE 'UTC')
                                     - %(days)s * interval '1 day'
                  AND EXISTS (SELECT 1 FROM recipients r
                              WHERE r.partner_id IS NULL)
                GROUP BY 1
            ),
            blacklist AS (
                SELECT lower(substring(email, %(email_re)s)) AS email
                FROM mail_mass_mailing_contact WHERE opt_out
                UNION
                SELECT lower(substring(email, %(email_re)s))
                FROM res_partner WHERE opt_out
            )
            SELECT r.id, r.partner_id,
                   CASE WHEN r.partner_id IS NOT NULL
                        THEN COALESCE(lg.messages, 0)
                        ELSE COALESCE(rc.mailings, 0) END >= %(cap)s
                   AND %(cap)s > 0,
                   r.email IN (SELECT email FROM blacklist WHERE email IS NOT NULL)
            FROM recipients r
            LEFT JOIN logged lg ON lg.partner_id = r.partner_id
            LEFT JOIN received rc ON r.partner_id IS NULL AND rc.email = r.email
        """.format(field=mail_field, table=target._table, partner=partner_column)
        self.env.cr.execute(
            query,
            {
                "email_re": EMAIL_RE,
                "res_ids": list(res_ids),
                "mailing_id": self.id,
                "days": WINDOW_DAYS,
                "cap": cap,
            },
        )
        capped, capped_partners, blacklisted = set(), set(), set()
        for res_id, partner_id, is_capped, is_blacklisted in self.env.cr.fetchall():
            if is_blacklisted:
                blacklisted.add(res_id)
            elif is_capped:
                capped.add(res_id)
                if partner_id:
                    capped_partners.add(partner_id)
        _logger.info(
            "Mass-mailing %s: %d recipients over the cap of %d, %d opted out",
            self, len(capped), cap, len(blacklisted),
        )
        return {"capped": capped, "capped_partners": sorted(capped_partners),
                "blacklisted": blacklisted}
