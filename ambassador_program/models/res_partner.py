# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .authority import as_engine, is_engine
from .counting import count_per_record
from .safe_url import is_http_url

AMBASSADOR_STATES = [
    ("candidate", "Candidate"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("left", "Left"),
]
TERRITORY_LINKS = [
    ("resident", "Resident"),
    ("student", "Student"),
    ("native", "Born or raised here"),
    ("diaspora", "Diaspora abroad"),
    ("visitor", "Visitor"),
    ("other", "Other"),
]
# Consent fields (off by default) and the purpose each records in the consent log.
CONSENT_PURPOSES = {
    "ambassador_consent_newsletter": "newsletter",
    "ambassador_show_email": "directory_email",
    "ambassador_show_phone": "directory_phone",
    "ambassador_show_company": "directory_company",
    "ambassador_show_city": "directory_city",
    "ambassador_show_skills": "directory_skills",
    "ambassador_consent_wall": "wall",
}
# Only the ledger (through SQL) and the status engine (authority.as_engine) set
# these; the life-cycle state changes through the partner's actions.
ENGINE_FIELDS = {
    "ambassador_balance",
    "ambassador_tier_id",
    "ambassador_tier_valid_until",
}
STATE_FIELD = "ambassador_state"
STAFF_GROUP = "ambassador_program.group_ambassador_user"
# Context key carrying the reason staff give for changing someone's consents.
CONSENT_REASON_KEY = "ambassador_consent_reason"
# Contact fields holding a link others click (sign-up form, backend): http(s) only.
LINK_FIELDS = ("website",)


class ResPartner(models.Model):
    """An ambassador is a contact with an ambassador state."""

    _inherit = "res.partner"

    ambassador_state = fields.Selection(
        AMBASSADOR_STATES,
        string="Ambassador Status",
        index=True,
        copy=False,
        track_visibility="onchange",
        help="Candidate: signed up, e-mail not confirmed. Suspended ambassadors "
        "earn no points and lose directory access.",
    )
    ambassador_segment_id = fields.Many2one(
        "ambassador.segment",
        string="Segment",
        index=True,
        ondelete="restrict",
        copy=False,
        track_visibility="onchange",
    )
    ambassador_tier_id = fields.Many2one(
        "ambassador.tier",
        string="Tier",
        index=True,
        ondelete="restrict",
        copy=False,
        readonly=True,
        track_visibility="onchange",
    )
    ambassador_tier_valid_until = fields.Date(
        string="Status Valid Until", readonly=True, copy=False
    )
    ambassador_balance = fields.Integer(
        string="Points",
        default=0,
        readonly=True,
        copy=False,
        help="Sum of the ambassador's ledger lines in its segment.",
    )
    ambassador_signup_date = fields.Datetime(string="Signed Up On", copy=False)
    ambassador_since = fields.Date(copy=False, index=True)
    ambassador_left_date = fields.Date(copy=False)
    ambassador_next_tier_id = fields.Many2one(
        "ambassador.tier", compute="_compute_ambassador_progress", string="Next Tier"
    )
    ambassador_points_to_next = fields.Integer(
        compute="_compute_ambassador_progress", string="Points to Next Tier"
    )
    ambassador_progress = fields.Float(
        compute="_compute_ambassador_progress", string="Progress (%)"
    )
    # Profile: guideline 2, segmentation by skills; the diaspora's reach abroad.
    ambassador_skill_ids = fields.Many2many(
        "ambassador.skill",
        "ambassador_skill_partner_rel",
        "partner_id",
        "skill_id",
        string="Skills",
    )
    ambassador_language_ids = fields.Many2many(
        "res.lang",
        "ambassador_lang_partner_rel",
        "partner_id",
        "lang_id",
        string="Spoken Languages",
        context={"active_test": False},
    )
    ambassador_network_country_ids = fields.Many2many(
        "res.country",
        "ambassador_network_country_rel",
        "partner_id",
        "country_id",
        string="Network Countries",
        help="Countries the ambassador's network reaches.",
    )
    # Segment-specific sign-up information.
    ambassador_institution = fields.Char(string="Institution")
    ambassador_research_field = fields.Char(string="Research Field")
    ambassador_organisation = fields.Char(string="Organisation")
    ambassador_activity = fields.Char(string="Activity")
    ambassador_territory_link = fields.Selection(
        TERRITORY_LINKS, string="Link to the Territory"
    )
    ambassador_motivation = fields.Text(string="Motivation")
    ambassador_testimonial = fields.Text(
        string="Why I Am an Ambassador",
        help="A few words by the ambassador, shown with its photo on the public "
        "wall when it agreed to appear there.",
    )
    # Consents, all off by default.
    ambassador_consent_newsletter = fields.Boolean(string="Newsletter", copy=False)
    ambassador_consent_wall = fields.Boolean(
        string="Public Thanks", copy=False, help="Appear on the public wall."
    )
    ambassador_show_email = fields.Boolean(string="Show E-mail", copy=False)
    ambassador_show_phone = fields.Boolean(string="Show Phone", copy=False)
    ambassador_show_company = fields.Boolean(string="Show Company", copy=False)
    ambassador_show_city = fields.Boolean(string="Show City", copy=False)
    ambassador_show_skills = fields.Boolean(string="Show Skills", copy=False)
    ambassador_charter_id = fields.Many2one(
        "ambassador.charter", string="Accepted Charter", readonly=True, copy=False
    )
    ambassador_charter_outdated = fields.Boolean(
        compute="_compute_ambassador_charter_outdated",
        search="_search_ambassador_charter_outdated",
        string="Charter to Re-accept",
    )
    ambassador_transaction_ids = fields.One2many(
        "ambassador.point.transaction", "partner_id", string="Points Ledger"
    )
    ambassador_proof_ids = fields.One2many(
        "ambassador.proof", "partner_id", string="Proofs"
    )
    ambassador_promotion_ids = fields.One2many(
        "ambassador.promotion", "partner_id", string="Status History"
    )
    ambassador_incident_ids = fields.One2many(
        "ambassador.incident", "partner_id", string="Incidents"
    )
    ambassador_consent_ids = fields.One2many(
        "ambassador.consent", "partner_id", string="Consent Log"
    )
    ambassador_charter_acceptance_ids = fields.One2many(
        "ambassador.charter.acceptance", "partner_id", string="Charter Acceptances"
    )
    ambassador_proof_count = fields.Integer(compute="_compute_ambassador_counts")
    ambassador_incident_count = fields.Integer(compute="_compute_ambassador_counts")

    # ------------------------------------------------------------------
    # Computed fields
    # ------------------------------------------------------------------
    @api.depends("ambassador_balance", "ambassador_tier_id", "ambassador_segment_id")
    def _compute_ambassador_progress(self):
        thresholds = self.env["ambassador.tier.threshold"].search(
            [("segment_id", "in", self.mapped("ambassador_segment_id").ids)]
        )
        for partner in self:
            current = partner.ambassador_tier_id
            ladder = thresholds.filtered(
                lambda line: line.segment_id == partner.ambassador_segment_id
                and line.tier_id.sequence > (current.sequence if current else -1)
            ).sorted(lambda line: line.tier_id.sequence)
            if not ladder:
                partner.ambassador_next_tier_id = False
                partner.ambassador_points_to_next = 0
                partner.ambassador_progress = 100.0 if current else 0.0
                continue
            target = ladder[0]
            partner.ambassador_next_tier_id = target.tier_id
            partner.ambassador_points_to_next = max(
                target.points - partner.ambassador_balance, 0
            )
            partner.ambassador_progress = (
                min(100.0, 100.0 * partner.ambassador_balance / target.points)
                if target.points
                else 100.0
            )

    @api.multi
    def _compute_ambassador_counts(self):
        for model, field in (
            ("ambassador.proof", "ambassador_proof_count"),
            ("ambassador.incident", "ambassador_incident_count"),
        ):
            counts = count_per_record(self.env[model], "partner_id", self.ids)
            for partner in self:
                partner[field] = counts.get(partner.id, 0)

    @api.depends("ambassador_charter_id", "ambassador_state")
    def _compute_ambassador_charter_outdated(self):
        current = self.env["ambassador.charter"].get_current()
        for partner in self:
            partner.ambassador_charter_outdated = bool(
                current
                and partner.ambassador_state == "active"
                and partner.ambassador_charter_id != current
            )

    def _search_ambassador_charter_outdated(self, operator, value):
        current = self.env["ambassador.charter"].get_current()
        if not current:
            outdated = [("id", "=", 0)]
        else:
            outdated = [
                "&",
                ("ambassador_state", "=", "active"),
                "|",
                ("ambassador_charter_id", "=", False),
                ("ambassador_charter_id", "!=", current.id),
            ]
        if (operator == "=") == bool(value):
            return outdated
        return ["!"] + outdated if len(outdated) > 1 else [("id", "!=", 0)]

    @api.constrains("website", "ambassador_state")
    def _check_ambassador_links(self):
        """Staff and other ambassadors click an ambassador's links: only
        http(s) (no javascript:, data:...), whatever the route."""
        for partner in self.filtered("ambassador_state"):
            for name in LINK_FIELDS:
                if partner[name] and not is_http_url(partner[name]):
                    raise ValidationError(
                        _("%s: a web address starts with http:// or https://.")
                        % partner._fields[name].get_description(self.env)["string"]
                    )

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_check_guarded_fields(self, vals, creating=False):
        """Who may set the programme's guarded fields, whatever the route (form,
        RPC, import): balances and tiers only the engine; the life-cycle state
        the engine (the partner's actions) or, when enrolling a new contact,
        programme staff; consents the data subject's own channels (through the
        engine) or programme staff giving a reason, which the log keeps."""
        if is_engine(self.env):
            return
        # On create, empty values are the fields' defaults (res.users creating
        # its partner passes them all), not a choice.
        given = {name for name in vals if vals[name] or not creating}
        if given & ENGINE_FIELDS:
            raise AccessError(
                _(
                    "Points and tiers change through the ledger and the "
                    "committee, not by editing the contact."
                )
            )
        staff = self.env.user.has_group(STAFF_GROUP)
        if STATE_FIELD in given and not (creating and staff):
            raise AccessError(
                _(
                    "An ambassador's status changes with the buttons of its "
                    "Ambassador tab (Enrol, Activate, Suspend, Leave)."
                )
            )
        consents = given & set(CONSENT_PURPOSES)
        if consents and not (
            staff and (self.env.context.get(CONSENT_REASON_KEY) or "").strip()
        ):
            raise AccessError(
                _(
                    "Consents are given by the ambassador (sign-up, ambassador "
                    "space); programme staff record a change with its reason "
                    "(Record Consents)."
                )
            )

    @api.model
    def create(self, vals):
        self._ambassador_check_guarded_fields(vals, creating=True)
        partner = super(ResPartner, self).create(vals)
        if partner.ambassador_state and not partner.ambassador_tier_id:
            # Every new ambassador starts at the base tier.
            as_engine(self.env["ambassador.status.engine"])._set_tiers(
                partner, self.env["ambassador.tier"].get_base_tier()
            )
        partner._ambassador_log_consents(vals)
        return partner

    @api.multi
    def write(self, vals):
        self._ambassador_check_guarded_fields(vals)
        segment_changed = self.filtered(
            lambda p: "ambassador_segment_id" in vals
            and p.ambassador_segment_id.id != vals["ambassador_segment_id"]
        )
        result = super(ResPartner, self).write(vals)
        Engine = as_engine(self.env["ambassador.status.engine"])
        untiered = self.browse()
        if vals.get("ambassador_state"):
            # An existing contact enrolled by staff starts at the base tier too.
            untiered = self.filtered(lambda p: not p.ambassador_tier_id)
            Engine._set_tiers(untiered, self.env["ambassador.tier"].get_base_tier())
        self._ambassador_log_consents(vals)
        if segment_changed:
            # The balance counts the ledger of the current segment only.
            self.env["ambassador.point.transaction"]._recompute_balances(
                segment_changed
            )
            Engine._evaluate(segment_changed)
        # What follows the status (pricelist, mailing lists) acts on the fields
        # it depends on. The engine syncs after the fields it writes itself
        # (_set_tiers), so its writes do not call back into it from here;
        # contacts just given their first tier went through it.
        changed = set(vals) - ENGINE_FIELDS
        if changed:
            Engine._sync_benefits(self.filtered("ambassador_state") - untiered, changed)
        return result

    @api.multi
    def _ambassador_set_consents(self, consents, channel, ip=None):
        """Consents chosen by the data subject itself: ``self`` must be the
        current user's own contact, unless the caller holds the engine's
        authority after checking the person another way (a confirmation token
        e-mailed to the address). Only consent flags are written."""
        self.ensure_one()
        if not is_engine(self.env) and self != self.env.user.partner_id:
            raise AccessError(_("Only the ambassador changes its own consents."))
        changes = {
            name: bool(value)
            for name, value in consents.items()
            if name in CONSENT_PURPOSES and bool(value) != bool(self[name])
        }
        if changes:
            # Engine: the person was checked just above; each change is logged
            # with its channel and IP.
            as_engine(self).with_context(
                ambassador_channel=channel, ambassador_ip=ip
            ).write(changes)
        return changes

    @api.multi
    def _ambassador_log_consents(self, vals, channel="staff", ip=None):
        changed = [field for field in CONSENT_PURPOSES if field in vals]
        if not changed:
            return
        # sudo: the log is written whoever changes the consent; the change
        # itself was checked by _ambassador_check_guarded_fields.
        Consent = self.env["ambassador.consent"].sudo()
        channel = self.env.context.get("ambassador_channel", channel)
        ip = self.env.context.get("ambassador_ip", ip)
        reason = (self.env.context.get(CONSENT_REASON_KEY) or "").strip()[:256]
        for partner in self.filtered("ambassador_state"):
            for field in changed:
                Consent.create(
                    {
                        "partner_id": partner.id,
                        "purpose": CONSENT_PURPOSES[field],
                        "granted": bool(vals[field]),
                        "channel": channel,
                        "ip_address": ip,
                        "reason": reason or False,
                        "user_id": self.env.uid,
                    }
                )

    # ------------------------------------------------------------------
    # Ambassador life cycle
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_check_staff(self):
        if not self.env.user.has_group("ambassador_program.group_ambassador_user"):
            raise AccessError(_("Only programme staff manage ambassadors."))

    @api.multi
    def action_ambassador_enrol(self):
        """Enrol existing contacts as candidates (activation needs a segment)."""
        self._ambassador_check_staff()
        self.check_access_rule("write")
        enrolled = self.filtered(lambda partner: not partner.ambassador_state)
        # Engine: programme staff checked just above.
        as_engine(enrolled).write({"ambassador_state": "candidate"})
        return True

    @api.multi
    def action_ambassador_activate(self):
        """Candidate (or suspended) to active."""
        self._ambassador_check_staff()
        self.check_access_rule("write")
        return self._ambassador_activate()

    @api.multi
    def _ambassador_activate(self):
        """Callers check who may activate (staff, or the confirmed sign-up)."""
        # Engine: the state changes only here and in the actions below.
        engine = as_engine(self)
        for partner in engine:
            if partner.ambassador_state not in ("candidate", "suspended"):
                raise UserError(
                    _("%s is not a candidate or a suspended ambassador.")
                    % partner.display_name
                )
            if not partner.ambassador_segment_id:
                raise UserError(
                    _("Choose the segment of %s before activating.")
                    % partner.display_name
                )
            vals = {"ambassador_state": "active"}
            if not partner.ambassador_since:
                vals["ambassador_since"] = fields.Date.context_today(partner)
            partner.write(vals)
        self.env["ambassador.status.engine"]._evaluate(engine)
        return True

    @api.multi
    def action_ambassador_suspend(self):
        self._ambassador_check_staff()
        self.check_access_rule("write")
        for partner in self:
            if partner.ambassador_state != "active":
                raise UserError(_("Only an active ambassador can be suspended."))
        # Engine: programme staff checked just above.
        return as_engine(self).write({"ambassador_state": "suspended"})

    @api.multi
    def action_ambassador_leave(self):
        """The ambassador leaves (or is excluded): no points, no access."""
        self._ambassador_check_staff()
        self.check_access_rule("write")
        # Engine: programme staff checked just above.
        as_engine(self).write(
            {
                "ambassador_state": "left",
                "ambassador_left_date": fields.Date.context_today(self),
            }
        )
        return True

    @api.multi
    def _ambassador_accept_charter(
        self, charter, channel="staff", ip=None, user_agent=None
    ):
        """Record that these ambassadors accept ``charter`` (record or id)."""
        if not isinstance(charter, models.BaseModel):
            charter = self.env["ambassador.charter"].browse(charter)
        for partner in self:
            self.env["ambassador.charter.acceptance"].sudo().create(
                {
                    "partner_id": partner.id,
                    "charter_id": charter.id,
                    "channel": channel,
                    "ip_address": ip,
                    "user_agent": (user_agent or "")[:256] or False,
                }
            )
        self.sudo().write({"ambassador_charter_id": charter.id})
        return True

    @api.multi
    def _ambassador_demo_set_lang(self, code):
        """Demo data: speak ``code`` to these contacts if the database offers
        that language. A language is the administrator's choice: the demo never
        loads one, and on a database without it the contacts keep the default
        (res.partner.lang accepts only installed languages)."""
        if not self.env["res.lang"].search_count([("code", "=", code)]):
            return False
        return self.write({"lang": code})

    @api.multi
    def action_ambassador_view_proofs(self):
        self.ensure_one()
        action = self.env.ref("ambassador_program.action_ambassador_proof").read()[0]
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.multi
    def action_ambassador_view_incidents(self):
        self.ensure_one()
        action = self.env.ref("ambassador_program.action_ambassador_incident").read()[0]
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
