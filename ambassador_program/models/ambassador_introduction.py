# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Introductions through the programme (seed 002, guideline 10): instead of
showing its e-mail, an ambassador is asked, with a purpose and a message, and
accepts or declines; only an accepted introduction gives each side the
other's contact details. Each recipient caps the requests it receives per
calendar quarter; the cap holds under concurrent requests."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import as_engine, is_engine
from .form_input import FormErrors
from .programme_params import int_param

MESSAGE_MAX = 1000
REASON_MAX = 1000
DEFAULT_EXPIRY_DAYS = 30  # ambassador_program.introduction_expiry_days
STAFF_GROUP = "ambassador_program.group_ambassador_user"
STATES = [
    ("requested", "Requested"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
    ("expired", "Expired"),
]
# The requests that use a recipient's quarterly quota: every request that
# reached it, whatever its answer; a request its sender withdrew gives the
# slot back.
QUOTA_STATES = ("requested", "accepted", "declined", "expired")
# What staff may give when they request an introduction in the backend; the
# rest is the programme's to set.
STAFF_FIELDS = ("recipient_id", "purpose_id", "message")
TEMPLATES = {
    "requested": "ambassador_program.mail_template_introduction_requested",
    "to_requester": "ambassador_program.mail_template_introduction_accepted_requester",
    "to_recipient": "ambassador_program.mail_template_introduction_accepted_recipient",
}


def quarter_start(now):
    """The first day (00:00 UTC) of the calendar quarter of ``now`` (text)."""
    moment = fields.Datetime.from_string(now)
    month = (moment.month - 1) // 3 * 3 + 1
    return fields.Datetime.to_string(
        moment.replace(month=month, day=1, hour=0, minute=0, second=0,
                       microsecond=0))


class AmbassadorIntroduction(models.Model):
    """One request to be introduced to an ambassador, and its answer."""

    _name = "ambassador.introduction"
    _description = "Ambassador Introduction"
    _order = "date_requested desc, id desc"

    requester_id = fields.Many2one(
        "res.partner", string="Requested By", required=True, index=True,
        ondelete="cascade", readonly=True)
    recipient_id = fields.Many2one(
        "res.partner", string="Introduction To", required=True, index=True,
        ondelete="cascade", domain=[("ambassador_state", "=", "active")])
    requested_by = fields.Selection(
        [("ambassador", "An ambassador"), ("staff", "Programme staff")],
        required=True, default="staff", readonly=True,
        help="Staff request introductions on behalf of the programme.")
    purpose_id = fields.Many2one(
        "ambassador.introduction.purpose", string="Purpose", required=True,
        ondelete="restrict")
    # Editable on a new request only (the form view; write() refuses edits).
    message = fields.Text(required=True)
    state = fields.Selection(
        STATES, required=True, default="requested", readonly=True, index=True)
    date_requested = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True)
    date_answered = fields.Datetime(readonly=True)
    # The report is the recipient's word to staff: not the requester's to read.
    abuse_reason = fields.Text(string="Reported as Abusive Because", readonly=True,
                               groups=STAFF_GROUP)
    incident_id = fields.Many2one(
        "ambassador.incident", string="Incident", readonly=True,
        ondelete="set null", groups=STAFF_GROUP)

    @api.model_cr
    def init(self):
        # The quota's count: one recipient's requests of a quarter.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS ambassador_introduction_quota_idx
            ON ambassador_introduction (recipient_id, date_requested)
            """)

    @api.multi
    def name_get(self):
        # The parties' names as superuser, once the request may be read.
        self.check_access_rights("read")
        self.check_access_rule("read")
        return [(intro.id, _("%(requester)s to %(recipient)s") % {
            "requester": intro.requester_id.name,
            "recipient": intro.recipient_id.name}) for intro in self.sudo()]

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        """Every request passes the rules of _check_request. Staff (the only
        ones with create rights) request as themselves, on behalf of the
        programme; the engine (_ambassador_request) names the requester."""
        # The record is created as superuser below: the caller's rights first.
        self.check_access_rights("create")
        if not is_engine(self.env):
            vals = {key: vals[key] for key in STAFF_FIELDS if key in vals}
            vals.update(requester_id=self.env.user.partner_id.id,
                        requested_by="staff")
        vals = dict(vals, state="requested", date_requested=fields.Datetime.now())
        vals.update(self._check_request(vals))
        # sudo: the request is checked; the programme records and mails it
        # (the requester may not read the recipient's contact).
        intro = super(AmbassadorIntroduction, self.sudo()).create(vals)
        intro._send_mails(["requested"])
        return intro.with_env(self.env)

    @api.multi
    def write(self, vals):
        if not is_engine(self.env):
            raise AccessError(_(
                "An introduction changes through its answer (accept, decline, "
                "report, withdraw), not by editing it."))
        return super(AmbassadorIntroduction, self).write(vals)

    @api.model
    def _ambassador_request_target(self, recipient_id):
        """The contact ``recipient_id`` (sudo'ed, its name for the form) when
        the current user may ask to be introduced to it: it accepts
        introductions and, for an ambassador, appeared on one of its
        directory pages (the form is no way round the directory's daily cap).
        Else an empty recordset."""
        user = self.env.user
        recipient = self.env["res.partner"].sudo().browse(
            recipient_id or 0).exists()
        if not recipient or not recipient._ambassador_accepts_introductions():
            return self.env["res.partner"]
        if user.has_group(STAFF_GROUP):
            return recipient
        self.env.cr.execute(
            """
            SELECT 1 FROM ambassador_directory_view v
            JOIN ambassador_directory_view_profile_rel r ON r.view_id = v.id
            WHERE v.user_id = %s AND r.partner_id = %s LIMIT 1
            """, (user.id, recipient.id))
        return recipient if self.env.cr.fetchone() else self.env["res.partner"]

    @api.model
    def _ambassador_purposes_of(self, recipient):
        """The purposes ``recipient`` accepts (all active ones when it chose
        none)."""
        Purpose = self.env["ambassador.introduction.purpose"].sudo()
        chosen = recipient.sudo().ambassador_intro_purpose_ids
        return chosen.filtered("active") if chosen else Purpose.search([])

    @api.model
    def _ambassador_request(self, recipient_id, purpose_id, message):
        """The current user's request (the form of the ambassador space) to
        be introduced to the contact ``recipient_id``. Raises FormErrors."""
        user = self.env.user
        requester = user.partner_id
        requested_by = "ambassador"
        if requester.ambassador_state != "active":
            if not user.has_group(STAFF_GROUP):
                raise FormErrors({"form": _(
                    "Only active ambassadors can request an introduction.")})
            requested_by = "staff"
        if not self._ambassador_request_target(recipient_id):
            raise FormErrors({"form": _(
                "This person cannot be asked for an introduction (or you did "
                "not meet it in the directory).")})
        # as_engine: the requester is the current user (above); create()
        # checks every rule of the request.
        return as_engine(self).create({
            "requester_id": requester.id, "requested_by": requested_by,
            "recipient_id": recipient_id, "purpose_id": purpose_id,
            "message": message,
        }).with_env(self.env)

    @api.model
    def _check_request(self, vals):
        """The rules of a request, the quota included, held under concurrent
        requests (the recipient's quota lock, taken before counting). Returns
        the cleaned values; raises FormErrors keyed by form field."""
        Partner = self.env["res.partner"].sudo()
        requester = Partner.browse(vals.get("requester_id") or 0).exists()
        recipient = Partner.browse(vals.get("recipient_id") or 0).exists()
        purpose = self.env["ambassador.introduction.purpose"].sudo().browse(
            vals.get("purpose_id") or 0).exists()
        message = (vals.get("message") or "").strip()
        errors = {}
        if not requester or (vals.get("requested_by") == "ambassador"
                             and requester.ambassador_state != "active"):
            raise FormErrors({"form": _(
                "Only active ambassadors can request an introduction.")})
        if not recipient or not recipient._ambassador_accepts_introductions():
            raise FormErrors({"form": _(
                "This person does not accept introductions.")})
        if recipient == requester:
            raise FormErrors({"form": _(
                "You cannot request an introduction to yourself.")})
        if not purpose or not purpose.active:
            errors["purpose_id"] = _("Choose the purpose of the introduction.")
        elif (recipient.ambassador_intro_purpose_ids
              and purpose not in recipient.ambassador_intro_purpose_ids):
            errors["purpose_id"] = _(
                "This person does not accept introductions for this purpose.")
        if not message:
            errors["message"] = _("Say in a few words why you ask.")
        elif len(message) > MESSAGE_MAX:
            errors["message"] = _(
                "The message is too long (%d characters at most).") % MESSAGE_MAX
        if errors:
            raise FormErrors(errors)
        # Serialises the requests to this recipient: the count below cannot
        # miss a concurrent one (ambassador_quota_lock.py).
        self.env["ambassador.quota.lock"].sudo()._acquire(
            "introduction:%d" % recipient.id)
        self.env.cr.execute(
            """
            SELECT
              COUNT(*) FILTER (WHERE state IN %(quota_states)s
                               AND date_requested >= %(quarter)s),
              COUNT(*) FILTER (WHERE requester_id = %(requester)s
                               AND state = 'requested'),
              COUNT(*) FILTER (WHERE requester_id = %(requester)s
                               AND incident_id IS NOT NULL)
            FROM ambassador_introduction WHERE recipient_id = %(recipient)s
            """,
            {"quota_states": QUOTA_STATES, "requester": requester.id,
             "recipient": recipient.id,
             "quarter": quarter_start(fields.Datetime.now())})
        used, pending, reported = self.env.cr.fetchone()
        if reported:
            raise FormErrors({"form": _(
                "This person reported one of your requests as abusive: you "
                "can no longer request an introduction to this person.")})
        if pending:
            raise FormErrors({"form": _(
                "You already asked this person; wait for the answer.")})
        if used >= recipient.ambassador_intro_quota:
            raise FormErrors({"form": _(
                "This person already received as many introduction requests "
                "as it accepts this quarter. Try again next quarter.")})
        return {"message": message, "purpose_id": purpose.id}

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_check_party(self, side):
        """The current user's partner is the ``side`` ('requester_id' or
        'recipient_id') of this request, still waiting for its answer."""
        self.ensure_one()
        partner = self.env.user.partner_id
        if self.sudo()[side] != partner:
            raise AccessError(_("This introduction is not yours to answer."))
        if self.sudo().state != "requested":
            raise UserError(_("This introduction was already answered."))

    @api.multi
    def _ambassador_accept(self):
        """The recipient accepts: each side now receives the other's contact
        details, by e-mail and on the introduction's page."""
        self._ambassador_check_party("recipient_id")
        # as_engine: the recipient itself answers (checked above).
        as_engine(self).write(
            {"state": "accepted", "date_answered": fields.Datetime.now()})
        self._send_mails(["to_requester", "to_recipient"])
        return True

    @api.multi
    def _ambassador_decline(self):
        self._ambassador_check_party("recipient_id")
        # as_engine: the recipient itself answers (checked above).
        as_engine(self).write(
            {"state": "declined", "date_answered": fields.Datetime.now()})
        return True

    @api.multi
    def _ambassador_withdraw(self):
        self._ambassador_check_party("requester_id")
        # as_engine: the requester itself withdraws (checked above).
        as_engine(self).write(
            {"state": "withdrawn", "date_answered": fields.Datetime.now()})
        return True

    @api.multi
    def _ambassador_report(self, reason):
        """The recipient reports the request as abusive: declined, an
        incident for staff, and the requester's further requests to the
        recipient refused. Raises FormErrors."""
        self._ambassador_check_party("recipient_id")
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise FormErrors({"reason": _("Say why this request is abusive.")})
        if len(reason) > REASON_MAX:
            raise FormErrors({"reason": _(
                "The reason is too long (%d characters at most).") % REASON_MAX})
        intro = self.sudo()
        # sudo: incidents are the staff's; the recipient's report opens one
        # about the requester (checked above: the recipient reports).
        incident = self.env["ambassador.incident"].sudo().create({
            "name": _("Introduction request reported as abusive"),
            "partner_id": intro.requester_id.id,
            "category": "directory_misuse",
            "description": _(
                "%(recipient)s reported the introduction request of "
                "%(requester)s (purpose: %(purpose)s). Reason: %(reason)s\n\n"
                "The request: %(message)s") % {
                    "recipient": intro.recipient_id.name,
                    "requester": intro.requester_id.name,
                    "purpose": intro.purpose_id.name, "reason": reason,
                    "message": intro.message},
            "reported_by": intro.recipient_id.name,
        })
        # as_engine: the recipient itself reports (checked above).
        as_engine(self).write({
            "state": "declined", "date_answered": fields.Datetime.now(),
            "abuse_reason": reason, "incident_id": incident.id})
        return incident

    @api.multi
    def _ambassador_contacts(self):
        """The other side's contact details the current user may see: its
        e-mail, and its phone when it shows it; nothing before acceptance."""
        self.ensure_one()
        intro = self.sudo()
        partner = self.env.user.partner_id
        if intro.state != "accepted" or partner not in (
                intro.requester_id | intro.recipient_id):
            return {}
        other = (intro.recipient_id if partner == intro.requester_id
                 else intro.requester_id)
        return other._ambassador_intro_contact()

    # ------------------------------------------------------------------
    # E-mails and expiry
    # ------------------------------------------------------------------
    @api.multi
    def _send_mails(self, kinds):
        """Queue the e-mails ``kinds`` (keys of TEMPLATES) of these requests,
        in each recipient's language; the contact cap's log records them
        (channel "introduction", a service message: always sent)."""
        engine = self.env["ambassador.status.engine"].sudo()
        for kind in kinds:
            template = self.env.ref(TEMPLATES[kind], raise_if_not_found=False)
            if not template or not self:
                continue
            side = "requester_id" if kind == "to_requester" else "recipient_id"
            recipients = {intro.id: intro.sudo()[side].id for intro in self}
            engine._queue_mails(template, self.ids, recipients)

    @api.model
    def _expiry_days(self):
        return int_param(self.env, "introduction_expiry_days",
                         DEFAULT_EXPIRY_DAYS, 1)

    @api.model
    def _cron_expire(self):
        """Requests left unanswered for the expiry delay: expired (one
        UPDATE, whatever their number)."""
        self.env.cr.execute(
            """
            UPDATE ambassador_introduction
            SET state = 'expired', date_answered = now() AT TIME ZONE 'UTC',
                write_date = now() AT TIME ZONE 'UTC', write_uid = %s
            WHERE state = 'requested'
              AND date_requested < (now() AT TIME ZONE 'UTC') - %s * interval '1 day'
            """, (self.env.uid, self._expiry_days()))
        count = self.env.cr.rowcount
        self.invalidate_cache(["state", "date_answered"])
        return count
