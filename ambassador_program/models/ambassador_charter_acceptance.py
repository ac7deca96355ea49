# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

ACCEPTANCE_CHANNELS = [
    ("website", "Website Sign-up"),
    ("portal", "Portal"),
    ("email", "E-mail"),
    ("staff", "Staff"),
    ("import", "Import"),
]


class AmbassadorCharterAcceptance(models.Model):
    """Proof that an ambassador accepted a charter version: kept, never edited."""

    _name = "ambassador.charter.acceptance"
    _description = "Ambassador Charter Acceptance"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    charter_id = fields.Many2one(
        "ambassador.charter", required=True, ondelete="restrict", readonly=True
    )
    version = fields.Char(related="charter_id.version", readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    channel = fields.Selection(ACCEPTANCE_CHANNELS, required=True, readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    user_agent = fields.Char(readonly=True)

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        # A record of the past: never written again.
        raise UserError(_("A charter acceptance is a record of the past."))
