# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The person's GDPR rights in its space: its data as JSON and as a printable
page (articles 15 and 20), and the erasure of its data after a confirmation
(article 17); staff produce the same export from the contact. The model
(models/ambassador_personal_data.py) decides what is exported and erased."""
import json

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import html2plaintext

from ..models.ambassador_personal_data import MESSAGE_FIELDS

from .main import message_page
from .portal import AmbassadorPortal, safe_download


class AmbassadorPrivacy(AmbassadorPortal):

    def _privacy_partner(self):
        """The user's own contact when it has an ambassador file, else None."""
        partner = self._ambassador()
        return partner if partner.ambassador_state else None

    def _export_sections(self, data):
        """[(title, [(key, label)], rows)] of the printable page, in the
        map's order, with the fields' labels in the reader's language."""
        Data = request.env["ambassador.personal.data"]
        titles = Data._export_titles()
        sections = []
        for table in Data._tables():
            fields = request.env[table.model]._fields
            columns = [(name, fields[name].get_description(request.env)["string"])
                       for name in table.export]
            sections.append((titles[table.key], columns, data[table.key]))
        message_fields = request.env["mail.message"]._fields
        columns = [(name, message_fields[name].get_description(request.env)["string"])
                   for name in MESSAGE_FIELDS]
        rows = [dict(row, body=html2plaintext(row.get("body") or ""))
                for row in data["messages"]]
        sections.append((titles["messages"], columns, rows))
        return sections

    def _export_page(self, partner, data, download_url, back_url):
        return request.render("ambassador_program.portal_ambassador_privacy_export", {
            "export_partner": partner,
            "data": data,
            "sections": self._export_sections(data),
            "files": data["files"],
            "download_url": download_url,
            "back_url": back_url,
        })

    @staticmethod
    def _json_download(data, partner):
        content = json.dumps(data, ensure_ascii=False, indent=1, default=str)
        return safe_download(content.encode("utf-8"),
                             "personal-data-%d.json" % partner.id,
                             "application/json")

    # ------------------------------------------------------------------
    # The ambassador's own data
    # ------------------------------------------------------------------
    @http.route("/my/ambassador/privacy", type="http", auth="user", website=True)
    def my_ambassador_privacy(self, **kw):
        partner = self._privacy_partner()
        if not partner:
            return self._not_ambassador_page()
        return self._render("ambassador_program.portal_my_ambassador_privacy", {
            "page_name": "ambassador_privacy", "partner": partner})

    @http.route("/my/ambassador/privacy/export.json", type="http", auth="user",
                website=True)
    def my_ambassador_privacy_json(self, **kw):
        partner = self._privacy_partner()
        if not partner:
            return self._not_ambassador_page()
        return self._json_download(partner.ambassador_export_personal_data(), partner)

    @http.route("/my/ambassador/privacy/export.html", type="http", auth="user",
                website=True)
    def my_ambassador_privacy_html(self, **kw):
        partner = self._privacy_partner()
        if not partner:
            return self._not_ambassador_page()
        return self._export_page(partner, partner.ambassador_export_personal_data(),
                                 "/my/ambassador/privacy/export.json",
                                 "/my/ambassador/privacy")

    @http.route("/my/ambassador/privacy/erase", type="http", auth="user",
                website=True, methods=["GET", "POST"])
    def my_ambassador_privacy_erase(self, **post):
        partner = self._privacy_partner()
        if not partner:
            return self._not_ambassador_page()
        user = request.env.user
        if not user.share:
            # An employee's account is managed in Settings, not erased here.
            return message_page(
                _("Not available"),
                _("The data of an employee's account is not erased from the "
                  "ambassador space: ask the programme team."), 403,
                [("/my/ambassador/privacy", _("My data"))])
        errors = {}
        if request.httprequest.method == "POST":
            if post.get("confirm") != "yes":
                errors["confirm"] = _("Tick the box to confirm the erasure.")
            else:
                # sudo: the logged-in person erases its own file, confirmed
                # just above (the form is CSRF-protected).
                partner.sudo()._ambassador_erase_personal_data()
                request.session.logout(keep_db=True)
                return request.redirect("/my/ambassador/privacy/erased")
        return self._render(
            "ambassador_program.portal_my_ambassador_privacy_erase",
            {"page_name": "ambassador_privacy", "partner": partner,
             # The summary's link says the field's label itself.
             "errors": errors},
            status=400 if errors else 200)

    @http.route("/my/ambassador/privacy/erased", type="http", auth="public",
                website=True)
    def my_ambassador_privacy_erased(self, **kw):
        return message_page(
            _("Your data is erased"),
            _("Your personal data was erased from the ambassador programme and "
              "your account is closed. Thank you for having been an ambassador."),
            200, [("/", _("Home page"))])

    # ------------------------------------------------------------------
    # Staff, from the contact
    # ------------------------------------------------------------------
    @http.route("/ambassador/privacy/<int:partner_id>/export.<string:kind>",
                type="http", auth="user", website=True)
    def ambassador_privacy_export(self, partner_id, kind, **kw):
        partner = request.env["res.partner"].browse(partner_id)
        try:
            # Checks the person itself or programme staff.
            data = partner.ambassador_export_personal_data()
        except (AccessError, MissingError):
            return message_page(
                _("Not available"),
                _("Only programme staff export a contact's data."), 403)
        if kind == "json":
            return self._json_download(data, partner)
        return self._export_page(
            partner, data, "/ambassador/privacy/%d/export.json" % partner.id,
            "/web#id=%d&model=res.partner&view_type=form" % partner.id)
