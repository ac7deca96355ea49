# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Leads in the ambassador space (issue 15): the leads the ambassador passed
on, with the status it may follow, and the form to pass one on. The model
decides (crm.lead._ambassador_submit); the routes parse and show. Portal
users have no rights on crm.lead: the pages read the ambassador's own leads
through sudo(), only the fields they show (PORTAL_FIELDS)."""
from odoo import _, http
from odoo.http import request

from ..models.crm_lead import CONTACT_NAME_MAX, DESCRIPTION_MAX, \
    LEAD_KINDS, NAME_MAX, PORTAL_FIELDS
from ..models.email_address import EMAIL_MAX
from ..models.form_input import FormErrors

from .main import form_strings, message_page
from .portal import AmbassadorPortal

BACK = "/my/ambassador/leads"
FORM_FIELDS = ("name", "kind", "country_id", "description", "contact_name",
               "contact_email", "contact_agreed")


class AmbassadorLeads(AmbassadorPortal):

    def _lead_labels(self):
        env = request.env
        Lead = env["crm.lead"]
        return {
            "kind_labels": dict(Lead._fields[
                "ambassador_lead_kind"]._description_selection(env)),
            "status_labels": dict(Lead._fields[
                "ambassador_status"]._description_selection(env)),
        }

    @staticmethod
    def _lead_rows(leads):
        """The shown fields of ``leads`` only (read through sudo by the
        model, after the ownership filter): never the agency's notes, the
        salesperson or the expected revenue."""
        return leads.read(PORTAL_FIELDS)

    @http.route(BACK, type="http", auth="user", website=True)
    def my_ambassador_leads(self, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal(active_only=False)
        if refusal:
            return refusal
        leads = request.env["crm.lead"]._ambassador_space_leads(partner)
        return self._render("ambassador_program.portal_my_ambassador_leads", dict(
            self._lead_labels(), page_name="ambassador_leads", partner=partner,
            leads=self._lead_rows(leads), message=message,
            can_submit=partner.ambassador_state == "active"))

    def _lead_form(self, values=None, errors=None, status=200):
        countries = request.env["res.country"].search([])
        return self._render("ambassador_program.portal_my_ambassador_lead_new", {
            "page_name": "ambassador_leads",
            "kinds": [(key, self._lead_labels()["kind_labels"][key])
                      for key, _label in LEAD_KINDS],
            "countries": countries,
            "values": values or {},
            "errors": errors or {},
            "error_labels": {
                "name": _("Organisation or event"),
                "kind": _("Kind of lead"),
                "country_id": _("Country of origin"),
                "description": _("What the agency should know"),
                "contact_name": _("Contact person"),
                "contact_email": _("Contact's e-mail"),
                "contact_agreed": _("This person agreed to be put in touch with the "
                                    "agency"),
            },
            "name_max": NAME_MAX,
            "description_max": DESCRIPTION_MAX,
            "contact_name_max": CONTACT_NAME_MAX,
            "email_max": EMAIL_MAX,
        }, status=status)

    @http.route(BACK + "/new", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def my_ambassador_lead_new(self, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        if request.httprequest.method != "POST":
            return self._lead_form()
        form = form_strings(post)
        values = {key: form.get(key, "") for key in FORM_FIELDS}
        try:
            lead = request.env["crm.lead"]._ambassador_submit(partner, values)
        except FormErrors as error:
            shown = {key: value[:DESCRIPTION_MAX] for key, value in values.items()}
            return self._lead_form(shown, error.errors, status=400)
        return request.redirect("%s/%d?message=sent" % (BACK, lead.id))

    @http.route(BACK + "/<int:lead_id>", type="http", auth="user", website=True)
    def my_ambassador_lead(self, lead_id, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal(active_only=False)
        if refusal:
            return refusal
        lead = request.env["crm.lead"]._ambassador_space_lead(partner, lead_id)
        if not lead:
            return message_page(
                _("Lead not found"),
                _("This lead does not exist or was not passed on by you."), 404,
                [(BACK, _("My leads"))])
        return self._render("ambassador_program.portal_my_ambassador_lead", dict(
            self._lead_labels(), page_name="ambassador_leads", partner=partner,
            lead=self._lead_rows(lead)[0], message=message,
            points=lead._ambassador_points().get(lead.id, 0)))
