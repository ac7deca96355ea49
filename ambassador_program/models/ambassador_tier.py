# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .counting import count_per_record


class AmbassadorTier(models.Model):
    """An ambassador status: Ivory < Silver < Gold < Platinum (by sequence)."""

    _name = "ambassador.tier"
    _description = "Ambassador Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical code.")
    sequence = fields.Integer(
        default=10, help="Order of the tiers: a higher sequence is a higher status."
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    committee_required = fields.Boolean(
        help="Reaching the points threshold only proposes this tier; the steering "
        "committee decides."
    )
    validity_months = fields.Integer(
        help="Months a committee decision lasts before its yearly review "
        "(0: no expiry)."
    )
    benefits = fields.Html(translate=True)
    target_count = fields.Integer(
        string="Target Headcount", help="How many ambassadors the programme aims at."
    )
    directory_scope = fields.Selection(
        [("none", "No directory"), ("segment", "Own segment"), ("all", "All segments")],
        default="none",
        required=True,
        help="Which ambassadors this tier sees in the directory.",
    )
    public_wall = fields.Boolean(
        help="Ambassadors of this tier who opt in are thanked on the public wall."
    )
    threshold_ids = fields.One2many(
        "ambassador.tier.threshold",
        "tier_id",
        string="Thresholds per Segment",
        copy=True,
    )
    ambassador_count = fields.Integer(compute="_compute_ambassador_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The tier code must be unique."),
    ]

    @api.multi
    def _compute_ambassador_count(self):
        counts = count_per_record(
            self.env["res.partner"],
            "ambassador_tier_id",
            self.ids,
            [("ambassador_state", "=", "active")],
        )
        for tier in self:
            tier.ambassador_count = counts.get(tier.id, 0)

    @api.model
    def get_base_tier(self):
        """The tier granted at sign-up: the lowest active one."""
        return self.search([], order="sequence, id", limit=1)

    # Tier benefits through Odoo's apps (goodies shop, mass mailing).
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Shop Pricelist",
        ondelete="set null",
        help="Pricelist given to the active ambassadors of this tier in the goodies "
        "shop (it needs a website to be offered there).",
    )
    mailing_list_id = fields.Many2one(
        "mail.mass_mailing.list",
        string="Mailing List",
        ondelete="set null",
        help="Mailing list kept in sync with the active ambassadors of this tier "
        "who consented to the newsletter.",
    )
