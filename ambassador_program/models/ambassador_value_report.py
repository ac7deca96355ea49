# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

# Each family of measures is one aggregate over its table, grouped by year and
# segment; the keys are the union of the families' (year, segment) pairs. Who
# counts, and when:
# - ambassadors: an ambassador (not a candidate) is counted in every year from
#   the year of ``ambassador_since`` to the year it left (current state; the
#   programme keeps no history of suspensions); new ones in the year they
#   joined. Counted from (segment, joined, left) groups, not per person.
# - actions: proofs approved in the year (decision date), event attendances
#   (one per ambassador and event, the event's year), missions proved.
# - points: the ledger's net points of the year in the line's own segment; a
#   reversal counts in its own year (negative), as the ledger does.
# - press: ambassador.value.press.report (approved proofs of a press rule,
#   in the year of publication, else of approval); clicks: the share click report.
# - leads: crm.lead passed on by an ambassador (archived ones included) in the
#   year of creation; won: active, in a stage of probability 100, in the
#   year it closed; segment: the ambassador's.
# - outcomes: each outcome weighted by its attribution shares (normalised
#   to 1) and counted in each attributed ambassador's segment; no
#   attribution: the lead's ambassador's segment, else no segment. The
#   figures of a year's segments therefore add up to the year's outcomes.
#   Amounts are in the company's currency (no conversion).
# - cost: ambassador.value.cost (a programme-wide cost has no segment).
VIEW_SQL = """
CREATE VIEW ambassador_value_report AS (
WITH cohort AS (
    SELECT p.ambassador_segment_id AS segment_id,
           EXTRACT(YEAR FROM p.ambassador_since)::int AS joined,
           CASE WHEN p.ambassador_state = 'left'
                THEN EXTRACT(YEAR FROM COALESCE(p.ambassador_left_date,
                                                p.write_date))::int
           END AS left_year,
           COUNT(*) AS headcount
    FROM res_partner p
    WHERE p.ambassador_state IN ('active', 'suspended', 'left')
      AND p.ambassador_since IS NOT NULL
    GROUP BY 1, 2, 3
),
proofs AS (
    SELECT to_char(pr.decision_date, 'YYYY') AS year, pr.segment_id,
           COUNT(*) AS proof_count
    FROM ambassador_proof pr
    WHERE pr.state = 'approved' AND pr.decision_date IS NOT NULL
    GROUP BY 1, 2
),
press AS (
    SELECT year, segment_id, SUM(mention_count) AS press_count
    FROM ambassador_value_press_report
    GROUP BY 1, 2
),
attendances AS (
    SELECT to_char(e.date_begin, 'YYYY') AS year,
           p.ambassador_segment_id AS segment_id,
           COUNT(DISTINCT (r.partner_id, r.event_id)) AS attendance_count
    FROM event_registration r
    JOIN event_event e ON e.id = r.event_id
    JOIN res_partner p ON p.id = r.partner_id
    WHERE r.state = 'done' AND p.ambassador_state IS NOT NULL
    GROUP BY 1, 2
),
missions AS (
    SELECT to_char(m.date_proved, 'YYYY') AS year, m.segment_id,
           COUNT(*) AS mission_count
    FROM ambassador_mission_participation m
    WHERE m.state = 'proved' AND m.date_proved IS NOT NULL
    GROUP BY 1, 2
),
ledger AS (
    SELECT to_char(t.date, 'YYYY') AS year, t.segment_id,
           SUM(t.points) AS points_net,
           -SUM(t.points) FILTER (WHERE t.origin = 'reversal') AS points_reversed
    FROM ambassador_point_transaction t
    GROUP BY 1, 2
),
clicks AS (
    SELECT to_char(c.click_date, 'YYYY') AS year, c.segment_id,
           SUM(c.click_count) AS click_count
    FROM ambassador_share_click_report c
    GROUP BY 1, 2
),
leads AS (
    SELECT to_char(l.create_date, 'YYYY') AS year,
           p.ambassador_segment_id AS segment_id, COUNT(*) AS lead_count
    FROM crm_lead l
    JOIN res_partner p ON p.id = l.ambassador_partner_id
    GROUP BY 1, 2
),
won AS (
    SELECT to_char(COALESCE(l.date_closed, l.write_date), 'YYYY') AS year,
           p.ambassador_segment_id AS segment_id, COUNT(*) AS won_count
    FROM crm_lead l
    JOIN crm_stage s ON s.id = l.stage_id
    JOIN res_partner p ON p.id = l.ambassador_partner_id
    WHERE l.active AND s.probability = 100
    GROUP BY 1, 2
),
shares AS (
    SELECT a.outcome_id, SUM(a.share) AS total
    FROM ambassador_outcome_attribution a
    GROUP BY a.outcome_id
    HAVING SUM(a.share) > 0
),
weighted AS (
    SELECT a.outcome_id, p.ambassador_segment_id AS segment_id,
           a.share / s.total AS weight
    FROM ambassador_outcome_attribution a
    JOIN shares s ON s.outcome_id = a.outcome_id
    JOIN res_partner p ON p.id = a.partner_id
    UNION ALL
    SELECT o.id, p.ambassador_segment_id, 1.0
    FROM ambassador_outcome o
    LEFT JOIN shares s ON s.outcome_id = o.id
    LEFT JOIN crm_lead l ON l.id = o.lead_id
    LEFT JOIN res_partner p ON p.id = l.ambassador_partner_id
    WHERE s.outcome_id IS NULL
),
outcomes AS (
    SELECT to_char(o.date, 'YYYY') AS year, w.segment_id,
           SUM(w.weight) AS outcome_count,
           SUM(w.weight * COALESCE(o.jobs_announced, 0)) AS jobs_announced,
           SUM(w.weight * COALESCE(o.jobs_3y, 0)) AS jobs_3y,
           SUM(w.weight * COALESCE(o.amount_invested, 0)) AS amount_invested,
           SUM(w.weight) FILTER (WHERE o.kind = 'event') AS events_hosted,
           SUM(w.weight * COALESCE(o.visitors, 0)) AS visitors
    FROM weighted w JOIN ambassador_outcome o ON o.id = w.outcome_id
    GROUP BY 1, 2
),
costs AS (
    SELECT c.year, c.segment_id, SUM(COALESCE(c.budget, 0)) AS budget,
           SUM(COALESCE(c.staff_fte, 0)) AS staff_fte,
           SUM(COALESCE(c.staff_cost, 0)) AS staff_cost
    FROM ambassador_value_cost c
    GROUP BY 1, 2
),
keys AS (
    SELECT year, segment_id FROM proofs
    UNION SELECT year, segment_id FROM press
    UNION SELECT year, segment_id FROM attendances
    UNION SELECT year, segment_id FROM missions
    UNION SELECT year, segment_id FROM ledger
    UNION SELECT year, segment_id FROM clicks
    UNION SELECT year, segment_id FROM leads
    UNION SELECT year, segment_id FROM won
    UNION SELECT year, segment_id FROM outcomes
    UNION SELECT year, segment_id FROM costs
    UNION SELECT joined::text, segment_id FROM cohort
),
years AS (SELECT DISTINCT year FROM keys),
people AS (
    SELECT y.year, c.segment_id,
           SUM(c.headcount) AS active_count,
           SUM(c.headcount) FILTER (WHERE c.joined = y.year::int) AS new_count
    FROM years y
    JOIN cohort c ON c.joined <= y.year::int
                 AND (c.left_year IS NULL OR c.left_year >= y.year::int)
    GROUP BY 1, 2
)
SELECT k.year::int * 100000 + COALESCE(k.segment_id, 0) AS id,
       k.year, k.segment_id,
       COALESCE(people.active_count, 0)::int AS active_count,
       COALESCE(people.new_count, 0)::int AS new_count,
       COALESCE(proofs.proof_count, 0)::int AS proof_count,
       COALESCE(attendances.attendance_count, 0)::int AS attendance_count,
       COALESCE(missions.mission_count, 0)::int AS mission_count,
       (COALESCE(proofs.proof_count, 0) + COALESCE(attendances.attendance_count, 0)
        + COALESCE(missions.mission_count, 0))::int AS action_count,
       COALESCE(ledger.points_net, 0)::int AS points_net,
       COALESCE(ledger.points_reversed, 0)::int AS points_reversed,
       COALESCE(press.press_count, 0)::int AS press_count,
       COALESCE(clicks.click_count, 0)::int AS click_count,
       COALESCE(leads.lead_count, 0)::int AS lead_count,
       COALESCE(won.won_count, 0)::int AS won_count,
       ROUND(COALESCE(outcomes.outcome_count, 0), 2)::float AS outcome_count,
       ROUND(COALESCE(outcomes.jobs_announced, 0), 2)::float AS jobs_announced,
       ROUND(COALESCE(outcomes.jobs_3y, 0), 2)::float AS jobs_3y,
       ROUND(COALESCE(outcomes.amount_invested, 0), 2)::float AS amount_invested,
       ROUND(COALESCE(outcomes.events_hosted, 0), 2)::float AS events_hosted,
       ROUND(COALESCE(outcomes.visitors, 0), 2)::float AS visitors,
       COALESCE(costs.budget, 0)::float AS budget,
       COALESCE(costs.staff_fte, 0)::float AS staff_fte,
       COALESCE(costs.staff_cost, 0)::float AS staff_cost,
       (COALESCE(costs.budget, 0) + COALESCE(costs.staff_cost, 0))::float
           AS total_cost
FROM keys k
LEFT JOIN people ON people.year = k.year
    AND COALESCE(people.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN proofs ON proofs.year = k.year
    AND COALESCE(proofs.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN press ON press.year = k.year
    AND COALESCE(press.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN attendances ON attendances.year = k.year
    AND COALESCE(attendances.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN missions ON missions.year = k.year
    AND COALESCE(missions.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN ledger ON ledger.year = k.year
    AND COALESCE(ledger.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN clicks ON clicks.year = k.year
    AND COALESCE(clicks.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN leads ON leads.year = k.year
    AND COALESCE(leads.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN won ON won.year = k.year
    AND COALESCE(won.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN outcomes ON outcomes.year = k.year
    AND COALESCE(outcomes.segment_id, 0) = COALESCE(k.segment_id, 0)
LEFT JOIN costs ON costs.year = k.year
    AND COALESCE(costs.segment_id, 0) = COALESCE(k.segment_id, 0)
WHERE k.year IS NOT NULL
)
"""

