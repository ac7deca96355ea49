# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AmbassadorPointAwardWizard(models.TransientModel):
    """Staff add (or withdraw) points by hand, with the reason kept on the
    ledger line. Goes through the one award path, with the user's own rights:
    whoever may not write ledger lines (employees, ambassadors) is refused by it."""

    _name = "ambassador.point.award.wizard"
    _description = "Add Points to an Ambassador"

    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, ondelete="cascade"
    )
    points = fields.Integer(
        required=True, help="Negative to withdraw points (a correction)."
    )
    reason = fields.Char(
        required=True, help="Kept on the ledger line, which the ambassador reads."
    )

    @api.multi
    def action_award(self):
        self.ensure_one()
        if not self.points:
            raise UserError(_("Give a number of points other than zero."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for these points."))
        self.env["ambassador.point.transaction"]._award(
            [
                {
                    "partner_id": self.partner_id.id,
                    "points": self.points,
                    "origin": "manual",
                    "note": reason,
                }
            ]
        )
        return {"type": "ir.actions.act_window_close"}
