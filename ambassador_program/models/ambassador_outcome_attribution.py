# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    def _ambassador_portal_rows(self, partner):
        """The outcomes attributed to ``partner``, for its space: what it may
        know of them (never the amounts invested, the companies' and the
        agency's business). One search, then the rows' fields prefetched."""
        # sudo: the ambassador may not read outcomes; the search is limited to
        # its own lines first (partner_id is the caller's own contact).
        lines = self.sudo().search([("partner_id", "=", partner.id)])
        kinds = dict(self.env["ambassador.outcome"]._fields["kind"]
                     ._description_selection(self.env))
        lines = lines.sorted(lambda line: (line.outcome_id.date, line.id),
                             reverse=True)
        # The countries' names in one read, whatever the rows.
        countries = lines.mapped("outcome_id.country_id")
        country_names = {row["id"]: row["name"]
                         for row in countries.read(["name"])}
        return [{
            "name": line.outcome_id.name,
            "kind": kinds.get(line.outcome_id.kind, ""),
            "date": line.outcome_id.date,
            "jobs_announced": line.outcome_id.jobs_announced,
            "jobs_3y": (line.outcome_id.jobs_3y
                        if line.outcome_id.jobs_3y_date else None),
            "visitors": line.outcome_id.visitors,
            "country": country_names.get(line.outcome_id.country_id.id, ""),
            "share": self._format_share(line.share),
        } for line in lines]

    @api.model
    def _format_share(self, share):
        """50 -> "50", 33.33 -> "33,33" in French: the reader's numbers."""
        if float(share).is_integer():
            return "%d" % share
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        return lang.format("%.2f", share, grouping=True)
