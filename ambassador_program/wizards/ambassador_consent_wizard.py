# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.res_partner import CONSENT_PURPOSES, CONSENT_REASON_KEY


class AmbassadorConsentWizard(models.TransientModel):
    """Programme staff record a consent change an ambassador asked for (by
    phone, letter, at an event): the flags and the reason, which the consent
    log keeps with who recorded it."""

    _name = "ambassador.consent.wizard"
    _description = "Record Ambassador Consents"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    reason = fields.Char(
        required=True,
        help="How the ambassador expressed this choice (e.g. letter of 3 May).",
    )
    ambassador_consent_newsletter = fields.Boolean(string="Newsletter")
    ambassador_consent_wall = fields.Boolean(string="Public Thanks")
    ambassador_show_email = fields.Boolean(string="Show E-mail")
    ambassador_show_phone = fields.Boolean(string="Show Phone")
    ambassador_show_company = fields.Boolean(string="Show Company")
    ambassador_show_city = fields.Boolean(string="Show City")
    ambassador_show_skills = fields.Boolean(string="Show Skills")
    ambassador_consent_leaderboard = fields.Boolean(
        string="Leaderboards and Badges")
    # The text each consent's log row will copy, in the ambassador's language:
    # shown next to its checkbox so that staff record what the person read.
    text_newsletter = fields.Text(compute="_compute_texts")
    text_wall = fields.Text(compute="_compute_texts")
    text_email = fields.Text(compute="_compute_texts")
    text_phone = fields.Text(compute="_compute_texts")
    text_company = fields.Text(compute="_compute_texts")
    text_city = fields.Text(compute="_compute_texts")
    text_skills = fields.Text(compute="_compute_texts")
    text_leaderboard = fields.Text(compute="_compute_texts")

    @api.depends("partner_id")
    def _compute_texts(self):
        for wizard in self:
            # sudo: the language of the wizard's own contact, to show the
            # texts the consent log will copy (published texts, public).
            lang = wizard.partner_id.sudo().lang or self.env.lang
            texts = wizard.partner_id.with_context(
                lang=lang)._ambassador_consent_texts()
            for name in CONSENT_PURPOSES:
                text_field = "text_" + name.split("_")[-1]
                wizard[text_field] = texts.get(name, False)

    @api.model
    def default_get(self, fields_list):
        values = super(AmbassadorConsentWizard, self).default_get(fields_list)
        partner = self.env["res.partner"].browse(
            values.get("partner_id") or self.env.context.get("active_id")
        )
        if partner.exists():
            values["partner_id"] = partner.id
            for name in CONSENT_PURPOSES:
                values[name] = partner[name]
        return values

    @api.multi
    def action_record(self):
        self.ensure_one()
        changes = {
            name: self[name]
            for name in CONSENT_PURPOSES
            if self[name] != self.partner_id[name]
        }
        if changes:
            # As the user: res.partner checks programme staff and the reason.
            self.partner_id.with_context(
                **{CONSENT_REASON_KEY: self.reason}
            ).write(changes)
        return {"type": "ir.actions.act_window_close"}
