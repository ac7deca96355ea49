# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The ambassador's page shows its latest outcomes, up to this many.
PORTAL_LIMIT = 100


class AmbassadorOutcomeAttribution(models.Model):
    """One ambassador's share (percent) of an outcome; an outcome's shares
    add up to 100 (checked on the outcome, once all its lines are written)."""

    _name = "ambassador.outcome.attribution"
    _description = "Ambassador Outcome Attribution"
    _order = "share desc, id"

    outcome_id = fields.Many2one(
        "ambassador.outcome", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, index=True,
        ondelete="restrict", domain=[("ambassador_state", "!=", False)])
    share = fields.Float(string="Share (%)", default=100.0, digits=(5, 2))

    _sql_constraints = [
        ("share_positive", "CHECK(share > 0 AND share <= 100)",
         "A share is more than 0 % and at most 100 %."),
        ("one_line_per_ambassador", "UNIQUE(outcome_id, partner_id)",
         "An ambassador appears once in an outcome's attribution."),
    ]

    @api.constrains("partner_id")
    def _check_partner_is_ambassador(self):
        for line in self:
            if not line.partner_id.ambassador_state:
                raise ValidationError(_(
                    "%s is not an ambassador: an outcome is attributed to "
                    "ambassadors only.") % line.partner_id.display_name)

    # Lines written on their own (not through the outcome's form) keep the
    # outcome's total at 100 %: checked after the change. Through the
    # outcome, its own constraint checks once every line is written.
    @api.model
    def create(self, vals):
        line = super(AmbassadorOutcomeAttribution, self).create(vals)
        if not self.env.context.get("ambassador_outcome_lines"):
            line.outcome_id._check_attribution_total()
        return line

    @api.multi
    def write(self, vals):
        outcomes = self.mapped("outcome_id")
        result = super(AmbassadorOutcomeAttribution, self).write(vals)
        if not self.env.context.get("ambassador_outcome_lines"):
            (outcomes | self.mapped("outcome_id"))._check_attribution_total()
        return result

    @api.multi
    def unlink(self):
        outcomes = self.mapped("outcome_id")
        result = super(AmbassadorOutcomeAttribution, self).unlink()
        if not self.env.context.get("ambassador_outcome_lines"):
            outcomes.exists()._check_attribution_total()
        return result

    @api.model
    def _ambassador_portal_rows(self, partner, limit=PORTAL_LIMIT):
        """The latest ``limit`` outcomes attributed to ``partner``, for its
        space: what it may know of them (never the amounts invested, the
        companies' and the agency's business). A fixed number of queries,
        whatever the number of outcomes."""
        # The caller's own lines only (partner_id is its own contact), newest
        # first; then read with sudo: an ambassador may not read outcomes.
        self.env.cr.execute(
            """SELECT line.id FROM ambassador_outcome_attribution line
               JOIN ambassador_outcome outcome ON outcome.id = line.outcome_id
               WHERE line.partner_id = %s
               ORDER BY outcome.date DESC, outcome.id DESC LIMIT %s""",
            (partner.id, limit))
        lines = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        kinds = dict(self.env["ambassador.outcome"]._fields["kind"]
                     ._description_selection(self.env))
        shares = {row["id"]: row for row in lines.read(["outcome_id", "share"])}
        outcomes = lines.mapped("outcome_id")
        outcome_rows = {row["id"]: row for row in outcomes.read([
            "name", "kind", "date", "jobs_announced", "jobs_3y", "jobs_3y_date",
            "visitors", "country_id"])}
        rows = []
        for line in lines:
            outcome = outcome_rows[shares[line.id]["outcome_id"][0]]
            rows.append({
                "name": outcome["name"],
                "kind": kinds.get(outcome["kind"], ""),
                "date": outcome["date"],
                "jobs_announced": outcome["jobs_announced"],
                "jobs_3y": (outcome["jobs_3y"] if outcome["jobs_3y_date"]
                            else None),
                "visitors": outcome["visitors"],
                "country": outcome["country_id"] and outcome["country_id"][1] or "",
                "share": self._format_share(shares[line.id]["share"]),
            })
        return rows

    @api.model
    def _ambassador_portal_totals(self, partner):
        """(outcomes, jobs announced) of all the outcomes attributed to
        ``partner``: one query."""
        self.env.cr.execute(
            """SELECT COUNT(*), COALESCE(SUM(outcome.jobs_announced), 0)
               FROM ambassador_outcome_attribution line
               JOIN ambassador_outcome outcome ON outcome.id = line.outcome_id
               WHERE line.partner_id = %s""", (partner.id,))
        return self.env.cr.fetchone()

    @api.model
    def _format_share(self, share):
        """50 -> "50", 33.33 -> "33,33" in French: the reader's numbers."""
        if float(share).is_integer():
            return "%d" % share
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        return lang.format("%.2f", share, grouping=True)
