# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador space in the portal: status and points, proofs, documents,
directory, charter and consents. Every read goes through the ambassador's own
access rights and record rules; the few sudo() calls say why."""
import base64
import logging
import math
from datetime import date

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .main import CONSENT_FIELDS, client_ip, client_user_agent, consent_labels, \
    message_page

_logger = logging.getLogger(__name__)

PROOF_NAME_MAX = 200
PROOF_TEXT_MAX = 5000
URL_MAX = 1024
PRESS_MEDIA_MAX = 128
PRESS_LANGUAGE_MAX = 64
MAX_FILES = 5
DIRECTORY_PAGE = 20
# Directory: what each "show" consent reveals.
DIRECTORY_FIELDS = {
    "ambassador_show_email": "email",
    "ambassador_show_phone": "phone",
    "ambassador_show_company": "company",
    "ambassador_show_city": "city",
    "ambassador_show_skills": "skills",
}


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
        changes = {
            name: bool(post.get(name))
            for name in CONSENT_FIELDS
            if bool(post.get(name)) != bool(partner[name])
        }
        if changes:
            # sudo: portal users may not write contacts; only the consent flags
            # of the ambassador's own contact are written, and each change is
            # logged with channel and IP.
            partner.sudo().with_context(
                ambassador_channel="portal", ambassador_ip=client_ip()
            ).write(changes)
        return request.redirect("/my/ambassador?message=consents")

    # ------------------------------------------------------------------
    # Proofs
    # ------------------------------------------------------------------
    def _proof_rules(self, partner):
        return partner.ambassador_segment_id.rule_ids.filtered("active").sorted(
            lambda rule: (rule.sequence, rule.id)
        )

    def _proof_validate(self, partner, post, files):
        """Return (proof values, checked files, errors)."""
        errors, values = {}, {}
        Proof = request.env["ambassador.proof"]
        rules = self._proof_rules(partner)
        raw_rule = post.get("rule_id") or ""
        rule = rules.filtered(lambda r: str(r.id) == raw_rule)
        if not rule:
            errors["rule_id"] = _("Choose one of the actions of your segment.")
        name = (post.get("name") or "").strip()
        if not name:
            errors["name"] = _("Give your proof a title.")
        elif len(name) > PROOF_NAME_MAX:
            errors["name"] = _("At most %d characters.") % PROOF_NAME_MAX
        description = (post.get("description") or "").strip()
        if len(description) > PROOF_TEXT_MAX:
            errors["description"] = _("At most %d characters.") % PROOF_TEXT_MAX
        url = (post.get("url") or "").strip()
        if url and (len(url) > URL_MAX
                    or not url.lower().startswith(("http://", "https://"))):
            errors["url"] = _("A link starts with http:// or https:// and has at "
                              "most %d characters.") % URL_MAX
        values.update(name=name, description=description or False, url=url or False)
        if rule:
            values["rule_id"] = rule.id
        if rule.is_press:
            media = (post.get("press_media") or "").strip()
            if not media or len(media) > PRESS_MEDIA_MAX:
                errors["press_media"] = _("Name the media (at most %d characters).") \
                    % PRESS_MEDIA_MAX
            language = (post.get("press_language") or "").strip()
            if len(language) > PRESS_LANGUAGE_MAX:
                errors["press_language"] = _("At most %d characters.") \
                    % PRESS_LANGUAGE_MAX
            raw_country = post.get("press_country_id") or ""
            country = request.env["res.country"].browse(
                int(raw_country) if raw_country.isdigit() else 0
            ).exists()
            if not country:
                errors["press_country_id"] = _("Choose the country of the media.")
            try:
                press_date = date(*[int(p) for p in
                                    (post.get("press_date") or "").split("-")])
                if press_date > date.today():
                    raise ValueError
            except (TypeError, ValueError):
                press_date = None
                errors["press_date"] = _("Give the publication date (not in the "
                                         "future).")
            values.update(
                press_media=media, press_language=language or False,
                press_country_id=country.id,
                press_date=press_date and press_date.isoformat(),
            )
        checked = []
        uploads = [f for f in files if f and f.filename]
        if len(uploads) > MAX_FILES:
            errors["files"] = _("At most %d files per proof.") % MAX_FILES
        else:
            limit = Proof._ambassador_max_file_size()
            problems = []
            for upload in uploads:
                # Read one byte more than allowed: enough to refuse, never more.
                content = upload.read(limit + 1)
                try:
                    clean, mimetype = Proof._ambassador_check_file(
                        upload.filename, content
                    )
                    checked.append((clean, mimetype, content))
                except UserError as error:
                    problems.append(error.name)
            if problems:
                errors["files"] = " ".join(problems)
        if not (url or uploads or description) and not errors:
            errors["files"] = _("Add a link, a file or a description as proof.")
        return values, checked, errors

    def _proof_form(self, partner, values=None, errors=None, status=200):
        return self._render(
            "ambassador_program.portal_my_ambassador_proof_new",
            {
                "page_name": "ambassador_proof",
                "partner": partner,
                "rules": self._proof_rules(partner),
                "countries": request.env["res.country"].search([]),
                "values": values or {},
                "errors": errors or {},
                "max_files": MAX_FILES,
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
        files = request.httprequest.files.getlist("files")
        values, checked, errors = self._proof_validate(partner, post, files)
        if errors:
            shown = {key: value[:PROOF_TEXT_MAX] for key, value in post.items()
                     if isinstance(value, str)}
            return self._proof_form(partner, shown, errors, status=400)
        values.update(partner_id=partner.id, channel="portal")
        try:
            # The ambassador creates its own proof (access rights and the
            # own-records rule apply).
            proof = request.env["ambassador.proof"].create(values)
        except (UserError, ValidationError) as error:
            return self._proof_form(partner, post, {"form": error.name}, status=400)
        proof._ambassador_attach_files(checked)
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
            attachment = proof.attachment_ids.filtered(lambda a: a.id == attachment_id)
        except (AccessError, MissingError):
            attachment = None
        if not attachment:
            return message_page(_("File not found"),
                                _("This file does not exist or is not yours."), 404)
        # sudo: read the bytes of an attachment of a proof the user may read
        # (checked just above).
        attachment = attachment.sudo()
        types = dict(request.env["ambassador.proof"]._ambassador_file_types)
        extension = (attachment.datas_fname or "").rpartition(".")[2].lower()
        mimetype = types.get(extension, ("application/octet-stream",))[0]
        content = base64.b64decode(attachment.with_context(bin_size=False).datas)
        return safe_download(content, attachment.datas_fname or attachment.name,
                             mimetype)

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
        scope = partner.ambassador_tier_id.directory_scope
        if partner.ambassador_state != "active" or scope not in ("segment", "all"):
            return message_page(
                _("Directory not available"),
                _("The ambassadors' directory opens at the Silver status, for "
                  "active ambassadors."),
                403,
                [("/my/ambassador", _("My ambassador space"))],
            )
        Views = request.env["ambassador.directory.view"]
        remaining = Views._remaining_today(request.env.user)
        if remaining <= 0:
            return message_page(
                _("Daily limit reached"),
                _("You have seen as many profiles as the directory shows in a day. "
                  "Come back tomorrow."),
                429,
                [("/my/ambassador", _("My ambassador space"))],
            )
        search = (search or "").strip()[:64]
        domain = [
            ("ambassador_state", "=", "active"),
            ("id", "!=", partner.id),
            "|", "|", "|", "|",
        ] + [(flag, "=", True) for flag in DIRECTORY_FIELDS]
        if scope == "segment":
            domain.append(
                ("ambassador_segment_id", "=", partner.ambassador_segment_id.id))
        if search:
            domain.append(("name", "ilike", search))
        # sudo: ambassadors may not read other contacts; the domain keeps the
        # active ambassadors of the tier's scope who opted in to at least one
        # field, and only the fields each one chose are passed to the page.
        Partner = request.env["res.partner"].sudo()
        total = Partner.search_count(domain)
        page_count = max(int(math.ceil(total / float(DIRECTORY_PAGE))), 1)
        page = max(1, min(page, page_count))
        rows = Partner.search_read(
            domain,
            ["name", "email", "phone", "city", "company_name", "parent_id",
             "ambassador_segment_id", "ambassador_skill_ids"]
            + list(DIRECTORY_FIELDS),
            offset=(page - 1) * DIRECTORY_PAGE,
            limit=min(DIRECTORY_PAGE, remaining),
            order="name, id",
        )
        skill_ids = {sid for row in rows if row["ambassador_show_skills"]
                     for sid in row["ambassador_skill_ids"]}
        skills = {s.id: s.name for s in
                  request.env["ambassador.skill"].sudo().browse(list(skill_ids))}
        people = []
        for row in rows:
            person = {"name": row["name"],
                      "segment": row["ambassador_segment_id"]
                      and row["ambassador_segment_id"][1]}
            for flag, key in DIRECTORY_FIELDS.items():
                if not row[flag]:
                    continue
                if key == "company":
                    person[key] = row["company_name"] or (
                        row["parent_id"] and row["parent_id"][1])
                elif key == "skills":
                    person[key] = ", ".join(
                        skills[s] for s in row["ambassador_skill_ids"] if s in skills)
                else:
                    person[key] = row[key]
            people.append(person)
        Views._log(request.env.user, len(people), search)
        pager = request.website.pager(
            url="/my/ambassador/directory", total=total, page=page,
            step=DIRECTORY_PAGE, url_args={"search": search} if search else None,
        )
        return self._render(
            "ambassador_program.portal_my_ambassador_directory",
            {"page_name": "ambassador_directory", "partner": partner,
             "people": people, "pager": pager, "search": search, "total": total,
             "scope": scope, "remaining": remaining - len(people)},
        )
