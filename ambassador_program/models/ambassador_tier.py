# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

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

    # ------------------------------------------------------------------
    # What the ambassador space says about a status
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_threshold(self, tier, segment):
        """Points ``segment`` needs for ``tier`` (None: not reachable by
        points in that segment)."""
        line = tier.threshold_ids.filtered(lambda t: t.segment_id == segment)
        return line[0].points if line else None

    @api.model
    def _ambassador_progress_card(self, partner):
        """What the ambassador space tells ``partner`` about its status: its
        tier and what it gives, the next tier and what it gives, the points
        that tier needs in the partner's segment and how many are missing,
        whether the committee decides, and how points are earned in the
        segment (the actions and their points; automatic ones flagged)."""
        current = partner.ambassador_tier_id
        segment = partner.ambassador_segment_id
        higher = self.search(
            [("sequence", ">", current.sequence if current else -1)],
            order="sequence, id",
        )
        target = higher[:1]
        needed = self._ambassador_threshold(target, segment) if target else None
        rules = segment.rule_ids.filtered("active").sorted(
            lambda rule: (rule.sequence, rule.id)
        )
        declarable = rules._ambassador_declarable()
        return {
            "current": current,
            "next": target,
            "next_points": needed,
            "missing": max((needed or 0) - partner.ambassador_balance, 0),
            "committee": bool(target.committee_required),
            "rules": [(rule, rule not in declarable) for rule in rules],
        }

    @api.model
    def _ambassador_directory_opening(self, partner):
        """The lowest tier whose ambassadors see the directory, the points it
        needs in ``partner``'s segment, how many are missing and whether the
        committee decides: what a closed directory tells the ambassador."""
        tier = self.search(
            [("directory_scope", "in", ("segment", "all"))],
            order="sequence, id", limit=1,
        )
        needed = (self._ambassador_threshold(tier, partner.ambassador_segment_id)
                  if tier else None)
        return {
            "tier": tier,
            "points": needed,
            "missing": max((needed or 0) - partner.ambassador_balance, 0),
            "committee": bool(tier.committee_required),
        }

    @api.model
    def _ambassador_directory_audience(self):
        """Who sees what an ambassador shows in the directory, in words: the
        tiers that see their own segment, and those that see every segment."""
        tiers = self.search([("directory_scope", "in", ("segment", "all"))])
        parts = []
        own = tiers.filtered(lambda t: t.directory_scope == "segment")
        every = tiers - own
        if own:
            parts.append(_("%s ambassadors of your segment")
                         % ", ".join(own.mapped("name")))
        if every:
            parts.append(_("%s ambassadors of every segment")
                         % ", ".join(every.mapped("name")))
        if not parts:
            return _("Nobody: the directory is closed.")
        return _("Seen in the ambassadors' directory by: %s.") % "; ".join(parts)
