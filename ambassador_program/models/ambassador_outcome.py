# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

OUTCOME_KINDS = [
    ("company", "Company Settlement"),
    ("event", "Event Hosted"),
    ("delegation", "Delegation"),
    ("students", "Students"),
    ("partnership", "Partnership"),
]


class AmbassadorOutcome(models.Model):
    """What a won lead brought to the territory (issue 15): jobs, money,
    visitors, attributed to one or several ambassadors with shares
    (``ambassador.outcome.attribution``)."""

    _name = "ambassador.outcome"
    _description = "Ambassador Programme Outcome"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Lead", index=True, ondelete="restrict")
    kind = fields.Selection(OUTCOME_KINDS, required=True, index=True)
    date = fields.Date(required=True, index=True, default=fields.Date.today)
    jobs_announced = fields.Integer(string="Jobs Announced")
    jobs_3y = fields.Integer(string="Jobs at 3 Years")
    amount_invested = fields.Monetary(
        string="Amount Invested", currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    visitors = fields.Integer(string="Visitors or Participants")
    country_id = fields.Many2one(
        "res.country", string="Country of Origin", index=True)
    industry_id = fields.Many2one("res.partner.industry", string="Sector")
    attribution_ids = fields.One2many(
        "ambassador.outcome.attribution", "outcome_id", string="Attribution")
