# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .tier_rank import ambassador_rank, min_tier_domain, reaches


class ProductTemplate(models.Model):
    """Collector goodies: products reserved to a minimum ambassador tier."""

    _inherit = "product.template"

    ambassador_min_tier_id = fields.Many2one(
        "ambassador.tier",
        string="Reserved to Tier",
        ondelete="restrict",
        index=True,
        help="Collector goodie: only active ambassadors of this tier or above see "
        "it in the shop and can buy it.",
    )

    @api.model
    def _ambassador_tier_sequence(self, partner):
        """Tier level of ``partner`` for the shop (tier_rank.ambassador_rank)."""
        # sudo: the visitor's own contact, or an order's.
        return ambassador_rank(partner.sudo())

    @api.model
    def _ambassador_shop_domain(self, partner):
        """Domain of the products ``partner`` may see and buy."""
        return min_tier_domain(
            "ambassador_min_tier_id", self._ambassador_tier_sequence(partner)
        )

    @api.multi
    def _ambassador_allowed_for(self, partner):
        """True when ``partner`` may buy every product of ``self``."""
        restricted = self.sudo().filtered("ambassador_min_tier_id")
        if not restricted:
            return True
        rank = self._ambassador_tier_sequence(partner)
        return all(
            reaches(rank, product.ambassador_min_tier_id) for product in restricted
        )
