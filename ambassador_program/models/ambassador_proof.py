# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
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
        [("submitted", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
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
        for proof in self:
            segment = proof.partner_id.ambassador_segment_id
            if segment and segment not in proof.rule_id.segment_ids:
                raise ValidationError(
                    _("The action '%s' does not apply to the segment %s.")
                    % (proof.rule_id.name, segment.name)
                )

    @api.constrains("press_media", "press_country_id", "press_date", "rule_id")
    def _check_press_evidence(self):
        for proof in self.filtered("rule_id.is_press"):
            if not (proof.press_media and proof.press_country_id and proof.press_date):
                raise ValidationError(
                    _("A press mention needs its media, country and publication date.")
                )

    @api.model
    def create(self, vals):
        vals = {key: value for key, value in vals.items() if key not in DECISION_FIELDS}
        proof = super(AmbassadorProof, self).create(vals)
        # The ambassador follows its proof, so decisions reach it by e-mail.
        proof.message_subscribe(partner_ids=proof.partner_id.ids)
        return proof

    @api.multi
    def write(self, vals):
        if set(vals) & DECISION_FIELDS:
            raise UserError(_("Approve or reject a proof with its buttons."))
        decided = self.filtered(lambda proof: proof.state != "submitted")
        locked = set(vals) & {"partner_id", "rule_id", "press_media", "press_date",
                              "press_country_id", "url"}
        if decided and locked:
            raise UserError(_("A decided proof cannot be changed."))
        return super(AmbassadorProof, self).write(vals)

    @api.multi
    def _lock_for_decision(self):
        """Row-lock the proofs and check they still wait for a decision. Under
        Odoo's repeatable-read transactions, a concurrent decision makes this
        fail with a serialization error instead of deciding twice."""
        self.env.cr.execute(
            "SELECT id FROM ambassador_proof WHERE id IN %s FOR UPDATE", (tuple(self.ids),)
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
        Ledger = self.env["ambassador.point.transaction"]
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
