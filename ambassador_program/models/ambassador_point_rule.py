# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Rules of the programme's data awarded by the programme itself.
AUTOMATIC_CODES = ("event_attendance", "referral")


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
    auto_awarded = fields.Boolean(
        string="Awarded Automatically",
        help="The programme awards these points itself (event attendance, "
        "referral): ambassadors cannot declare a proof for this action.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The rule code must be unique."),
        (
            "cap_positive",
            "CHECK(yearly_cap >= 0)",
            "The yearly cap cannot be negative.",
        ),
    ]

    @api.multi
    def _ambassador_declarable(self):
        """The rules among these an ambassador may declare a proof for: not
        those the programme awards itself (flagged, or the attendance rule of
        an event). One query, whatever the number of events."""
        if not self:
            return self
        # SQL: ambassadors may not read every event.
        self.env.cr.execute(
            "SELECT DISTINCT ambassador_attendance_rule_id FROM event_event "
            "WHERE ambassador_attendance_rule_id IN %s",
            (tuple(self.ids),),
        )
        attendance = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(
            lambda rule: not rule.auto_awarded and rule.id not in attendance
        )

    @api.model
    def _ambassador_flag_automatic_rules(self):
        """Upgrade: flag the programme's automatic rules while the flag was
        never set (NULL: the column is new), never against a staff choice."""
        self.env.cr.execute(
            "UPDATE ambassador_point_rule SET auto_awarded = TRUE "
            "WHERE auto_awarded IS NULL AND code IN %s",
            (AUTOMATIC_CODES,),
        )
        self.invalidate_cache(["auto_awarded"])
        return True
