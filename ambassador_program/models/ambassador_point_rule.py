# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorPointRule(models.Model):
    """An action that earns points, for the segments it applies to."""

    _name = "ambassador.point.rule"
    _description = "Ambassador Point Rule"
    _order = "sequence, id"

    name = fields.Char(string="Action", required=True, translate=True)
    code = fields.Char(help="Stable technical code for integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True, help="What counts and what to send as a proof."
    )
    segment_ids = fields.Many2many(
        "ambassador.segment",
        "ambassador_point_rule_segment_rel",
        "rule_id",
        "segment_id",
        string="Segments",
        required=True,
    )
    points = fields.Integer(required=True)
    is_press = fields.Boolean(
        string="Press Mention",
        help="Proofs of this rule carry structured press evidence (media, country, "
        "language, date) and feed the press database once approved.",
    )
    yearly_cap = fields.Integer(
        string="Yearly Cap (points)",
        help="Most points one ambassador can earn with this rule in a calendar "
        "year (0: no cap).",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The rule code must be unique."),
        (
            "cap_positive",
            "CHECK(yearly_cap >= 0)",
            "The yearly cap cannot be negative.",
        ),
    ]
