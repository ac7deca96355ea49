# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models, tools

from .authority import as_engine
from .email_address import EMAIL_MAX, usable_email
from .form_input import FormErrors, parse_id
from .programme_params import int_param

_logger = logging.getLogger(__name__)

LEAD_KINDS = [
    ("company", "Company Settlement"),
    ("event", "Congress or Event"),
    ("delegation", "Delegation"),
    ("research", "Research Partnership"),
    ("students", "Students"),
    ("other", "Other"),
]
# What the ambassador follows of its lead: never the agency's notes.
AMBASSADOR_STATUSES = [
    ("received", "Received"),
    ("qualifying", "Being Qualified"),
    ("qualified", "Qualified"),
    ("won", "Won"),
    ("closed", "Closed"),
]
NAME_MAX = 200
DESCRIPTION_MAX = 2000
CONTACT_NAME_MAX = 128
LEAD_DAILY_CAP = 5
# The milestones the programme awards (ambassador.point.rule codes).
MILESTONE_QUALIFIED = "lead_qualified"
MILESTONE_WON = "lead_won"
# A write of one of these may pass or leave a milestone.
MILESTONE_FIELDS = {"type", "stage_id", "probability", "active",
                    "ambassador_qualified", "ambassador_partner_id"}
# The fields of a lead the ambassador's space shows (read through sudo()).
PORTAL_FIELDS = ["name", "ambassador_lead_kind", "country_id", "create_date",
                 "ambassador_status"]
# Who may see which ambassador passed a lead on: programme staff and sales.
LEAD_FIELD_GROUPS = ("ambassador_program.group_ambassador_user,"
                     "sales_team.group_sale_salesman")


