# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorTierThreshold(models.Model):
    """Points a segment needs to reach a tier; no line means unreachable."""

    _name = "ambassador.tier.threshold"
    _description = "Ambassador Tier Threshold"
    _order = "segment_id, tier_sequence, id"

    tier_id = fields.Many2one(
        "ambassador.tier", required=True, ondelete="cascade", index=True
    )
    tier_sequence = fields.Integer(
        related="tier_id.sequence", store=True, readonly=True
    )
    segment_id = fields.Many2one(
        "ambassador.segment", required=True, ondelete="cascade", index=True
    )
    points = fields.Integer(required=True)

    _sql_constraints = [
        (
            "tier_segment_unique",
            "unique(tier_id, segment_id)",
            "A tier has one threshold per segment.",
        ),
        ("points_positive", "CHECK(points >= 0)", "A threshold cannot be negative."),
    ]
