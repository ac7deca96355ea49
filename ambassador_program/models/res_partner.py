# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import io

from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .authority import as_engine, is_engine
from .counting import count_per_record
from .form_input import FormErrors, parse_id
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
    "ambassador_consent_leaderboard": "leaderboard",
}
# Only the ledger (through SQL) and the status engine (authority.as_engine) set
# these; the life-cycle state changes through the partner's actions.
ENGINE_FIELDS = {
    "ambassador_balance",
    "ambassador_tier_id",
    "ambassador_tier_valid_until",
}
STATE_FIELD = "ambassador_state"
# The dates the retention job acts on (erasure N years after leaving): set by
# the Leave button and the erasure only.
ENGINE_DATE_FIELDS = {"ambassador_left_date", "ambassador_erased_date"}
STAFF_GROUP = "ambassador_program.group_ambassador_user"
# Context key carrying the reason staff give for changing someone's consents.
CONSENT_REASON_KEY = "ambassador_consent_reason"
# Contact fields holding a link others click (sign-up form, backend): http(s) only.
LINK_FIELDS = ("website",)
# The ambassador's own profile (ambassador space, or RPC): besides its segment's
# questions, these lists (model, most entries), its words and its photo.
PROFILE_LISTS = {
    "ambassador_skill_ids": ("ambassador.skill", 30),
    "ambassador_language_ids": ("res.lang", 20),
    "ambassador_network_country_ids": ("res.country", 60),
}
PROFILE_TEXT_MAX = 256  # a segment's one-line answer
PROFILE_LONG_MAX = 2000  # a segment's text answer
TESTIMONIAL_MAX = 600
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_SIDE = 4000  # pixels: larger images are refused before decoding
PHOTO_FORMATS = {"PNG": "png", "JPEG": "jpeg"}
PROFILE_STATES = ("candidate", "active", "suspended")


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
    ambassador_left_date = fields.Date(copy=False, readonly=True)
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
    ambassador_show_skills = fields.Boolean(
        string="Show Skills and Languages", copy=False,
        help="Show the skills, spoken languages and network countries in the "
        "directory (and find the ambassador by them).",
    )
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
        if given & ENGINE_DATE_FIELDS:
            raise AccessError(
                _(
                    "The leaving and erasure dates are set by the Leave button "
                    "and the erasure, not by editing the contact."
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
    def _ambassador_set_consents(self, consents, channel, ip=None, reconfirm=()):
        """Consents chosen by the data subject itself: ``self`` must be the
        current user's own contact, unless the caller holds the engine's
        authority after checking the person another way (a confirmation token
        e-mailed to the address). Only consent flags are written.
        ``reconfirm``: consent fields the person answered under the current
        text although unchanged (a legacy consent kept, a lapsed one left
        off): logged again, with the text shown."""
        self.ensure_one()
        if not is_engine(self.env) and self != self.env.user.partner_id:
            raise AccessError(_("Only the ambassador changes its own consents."))
        changes = {
            name: bool(value)
            for name, value in consents.items()
            if name in CONSENT_PURPOSES and bool(value) != bool(self[name])
        }
        confirmed = {
            name: bool(consents[name]) for name in reconfirm
            if name in CONSENT_PURPOSES and name in consents and name not in changes
        }
        # Engine: the person was checked just above; each change is logged
        # with its channel and IP.
        engine = as_engine(self).with_context(
            ambassador_channel=channel, ambassador_ip=ip)
        if changes:
            engine.write(changes)
        if confirmed:
            engine._ambassador_log_consents(confirmed, channel, ip)
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
        Purpose = self.env["ambassador.consent.purpose"]
        texts_by_lang = {}
        for partner in self.filtered("ambassador_state"):
            # The text the person read: the page's language on its own
            # channels, its own language when staff record its choice.
            lang = (partner.lang if channel == "staff" else None) or \
                self.env.context.get("lang") or partner.lang or "en_US"
            if lang not in texts_by_lang:
                texts_by_lang[lang] = {
                    purpose: (text.id, text.version, text.text)
                    for purpose, text in Purpose._current_texts(lang).items()}
            texts = texts_by_lang[lang]
            for field in changed:
                text_id, version, text = texts.get(
                    CONSENT_PURPOSES[field], (False, 0, False))
                Consent.create(
                    {
                        "partner_id": partner.id,
                        "purpose": CONSENT_PURPOSES[field],
                        "granted": bool(vals[field]),
                        "channel": channel,
                        "ip_address": ip,
                        "reason": reason or False,
                        "user_id": self.env.uid,
                        "purpose_text_id": text_id,
                        "version": version,
                        "text_shown": text,
                        "text_lang": text and lang,
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

    # ------------------------------------------------------------------
    # The ambassador's own profile (ambassador space, RPC)
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_profile_questions(self):
        """The segment's questions (ambassador.segment.field) the profile
        holds, in the sign-up form's order."""
        self.ensure_one()
        return self.ambassador_segment_id.signup_field_ids.sorted(
            lambda line: (line.sequence, line.id)
        )

    @api.multi
    def _ambassador_profile_keys(self):
        """Every key ambassador_update_profile accepts for this ambassador."""
        return set(self._ambassador_profile_questions().mapped("field_name")) | set(
            PROFILE_LISTS
        ) | {"ambassador_testimonial"}

    @api.multi
    def ambassador_update_profile(self, form=None, photo=None):
        """The ambassador edits its own profile: its segment's questions, its
        skills, spoken languages and network countries (lists of ids), why it
        is an ambassador, its photo (PNG or JPEG, base64 text or bytes). Keys
        left out keep their value; any other key is refused. Consents are not
        here: see _ambassador_set_consents. Raises FormErrors (key -> message)
        and writes nothing when an answer is refused."""
        self.ensure_one()
        if self != self.env.user.partner_id:
            raise AccessError(_("Only the ambassador edits its own profile."))
        # sudo: the user's own contact (checked just above), which portal users
        # may not write; only the keys checked below are written.
        partner = self.sudo()
        if partner.ambassador_state not in PROFILE_STATES:
            raise AccessError(_("Only ambassadors have a profile to edit."))
        form = dict(form or {})
        refused = sorted(set(form) - partner._ambassador_profile_keys())
        if refused:
            raise AccessError(
                _("Your profile does not hold: %s.") % ", ".join(refused)
            )
        values, errors = partner._ambassador_profile_values(form, photo)
        if errors:
            raise FormErrors(errors)
        if values:
            partner.write(values)
        return True

    @api.multi
    def _ambassador_profile_values(self, form, photo):
        """(values to write, errors {key: message}) from the profile's
        answers; the same rules as the sign-up form's for the segment's
        questions."""
        errors, values = {}, {}
        for line in self._ambassador_profile_questions():
            name = line.field_name
            if name not in form:
                continue
            value, error = self._ambassador_profile_answer(line, form[name])
            if error:
                errors[name] = error
            else:
                values[name] = value
        for name, (model, most) in PROFILE_LISTS.items():
            if name not in form:
                continue
            raw = form[name]
            raw = raw if isinstance(raw, (list, tuple)) else [raw]
            ids = {parse_id(item) for item in raw if item not in ("", None)}
            records = self.env[model].with_context(active_test=False).browse(
                [i for i in ids if i]
            ).exists()
            if len(records) != len(ids):
                errors[name] = _("Please choose values from the list.")
            elif len(records) > most:
                errors[name] = _("At most %d choices.") % most
            else:
                values[name] = [(6, 0, records.ids)]
        if "ambassador_testimonial" in form:
            text = form["ambassador_testimonial"]
            text = text.strip() if isinstance(text, str) else ""
            if len(text) > TESTIMONIAL_MAX:
                errors["ambassador_testimonial"] = _("At most %d characters.") \
                    % TESTIMONIAL_MAX
            else:
                values["ambassador_testimonial"] = text or False
        if photo:
            image, error = self._ambassador_check_photo(photo)
            if error:
                errors["photo"] = error
            else:
                values["image"] = image
        return values, errors

    @api.multi
    def _ambassador_profile_answer(self, line, raw):
        """(value, error) for one of the segment's questions."""
        field = self._fields[line.field_name]
        raw = raw.strip() if isinstance(raw, str) else (
            str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else "")
        if not raw:
            if line.required:
                return None, _("This information is required.")
            return False, None
        if field.type == "many2one":
            record = self.env[field.comodel_name].browse(parse_id(raw)).exists()
            if not record:
                return None, _("Please choose a value from the list.")
            return record.id, None
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            if raw not in keys:
                return None, _("Please choose a value from the list.")
            return raw, None
        limit = PROFILE_LONG_MAX if field.type in ("text", "html") else \
            PROFILE_TEXT_MAX
        if len(raw) > limit:
            return None, _("At most %d characters.") % limit
        if line.field_name in LINK_FIELDS and not is_http_url(raw):
            return None, _("A web address starts with http:// or https://.")
        return raw, None

    @api.model
    def _ambassador_check_photo(self, photo):
        """(base64 image, error): a PNG or JPEG photo of at most
        PHOTO_MAX_BYTES and PHOTO_MAX_SIDE pixels a side, judged on its
        content, not on its name."""
        too_big = _("A photo of at most %d MB, please.") % (
            PHOTO_MAX_BYTES // 1048576)
        if isinstance(photo, str):
            if len(photo) > PHOTO_MAX_BYTES * 4 // 3 + 4:
                return None, too_big
            try:
                photo = base64.b64decode(photo.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError, ValueError):
                photo = b""
        if not isinstance(photo, bytes) or not photo:
            return None, _("The photo must be a PNG or JPEG image.")
        if len(photo) > PHOTO_MAX_BYTES:
            return None, too_big
        try:
            # Reads the header only: the size is known before any decoding.
            image = Image.open(io.BytesIO(photo))
            kind, (width, height) = image.format, image.size
        except Exception:  # PIL raises many kinds on a broken file
            return None, _("The photo must be a PNG or JPEG image.")
        if kind not in PHOTO_FORMATS:
            return None, _("The photo must be a PNG or JPEG image.")
        if max(width, height) > PHOTO_MAX_SIDE:
            return None, _("A photo of at most %d pixels a side, please.") \
                % PHOTO_MAX_SIDE
        try:
            image.verify()
        except Exception:  # a truncated or corrupt image
            return None, _("The photo must be a PNG or JPEG image.")
        return base64.b64encode(photo), None

    @api.multi
    def _ambassador_offered_consents(self):
        """[(consent field, label, who sees it)] the profile offers: a
        directory consent only for what the profile holds."""
        self.ensure_one()
        # sudo: the caller's own contact (ambassador space); spoken languages
        # need not be installed ones.
        partner = self.sudo().with_context(active_test=False)
        holds = {
            "ambassador_consent_newsletter": True,
            "ambassador_show_email": bool(partner.email),
            "ambassador_show_phone": bool(partner.phone or partner.mobile),
            "ambassador_show_company": bool(
                partner.company_name or partner.parent_id),
            "ambassador_show_city": bool(partner.city),
            "ambassador_show_skills": bool(
                partner.ambassador_skill_ids or partner.ambassador_language_ids
                or partner.ambassador_network_country_ids),
            "ambassador_consent_wall": True,
            "ambassador_consent_leaderboard": True,
        }
        directory = self.env["ambassador.tier"]._ambassador_directory_audience()
        audience = {
            "ambassador_consent_newsletter": _(
                "The programme team e-mails you its newsletter."),
            "ambassador_consent_wall": _(
                "Everyone: your name, photo and words on the website's public "
                "wall, when your tier is thanked there."),
            "ambassador_consent_leaderboard": _(
                "The ambassadors who joined the leaderboards: your name and "
                "points there; your badges on your directory card and, for "
                "everyone, on the public wall if you appear there."),
        }
        return [
            (name, self._fields[name].get_description(self.env)["string"],
             audience.get(name, directory))
            for name in CONSENT_PURPOSES if holds[name]
        ]

    @api.multi
    def _ambassador_space_events(self, limit=20):
        """(registrations, invitations) shown in the ambassador's space: its
        registrations that are not cancelled, newest event first, and the
        upcoming events it was invited to (open, invitations sent, eligible)
        where it has not registered yet. Two queries."""
        self.ensure_one()
        # sudo: portal users may not read registrations; only this partner's.
        registrations = self.env["event.registration"].sudo().search(
            [("partner_id", "=", self.id), ("state", "!=", "cancel")],
            order="id desc", limit=limit,
        ).sorted(lambda r: r.event_id.date_begin or "", reverse=True)
        # One query for every event: the eligibility of _ambassador_eligible_query
        # (active, tier at least the minimum, segment among the event's).
        self.env.cr.execute(
            """
            SELECT e.id FROM event_event e, res_partner p
            LEFT JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
            WHERE p.id = %(partner)s AND p.ambassador_state = 'active'
              AND e.active AND e.state IN ('draft', 'confirm')
              AND e.ambassador_invitation_date IS NOT NULL
              AND e.date_end >= now() AT TIME ZONE 'UTC'
              AND (e.ambassador_min_tier_id IS NULL OR t.sequence >= (
                   SELECT m.sequence FROM ambassador_tier m
                   WHERE m.id = e.ambassador_min_tier_id))
              AND (NOT EXISTS (SELECT 1 FROM ambassador_event_segment_rel s
                               WHERE s.event_id = e.id)
                   OR EXISTS (SELECT 1 FROM ambassador_event_segment_rel s
                              WHERE s.event_id = e.id
                                AND s.segment_id = p.ambassador_segment_id))
              AND NOT EXISTS (SELECT 1 FROM event_registration r
                              WHERE r.event_id = e.id AND r.partner_id = p.id
                                AND r.state != 'cancel')
            ORDER BY e.date_begin LIMIT %(limit)s
            """,
            {"partner": self.id, "limit": limit},
        )
        # sudo: the events found above, the ones the invitation e-mails named.
        invitations = self.env["event.event"].sudo().browse(
            [row[0] for row in self.env.cr.fetchall()])
        return registrations, invitations

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
