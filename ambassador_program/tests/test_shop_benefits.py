from odoo.exceptions import UserError
from odoo.tests import common

from .common import AmbassadorCase
from .common_http import SharedCursorHttpCase


def in_currency(amount, pricelist):
    """An amount of the company's currency (the products' prices) in the
    currency of ``pricelist`` (a demo database sells in euros)."""
    company = pricelist.env.user.company_id
    return company.currency_id.compute(amount, pricelist.currency_id)


class TestShopBenefits(AmbassadorCase):
    """Tier pricelists follow the tier both ways; collector goodies are refused
    to lower tiers by the model, whatever the route."""

    @classmethod
    def setUpClass(cls):
        super(TestShopBenefits, cls).setUpClass()
        ref = cls.env.ref
        cls.pl_ivory = ref("ambassador_program.pricelist_tier_ivory")
        cls.pl_silver = ref("ambassador_program.pricelist_tier_silver")
        cls.pl_gold = ref("ambassador_program.pricelist_tier_gold")
        cls.tier_pricelists = cls.pl_ivory | cls.pl_silver | cls.pl_gold | ref(
            "ambassador_program.pricelist_tier_platinum")
        cls.collector = cls.env["product.template"].create(
            {"name": "Test collector mug", "list_price": 40.0, "sale_ok": True,
             "website_published": True, "ambassador_min_tier_id": cls.silver.id}
        )
        cls.plain = cls.env["product.template"].create(
            {"name": "Test sticker", "list_price": 2.0, "sale_ok": True,
             "website_published": True}
        )

    def test_tier_pricelists_are_offered_by_the_website(self):
        for pricelist in self.tier_pricelists:
            self.assertTrue(pricelist.website_id)
            self.assertFalse(pricelist.selectable)
        self.assertEqual(self.silver.pricelist_id, self.pl_silver)

    def test_pricelist_follows_the_tier_both_ways(self):
        pam = self.make_ambassador("Pam Shop", segment=self.live)
        self.assertEqual(pam.property_product_pricelist, self.pl_ivory)
        self.Ledger.create({"partner_id": pam.id, "points": 10, "origin": "manual"})
        self.env["ambassador.status.engine"]._evaluate(pam)
        self.assertEqual(pam.ambassador_tier_id, self.silver)
        self.assertEqual(pam.property_product_pricelist, self.pl_silver)
        price = self.pl_silver.get_product_price(
            self.plain.product_variant_id, 1, pam)
        self.assertAlmostEqual(price, in_currency(1.8, self.pl_silver), places=2)
        pam.ambassador_transaction_ids.action_reverse("Mistake")
        self.assertEqual(pam.ambassador_tier_id, self.ivory)
        self.assertEqual(pam.property_product_pricelist, self.pl_ivory)

    def test_leaving_gives_back_the_public_pricelist(self):
        sue = self.make_ambassador("Sue Shop", points=20)
        self.assertEqual(sue.property_product_pricelist, self.pl_silver)
        sue.sudo(self.staff_user).action_ambassador_suspend()
        # The status change is picked up by the sync (write path or nightly run).
        self.env["product.pricelist"]._ambassador_sync_partner_pricelists(sue.ids)
        self.assertNotIn(sue.property_product_pricelist, self.tier_pricelists)
        sue.sudo(self.staff_user).action_ambassador_activate()
        self.env["product.pricelist"]._ambassador_sync_partner_pricelists()
        self.assertEqual(sue.property_product_pricelist, self.pl_silver)

    def test_sync_leaves_other_contacts_alone(self):
        customer = self.Partner.create({"name": "Regular customer"})
        custom = self.env["product.pricelist"].create({"name": "B2B"})
        customer.property_product_pricelist = custom
        self.env["product.pricelist"]._ambassador_sync_partner_pricelists()
        self.assertEqual(customer.property_product_pricelist, custom)

    def order_for(self, partner):
        pricelist = partner.property_product_pricelist or self.env.ref("product.list0")
        return self.env["sale.order"].sudo().create(
            {"partner_id": partner.id, "pricelist_id": pricelist.id}
        )

    def test_collector_goodie_refused_to_lower_tier_by_the_model(self):
        ivy = self.make_ambassador("Ivy Shop")
        order = self.order_for(ivy)
        product = self.collector.product_variant_id
        with self.assertRaises(UserError):
            order._cart_update(product_id=product.id, add_qty=1)
        with self.assertRaises(UserError):
            order._cart_update(product_id=product.id, set_qty=3)
        self.assertFalse(order.order_line)
        order._cart_update(product_id=self.plain.product_variant_id.id, add_qty=1)
        self.assertEqual(len(order.order_line), 1)
        # The anonymous visitor's order (public partner) is refused as well.
        public_order = self.order_for(self.env.ref("base.public_partner"))
        with self.assertRaises(UserError):
            public_order._cart_update(product_id=product.id, add_qty=1)

    def test_collector_goodie_sold_to_silver_and_kept_from_lowered_tier(self):
        sam = self.make_ambassador("Sam Shop", points=20)
        order = self.order_for(sam)
        product = self.collector.product_variant_id
        order._cart_update(product_id=product.id, add_qty=1)
        self.assertEqual(order.order_line.product_id, product)
        self.assertAlmostEqual(
            order.order_line.price_unit, in_currency(36.0, order.pricelist_id),
            places=2)
        self.assertFalse(order._ambassador_restricted_lines())
        sam.ambassador_transaction_ids.action_reverse("Mistake")
        self.assertEqual(sam.ambassador_tier_id, self.ivory)
        self.assertEqual(order._ambassador_restricted_lines(), order.order_line)
        # Removing it stays possible.
        order._cart_update(product_id=product.id, line_id=order.order_line.id,
                           add_qty=None, set_qty=0)  # what the cart page sends
        self.assertFalse(order.order_line)

    def test_shop_domain(self):
        Product = self.env["product.template"]
        ivy = self.make_ambassador("Ivy Domain")
        sam = self.make_ambassador("Sam Domain", points=20)
        visible_ivy = Product.search(Product._ambassador_shop_domain(ivy))
        visible_sam = Product.search(Product._ambassador_shop_domain(sam))
        self.assertNotIn(self.collector, visible_ivy)
        self.assertIn(self.plain, visible_ivy)
        self.assertIn(self.collector, visible_sam)
        gold_only = Product.create({"name": "Gold only", "ambassador_min_tier_id":
                                    self.gold.id})
        self.assertNotIn(
            gold_only, Product.search(Product._ambassador_shop_domain(sam)))


