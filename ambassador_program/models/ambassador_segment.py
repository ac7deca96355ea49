# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .counting import count_per_record


class AmbassadorSegment(models.Model):
    """A family of ambassadors (Invest, Study, Visit, Live) with its own sign-up
    form, point rules, tier thresholds, documents and newsletter list."""

    _name = "ambassador.segment"
    _description = "Ambassador Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical code, used in URLs (/ambassadors/join/<code>) "
        "and by integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True, help="Who this segment is for.")
    aim = fields.Char(translate=True, help="Short aim, e.g. 'economic'.")
    signup_field_ids = fields.One2many(
        "ambassador.segment.field",
        "segment_id",
        string="Sign-up Fields",
        copy=True,
        help="What the sign-up form of this segment asks, in this order.",
    )
    threshold_ids = fields.One2many(
        "ambassador.tier.threshold", "segment_id", string="Tier Thresholds", copy=True
    )
    rule_ids = fields.Many2many(
        "ambassador.point.rule",
        "ambassador_point_rule_segment_rel",
        "segment_id",
        "rule_id",
        string="Point Rules",
    )
    document_ids = fields.Many2many(
        "ambassador.document",
        "ambassador_document_segment_rel",
        "segment_id",
        "document_id",
        string="Documents",
    )
    mailing_list_id = fields.Many2one(
        "mail.mass_mailing.list",
        string="Newsletter List",
        ondelete="set null",
        help="Mailing list kept in sync with the active ambassadors of this segment.",
    )
    ambassador_count = fields.Integer(compute="_compute_ambassador_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The segment code must be unique."),
    ]

    @api.multi
    def _compute_ambassador_count(self):
        counts = count_per_record(
            self.env["res.partner"], "ambassador_segment_id", self.ids,
            [("ambassador_state", "=", "active")],
        )
        for segment in self:
            segment.ambassador_count = counts.get(segment.id, 0)
