# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

LEAD_KINDS = [
    ("company", "Company Settlement"),
    ("event", "Congress or Event"),
    ("delegation", "Delegation"),
    ("research", "Research Partnership"),
    ("students", "Students"),
    ("other", "Other"),
]


class CrmLead(models.Model):
    """A lead passed on by an ambassador (issue 15): the agency's own
    pipeline (crm), the ambassador as its source (``source_id`` is the
    ambassador's utm.source, ``ambassador_partner_id`` the contact). The
    country of origin of the company or event is the lead's ``country_id``."""

    _inherit = "crm.lead"

    ambassador_partner_id = fields.Many2one(
        "res.partner", string="Ambassador", index=True, ondelete="restrict",
        domain=[("ambassador_state", "!=", False)],
        help="The ambassador who passed this lead on.")
    ambassador_lead_kind = fields.Selection(
        LEAD_KINDS, string="Kind of Lead", index=True)
