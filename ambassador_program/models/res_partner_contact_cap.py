# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

from .ambassador_message_log import CHANNEL_PRIORITY, CHANNELS
from .programme_params import int_param

_logger = logging.getLogger(__name__)

CAP_PARAM = "mailing_cap"  # ambassador_program.mailing_cap, every channel
DEFAULT_CAP = 4
WINDOW_DAYS = 30
PRIORITY_KEYS = ("always", "normal", "low")
CHANNEL_KEYS = {key for key, _label in CHANNELS}

# Messages sent to each of %(ids)s in the rolling window (one index scan:
# ambassador_message_log_sent_idx).
SENT_COUNTS_SQL = """
    SELECT partner_id, COUNT(*) FROM ambassador_message_log
    WHERE partner_id = ANY(%(ids)s) AND state = 'sent'
      AND date >= (now() AT TIME ZONE 'UTC') - %(days)s * interval '1 day'
    GROUP BY partner_id
"""


def contact_cap(env):
    """Most programme messages of priority normal one ambassador receives in
    any rolling 30 days, all channels together (0: no cap)."""
    return int_param(env, CAP_PARAM, DEFAULT_CAP, 0)


def cap_limit(cap, priority):
    """How many messages an ambassador may have received in the window and
    still get one of ``priority`` (None: no limit). Low waits one message
    before the cap: the last slot is a newsletter's, never a digest's."""
    if priority == "always" or not cap:
        return None
    return cap - 1 if priority == "low" else cap


class ResPartner(models.Model):
    """The cross-channel contact cap (guideline 10): every programme message
    to an ambassador is recorded in ambassador.message.log; a message of
    priority normal or low goes only to the ambassadors under the cap."""

    _inherit = "res.partner"

    @api.model
    def _ambassador_within_cap(self, partner_ids, priority):
        """The ids among ``partner_ids`` that may receive one more programme
        message of ``priority`` ("always", "normal", "low") now, in their
        order; one query whatever their number."""
        if priority not in PRIORITY_KEYS:
            raise ValueError("Unknown message priority: %r" % (priority,))
        ids = list(dict.fromkeys(pid for pid in partner_ids if pid))
        limit = cap_limit(contact_cap(self.env), priority)
        if limit is None or not ids:
            return ids
        if limit <= 0:
            return []
        counts = self._ambassador_sent_counts(ids)
        return [pid for pid in ids if counts.get(pid, 0) < limit]

    @api.model
    def _ambassador_sent_counts(self, partner_ids):
        """{partner id: programme messages sent in the window}, one query."""
        self.env.cr.execute(
            SENT_COUNTS_SQL, {"ids": list(partner_ids), "days": WINDOW_DAYS})
        return dict(self.env.cr.fetchall())

    @api.model
    def _ambassador_count_sent(self, partner_ids, channel, priority=None,
                               mass_mailing_id=None):
        """Record one programme message of ``channel`` sent to each of
        ``partner_ids`` (one INSERT). ``priority``: the channel's by default."""
        return self._ambassador_log_messages(
            partner_ids, channel, "sent", priority, mass_mailing_id)

    @api.model
    def _ambassador_record_deferred(self, partner_ids, channel, priority=None,
                                    mass_mailing_id=None):
        """Record the message of ``channel`` held back from each of
        ``partner_ids`` by the cap, with why: the cap itself, or (priority low)
        the last slot kept for newsletters. One INSERT."""
        return self._ambassador_log_messages(
            partner_ids, channel, "deferred", priority, mass_mailing_id)

    @api.model
    def _ambassador_cap_filter(self, partner_ids, channel, priority=None):
        """The ids among ``partner_ids`` under the cap for a message of
        ``channel``; the deferral of the others is recorded. Two queries.
        The caller sends to the ids returned, then records them sent."""
        priority = priority or CHANNEL_PRIORITY[channel]
        allowed = self._ambassador_within_cap(partner_ids, priority)
        kept = set(allowed)
        deferred = [pid for pid in dict.fromkeys(partner_ids) if pid not in kept]
        if deferred:
            self._ambassador_record_deferred(deferred, channel, priority)
            _logger.info("Contact cap: %d %s message(s) deferred",
                         len(deferred), channel)
        return allowed

    @api.model
    def _ambassador_log_messages(self, partner_ids, channel, state, priority=None,
                                 mass_mailing_id=None):
        if channel not in CHANNEL_KEYS:
            raise ValueError("Unknown message channel: %r" % (channel,))
        priority = priority or CHANNEL_PRIORITY[channel]
        if priority not in PRIORITY_KEYS:
            raise ValueError("Unknown message priority: %r" % (priority,))
        ids = [pid for pid in partner_ids if pid]
        if not ids:
            return 0
        cap = contact_cap(self.env)
        # ON CONFLICT: a mailing's row per ambassador and state exists once
        # (ambassador_message_log_mailing_uniq); other rows never conflict.
        self.env.cr.execute(
            """
            WITH target AS (SELECT unnest(%(ids)s::int[]) AS partner_id),
            sent AS ({sent})
            INSERT INTO ambassador_message_log
                (partner_id, segment_id, date, channel, priority, state, reason,
                 mass_mailing_id, message_count, create_uid, create_date,
                 write_uid, write_date)
            SELECT t.partner_id, p.ambassador_segment_id,
                   now() AT TIME ZONE 'UTC', %(channel)s, %(priority)s,
                   %(state)s,
                   CASE WHEN %(state)s = 'sent' THEN NULL
                        WHEN %(cap)s > 0 AND COALESCE(s.count, 0) >= %(cap)s
                        THEN 'cap' WHEN %(priority)s = 'low' THEN 'reserve'
                        ELSE 'cap' END,
                   %(mailing)s, 1, %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
            FROM target t JOIN res_partner p ON p.id = t.partner_id
            LEFT JOIN sent s ON s.partner_id = t.partner_id
            ON CONFLICT DO NOTHING
            """.format(sent=SENT_COUNTS_SQL.replace("%(ids)s", "%(ids)s::int[]")),
            {
                "ids": ids, "days": WINDOW_DAYS, "channel": channel,
                "priority": priority, "state": state, "cap": cap,
                "mailing": mass_mailing_id, "uid": self.env.uid,
            },
        )
        return self.env.cr.rowcount
