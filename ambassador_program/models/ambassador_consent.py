# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .ambassador_charter_acceptance import ACCEPTANCE_CHANNELS

PURPOSES = [
    ("membership", "Programme Membership"),
    ("newsletter", "Newsletter"),
    ("wall", "Public Thanks Wall"),
    ("directory_email", "Directory: E-mail"),
    ("directory_phone", "Directory: Phone"),
    ("directory_company", "Directory: Company"),
    ("directory_city", "Directory: City"),
    ("directory_skills", "Directory: Skills"),
]


LEGAL_BASES = [
    ("consent", "Consent of the Person"),
    ("legacy", "Legacy Programme (to be re-confirmed)"),
]


class AmbassadorConsent(models.Model):
    """Log of consents given or withdrawn, per purpose. The current state lives
    on the contact (off by default); this log says who, when and how."""

    _name = "ambassador.consent"
    _description = "Ambassador Consent"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    purpose = fields.Selection(PURPOSES, required=True, readonly=True)
    granted = fields.Boolean(readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    channel = fields.Selection(ACCEPTANCE_CHANNELS, required=True, readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    legal_basis = fields.Selection(
        LEGAL_BASES,
        required=True,
        default="consent",
        readonly=True,
        help="Legacy programme: the consent was brought in by an import from the "
        "agency's former programme and holds until the person confirms it.",
    )
    reason = fields.Char(
        readonly=True, help="Why programme staff recorded this change for the person."
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, ondelete="set null"
    )

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        # A record of the past: never written again.
        raise UserError(_("The consent log is a record of the past."))
