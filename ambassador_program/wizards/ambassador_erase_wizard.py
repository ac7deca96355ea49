# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "ambassador_program.group_ambassador_manager"


class AmbassadorEraseWizard(models.TransientModel):
    """A programme manager erases a person's data (GDPR article 17) on its
    request, with the reason kept on the anonymous contact's chatter."""

    _name = "ambassador.erase.wizard"
    _description = "Erase a Person's Data"

    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, ondelete="cascade"
    )
    reason = fields.Char(
        required=True,
        help="Kept on the anonymous contact: how the request came (letter, "
        "e-mail, date). Do not write the person's name.",
    )
    confirmed = fields.Boolean(
        string="I understand that this cannot be undone",
    )

    @api.multi
    def action_erase(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only programme managers erase a person's data."))
        self.partner_id.check_access_rule("write")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for the erasure."))
        if not self.confirmed:
            raise UserError(_("Tick the box to confirm: the erasure cannot be "
                              "undone."))
        partner = self.partner_id
        if partner.user_ids.filtered(lambda user: user.has_group("base.group_user")):
            raise UserError(_("This contact is an employee's: its account is "
                              "managed in Settings, not erased here."))
        # sudo: a programme manager, checked above, erases the whole file.
        partner.sudo()._ambassador_erase_personal_data()
        partner.sudo().message_post(
            body=_("Personal data erased by %(user)s. Reason: %(reason)s") % {
                "user": tools.html_escape(self.env.user.name),
                "reason": tools.html_escape(reason)},
            subtype="mail.mt_note")
        _logger.info("Personal data of partner %d erased by user %d",
                     partner.id, self.env.uid)
        return {"type": "ir.actions.act_window_close"}
