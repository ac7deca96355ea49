# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
from datetime import datetime, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import as_engine, is_engine
from .programme_params import int_param

_logger = logging.getLogger(__name__)

BATCH = 5000  # rows per statement: short locks, progress in the log
# Retention periods: system parameter ambassador_program.<key> -> default;
# 0 keeps for ever.
RETENTION_DEFAULTS = {
    "retention_signup_margin_days": 30,
    "retention_ip_days": 365,
    "retention_directory_view_days": 365,
    "retention_left_years": 3,
}
RETENTION_MAX = {
    "retention_signup_margin_days": 3650,
    "retention_ip_days": 3650,
    "retention_directory_view_days": 3650,
    "retention_left_years": 50,
}
# Where the programme keeps network traces (IP address, browser), and the
# date that ages them.
TRACE_TABLES = [
    ("ambassador_signup_request", "create_date",
     ("ip_address", "rate_limit_key", "user_agent", "confirmed_ip")),
    ("ambassador_charter_acceptance", "date", ("ip_address", "user_agent")),
    ("ambassador_consent", "date", ("ip_address",)),
]


class AmbassadorRetentionRun(models.Model):
    """One run of the retention job: what it purged, in counts. Written by the
    job only, never edited nor deleted (the record of what was forgotten)."""

    _name = "ambassador.retention.run"
    _description = "Ambassador Retention Run"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    signup_count = fields.Integer(
        string="Unconfirmed Sign-ups Deleted", readonly=True)
    candidate_count = fields.Integer(
        string="Unconfirmed Contacts Deleted", readonly=True,
        help="Contacts created by a sign-up never confirmed, held by nothing "
        "else.")
    trace_count = fields.Integer(
        string="IP and Browser Traces Cleared", readonly=True,
        help="Rows (sign-up requests, charter acceptances, consent log) whose "
        "IP address and browser were cleared; the rows stay.")
    directory_view_count = fields.Integer(
        string="Directory Views Deleted", readonly=True)
    leaver_count = fields.Integer(
        string="Leavers Erased", readonly=True,
        help="Ambassadors who left longer ago than the retention period, whose "
        "personal data was erased (see readme/PRIVACY.rst).")
    duration = fields.Float(string="Duration (s)", readonly=True)

    @api.model
    def create(self, vals):
        if not is_engine(self.env):
            raise AccessError(_("Only the retention job records its runs."))
        return super(AmbassadorRetentionRun, self).create(vals)

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        # A record of the past: never written again.
        raise UserError(_("A retention run is a record of the past."))

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("A retention run is a record of the past."))

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------
    @api.model
    def _periods(self):
        return {key: int_param(self.env, key, default, minimum=0)
                for key, default in RETENTION_DEFAULTS.items()}

    @api.model
    def _cron_retention(self):
        """Daily: purge what outlived its period, log the counts."""
        started = time.time()
        periods = self._periods()
        now = datetime.utcnow()
        counts = {}
        counts["signup_count"], counts["candidate_count"] = self._purge_signups(
            now, periods["retention_signup_margin_days"])
        counts["trace_count"] = self._clear_traces(now, periods["retention_ip_days"])
        counts["directory_view_count"] = self._purge_directory_views(
            now, periods["retention_directory_view_days"])
        counts["leaver_count"] = self._erase_leavers(
            now, periods["retention_left_years"])
        counts["duration"] = round(time.time() - started, 3)
        for key, value in sorted(counts.items()):
            _logger.info("Ambassador retention: %s = %s", key, value)
        # Engine: the job's own record; nobody else writes one (even admin).
        return as_engine(self).create(counts)

    def _batched(self, label, statement, params):
        """Run ``statement`` (a DELETE/UPDATE of at most BATCH rows, LIMIT in
        its sub-select) until it touches fewer rows; the rows' total."""
        total = 0
        while True:
            self.env.cr.execute(statement, dict(params, batch=BATCH))
            count = self.env.cr.rowcount
            total += count
            if count < BATCH:
                break
            _logger.info("Ambassador retention: %s, %d so far", label, total)
        return total

    @api.model
    def _purge_signups(self, now, margin_days):
        """Delete the sign-up requests never confirmed whose link expired more
        than ``margin_days`` ago, then the contacts such a sign-up created that
        nothing else holds. (requests, contacts)"""
        if not margin_days:
            return 0, 0
        cutoff = fields.Datetime.to_string(now - timedelta(days=margin_days))
        cr = self.env.cr
        # The contacts such a sign-up created (before its rows go): a
        # candidate born with its first request (a contact that existed before
        # the sign-up got pending values, not a new contact), no confirmed
        # request, no account, no company members, and none of what an
        # ambassador accrues (ledger, proofs, status history, registrations,
        # orders).
        cr.execute(
            """
            SELECT p.id FROM res_partner p
            JOIN LATERAL (
                SELECT r.create_date, r.pending_values FROM ambassador_signup_request r
                WHERE r.partner_id = p.id ORDER BY r.id LIMIT 1
            ) first ON true
            WHERE p.ambassador_state = 'candidate'
              AND first.pending_values IS NULL
              AND p.create_date >= first.create_date - interval '1 minute'
              AND NOT EXISTS (
                  SELECT 1 FROM ambassador_signup_request r
                  WHERE r.partner_id = p.id
                    AND (r.state = 'confirmed' OR r.expiration >= %(cutoff)s))
              AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM res_partner c WHERE c.parent_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM ambassador_point_transaction t
                              WHERE t.partner_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM ambassador_proof f
                              WHERE f.partner_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM event_registration e
                              WHERE e.partner_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM sale_order o
                              WHERE o.partner_id = p.id)
            """,
            {"cutoff": cutoff},
        )
        candidate_ids = [row[0] for row in cr.fetchall()]
        requests = self._batched(
            "unconfirmed sign-ups deleted",
            """
            DELETE FROM ambassador_signup_request WHERE id IN (
                SELECT id FROM ambassador_signup_request
                WHERE state != 'confirmed' AND expiration < %(cutoff)s
                LIMIT %(batch)s)
            """,
            {"cutoff": cutoff},
        )
        # sudo: the job deletes what nobody confirmed; the ORM takes their
        # messages, followers and cascades along, a batch at a time.
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        deleted = 0
        for start in range(0, len(candidate_ids), BATCH):
            batch = Partner.browse(candidate_ids[start:start + BATCH])
            try:
                with self.env.cr.savepoint():
                    batch.unlink()
                deleted += len(batch)
            except (UserError, psycopg2.IntegrityError) as error:
                # Something this query does not know of holds them (another
                # app's records): kept, and said, the job goes on.
                _logger.warning("Ambassador retention: %d unconfirmed contacts "
                                "kept, still referenced: %s", len(batch), error)
            _logger.info("Ambassador retention: unconfirmed contacts deleted, %d/%d",
                         deleted, len(candidate_ids))
        return requests, deleted

    @api.model
    def _clear_traces(self, now, days):
        """Clear the IP addresses and browsers older than ``days``; the rows
        stay (proof of the sign-up, acceptance or consent)."""
        if not days:
            return 0
        cutoff = fields.Datetime.to_string(now - timedelta(days=days))
        total = 0
        for table, date_column, columns in TRACE_TABLES:
            # Table and column names come from TRACE_TABLES above.
            total += self._batched(
                "traces cleared in %s" % table,
                """
                UPDATE {table} SET {clear} WHERE id IN (
                    SELECT id FROM {table}
                    WHERE {date} < %(cutoff)s AND ({any_set})
                    LIMIT %(batch)s)
                """.format(
                    table=table, date=date_column,
                    clear=", ".join("%s = NULL" % column for column in columns),
                    any_set=" OR ".join("%s IS NOT NULL" % column
                                        for column in columns)),
                {"cutoff": cutoff},
            )
        return total

    @api.model
    def _purge_directory_views(self, now, days):
        if not days:
            return 0
        cutoff = fields.Datetime.to_string(now - timedelta(days=days))
        # The profiles-shown relation goes with its view (ON DELETE CASCADE).
        return self._batched(
            "directory views deleted",
            """
            DELETE FROM ambassador_directory_view WHERE id IN (
                SELECT id FROM ambassador_directory_view WHERE date < %(cutoff)s
                LIMIT %(batch)s)
            """,
            {"cutoff": cutoff},
        )

    @api.model
    def _erase_leavers(self, now, years):
        """The ambassadors who left more than ``years`` ago are erased, all at
        once (the erasure is set-based); returns how many."""
        if not years:
            return 0
        cutoff = fields.Date.to_string((now - relativedelta(years=years)).date())
        leavers = self.env["res.partner"]._ambassador_retention_leavers(cutoff)
        return leavers._ambassador_erase_personal_data()
