# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
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


class AmbassadorWebsiteEvent(WebsiteEventController):
    """Events reserved to tiers or segments refuse everyone else, including a
    forged POST; event.registration.create checks again."""

    def _ambassador_refusal(self, event):
        return event._ambassador_registration_refusal(request.env.user.partner_id)

    @http.route()
    def registration_new(self, event, **post):
        refusal = self._ambassador_refusal(event)
        if refusal:
            return request.env["ir.ui.view"].render_template(
                "ambassador_program.event_registration_refused_modal",
                {"event": event, "refusal": refusal},
            )
        return super(AmbassadorWebsiteEvent, self).registration_new(event, **post)

    @http.route()
    def registration_confirm(self, event, **post):
        refusal = self._ambassador_refusal(event)
        if refusal:
            return request.render(
                "ambassador_program.event_registration_refused",
                {"event": event, "refusal": refusal},
                status=403,
            )
        return super(AmbassadorWebsiteEvent, self).registration_confirm(
            event, **post
        )

    def _process_registration_details(self, details):
        # website_event splits every key on "-": a forged key without one would
        # end in a server error instead of being ignored.
        details = {key: value for key, value in details.items() if "-" in key}
        registrations = super(
            AmbassadorWebsiteEvent, self
        )._process_registration_details(details)
        return [
            {key: value for key, value in registration.items()
             if key not in PRIVILEGED_FIELDS}
            for registration in registrations
        ]
