# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .authority import as_engine, is_engine
from .form_input import FormErrors
from .safe_url import URL_MAX, is_http_url

STATES = [
    ("taken", "Taken"),
    # A proof upload or a survey answer waits for staff.
    ("submitted", "Waiting for Review"),
    ("proved", "Proved"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("taken", "submitted")
STAFF_GROUP = "ambassador_program.group_ambassador_user"
ANSWER_MAX = 5000
TITLE_MAX = 200


class AmbassadorMissionParticipation(models.Model):
    """An ambassador taking part in a mission: taken from its space (within
    the quota), proved the mission's way (a proof approved by staff, the
    event's attendance, a survey answer accepted by staff, tracked clicks),
    then awarded the mission's points once (the ledger's unique index per
    participation)."""

    _name = "ambassador.mission.participation"
    _description = "Ambassador Mission Participation"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "mission_id"

    mission_id = fields.Many2one(
        "ambassador.mission", string="Mission", required=True, index=True,
        ondelete="restrict", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, index=True,
        ondelete="restrict", readonly=True,
        domain=[("ambassador_state", "!=", False)])
    segment_id = fields.Many2one(
        "ambassador.segment", related="partner_id.ambassador_segment_id",
        store=True, readonly=True)
    proof_method = fields.Selection(
        related="mission_id.proof_method", readonly=True, store=True)
    state = fields.Selection(
        STATES, default="taken", required=True, readonly=True, index=True,
        track_visibility="onchange")
    survey_answer = fields.Text(string="Answer", readonly=True)
    proof_ids = fields.One2many(
        "ambassador.proof", "mission_participation_id", string="Proofs",
        readonly=True)
    transaction_id = fields.Many2one(
        "ambassador.point.transaction", string="Ledger Line", readonly=True,
        ondelete="restrict",
        help="The line the mission's points were awarded by.")
    points_awarded = fields.Integer(
        related="transaction_id.points", readonly=True, store=True)
    date_proved = fields.Datetime(string="Proved on", readonly=True)

    _sql_constraints = [
        ("mission_partner_unique", "unique(mission_id, partner_id)",
         "An ambassador takes part in a mission once."),
    ]

    @api.multi
    def name_get(self):
        # sudo: the mission's name of a participation the user may read
        # (checked first); ambassadors may not read missions themselves.
        self.check_access_rights("read")
        self.check_access_rule("read")
        return [(participation.id, participation.sudo().mission_id.name)
                for participation in self]

    @api.model
    def _is_staff(self):
        return self.env.user.has_group(STAFF_GROUP)

    @api.model
    def create(self, vals):
        # Participations are taken from the ambassador space
        # (_ambassador_take) or added by staff.
        if not self._is_staff() and not is_engine(self.env):
            raise AccessError(_("Take a mission from your ambassador space."))
        return super(AmbassadorMissionParticipation, self).create(vals)

    # ------------------------------------------------------------------
    # The ambassador space
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_take(self, mission_id):
        """The current user's ambassador takes the mission ``mission_id``:
        open to it today (segments, tier, period), not taken yet, within the
        quota even under concurrent requests. Returns the participation;
        raises UserError with the reason otherwise."""
        partner = self.env.user.partner_id
        # sudo: the caller's own contact, to read its programme state.
        if partner.sudo().ambassador_state != "active":
            raise UserError(_("Only active ambassadors take missions."))
        Mission = self.env["ambassador.mission"]
        open_ids = Mission._open_to_partners(partner.ids).get(partner.id, [])
        if mission_id not in open_ids:
            raise UserError(_("This mission is not open to you."))
        # sudo: the mission is open to this ambassador (checked just above).
        mission = Mission.sudo().browse(mission_id)
        mission._lock_quota()
        existing = self.sudo().search(
            [("mission_id", "=", mission.id), ("partner_id", "=", partner.id)])
        if existing and existing.state != "cancelled":
            raise UserError(_("You already took this mission."))
        if mission.quota:
            taken = mission._participation_counts().get(mission.id, (0, 0))[0]
            if taken >= mission.quota:
                raise UserError(
                    _("This mission has all the participants it needs."))
        # as_engine: the checks above are the taking's; the participation is
        # the programme's record, which ambassadors do not write.
        if existing:
            participation = as_engine(existing)
            participation.write({"state": "taken"})
        else:
            participation = as_engine(self).create(
                {"mission_id": mission.id, "partner_id": partner.id})
        participation.message_post(body=_("Mission taken by the ambassador."))
        if mission.proof_method == "attendance":
            participation._prove_attendance()
        return self.browse(participation.id)

    @api.model
    def _ambassador_own(self, mission_id):
        """The current user's participation in ``mission_id`` (read through
        its own access rule), or an empty recordset."""
        return self.search([
            ("mission_id", "=", mission_id),
            ("partner_id", "=", self.env.user.partner_id.id)], limit=1)

    @api.multi
    def _ambassador_check_owner(self, method):
        """The current user's own participation, still open, of a mission
        proved by ``method``."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        record = self.sudo()
        if record.partner_id != self.env.user.partner_id:
            raise AccessError(_("This participation is not yours."))
        if record.partner_id.ambassador_state != "active":
            raise UserError(_("Only active ambassadors take part in missions."))
        if record.mission_id.proof_method != method:
            raise UserError(_("This mission is not proved this way."))
        if record.state not in OPEN_STATES:
            raise UserError(_("This participation is already closed."))
        return record

    @api.multi
    def _ambassador_cancel(self):
        """The ambassador gives up a mission it has not proved yet: its place
        goes back to the quota."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        record = self.sudo()
        if record.partner_id != self.env.user.partner_id:
            raise AccessError(_("This participation is not yours."))
        if record.state != "taken":
            raise UserError(_("Only a mission taken and not proved yet can be "
                              "given up."))
        # as_engine: the ambassador's own participation (checked above).
        engine = as_engine(self)
        engine.write({"state": "cancelled"})
        engine.message_post(body=_("Mission given up by the ambassador."))
        return True

    @api.multi
    def _ambassador_submit_answer(self, answer):
        """The survey answer of the ambassador's own participation; staff
        accept it (action_accept). Raises FormErrors {"answer": message}."""
        record = self._ambassador_check_owner("survey")
        answer = answer.strip() if isinstance(answer, str) else ""
        if not answer:
            raise FormErrors({"answer": _("Write your answer.")})
        if len(answer) > ANSWER_MAX:
            raise FormErrors(
                {"answer": _("At most %d characters.") % ANSWER_MAX})
        # as_engine: the ambassador's own open participation (checked above).
        as_engine(record).write({"survey_answer": answer, "state": "submitted"})
        return True

    @api.multi
    def _ambassador_submit_proof(self, form, files):
        """A proof of the ambassador's own participation (a link, a
        description or files, checked as the proof form checks them), for
        staff to approve. Raises FormErrors (form field -> message)."""
        record = self._ambassador_check_owner("proof")
        Proof = self.env["ambassador.proof"]
        errors = {}

        def text(key):
            value = form.get(key)
            return value.strip() if isinstance(value, str) else ""

        description, url = text("description"), text("url")
        if len(description) > 5000:
            errors["description"] = _("At most %d characters.") % 5000
        if url and not is_http_url(url, URL_MAX):
            errors["url"] = _("A link starts with http:// or https:// and has at "
                              "most %d characters.") % URL_MAX
        checked = Proof._ambassador_check_form_files(files, errors)
        if not (url or checked or description) and not errors:
            errors["files"] = _("Add a link, a file or a description as proof.")
        if errors:
            raise FormErrors(errors)
        # Serialises two proofs of the same participation sent at once.
        self.env.cr.execute(
            "SELECT id FROM ambassador_mission_participation WHERE id = %s "
            "FOR UPDATE", (record.id,), log_exceptions=False)
        if record.proof_ids.filtered(
                lambda p: p.state in ("submitted", "approved")):
            raise FormErrors({"form": _(
                "Your proof of this mission is already waiting for review.")})
        # as_engine: the ambassador's own open participation (checked above);
        # the values are the form's, checked above as the proof form's are.
        proof = as_engine(Proof).create({
            "name": record.mission_id.name[:TITLE_MAX],
            "partner_id": record.partner_id.id,
            "rule_id": self.env.ref("ambassador_program.rule_mission").id,
            "mission_participation_id": record.id,
            "channel": "portal",
            "description": description or False,
            "url": url or False,
        })
        proof._ambassador_attach_files(checked)
        as_engine(record).write({"state": "submitted"})
        return proof

    # ------------------------------------------------------------------
    # Proved: the award
    # ------------------------------------------------------------------
    @api.multi
    def _award_values(self, proof=None):
        self.ensure_one()
        values = {
            "partner_id": self.partner_id.id,
            "segment_id": self.partner_id.ambassador_segment_id.id,
            "points": self.mission_id.points,
            "origin": "mission",
            "mission_id": self.mission_id.id,
            "mission_participation_id": self.id,
            # The mission's name, written by staff: no ambassador's words in
            # the append-only ledger.
            "note": self.mission_id.name,
        }
        if proof:
            values["proof_id"] = proof.id
        return values

    @api.multi
    def _award(self):
        """Award the mission's points to these participations (one ledger
        line each, one _award for the batch) and mark them proved. Those
        already awarded are skipped; the ledger's unique index per
        participation refuses a second line even from a concurrent
        transaction. Engine code: the caller checked who asks."""
        todo = self.sudo().filtered(
            lambda p: p.state in OPEN_STATES and not p.transaction_id)
        if not todo:
            return self.env["ambassador.point.transaction"]
        self.env.cr.execute(
            "SELECT id FROM ambassador_mission_participation WHERE id IN %s "
            "ORDER BY id FOR UPDATE", (tuple(todo.ids),), log_exceptions=False)
        earning = todo.filtered(
            lambda p: p.mission_id.points > 0
            and p.partner_id.ambassador_state == "active")
        lines = as_engine(self.env["ambassador.point.transaction"])._award(
            [participation._award_values() for participation in earning])
        todo._mark_proved(lines)
        return lines

    @api.multi
    def _mark_proved(self, lines):
        """Proved, with the ledger line each earned (``lines``)."""
        by_participation = {
            line.mission_participation_id.id: line for line in lines}
        now = fields.Datetime.now()
        for participation in self:
            line = by_participation.get(participation.id)
            as_engine(participation).write({
                "state": "proved", "date_proved": now,
                "transaction_id": line and line.id or False})

    @api.multi
    def _back_to_taken(self):
        """A proof or an answer was refused: the ambassador may send another."""
        if self:
            as_engine(self).write({"state": "taken"})

    @api.multi
    def _prove_attendance(self):
        """Participations in missions proved by attendance whose ambassador
        attended the mission's event (a registration marked attended):
        awarded. One query for the set."""
        todo = self.sudo().filtered(
            lambda p: p.state in OPEN_STATES
            and p.mission_id.proof_method == "attendance"
            and p.mission_id.event_id)
        if not todo:
            return self.env["ambassador.point.transaction"]
        self.env.cr.execute(
            """
            SELECT pa.id FROM ambassador_mission_participation pa
            JOIN ambassador_mission m ON m.id = pa.mission_id
            WHERE pa.id IN %s AND EXISTS (
                SELECT 1 FROM event_registration r
                WHERE r.event_id = m.event_id AND r.partner_id = pa.partner_id
                  AND r.state = 'done')
            """,
            (tuple(todo.ids),),
        )
        attended = self.browse([row[0] for row in self.env.cr.fetchall()])
        return attended._award()

    @api.model
    def _prove_attendance_of(self, registrations):
        """The participations ``registrations`` (just marked attended)
        prove. One search for the set."""
        registrations = registrations.sudo().filtered(lambda r: r.state == "done")
        if not registrations:
            return self.env["ambassador.point.transaction"]
        participations = self.sudo().search([
            ("state", "in", OPEN_STATES),
            ("proof_method", "=", "attendance"),
            ("mission_id.event_id", "in", registrations.mapped("event_id").ids),
            ("partner_id", "in", registrations.mapped("partner_id").ids),
        ])
        return participations._prove_attendance()

    # ------------------------------------------------------------------
    # Staff
    # ------------------------------------------------------------------
    @api.multi
    def _check_staff(self):
        if not self._is_staff():
            raise AccessError(_("Only programme staff review participations."))
        self.check_access_rights("write")
        self.check_access_rule("write")

    @api.multi
    def action_accept(self):
        """Staff accept survey answers: the mission's points are awarded."""
        self._check_staff()
        for participation in self:
            if participation.proof_method != "survey" or \
                    participation.state != "submitted":
                raise UserError(
                    _("Only a survey answer waiting for review is accepted "
                      "here (a proof is approved on the proof, an attendance "
                      "on the event)."))
        # as_engine: programme staff decided (checked above).
        as_engine(self)._award()
        return True

    @api.multi
    def action_return(self):
        """Staff send a survey answer back to its ambassador, who may answer
        again."""
        self._check_staff()
        for participation in self:
            if participation.state != "submitted" or \
                    participation.proof_method != "survey":
                raise UserError(_("Only a survey answer waiting for review "
                                  "can be sent back."))
        self._back_to_taken()
        return True

    @api.multi
    def action_cancel(self):
        """Staff cancel participations not proved yet (their places go back
        to the quota)."""
        self._check_staff()
        if self.filtered(lambda p: p.state == "proved"):
            raise UserError(_("A proved participation stays: reverse its "
                              "ledger line instead."))
        # sudo: the proofs of participations staff may write (checked above).
        if self.sudo().mapped("proof_ids").filtered(
                lambda proof: proof.state in ("unconfirmed", "submitted")):
            raise UserError(_("A proof of this participation waits for review: "
                              "approve or reject it first."))
        as_engine(self).write({"state": "cancelled"})
        return True

    @api.multi
    def write(self, vals):
        # Ambassadors never write participations (the space's methods use
        # the engine's authority after their checks); staff only cancel,
        # accept or return them with the buttons.
        self.check_access_rights("write")
        if not is_engine(self.env):
            raise UserError(_("A participation changes through its buttons."))
        return super(AmbassadorMissionParticipation, self).write(vals)
