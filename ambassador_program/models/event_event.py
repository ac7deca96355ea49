# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.addons.http_routing.models.ir_http import slug
from odoo.exceptions import AccessError, UserError

from .email_address import USABLE_EMAIL_PARAMS, usable_email_sql
from .membership import member_partner
from .tier_rank import reaches_sql


class EventEvent(models.Model):
    """Ambassador events: reserved to a minimum tier and/or to segments, with
    invitations of the eligible ambassadors and points for attendance."""

    _inherit = "event.event"

    ambassador_min_tier_id = fields.Many2one(
        "ambassador.tier",
        string="Minimum Tier",
        ondelete="restrict",
        help="Only active ambassadors of this tier or above can register.",
    )
    ambassador_segment_ids = fields.Many2many(
        "ambassador.segment",
        "ambassador_event_segment_rel",
        "event_id",
        "segment_id",
        string="Ambassador Segments",
        help="Only active ambassadors of these segments can register (empty: all "
        "segments).",
    )
    ambassador_attendance_rule_id = fields.Many2one(
        "ambassador.point.rule",
        string="Attendance Points",
        ondelete="restrict",
        help="Point rule awarded once to each ambassador whose attendance is "
        "confirmed.",
    )
    ambassador_restricted = fields.Boolean(
        compute="_compute_ambassador_restricted",
        string="Reserved to Ambassadors",
    )
    ambassador_guest_limit = fields.Integer(
        string="Guests per Ambassador",
        default=0,
        help="How many guests an ambassador may register besides themself to "
        "this event reserved to ambassadors (0: the ambassador alone). Event "
        "staff can still override a registration.",
    )
    ambassador_invitation_date = fields.Datetime(
        string="Last Invitation", readonly=True, copy=False
    )
    ambassador_invited_count = fields.Integer(
        string="Invited Ambassadors", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "ambassador_guest_limit_positive",
            "CHECK(ambassador_guest_limit >= 0)",
            "The number of guests per ambassador cannot be negative.",
        ),
    ]

    @api.depends("ambassador_min_tier_id", "ambassador_segment_ids")
    def _compute_ambassador_restricted(self):
        for event in self:
            event.ambassador_restricted = bool(
                event.ambassador_min_tier_id or event.ambassador_segment_ids
            )

    # ------------------------------------------------------------------
    # Eligibility (one query for any number of ambassadors)
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_eligible_query(self):
        """SQL selecting the ids of the ambassadors who may register, and its
        parameters. Active state, tier at least the minimum, segment among the
        event's segments (if any)."""
        self.ensure_one()
        where = ["p.ambassador_state = 'active'", "p.active"]
        params = {}
        if self.ambassador_min_tier_id:
            where.append(reaches_sql("t", "min_sequence"))
            params["min_sequence"] = self.ambassador_min_tier_id.sequence
        if self.ambassador_segment_ids:
            where.append("p.ambassador_segment_id IN %(segment_ids)s")
            params["segment_ids"] = tuple(self.ambassador_segment_ids.ids)
        query = """
            SELECT p.id FROM res_partner p
            LEFT JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
            WHERE {}
        """.format(" AND ".join(where))
        return query, params

    @api.multi
    def _ambassador_eligible_partner_ids(self, partner_ids=None):
        """Ids of the eligible ambassadors (among ``partner_ids`` if given)."""
        query, params = self._ambassador_eligible_query()
        if partner_ids is not None:
            if not partner_ids:
                return set()
            query += " AND p.id IN %(partner_ids)s"
            params["partner_ids"] = tuple(partner_ids)
        self.env.cr.execute(query, params)
        return {row[0] for row in self.env.cr.fetchall()}

    @api.multi
    def _ambassador_registration_refusal(self, partner):
        """Why ``partner`` cannot register to this event, or False."""
        self.ensure_one()
        if not self.ambassador_restricted:
            return False
        partner = partner.sudo()  # reading the tier of the visitor's own contact
        users = partner.with_context(active_test=False).user_ids
        if not partner or users.filtered(lambda u: u._is_public()):
            return _("This event is reserved to ambassadors: please sign in.")
        if partner.id in self._ambassador_eligible_partner_ids([partner.id]):
            return False
        return self._ambassador_restriction_text()

    @api.model
    def _ambassador_is_member(self, user):
        """True when ``user`` is an ambassador already: the event pages offer
        everyone else to become one."""
        return bool(member_partner(user))

    # ------------------------------------------------------------------
    # Guests: an ambassador and at most ambassador_guest_limit others
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_lock_registrations(self):
        """Serialise registrations to these events. Odoo's transactions are
        repeatable-read: a concurrent registration committed after this one's
        snapshot would not be counted, but it updated the same event row, so
        this UPDATE fails with a serialisation error and the request is retried
        (then counts it). Call it before counting registrations."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE event_event SET write_date = write_date WHERE id IN %s",
                (tuple(self.ids),),
            )

    @api.multi
    def _ambassador_seats_left(self, partner):
        """How many more registrations ``partner`` may hold on this event: the
        ambassador and the guests allowed, less its registrations that are not
        cancelled; None when the event does not restrict them."""
        self.ensure_one()
        if not self.ambassador_restricted or not partner:
            return None
        # SQL: visitors (portal, public) cannot read registrations.
        self.env.cr.execute(
            """
            SELECT COUNT(*) FROM event_registration
            WHERE event_id = %s AND partner_id = %s AND state != 'cancel'
            """,
            (self.id, partner.id),
        )
        held = self.env.cr.fetchone()[0]
        return max(1 + self.ambassador_guest_limit - held, 0)

    @api.multi
    def _ambassador_guest_refusal(self, partner, adding=1):
        """Why ``partner`` cannot hold ``adding`` more registrations on this
        event, or False."""
        self.ensure_one()
        left = self._ambassador_seats_left(partner)
        if left is None or adding <= left:
            return False
        return self._ambassador_guest_text(partner, left)

    @api.multi
    def _ambassador_guest_text(self, partner, left):
        self.ensure_one()
        if self.ambassador_guest_limit:
            rule = _(
                "This event admits each ambassador with at most %d guest(s)."
            ) % self.ambassador_guest_limit
        else:
            rule = _("This event admits each ambassador alone, without guests.")
        # sudo: the name of the visitor's own contact, or of the contact event
        # staff are registering.
        detail = _("%(name)s can register %(left)d more person(s).") % {
            "name": partner.sudo().display_name,
            "left": left,
        }
        return "%s %s" % (rule, detail)

    @api.multi
    def _ambassador_restriction_text(self):
        self.ensure_one()
        parts = []
        if self.ambassador_min_tier_id:
            parts.append(
                _("%s ambassadors and above") % self.ambassador_min_tier_id.name
            )
        if self.ambassador_segment_ids:
            parts.append(
                _("the segments %s")
                % ", ".join(self.ambassador_segment_ids.mapped("name"))
            )
        return _("This event is reserved to active ambassadors (%s).") % _(
            " of "
        ).join(parts)

    # ------------------------------------------------------------------
    # Invitations
    # ------------------------------------------------------------------
    @api.multi
    def _ambassador_invitation_recipient_ids(self):
        """Eligible ambassadors to invite: eligible, with an e-mail, not opted
        out of bulk e-mails, and not registered yet. One query."""
        self.ensure_one()
        query, params = self._ambassador_eligible_query()
        query += """
            AND {usable_email}
            AND NOT COALESCE(p.opt_out, FALSE)
            AND NOT EXISTS (
                SELECT 1 FROM event_registration r
                WHERE r.event_id = %(event_id)s AND r.partner_id = p.id
                  AND r.state != 'cancel')
            ORDER BY p.id
        """.format(usable_email=usable_email_sql("p.email"))
        params.update(USABLE_EMAIL_PARAMS, event_id=self.id)
        self.env.cr.execute(query, params)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def action_ambassador_invite(self):
        """Queue an invitation with a registration link to every eligible
        ambassador (see _ambassador_invitation_recipient_ids)."""
        if not self.env.user.has_group("event.group_event_user"):
            raise AccessError(_("Only event staff can invite ambassadors."))
        template = self.env.ref("ambassador_program.mail_template_event_invitation")
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        total = 0  # how many invitations were queued, for callers and tests
        for event in self:
            if not event.ambassador_restricted:
                raise UserError(
                    _("Set a minimum tier or segments on %s before inviting "
                      "ambassadors.") % event.name
                )
            if event.state not in ("draft", "confirm"):
                raise UserError(_("%s is closed or cancelled.") % event.name)
            eligible_ids = event._ambassador_invitation_recipient_ids()
            # The contact cap (guideline 10): an ambassador who had its share
            # of programme messages this month is not invited (recorded as
            # deferred).
            recipient_ids = self.env["res.partner"]._ambassador_cap_filter(
                eligible_ids, "invitation")
            url = "%s/event/%s/register" % (base_url, slug(event))
            event._ambassador_queue_invitations(template, recipient_ids, url)
            # Bookkeeping of the invitation; event users may not edit events.
            event.sudo().write(
                {
                    "ambassador_invitation_date": fields.Datetime.now(),
                    "ambassador_invited_count": len(recipient_ids),
                }
            )
            body = _("Invitation sent to %d eligible ambassadors.") % len(
                recipient_ids)
            if len(eligible_ids) > len(recipient_ids):
                body += " " + _(
                    "%d others were not invited: they reached the contact cap."
                ) % (len(eligible_ids) - len(recipient_ids))
            event.sudo().message_post(
                body=body, author_id=self.env.user.partner_id.id)
            total += len(recipient_ids)
        return total

    @api.multi
    def mail_attendees(self, template_id, force_send=False,
                       filter_func=lambda self: self.state != "cancel"):
        """The reminders (and after-event e-mails) of the event's scheduler:
        on the programme's events, an ambassador at the contact cap's lower
        threshold does not get them (priority low, recorded as deferred);
        those sent count towards the cap."""
        # Odoo leaves this method open to whoever reads the event: sending
        # e-mails to the attendees is event staff's, and the scheduler's
        # (the superuser's cron).
        if not (self.env.user._is_superuser()
                or self.env.user.has_group("event.group_event_user")):
            raise AccessError(_("Only event staff can e-mail the attendees."))
        programme = self.filtered("ambassador_restricted")
        others = self - programme
        if others:
            super(EventEvent, others).mail_attendees(
                template_id, force_send=force_send, filter_func=filter_func)
        if not programme:
            return None
        Partner = self.env["res.partner"]
        registrations = programme.mapped("registration_ids").filtered(filter_func)
        partner_ids = registrations.mapped("partner_id").filtered(
            "ambassador_state").ids
        allowed = Partner._ambassador_cap_filter(partner_ids, "reminder")
        held = set(partner_ids) - set(allowed)
        super(EventEvent, programme).mail_attendees(
            template_id, force_send=force_send,
            filter_func=lambda reg: filter_func(reg)
            and reg.partner_id.id not in held)
        Partner._ambassador_count_sent(allowed, "reminder")
        return None

    @api.multi
    def _ambassador_queue_invitations(self, template, partner_ids, url):
        """Render the template by batches (one rendering call per batch and
        language, in the recipients' languages: event name and date included)
        and queue the e-mails; the mail queue sends them."""
        self.ensure_one()
        return self.env["ambassador.status.engine"]._queue_mails(
            template,
            partner_ids,
            {partner_id: partner_id for partner_id in partner_ids},
            document=self,
            ambassador_event_id=self.id,
            # The record too, for the template of databases installed before
            # the id (its body is not updated: noupdate).
            ambassador_event=self,
            ambassador_registration_url=url,
            use_babel=True,
        )
