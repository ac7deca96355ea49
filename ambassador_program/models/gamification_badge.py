# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The programme's milestone badges (issue 14), through Odoo's gamification:
one ``gamification.badge`` per milestone (data/ambassador_recognition_data.xml),
granted set-based from the ledger and the proofs (``_ambassador_grant_milestones``,
an hourly cron), never twice (a unique index on gamification.badge.user).

Gamification grants badges to users: an ambassador without a user (a contact
imported or enrolled by staff) gets its badges at the first run after it has
one; nothing is lost, the milestones are read from the ledger and proofs."""
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

MILESTONES = [
    ("first_proof", "First Approved Proof"),
    ("first_referral", "First Referral"),
    ("first_press", "First Press Mention"),
    ("ten_missions", "Ten Missions"),
]
MISSIONS_NEEDED = 10
# The participation model is the missions engineer's (issue 14): a
# participation counts when its state is one of these.
PARTICIPATION_MODEL = "ambassador.mission.participation"
PROVED_STATES = ("proved", "approved", "done")

# The ambassadors (partner ids) who reached each milestone, one SELECT each.
MILESTONE_QUERIES = {
    "first_proof": """
        SELECT DISTINCT partner_id FROM ambassador_proof WHERE state = 'approved'
    """,
    "first_referral": """
        SELECT DISTINCT partner_id FROM ambassador_point_transaction
        WHERE origin = 'referral'
    """,
    "first_press": """
        SELECT DISTINCT pr.partner_id FROM ambassador_proof pr
        JOIN ambassador_point_rule r ON r.id = pr.rule_id
        WHERE pr.state = 'approved' AND r.is_press
    """,
}


class GamificationBadge(models.Model):
    _inherit = "gamification.badge"

    ambassador_milestone = fields.Selection(
        MILESTONES, copy=False,
        help="The programme grants this badge by itself to the ambassadors who "
        "reach this milestone (hourly).",
    )

    _sql_constraints = [
        ("ambassador_milestone_unique", "unique(ambassador_milestone)",
         "One badge per ambassador milestone."),
    ]

    @api.model
    def _ambassador_missions_query(self):
        """The ambassadors with MISSIONS_NEEDED proved participations, or
        None while the missions' participation model is not installed."""
        if PARTICIPATION_MODEL not in self.env:
            return None
        Participation = self.env[PARTICIPATION_MODEL]
        field = Participation._fields.get("state")
        if "partner_id" not in Participation._fields or not field:
            return None
        states = [key for key, _label in field._description_selection(self.env)
                  if key in PROVED_STATES]
        if not states:
            return None
        # Table and states come from the model's definition, not from input.
        return """
            SELECT partner_id FROM {table}
            WHERE state IN ({states})
            GROUP BY partner_id HAVING count(*) >= {needed}
        """.format(table=Participation._table,
                   states=", ".join("'%s'" % state for state in states),
                   needed=MISSIONS_NEEDED)

    @api.model
    def _ambassador_grant_milestones(self):
        """Grant each milestone's badge to the ambassadors (their first active
        user) who reached it and do not hold it: one INSERT per milestone,
        whatever their number; a second run, or a concurrent one, grants
        nothing more (unique index, ON CONFLICT). Returns {milestone: number
        granted}. No e-mail: the space shows the badges."""
        badges = self.sudo().search([("ambassador_milestone", "!=", False)])
        queries = dict(MILESTONE_QUERIES)
        missions = self._ambassador_missions_query()
        if missions:
            queries["ten_missions"] = missions
        granted = {}
        now = fields.Datetime.now()
        for badge in badges:
            query = queries.get(badge.ambassador_milestone)
            if not query:
                continue
            self.env.cr.execute(
                """
                INSERT INTO gamification_badge_user
                    (user_id, badge_id, ambassador_milestone, comment,
                     create_uid, create_date, write_uid, write_date)
                SELECT DISTINCT ON (u.partner_id) u.id, %(badge)s,
                       %(milestone)s, NULL, %(uid)s, %(now)s, %(uid)s, %(now)s
                FROM ({query}) reached
                JOIN res_partner p ON p.id = reached.partner_id
                JOIN res_users u ON u.partner_id = p.id AND u.active
                WHERE p.ambassador_state IS NOT NULL
                  AND NOT EXISTS (
                      SELECT 1 FROM gamification_badge_user g
                      JOIN res_users gu ON gu.id = g.user_id
                      WHERE gu.partner_id = p.id
                        AND g.ambassador_milestone = %(milestone)s)
                ORDER BY u.partner_id, u.id
                ON CONFLICT DO NOTHING
                """.format(query=query),  # a constant of this module
                {"badge": badge.id, "milestone": badge.ambassador_milestone,
                 "uid": self.env.uid, "now": now},
            )
            granted[badge.ambassador_milestone] = self.env.cr.rowcount
        self.env["gamification.badge.user"].invalidate_cache()
        if any(granted.values()):
            _logger.info("Ambassador milestone badges granted: %s", granted)
        return granted

    @api.model
    def _cron_ambassador_milestones(self):
        return self._ambassador_grant_milestones()

    @api.model
    def _ambassador_badges_of(self, partner_ids, opted_in_only=True):
        """{partner id: [(badge id, name, description)]} of the milestone
        badges of ``partner_ids`` (through their users), in the context's
        language, in the milestones' order; only those who joined the
        leaderboards and badges (``ambassador_consent_leaderboard``) unless
        ``opted_in_only`` is false (the person's own space). Two queries."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT DISTINCT u.partner_id, g.badge_id, g.ambassador_milestone
            FROM gamification_badge_user g
            JOIN res_users u ON u.id = g.user_id
            JOIN res_partner p ON p.id = u.partner_id
            WHERE u.partner_id IN %(ids)s AND g.ambassador_milestone IS NOT NULL
              AND (NOT %(opted)s OR p.ambassador_consent_leaderboard)
            """,
            {"ids": tuple(partner_ids), "opted": bool(opted_in_only)},
        )
        rows = self.env.cr.fetchall()
        order = [key for key, _label in MILESTONES]
        # sudo: the badges' names and descriptions (portal users and visitors
        # read badges anyway: gamification's access rights).
        badges = {badge.id: badge for badge in self.sudo().browse(
            list({row[1] for row in rows}))}
        result = {}
        for partner_id, badge_id, milestone in sorted(
                rows, key=lambda row: (row[0], order.index(row[2]))):
            badge = badges[badge_id]
            result.setdefault(partner_id, []).append(
                (badge_id, badge.name, badge.description or ""))
        return result
