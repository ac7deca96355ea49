# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .safe_url import URL_MAX, is_http_url, safe_href

# Files shown as images on the documents page (with their text alternative).
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp", "svg")


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
    file_is_image = fields.Boolean(
        compute="_compute_file_is_image",
        help="The file is an image: it needs a text alternative.",
    )
    file_format = fields.Char(
        compute="_compute_file_details",
        help="The file's format and size, said next to its download link "
        "(RGAA 13.3).",
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

    @api.depends("file_name")
    def _compute_file_is_image(self):
        for document in self:
            document.file_is_image = _extension(document.file_name) in IMAGE_EXTENSIONS

    def _compute_file_details(self):
        # sudo: the attachments of the field ``file`` hold its size; the caller
        # already reads these documents (record rules), one query for all.
        attachments = self.env["ir.attachment"].sudo().search_read(
            [("res_model", "=", self._name), ("res_field", "=", "file"),
             ("res_id", "in", self.ids)], ["res_id", "file_size"])
        sizes = {row["res_id"]: row["file_size"] for row in attachments}
        for document in self:
            extension = _extension(document.file_name)
            size = sizes.get(document.id)
            if not extension and not size:
                document.file_format = False
                continue
            parts = [extension.upper()] if extension else []
            if size:
                parts.append(document._human_size(size))
            document.file_format = ", ".join(parts)

    def _human_size(self, size):
        """A file size the way people read it, in the user's language (KB is
        "Ko" in French)."""
        if size < 1024:
            return _("%(size)d bytes") % {"size": size}
        if size < 1024 * 1024:
            return _("%(size).0f KB") % {"size": size / 1024.0}
        return _("%(size).1f MB") % {"size": size / 1024.0 / 1024.0}

    @api.constrains("file_name", "alt_text", "active")
    def _check_alt_text(self):
        for document in self:
            if document.active and document.file_is_image and not (
                    document.alt_text or "").strip():
                raise ValidationError(
                    _("Describe the image of \"%(name)s\" in its text "
                      "alternative: screen readers read it to those who cannot "
                      "see it.") % {"name": document.name}
                )

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


def _extension(file_name):
    if not file_name or "." not in file_name:
        return ""
    return file_name.rsplit(".", 1)[1].lower()[:8]
