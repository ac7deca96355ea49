# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .authority import is_engine
from .res_partner import CONSENT_PURPOSES

# Consent field of each purpose that has one (membership holds with the status).
PURPOSE_FIELDS = {purpose: name for name, purpose in CONSENT_PURPOSES.items()}


class ResPartner(models.Model):
    """Consents to re-confirm: lapsed with a new version of their text, or
    brought in from a legacy programme (ambassador.consent._to_reconfirm)."""

    _inherit = "res.partner"

    ambassador_consent_reconfirm = fields.Boolean(
        string="Consents to Re-confirm",
        compute="_compute_ambassador_consent_reconfirm",
        search="_search_ambassador_consent_reconfirm",
        help="A consent lapsed when a new version of its text was published, or "
        "was imported from the former programme: the ambassador space asks the "
        "ambassador to re-confirm it (or withdraw it).",
    )
    ambassador_consent_reconfirm_list = fields.Char(
        string="To Re-confirm", compute="_compute_ambassador_consent_reconfirm",
    )

    @api.multi
    def _compute_ambassador_consent_reconfirm(self):
        # sudo: the staff form shows it; ambassadors see their own consents.
        pending = self.env["ambassador.consent"].sudo()._to_reconfirm(
            [pid for pid in self.ids if isinstance(pid, int)])
        labels = dict(self.env["ambassador.consent"]._fields["purpose"]
                      ._description_selection(self.env))
        for partner in self:
            purposes = pending.get(partner.id, [])
            partner.ambassador_consent_reconfirm = bool(purposes)
            partner.ambassador_consent_reconfirm_list = ", ".join(
                labels.get(purpose, purpose) for purpose in sorted(purposes))

    @api.model
    def _search_ambassador_consent_reconfirm(self, operator, value):
        # sudo: who has a consent to re-confirm, not the log's content.
        ids = list(self.env["ambassador.consent"].sudo()._to_reconfirm())
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    @api.multi
    def _ambassador_consents_to_reconfirm(self):
        """[(consent field or False, purpose label, text now published, still
        holds?)] for the ambassador space's prompt, in the page's language."""
        self.ensure_one()
        # sudo: the caller's own contact (ambassador space).
        pending = self.env["ambassador.consent"].sudo()._to_reconfirm(self.ids).get(
            self.id, [])
        if not pending:
            return []
        texts = self.env["ambassador.consent.purpose"]._current_texts()
        labels = dict(self.env["ambassador.consent"]._fields["purpose"]
                      ._description_selection(self.env))
        partner = self.sudo()
        result = []
        for purpose in sorted(pending):
            field = PURPOSE_FIELDS.get(purpose)
            text = texts.get(purpose)
            result.append((field, labels.get(purpose, purpose),
                           text and text.text or "",
                           bool(field and partner[field])))
        return result

    @api.multi
    def _ambassador_consent_texts(self):
        """{consent field: text now published} in the context's language,
        shown next to each checkbox (sign-up, space, staff wizard)."""
        texts = self.env["ambassador.consent.purpose"]._current_texts()
        return {field: texts[purpose].text
                for purpose, field in PURPOSE_FIELDS.items() if purpose in texts}

    @api.multi
    def _ambassador_reconfirm_membership(self, channel, ip=None):
        """The person confirms its membership under the current text (a
        legacy programme's membership): logged like the other consents. Like
        _ambassador_set_consents, only the person itself."""
        self.ensure_one()
        if not is_engine(self.env) and self != self.env.user.partner_id:
            raise AccessError(_("Only the ambassador changes its own consents."))
        lang = self.env.context.get("lang") or self.lang or "en_US"
        text = self.env["ambassador.consent.purpose"]._current_texts(lang).get(
            "membership")
        # sudo: the log is written by the programme once the person is checked.
        return self.env["ambassador.consent"].sudo().create({
            "partner_id": self.id,
            "purpose": "membership",
            "granted": True,
            "channel": channel,
            "ip_address": ip,
            "user_id": self.env.uid,
            "purpose_text_id": text and text.id,
            "version": text and text.version,
            "text_shown": text and text.text,
            "text_lang": text and lang,
        })
