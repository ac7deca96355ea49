# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .authority import is_engine


class EventRegistration(models.Model):
    """Registrations to events reserved to ambassadors are checked here, whatever
    the route (website, backend, RPC): eligibility and guests per ambassador.
    Attendance awards points once per ambassador and event."""

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
        """An explicit override, only from event staff (or server code holding
        the engine's capability, which never takes this value from a visitor:
        see the website controller, which strips it). Not "uid 1": in 11.0 the
        admin account is the superuser and integrators use it over RPC."""
        if not vals.get("ambassador_override"):
            return False
        return is_engine(self.env) or self.env.user.has_group(
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
            if not refusal and vals.get("state") != "cancel":
                event._ambassador_lock_registrations()
                refusal = event._ambassador_guest_refusal(partner)
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
        self._ambassador_check_guests_before_write(vals)
        attending = self.browse()
        if vals.get("state") == "done":
            attending = self.filtered(lambda r: r.state != "done")
        result = super(EventRegistration, self).write(vals)
        if attending:
            attending._ambassador_award_attendance()
        return result

    @api.multi
    def _ambassador_check_guests_before_write(self, vals):
        """Refuse a write that would give an ambassador more registrations to a
        restricted event than it allows: moving registrations to another
        ambassador or event, or re-opening cancelled ones. One query."""
        moving = "partner_id" in vals or "event_id" in vals
        reopening = vals.get("state", "cancel") != "cancel"
        if not (moving or reopening) or vals.get("ambassador_override"):
            return
        # sudo: the override flag is staff-only; read for whoever writes.
        growing = self.sudo().filtered(
            lambda r: not r.ambassador_override
            and vals.get("state", r.state) != "cancel"
            and (moving or r.state == "cancel")
        )
        adding = {}
        for registration in growing:
            key = (
                vals.get("event_id", registration.event_id.id),
                vals.get("partner_id", registration.partner_id.id),
            )
            if all(key):
                adding[key] = adding.get(key, 0) + 1
        events = self.env["event.event"].browse({key[0] for key in adding})
        restricted = events.filtered("ambassador_restricted")
        adding = {
            key: count for key, count in adding.items() if key[0] in restricted.ids
        }
        if not adding:
            return
        restricted._ambassador_lock_registrations()
        self.env.cr.execute(
            """
            SELECT event_id, partner_id, COUNT(*) FROM event_registration
            WHERE state != 'cancel' AND (event_id, partner_id) IN %s
              AND id NOT IN %s
            GROUP BY event_id, partner_id
            """,
            (tuple(adding), tuple(growing.ids)),
        )
        held = {(row[0], row[1]): row[2] for row in self.env.cr.fetchall()}
        for (event_id, partner_id), count in sorted(adding.items()):
            event = restricted.browse(event_id)
            allowed = 1 + event.ambassador_guest_limit
            before = held.get((event_id, partner_id), 0)
            if before + count > allowed:
                raise ValidationError(
                    event._ambassador_guest_text(
                        self.env["res.partner"].browse(partner_id),
                        max(allowed - before, 0),
                    )
                )

    @api.multi
    def _ambassador_award_attendance(self):
        """One ledger line per ambassador and event, however many of its
        registrations are attended (website_event gives the signed-in visitor's
        contact to every attendee row of its form), through the event's point
        rule, for active ambassadors of a segment the rule applies to. Partial
        unique indexes on the ledger refuse a second line per registration and
        per ambassador and event, even from concurrent transactions."""
        # Reading the programme's configuration (rule, ambassador state) on behalf
        # of event staff, who need no access to it.
        registrations = self.sudo().filtered(
            lambda r: r.event_id.ambassador_attendance_rule_id
            and r.partner_id.ambassador_state == "active"
        )
        if not registrations:
            return self.env["ambassador.point.transaction"]
        awarded_registrations, awarded = registrations._ambassador_awarded()
        awards = []
        for registration in registrations.sorted("id"):
            event = registration.event_id
            rule = event.ambassador_attendance_rule_id
            partner = registration.partner_id
            key = (partner.id, event.id)
            if (
                key in awarded
                or registration.id in awarded_registrations
                or partner.ambassador_segment_id not in rule.segment_ids
            ):
                continue
            awards.append(
                {
                    "partner_id": partner.id,
                    "rule_id": rule.id,
                    "points": rule.points,
                    "origin": "event",
                    "event_id": event.id,
                    "event_registration_id": registration.id,
                    "note": event.name,
                }
            )
            awarded.add(key)
        # The attendance is decided by event staff, who need not be programme
        # staff; the ledger lines are its consequence, written by the system in
        # one award (tiers evaluated once for the batch).
        return self.env["ambassador.point.transaction"].sudo()._award(awards)

    @api.multi
    def _ambassador_awarded(self):
        """Attendance lines already in the ledger for these registrations or for
        their ambassadors at their events: the registration ids, and the
        (partner, event) pairs. Lines written before the ledger carried the
        event are found through their registration's event. One query."""
        self.env.cr.execute(
            """
            SELECT t.event_registration_id, t.partner_id,
                   COALESCE(t.event_id, r.event_id)
            FROM ambassador_point_transaction t
            LEFT JOIN event_registration r ON r.id = t.event_registration_id
            WHERE t.origin = 'event'
              AND (t.event_registration_id IN %(registrations)s
                   OR (t.partner_id IN %(partners)s
                       AND COALESCE(t.event_id, r.event_id) IN %(events)s))
            """,
            {
                "registrations": tuple(self.ids),
                "partners": tuple(self.mapped("partner_id").ids),
                "events": tuple(self.mapped("event_id").ids),
            },
        )
        rows = self.env.cr.fetchall()
        return {row[0] for row in rows}, {(row[1], row[2]) for row in rows}
