# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql
from .programme_params import int_param
from .res_partner_staff import dormant_months, dormant_sql

_logger = logging.getLogger(__name__)

TEMPLATE = "ambassador_program.mail_template_mission_suggestion"
# Dormant ambassadors handled per round: the missions open to them, the
# cap and the e-mails, each one query or a few per round.
BATCH = 5000
# How many of the newest missions open to it the suggestion names.
MISSIONS_PER_SUGGESTION = 3


def suggestion_interval_days(env):
    """At most one suggestion per this many days to one ambassador."""
    return int_param(env, "reengagement_interval_days", 60, minimum=1)


class AmbassadorReengagement(models.AbstractModel):
    """Re-engagement (guideline 12, the community manager's work): each month,
    every dormant ambassador (res_partner_staff.dormant_sql) who can be
    reached is sent a suggestion naming the newest missions open to it
    (ambassador.mission._open_to_partners), in its language, within the
    contact cap at priority low, at most once per interval; nobody is written
    to when no mission is open to it."""

    _name = "ambassador.reengagement"
    _description = "Ambassador Re-engagement"

    @api.model_cr
    def init(self):
        # Dormancy asks, for each ambassador, whether it registered to an
        # event lately: Odoo does not index the registration's contact.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS ambassador_event_registration_partner_idx
            ON event_registration (partner_id, create_date)
            """
        )

    @api.model
    def _cron_suggest_missions(self):
        return self._suggest_missions()

    @api.model
    def _dormant_to_suggest(self):
        """Ids of the dormant ambassadors to write to: an active contact with a
        usable address, not opted out of bulk e-mails, and no suggestion sent
        within the interval. One query."""
        self.env.cr.execute(
            """
            SELECT p.id FROM res_partner p
            WHERE p.id IN ({dormant}) AND p.active
              AND NOT COALESCE(p.opt_out, FALSE) AND {usable}
              AND NOT EXISTS (
                SELECT 1 FROM ambassador_message_log l
                WHERE l.partner_id = p.id AND l.channel = 'suggestion'
                  AND l.state = 'sent'
                  AND l.date >= (now() AT TIME ZONE 'UTC')
                                - %(interval)s * interval '1 day')
            ORDER BY p.id
            """.format(dormant=dormant_sql(self.env),
                       usable=usable_email_sql("p.email")),
            dict(USABLE_EMAIL_PARAMS, months=dormant_months(self.env),
                 interval=suggestion_interval_days(self.env)),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _suggest_missions(self):
        """Send the suggestions (see the class); returns counts: dormant
        ambassadors to write to, suggestions queued, deferred by the cap,
        left alone for want of an open mission."""
        stats = {"dormant": 0, "suggested": 0, "deferred": 0, "no_mission": 0}
        partner_ids = self._dormant_to_suggest()
        stats["dormant"] = len(partner_ids)
        template = self.env.ref(TEMPLATE)
        Mission = self.env["ambassador.mission"]
        Partner = self.env["res.partner"]
        engine = self.env["ambassador.status.engine"]
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        for start in range(0, len(partner_ids), BATCH):
            batch = partner_ids[start:start + BATCH]
            open_missions = Mission._open_to_partners(batch)
            matched = [pid for pid in batch if open_missions.get(pid)]
            stats["no_mission"] += len(batch) - len(matched)
            allowed = Partner._ambassador_cap_filter(matched, "suggestion")
            stats["deferred"] += len(matched) - len(allowed)
            if not allowed:
                continue
            # _queue_mails records them sent (the template's channel).
            engine._queue_mails(
                template, allowed, {pid: pid for pid in allowed},
                ambassador_suggestions={
                    pid: open_missions[pid][:MISSIONS_PER_SUGGESTION]
                    for pid in allowed},
                ambassador_space_url="%s/my/ambassador" % base_url,
            )
            stats["suggested"] += len(allowed)
        _logger.info("Re-engagement: %(dormant)d dormant ambassadors to write "
                     "to, %(suggested)d suggestions, %(deferred)d deferred by "
                     "the contact cap, %(no_mission)d without an open mission",
                     stats)
        return stats
