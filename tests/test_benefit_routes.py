"""Anonymous visitors against the live server: collector goodies and events
reserved to ambassadors are hidden and refused, even by forged requests.
(Odoo 11.0's HttpCase cannot show a public request the records of its test.)"""
import json
import re
import time

import pytest
import requests

from test_shop_browser import Odoo


@pytest.fixture(scope="module")
def restricted(odoo_url, odoo_db):
    odoo = Odoo(odoo_url, odoo_db)
    tag = "anon%d" % int(time.time())
    silver = odoo.ref("ambassador_program.tier_silver")
    product = odoo("product.template", "create", {
        "name": "Collector compass %s" % tag, "list_price": 30.0, "sale_ok": True,
        "website_published": True, "ambassador_min_tier_id": silver})
    variant = odoo("product.template", "read", [product],
                   ["product_variant_id"])[0]["product_variant_id"][0]
    begin = time.strftime("%Y-%m-%d 18:00:00", time.gmtime(time.time() + 864000))
    end = time.strftime("%Y-%m-%d 21:00:00", time.gmtime(time.time() + 864000))
    event = odoo("event.event", "create", {
        "name": "Silver evening %s" % tag, "date_begin": begin, "date_end": end,
        "state": "confirm", "auto_confirm": True, "website_published": True,
        "ambassador_min_tier_id": silver})
    return dict(odoo=odoo, tag=tag, product=product, variant=variant, event=event)


def visitor(odoo_url, odoo_db):
    session = requests.Session()
    session.get("%s/web?db=%s" % (odoo_url, odoo_db), timeout=120)
    return session


def csrf_token(session, url):
    page = session.get(url, timeout=120).text
    return re.search(r'csrf_token: "([^"]+)"', page).group(1)


def test_anonymous_visitor_neither_sees_nor_buys_collector(
        odoo_url, odoo_db, restricted):
    session = visitor(odoo_url, odoo_db)
    shop = session.get("%s/shop?search=%s" % (odoo_url, restricted["tag"]), timeout=120)
    assert shop.status_code == 200
    assert "Collector compass" not in shop.text
    page = session.get("%s/shop/product/%d" % (odoo_url, restricted["product"]),
                       timeout=120)
    assert page.status_code == 404
    cart = session.post("%s/shop/cart/update" % odoo_url, timeout=120,
                        data={"product_id": restricted["variant"], "add_qty": 1})
    assert cart.status_code == 403
    assert "reserved to Silver ambassadors" in cart.text
    answer = session.post(
        "%s/shop/cart/update_json" % odoo_url, timeout=120,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "product_id": restricted["variant"], "add_qty": 1}}),
        headers={"Content-Type": "application/json"}).json()
    assert "reserved to Silver" in answer["result"]["ambassador_warning"]
    assert restricted["odoo"]("sale.order.line", "search_count", [
        ("product_id", "=", restricted["variant"])]) == 0


def test_anonymous_visitor_cannot_register_to_reserved_event(
        odoo_url, odoo_db, restricted):
    session = visitor(odoo_url, odoo_db)
    base = "%s/event/%d" % (odoo_url, restricted["event"])
    page = session.get(base + "/register", timeout=120)
    assert "reserved to ambassadors: please sign in" in page.text
    assert 'id="registration_form"' not in page.text
    answer = session.post(
        base + "/registration/new", timeout=120,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                         "params": {"nb_register-0": "1"}}),
        headers={"Content-Type": "application/json"}).json()
    assert "please sign in" in answer["result"]
    forged = session.post(base + "/registration/confirm", timeout=120, data={
        "1-name": "Forged", "1-email": "forged@example.com",
        "csrf_token": csrf_token(session, base + "/register")})
    assert forged.status_code == 403
    assert "please sign in" in forged.text
    assert restricted["odoo"]("event.registration", "search_count", [
        ("event_id", "=", restricted["event"])]) == 0
