# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorQuotaLock(models.Model):
    """One row per quota (the directory of one user, the sign-ups of one
    network or address...) that the requests counting and then using that quota
    write first.

    Odoo runs every request in a REPEATABLE READ transaction: two requests that
    both count the day's rows and then add theirs would each miss the other's
    and let the quota be passed. Writing this row first serialises them: the
    second waits for the first, then PostgreSQL refuses it (could not
    serialize), and Odoo's request wrapper (odoo.service.model.check, around
    every HTTP route and RPC call) replays it in a new transaction that sees
    what the first one wrote. No count of a quota's rows is ever stale."""

    _name = "ambassador.quota.lock"
    _description = "Ambassador Quota Lock"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    stamp = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("key_unique", "unique(key)", "One lock per quota."),
    ]

    @api.model
    def _acquire(self, key):
        """Hold the lock of quota ``key`` until the end of the transaction.
        Raises a serialization failure (replayed by Odoo's request wrapper)
        when a concurrent transaction holds or held it since this one began."""
        self.env.cr.execute(
            """
            INSERT INTO ambassador_quota_lock (key, stamp)
            VALUES (%s, now() at time zone 'UTC')
            ON CONFLICT (key) DO UPDATE SET stamp = EXCLUDED.stamp
            """,
            (key[:256],),
            log_exceptions=False,  # an expected, replayed conflict
        )
        return True

    @api.model
    def _cron_purge(self, days=2):
        """Locks of quotas unused for ``days`` (every quota counts a day at
        most): the table keeps only the recent keys."""
        self.env.cr.execute(
            "DELETE FROM ambassador_quota_lock WHERE stamp < "
            "(now() at time zone 'UTC') - %s * interval '1 day'",
            (days,),
        )
        return self.env.cr.rowcount
