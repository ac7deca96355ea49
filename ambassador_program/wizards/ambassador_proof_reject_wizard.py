# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorProofRejectWizard(models.TransientModel):
    """Asks the reason the ambassador will read before rejecting proofs."""

    _name = "ambassador.proof.reject.wizard"
    _description = "Reject Ambassador Proofs"

    proof_ids = fields.Many2many(
        "ambassador.proof",
        "ambassador_reject_wizard_proof_rel",
        "wizard_id",
        "proof_id",
        string="Proofs",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.proof_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
