# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AmbassadorOutcomeAttribution(models.Model):
    """One ambassador's share (percent) of an outcome; an outcome's shares
    add up to 100."""

    _name = "ambassador.outcome.attribution"
    _description = "Ambassador Outcome Attribution"
    _order = "share desc, id"

    outcome_id = fields.Many2one(
        "ambassador.outcome", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Ambassador", required=True, index=True,
        ondelete="restrict")
    share = fields.Float(string="Share (%)", default=100.0, digits=(5, 2))
