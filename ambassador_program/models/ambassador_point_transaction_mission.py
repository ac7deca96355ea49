# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorPointTransaction(models.Model):
    """Ledger lines earned by missions: one per participation, whatever
    proves it (an approved proof, an attendance, an accepted answer)."""

    _inherit = "ambassador.point.transaction"

    mission_id = fields.Many2one(
        "ambassador.mission", string="Mission", index=True, ondelete="restrict",
        readonly=True)
    mission_participation_id = fields.Many2one(
        "ambassador.mission.participation", string="Mission Participation",
        index=True, ondelete="restrict", readonly=True)

    @api.model_cr
    def init(self):
        result = super(AmbassadorPointTransaction, self).init()
        # One participation, one award: the database refuses a second line
        # even when two proofs are approved, or an attendance and an approval
        # land, at the same moment.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS
                ambassador_point_transaction_mission_once
            ON ambassador_point_transaction (mission_participation_id)
            WHERE origin = 'mission'
            """)
        return result
