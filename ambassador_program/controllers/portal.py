# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador space in the portal: status and points, proofs, documents,
directory, charter and consents. Every read goes through the ambassador's own
access rights and record rules; the few sudo() calls say why."""
import base64

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.ambassador_directory_view import PAGE_SIZE as DIRECTORY_PAGE
from ..models.ambassador_directory_view import DirectoryClosed, \
    DirectoryQuotaReached
from ..models.ambassador_proof import PORTAL_FIELDS, PORTAL_MAX_FILES
from ..models.form_input import FormErrors, parse_id, read_upload
from ..models.res_partner import CONSENT_PURPOSES, PHOTO_MAX_BYTES, PROFILE_LISTS, \
    TESTIMONIAL_MAX

from .main import client_ip, client_user_agent, form_strings, \
    message_page


def safe_download(content, filename, mimetype):
    """Always a download, never rendered by the browser."""
    return request.make_response(
        content,
        headers=[
            ("Content-Type", mimetype or "application/octet-stream"),
            ("Content-Disposition", content_disposition(filename)),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; sandbox"),
            ("Cache-Control", "private, no-store"),
        ],
    )


def proof_email_address():
    """The address proofs may be e-mailed to, or None when the mail gateway
    has no domain (then only the form takes proofs)."""
    # sudo: the alias is configuration portal users may not read.
    alias = request.env.ref("ambassador_program.mail_alias_proofs",
                            raise_if_not_found=False)
    alias = alias and alias.sudo()
    if not alias or not alias.alias_name or not alias.alias_domain:
        return None
    return "%s@%s" % (alias.alias_name, alias.alias_domain)


def proof_form_files(Proof):
    """[(name, bytes)] of a proof form's files (field ``files``): one byte
    more than a file may hold, and one file more than a proof may have:
    enough for the model to refuse them, never more."""
    uploads = [upload for upload in request.httprequest.files.getlist("files")
               if upload and upload.filename]
    limit = Proof._ambassador_max_file_size()
    return [(upload.filename, read_upload(upload, limit + 1))
            for upload in uploads[:PORTAL_MAX_FILES + 1]]


class AmbassadorPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super(AmbassadorPortal, self)._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        values["ambassador_partner"] = partner.ambassador_state and partner or False
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _ambassador(self):
        return request.env.user.partner_id

    def _not_ambassador_page(self):
        return message_page(
            _("Ambassadors only"),
            _("This space is for the territory's ambassadors. Join the programme "
              "to get one."),
            403,
            [("/ambassadors", _("The ambassador programme"))],
        )

    def _inactive_page(self, partner):
        if partner.ambassador_state == "suspended":
            message = _("Your ambassador account is suspended: contact the "
                        "programme team.")
        else:
            message = _("This is for active ambassadors only.")
        return message_page(_("Not available"), message, 403,
                            [("/my/ambassador", _("My ambassador space"))])

    def _ambassador_or_refusal(self, active_only=True):
        """(partner, None) for an ambassador (an active one if
        ``active_only``), else (None, the page that says why)."""
        partner = self._ambassador()
        if not partner.ambassador_state:
            return None, self._not_ambassador_page()
        if active_only and partner.ambassador_state != "active":
            return None, self._inactive_page(partner)
        return partner, None

    def _render(self, template, values, status=200):
        qcontext = self._prepare_portal_layout_values()
        qcontext.update(values)
        return request.render(template, qcontext, status=status)

    # ------------------------------------------------------------------
    # Ambassador space
    # ------------------------------------------------------------------
    @http.route("/my/ambassador", type="http", auth="user", website=True)
    def my_ambassador(self, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        env = request.env
        own = [("partner_id", "=", partner.id)]
        registrations, invitations = partner._ambassador_space_events()
        values = {
            "page_name": "ambassador",
            "partner": partner,
            "ledger": env["ambassador.point.transaction"].search(own, limit=100),
            "proofs": env["ambassador.proof"].search(own, limit=100),
            "promotions": env["ambassador.promotion"].search(own, limit=50),
            "charter": env["ambassador.charter"].get_current(),
            "card": env["ambassador.tier"]._ambassador_progress_card(partner),
            "registrations": registrations,
            "invitations": invitations,
            "message": kw.get("message"),
        }
        return self._render("ambassador_program.portal_my_ambassador", values)

    @http.route("/my/ambassador/charter", type="http", auth="user", website=True,
                methods=["POST"])
    def my_ambassador_charter(self, charter_id=None, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        charter = request.env["ambassador.charter"].get_current()
        if not charter or str(charter.id) != (charter_id or ""):
            return message_page(
                _("Charter changed"),
                _("The charter you read is no longer the current one: please "
                  "read the current version and accept it."),
                409,
                [("/my/ambassador", _("My ambassador space"))],
            )
        if not kw.get("accept"):
            return message_page(
                _("Charter not accepted"),
                _("Tick the box to accept the charter."),
                400,
                [("/my/ambassador", _("My ambassador space"))],
            )
        partner._ambassador_accept_charter(
            charter, "portal", client_ip(), client_user_agent()
        )
        return request.redirect("/my/ambassador?message=charter")

    @http.route("/my/ambassador/consents", type="http", auth="user", website=True,
                methods=["POST"])
    def my_ambassador_consents(self, **post):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        # As the user (env.user's records are the superuser's): the model checks
        # that this is the user's own contact and logs each change.
        own = request.env["res.partner"].browse(partner.id)
        # Only the consents the profile offered: one not shown is kept as is.
        offered = [name for name, _label, _who in own._ambassador_offered_consents()]
        own._ambassador_set_consents(
            {name: bool(post.get(name)) for name in offered if name in
             CONSENT_PURPOSES},
            "portal",
            client_ip(),
        )
        return request.redirect("/my/ambassador/profile?message=consents")

    @http.route("/my/ambassador/consents/reconfirm", type="http", auth="user",
                website=True, methods=["POST"])
    def my_ambassador_consents_reconfirm(self, purpose=None, decision=None, **kw):
        """The answer to the space's prompt for one consent to re-confirm."""
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        # As the user: the model checks that this is the user's own contact.
        own = request.env["res.partner"].browse(partner.id)
        pending = {item[0] or "membership": item
                   for item in own._ambassador_consents_to_reconfirm()}
        if purpose not in pending or decision not in ("confirm", "withdraw"):
            # Answered already (another tab), or a forged form: nothing to do.
            return request.redirect("/my/ambassador")
        if purpose == "membership":
            if decision == "confirm":
                own._ambassador_reconfirm_membership("portal", client_ip())
        else:
            own._ambassador_set_consents(
                {purpose: decision == "confirm"}, "portal", client_ip(),
                reconfirm=[purpose])
        return request.redirect("/my/ambassador?message=reconfirmed")

    # ------------------------------------------------------------------
    # Proofs
    # ------------------------------------------------------------------
    def _proof_form(self, partner, values=None, errors=None, status=200):
        return self._render(
            "ambassador_program.portal_my_ambassador_proof_new",
            {
                "page_name": "ambassador_proof",
                "partner": partner,
                "rules": request.env["ambassador.proof"]._ambassador_portal_rules(
                    partner
                ),
                "countries": request.env["res.country"].search([]),
                "values": values or {},
                "errors": errors or {},
                "proof_email": proof_email_address(),
                "error_labels": {
                    "rule_id": _("Action"), "name": _("Title"),
                    "description": _("What did you do?"), "url": _("Link"),
                    "press_media": _("Media"),
                    "press_country_id": _("Country of the media"),
                    "press_language": _("Language of the article"),
                    "press_date": _("Publication date"), "files": _("Files"),
                },
                "max_files": PORTAL_MAX_FILES,
                "max_mb": request.env["ambassador.proof"]._ambassador_max_file_size()
                // 1048576,
                "extensions": ", ".join(
                    sorted(request.env["ambassador.proof"]._ambassador_file_types)
                ),
            },
            status=status,
        )

    @http.route("/my/ambassador/proofs/new", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def my_ambassador_proof_new(self, **post):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        if partner.ambassador_state != "active":
            return self._inactive_page(partner)
        if request.httprequest.method != "POST":
            return self._proof_form(partner, {"rule_id": post.get("rule_id")})
        Proof = request.env["ambassador.proof"]
        files = proof_form_files(Proof)
        try:
            # As the ambassador: access rights, the own-records rule and the
            # model's checks apply.
            Proof._ambassador_portal_submit(form_strings(post), files)
        except FormErrors as error:
            text_max = PORTAL_FIELDS["description"]
            shown = {key: value[:text_max] for key, value in form_strings(post).items()}
            return self._proof_form(partner, shown, error.errors, status=400)
        return request.redirect("/my/ambassador?message=proof")

    @http.route(
        "/my/ambassador/proofs/<int:proof_id>/files/<int:attachment_id>",
        type="http", auth="user", website=True,
    )
    def my_ambassador_proof_file(self, proof_id, attachment_id, **kw):
        proof = request.env["ambassador.proof"].browse(proof_id)
        try:
            proof.check_access_rights("read")
            proof.check_access_rule("read")
            # Only a file linked to this proof AND bound to it (res_model,
            # res_id): never a file of another record linked to the proof.
            attachment = proof._ambassador_served_attachments().filtered(
                lambda a: a.id == attachment_id
            )
        except (AccessError, MissingError):
            attachment = None
        if not attachment:
            return message_page(_("File not found"),
                                _("This file does not exist or is not yours."), 404)
        # The attachment is superuser (read after the checks above), to read
        # its bytes.
        types = dict(request.env["ambassador.proof"]._ambassador_file_types)
        extension = (attachment.datas_fname or "").rpartition(".")[2].lower()
        mimetype = types.get(extension, ("application/octet-stream",))[0]
        content = base64.b64decode(attachment.with_context(bin_size=False).datas)
        return safe_download(content, attachment.datas_fname or attachment.name,
                             mimetype)

    def _proof_by_ambassador(self, proof_id, confirm):
        """Confirm or discard a proof e-mailed in the ambassador's name. The
        model checks that the logged-in user is that proof's ambassador: its
        login proves what the e-mail's sender could not."""
        proof = request.env["ambassador.proof"].browse(proof_id)
        back = [("/my/ambassador", _("My ambassador space"))]
        try:
            if confirm:
                proof.action_confirm_by_ambassador()
            else:
                proof.action_discard_by_ambassador()
        except (AccessError, MissingError):
            return message_page(_("Proof not found"),
                                _("This proof does not exist or is not yours."),
                                404, back)
        except UserError as error:
            return message_page(_("Not possible"), error.name, 409, back)
        return request.redirect("/my/ambassador?message=%s" % (
            "proof_confirmed" if confirm else "proof_discarded"))

    @http.route("/my/ambassador/proofs/<int:proof_id>/confirm", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_proof_confirm(self, proof_id, **kw):
        return self._proof_by_ambassador(proof_id, confirm=True)

    @http.route("/my/ambassador/proofs/<int:proof_id>/discard", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_proof_discard(self, proof_id, **kw):
        return self._proof_by_ambassador(proof_id, confirm=False)

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------
    @http.route("/my/ambassador/documents", type="http", auth="user", website=True)
    def my_ambassador_documents(self, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        if partner.ambassador_state != "active":
            return self._inactive_page(partner)
        # The record rules select the documents of the ambassador's tier, for
        # every segment (SPEC 2.1: other segments' documents are readable too).
        documents = request.env["ambassador.document"].search([])
        own = documents.filtered(
            lambda d: not d.segment_ids
            or partner.ambassador_segment_id in d.segment_ids
        )
        return self._render(
            "ambassador_program.portal_my_ambassador_documents",
            {"page_name": "ambassador_documents", "partner": partner,
             "own_documents": own, "other_documents": documents - own},
        )

    @http.route("/my/ambassador/documents/<int:document_id>/download", type="http",
                auth="user", website=True)
    def my_ambassador_document_download(self, document_id, **kw):
        partner = self._ambassador()
        document = request.env["ambassador.document"].search(
            [("id", "=", document_id)], limit=1
        )
        if not partner.ambassador_state or not document or not document.file:
            return message_page(
                _("Document not found"),
                _("This document does not exist or is not available at your tier."),
                404,
                [("/my/ambassador/documents", _("Documents"))],
            )
        content = base64.b64decode(document.with_context(bin_size=False).file)
        filename = document.file_name or "%s" % document.name
        return safe_download(content, filename, "application/octet-stream")

    # ------------------------------------------------------------------
    # Directory
    # ------------------------------------------------------------------
    @http.route(["/my/ambassador/directory",
                 "/my/ambassador/directory/page/<int:page>"],
                type="http", auth="user", website=True)
    def my_ambassador_directory(self, page=1, search=None, **kw):
        partner = self._ambassador()
        if not partner.ambassador_state:
            return self._not_ambassador_page()
        values = {"page_name": "ambassador_directory", "partner": partner}
        form = form_strings(kw)
        try:
            result = request.env["ambassador.directory.view"]._ambassador_search(
                search if isinstance(search, str) else None, page, form
            )
        except DirectoryClosed as error:
            values.update(
                closed=error.name,
                opening=request.env["ambassador.tier"]._ambassador_directory_opening(
                    partner))
            return self._render(
                "ambassador_program.portal_my_ambassador_directory_closed", values,
                status=403)
        except DirectoryQuotaReached as error:
            values.update(quota=error.name)
            return self._render(
                "ambassador_program.portal_my_ambassador_directory_closed", values,
                status=429)
        filter_keys = ("skill_id", "lang_id", "country_id", "city")
        url_args = {key: form[key] for key in filter_keys if form.get(key)}
        if result["search"]:
            url_args["search"] = result["search"]
        pager = request.website.pager(
            url="/my/ambassador/directory", total=result["total"],
            page=result["page"], step=DIRECTORY_PAGE, url_args=url_args or None,
        )
        env = request.env
        return self._render(
            "ambassador_program.portal_my_ambassador_directory",
            dict(result, pager=pager, skills=env["ambassador.skill"].search([]),
                 langs=env["res.lang"].sudo().with_context(
                     active_test=False).search([]),
                 countries=env["res.country"].search([]), **values),
        )

    # ------------------------------------------------------------------
    # Profile
    # ------------------------------------------------------------------
    def _profile_page(self, partner, values=None, errors=None, message=None,
                      status=200):
        env = request.env
        # sudo: the user's own contact, for the fields its profile holds.
        own = partner.sudo()
        questions = own._ambassador_profile_questions()
        if values is None:
            # What the profile holds now, as the form shows it.
            values = {}
            for line in questions:
                value = own[line.field_name]
                values[line.field_name] = (
                    str(value.id) if hasattr(value, "_name") else value or "")
            for key in PROFILE_LISTS:
                # Spoken languages need not be installed ones.
                values[key] = own.with_context(active_test=False)[key].ids
            values["ambassador_testimonial"] = own.ambassador_testimonial or ""
        else:
            values = dict(values)
            for key in PROFILE_LISTS:
                values[key] = [parse_id(item) for item in values.get(key) or []]
        return self._render(
            "ambassador_program.portal_my_ambassador_profile",
            {
                "page_name": "ambassador_profile",
                "partner": own,
                "questions": questions,
                "values": values,
                "errors": errors or {},
                "message": message,
                "skills": env["ambassador.skill"].search([]),
                # Spoken languages: every language, installed or not.
                "langs": env["res.lang"].sudo().with_context(
                    active_test=False).search([]),
                "countries": env["res.country"].search([]),
                "consents": own._ambassador_offered_consents(),
                "error_labels": dict(
                    [(line.field_name, line.get_label()) for line in questions]
                    + [("ambassador_skill_ids", _("My skills")),
                       ("ambassador_language_ids", _("Languages I speak")),
                       ("ambassador_network_country_ids",
                        _("Countries my network reaches")),
                       ("ambassador_testimonial", _("Why I am an ambassador")),
                       ("photo", _("My photo"))]),
                "photo_mb": PHOTO_MAX_BYTES // 1048576,
                "testimonial_max": TESTIMONIAL_MAX,
            },
            status=status,
        )

    @http.route("/my/ambassador/profile", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def my_ambassador_profile(self, **post):
        partner = self._ambassador()
        if not partner.ambassador_state or partner.ambassador_state == "left":
            return self._not_ambassador_page()
        if request.httprequest.method != "POST":
            return self._profile_page(partner, message=post.get("message"))
        own = request.env["res.partner"].browse(partner.id)
        keys = own.sudo()._ambassador_profile_keys()
        texts = form_strings(post)
        form = {key: texts.get(key, "") for key in keys if key not in PROFILE_LISTS}
        for key in PROFILE_LISTS:
            form[key] = request.httprequest.form.getlist(key)
        upload = request.httprequest.files.get("photo")
        # One byte more than a photo may hold: enough for the model to refuse.
        photo = read_upload(upload, PHOTO_MAX_BYTES + 1) if upload and upload.filename \
            else None
        try:
            # As the user: the model checks that this is its own contact and
            # writes only the profile's fields.
            own.ambassador_update_profile(form, photo)
        except FormErrors as error:
            return self._profile_page(partner, form, error.errors, status=400)
        return request.redirect("/my/ambassador/profile?message=profile")
