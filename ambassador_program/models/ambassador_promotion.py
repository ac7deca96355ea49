# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import as_engine, is_engine

STAFF = "ambassador_program.group_ambassador_user"

REASONS = [
    ("points", "Points"),
    ("committee", "Committee"),
    ("annual_review", "Annual Review"),
    ("sanction", "Sanction"),
    ("manual", "Manual"),
    ("import", "Import"),
]


class AmbassadorPromotion(models.Model):
    """A tier change of an ambassador: applied at once (Silver by points, sanctions)
    or proposed and decided by the steering committee (Gold, Platinum, yearly
    reviews). Every record is the log of one status decision."""

    _name = "ambassador.promotion"
    _description = "Ambassador Status Change"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Ambassador",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        states={"proposed": [("readonly", False)]},
    )
    segment_id = fields.Many2one(
        "ambassador.segment",
        related="partner_id.ambassador_segment_id",
        store=True,
        readonly=True,
    )
    from_tier_id = fields.Many2one("ambassador.tier", string="From", readonly=True)
    to_tier_id = fields.Many2one(
        "ambassador.tier",
        string="To",
        required=True,
        readonly=True,
        states={"proposed": [("readonly", False)]},
    )
    reason = fields.Selection(REASONS, required=True, default="manual", readonly=True)
    state = fields.Selection(
        [
            ("proposed", "Waiting for the Committee"),
            ("applied", "Applied"),
            ("refused", "Refused"),
            ("lapsed", "Lapsed"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
        track_visibility="onchange",
    )
    kind = fields.Selection(
        [("up", "Promotion"), ("renewal", "Renewal"), ("down", "Downgrade")],
        compute="_compute_kind",
        store=True,
    )
    balance = fields.Integer(string="Points at Proposal", readonly=True)
    # Staff only: the ambassador reads its status history, not the committee's
    # deliberations nor who decided (SPEC 2.6).
    committee_notes = fields.Text(groups=STAFF)
    decided_by_id = fields.Many2one("res.users", readonly=True, groups=STAFF)
    decision_date = fields.Datetime(readonly=True)
    review_deadline = fields.Date(
        readonly=True,
        help="Yearly review: without renewal by this date, the status falls back "
        "to what the points allow without the committee.",
    )
    valid_until = fields.Date(readonly=True, help="Validity granted by this decision.")

    # The ambassador's file, read on the decision form so that the committee
    # decides without leaving it. Staff only: an ambassador reading its own
    # status history over RPC gets none of it (incidents, other decisions).
    partner_state = fields.Selection(
        related="partner_id.ambassador_state", readonly=True, groups=STAFF)
    partner_tier_id = fields.Many2one(
        related="partner_id.ambassador_tier_id", string="Tier Now", readonly=True,
        groups=STAFF)
    partner_balance = fields.Integer(
        related="partner_id.ambassador_balance", string="Points Now", readonly=True,
        groups=STAFF)
    partner_since = fields.Date(
        related="partner_id.ambassador_since", readonly=True, groups=STAFF)
    partner_skill_ids = fields.Many2many(
        related="partner_id.ambassador_skill_ids", string="Skills", readonly=True,
        groups=STAFF)
    partner_language_ids = fields.Many2many(
        related="partner_id.ambassador_language_ids", string="Languages",
        readonly=True, groups=STAFF)
    partner_network_country_ids = fields.Many2many(
        related="partner_id.ambassador_network_country_ids",
        string="Network Countries", readonly=True, groups=STAFF)
    partner_motivation = fields.Text(
        related="partner_id.ambassador_motivation", string="Motivation",
        readonly=True, groups=STAFF)
    partner_transaction_ids = fields.One2many(
        related="partner_id.ambassador_transaction_ids", string="Points Ledger",
        readonly=True, groups=STAFF)
    partner_incident_ids = fields.One2many(
        related="partner_id.ambassador_incident_ids", string="Incidents",
        readonly=True, groups=STAFF)
    approved_proof_ids = fields.Many2many(
        "ambassador.proof", compute="_compute_file", string="Approved Proofs",
        groups=STAFF)
    previous_decision_ids = fields.Many2many(
        "ambassador.promotion", compute="_compute_file",
        string="Previous Status Changes", groups=STAFF)

    @api.depends("from_tier_id.sequence", "to_tier_id.sequence")
    def _compute_kind(self):
        for change in self:
            before = change.from_tier_id.sequence if change.from_tier_id else -1
            after = change.to_tier_id.sequence
            change.kind = (
                "up" if after > before else "down" if after < before else "renewal"
            )

    @api.depends("partner_id")
    def _compute_file(self):
        # One search each for the whole set (a queue of proposals opens at once).
        partners = self.mapped("partner_id")
        proofs = self.env["ambassador.proof"].search(
            [("partner_id", "in", partners.ids), ("state", "=", "approved")],
            order="decision_date desc, id desc",
        )
        changes = self.search(
            [("partner_id", "in", partners.ids)], order="create_date desc, id desc"
        )
        for change in self:
            change.approved_proof_ids = proofs.filtered(
                lambda proof: proof.partner_id == change.partner_id
            )
            change.previous_decision_ids = changes.filtered(
                lambda other: other.partner_id == change.partner_id
                and other.id != change.id
                and (not change.create_date or other.create_date <= change.create_date)
            )

    @api.multi
    def name_get(self):
        # The contacts' names read for the set at once (a contact reached
        # through one change carries no prefetch of the others).
        partners = self.mapped("partner_id")
        names = {partner.id: partner.display_name for partner in partners}
        return [
            (
                change.id,
                "%s: %s → %s"
                % (
                    names.get(change.partner_id.id, ""),
                    change.from_tier_id.name or "-",
                    change.to_tier_id.name,
                ),
            )
            for change in self
        ]

    def _needs_committee(self):
        """The committee tiers this change touches, judged on the tier the
        ambassador really holds now, whatever the change's recorded values."""
        return (
            self.partner_id.ambassador_tier_id | self.from_tier_id | self.to_tier_id
        ).filtered("committee_required")

    @api.model
    def create(self, vals):
        # The contact's "Propose" passes the ambassador as a default: the tier
        # left and the balance are read from it here, before create applies it.
        if not vals.get("partner_id") and self.env.context.get("default_partner_id"):
            vals = dict(vals, partner_id=self.env.context["default_partner_id"])
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        if is_engine(self.env):
            vals.setdefault("from_tier_id", partner.ambassador_tier_id.id)
            vals.setdefault("balance", partner.ambassador_balance)
        else:
            # Staff propose; only the status engine records changes in another
            # state or for another reason, and nobody chooses the tier left.
            vals.update(
                state="proposed",
                reason="manual",
                from_tier_id=partner.ambassador_tier_id.id,
                balance=partner.ambassador_balance,
            )
            for field in ("decided_by_id", "decision_date", "valid_until",
                          "review_deadline"):
                vals.pop(field, None)
        return super(AmbassadorPromotion, self).create(vals)

    @api.multi
    def _check_can_decide(self):
        committee = self.env.user.has_group(
            "ambassador_program.group_ambassador_committee"
        )
        for change in self:
            if change._needs_committee() and not committee:
                raise AccessError(
                    _("Only the steering committee decides %s statuses.")
                    % ", ".join(change._needs_committee().mapped("name"))
                )
            if not self.env.user.has_group("ambassador_program.group_ambassador_user"):
                raise AccessError(_("Only programme staff decide status changes."))

    @api.multi
    def _lock_proposed(self):
        if not self:
            return
        # log_exceptions: losing the race is expected (Odoo retries the
        # request, which then reads the decision), not an error to log.
        self.env.cr.execute(
            "SELECT id FROM ambassador_promotion WHERE id IN %s FOR UPDATE",
            (tuple(self.ids),),
            log_exceptions=False,
        )
        self.invalidate_cache(["state"])
        if self.filtered(lambda change: change.state != "proposed"):
            raise UserError(_("This status change was already decided."))

    @api.multi
    def action_approve(self):
        """Committee decision: grant the proposed tier (or renew it)."""
        self._check_can_decide()
        self._lock_proposed()
        for change in self:
            # Engine: the decision was checked just above (committee, staff).
            as_engine(change)._apply(decided_by=self.env.user)
        # The ambassador hears of the decision by e-mail, in its language.
        self.env["ambassador.status.engine"]._notify_status_changes(self)
        return True

    @api.multi
    def action_refuse(self):
        """Committee decision: refuse. A refused yearly review falls back at once."""
        self._check_can_decide()
        self._lock_proposed()
        for change in self:
            # Engine: the decision was checked just above (committee, staff).
            as_engine(change).write(
                {
                    "state": "refused",
                    "decided_by_id": self.env.uid,
                    "decision_date": fields.Datetime.now(),
                }
            )
            if change.reason == "annual_review":
                self.env["ambassador.status.engine"]._fall_back(
                    change.partner_id, notes=_("Renewal refused by the committee.")
                )
        # The ambassador hears of the decision by e-mail, in its language (a
        # refused review: through its fall-back's e-mail).
        self.env["ambassador.status.engine"]._notify_status_changes(self)
        return True

    @api.multi
    def _apply(self, decided_by=None):
        """Give the partner the target tier; sets validity for committee tiers.
        Engine only: callers decide who may apply (see action_approve)."""
        if not is_engine(self.env):
            raise AccessError(_("Only the status engine applies status changes."))
        today = fields.Date.from_string(fields.Date.context_today(self))
        for change in self:
            partner = change.partner_id
            tier = change.to_tier_id
            valid_until = False
            if tier.validity_months:
                start = today
                current_end = partner.ambassador_tier_valid_until
                if change.kind == "renewal" and current_end:
                    # Renewing extends the running period, it does not restart it.
                    start = max(today, fields.Date.from_string(current_end))
                valid_until = fields.Date.to_string(
                    start + relativedelta(months=tier.validity_months)
                )
            change.write(
                {
                    "state": "applied",
                    # The tier it really leaves, which may have moved since the
                    # proposal (e.g. Silver by points while Gold was pending).
                    "from_tier_id": partner.ambassador_tier_id.id,
                    "decided_by_id": (decided_by or self.env.user).id,
                    "decision_date": fields.Datetime.now(),
                    "valid_until": valid_until,
                }
            )
            self.env["ambassador.status.engine"]._set_tiers(partner, tier, valid_until)
            # Pending proposals this decision makes moot (a lower or the same
            # tier, an open review of the old status) are closed by it.
            self.search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "=", "proposed"),
                    ("id", "!=", change.id),
                    "|",
                    ("reason", "=", "annual_review"),
                    ("to_tier_id.sequence", "<=", tier.sequence),
                ]
            ).write({"state": "lapsed"})
        return True

    @api.multi
    def write(self, vals):
        protected = {"state", "decided_by_id", "decision_date", "valid_until",
                     "reason", "from_tier_id", "balance", "review_deadline"}
        engine = is_engine(self.env)
        if set(vals) & protected and not engine:
            raise AccessError(_("Decide status changes with their buttons."))
        if not engine and self.filtered(
            lambda change: change.state != "proposed"
        ) and set(vals) - {"committee_notes", "message_follower_ids"}:
            raise UserError(_("A decided status change cannot be modified."))
        return super(AmbassadorPromotion, self).write(vals)

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None, subtype_ids=None,
                          force=True):
        """Followers get what is posted on a status change, the committee's
        discussion included: programme staff (and the engine) choose them; an
        ambassador cannot follow its own over RPC."""
        if not (is_engine(self.env) or self.env.user.has_group(STAFF)):
            raise AccessError(_("Only programme staff choose who follows a "
                                "status change."))
        return super(AmbassadorPromotion, self).message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force,
        )

    @api.multi
    def unlink(self):
        if self.filtered(lambda change: change.state != "proposed"):
            raise UserError(_("The history of status changes cannot be deleted."))
        return super(AmbassadorPromotion, self).unlink()
