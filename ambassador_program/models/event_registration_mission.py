# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class EventRegistration(models.Model):
    """Attending a mission's event proves the participations of missions
    proved by attendance."""

    _inherit = "event.registration"

    @api.multi
    def _ambassador_award_attendance(self):
        lines = super(EventRegistration, self)._ambassador_award_attendance()
        # Attendance is decided by event staff; the mission's award is its
        # consequence, written by the system (as the attendance points are).
        self.env["ambassador.mission.participation"].sudo()._prove_attendance_of(self)
        return lines
