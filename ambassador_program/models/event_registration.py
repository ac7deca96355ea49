# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError


class EventRegistration(models.Model):
    """Registrations to events reserved to ambassadors are checked here, whatever
    the route (website, backend, RPC); attendance awards points once."""

    _inherit = "event.registration"

    ambassador_override = fields.Boolean(
        string="Eligibility Overridden",
        copy=False,
        groups="event.group_event_user",
        help="Set by event staff to register someone outside the tiers and "
        "segments the event is reserved to.",
    )
    ambassador_transaction_ids = fields.One2many(
        "ambassador.point.transaction",
        "event_registration_id",
        string="Attendance Points",
        readonly=True,
        groups="ambassador_program.group_ambassador_user",
    )

    @api.model
    def _ambassador_staff_override(self, vals):
        """An explicit override, only from event staff (or code running as
        superuser, which never takes this value from a visitor: see the website
        controller, which strips it)."""
        if not vals.get("ambassador_override"):
            return False
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "event.group_event_user"
        )

    @api.model
    def create(self, vals):
        override = self._ambassador_staff_override(vals)
        if not override:
            vals.pop("ambassador_override", None)
        event = self.env["event.event"].browse(vals.get("event_id"))
        if event.exists() and event.ambassador_restricted and not override:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            refusal = event._ambassador_registration_refusal(partner)
            if refusal:
                raise ValidationError(refusal)
        registration = super(EventRegistration, self).create(vals)
        if registration.state == "done":
            registration._ambassador_award_attendance()
        return registration

    @api.multi
    def write(self, vals):
        if "ambassador_override" in vals and not self._ambassador_staff_override(
            {"ambassador_override": True}
        ):
            vals = dict(vals)
            vals.pop("ambassador_override")
        if "partner_id" in vals or "event_id" in vals:
            for registration in self:
                if registration.ambassador_override and "event_id" not in vals:
                    continue
                event = self.env["event.event"].browse(
                    vals.get("event_id", registration.event_id.id)
                )
                partner = self.env["res.partner"].browse(
                    vals.get("partner_id", registration.partner_id.id)
                )
                refusal = event._ambassador_registration_refusal(partner)
                if refusal and not vals.get("ambassador_override"):
                    raise ValidationError(refusal)
        attending = self.browse()
        if vals.get("state") == "done":
            attending = self.filtered(lambda r: r.state != "done")
        result = super(EventRegistration, self).write(vals)
        if attending:
            attending._ambassador_award_attendance()
        return result

    @api.multi
    def _ambassador_award_attendance(self):
        """One ledger line per attended registration, through the event's point
        rule, for active ambassadors of a segment the rule applies to. The
        partial unique index on the ledger refuses a second line."""
        # Reading the programme's configuration (rule, ambassador state) on behalf
        # of event staff, who need no access to it.
        registrations = self.sudo().filtered(
            lambda r: r.event_id.ambassador_attendance_rule_id
            and r.partner_id.ambassador_state == "active"
        )
        if not registrations:
            return self.env["ambassador.point.transaction"]
        self.env.cr.execute(
            """
            SELECT event_registration_id FROM ambassador_point_transaction
            WHERE origin = 'event' AND event_registration_id IN %s
            """,
            (tuple(registrations.ids),),
        )
        awarded = {row[0] for row in self.env.cr.fetchall()}
        # The attendance is decided by event staff, who need not be programme
        # staff; the ledger line is its consequence, written by the system.
        Ledger = self.env["ambassador.point.transaction"].sudo()
        lines = Ledger.browse()
        for registration in registrations:
            rule = registration.event_id.ambassador_attendance_rule_id
            partner = registration.partner_id
            if (
                registration.id in awarded
                or partner.ambassador_segment_id not in rule.segment_ids
            ):
                continue
            lines |= Ledger.create(
                {
                    "partner_id": partner.id,
                    "rule_id": rule.id,
                    "points": rule.points,
                    "origin": "event",
                    "event_registration_id": registration.id,
                    "note": registration.event_id.name,
                }
            )
            awarded.add(registration.id)
        if lines:
            lines.mapped("partner_id")._ambassador_update_tiers()
        return lines
