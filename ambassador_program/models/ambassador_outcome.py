# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

OUTCOME_KINDS = [
    ("company", "Company Settlement"),
    ("event", "Event Hosted"),
    ("delegation", "Delegation"),
    ("students", "Students"),
    ("partnership", "Partnership"),
]
# crm.lead.ambassador_lead_kind -> the outcome's kind it usually brings.
KIND_FROM_LEAD = {
    "company": "company",
    "event": "event",
    "delegation": "delegation",
    "research": "partnership",
    "students": "students",
    "other": "partnership",
}
FOLLOW_UP_YEARS = 3
SHARE_TOLERANCE = 0.01


class AmbassadorOutcome(models.Model):
    """What a won lead brought to the territory (issue 15): jobs, money,
    visitors, attributed to one or several ambassadors with shares
    (``ambassador.outcome.attribution``). A lead has at most one outcome of
    each kind (a settlement and, later, a delegation are two outcomes; the
    same settlement twice is a mistake). Staff follow the jobs up three
    years later: an activity waits on the outcome until ``jobs_3y`` is
    written."""

    _name = "ambassador.outcome"
    _description = "Ambassador Programme Outcome"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, track_visibility="onchange")
    lead_id = fields.Many2one(
        "crm.lead", string="Lead", index=True, ondelete="restrict",
        track_visibility="onchange")
    kind = fields.Selection(OUTCOME_KINDS, required=True, index=True,
                            track_visibility="onchange")
    date = fields.Date(required=True, index=True, default=fields.Date.today,
                       track_visibility="onchange")
    jobs_announced = fields.Integer(track_visibility="onchange")
    jobs_3y = fields.Integer(string="Jobs at 3 Years", track_visibility="onchange")
    jobs_3y_date = fields.Date(
        string="Jobs at 3 Years Recorded On", readonly=True, copy=False,
        help="Set when the 3-year figure is entered (0 is a figure too).")
    follow_up_date = fields.Date(
        string="3-Year Follow-up", compute="_compute_follow_up_date", store=True,
        index=True)
    amount_invested = fields.Monetary(
        currency_field="currency_id",
        track_visibility="onchange")
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    visitors = fields.Integer(string="Visitors or Participants",
                              track_visibility="onchange")
    country_id = fields.Many2one(
        "res.country", string="Country of Origin", index=True)
    industry_id = fields.Many2one("res.partner.industry", string="Sector")
    attribution_ids = fields.One2many(
        "ambassador.outcome.attribution", "outcome_id", string="Attribution",
        copy=True)
    user_id = fields.Many2one(
        "res.users", string="Follow-up by", index=True,
        default=lambda self: self.env.user,
        help="The staff member who follows the outcome up (the 3-year "
             "follow-up activity is theirs).")
    note = fields.Text()

    _sql_constraints = [
        ("figures_not_negative",
         "CHECK(COALESCE(jobs_announced, 0) >= 0 AND COALESCE(jobs_3y, 0) >= 0 "
         "AND COALESCE(amount_invested, 0) >= 0 AND COALESCE(visitors, 0) >= 0)",
         "Jobs, amounts and visitors cannot be negative."),
        ("one_kind_per_lead", "UNIQUE(lead_id, kind)",
         "This lead already has an outcome of this kind: edit it instead."),
    ]

    @api.depends("date")
    def _compute_follow_up_date(self):
        for outcome in self:
            outcome.follow_up_date = outcome.date and fields.Date.to_string(
                fields.Date.from_string(outcome.date)
                + relativedelta(years=FOLLOW_UP_YEARS))

    @api.constrains("attribution_ids")
    def _check_attribution_total(self):
        """Attributed shares add up to 100 % (an outcome may be attributed to
        nobody: the agency's own lead). One grouped query for all."""
        if not self.ids:
            return
        self.env.cr.execute(
            """SELECT outcome_id, SUM(share) FROM ambassador_outcome_attribution
               WHERE outcome_id IN %s GROUP BY outcome_id""", (tuple(self.ids),))
        for outcome_id, total in self.env.cr.fetchall():
            if round(abs(total - 100.0), 6) > SHARE_TOLERANCE:
                outcome = self.browse(outcome_id)
                raise ValidationError(_(
                    "The shares of the outcome \"%(name)s\" add up to "
                    "%(total).2f %%: they must add up to 100 %%.") % {
                        "name": outcome.name, "total": total})

    # ------------------------------------------------------------------
    # Defaults from the lead
    # ------------------------------------------------------------------
    @api.model
    def _values_from_lead(self, lead):
        """What the outcome of ``lead`` starts with: its name, the kind its
        kind of lead brings, its country of origin, the ambassador who passed
        it on at 100 %, its salesperson as the follow-up."""
        values = {
            "name": lead.partner_name or lead.name,
            "country_id": lead.country_id.id,
        }
        kind = KIND_FROM_LEAD.get(lead.ambassador_lead_kind or "")
        if kind:
            values["kind"] = kind
        if lead.ambassador_partner_id:
            values["attribution_ids"] = [(0, 0, {
                "partner_id": lead.ambassador_partner_id.id, "share": 100.0})]
        if lead.user_id:
            values["user_id"] = lead.user_id.id
        return values

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if not self.lead_id:
            return
        values = self._values_from_lead(self.lead_id)
        attribution = values.pop("attribution_ids", None)
        for name, value in values.items():
            self[name] = value
        if attribution and not self.attribution_ids:
            self.attribution_ids = attribution

    @api.model
    def create(self, vals):
        if vals.get("lead_id"):
            lead = self.env["crm.lead"].browse(vals["lead_id"])
            for name, value in self._values_from_lead(lead).items():
                if name not in vals or (name != "attribution_ids"
                                        and not vals[name]):
                    vals[name] = value
        if vals.get("jobs_3y") and not vals.get("jobs_3y_date"):
            vals["jobs_3y_date"] = fields.Date.context_today(self)
        # The lines are checked together, by the outcome's constraint.
        outcome = super(AmbassadorOutcome, self.with_context(
            ambassador_outcome_lines=True)).create(vals).with_env(self.env)
        outcome._schedule_follow_up()
        return outcome

    @api.multi
    def write(self, vals):
        if "jobs_3y" in vals and "jobs_3y_date" not in vals:
            vals = dict(vals, jobs_3y_date=fields.Date.context_today(self))
        # The lines are checked together, by the outcome's constraint.
        result = super(AmbassadorOutcome, self.with_context(
            ambassador_outcome_lines=True)).write(vals)
        if "jobs_3y" in vals:
            self._follow_up_activities().action_feedback(
                feedback=_("Jobs at 3 years recorded."))
        elif {"date", "user_id"} & set(vals):
            for outcome in self:
                outcome._follow_up_activities().write({
                    "date_deadline": outcome.follow_up_date,
                    "user_id": outcome.user_id.id or self.env.uid})
        return result

    # ------------------------------------------------------------------
    # The 3-year follow-up
    # ------------------------------------------------------------------
    def _follow_up_activities(self):
        activity_type = self.env.ref(
            "ambassador_program.mail_activity_type_outcome_follow_up")
        return self.env["mail.activity"].search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("activity_type_id", "=", activity_type.id)])

    def _schedule_follow_up(self):
        """A "3-year follow-up" activity for the responsible staff member,
        due three years after the outcome's date."""
        activity_type = self.env.ref(
            "ambassador_program.mail_activity_type_outcome_follow_up")
        model = self.env["ir.model"]._get(self._name)
        Activity = self.env["mail.activity"]
        for outcome in self.filtered(lambda outcome: not outcome.jobs_3y_date):
            Activity.create({
                "res_model_id": model.id,
                "res_id": outcome.id,
                "activity_type_id": activity_type.id,
                "date_deadline": outcome.follow_up_date,
                "user_id": outcome.user_id.id or self.env.uid,
                "summary": _("Jobs at 3 years: %s") % outcome.name,
            })
