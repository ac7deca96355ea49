# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import re
import unicodedata
import zipfile

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

# Set only by action_approve / action_reject, never by create or write.
DECISION_FIELDS = {"state", "rejection_reason", "decided_by_id", "decision_date"}
CHANNELS = [("portal", "Portal"), ("email", "E-mail"), ("staff", "Staff")]


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
    channel = fields.Selection(CHANNELS, required=True, default="staff", readonly=True)
    state = fields.Selection(
        [
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="submitted",
        required=True,
        readonly=True,
        index=True,
        track_visibility="onchange",
        copy=False,
    )
    rejection_reason = fields.Text(
        readonly=True, copy=False, help="Shown to the ambassador."
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
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
        colors = {"submitted": 3, "approved": 10, "rejected": 1}
        for proof in self:
            proof.color = colors.get(proof.state, 0)

    @api.constrains("rule_id", "partner_id")
    def _check_rule_segment(self):
        # sudo: a constraint judges the data, whoever writes it; access rights
        # and rules are checked by create/write themselves.
        for proof in self.sudo():
            segment = proof.partner_id.ambassador_segment_id
            if segment and segment not in proof.rule_id.segment_ids:
                raise ValidationError(
                    _("The action '%s' does not apply to the segment %s.")
                    % (proof.rule_id.name, segment.name)
                )

    @api.constrains("press_media", "press_country_id", "press_date", "rule_id")
    def _check_press_evidence(self):
        for proof in self.sudo().filtered("rule_id.is_press"):
            if not (proof.press_media and proof.press_country_id and proof.press_date):
                raise ValidationError(
                    _("A press mention needs its media, country and publication date.")
                )

    @api.model
    def create(self, vals):
        vals = {key: value for key, value in vals.items() if key not in DECISION_FIELDS}
        proof = super(AmbassadorProof, self).create(vals)
        # The ambassador follows its proof, so decisions reach it by e-mail.
        # sudo: subscribing needs write access, which ambassadors do not have.
        proof.sudo().message_subscribe(partner_ids=proof.partner_id.ids)
        return proof

    @api.multi
    def write(self, vals):
        if set(vals) & DECISION_FIELDS:
            raise UserError(_("Approve or reject a proof with its buttons."))
        decided = self.filtered(lambda proof: proof.state != "submitted")
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
        return super(AmbassadorProof, self).write(vals)

    @api.multi
    def _lock_for_decision(self):
        """Row-lock the proofs and check they still wait for a decision. Under
        Odoo's repeatable-read transactions, a concurrent decision makes this
        fail with a serialization error instead of deciding twice."""
        if not self:
            return
        self.env.cr.execute(
            "SELECT id FROM ambassador_proof WHERE id IN %s FOR UPDATE",
            (tuple(self.ids),),
        )
        self.invalidate_cache(["state"])
        for proof in self:
            if proof.state != "submitted":
                raise UserError(
                    _("The proof '%s' was already decided.") % proof.display_name
                )

    @api.multi
    def action_approve(self):
        self.check_access_rights("write")
        self.check_access_rule("write")
        self._lock_for_decision()
        Ledger = self.env["ambassador.point.transaction"].with_context(
            ambassador_defer_tiers=True
        )
        for proof in self:
            Ledger.create(
                {
                    "partner_id": proof.partner_id.id,
                    "segment_id": proof.segment_id.id,
                    "rule_id": proof.rule_id.id,
                    "proof_id": proof.id,
                    "points": proof.rule_id.points,
                    "origin": "proof",
                    "note": proof.name,
                }
            )
        super(AmbassadorProof, self).write(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        for proof in self:
            proof.message_post(
                body=_("Your proof was approved: %d points.") % proof.points_awarded,
                subtype="mail.mt_comment",
            )
        self.mapped("partner_id")._ambassador_update_tiers()
        return True

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
                body=_("Your proof was not accepted: %s") % proof.rejection_reason,
                subtype="mail.mt_comment",
            )
        return True

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
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ambassador_program.proof_max_file_mb")
        )
        try:
            return int(float(value or 10) * 1024 * 1024)
        except ValueError:
            return 10 * 1024 * 1024

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
                _("%s: this type of file is not accepted (accepted: %s).")
                % (name, ", ".join(sorted(allowed)))
            )
        size = len(content or b"")
        if not size:
            raise UserError(_("%s is empty.") % name)
        if size > self._ambassador_max_file_size():
            raise UserError(
                _("%s is too large (%.1f MB; at most %d MB per file).")
                % (name, size / 1048576.0, self._ambassador_max_file_size() // 1048576)
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
                _("%s does not contain what its name says (.%s).") % (name, extension)
            )
        return name, mimetype

    @api.model
    def _ambassador_check_office_zip(self, extension, content):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if extension == "docx":
                    return "word/document.xml" in names
                return (
                    "mimetype" in names
                    and archive.read("mimetype").strip()
                    == b"application/vnd.oasis.opendocument.text"
                )
        except (zipfile.BadZipfile, KeyError, RuntimeError, ValueError):
            return False

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
            attachments |= Attachment.create(
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
        if attachments:
            self.sudo().write({"attachment_ids": [(4, a.id) for a in attachments]})
        return attachments

    # ------------------------------------------------------------------
    # Proofs by e-mail, through the alias (data: mail_alias_proofs)
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_email_sender(self, email_from):
        """The one active ambassador whose address sent the message."""
        emails = tools.email_split(email_from or "")
        if not emails:
            return self.env["res.partner"]
        self.env.cr.execute(
            """
            SELECT id FROM res_partner
            WHERE lower(email) = lower(%s) AND ambassador_state = 'active'
              AND active ORDER BY id LIMIT 2
            """,
            (emails[0],),
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
        code = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ambassador_program.email_proof_rule_code")
        )
        preferred = rules.filtered(lambda rule: code and rule.code == code)
        return preferred[:1] or rules[:1]

    @api.model
    def _ambassador_log_unknown_sender(self, msg_dict, reason):
        """Keep a trace staff can read (Settings > Technical > Logging)."""
        self.env["ir.logging"].sudo().create(
            {
                "name": "ambassador_program.proof_email",
                "type": "server",
                "dbname": self.env.cr.dbname,
                "level": "WARNING",
                "message": _("Proof e-mail not accepted from %s (subject: %s): %s")
                % (
                    (msg_dict.get("email_from") or "")[:256],
                    (msg_dict.get("subject") or "")[:256],
                    reason,
                ),
                "path": self._name,
                "func": "message_new",
                "line": "0",
            }
        )

    @api.model
    def _alias_check_contact(self, message, message_dict, alias):
        """New proofs only from active ambassadors; others get a short reply
        (Odoo's bounce) and a log line for staff. Replies to an existing proof
        follow Odoo's usual alias policy."""
        if self:
            return self.env["mail.alias.mixin"]._alias_check_contact_on_record(
                self, message, message_dict, alias
            )
        if self._ambassador_email_sender(message_dict.get("email_from")):
            return True
        reason = _("the sender is not an active ambassador")
        self._ambassador_log_unknown_sender(message_dict, reason)
        return {
            "error_message": reason,
            "error_template": "<div><p>%s</p><p>%s</p></div>"
            % (
                _("Hello,"),
                _(
                    "This address only registers proofs sent by active ambassadors "
                    "from the e-mail address of their ambassador account. Your "
                    "message was not registered."
                ),
            ),
        }

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A message to the proofs alias becomes a submitted proof of the
        ambassador who sent it, with its files (checked like portal files)."""
        partner = self._ambassador_email_sender(msg_dict.get("email_from"))
        rule = partner and self._ambassador_email_rule(partner)
        if not partner or not rule:
            reason = (
                _("no point rule for the segment of the sender")
                if partner
                else _("the sender is not an active ambassador")
            )
            self._ambassador_log_unknown_sender(msg_dict, reason)
            raise ValueError("Proof e-mail refused: %s" % reason)
        accepted, refused = [], []
        for attachment in msg_dict.pop("attachments", None) or []:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode("utf-8")
            try:
                name, mimetype = self._ambassador_check_file(name, content)
                accepted.append((name, mimetype, content))
            except UserError as error:
                refused.append(error.name)
        body = tools.html2plaintext(msg_dict.get("body") or "").strip()
        values = dict(custom_values or {})
        values.update(
            {
                "name": (msg_dict.get("subject") or "").strip()[:200]
                or _("Proof sent by e-mail"),
                "partner_id": partner.id,
                "rule_id": rule.id,
                "description": body[:5000],
                "channel": "email",
            }
        )
        proof = self.create(values)
        proof._ambassador_attach_files(accepted)
        if refused:
            proof.message_post(
                body=_("Files not kept: %s") % "; ".join(refused),
                subtype="mail.mt_note",
            )
        return proof
