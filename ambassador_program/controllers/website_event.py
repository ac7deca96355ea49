# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.website_event.controllers.main import WebsiteEventController

# Registration fields a visitor may never set through the website form
# (website_event copies every posted key that is a field of event.registration).
PRIVILEGED_FIELDS = {
    "ambassador_override",
    "ambassador_transaction_ids",
    "state",
    "partner_id",
    "event_id",
    "date_open",
    "date_closed",
    "origin",
    "company_id",
    "id",
    "create_uid",
    "write_uid",
    "message_follower_ids",
    "message_ids",
}


# The registration fields website_event's attendee form asks.
ATTENDEE_FIELDS = {"name", "email", "phone"}
# What website_event's registration form offers (0 to 9).
MAX_ATTENDEES_PER_FORM = 9


class AmbassadorWebsiteEvent(WebsiteEventController):
    """Events reserved to tiers or segments refuse everyone else, including a
    forged POST, and admit each ambassador with at most the guests the event
    allows (every attendee row of the form is a registration of the signed-in
    visitor); event.registration.create checks again."""

    def _ambassador_refusal(self, event, adding=0):
        partner = request.env.user.partner_id
        refusal = event._ambassador_registration_refusal(partner)
        if not refusal and adding:
            refusal = event._ambassador_guest_refusal(partner, adding)
        return refusal

    def _ambassador_refused_page(self, event, refusal):
        return request.render(
            "ambassador_program.event_registration_refused",
            {"event": event, "refusal": refusal},
            status=403,
        )

    @http.route()
    def registration_new(self, event, **post):
        try:
            adding = int(post.get("nb_register-0") or 0)
        except (TypeError, ValueError, OverflowError):
            return False  # website_event's answer when no ticket is asked
        if not 0 <= adding <= MAX_ATTENDEES_PER_FORM:
            # website_event offers 0 to 9 and renders as many attendee rows as
            # asked: 20,000 made a 17 MB answer.
            return False
        refusal = self._ambassador_refusal(event, adding=max(adding, 0))
        if refusal:
            return request.env["ir.ui.view"].render_template(
                "ambassador_program.event_registration_refused_modal",
                {"event": event, "refusal": refusal},
            )
        # website_event's own answer, with the signed-in visitor's details in
        # the first attendee row and a label per field.
        tickets = self._process_tickets_details(post)
        if not tickets:
            return False
        return request.env["ir.ui.view"].render_template(
            "website_event.registration_attendee_details",
            {"tickets": tickets, "event": event,
             "attendee_defaults": self._attendee_defaults(),
             "attendee_labels": {
                 "name": _("Name of attendee %d"),
                 "email": _("E-mail of attendee %d"),
                 "phone": _("Phone of attendee %d (optional)"),
             }},
        )

    def _attendee_defaults(self):
        """Name, e-mail and phone of the signed-in visitor's own contact (none
        for an anonymous visitor)."""
        user = request.env.user
        if user._is_public():
            return {}
        partner = user.partner_id
        return {"name": partner.name, "email": partner.email,
                "phone": partner.phone or partner.mobile}

    @http.route()
    def registration_confirm(self, event, **post):
        rows = self._process_registration_details(post)
        refusal = self._ambassador_refusal(event, adding=len(rows))
        if refusal:
            return self._ambassador_refused_page(event, refusal)
        try:
            # All rows or none: a refusal by the model (e.g. a registration of
            # the same visitor committed meanwhile) leaves nothing written, nor
            # anything of it in the caches.
            with request.env.clear_upon_failure(), request.env.cr.savepoint():
                return super(AmbassadorWebsiteEvent, self).registration_confirm(
                    event, **post
                )
        except ValidationError as error:
            return self._ambassador_refused_page(event, error.name)

    def _process_registration_details(self, details):
        # website_event splits every key on "-": a forged key without one would
        # end in a server error instead of being ignored.
        details = {key: value for key, value in details.items() if "-" in key}
        registrations = super(
            AmbassadorWebsiteEvent, self
        )._process_registration_details(details)
        # Of the registration's fields, only those of the attendee form: any
        # other one (message_last_post="abc"...) is refused by create, a 500.
        fields_ = request.env["event.registration"]._fields
        return [
            {key: value for key, value in registration.items()
             if key not in PRIVILEGED_FIELDS
             and (key in ATTENDEE_FIELDS or key not in fields_)}
            for registration in registrations
        ]
