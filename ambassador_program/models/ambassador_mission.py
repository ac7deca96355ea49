# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# How taking part in a mission is proved (issue 14): never the ambassador's
# word alone.
PROOF_METHODS = [
    ("share", "Tracked Share (measured clicks)"),
    ("proof", "Proof Upload (approved by staff)"),
    ("attendance", "Attendance (event)"),
    ("survey", "Survey Answer"),
]


class AmbassadorMission(models.Model):
    """A clear ask of the coordinators (guideline 8): share this news, attend
    this fair abroad, write a testimonial, host a delegation, answer a survey;
    for some segments from a minimum tier, during a period, for a number of
    participants at most, earning points through the one award path."""

    _name = "ambassador.mission"
    _description = "Ambassador Mission"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Mission", required=True, translate=True)
    description = fields.Text(
        translate=True, help="What is asked, in a few clear sentences.")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft", required=True, index=True, track_visibility="onchange",
    )
    segment_ids = fields.Many2many(
        "ambassador.segment", "ambassador_mission_segment_rel", "mission_id",
        "segment_id", string="Segments",
        help="Ambassadors of these segments see the mission (all when empty).",
    )
    min_tier_id = fields.Many2one(
        "ambassador.tier", string="Minimum Tier", ondelete="restrict",
        help="Only ambassadors of this tier or a higher one see the mission.",
    )
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="End")
    quota = fields.Integer(
        string="Participants at Most", help="0: no limit.")
    points = fields.Integer(
        help="Points earned by an ambassador whose participation is proved.")
    proof_method = fields.Selection(
        PROOF_METHODS, required=True, default="proof",
        string="Proved by",
    )

    _sql_constraints = [
        ("quota_positive", "CHECK(quota >= 0)", "The quota cannot be negative."),
        ("points_positive", "CHECK(points >= 0)", "Points cannot be negative."),
        ("period", "CHECK(date_end IS NULL OR date_end >= date_start)",
         "A mission cannot end before it starts."),
    ]

    @api.model
    def _open_missions_domain(self, today=None):
        """Missions open today, for anyone (segments and tier apart)."""
        today = today or fields.Date.context_today(self)
        return [
            ("state", "=", "open"), ("date_start", "<=", today),
            "|", ("date_end", "=", False), ("date_end", ">=", today),
        ]

    @api.model
    def _open_to_partners(self, partner_ids, today=None):
        """{partner id: [mission ids]} of the missions open today to each of
        ``partner_ids`` (active ambassadors of one of the mission's segments,
        or any when it has none, whose tier is the minimum or higher), newest
        first. One query whatever the number of ambassadors."""
        if not partner_ids:
            return {}
        today = today or fields.Date.context_today(self)
        self.env.cr.execute(
            """
            SELECT p.id, m.id
            FROM ambassador_mission m
            JOIN res_partner p ON p.id IN %(partners)s
                AND p.ambassador_state = 'active'
            LEFT JOIN ambassador_tier min_tier ON min_tier.id = m.min_tier_id
            LEFT JOIN ambassador_tier tier ON tier.id = p.ambassador_tier_id
            WHERE m.state = 'open' AND m.date_start <= %(today)s
              AND (m.date_end IS NULL OR m.date_end >= %(today)s)
              AND (NOT EXISTS (SELECT 1 FROM ambassador_mission_segment_rel r
                               WHERE r.mission_id = m.id)
                   OR EXISTS (SELECT 1 FROM ambassador_mission_segment_rel r
                              WHERE r.mission_id = m.id
                                AND r.segment_id = p.ambassador_segment_id))
              AND (m.min_tier_id IS NULL
                   OR tier.sequence >= min_tier.sequence)
            ORDER BY p.id, m.date_start DESC, m.id DESC
            """,
            {"partners": tuple(partner_ids), "today": today},
        )
        result = {}
        for partner_id, mission_id in self.env.cr.fetchall():
            result.setdefault(partner_id, []).append(mission_id)
        return result