# Ratios: {field: (numerator, denominator)}, computed for each group from
# its sums (a sum of ratios means nothing).
RATIOS = {
    "cost_per_active": ("total_cost", "active_count"),
    "cost_per_lead": ("total_cost", "lead_count"),
    "cost_per_job": ("total_cost", "jobs_announced"),
    "won_percent": ("won_count", "lead_count"),
}


def ratio(numerator, denominator, percent=False):
    if not denominator:
        return 0.0
    return round(numerator * (100.0 if percent else 1.0) / denominator, 2)


class AmbassadorValueReport(models.Model):
    """The value of the programme (issue 15): one row per year and segment,
    every measure one aggregate of its own table (see VIEW_SQL), nothing per
    ambassador. Ratios (cost per active ambassador, per lead, per job) are
    computed for each group of a pivot or graph from the group's sums."""

    _name = "ambassador.value.report"
    _description = "Value of the Ambassador Programme"
    _auto = False
    _order = "year desc, segment_id"
    _rec_name = "year"

    year = fields.Char(readonly=True)
    segment_id = fields.Many2one("ambassador.segment", readonly=True)
    active_count = fields.Integer(
        string="Ambassadors", readonly=True,
        help="Ambassadors in the programme during the year (joined before its "
        "end, not left before its start). Not to be added across years.")
    new_count = fields.Integer(string="New Ambassadors", readonly=True)
    proof_count = fields.Integer(string="Approved Proofs", readonly=True)
    attendance_count = fields.Integer(string="Event Attendances", readonly=True)
    mission_count = fields.Integer(string="Missions Done", readonly=True)
    action_count = fields.Integer(
        string="Actions", readonly=True,
        help="Approved proofs, event attendances and missions done.")
    points_net = fields.Integer(
        string="Points Awarded", readonly=True,
        help="Net points of the ledger in the year (reversals deducted in "
        "the year they were made).")
    points_reversed = fields.Integer(readonly=True)
    press_count = fields.Integer(string="Press Mentions", readonly=True)
    click_count = fields.Integer(string="Share Clicks", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    won_count = fields.Integer(string="Won Leads", readonly=True)
    outcome_count = fields.Float(
        string="Outcomes", readonly=True, digits=(16, 2),
        help="Outcomes weighted by the attribution shares of the segment's "
        "ambassadors.")
    jobs_announced = fields.Float(
        readonly=True, digits=(16, 2))
    jobs_3y = fields.Float(string="Jobs at 3 Years", readonly=True, digits=(16, 2))
    amount_invested = fields.Float(
        readonly=True, digits=(16, 2))
    events_hosted = fields.Float(
        readonly=True, digits=(16, 2))
    visitors = fields.Float(readonly=True, digits=(16, 2))
    budget = fields.Float(string="Budget Spent", readonly=True, digits=(16, 2))
    staff_fte = fields.Float(string="Staff (FTE)", readonly=True, digits=(16, 2))
    staff_cost = fields.Float(readonly=True, digits=(16, 2))
    total_cost = fields.Float(string="Cost", readonly=True, digits=(16, 2))
    cost_per_active = fields.Float(
        string="Cost per Ambassador", compute="_compute_ratios", digits=(16, 2))
    cost_per_lead = fields.Float(compute="_compute_ratios", digits=(16, 2))
    cost_per_job = fields.Float(compute="_compute_ratios", digits=(16, 2))
    won_percent = fields.Float(
        string="% Won", compute="_compute_ratios", digits=(16, 2))

    @api.depends("total_cost", "active_count", "lead_count", "jobs_announced",
                 "won_count")
    def _compute_ratios(self):
        for row in self:
            for name, (num, den) in RATIOS.items():
                row[name] = ratio(row[num], row[den], name == "won_percent")

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Each group's ratios from its own sums."""
        wanted = [name for name in RATIOS if name in fields]
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        fields = list(fields) + [
            name.split(":")[0] for name in groupby
            if name.split(":")[0] not in fields]
        if wanted:
            fields = [f for f in fields if f not in RATIOS]
            for name in wanted:
                fields += [f for f in RATIOS[name] if f not in fields]
        self._no_jit()
        groups = super(AmbassadorValueReport, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby,
            lazy=lazy)
        for group in groups:
            for name in wanted:
                num, den = RATIOS[name]
                group[name] = ratio(group.get(num) or 0, group.get(den) or 0,
                                    name == "won_percent")
        return groups

    @api.model
    def _no_jit(self):
        """PostgreSQL's JIT off for this transaction: the view's estimates
        (a group per ledger line) make it compile the plan for 16 to 30 s
        where the query runs in 1.6 s (scripts/benchmark_value.py at 100,000
        ambassadors and a million ledger lines)."""
        if self.env.cr._cnx.server_version >= 110000:
            self.env.cr.execute("SET LOCAL jit = off")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(VIEW_SQL)

    # ------------------------------------------------------------------
    # The steering committee's yearly report (the PDF's figures)
    # ------------------------------------------------------------------
    MEASURES = [
        "active_count", "new_count", "proof_count", "attendance_count",
        "mission_count", "action_count", "points_net", "points_reversed",
        "press_count", "click_count", "lead_count", "won_count",
        "outcome_count", "jobs_announced", "jobs_3y", "amount_invested",
        "events_hosted", "visitors", "budget", "staff_fte", "staff_cost",
        "total_cost",
    ]

    @api.model
    def _value_year_data(self, year, top=10):
        """The figures of one year for the PDF, in a handful of set-based
        queries whatever the number of ambassadors: the year's totals and its
        segments (read_group on this view), tiers against targets (today's,
        the tier report: tiers keep no history), the top outcomes and the
        press by media country."""
        year = str(year)
        measures = self.MEASURES + list(RATIOS)
        domain = [("year", "=", year)]
        segments = self.read_group(domain, measures, ["segment_id"],
                                   orderby="segment_id", lazy=False)
        # The year's totals: the sums of its segments (one read of the view),
        # the ratios from those sums.
        total = {name: sum(row[name] or 0 for row in segments)
                 for name in self.MEASURES}
        for name, (num, den) in RATIOS.items():
            total[name] = ratio(total[num], total[den], name == "won_percent")
        tiers = self.env["ambassador.tier.report"].search_read(
            [], ["tier_id", "headcount", "target_count", "target_percent"])
        outcomes = self.env["ambassador.outcome"].search(
            [("date", ">=", "%s-01-01" % year), ("date", "<=", "%s-12-31" % year)],
            order="amount_invested desc, jobs_announced desc, visitors desc, id",
            limit=top)
        press = self.env["ambassador.value.press.report"].read_group(
            domain, ["country_id", "mention_count"], ["country_id"],
            orderby="mention_count desc", lazy=False)
        return {
            "year": year,
            "total": total,
            "segments": segments,
            "tiers": tiers,
            "outcomes": outcomes,
            "press": press,
            "currency": self.env.user.company_id.currency_id,
        }

    @api.model
    def _value_years(self):
        """The years that have figures, most recent first."""
        groups = self.read_group([], ["year"], ["year"], orderby="year desc")
        return [group["year"] for group in groups if group["year"]]
