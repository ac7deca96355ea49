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
from ..models.form_input import FormErrors
from ..models.res_partner import CONSENT_PURPOSES

from .main import client_ip, client_user_agent, consent_labels, form_strings, \
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
        values = {
            "page_name": "ambassador",
            "partner": partner,
            "ledger": env["ambassador.point.transaction"].search(own, limit=100),
            "proofs": env["ambassador.proof"].search(own, limit=100),
            "promotions": env["ambassador.promotion"].search(own, limit=50),
            "charter": env["ambassador.charter"].get_current(),
            "consents": consent_labels(),
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
        request.env["res.partner"].browse(partner.id)._ambassador_set_consents(
            {name: bool(post.get(name)) for name in CONSENT_PURPOSES},
            "portal",
            client_ip(),
        )
        return request.redirect("/my/ambassador?message=consents")

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
        uploads = [upload for upload in request.httprequest.files.getlist("files")
                   if upload and upload.filename]
        limit = Proof._ambassador_max_file_size()
        # One byte more than a file may hold, and one file more than a proof
        # may have: enough for the model to refuse them, never more.
        files = [(upload.filename, upload.read(limit + 1))
                 for upload in uploads[:PORTAL_MAX_FILES + 1]]
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
        back = [("/my/ambassador", _("My ambassador space"))]
        try:
            result = request.env["ambassador.directory.view"]._ambassador_search(
                search if isinstance(search, str) else None, page
            )
        except DirectoryClosed as error:
            return message_page(_("Directory not available"), error.name, 403, back)
        except DirectoryQuotaReached as error:
            return message_page(_("Daily limit reached"), error.name, 429, back)
        pager = request.website.pager(
            url="/my/ambassador/directory", total=result["total"],
            page=result["page"], step=DIRECTORY_PAGE,
            url_args={"search": result["search"]} if result["search"] else None,
        )
        return self._render(
            "ambassador_program.portal_my_ambassador_directory",
            dict(result, page_name="ambassador_directory", partner=partner,
                 pager=pager),
        )