@common.at_install(False)
@common.post_install(True)
class TestShopRoutes(SharedCursorHttpCase):
    """/shop, /shop/product and the cart routes hide and refuse collector goodies
    to lower tiers (anonymous visitors: tests/test_benefit_routes.py, against a
    live server)."""

    def setUp(self):
        super(TestShopRoutes, self).setUp()
        env = self.env
        invest = env.ref("ambassador_program.segment_invest")
        silver = env.ref("ambassador_program.tier_silver")
        self.pl_silver = silver.pricelist_id
        self.collector = env["product.template"].create(
            {"name": "Route collector lantern", "list_price": 50.0, "sale_ok": True,
             "website_published": True, "ambassador_min_tier_id": silver.id}
        )
        Partner = env["res.partner"]
        self.ivory_partner = Partner.create(
            {"name": "Ivo Shop", "email": "ivo.shop@example.com",
             "ambassador_state": "active", "ambassador_segment_id": invest.id})
        self.silver_partner = Partner.create(
            {"name": "Silvia Shop", "email": "silvia.shop@example.com",
             "ambassador_state": "active", "ambassador_segment_id": invest.id})
        env["ambassador.point.transaction"].create(
            {"partner_id": self.silver_partner.id, "points": 20, "origin": "manual"})
        self.env["ambassador.status.engine"]._evaluate(self.silver_partner)
        portal = env.ref("base.group_portal")
        Users = env["res.users"].with_context(no_reset_password=True)
        for partner, login in ((self.ivory_partner, "ivo_shop"),
                               (self.silver_partner, "silvia_shop")):
            Users.create({"login": login, "password": login, "partner_id": partner.id,
                          "groups_id": [(6, 0, [portal.id])]})

    def cart_lines(self, partner):
        return self.env["sale.order.line"].search(
            [("order_id.partner_id", "=", partner.id),
             ("product_id.product_tmpl_id", "=", self.collector.id)])

    def test_lower_tier_neither_sees_nor_buys(self):
        self.authenticate("ivo_shop", "ivo_shop")
        self.assertNotIn("Route collector lantern",
                         self.url_open("/shop?search=lantern").text)
        response = self.url_open("/shop/product/%d" % self.collector.id)
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            "/shop/cart/update",
            data={"product_id": self.collector.product_variant_id.id, "add_qty": 1})
        self.assertEqual(response.status_code, 403)
        self.assertIn("reserved to Silver ambassadors", response.text)
        self.assertFalse(self.cart_lines(self.ivory_partner))

    def test_silver_sees_and_buys_at_silver_price(self):
        self.authenticate("silvia_shop", "silvia_shop")
        shop = self.url_open("/shop?search=lantern").text
        self.assertIn("Route collector lantern", shop)
        # 50 less the Silver 10 %, in the currency of the tier's price list
        self.assertIn("%.2f" % in_currency(45.0, self.pl_silver), shop)
        self.assertEqual(
            self.url_open("/shop/product/%d" % self.collector.id).status_code, 200)
        self.url_open(
            "/shop/cart/update",
            data={"product_id": self.collector.product_variant_id.id, "add_qty": 1})
        line = self.cart_lines(self.silver_partner)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(
            line.price_unit, in_currency(45.0, self.pl_silver), places=2)
