# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AmbassadorProof(models.Model):
    """A proof uploaded for a mission (proved by "proof"): approving it awards
    the mission's points (origin "mission", one line per participation: the
    ledger's unique index), not the rule's."""

    _inherit = "ambassador.proof"

    mission_participation_id = fields.Many2one(
        "ambassador.mission.participation", string="Mission Participation",
        index=True, readonly=True, ondelete="restrict",
        help="Set when the proof proves a mission.")
    mission_id = fields.Many2one(
        "ambassador.mission", related="mission_participation_id.mission_id",
        string="Mission", readonly=True, store=True)

    @api.constrains("rule_id", "partner_id")
    def _check_rule_segment(self):
        # A mission's proof goes with the programme's "Mission" rule, which no
        # segment declares by hand: the mission's segments were checked when
        # the ambassador took it.
        others = self.filtered(lambda proof: not proof.mission_participation_id)
        return super(AmbassadorProof, others)._check_rule_segment()

    @api.multi
    def _ambassador_award_values(self):
        if not self.mission_participation_id:
            return super(AmbassadorProof, self)._ambassador_award_values()
        # sudo: the participation of the proof staff approve.
        return self.mission_participation_id.sudo()._award_values(proof=self)

    @api.multi
    def action_approve(self):
        result = super(AmbassadorProof, self).action_approve()
        participations = self.sudo().mapped("mission_participation_id")
        if participations:
            lines = self.sudo().mapped("transaction_ids").filtered(
                lambda line: line.origin == "mission")
            participations._mark_proved(lines)
        return result

    @api.multi
    def action_reject(self, reason):
        result = super(AmbassadorProof, self).action_reject(reason)
        # The ambassador may send another proof of its mission.
        participations = self.sudo().mapped("mission_participation_id").filtered(
            lambda p: p.state == "submitted")
        participations._back_to_taken()
        return result
