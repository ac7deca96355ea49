# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
import re

from odoo import _, http
from odoo.http import request

from odoo.addons.website_sale.controllers.main import WebsiteSale

from ..models.form_input import parse_id
from ..models.membership import member_partner
from .main import message_page

# Odoo reads a bad quantity as 1 ("abc", "\u00b2"), and "nan", "inf" or 1e308
# end in a server error: only plain decimal numbers within reason are taken.
QUANTITY_RE = re.compile(r"^-?[0-9]{1,7}(\.[0-9]{1,6})?$")
MAX_QUANTITY = 1000000


def quantity_refused(value, signed=True):
    """True unless ``value`` is absent or a plain, bounded number."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        if not QUANTITY_RE.match(value.strip()):
            return True
        value = float(value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return True
    return abs(value) > MAX_QUANTITY or (value < 0 and not signed)


class AmbassadorWebsiteSale(WebsiteSale):
    """Collector goodies are hidden from, and refused to, lower tiers and
    visitors, whatever the route. sale.order._cart_update refuses them too."""

    def _ambassador_partner(self):
        return request.env.user.partner_id

    def _ambassador_sees_all(self):
        """Website editors see every goodie (to edit their pages); buying stays
        reserved to the tier, in sale.order._cart_update."""
        return request.env.user.has_group("website.group_website_publisher")

    def _ambassador_price_label(self):
        """ "Your Silver price" where the visitor's tier pricelist applies,
        else False."""
        tier = request.website.get_current_pricelist()._ambassador_price_tier(
            self._ambassador_partner())
        return tier and _("Your %s price") % tier.name or False

    def _ambassador_with_price_label(self, response):
        # A page's qcontext is rendered when the response is sent.
        if getattr(response, "qcontext", None) is not None:
            response.qcontext["ambassador_price_label"] = (
                self._ambassador_price_label())
        return response

    @http.route()
    def shop(self, page=0, category=None, search="", ppg=False, **post):
        return self._ambassador_with_price_label(super(
            AmbassadorWebsiteSale, self).shop(
                page=page, category=category, search=search, ppg=ppg, **post))

    def _ambassador_refused(self, product):
        return request.render(
            "ambassador_program.shop_product_refused",
            {"product": product.sudo(),
             "member": bool(member_partner(request.env.user))},
            status=403,
        )

    def _get_search_domain(self, search, category, attrib_values):
        domain = super(AmbassadorWebsiteSale, self)._get_search_domain(
            search, category, attrib_values
        )
        if self._ambassador_sees_all():
            return domain
        return domain + request.env["product.template"]._ambassador_shop_domain(
            self._ambassador_partner()
        )

    @http.route()
    def product(self, product, category="", search="", **kwargs):
        if not self._ambassador_sees_all() and not product._ambassador_allowed_for(
            self._ambassador_partner()
        ):
            # As if it did not exist: a lower tier does not learn it is there.
            raise request.not_found()
        return self._ambassador_with_price_label(super(
            AmbassadorWebsiteSale, self).product(
                product, category=category, search=search, **kwargs))

    def _ambassador_product_from_post(self, product_id):
        product = request.env["product.product"].browse(parse_id(product_id))
        return product and product.exists() or None

    @http.route()
    def cart_update(self, product_id, add_qty=1, set_qty=0, **kw):
        product = self._ambassador_product_from_post(product_id)
        if product is None:
            return request.redirect("/shop")
        if quantity_refused(add_qty) or quantity_refused(set_qty, signed=False):
            return message_page(
                _("Quantity not valid"),
                _("Give the quantity as a number, at most %d.") % MAX_QUANTITY,
                400, [("/shop/cart", _("My cart"))],
            )
        if not product.product_tmpl_id._ambassador_allowed_for(
            self._ambassador_partner()
        ):
            return self._ambassador_refused(product)
        return super(AmbassadorWebsiteSale, self).cart_update(
            product_id, add_qty=add_qty, set_qty=set_qty, **kw
        )

    @http.route()
    def cart_update_json(self, product_id, line_id=None, add_qty=None,
                         set_qty=None, display=True):
        product = self._ambassador_product_from_post(product_id)
        if (product is None or quantity_refused(add_qty)
                or quantity_refused(set_qty, signed=False)
                or (add_qty is None and set_qty is None)
                or (line_id is not None and not parse_id(line_id))):
            # Odoo would add a line on no quantity, and fail on a bad one.
            return {}
        order = request.website.sale_get_order()
        if (
            order._ambassador_cart_adds(add_qty, set_qty) if order
            else request.env["sale.order"]._ambassador_cart_adds(add_qty, set_qty)
        ) and not product.product_tmpl_id._ambassador_allowed_for(
            self._ambassador_partner()
        ):
            # A message, not a JSON error with a traceback.
            tier = product.sudo().product_tmpl_id.ambassador_min_tier_id
            return {
                "cart_quantity": order.cart_quantity if order else 0,
                "ambassador_warning": _(
                    "This goodie is reserved to %s ambassadors and above."
                ) % tier.name,
            }
        return super(AmbassadorWebsiteSale, self).cart_update_json(
            product_id, line_id=line_id, add_qty=add_qty, set_qty=set_qty,
            display=display,
        )

    def _ambassador_clean_cart(self):
        """Drop the collector goodies a lowered tier no longer allows."""
        order = request.website.sale_get_order()
        if order and order.state == "draft":
            lines = order._ambassador_restricted_lines()
            if lines:
                lines.unlink()  # the website order is already sudo()
                return True
        return False

    @http.route()
    def cart(self, access_token=None, revive="", **post):
        self._ambassador_clean_cart()
        return super(AmbassadorWebsiteSale, self).cart(
            access_token=access_token, revive=revive, **post
        )

    @http.route()
    def checkout(self, **post):
        if self._ambassador_clean_cart():
            return request.redirect("/shop/cart")
        return super(AmbassadorWebsiteSale, self).checkout(**post)

    @http.route()
    def payment(self, **post):
        if self._ambassador_clean_cart():
            return request.redirect("/shop/cart")
        return super(AmbassadorWebsiteSale, self).payment(**post)
