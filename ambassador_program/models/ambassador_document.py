# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .safe_url import URL_MAX, is_http_url, safe_href


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
    alt_text = fields.Char(
        string="Text Alternative",
        translate=True,
        help="What the image shows, read by screen readers (RGAA 1.2): "
        "required before an image is offered on the website.",
    )
    url = fields.Char(string="Link")
    safe_url = fields.Char(
        string="Open Link",
        compute="_compute_safe_url",
        help="The link, when it is an http(s) address: only such links are "
        "rendered as links.",
    )

    @api.depends("url")
    def _compute_safe_url(self):
        for document in self:
            document.safe_url = safe_href(document.url)

    @api.constrains("url")
    def _check_url(self):
        for document in self:
            if document.url and not is_http_url(document.url):
                raise ValidationError(
                    _("A link starts with http:// or https:// and has at most %d "
                      "characters.") % URL_MAX
                )

    @api.model
    def create(self, vals):
        return super(AmbassadorDocument, self).create(self._clean_url(vals))

    @api.multi
    def write(self, vals):
        return super(AmbassadorDocument, self).write(self._clean_url(vals))

    @api.model
    def _clean_url(self, vals):
        """A link pasted with spaces around it is still that link."""
        if isinstance(vals.get("url"), str):
            vals = dict(vals, url=vals["url"].strip() or False)
        return vals
