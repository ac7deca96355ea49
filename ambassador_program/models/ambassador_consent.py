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
    ("leaderboard", "Leaderboards and Badges"),
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
    # The proof of what the person read: the version, and a copy of its text
    # in the person's language at that moment (a later edit or translation
    # fix of the version does not change what was shown).
    purpose_text_id = fields.Many2one(
        "ambassador.consent.purpose", string="Text Version", readonly=True,
        ondelete="restrict",
    )
    version = fields.Integer(string="Text Version Number", readonly=True)
    text_shown = fields.Text(readonly=True)
    text_lang = fields.Char(string="Language of the Text", readonly=True)
    lapsed = fields.Boolean(
        readonly=True,
        help="Withdrawn by the programme when a new version of the purpose's "
        "text was published: the ambassador is asked to re-confirm.",
    )

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        # A record of the past: never written again.
        raise UserError(_("The consent log is a record of the past."))

    @api.model
    def _to_reconfirm(self, partner_ids=None):
        """{partner id: [purpose, ...]} of the consents to re-confirm: those
        whose last log row lapsed with a new version of the text (withdrawn
        until re-confirmed) or holds from a legacy programme's import (holding
        until re-confirmed). One query on the last row per purpose."""
        where = "WHERE partner_id IN %(ids)s" if partner_ids is not None else ""
        if partner_ids is not None and not partner_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT partner_id, purpose FROM (
                SELECT DISTINCT ON (partner_id, purpose)
                       partner_id, purpose, granted, legal_basis, lapsed
                FROM ambassador_consent {where}
                ORDER BY partner_id, purpose, date DESC, id DESC
            ) last
            WHERE (granted AND legal_basis = 'legacy')
               OR (NOT granted AND lapsed)
            """.format(where=where),
            {"ids": tuple(partner_ids or ())},
        )
        result = {}
        for partner_id, purpose in self.env.cr.fetchall():
            result.setdefault(partner_id, []).append(purpose)
        return result
