"""The goodies shop in a real headless Chromium: a Silver ambassador sees Silver
prices and a collector goodie, an Ivory ambassador does not see it. The data is
made through XML-RPC as admin, the way an integrator would; the tier comes from
real points and the status engine (its nightly job, run now)."""
import base64
import os
import time
import xmlrpc.client

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from test_website_browser import login


IMAGES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "ambassador_program", "static", "img")


def image(name):
    with open(os.path.join(IMAGES, name), "rb") as handle:
        return base64.b64encode(handle.read()).decode()


class Odoo(object):
    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, "admin/admin must log in to %s" % db
        self.models = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)


@pytest.fixture(scope="module")
def shop_data(odoo_url, odoo_db):
    odoo = Odoo(odoo_url, odoo_db)
    tag = str(int(time.time()))
    invest = odoo.ref("ambassador_program.segment_invest")
    silver = odoo.ref("ambassador_program.tier_silver")
    portal = odoo.ref("base.group_portal")
    goodies = odoo("product.public.category", "search",
                   [("name", "=", "Ambassador goodies")], limit=1)
    product_values = {"sale_ok": True, "website_published": True, "type": "consu",
                      "public_categ_ids": [(6, 0, goodies)]}
    collector = odoo("product.template", "create", dict(
        product_values, name="Collector lantern %s" % tag, list_price=50.0,
        ambassador_min_tier_id=silver, image=image("goodie_collector_watch.png")))
    plain = odoo("product.template", "create", dict(
        product_values, name="Ambassador badge %s" % tag, list_price=20.0,
        image=image("goodie_enamel_pin.png")))
    users = {}
    for key, points in (("silver", 20), ("ivory", 0)):
        email = "%s.%s@example.com" % (key, tag)
        partner = odoo("res.partner", "create", {
            "name": "%s Browser %s" % (key.capitalize(), tag), "email": email,
            "ambassador_state": "active", "ambassador_segment_id": invest})
        if points:
            odoo("ambassador.point.transaction", "create",
                 {"partner_id": partner, "points": points, "origin": "manual"})
        odoo("res.users", "create", {
            "name": "%s Browser %s" % (key.capitalize(), tag), "login": email,
            "password": "pw-%s" % tag, "partner_id": partner,
            "groups_id": [(6, 0, [portal])]})
        users[key] = {"login": email, "password": "pw-%s" % tag, "partner": partner}
    # The status engine's nightly job applies the tier the points give (and the
    # tier hook gives the pricelist).
    odoo("ir.cron", "method_direct_trigger",
         [odoo.ref("ambassador_program.cron_check_balances")])
    tiers = {key: odoo("res.partner", "read", [user["partner"]],
                       ["ambassador_tier_id", "property_product_pricelist"])[0]
             for key, user in users.items()}
    assert tiers["silver"]["ambassador_tier_id"][0] == silver, tiers
    assert tiers["silver"]["property_product_pricelist"][0] == odoo.ref(
        "ambassador_program.pricelist_tier_silver"), tiers
    assert tiers["ivory"]["property_product_pricelist"][0] == odoo.ref(
        "ambassador_program.pricelist_tier_ivory"), tiers
    # The prices the tier's price list gives (in its currency: a demo database
    # sells in euros while its company keeps dollars).
    silver_pricelist = odoo.ref("ambassador_program.pricelist_tier_silver")
    ivory_pricelist = odoo.ref("ambassador_program.pricelist_tier_ivory")
    variants = {
        key: odoo("product.product", "search", [("product_tmpl_id", "=", tmpl)])[0]
        for key, tmpl in (("collector", collector), ("plain", plain))}

    def price(pricelist, variant):
        return odoo("product.product", "read", [variant], ["price"],
                    context={"pricelist": pricelist, "quantity": 1})[0]["price"]
    prices = {"silver_collector": price(silver_pricelist, variants["collector"]),
              "silver_plain": price(silver_pricelist, variants["plain"]),
              "ivory_plain": price(ivory_pricelist, variants["plain"])}
    # The Silver discount: 10 % off what Ivory pays.
    assert abs(prices["silver_plain"] - 0.9 * prices["ivory_plain"]) < 0.01, prices
    return {"tag": tag, "users": users, "collector": collector, "plain": plain,
            "prices": prices}


def shop_products(browser, odoo_url, tag):
    browser.get("%s/shop?search=%s" % (odoo_url, tag))
    WebDriverWait(browser, 60).until(
        expected_conditions.presence_of_element_located((By.ID, "products_grid")))
    products = {}
    for card in browser.find_elements(By.CSS_SELECTOR, "#products_grid .oe_product"):
        name = card.find_element(By.CSS_SELECTOR, "h5 a").text.strip()
        price = card.find_element(By.CSS_SELECTOR, ".product_price").text.strip()
        products[name] = price
    return products


def test_silver_sees_silver_prices_and_collector(
        browser, odoo_url, odoo_db, screenshot_dir, shop_data):
    tag = shop_data["tag"]
    login(browser, odoo_url, odoo_db, shop_data["users"]["silver"])
    products = shop_products(browser, odoo_url, tag)
    browser.save_screenshot(os.path.join(screenshot_dir, "shop_silver.png"))
    assert set(products) == {"Collector lantern %s" % tag, "Ambassador badge %s" % tag}
    prices = shop_data["prices"]
    # 50 - 10 % and 20 - 10 %, in the currency of the Silver price list
    assert "%.2f" % prices["silver_collector"] in products[
        "Collector lantern %s" % tag], products
    assert "%.2f" % prices["silver_plain"] in products[
        "Ambassador badge %s" % tag], products
    assert "Collector: Silver" in browser.page_source
    browser.get("%s/shop/product/%d" % (odoo_url, shop_data["collector"]))
    assert "Collector lantern %s" % tag in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(os.path.join(screenshot_dir, "shop_silver_collector.png"))


def test_ivory_does_not_see_collector(
        browser, odoo_url, odoo_db, screenshot_dir, shop_data):
    tag = shop_data["tag"]
    login(browser, odoo_url, odoo_db, shop_data["users"]["ivory"])
    products = shop_products(browser, odoo_url, tag)
    browser.save_screenshot(os.path.join(screenshot_dir, "shop_ivory.png"))
    assert set(products) == {"Ambassador badge %s" % tag}, products
    assert "%.2f" % shop_data["prices"]["ivory_plain"] in products[
        "Ambassador badge %s" % tag], products
    # The direct URL of the collector goodie is a 404 page for this tier.
    browser.get("%s/shop/product/%d" % (odoo_url, shop_data["collector"]))
    assert "Collector lantern %s" % tag not in browser.page_source
    assert "404" in browser.page_source or "not found" in browser.page_source.lower()
    browser.save_screenshot(
        os.path.join(screenshot_dir, "shop_ivory_collector_404.png"))