class CrmLead(models.Model):
    """A lead passed on by an ambassador (issue 15): the agency's own
    pipeline (crm), the ambassador as its source (``source_id`` is the
    ambassador's utm.source, ``ambassador_partner_id`` the contact). The
    country of origin of the company or event is the lead's ``country_id``.
    Its milestones (qualified, won) award the ambassador points once each,
    through the ledger; a lead leaving "won" gets its line reversed."""

    _inherit = "crm.lead"

    ambassador_partner_id = fields.Many2one(
        "res.partner", string="Ambassador", index=True, ondelete="restrict",
        domain=[("ambassador_state", "!=", False)], groups=LEAD_FIELD_GROUPS,
        help="The ambassador who passed this lead on.")
    ambassador_lead_kind = fields.Selection(
        LEAD_KINDS, string="Kind of Lead", index=True)
    ambassador_qualified = fields.Boolean(
        string="Qualified (Ambassador Programme)", groups=LEAD_FIELD_GROUPS,
        help="Mark a lead qualified without converting it to an opportunity: "
        "the ambassador gets the points of a qualified lead.")
    ambassador_contact_agreed = fields.Boolean(
        string="Contact Agreed to Be Put in Touch", readonly=True,
        help="The ambassador said the person named in this lead agreed to be "
        "contacted by the agency.")
    ambassador_status = fields.Selection(
        AMBASSADOR_STATUSES, string="Status for the Ambassador",
        compute="_compute_ambassador_status",
        help="What the ambassador sees of the lead's progress in its space.")

    @api.depends("active", "type", "stage_id.probability", "user_id",
                 "ambassador_qualified")
    def _compute_ambassador_status(self):
        for lead in self:
            lead.ambassador_status = lead._ambassador_status_of()

    def _ambassador_status_of(self):
        # sudo: the stage and the qualified flag decide the status whoever
        # reads it (the ambassador's own page reads through sudo anyway).
        lead = self.sudo()
        if not lead.active:
            return "closed"
        if lead._ambassador_is_won():
            return "won"
        if lead.type == "opportunity" or lead.ambassador_qualified:
            return "qualified"
        if lead.user_id:
            return "qualifying"
        return "received"

    def _ambassador_is_won(self):
        """Odoo's own won: an active lead in a stage of probability 100."""
        return bool(self.active and self.stage_id.probability >= 100)

    # ------------------------------------------------------------------
    # Submission (the ambassador's space, the e-mail alias)
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_daily_cap(self):
        return int_param(self.env, "lead_daily_cap", LEAD_DAILY_CAP, 0)

    @api.model
    def _ambassador_quota_left(self, partner):
        """Leads ``partner`` may still pass on in the last 24 hours. The
        quota's lock is taken first (ambassador.quota.lock): two requests at
        once cannot both take the last place; it is held until the lead is
        created, in the same transaction."""
        cap = self._ambassador_daily_cap()
        self.env["ambassador.quota.lock"].sudo()._acquire("lead:%d" % partner.id)
        self.env.cr.execute(
            """
            SELECT count(*) FROM crm_lead
            WHERE ambassador_partner_id = %s
              AND create_date >= (now() at time zone 'UTC') - interval '1 day'
            """, (partner.id,))
        return cap - self.env.cr.fetchone()[0]

    @api.model
    def _ambassador_check_values(self, values):
        """The values of the space's form, checked field by field: the
        cleaned values, or FormErrors."""
        errors = {}

        def text(key, limit):
            value = values.get(key)
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > limit:
                errors[key] = _("At most %d characters.") % limit
            return value

        name = text("name", NAME_MAX)
        if not name and "name" not in errors:
            errors["name"] = _("Give the name of the organisation or event.")
        kind = values.get("kind")
        if kind not in dict(LEAD_KINDS):
            errors["kind"] = _("Choose the kind of lead.")
        country = self.env["res.country"].browse(parse_id(values.get("country_id")))
        if not country.exists():
            errors["country_id"] = _("Choose the country of origin.")
        description = text("description", DESCRIPTION_MAX)
        if not description and "description" not in errors:
            errors["description"] = _("Tell the agency in a few words what it is "
                                      "about.")
        contact_name = text("contact_name", CONTACT_NAME_MAX)
        contact_email = text("contact_email", EMAIL_MAX)
        email = False
        if contact_email and "contact_email" not in errors:
            email = usable_email(contact_email)
            if not email:
                errors["contact_email"] = _("This e-mail address is not valid.")
        agreed = bool(values.get("contact_agreed"))
        if (contact_name or contact_email) and not agreed:
            errors["contact_agreed"] = _(
                "Tick this box if the person agreed, or leave the contact "
                "empty.")
        if errors:
            raise FormErrors(errors)
        return {
            "name": name, "ambassador_lead_kind": kind, "country_id": country.id,
            "description": description, "contact_name": contact_name or False,
            "email_from": email, "ambassador_contact_agreed": agreed and bool(
                contact_name or email),
        }

    @api.model
    def _ambassador_lead_values(self, partner):
        """What every lead of ``partner`` carries: the ambassador, its own
        utm.source, the medium, the programme's sales team (if configured)."""
        source = self.env["res.partner"]._ambassador_utm_sources([partner.id])
        # sudo: the programme's configuration (portal users may not read
        # sales teams); only their ids are used.
        medium = self.sudo().env.ref("ambassador_program.utm_medium_ambassador",
                                     raise_if_not_found=False)
        team = self.sudo().env.ref("ambassador_program.crm_team_ambassador_leads",
                                   raise_if_not_found=False)
        values = {
            "ambassador_partner_id": partner.id,
            "source_id": source.get(partner.id),
            "medium_id": medium.id if medium else False,
            "type": "lead",
            # Nobody's yet: the agency assigns it ("received").
            "user_id": False,
        }
        if team and team.active:
            values["team_id"] = team.id
        return values

    @api.model
    def _ambassador_submit(self, partner, values):
        """A lead passed on by ``partner`` from its space: the form's
        ``values`` checked (FormErrors), the ambassador active and within its
        daily quota (UserError). Returns the lead (as the superuser: portal
        users have no rights on crm.lead)."""
        partner = partner.sudo()
        if partner.ambassador_state != "active":
            raise FormErrors({"form": _("Only active ambassadors pass on leads.")})
        cleaned = self._ambassador_check_values(values)
        if self._ambassador_quota_left(partner) <= 0:
            raise FormErrors({"form": _(
                "You passed on %d leads in the last 24 hours, the most a day: "
                "please send this one tomorrow.") % self._ambassador_daily_cap()})
        cleaned.update(self._ambassador_lead_values(partner))
        # sudo: the submitter is the active ambassador ``partner`` (checked
        # above), within its quota; the values are the form's, checked.
        return self.sudo().with_context(
            mail_create_nosubscribe=True).create(cleaned)

    @api.model
    def _ambassador_space_leads(self, partner):
        """The leads ``partner`` passed on, newest first (as the superuser:
        the caller shows PORTAL_FIELDS only)."""
        # sudo: only the leads whose ambassador is ``partner``, the visitor's
        # own contact (the controller's check).
        return self.sudo().with_context(active_test=False).search(
            [("ambassador_partner_id", "=", partner.id)],
            order="create_date desc, id desc", limit=200)

    @api.model
    def _ambassador_space_lead(self, partner, lead_id):
        """The lead ``lead_id`` if ``partner`` passed it on, else empty."""
        lead_id = parse_id(lead_id)
        if not lead_id:
            return self.browse()
        # sudo: filtered on the ambassador, the visitor's own contact.
        return self.sudo().with_context(active_test=False).search(
            [("id", "=", lead_id), ("ambassador_partner_id", "=", partner.id)],
            limit=1)

    @api.multi
    def _ambassador_points(self):
        """{lead id: points its ambassador holds from it} (reversals
        included), in one query."""
        if not self:
            return {}
        self.env.cr.execute(
            """
            SELECT lead_id, COALESCE(SUM(points), 0)
            FROM ambassador_point_transaction
            WHERE lead_id IN %s GROUP BY lead_id
            """, (tuple(self.ids),))
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # E-mail
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A message to the ambassador leads' alias from an active
        ambassador's address (within its daily quota) becomes a lead with that
        ambassador as its source; any other message stays an ordinary lead.
        The From: header proves little: the lead only names the ambassador,
        staff qualify it before any point is given."""
        lead = super(CrmLead, self).message_new(
            msg_dict, custom_values=custom_values)
        team = self.env.ref("ambassador_program.crm_team_ambassador_leads",
                            raise_if_not_found=False)
        if not team or lead.team_id != team:
            return lead
        partner = self.env["ambassador.proof"]._ambassador_email_sender(
            msg_dict.get("email_from"))
        if not partner:
            return lead
        if self._ambassador_quota_left(partner) <= 0:
            lead.message_post(body=_(
                "Sent by ambassador %s, who passed on its most leads for the day: "
                "not counted as the ambassador's lead.") % tools.html_escape(
                    partner.display_name))
            return lead
        values = self._ambassador_lead_values(partner)
        values.pop("type")
        values["description"] = tools.html2plaintext(
            msg_dict.get("body") or "").strip()[:DESCRIPTION_MAX] or False
        # The message's sender is the ambassador, not the lead's contact.
        values.update(partner_id=False, email_from=False, contact_name=False)
        # sudo: the gateway's lead (created above with the gateway's rights);
        # the sender's address is an active ambassador's within its quota.
        lead.sudo().write(values)
        return lead

    # ------------------------------------------------------------------
    # Milestones and points
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_default_source(self, vals):
        """``vals`` with the ambassador's own utm.source when a lead gets an
        ambassador and no source (a lead entered by staff)."""
        partner_id = vals.get("ambassador_partner_id")
        if partner_id and not vals.get("source_id"):
            sources = self.env["res.partner"]._ambassador_utm_sources([partner_id])
            vals = dict(vals, source_id=sources.get(partner_id))
        return vals

    @api.model
    def create(self, vals):
        vals = self._ambassador_default_source(vals)
        lead = super(CrmLead, self).create(vals)
        if vals.get("ambassador_partner_id"):
            lead._ambassador_sync_milestones()
        return lead

    @api.multi
    def write(self, vals):
        if "source_id" not in vals:
            vals = self._ambassador_default_source(vals)
        result = super(CrmLead, self).write(vals)
        if MILESTONE_FIELDS & set(vals):
            self._ambassador_sync_milestones()
        return result

    @api.multi
    def _ambassador_sync_milestones(self):
        """Award and reverse the milestone points of these leads, set-based:
        one award per lead and milestone (the ledger's unique index), the won
        line reversed when a lead leaves "won" (reopened, lost), awarded
        again when it is won again. A line staff reversed by hand is not given
        again. Ambassadors who are not active earn nothing."""
        leads = self.sudo().with_context(active_test=False).filtered(
            "ambassador_partner_id")
        if not leads:
            return
        Rule = self.env["ambassador.point.rule"].sudo()
        rules = {rule.code: rule for rule in Rule.search(
            [("code", "in", (MILESTONE_QUALIFIED, MILESTONE_WON))])}
        if not rules:
            return
        cr = self.env.cr
        # The lead lines of these leads and whether (and how) each was reversed.
        cr.execute(
            """
            SELECT t.id, t.lead_id, t.rule_id, t.lead_round, r.id, r.lead_auto_reversal
            FROM ambassador_point_transaction t
            LEFT JOIN ambassador_point_transaction r
                ON r.reversed_transaction_id = t.id
            WHERE t.origin = 'lead' AND t.lead_id IN %s
            ORDER BY t.lead_round
            """, (tuple(leads.ids),))
        history = {}
        for line_id, lead_id, rule_id, round_, reversal, auto in cr.fetchall():
            history.setdefault((lead_id, rule_id), []).append(
                (line_id, round_, reversal, auto))
        awards, reversals = [], []
        for lead in leads:
            partner = lead.ambassador_partner_id
            won = lead._ambassador_is_won()
            reached = {
                MILESTONE_QUALIFIED: won or lead.type == "opportunity"
                or lead.ambassador_qualified,
                MILESTONE_WON: won,
            }
            for code, rule in rules.items():
                lines = history.get((lead.id, rule.id), [])
                live = [line for line in lines if not line[2]]
                if reached[code] and not live:
                    # Never given, or last reversed because the lead left
                    # the milestone (not by staff).
                    if lines and not lines[-1][3]:
                        continue
                    if (partner.ambassador_state != "active" or not rule.active
                            or partner.ambassador_segment_id not in
                            rule.segment_ids):
                        continue
                    awards.append({
                        "partner_id": partner.id, "rule_id": rule.id,
                        "points": rule.points, "origin": "lead",
                        "lead_id": lead.id, "lead_round": len(lines),
                        "note": _("Lead %(lead)d: %(rule)s") % {
                            "lead": lead.id, "rule": rule.name},
                    })
                elif code == MILESTONE_WON and not reached[code] and live:
                    reversals.extend(line[0] for line in live)
        Ledger = self.env["ambassador.point.transaction"]
        if reversals:
            lines = Ledger.sudo().browse(reversals)
            # as_engine: the lead left "won" (checked above, from the write
            # the user was allowed to make); the ledger reverses the award.
            as_engine(Ledger)._award([{
                "partner_id": line.partner_id.id,
                "segment_id": line.segment_id.id,
                "rule_id": line.rule_id.id,
                "points": -line.points, "origin": "reversal",
                "reversed_transaction_id": line.id, "lead_id": line.lead_id.id,
                "lead_auto_reversal": True,
                "note": _("Lead %d no longer won") % line.lead_id.id,
            } for line in lines])
        if awards:
            # as_engine: each lead reached the milestone (checked above),
            # once (the ledger's unique index refuses a second line).
            as_engine(Ledger)._award(awards)
