# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .counting import count_per_record


class AmbassadorCharter(models.Model):
    """A version of the ambassadors' charter. Publishing a new version makes
    every active ambassador accept it again."""

    _name = "ambassador.charter"
    _description = "Ambassador Charter"
    _order = "published_date desc, id desc"

    name = fields.Char(required=True, translate=True)
    version = fields.Char(required=True)
    content = fields.Html(translate=True, required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft",
        required=True,
        readonly=True,
    )
    published_date = fields.Datetime(readonly=True)
    # Who accepted is programme data: the charter itself is public.
    acceptance_ids = fields.One2many(
        "ambassador.charter.acceptance",
        "charter_id",
        string="Acceptances",
        groups="ambassador_program.group_ambassador_user",
    )
    acceptance_count = fields.Integer(
        compute="_compute_acceptance_count",
        groups="ambassador_program.group_ambassador_user",
    )

    _sql_constraints = [
        ("version_unique", "unique(version)", "This charter version already exists."),
    ]

    @api.multi
    def _compute_acceptance_count(self):
        counts = count_per_record(
            self.env["ambassador.charter.acceptance"], "charter_id", self.ids
        )
        for charter in self:
            charter.acceptance_count = counts.get(charter.id, 0)

    @api.model
    def get_current(self):
        return self.sudo().search([("state", "=", "published")], limit=1)

    @api.multi
    def action_publish(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Only a draft charter can be published."))
        self.search([("state", "=", "published")]).write({"state": "archived"})
        self.write({"state": "published", "published_date": fields.Datetime.now()})
        return True

    @api.multi
    def write(self, vals):
        if "content" in vals and self.filtered(lambda c: c.state != "draft"):
            raise UserError(
                _("A published charter is not edited: write a new version.")
            )
        return super(AmbassadorCharter, self).write(vals)
