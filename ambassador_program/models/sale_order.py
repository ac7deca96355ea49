# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """No cart route can add a collector goodie for a lower tier."""

    _inherit = "sale.order"

    @api.multi
    def _cart_update(self, product_id=None, line_id=None, add_qty=0, set_qty=0,
                     attributes=None, **kwargs):
        self.ensure_one()
        product = self.env["product.product"].sudo().browse(product_id or [])
        if not product and line_id:
            product = self.env["sale.order.line"].sudo().browse(line_id).product_id
        if product and self._ambassador_cart_adds(add_qty, set_qty) and not (
            product.product_tmpl_id._ambassador_allowed_for(self.partner_id)
        ):
            raise UserError(self._ambassador_refusal_message(product))
        return super(SaleOrder, self)._cart_update(
            product_id=product_id, line_id=line_id, add_qty=add_qty,
            set_qty=set_qty, attributes=attributes, **kwargs
        )

    @api.model
    def _ambassador_cart_adds(self, add_qty, set_qty):
        """Whether a cart update may leave a positive quantity (removing a line
        is always allowed)."""
        try:
            set_qty = float(set_qty or 0)
        except (TypeError, ValueError):
            set_qty = 0
        if set_qty:
            return set_qty > 0
        if add_qty is None:
            return False  # no quantity at all: website_sale removes the line
        try:
            add_qty = float(add_qty)
        except (TypeError, ValueError):
            add_qty = 1  # what website_sale does with a malformed quantity
        # 0 still creates a line of one unit when the product is not in the cart.
        return add_qty >= 0

    @api.model
    def _ambassador_refusal_message(self, product):
        tier = product.sudo().product_tmpl_id.ambassador_min_tier_id
        return _("%(product)s is reserved to %(tier)s ambassadors and above.") % {
            "product": product.display_name,
            "tier": tier.name,
        }

    @api.multi
    def _ambassador_restricted_lines(self):
        """Lines whose product the customer's tier no longer allows."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: line.product_id
            and not line.product_id.product_tmpl_id._ambassador_allowed_for(
                self.partner_id
            )
        )
