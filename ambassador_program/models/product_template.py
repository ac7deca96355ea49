# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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
        """Tier level of ``partner`` for the shop: -1 if not an active
        ambassador."""
        partner = partner.sudo()  # the visitor's own contact, or an order's
        if partner.ambassador_state == "active" and partner.ambassador_tier_id:
            return partner.ambassador_tier_id.sequence
        return -1

    @api.model
    def _ambassador_shop_domain(self, partner):
        """Domain of the products ``partner`` may see and buy."""
        sequence = self._ambassador_tier_sequence(partner)
        if sequence < 0:
            return [("ambassador_min_tier_id", "=", False)]
        return [
            "|",
            ("ambassador_min_tier_id", "=", False),
            ("ambassador_min_tier_id.sequence", "<=", sequence),
        ]

    @api.multi
    def _ambassador_allowed_for(self, partner):
        """True when ``partner`` may buy every product of ``self``."""
        restricted = self.sudo().filtered("ambassador_min_tier_id")
        if not restricted:
            return True
        sequence = self._ambassador_tier_sequence(partner)
        return all(
            product.ambassador_min_tier_id.sequence <= sequence
            for product in restricted
        )
