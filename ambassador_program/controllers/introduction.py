# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Introductions in the ambassador space: the requests received (accept,
decline, report) and sent (withdraw), the request form from a directory card,
an introduction's page (the other side's contact details once accepted) and
the person's settings. The model decides (ambassador_introduction.py); the
routes parse and show."""
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.ambassador_introduction import MESSAGE_MAX, REASON_MAX
from ..models.form_input import FormErrors, parse_id
from ..models.res_partner_introduction import INTRO_QUOTA_MAX

from .main import form_strings, message_page
from .portal import AmbassadorPortal

BACK = "/my/ambassador/introductions"
ANSWERS = {
    "accept": "_ambassador_accept",
    "decline": "_ambassador_decline",
    "withdraw": "_ambassador_withdraw",
}


class AmbassadorIntroductions(AmbassadorPortal):

    def _intro_not_found(self):
        return message_page(
            _("Introduction not found"),
            _("This introduction does not exist or is not yours."), 404,
            [(BACK, _("My introductions"))])

    def _intro_labels(self):
        env = request.env
        return {"state_labels": dict(env["ambassador.introduction"]._fields[
            "state"]._description_selection(env))}

    # ------------------------------------------------------------------
    # The list
    # ------------------------------------------------------------------
    @http.route(BACK, type="http", auth="user", website=True)
    def my_ambassador_introductions(self, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        Intro = request.env["ambassador.introduction"]
        # The ambassador's own, through its record rule; sudo() then only to
        # show the other side's name (a portal user may not read contacts).
        received = Intro.search([("recipient_id", "=", partner.id)],
                                limit=100).sudo()
        sent = Intro.search([("requester_id", "=", partner.id)], limit=100).sudo()
        return self._render("ambassador_program.portal_my_ambassador_introductions",
                            dict(self._intro_labels(), **{
                                "page_name": "ambassador_introductions",
                                "partner": partner,
                                "received": received,
                                "sent": sent,
                                "message": message if isinstance(
                                    message, str) else None,
                            }))

    # ------------------------------------------------------------------
    # The request form
    # ------------------------------------------------------------------
    def _request_page(self, partner, recipient, values=None, errors=None,
                      status=200):
        Intro = request.env["ambassador.introduction"]
        return self._render(
            "ambassador_program.portal_my_ambassador_introduction_new", {
                "page_name": "ambassador_introductions",
                "partner": partner,
                "recipient_id": recipient.id,
                "recipient_name": recipient.name,
                "purposes": Intro._ambassador_purposes_of(recipient),
                "values": values or {},
                "errors": errors or {},
                "error_labels": {"purpose_id": _("Purpose"),
                                 "message": _("Your message")},
                "message_max": MESSAGE_MAX,
            }, status=status)

    @http.route(BACK + "/new", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def my_ambassador_introduction_new(self, to=None, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        Intro = request.env["ambassador.introduction"]
        recipient = Intro._ambassador_request_target(parse_id(to))
        if not recipient:
            return message_page(
                _("Introduction not available"),
                _("This person cannot be asked for an introduction (or you did "
                  "not meet it in the directory)."), 404,
                [("/my/ambassador/directory", _("Directory"))])
        if request.httprequest.method != "POST":
            return self._request_page(partner, recipient)
        form = form_strings(post)
        values = {"purpose_id": parse_id(form.get("purpose_id")),
                  "message": (form.get("message") or "")[:MESSAGE_MAX + 100]}
        try:
            Intro._ambassador_request(recipient.id, values["purpose_id"],
                                      form.get("message") or "")
        except FormErrors as error:
            return self._request_page(partner, recipient, values, error.errors,
                                      status=400)
        except (AccessError, UserError, ValidationError) as error:
            return self._request_page(partner, recipient, values,
                                      {"form": error.name}, status=409)
        return request.redirect(BACK + "?message=requested")

    # ------------------------------------------------------------------
    # One introduction: its page, the answers, the report
    # ------------------------------------------------------------------
    def _own_intro(self, intro_id):
        """The introduction ``intro_id`` if the current user is a party (its
        record rule), else an empty recordset."""
        return request.env["ambassador.introduction"].search(
            [("id", "=", parse_id(intro_id) or 0)], limit=1)

    def _intro_page(self, partner, intro, errors=None, values=None, status=200,
                    message=None):
        return self._render(
            "ambassador_program.portal_my_ambassador_introduction",
            dict(self._intro_labels(), **{
                "page_name": "ambassador_introductions",
                "partner": partner,
                # Found through its record rule (a party's); sudo() only to
                # show the other side's name. The contact details come from
                # the model, which gives them once accepted.
                "intro": intro.sudo(),
                "contact": intro._ambassador_contacts(),
                "is_recipient": intro.recipient_id == partner,
                "errors": errors or {},
                "values": values or {},
                "error_labels": {"reason": _("Why is this request abusive?")},
                "reason_max": REASON_MAX,
                "message": message if isinstance(message, str) else None,
            }), status=status)

    @http.route(BACK + "/<int:intro_id>", type="http", auth="user", website=True)
    def my_ambassador_introduction(self, intro_id, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        intro = self._own_intro(intro_id)
        if not intro:
            return self._intro_not_found()
        return self._intro_page(partner, intro, message=message)

    @http.route(BACK + "/<int:intro_id>/answer", type="http", auth="user",
                website=True, methods=["POST"])
    def my_ambassador_introduction_answer(self, intro_id, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        intro = self._own_intro(intro_id)
        if not intro:
            return self._intro_not_found()
        answer = form_strings(post).get("answer")
        if answer not in ANSWERS:
            return self._intro_page(partner, intro, errors={
                "form": _("Choose an answer.")}, status=400)
        try:
            getattr(intro, ANSWERS[answer])()
        except (AccessError, MissingError, UserError) as error:
            return self._intro_page(partner, intro, errors={"form": error.name},
                                    status=409)
        return request.redirect("%s/%d?message=%s" % (BACK, intro.id, answer))

    @http.route(BACK + "/<int:intro_id>/report", type="http", auth="user",
                website=True, methods=["POST"])
    def my_ambassador_introduction_report(self, intro_id, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        intro = self._own_intro(intro_id)
        if not intro:
            return self._intro_not_found()
        reason = form_strings(post).get("reason") or ""
        try:
            intro._ambassador_report(reason)
        except FormErrors as error:
            return self._intro_page(partner, intro, errors=error.errors,
                                    values={"reason": reason[:REASON_MAX + 100]},
                                    status=400)
        except (AccessError, MissingError, UserError) as error:
            return self._intro_page(partner, intro, errors={"form": error.name},
                                    values={"reason": reason[:REASON_MAX + 100]},
                                    status=409)
        return request.redirect("%s/%d?message=reported" % (BACK, intro.id))

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    def _settings_page(self, partner, values=None, errors=None, status=200,
                       message=None):
        if values is None:
            values = {"quota": str(partner.ambassador_intro_quota),
                      "purpose_ids": partner.ambassador_intro_purpose_ids.ids,
                      "intro_only": partner.ambassador_intro_only}
        return self._render(
            "ambassador_program.portal_my_ambassador_introduction_settings", {
                "page_name": "ambassador_introductions",
                "partner": partner,
                "purposes": request.env["ambassador.introduction.purpose"].search(
                    []),
                "values": values,
                "errors": errors or {},
                "error_labels": {"quota": _("Requests I accept per quarter"),
                                 "purpose_ids": _("Purposes I accept")},
                "quota_max": INTRO_QUOTA_MAX,
                "message": message,
            }, status=status)

    @http.route(BACK + "/settings", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def my_ambassador_introduction_settings(self, **post):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        if request.httprequest.method != "POST":
            return self._settings_page(partner, message=post.get(
                "message") == "saved" and "saved" or None)
        form = form_strings(post)
        form["purpose_ids"] = [value for value in request.httprequest.form.getlist(
            "purpose_ids") if isinstance(value, str)][:100]
        try:
            request.env["res.partner"]._ambassador_set_intro_settings(form)
        except FormErrors as error:
            values = {"quota": (form.get("quota") or "")[:10],
                      "purpose_ids": [parse_id(v) for v in form["purpose_ids"]],
                      "intro_only": bool(form.get("intro_only"))}
            return self._settings_page(partner, values, error.errors, status=400)
        return request.redirect(BACK + "/settings?message=saved")
