# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models

from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql
from .mail_mass_mailing import PROGRAMME_LISTS_SQL

_logger = logging.getLogger(__name__)

# What the programme's lists depend on: which lists (segment, tier), who
# belongs (state, consent, opt-out, archived) and the mailing contact's data.
LIST_FIELDS = {
    "ambassador_tier_id",
    "ambassador_segment_id",
    "ambassador_state",
    "ambassador_consent_newsletter",
    "opt_out",
    "active",
    "email",
    "name",
}
# Who belongs to the programme's lists: active, consenting, reachable.
ELIGIBLE = """
    p.ambassador_state = 'active' AND p.active
    AND p.ambassador_consent_newsletter
    AND NOT COALESCE(p.opt_out, FALSE)
    AND {usable_email}
""".format(usable_email=usable_email_sql("p.email"))


class MassMailingList(models.Model):
    """Segment and tier lists, kept in sync with the ambassadors."""

    _inherit = "mail.mass_mailing.list"

    # Translatable (Odoo 11's list name is not): the programme's lists are
    # named in each reader's language, on the backend and on the subscription
    # page, from the addon's catalogue.
    name = fields.Char(translate=True)
    ambassador_segment_ids = fields.One2many(
        "ambassador.segment", "mailing_list_id", string="Ambassador Segments",
        readonly=True,
    )
    ambassador_tier_ids = fields.One2many(
        "ambassador.tier", "mailing_list_id", string="Ambassador Tiers",
        readonly=True,
    )

    @api.model
    def _ambassador_sync_lists(self, partner_ids=None):
        """Make the programme's lists (those of the segments and tiers) hold
        exactly the ambassadors who belong to them: active, newsletter consent,
        not opted out, with an e-mail; each in its segment's list and its tier's
        list. One mailing contact per ambassador. Set-based: a few INSERT ...
        SELECT / DELETE statements for ``partner_ids`` or for everyone.
        Contacts who unsubscribed keep their opt-out (mass mailing skips them).
        Returns counts of what changed."""
        stats = {"contacts": 0, "updated": 0, "added": 0, "removed": 0}
        if partner_ids is not None and not partner_ids:
            return stats
        cr = self.env.cr
        scope = "AND p.id = ANY(%(ids)s)" if partner_ids is not None else ""
        params = {"ids": list(partner_ids or []), "uid": self.env.uid}
        params.update(USABLE_EMAIL_PARAMS)
        cr.execute("DROP TABLE IF EXISTS ambassador_list_wanted")
        cr.execute(
            """
            CREATE TEMP TABLE ambassador_list_wanted ON COMMIT DROP AS
            SELECT p.id AS partner_id, s.mailing_list_id AS list_id
            FROM res_partner p
            JOIN ambassador_segment s ON s.id = p.ambassador_segment_id
            WHERE s.mailing_list_id IS NOT NULL AND {eligible} {scope}
            UNION
            SELECT p.id, t.mailing_list_id
            FROM res_partner p
            JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
            WHERE t.mailing_list_id IS NOT NULL AND {eligible} {scope}
            """.format(eligible=ELIGIBLE, scope=scope),
            params,
        )
        # Without statistics the planner would guess its size (nested loops on
        # 100,000 rows).
        cr.execute("CREATE INDEX ON ambassador_list_wanted (partner_id, list_id)")
        cr.execute("ANALYZE ambassador_list_wanted")
        # 1. A mailing contact for each ambassador who belongs to a list.
        cr.execute(
            """
            INSERT INTO mail_mass_mailing_contact
                (name, email, ambassador_partner_id, opt_out, message_bounce,
                 country_id, create_uid, create_date, write_uid, write_date)
            SELECT p.name, p.email, p.id, FALSE, 0, p.country_id,
                   %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
            FROM res_partner p
            WHERE p.id IN (SELECT partner_id FROM ambassador_list_wanted)
              AND NOT EXISTS (SELECT 1 FROM mail_mass_mailing_contact c
                              WHERE c.ambassador_partner_id = p.id)
            ON CONFLICT DO NOTHING
            """,
            params,
        )
        stats["contacts"] = cr.rowcount
        # 2. Names and addresses follow the contact.
        cr.execute(
            """
            UPDATE mail_mass_mailing_contact c
            SET name = p.name, email = p.email, write_uid = %(uid)s,
                write_date = now() AT TIME ZONE 'UTC'
            FROM res_partner p
            WHERE c.ambassador_partner_id = p.id {scope}
              AND {usable_email}
              AND (c.email IS DISTINCT FROM p.email
                   OR c.name IS DISTINCT FROM p.name)
            """.format(scope=scope, usable_email=usable_email_sql("p.email")),
            params,
        )
        stats["updated"] = cr.rowcount
        # 3. Out of the programme's lists whoever no longer belongs there.
        cr.execute(
            """
            DELETE FROM mail_mass_mailing_contact_list_rel r
            USING mail_mass_mailing_contact c, res_partner p
            WHERE r.contact_id = c.id AND c.ambassador_partner_id = p.id {scope}
              AND r.list_id IN ({programme_lists})
              AND NOT EXISTS (
                SELECT 1 FROM ambassador_list_wanted w
                WHERE w.partner_id = p.id AND w.list_id = r.list_id)
            """.format(scope=scope, programme_lists=PROGRAMME_LISTS_SQL),
            params,
        )
        stats["removed"] = cr.rowcount
        # 4. Into the lists they belong to.
        cr.execute(
            """
            INSERT INTO mail_mass_mailing_contact_list_rel (contact_id, list_id)
            SELECT c.id, w.list_id
            FROM ambassador_list_wanted w
            JOIN mail_mass_mailing_contact c ON c.ambassador_partner_id = w.partner_id
            WHERE NOT EXISTS (
                SELECT 1 FROM mail_mass_mailing_contact_list_rel r
                WHERE r.contact_id = c.id AND r.list_id = w.list_id)
            """
        )
        stats["added"] = cr.rowcount
        cr.execute("DROP TABLE ambassador_list_wanted")
        if any(stats.values()):
            self.env["mail.mass_mailing.contact"].invalidate_cache()
            self.invalidate_cache()
        return stats

    @api.model
    def _cron_ambassador_sync_lists(self):
        """Nightly safety net: the whole programme in one pass."""
        stats = self.sudo()._ambassador_sync_lists()
        _logger.info("Ambassador mailing lists synchronised: %s", stats)
        return stats


class AmbassadorStatusEngine(models.AbstractModel):
    """The segment and tier lists follow the status: this benefit's own
    trigger."""

    _inherit = "ambassador.status.engine"

    @api.model
    def _sync_benefits(self, partners, changed_fields):
        result = super(AmbassadorStatusEngine, self)._sync_benefits(
            partners, changed_fields
        )
        if partners and changed_fields & LIST_FIELDS:
            self.env["mail.mass_mailing.list"]._ambassador_sync_lists(partners.ids)
        return result
