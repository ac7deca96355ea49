# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The accessibility statement RGAA requires of public bodies: its wording is
the template's (translated), its facts the agency's settings."""
from odoo import http
from odoo.http import request
from odoo.tools.misc import format_date

from ..models.programme_params import int_param, text_param
from ..models.safe_url import safe_href

CONFORMITY_LEVELS = ("full", "partial", "none")


class AmbassadorAccessibility(http.Controller):

    @http.route("/ambassadors/accessibility", type="http", auth="public",
                website=True)
    def ambassadors_accessibility(self, **kw):
        env = request.env
        conformity = text_param(env, "a11y_conformity", "none")
        audit_date = text_param(env, "a11y_audit_date")
        try:
            shown_date = audit_date and format_date(env, audit_date)
        except ValueError:  # a mistyped parameter: no date rather than an error
            shown_date = False
        return request.render("ambassador_program.ambassador_accessibility_page", {
            "entity": request.website.company_id.name,
            "conformity": conformity if conformity in CONFORMITY_LEVELS else "none",
            "audit_date": shown_date,
            "rate": min(int_param(env, "a11y_rate", 0, minimum=0), 100),
            "auditor": text_param(env, "a11y_auditor"),
            "non_compliant": text_param(env, "a11y_non_compliant"),
            "contact_email": text_param(env, "a11y_contact_email"),
            "contact_url": safe_href(text_param(env, "a11y_contact_url")),
        })
