# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import re
import unicodedata
import zipfile
import zlib
from datetime import date, datetime

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from .authority import as_engine, is_engine
from .email_address import usable_email
from .form_input import FormErrors, parse_id
from .ir_attachment import StoredFileError
from .programme_params import float_param, int_param, text_param
from .safe_url import URL_MAX, is_http_url, safe_href

# Set only by the model (state) and by action_approve / action_reject, never by
# create or write.
DECISION_FIELDS = {"state", "rejection_reason", "decided_by_id", "decision_date"}
CHANNELS = [("portal", "Portal"), ("email", "E-mail"), ("staff", "Staff")]
STATES = [
    # A proof e-mailed in an ambassador's name: the From: header proves
    # nothing, so it waits until the ambassador confirms it in its space.
    ("unconfirmed", "Waiting for the Ambassador"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
DECIDED_STATES = ("approved", "rejected")
STAFF_GROUP = "ambassador_program.group_ambassador_user"
# What an ambassador (any user outside the programme staff) may send when it
# creates a proof, over the portal form or JSON-RPC alike, with the form's
# length limits (_ambassador_portal_form_values). Files come only through
# _ambassador_attach_files, after their checks.
PORTAL_FIELDS = {
    "name": 200,
    "description": 5000,
    "url": URL_MAX,
    "rule_id": None,
    "partner_id": None,
    "press_media": 128,
    "press_country_id": None,
    "press_language": 64,
    "press_date": None,
    "channel": None,
}
# Office documents are zip archives: judged on their central directory, never
# inflated (a small upload can inflate to gigabytes).
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024  # smaller entries may compress as they like
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAIL_MAX_FILES = 10
EMAIL_DAILY_CAP = 10
PORTAL_MAX_FILES = 5  # files per proof declared in the ambassador space
DEFAULT_MAX_FILE_MB = 10


class AmbassadorProof(models.Model):
    """What an ambassador declares having done, for a point rule. Approving it
    appends exactly one line to the points ledger."""

    _name = "ambassador.proof"
    _description = "Ambassador Proof"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Title", required=True, track_visibility="onchange")
    partner_id = fields.Many2one(
        "res.partner",
        string="Ambassador",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("ambassador_state", "!=", False)],
        track_visibility="onchange",
    )
    segment_id = fields.Many2one(
        "ambassador.segment",
        related="partner_id.ambassador_segment_id",
        store=True,
        readonly=True,
    )
    rule_id = fields.Many2one(
        "ambassador.point.rule",
        string="Action",
        required=True,
        ondelete="restrict",
        track_visibility="onchange",
    )
    rule_points = fields.Integer(related="rule_id.points", readonly=True)
    is_press = fields.Boolean(related="rule_id.is_press", readonly=True)
    description = fields.Text()
    url = fields.Char(string="Link")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "ambassador_proof_attachment_rel",
        "proof_id",
        "attachment_id",
        string="Files",
    )
    safe_url = fields.Char(
        string="Open Link",
        compute="_compute_safe_url",
        help="The link, when it is an http(s) address: only such links are "
        "rendered as links.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="staff", readonly=True)
    state = fields.Selection(
        STATES,
        default="submitted",
        required=True,
        readonly=True,
        index=True,
        track_visibility="onchange",
        copy=False,
        group_expand="_expand_states",
    )
    rejection_reason = fields.Text(
        readonly=True, copy=False, help="Shown to the ambassador."
    )
    # Staff only: the ambassador sees the decision and its reason, not who.
    decided_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        groups="ambassador_program.group_ambassador_user",
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    transaction_ids = fields.One2many(
        "ambassador.point.transaction", "proof_id", string="Ledger Lines", readonly=True
    )
    points_awarded = fields.Integer(compute="_compute_points_awarded")
    # Structured press evidence (rules flagged as press mentions).
    press_media = fields.Char(string="Media")
    press_country_id = fields.Many2one("res.country", string="Media Country")
    press_language = fields.Char(string="Article Language")
    press_date = fields.Date(string="Publication Date")
    color = fields.Integer(compute="_compute_color")

    @api.depends("transaction_ids.points")
    def _compute_points_awarded(self):
        for proof in self:
            proof.points_awarded = sum(proof.transaction_ids.mapped("points"))

    @api.depends("state")
    def _compute_color(self):
        colors = {"unconfirmed": 2, "submitted": 3, "approved": 10, "rejected": 1}
        for proof in self:
            proof.color = colors.get(proof.state, 0)

    @api.depends("url")
    def _compute_safe_url(self):
        for proof in self:
            proof.safe_url = safe_href(proof.url)

    @api.model
    def _expand_states(self, states, domain, order):
        """Every state is a column of the review kanban, in the order of the
        life of a proof."""
        return [key for key, _label in STATES]

    @api.constrains("url")
    def _check_url(self):
        for proof in self:
            if proof.url and not is_http_url(proof.url):
                raise ValidationError(
                    _("A link starts with http:// or https:// and has at most %d "
                      "characters.") % URL_MAX
                )

    @api.constrains("rule_id", "partner_id")
    def _check_rule_segment(self):
        # sudo: a constraint judges the data, whoever writes it; access rights
        # and rules are checked by create/write themselves.
        for proof in self.sudo():
            segment = proof.partner_id.ambassador_segment_id
            if segment and segment not in proof.rule_id.segment_ids:
                raise ValidationError(
                    _("The action '%(action)s' does not apply to the segment "
                      "%(segment)s.")
                    % {"action": proof.rule_id.name, "segment": segment.name}
                )

    @api.constrains("press_media", "press_country_id", "press_date", "rule_id")
    def _check_press_evidence(self):
        for proof in self.sudo().filtered("rule_id.is_press"):
            if not (proof.press_media and proof.press_country_id and proof.press_date):
                raise ValidationError(
                    _("A press mention needs its media, country and publication date.")
                )

    # ------------------------------------------------------------------
    # What each kind of user may write
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_is_staff(self):
        """Programme staff (and the engine) key in and review proofs; every
        other user is held to what the ambassador space allows."""
        return is_engine(self.env) or self.env.user.has_group(STAFF_GROUP)

    @api.model
    def _ambassador_clean_context(self, staff):
        """Context defaults are values too (``default_state`` over RPC): never
        those of the decision fields, and none for an ambassador."""
        return {
            key: value
            for key, value in self.env.context.items()
            if not key.startswith("default_")
            or (staff and key[len("default_"):] not in DECISION_FIELDS)
        }

    @api.model
    def _ambassador_check_portal_values(self, vals):
        """Refuse what the portal form could not have sent: other fields, a
        proof for someone else, a rule outside the ambassador's segment, an
        inactive ambassador, text over the form's limits."""
        refused = sorted(set(vals) - set(PORTAL_FIELDS))
        if refused:
            raise AccessError(
                _("An ambassador's proof cannot set: %s. Files are added from the "
                  "ambassador space.") % ", ".join(refused)
            )
        if vals.get("channel", "portal") != "portal":
            raise AccessError(_("An ambassador's proof comes from the portal."))
        # sudo: the caller's own contact, to read its programme state and
        # segment (portal users may not read every field of it).
        partner = self.env.user.partner_id.sudo()
        if vals.get("partner_id") != partner.id:
            raise AccessError(_("You can only declare your own proofs."))
        if partner.ambassador_state != "active":
            raise AccessError(_("Only active ambassadors declare proofs."))
        if vals.get("rule_id") not in self._ambassador_portal_rules(partner).ids:
            raise ValidationError(_("Choose one of the actions of your segment."))
        for name, limit in PORTAL_FIELDS.items():
            value = vals.get(name)
            if limit is None or value in (None, False):
                continue
            if not isinstance(value, str) or len(value) > limit:
                raise ValidationError(
                    _("%(field)s: a text of at most %(limit)d characters.")
                    % {
                        "field": self._fields[name].get_description(self.env)[
                            "string"
                        ],
                        "limit": limit,
                    }
                )
        if vals.get("press_date") and not self._ambassador_press_date(
            vals["press_date"]
        ):
            raise ValidationError(_("Give the publication date (not in the future)."))

    # ------------------------------------------------------------------
    # The ambassador space's form
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_portal_rules(self, partner):
        """The actions ``partner`` may declare a proof for: the active rules
        of its segment the programme does not award by itself, in the form's
        order."""
        return partner.ambassador_segment_id.rule_ids.filtered(
            "active"
        )._ambassador_declarable().sorted(lambda rule: (rule.sequence, rule.id))

    @api.model
    def _ambassador_press_date(self, value):
        """The publication date ``value`` (a date, or YYYY-MM-DD) as a date;
        None when it is not a date or lies in the future."""
        if isinstance(value, str):
            try:
                value = datetime.strptime(value.strip(), "%Y-%m-%d").date()
            except ValueError:
                return None
        if not isinstance(value, date):
            return None
        today = fields.Date.from_string(fields.Date.context_today(self))
        return value if value <= today else None

    @api.model
    def _ambassador_portal_submit(self, form, files):
        """Declare a proof of the current user's ambassador, as the form of
        the ambassador space does. ``form``: the form's answers as typed (ids
        as text or numbers); ``files``: [(file name, bytes)], each read up to
        one byte past _ambassador_max_file_size() (enough to refuse it).
        Returns the proof with its files; raises FormErrors (form field ->
        message) and creates nothing when an answer or a file is refused."""
        partner = self.env.user.partner_id
        values, checked, errors = self._ambassador_portal_form_values(
            partner, form, files
        )
        if errors:
            raise FormErrors(errors)
        values.update(partner_id=partner.id, channel="portal")
        try:
            # The savepoint undoes the proof when a file cannot be stored
            # (disk full): no proof is left without the files it was sent with.
            with self.env.cr.savepoint():
                try:
                    # The ambassador creates its own proof (access rights, the
                    # own-records rule and the checks of create apply). The
                    # savepoint undoes the row a failed constraint leaves.
                    with self.env.cr.savepoint():
                        proof = self.create(values)
                except (AccessError, UserError, ValidationError) as error:
                    raise FormErrors({"form": error.name})
                proof._ambassador_attach_files(checked)
        except StoredFileError as error:
            self.invalidate_cache()  # forget the proof the savepoint undid
            raise FormErrors({"files": error.name})
        return proof

    @api.model
    def _ambassador_portal_form_values(self, partner, form, files):
        """Return (proof values, checked files [(name, MIME type, bytes)],
        errors {form field: message}) from the form's answers."""
        errors, values = {}, {}

        def text(key):
            value = form.get(key)
            return value.strip() if isinstance(value, str) else ""

        rule_id = parse_id(form.get("rule_id"))
        rule = self._ambassador_portal_rules(partner).filtered(
            lambda r: r.id == rule_id
        )
        if not rule and rule_id in partner.ambassador_segment_id.rule_ids.ids:
            errors["rule_id"] = _("The programme awards the points of this action "
                                  "by itself: there is nothing to declare.")
        elif not rule:
            errors["rule_id"] = _("Choose one of the actions of your segment.")
        name = text("name")
        if not name:
            errors["name"] = _("Give your proof a title.")
        elif len(name) > PORTAL_FIELDS["name"]:
            errors["name"] = _("At most %d characters.") % PORTAL_FIELDS["name"]
        description = text("description")
        if len(description) > PORTAL_FIELDS["description"]:
            errors["description"] = _("At most %d characters.") \
                % PORTAL_FIELDS["description"]
        url = text("url")
        # The model's own check (_check_url), said next to the field.
        if url and not is_http_url(url, URL_MAX):
            errors["url"] = _("A link starts with http:// or https:// and has at "
                              "most %d characters.") % URL_MAX
        values.update(name=name, description=description or False, url=url or False)
        if rule:
            values["rule_id"] = rule.id
        if rule.is_press:
            values.update(self._ambassador_portal_press_values(text, form, errors))
        checked = self._ambassador_check_form_files(files, errors)
        if not (url or checked or description) and not errors:
            errors["files"] = _("Add a link, a file or a description as proof.")
        return values, checked, errors

    @api.model
    def _ambassador_check_form_files(self, files, errors):
        """[(clean name, mimetype, content)] of a proof form's ``files``
        ([(name, bytes)], the unnamed left out), checked one by one
        (_ambassador_check_file); what is wrong with them goes to
        ``errors["files"]``."""
        uploads = [(name, content) for name, content in files or [] if name]
        if len(uploads) > PORTAL_MAX_FILES:
            errors["files"] = _("At most %d files per proof.") % PORTAL_MAX_FILES
            return []
        checked, problems = [], []
        for filename, content in uploads:
            try:
                clean, mimetype = self._ambassador_check_file(filename, content)
                checked.append((clean, mimetype, content))
            except UserError as error:
                problems.append(error.name)
        if problems:
            errors["files"] = " ".join(problems)
        return checked

    @api.model
    def _ambassador_portal_press_values(self, text, form, errors):
        """The press evidence of the form (see _check_press_evidence); adds
        its errors to ``errors``."""
        media_max = PORTAL_FIELDS["press_media"]
        media = text("press_media")
        if not media or len(media) > media_max:
            errors["press_media"] = _("Name the media (at most %d characters).") \
                % media_max
        language = text("press_language")
        if len(language) > PORTAL_FIELDS["press_language"]:
            errors["press_language"] = _("At most %d characters.") \
                % PORTAL_FIELDS["press_language"]
        country = self.env["res.country"].browse(
            parse_id(form.get("press_country_id"))
        ).exists()
        if not country:
            errors["press_country_id"] = _("Choose the country of the media.")
        press_date = self._ambassador_press_date(text("press_date"))
        if not press_date:
            errors["press_date"] = _("Give the publication date (not in the "
                                     "future).")
        return {
            "press_media": media,
            "press_language": language or False,
            "press_country_id": country.id,
            "press_date": press_date and press_date.isoformat(),
        }

    @api.model
    def create(self, vals):
        staff = self._ambassador_is_staff()
        # Replaces the context on purpose: the clean one drops default_* keys.
        Proofs = self.with_context(  # pylint: disable=context-overridden
            self._ambassador_clean_context(staff)
        )
        vals = dict(vals)
        if isinstance(vals.get("url"), str):
            vals["url"] = vals["url"].strip() or False
        if staff:
            vals = {key: value for key, value in vals.items()
                    if key not in DECISION_FIELDS}
        else:
            Proofs._ambassador_check_portal_values(vals)
            vals["channel"] = "portal"
        vals = Proofs._add_missing_default_values(vals)
        # The model decides the first state: a proof sent by e-mail waits for
        # its ambassador's confirmation before staff may review it.
        vals["state"] = "unconfirmed" if vals.get("channel") == "email" else "submitted"
        if staff:
            proof = super(AmbassadorProof, Proofs).create(vals)
            if vals.get("attachment_ids"):
                proof._ambassador_bind_uploads()
        else:
            # Ambassadors do not post on proofs (message_post): the creation
            # log and the tracking of the first values are the engine's.
            proof = super(AmbassadorProof, Proofs.with_context(
                mail_create_nolog=True, mail_notrack=True)).create(vals)
            # as_engine: the values were checked above, for the user's own
            # proof; only the chatter's own records are written.
            engine_proof = as_engine(proof)
            engine_proof.message_post(body=_("Proof declared by the ambassador."))
            tracked = engine_proof._get_tracked_fields(list(vals))
            if tracked:
                engine_proof.message_track(
                    tracked, {proof.id: dict.fromkeys(tracked, False)}
                )
        # The ambassador follows its proof, so decisions reach it by e-mail.
        # sudo: subscribing needs write access, which ambassadors do not have.
        proof.sudo().message_subscribe(partner_ids=proof.partner_id.ids)
        return proof

    @api.multi
    def write(self, vals):
        if set(vals) & DECISION_FIELDS:
            raise UserError(_("Approve or reject a proof with its buttons."))
        staff = self._ambassador_is_staff()
        if "attachment_ids" in vals and not staff:
            raise AccessError(
                _("Files are added to a proof from the ambassador space.")
            )
        if isinstance(vals.get("url"), str):
            vals = dict(vals, url=vals["url"].strip() or False)
        decided = self.filtered(lambda proof: proof.state in DECIDED_STATES)
        locked = set(vals) & {
            "partner_id",
            "rule_id",
            "press_media",
            "press_date",
            "press_country_id",
            "url",
        }
        if decided and locked:
            raise UserError(_("A decided proof cannot be changed."))
        result = super(AmbassadorProof, self).write(vals)
        if staff and vals.get("attachment_ids"):
            self._ambassador_bind_uploads()
        return result

    @api.multi
    def _ambassador_bind_uploads(self):
        """The backend's file widget uploads with res_id 0: bind this user's
        uploads to their proof, so that its ambassador can download them (the
        portal serves only files bound to the proof)."""
        for proof in self:
            # sudo: the attachments of a proof the staff user just wrote; only
            # its own loose uploads for this model are bound.
            loose = proof.sudo().attachment_ids.filtered(
                lambda a: a.res_model == self._name
                and not a.res_id
                and a.create_uid.id == self.env.uid
            )
            loose.write({"res_id": proof.id})

    @api.multi
    def _ambassador_served_attachments(self):
        """The files the portal lists and serves for this proof: linked to it
        AND bound to it (res_model, res_id), so that no file of another record
        can be reached through a proof. The caller checked that the user may
        read the proof."""
        self.ensure_one()
        # sudo: attachments of a proof the user may read (checked by the
        # caller), kept only when they belong to this very proof.
        return self.sudo().attachment_ids.filtered(
            lambda a: a.res_model == self._name
            and a.res_id == self.id
            and a.type == "binary"
        )

    @api.multi
    def _lock_for_decision(self):
        """Row-lock the proofs and check they still wait for a decision. Under
        Odoo's repeatable-read transactions, a concurrent decision makes this
        fail with a serialization error instead of deciding twice."""
        if not self:
            return
        # log_exceptions: losing the race is expected (Odoo retries the
        # request, which then reads the decision), not an error to log.
        self.env.cr.execute(
            "SELECT id FROM ambassador_proof WHERE id IN %s FOR UPDATE",
            (tuple(self.ids),),
            log_exceptions=False,
        )
        self.invalidate_cache(["state"])
        for proof in self:
            if proof.state == "unconfirmed":
                raise UserError(
                    _("The proof '%s' waits for its ambassador's confirmation: it "
                      "cannot be reviewed yet.") % proof.display_name
                )
            if proof.state != "submitted":
                raise UserError(
                    _("The proof '%s' was already decided.") % proof.display_name
                )

    @api.multi
    def action_approve(self):
        self.check_access_rights("write")
        self.check_access_rule("write")
        self._lock_for_decision()
        # One award for the batch: the ledger evaluates the tiers once.
        self.env["ambassador.point.transaction"]._award(
            [proof._ambassador_award_values() for proof in self]
        )
        super(AmbassadorProof, self).write(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        for proof in self:
            # A note for staff: the ambassador gets the e-mail below, in its
            # language (a comment would notify followers in the staff's).
            proof.message_post(
                body=_("Approved: %d points.") % proof.points_awarded,
                subtype="mail.mt_note",
            )
        self._ambassador_mail_decision(
            "ambassador_program.mail_template_proof_approved")
        return True

    @api.multi
    def _ambassador_award_values(self):
        """The ledger line approving this proof earns (extended by missions:
        models/ambassador_proof_mission.py)."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "segment_id": self.segment_id.id,
            "rule_id": self.rule_id.id,
            "proof_id": self.id,
            "points": self.rule_id.points,
            "origin": "proof",
            # Not the proof's title: the ambassador's words would outlive an
            # erasure in the append-only ledger.
            "note": self.rule_id.name,
        }

    @api.multi
    def action_reject(self, reason):
        if not reason or not reason.strip():
            raise UserError(_("Give the ambassador a reason for the rejection."))
        self.check_access_rights("write")
        self.check_access_rule("write")
        self._lock_for_decision()
        super(AmbassadorProof, self).write(
            {
                "state": "rejected",
                "rejection_reason": reason.strip(),
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        for proof in self:
            proof.message_post(
                body=_("Not accepted: %s") % proof.rejection_reason,
                subtype="mail.mt_note",
            )
        self._ambassador_mail_decision(
            "ambassador_program.mail_template_proof_rejected")
        return True

    @api.multi
    def _ambassador_mail_decision(self, xmlid):
        """E-mail the review's decision to the ambassador of each proof, in
        its language (rendered by batch and language), when its contact is
        active and has a usable address: the review is a service message of
        the programme, no marketing consent applies."""
        proofs = self.filtered(
            lambda proof: proof.partner_id.active
            and usable_email(proof.partner_id.email)
        )
        return self.env["ambassador.status.engine"]._queue_mails(
            self.env.ref(xmlid),
            proofs.ids,
            {proof.id: proof.partner_id.id for proof in proofs},
        )

    @api.multi
    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Proof"),
            "res_model": "ambassador.proof.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_proof_ids": [(6, 0, self.ids)]},
        }

    # ------------------------------------------------------------------
    # Files of a proof (portal and e-mail): type, size and name checks
    # ------------------------------------------------------------------
    # Allowed extensions, the MIME type served and the leading bytes the content
    # must start with. No SVG, HTML or script: nothing a browser could run.
    _ambassador_file_types = {
        "pdf": ("application/pdf", (b"%PDF-",)),
        "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
        "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
        "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
        "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
        "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (b"PK\x03\x04",),
        ),
        "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
        "mp4": ("video/mp4", ()),
    }

    @api.model
    def _ambassador_max_file_size(self):
        """Bytes a proof's file may hold (parameter proof_max_file_mb)."""
        megabytes = float_param(self.env, "proof_max_file_mb", DEFAULT_MAX_FILE_MB)
        return int(megabytes * 1024 * 1024)

    @api.model
    def _ambassador_clean_filename(self, filename):
        """A file name safe to store and to send back in a header."""
        name = unicodedata.normalize("NFKC", filename or "")
        name = re.split(r"[\\/]", name)[-1]
        name = re.sub(r"[^\w .()\-]", "_", name, flags=re.UNICODE)
        name = re.sub(r"\s+", " ", name).strip(" .")
        if len(name) > 100:
            stem, dot, ext = name.rpartition(".")
            name = (stem[: 99 - len(ext)] + dot + ext) if dot else name[:100]
        return name or "file"

    @api.model
    def _ambassador_check_file(self, filename, content):
        """Return (clean name, MIME type) or raise a UserError that says why
        the file is refused: extension AND content must match."""
        name = self._ambassador_clean_filename(filename)
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        allowed = self._ambassador_file_types
        if extension not in allowed:
            raise UserError(
                _("%(file)s: this type of file is not accepted (accepted: "
                  "%(accepted)s).")
                % {"file": name, "accepted": ", ".join(sorted(allowed))}
            )
        size = len(content or b"")
        if not size:
            raise UserError(_("%s is empty.") % name)
        if size > self._ambassador_max_file_size():
            raise UserError(
                _("%(file)s is too large (%(size).1f MB; at most %(max)d MB per "
                  "file).")
                % {
                    "file": name,
                    "size": size / 1048576.0,
                    "max": self._ambassador_max_file_size() // 1048576,
                }
            )
        mimetype, magics = allowed[extension]
        if extension == "mp4":
            valid = content[4:8] == b"ftyp"
        else:
            valid = any(content.startswith(magic) for magic in magics)
        if valid and extension in ("docx", "odt"):
            valid = self._ambassador_check_office_zip(extension, content)
        if not valid:
            raise UserError(
                _("%(file)s does not contain what its name says (.%(extension)s).")
                % {"file": name, "extension": extension}
            )
        return name, mimetype

    @api.model
    def _ambassador_check_office_zip(self, extension, content):
        """True when the archive looks like the office document its extension
        says. Judged on the central directory (entries, declared sizes and
        compression ratios) and on at most a few bytes of one entry: an entry
        is never inflated whole, whatever its declared size."""
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                entries = archive.infolist()
                if not entries or len(entries) > ZIP_MAX_ENTRIES:
                    return False
                total = 0
                for entry in entries:
                    total += entry.file_size
                    if entry.file_size > ZIP_RATIO_FLOOR and entry.file_size > (
                        ZIP_MAX_RATIO * max(entry.compress_size, 1)
                    ):
                        return False
                if total > ZIP_MAX_TOTAL:
                    return False
                names = {entry.filename for entry in entries}
                if extension == "docx":
                    return "word/document.xml" in names
                info = archive.getinfo("mimetype")
                if info.file_size > len(ODT_MIMETYPE) + 2:
                    return False
                # Read with a cap, whatever the entry claims to hold.
                with archive.open(info) as entry:
                    data = entry.read(len(ODT_MIMETYPE) + 3)
                return data.strip() == ODT_MIMETYPE
        except (zipfile.BadZipfile, zipfile.LargeZipFile, zlib.error, KeyError,
                RuntimeError, ValueError, NotImplementedError, EOFError, OSError):
            return False

    @api.model
    def _ambassador_check_mail_files(self, attachments):
        """Check the files of an incoming e-mail like portal files. Return the
        accepted ones [(clean name, MIME type, bytes, info)] and the reasons
        of the refused ones."""
        accepted, refused = [], []
        for attachment in attachments or []:
            name, content = attachment[0], attachment[1]
            info = attachment[2] if len(attachment) > 2 else {}
            if isinstance(content, str):
                content = content.encode("utf-8")
            if len(accepted) >= MAIL_MAX_FILES:
                refused.append(_("%(file)s: at most %(count)d files per message.")
                               % {"file": self._ambassador_clean_filename(name),
                                  "count": MAIL_MAX_FILES})
                continue
            try:
                name, mimetype = self._ambassador_check_file(name, content)
                accepted.append((name, mimetype, content, info))
            except UserError as error:
                refused.append(error.name)
        return accepted, refused

    @api.multi
    def _ambassador_attach_files(self, files):
        """Attach checked files [(name, mimetype, bytes)] to this proof. Runs as
        superuser: the caller checked that the proof belongs to the current
        ambassador (portal users may not write proofs). The attachments are
        private (never public): ir.attachment then lets only who can read the
        proof (its owner, by record rule, and staff) read them."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.browse()
        for name, mimetype, content in files:
            attachment = Attachment.create(
                {
                    "name": name,
                    "datas_fname": name,
                    "datas": base64.b64encode(content),
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                    "public": False,
                }
            )
            attachment._ambassador_check_stored(len(content))
            attachments |= attachment
        if attachments:
            # as_engine: the caller checked the files and whose proof this is.
            as_engine(self).write({"attachment_ids": [(4, a.id) for a in attachments]})
        return attachments

    # ------------------------------------------------------------------
    # Proofs by e-mail, through the alias (data: mail_alias_proofs)
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_email_sender(self, email_from):
        """The one active ambassador whose address sent the message."""
        emails = tools.email_split(email_from or "")
        address = usable_email(emails[0]) if emails else False
        if not address:
            return self.env["res.partner"]
        self.env.cr.execute(
            """
            SELECT id FROM res_partner
            WHERE lower(email) = lower(%s) AND ambassador_state = 'active'
              AND active ORDER BY id LIMIT 2
            """,
            (address,),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # Two ambassadors sharing an address: staff must sort it out.
        return self.env["res.partner"].browse(ids if len(ids) == 1 else [])

    @api.model
    def _ambassador_email_rule(self, partner):
        """The configured default rule if it applies to the segment, else the
        first rule of the segment that needs no press evidence. Staff correct
        it while reviewing."""
        rules = partner.ambassador_segment_id.rule_ids.filtered(
            lambda rule: not rule.is_press
        ).sorted(lambda rule: (rule.sequence, rule.id))
        code = text_param(self.env, "email_proof_rule_code")
        preferred = rules.filtered(lambda rule: code and rule.code == code)
        return preferred[:1] or rules[:1]

    @api.model
    def _ambassador_log_email(self, message, func="message_new"):
        """Keep a trace staff can read (Settings > Technical > Logging)."""
        self.env["ir.logging"].sudo().create(
            {
                "name": "ambassador_program.proof_email",
                "type": "server",
                "dbname": self.env.cr.dbname,
                "level": "WARNING",
                "message": message,
                "path": self._name,
                "func": func,
                "line": "0",
            }
        )

    @api.model
    def _ambassador_log_unknown_sender(self, msg_dict, reason):
        self._ambassador_log_email(
            _("Proof e-mail not accepted from %(sender)s (subject: %(subject)s): "
              "%(reason)s")
            % {
                "sender": (msg_dict.get("email_from") or "")[:256],
                "subject": (msg_dict.get("subject") or "")[:256],
                "reason": reason,
            }
        )

    @api.model
    def _ambassador_email_daily_cap(self):
        return int_param(self.env, "email_proof_daily_cap", EMAIL_DAILY_CAP, 0)

    @api.model
    def _ambassador_email_quota_left(self, partner):
        """How many more proofs ``partner``'s address may e-mail in the last
        24 hours. The quota's lock is taken first, so that two messages handled
        at once cannot both take the last place (see ambassador.quota.lock);
        it is held until the proof is created, in the same transaction."""
        cap = self._ambassador_email_daily_cap()
        self.env["ambassador.quota.lock"]._acquire("proof_email:%d" % partner.id)
        self.env.cr.execute(
            """
            SELECT count(*) FROM ambassador_proof
            WHERE partner_id = %s AND channel = 'email'
              AND create_date >= (now() at time zone 'UTC') - interval '1 day'
            """,
            (partner.id,),
        )
        return cap - self.env.cr.fetchone()[0]

    @api.model
    def _ambassador_email_refusal(self, msg_dict):
        """Why a new proof cannot be made of this message, or None."""
        partner = self._ambassador_email_sender(msg_dict.get("email_from"))
        if not partner:
            return _("the sender is not an active ambassador")
        if not self._ambassador_email_rule(partner):
            return _("no point rule for the segment of the sender")
        if self._ambassador_email_quota_left(partner) <= 0:
            return _("the sender has reached its daily number of proofs by e-mail")
        return None

    @api.model
    def _ambassador_check_gateway(self):
        """message_new and message_update are public methods: over RPC they
        would let anyone make or touch proofs as the mail gateway does. The
        gateway runs them as the alias's user (the superuser, a programme
        manager by the module's data)."""
        if not self._ambassador_is_staff():
            raise AccessError(
                _("Proofs by e-mail come in through the mail gateway only.")
            )

    @api.model
    def _alias_check_contact(self, message, message_dict, alias):
        """New proofs only from active ambassadors within their daily cap;
        others get a short reply (Odoo's bounce) and a log line for staff.
        Replies to an existing proof follow Odoo's usual alias policy."""
        if self:
            return self.env["mail.alias.mixin"]._alias_check_contact_on_record(
                self, message, message_dict, alias
            )
        reason = self._ambassador_email_refusal(message_dict)
        if not reason:
            return True
        self._ambassador_log_unknown_sender(message_dict, reason)
        return {
            "error_message": reason,
            "error_template": "<div><p>%s</p><p>%s</p></div>"
            % (
                _("Hello,"),
                _(
                    "This address only registers proofs sent by active ambassadors "
                    "from the e-mail address of their ambassador account, a few a "
                    "day. Your message was not registered; you can declare your "
                    "proofs in your ambassador space."
                ),
            ),
        }

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A message to the proofs alias becomes a proof of the ambassador whose
        address sent it, with its files (checked like portal files). The From:
        header proves nothing: the proof waits for that ambassador to confirm
        it in its space, and the ambassador is told by e-mail at the address of
        its account. Alias defaults (``custom_values``) are ignored: this public
        method can be called over RPC with any values in them."""
        self._ambassador_check_gateway()
        reason = self._ambassador_email_refusal(msg_dict)
        if reason:
            self._ambassador_log_unknown_sender(msg_dict, reason)
            raise ValueError("Proof e-mail refused: %s" % reason)
        partner = self._ambassador_email_sender(msg_dict.get("email_from"))
        rule = self._ambassador_email_rule(partner)
        accepted, refused = self._ambassador_check_mail_files(
            msg_dict.pop("attachments", None)
        )
        body = tools.html2plaintext(msg_dict.get("body") or "").strip()
        # as_engine: the sender's address is an active ambassador's, within its
        # daily cap (checked above); the proof is created unconfirmed.
        proof = as_engine(self).create(
            {
                "name": (msg_dict.get("subject") or "").strip()[:200]
                or _("Proof sent by e-mail"),
                "partner_id": partner.id,
                "rule_id": rule.id,
                "description": body[:5000],
                "channel": "email",
            }
        )
        proof._ambassador_attach_files(
            [(name, mimetype, content) for name, mimetype, content, _i in accepted]
        )
        if refused:
            proof.message_post(
                body=_("Files not kept: %s") % "; ".join(refused),
                subtype="mail.mt_note",
            )
        proof._ambassador_notify_unconfirmed()
        return self.browse(proof.id)

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        """A reply to a proof thread: its files get the checks of new proofs;
        refused files are dropped and noted, the others stay on the message."""
        self._ambassador_check_gateway()
        if msg_dict.get("attachments"):
            accepted, refused = self._ambassador_check_mail_files(
                msg_dict["attachments"]
            )
            msg_dict["attachments"] = [
                (name, content, info) for name, _m, content, info in accepted
            ]
            if refused:
                for proof in self:
                    proof.message_post(
                        body=_("Files of a reply not kept: %s") % "; ".join(refused),
                        subtype="mail.mt_note",
                    )
        return super(AmbassadorProof, self).message_update(
            msg_dict, update_vals=update_vals
        )

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, body="", subject=None, message_type="notification",
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype="html", **kwargs):
        """Only programme staff and the engine (the mail gateway, the
        ambassador's checked actions) post on proofs. The ambassador space
        offers no message, so an ambassador's RPC call gets none either: no
        file of the database (``attachment_ids``) linked to its proof, no
        unchecked file. Ambassadors answer by e-mail, through the gateway and
        its file checks (message_update)."""
        if not self._ambassador_is_staff():
            raise AccessError(
                _("Messages on a proof come by e-mail; files are added from the "
                  "ambassador space.")
            )
        return super(AmbassadorProof, self).message_post(
            body=body, subject=subject, message_type=message_type, subtype=subtype,
            parent_id=parent_id, attachments=attachments,
            content_subtype=content_subtype, **kwargs
        )

    @api.multi
    def _ambassador_notify_unconfirmed(self):
        """Tell the ambassador, at the address of its account and in its
        language, that a proof arrived in its name and waits for it."""
        template = self.env.ref(
            "ambassador_program.mail_template_proof_email_unconfirmed",
            raise_if_not_found=False,
        )
        if not template:
            return
        for proof in self:
            # sudo: the engine's own notification, for a proof it just made.
            template.sudo().send_mail(proof.id, force_send=False)

    # ------------------------------------------------------------------
    # The ambassador confirms (or discards) a proof e-mailed in its name
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_own_unconfirmed(self):
        """These proofs, with the engine's authority, once checked that they
        wait for a confirmation and belong to the calling user's own active
        ambassador contact: its login proves what the e-mail's sender could
        not."""
        if not self:
            return self
        self.check_access_rights("read")
        self.check_access_rule("read")
        partner = self.env.user.partner_id
        # Row lock: a double click, or two tabs, act once.
        # log_exceptions: losing the race is expected (Odoo retries the
        # request, which then reads the decision), not an error to log.
        self.env.cr.execute(
            "SELECT id FROM ambassador_proof WHERE id IN %s FOR UPDATE",
            (tuple(self.ids),),
            log_exceptions=False,
        )
        # as_engine: reading the proofs the user may read (checked above), to
        # compare their ambassador with the user's own contact; the callers
        # act only after that check.
        proofs = as_engine(self)
        proofs.invalidate_cache(["state"])
        for proof in proofs:
            if proof.partner_id.id != partner.id:
                raise AccessError(
                    _("Only the ambassador of a proof can confirm or discard it.")
                )
            if proof.state != "unconfirmed":
                raise UserError(
                    _("The proof '%s' does not wait for your confirmation.")
                    % proof.name
                )
        if partner.sudo().ambassador_state != "active":
            raise UserError(_("Only active ambassadors can confirm proofs."))
        return proofs

    @api.multi
    def action_confirm_by_ambassador(self):
        """The ambassador confirms, from its space, that it sent this proof by
        e-mail: the proof enters staff review."""
        proofs = self._ambassador_own_unconfirmed()
        # proofs has the engine's authority, after the owner check; the model
        # sets the state itself (write refuses it).
        super(AmbassadorProof, proofs).write({"state": "submitted"})
        for proof in proofs:
            proof.message_post(
                body=_("Confirmed by the ambassador in its ambassador space."),
                subtype="mail.mt_note",
            )
        return True

    @api.multi
    def action_discard_by_ambassador(self):
        """The ambassador did not send it (or changed its mind): the proof and
        its files are deleted, and staff keep a log line of it."""
        proofs = self._ambassador_own_unconfirmed()
        for proof in proofs:
            self._ambassador_log_email(
                _("Proof e-mailed in the name of %(ambassador)s discarded by the "
                  "ambassador (subject: %(subject)s).")
                % {"ambassador": proof.partner_id.display_name, "subject": proof.name},
                func="action_discard_by_ambassador",
            )
        # proofs has the engine's authority, after the owner check (portal
        # users may not delete records).
        proofs.unlink()
        return True
