# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql

_logger = logging.getLogger(__name__)

# How taking part in a mission is proved (issue 14): never the ambassador's
# word alone.
PROOF_METHODS = [
    ("share", "Tracked Share (measured clicks)"),
    ("proof", "Proof Upload (approved by staff)"),
    ("attendance", "Attendance (event)"),
    ("survey", "Survey Answer"),
]


class AmbassadorMission(models.Model):
    """A clear ask of the coordinators (guideline 8): share this news, attend
    this fair abroad, write a testimonial, host a delegation, answer a survey;
    for some segments from a minimum tier, during a period, for a number of
    participants at most, earning points through the one award path."""

    _name = "ambassador.mission"
    _description = "Ambassador Mission"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Mission", required=True, translate=True)
    description = fields.Text(
        translate=True, help="What is asked, in a few clear sentences.")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft", required=True, index=True, track_visibility="onchange",
    )
    segment_ids = fields.Many2many(
        "ambassador.segment", "ambassador_mission_segment_rel", "mission_id",
        "segment_id", string="Segments",
        help="Ambassadors of these segments see the mission (all when empty).",
    )
    min_tier_id = fields.Many2one(
        "ambassador.tier", string="Minimum Tier", ondelete="restrict",
        help="Only ambassadors of this tier or a higher one see the mission.",
    )
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="End")
    quota = fields.Integer(
        string="Participants at Most", help="0: no limit.")
    points = fields.Integer(
        help="Points earned by an ambassador whose participation is proved.")
    proof_method = fields.Selection(
        PROOF_METHODS, required=True, default="proof",
        string="Proved by",
    )

    event_id = fields.Many2one(
        "event.event", string="Event", ondelete="restrict",
        help="Proved by attendance: the event whose attendance proves the "
        "participation (staff mark the registration attended).")
    participation_ids = fields.One2many(
        "ambassador.mission.participation", "mission_id", string="Participations")
    taken_count = fields.Integer(
        string="Taken", compute="_compute_participation_counts",
        help="Participations not cancelled (the quota counts these).")
    proved_count = fields.Integer(
        string="Proved", compute="_compute_participation_counts")
    places_left = fields.Integer(
        compute="_compute_participation_counts",
        help="Participants the quota still admits (-1: no limit).")

    _sql_constraints = [
        ("quota_positive", "CHECK(quota >= 0)", "The quota cannot be negative."),
        ("points_positive", "CHECK(points >= 0)", "Points cannot be negative."),
        ("period", "CHECK(date_end IS NULL OR date_end >= date_start)",
         "A mission cannot end before it starts."),
    ]

    @api.model
    def _open_missions_domain(self, today=None):
        """Missions open today, for anyone (segments and tier apart)."""
        today = today or fields.Date.context_today(self)
        return [
            ("state", "=", "open"), ("date_start", "<=", today),
            "|", ("date_end", "=", False), ("date_end", ">=", today),
        ]

    @api.model
    def _open_to_partners(self, partner_ids, today=None):
        """{partner id: [mission ids]} of the missions open today to each of
        ``partner_ids`` (active ambassadors of one of the mission's segments,
        or any when it has none, whose tier is the minimum or higher), newest
        first. One query whatever the number of ambassadors."""
        if not partner_ids:
            return {}
        today = today or fields.Date.context_today(self)
        self.env.cr.execute(
            """
            SELECT p.id, m.id
            FROM ambassador_mission m
            JOIN res_partner p ON p.id IN %(partners)s
                AND p.ambassador_state = 'active'
            LEFT JOIN ambassador_tier min_tier ON min_tier.id = m.min_tier_id
            LEFT JOIN ambassador_tier tier ON tier.id = p.ambassador_tier_id
            WHERE m.state = 'open' AND m.date_start <= %(today)s
              AND (m.date_end IS NULL OR m.date_end >= %(today)s)
              AND (NOT EXISTS (SELECT 1 FROM ambassador_mission_segment_rel r
                               WHERE r.mission_id = m.id)
                   OR EXISTS (SELECT 1 FROM ambassador_mission_segment_rel r
                              WHERE r.mission_id = m.id
                                AND r.segment_id = p.ambassador_segment_id))
              AND (m.min_tier_id IS NULL
                   OR tier.sequence >= min_tier.sequence)
            ORDER BY p.id, m.date_start DESC, m.id DESC
            """,
            {"partners": tuple(partner_ids), "today": today},
        )
        result = {}
        for partner_id, mission_id in self.env.cr.fetchall():
            result.setdefault(partner_id, []).append(mission_id)
        return result

    @api.depends("participation_ids.state", "quota")
    def _compute_participation_counts(self):
        counts = self._participation_counts()
        for mission in self:
            taken, proved = counts.get(mission.id, (0, 0))
            mission.taken_count = taken
            mission.proved_count = proved
            mission.places_left = (
                max(mission.quota - taken, 0) if mission.quota else -1)

    @api.multi
    def _participation_counts(self):
        """{mission id: (participations not cancelled, proved)}, one query
        (the participants' own rights do not limit the count)."""
        if not self.ids:
            return {}
        self.env.cr.execute(
            """
            SELECT mission_id, COUNT(*) FILTER (WHERE state != 'cancelled'),
                   COUNT(*) FILTER (WHERE state = 'proved')
            FROM ambassador_mission_participation
            WHERE mission_id IN %s GROUP BY mission_id
            """,
            (tuple(self.ids),),
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.constrains("proof_method", "event_id")
    def _check_event(self):
        for mission in self:
            if mission.proof_method == "attendance" and not mission.event_id:
                raise ValidationError(
                    _("A mission proved by attendance needs its event."))

    # ------------------------------------------------------------------
    # Staff: publishing
    # ------------------------------------------------------------------
    @api.multi
    def action_open(self):
        """Publish: ambassadors of its segments and tier see it."""
        self.write({"state": "open"})
        return True

    @api.multi
    def action_close(self):
        """No more participants; participations already taken may still be
        proved."""
        self.write({"state": "closed"})
        return True

    @api.multi
    def action_draft(self):
        self.write({"state": "draft"})
        return True

    @api.multi
    def action_view_participations(self):
        self.ensure_one()
        self.check_access_rights("read")
        action = self.env.ref(
            "ambassador_program.action_ambassador_mission_participation").read()[0]
        action["domain"] = [("mission_id", "=", self.id)]
        action["context"] = {"default_mission_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Taking a mission (the ambassador space)
    # ------------------------------------------------------------------
    @api.multi
    def _lock_quota(self):
        """Serialise the takings of this mission. Odoo's transactions are
        repeatable-read: a concurrent taking committed after this one's
        snapshot would not be counted, but it updated the same mission row,
        so this UPDATE fails with a serialisation error and the request is
        retried (then counts it). Call it before counting participants."""
        self.ensure_one()
        # log_exceptions: the loser's failure is expected and replayed.
        self.env.cr.execute(
            "UPDATE ambassador_mission SET write_date = write_date WHERE id = %s",
            (self.id,), log_exceptions=False)

    # ------------------------------------------------------------------
    # The periodic digest e-mail
    # ------------------------------------------------------------------
    @api.model
    def _digest_recipients(self, batch_size=5000):
        """{partner id: [open mission ids not taken yet]} of the active
        ambassadors with a usable address who did not opt out of bulk
        e-mails, read in batches (a few queries per batch)."""
        self.env.cr.execute(
            """
            SELECT p.id FROM res_partner p
            WHERE p.ambassador_state = 'active' AND p.active
              AND NOT COALESCE(p.opt_out, FALSE) AND {usable}
            ORDER BY p.id
            """.format(usable=usable_email_sql("p.email")),
            dict(USABLE_EMAIL_PARAMS),
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        result = {}
        for start in range(0, len(partner_ids), batch_size):
            batch = partner_ids[start:start + batch_size]
            open_missions = self._open_to_partners(batch)
            if not open_missions:
                continue
            self.env.cr.execute(
                """
                SELECT partner_id, mission_id FROM ambassador_mission_participation
                WHERE partner_id IN %s
                """,
                (tuple(open_missions),),
            )
            taken = set(self.env.cr.fetchall())
            self.env.cr.execute(
                "SELECT partner_id, mission_id FROM ambassador_mission_digest"
                " WHERE partner_id IN %s", (tuple(open_missions),))
            announced = set(self.env.cr.fetchall())
            for partner_id, mission_ids in open_missions.items():
                left = [mid for mid in mission_ids
                        if (partner_id, mid) not in taken]
                # A digest goes out when it has news: a mission no digest
                # announced to this ambassador yet; it lists them all.
                if any((partner_id, mid) not in announced for mid in left):
                    result[partner_id] = left
        return result

    def init(self):
        # The missions each ambassador's digest announced, so that the next
        # digest waits for news. Not a model: nobody reads it but the digest;
        # a contact's rows go with it (erasure).
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS ambassador_mission_digest (
                partner_id integer NOT NULL
                    REFERENCES res_partner(id) ON DELETE CASCADE,
                mission_id integer NOT NULL
                    REFERENCES ambassador_mission(id) ON DELETE CASCADE,
                PRIMARY KEY (partner_id, mission_id))
        """)

    @api.model
    def _digest_announced(self, recipients):
        """Remember the missions ``recipients`` ({partner id: [mission
        ids]}) were told about, in one statement."""
        pairs = [(pid, mid) for pid, mids in recipients.items() for mid in mids]
        if pairs:
            self.env.cr.execute("""
                INSERT INTO ambassador_mission_digest (partner_id, mission_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                ON CONFLICT DO NOTHING
            """, ([p for p, _m in pairs], [m for _p, m in pairs]))

    @api.model
    def _cron_send_digest(self):
        """Weekly: each ambassador with open missions it has not taken yet,
        one of them not announced by an earlier digest, gets one e-mail
        listing them, in its language, within the
        cross-channel contact cap (priority "low") when that is installed.
        Returns the number of e-mails queued."""
        recipients = self._digest_recipients()
        Partner = self.env["res.partner"]
        partner_ids = sorted(recipients)
        # The cap of every programme message: a digest waits (priority low),
        # and the report shows it deferred.
        if partner_ids:
            allowed = set(Partner._ambassador_cap_filter(partner_ids, "digest"))
            partner_ids = [pid for pid in partner_ids if pid in allowed]
        if not partner_ids:
            return 0
        template = self.env.ref("ambassador_program.mail_template_mission_digest")
        mission_ids = sorted({mid for pid in partner_ids for mid in recipients[pid]})
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        mails = self.env["ambassador.status.engine"]._queue_mails(
            template, partner_ids, {pid: pid for pid in partner_ids},
            digest_missions={pid: recipients[pid] for pid in partner_ids},
            digest_mission_ids=mission_ids, base_url=base_url,
        )
        Partner._ambassador_count_sent(partner_ids, "digest")
        self._digest_announced({pid: recipients[pid] for pid in partner_ids})
        _logger.info("Mission digest: %d e-mails queued", len(mails))
        return len(mails)

    # ------------------------------------------------------------------
    # The ambassador space
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_space_missions(self, partner):
        """(missions open to ``partner`` it has not taken, its
        participations): what its "My missions" page lists, in a fixed number
        of queries. Missions are read as superuser after the check of
        _open_to_partners (ambassadors have no access to the model: drafts
        and other segments' missions stay out of reach over RPC)."""
        Participation = self.env["ambassador.mission.participation"]
        # The user's own participations, through its own access rule.
        participations = Participation.search(
            [("partner_id", "=", partner.id)], limit=200)
        open_ids = self._open_to_partners(partner.ids).get(partner.id, [])
        # sudo: the ambassador's participations name their missions.
        taken = set(participations.sudo().mapped("mission_id").ids)
        offered = self.sudo().browse([mid for mid in open_ids if mid not in taken])
        return offered, participations

    @api.model
    def _ambassador_space_mission(self, partner, mission_id):
        """(mission, participation, open to ``partner`` today) of the
        mission page: the mission as superuser when it is open to ``partner``
        or ``partner`` took part in it, else empty recordsets."""
        Participation = self.env["ambassador.mission.participation"]
        participation = Participation.search(
            [("partner_id", "=", partner.id), ("mission_id", "=", mission_id)],
            limit=1)
        open_ids = self._open_to_partners(partner.ids).get(partner.id, [])
        is_open = mission_id in open_ids
        if not participation and not is_open:
            return self.browse(), participation, False
        # sudo: open to this ambassador, or one it takes part in (above).
        return self.sudo().browse(mission_id), participation, is_open
