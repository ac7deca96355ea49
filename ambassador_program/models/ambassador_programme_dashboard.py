# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from .res_partner_staff import dormant_sql


# The dormancy period is read from the settings when the view is read (a
# mistyped value falls back on 6 months, as programme_params does).
MONTHS_SQL = """COALESCE((
    SELECT CASE WHEN trim(value) ~ '^[0-9]{1,4}$' AND trim(value)::int > 0
                THEN trim(value)::int END
    FROM ir_config_parameter
    WHERE key = 'ambassador_program.dormant_months'), 6)"""

VIEW_SQL = """
    CREATE VIEW ambassador_programme_dashboard AS (
    WITH period AS (SELECT {months} AS months),
    today AS (SELECT (now() AT TIME ZONE 'UTC') AS now),
    people AS (
        SELECT p.ambassador_segment_id AS segment_id,
               COUNT(*) FILTER (WHERE p.ambassador_state = 'active') AS active,
               COUNT(*) FILTER (WHERE p.ambassador_state = 'candidate')
                   AS candidate,
               COUNT(*) FILTER (
                   WHERE p.ambassador_since
                        >= (SELECT now FROM today)::date - 7)
                   AS recruit_week,
               COUNT(*) FILTER (
                   WHERE p.ambassador_since
                        >= (SELECT now FROM today)::date - 30)
                   AS recruit_month
        FROM res_partner p
        WHERE p.ambassador_state IS NOT NULL
        GROUP BY p.ambassador_segment_id
    ),
    proofs AS (
        SELECT pr.segment_id,
               COUNT(*) AS waiting,
               COUNT(*) FILTER (
                   WHERE pr.create_date
                        < (SELECT now FROM today) - interval '7 days')
                   AS late,
               MAX(EXTRACT(DAY FROM (SELECT now FROM today) - pr.create_date))
                   AS oldest
        FROM ambassador_proof pr
        WHERE pr.state = 'submitted'
        GROUP BY pr.segment_id
    ),
    changes AS (
        SELECT c.segment_id,
               COUNT(*) AS queue,
               COUNT(*) FILTER (WHERE c.reason = 'annual_review') AS review,
               COUNT(*) FILTER (
                   WHERE c.reason = 'annual_review'
                     AND c.review_deadline < (SELECT now FROM today)::date)
                   AS overdue
        FROM ambassador_promotion c
        WHERE c.state = 'proposed'
        GROUP BY c.segment_id
    ),
    dormant AS (
        SELECT p.ambassador_segment_id AS segment_id, COUNT(*) AS dormant
        FROM res_partner p WHERE p.id IN ({dormant})
        GROUP BY p.ambassador_segment_id
    ),
    figures AS (
        SELECT s.id AS segment_id, s.sequence, s.color,
               COALESCE(people.active, 0) AS active,
               COALESCE(people.candidate, 0) AS candidate,
               COALESCE(people.recruit_week, 0) AS recruit_week,
               COALESCE(people.recruit_month, 0) AS recruit_month,
               COALESCE(proofs.waiting, 0) AS waiting,
               COALESCE(proofs.late, 0) AS late,
               COALESCE(proofs.oldest, 0) AS oldest,
               COALESCE(changes.queue, 0) AS queue,
               COALESCE(changes.review, 0) AS review,
               COALESCE(changes.overdue, 0) AS overdue,
               COALESCE(dormant.dormant, 0) AS dormant
        FROM ambassador_segment s
        LEFT JOIN people ON people.segment_id = s.id
        LEFT JOIN proofs ON proofs.segment_id = s.id
        LEFT JOIN changes ON changes.segment_id = s.id
        LEFT JOIN dormant ON dormant.segment_id = s.id
        WHERE s.active
    )
    -- The whole programme first (id 1), then each segment (even ids).
    SELECT 1 AS id, NULL::int AS segment_id, 0 AS sequence, 0 AS color,
           (SELECT COALESCE(SUM(active), 0) FROM people)::int
               AS active_count,
           (SELECT COALESCE(SUM(candidate), 0) FROM people)::int
               AS candidate_count,
           (SELECT COALESCE(SUM(recruit_week), 0) FROM people)::int
               AS recruit_week_count,
           (SELECT COALESCE(SUM(recruit_month), 0) FROM people)::int
               AS recruit_month_count,
           (SELECT COALESCE(SUM(waiting), 0) FROM proofs)::int
               AS proof_waiting_count,
           (SELECT COALESCE(SUM(late), 0) FROM proofs)::int
               AS proof_late_count,
           (SELECT COALESCE(MAX(oldest), 0) FROM proofs)::int
               AS proof_oldest_days,
           (SELECT COALESCE(SUM(queue), 0) FROM changes)::int
               AS committee_count,
           (SELECT COALESCE(SUM(review), 0) FROM changes)::int
               AS review_due_count,
           (SELECT COALESCE(SUM(overdue), 0) FROM changes)::int
               AS review_overdue_count,
           (SELECT COALESCE(SUM(dormant), 0) FROM dormant)::int
               AS dormant_count,
           (SELECT COALESCE(SUM(target_count), 0) FROM ambassador_tier
            WHERE active)::int AS target_count,
           COALESCE(ROUND((SELECT SUM(active) FROM people) * 100.0
               / NULLIF((SELECT SUM(target_count) FROM ambassador_tier
                         WHERE active), 0)), 0)::int AS target_percent,
           COALESCE(ROUND((SELECT SUM(dormant) FROM dormant) * 100.0
               / NULLIF((SELECT SUM(active) FROM people), 0)), 0)::int
               AS dormant_percent
    UNION ALL
    SELECT 2 * segment_id, segment_id, 1 + sequence, color,
           active::int, candidate::int, recruit_week::int,
           recruit_month::int, waiting::int, late::int, oldest::int,
           queue::int, review::int, overdue::int, dormant::int, 0, 0,
           COALESCE(ROUND(dormant * 100.0 / NULLIF(active, 0)), 0)::int
    FROM figures
    )
"""


