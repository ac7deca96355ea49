# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class AmbassadorTierReport(models.Model):
    """Active ambassadors per tier and segment beside each tier's target, for
    the dashboards (one SQL view, nothing per ambassador)."""

    _name = "ambassador.tier.report"
    _description = "Ambassadors per Tier against Targets"
    _auto = False
    _order = "tier_sequence, segment_id"

    tier_id = fields.Many2one("ambassador.tier", readonly=True)
    tier_sequence = fields.Integer(readonly=True)
    segment_id = fields.Many2one("ambassador.segment", readonly=True)
    measure = fields.Selection(
        [("actual", "Ambassadors"), ("target", "Target")], readonly=True
    )
    headcount = fields.Integer(readonly=True, group_operator="sum")
    target_percent = fields.Float(
        string="% of Target",
        readonly=True,
        group_operator="sum",
        help="Active ambassadors as a share of the tier's target headcount.",
    )

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW ambassador_tier_report AS (
                SELECT row_number() OVER () AS id, * FROM (
                    SELECT t.id AS tier_id, t.sequence AS tier_sequence,
                           p.ambassador_segment_id AS segment_id,
                           'actual'::varchar AS measure, COUNT(p.id)::int AS headcount,
                           COALESCE(COUNT(p.id) * 100.0 / NULLIF(t.target_count, 0), 0)
                               AS target_percent
                    FROM ambassador_tier t
                    JOIN res_partner p
                        ON p.ambassador_tier_id = t.id AND p.ambassador_state = 'active'
                    GROUP BY t.id, t.sequence, t.target_count, p.ambassador_segment_id
                    UNION ALL
                    SELECT t.id, t.sequence, NULL, 'target', t.target_count, 0
                    FROM ambassador_tier t WHERE t.active
                ) rows
            )
            """
        )
