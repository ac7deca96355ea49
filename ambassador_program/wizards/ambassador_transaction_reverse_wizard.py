# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorTransactionReverseWizard(models.TransientModel):
    """Reverses ledger lines with the reason kept on the reversing lines."""

    _name = "ambassador.transaction.reverse.wizard"
    _description = "Reverse Ambassador Ledger Lines"

    transaction_ids = fields.Many2many(
        "ambassador.point.transaction",
        "ambassador_reverse_wizard_transaction_rel",
        "wizard_id",
        "transaction_id",
        string="Lines",
        required=True,
    )
    reason = fields.Char(required=True)

    def action_reverse(self):
        self.ensure_one()
        self.transaction_ids.action_reverse(self.reason)
        return {"type": "ir.actions.act_window_close"}