def view_sql(env):
    """VIEW_SQL for this database (constant SQL pieces only: no value from
    outside)."""
    return VIEW_SQL.format(
        months=MONTHS_SQL,
        dormant=dormant_sql(env).replace(
            "%(months)s", "(SELECT months FROM period)"),
    )


class AmbassadorProgrammeDashboard(models.Model):
    """The community manager's dashboard (guideline 12): one card per segment
    and one for the whole programme, each figure counted set-based in one SQL
    view (aggregates over the contacts, proofs and status changes, nothing per
    ambassador). Each figure opens the records behind it."""

    _name = "ambassador.programme.dashboard"
    _description = "Ambassador Programme Dashboard"
    _auto = False
    _order = "sequence, id"

    segment_id = fields.Many2one(
        "ambassador.segment", readonly=True,
        help="Empty on the card of the whole programme.",
    )
    sequence = fields.Integer(readonly=True)
    color = fields.Integer(readonly=True)
    active_count = fields.Integer(string="Active Ambassadors", readonly=True)
    candidate_count = fields.Integer(string="Candidates", readonly=True)
    recruit_week_count = fields.Integer(
        string="Recruits in the Last 7 Days", readonly=True
    )
    recruit_month_count = fields.Integer(
        string="Recruits in the Last 30 Days", readonly=True
    )
    proof_waiting_count = fields.Integer(string="Proofs Waiting", readonly=True)
    proof_late_count = fields.Integer(
        string="Proofs Waiting over 7 Days", readonly=True
    )
    proof_oldest_days = fields.Integer(
        string="Oldest Proof Waiting (days)", readonly=True
    )
    committee_count = fields.Integer(string="Committee Queue", readonly=True)
    review_due_count = fields.Integer(string="Yearly Reviews Open", readonly=True)
    review_overdue_count = fields.Integer(
        string="Reviews past their Deadline", readonly=True
    )
    dormant_count = fields.Integer(string="Dormant Ambassadors", readonly=True)
    dormant_percent = fields.Integer(
        string="% Dormant", readonly=True,
        help="Dormant ambassadors as a share of the active ones, in percent.",
    )
    target_count = fields.Integer(
        string="Target Headcount", readonly=True,
        help="The sum of the tiers' targets (whole programme only: targets are "
        "set per tier, not per segment).",
    )
    target_percent = fields.Integer(
        string="% of Target", readonly=True,
        help="Active ambassadors as a share of the target headcount, in percent.",
    )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """The dormant share of each group (pivot, graph) from its sums: a
        percentage is not added up."""
        wanted = "dormant_percent" in fields
        if wanted:
            fields = [f for f in fields if f != "dormant_percent"]
            fields += [f for f in ("dormant_count", "active_count")
                       if f not in fields]
        groups = super(AmbassadorProgrammeDashboard, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby,
            lazy=lazy,
        )
        if wanted:
            for group in groups:
                active = group.get("active_count") or 0
                group["dormant_percent"] = int(round(
                    (group.get("dormant_count") or 0) * 100.0 / active
                )) if active else 0
        return groups

    @api.model_cr
    def init(self):
        # After every model's table exists: dormancy reads the missions'
        # participations, whose model may be set up after this one.
        self.pool.post_init(self._create_view)

    @api.model
    def _create_view(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(view_sql(self.env))

    # ------------------------------------------------------------------
    # What each figure opens
    # ------------------------------------------------------------------
    def _kpi_actions(self):
        """{kpi: (action xml id, domain, context)} the cards' buttons open."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        week = fields.Date.to_string(today - timedelta(days=7))
        month = fields.Date.to_string(today - timedelta(days=30))
        return {
            "active": ("ambassador_program.action_ambassador_partner",
                       [("ambassador_state", "=", "active")], {}),
            "candidate": ("ambassador_program.action_ambassador_partner",
                          [("ambassador_state", "=", "candidate")], {}),
            "recruit_week": ("ambassador_program.action_ambassador_recruits",
                             [("ambassador_since", ">=", week)], {}),
            "recruit_month": ("ambassador_program.action_ambassador_recruits",
                              [("ambassador_since", ">=", month)], {}),
            "proofs": ("ambassador_program.action_ambassador_proof",
                       [("state", "=", "submitted")], {}),
            "committee": ("ambassador_program.action_ambassador_committee_queue",
                          [("state", "=", "proposed")], {}),
            "reviews": ("ambassador_program.action_ambassador_committee_queue",
                        [("state", "=", "proposed"),
                         ("reason", "=", "annual_review")], {}),
            "dormant": ("ambassador_program.action_ambassador_partner",
                        [("ambassador_dormant", "=", True)], {}),
            "tiers": ("ambassador_program.action_ambassador_tier_report", [], {}),
        }

    @api.multi
    def action_open_kpi(self):
        """Open the records behind one figure of this card (the figure named
        by the button's context key ``ambassador_kpi``), for its segment."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        kpi = self.env.context.get("ambassador_kpi")
        actions = self._kpi_actions()
        if kpi not in actions:
            raise UserError(_("This figure opens nothing."))
        xml_id, domain, context = actions[kpi]
        action = self.env.ref(xml_id).read()[0]
        if self.segment_id and kpi != "tiers":
            field = ("ambassador_segment_id"
                     if xml_id.endswith(("_partner", "_recruits")) else "segment_id")
            domain = domain + [(field, "=", self.segment_id.id)]
        if domain:
            action["domain"] = domain
        action["context"] = dict(context)
        return action
