# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorDocument(models.Model):
    """A promotional document for ambassadors, by segment and minimum tier.
    Every ambassador may read other segments' documents too (SPEC 2.1)."""

    _name = "ambassador.document"
    _description = "Ambassador Document"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    segment_ids = fields.Many2many(
        "ambassador.segment",
        "ambassador_document_segment_rel",
        "document_id",
        "segment_id",
        string="Segments",
        help="Segments this document is made for; empty for all.",
    )
    min_tier_id = fields.Many2one(
        "ambassador.tier",
        string="Minimum Tier",
        ondelete="restrict",
        help="Lowest tier that can download it; empty for every ambassador.",
    )
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    url = fields.Char(string="Link")
