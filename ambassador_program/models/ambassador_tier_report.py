# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class AmbassadorTierReport(models.Model):
    """Active ambassadors of each tier beside the tier's target (one SQL view,
    one row per tier, nothing per ambassador). Headcounts and targets are
    separate measures, so that their totals mean something (all active
    ambassadors, the programme's whole target); the share of the target is
    computed for each group from those two sums, never summed itself."""

    _name = "ambassador.tier.report"
    _description = "Ambassadors per Tier against Targets"
    _auto = False
    _order = "tier_sequence"

    tier_id = fields.Many2one("ambassador.tier", readonly=True)
    tier_sequence = fields.Integer(readonly=True)
    headcount = fields.Integer(
        string="Active Ambassadors", readonly=True, group_operator="sum"
    )
    target_count = fields.Integer(
        string="Target Headcount", readonly=True, group_operator="sum"
    )
    target_percent = fields.Float(
        string="% of Target",
        compute="_compute_target_percent",
        digits=(16, 1),
        help="Active ambassadors as a share of the target headcount, in percent "
        "(for a group: its ambassadors against its targets).",
    )

    @staticmethod
    def _share(headcount, target):
        return round(headcount * 100.0 / target, 1) if target else 0.0

    @api.depends("headcount", "target_count")
    def _compute_target_percent(self):
        for row in self:
            row.target_percent = self._share(row.headcount, row.target_count)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """The share of each group (pivot, graph) from its sums: a percentage
        is not added up."""
        wanted = "target_percent" in fields
        if wanted:
            fields = [f for f in fields if f != "target_percent"]
            fields += [f for f in ("headcount", "target_count") if f not in fields]
        groups = super(AmbassadorTierReport, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby,
            lazy=lazy,
        )
        if wanted:
            for group in groups:
                group["target_percent"] = self._share(
                    group.get("headcount") or 0, group.get("target_count") or 0
                )
        return groups

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW ambassador_tier_report AS (
                SELECT t.id AS id, t.id AS tier_id, t.sequence AS tier_sequence,
                       COALESCE(active.headcount, 0)::int AS headcount,
                       COALESCE(t.target_count, 0)::int AS target_count
                FROM ambassador_tier t
                LEFT JOIN (
                    SELECT ambassador_tier_id AS tier_id, COUNT(*) AS headcount
                    FROM res_partner
                    WHERE ambassador_state = 'active' AND ambassador_tier_id IS NOT NULL
                    GROUP BY ambassador_tier_id
                ) active ON active.tier_id = t.id
                WHERE t.active
            )
            """
        )
