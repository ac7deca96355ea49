"""The programme's public pages in a real headless Chromium (issue #11), in
English and in French, for a visitor and for a Silver ambassador: what each
is offered (sign-up or its space, a lock or a star on reserved events, the
tier's price in the shop, a wall of thanks, a page with a way back for a form's
address), and every page passes the WCAG 2.1 A/AA checks of axe-core.

The data is made over XML-RPC as admin; the texts checked are the addon's
classes and the records' own names, so that the test holds once translated."""
import base64
import os
import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from axe_check import assert_accessible
from test_website_browser import Rpc, login, make_png, wait_for

LANGS = {"en": "", "fr": "/fr_FR"}
H1_TITLE_JS = """
return {h1: document.querySelectorAll('h1').length, title: document.title};
"""
# A form posted from the page the browser is on (the CSRF token of the page).
POST_JS = """
var form = document.createElement('form');
form.method = 'post'; form.action = arguments[0];
var values = arguments[1]; values.csrf_token = odoo.csrf_token;
Object.keys(values).forEach(function (name) {
    var input = document.createElement('input');
    input.type = 'hidden'; input.name = name; input.value = values[name];
    form.appendChild(input);
});
document.body.appendChild(form); form.submit();
"""


def ensure_french(rpc):
    french = rpc("res.lang", "search", [("code", "=", "fr_FR")])
    if not french:
        wizard = rpc("base.language.install", "create", {"lang": "fr_FR"})
        rpc("base.language.install", "lang_install", [wizard])
        french = rpc("res.lang", "search", [("code", "=", "fr_FR")])
    websites = rpc("website", "search", [])
    rpc("website", "write", websites, {"language_ids": [(4, french[0])]})


@pytest.fixture(scope="module")
def site(odoo_url, odoo_db, tmp_path_factory):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    # Sign-ups made earlier from this machine must not turn these into a 429:
    # the limit is lifted meanwhile (as in test_bad_input.py).
    limit_key = "ambassador_program.signup_rate_limit"
    saved_limit = rpc("ir.config_parameter", "get_param", limit_key)
    rpc("ir.config_parameter", "set_param", limit_key, "1000000")
    tag = str(int(time.time()))
    ref = lambda xmlid: rpc("ir.model.data", "xmlid_to_res_id", xmlid, True)  # noqa
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Ambassadors' charter", "version": "site-%s" % tag,
            "content": "<p>I promote the territory.</p>"})
        rpc("ambassador.charter", "action_publish", [charter])
    invest = ref("ambassador_program.segment_invest")
    portal = ref("base.group_portal")
    users = {}
    for lang in ("en", "fr"):
        email = "silver.site.%s.%s@example.com" % (lang, tag)
        partner = rpc("res.partner", "create", {
            "name": "Silvia %s %s" % (lang.upper(), tag), "email": email,
            "phone": "+33 4 72 00 00 0%d" % (lang == "fr"),
            "lang": "fr_FR" if lang == "fr" else "en_US",
            "ambassador_state": "active", "ambassador_segment_id": invest})
        rpc("ambassador.point.transaction", "create",
            {"partner_id": partner, "points": 20, "origin": "manual"})
        rpc("res.users", "create", {
            "name": "Silvia %s %s" % (lang.upper(), tag), "login": email,
            "password": "pw-%s" % tag, "partner_id": partner,
            "lang": "fr_FR" if lang == "fr" else "en_US",
            "groups_id": [(6, 0, [portal])]})
        users[lang] = {"login": email, "password": "pw-%s" % tag,
                       "partner": partner, "name": "Silvia %s %s" % (lang.upper(), tag)}
    rpc("ir.cron", "method_direct_trigger",
        [ref("ambassador_program.cron_check_balances")])
    silver = ref("ambassador_program.tier_silver")
    for user in users.values():
        tier = rpc("res.partner", "read", [user["partner"]], ["ambassador_tier_id"])
        assert tier[0]["ambassador_tier_id"][0] == silver, tier
    # A Platinum ambassador on the wall, decided by the committee.
    photo = make_png(str(tmp_path_factory.mktemp("wall") / "photo.png"), 96, 96)
    with open(photo, "rb") as handle:
        image = base64.b64encode(handle.read()).decode()
    wall = rpc("res.partner", "create", {
        "name": "Wally Thanks %s" % tag, "email": "wally.%s@example.com" % tag,
        "ambassador_state": "active", "ambassador_segment_id": invest,
        "image": image,
        "ambassador_testimonial": "The harbour is home; I bring people to it."})
    promotion = rpc("ambassador.promotion", "create", {
        "partner_id": wall, "to_tier_id": ref("ambassador_program.tier_platinum")})
    rpc("ambassador.promotion", "action_approve", [promotion])
    rpc("res.partner", "write", [wall], {"ambassador_consent_wall": True},
        context={"ambassador_consent_reason": "Agreed in writing (browser test)"})
    gold = ref("ambassador_program.tier_gold")
    begin = time.strftime("%Y-%m-%d 09:00:00", time.gmtime(time.time() + 20 * 86400))
    end = time.strftime("%Y-%m-%d 12:00:00", time.gmtime(time.time() + 20 * 86400))
    events = {}
    for key, tier in (("silver", silver), ("gold", gold)):
        events[key] = rpc("event.event", "create", {
            "name": "%s night %s" % (key.capitalize(), tag), "date_begin": begin,
            "date_end": end, "auto_confirm": True, "state": "confirm",
            "website_published": True, "ambassador_min_tier_id": tier})
    goodies = {}
    for key, tier in (("plain", False), ("gold", gold)):
        goodies[key] = rpc("product.template", "create", {
            "name": "Site %s scarf %s" % (key, tag), "list_price": 30.0,
            "sale_ok": True, "website_published": True, "type": "consu",
            "ambassador_min_tier_id": tier})
    variant = rpc("product.template", "read", [goodies["gold"]],
                  ["product_variant_id"])[0]["product_variant_id"][0]
    data = {"rpc": rpc, "tag": tag, "users": users, "wall": wall, "events": events,
            "goodies": goodies, "gold_variant": variant, "signups": []}
    yield data
    rpc("ir.config_parameter", "set_param", limit_key, saved_limit)
    # The sign-ups made here must not count against the next tests' (the
    # hourly limit counts the requests of this machine's address).
    rpc("ambassador.signup.request", "unlink", rpc(
        "ambassador.signup.request", "search",
        [("email", "in", data["signups"])]))


class Pages(object):
    """Opens pages, checks each (axe, one h1, a title of its own) and keeps
    a screenshot of it."""

    def __init__(self, browser, url, lang, who, screenshot_dir):
        self.browser, self.url, self.lang, self.who = browser, url, lang, who
        self.screenshot_dir = screenshot_dir
        self.titles = {}
        self.failures = []  # every page's axe violations, reported together

    def open(self, path, selector):
        self.browser.get(self.url + LANGS[self.lang] + path)
        return wait_for(self.browser, selector)

    def check(self, name, one_h1=True, include="main", unique_title=True):
        """``include``: the addon's own elements on a page of Odoo's (its
        breadcrumb, pager and grid are Odoo's theme); none there, nothing of
        the addon's to check."""
        facts = self.browser.execute_script(H1_TITLE_JS)
        label = "%s/%s/%s" % (self.lang, self.who, name)
        html_lang = self.browser.find_element(By.TAG_NAME, "html").get_attribute(
            "lang")
        assert html_lang == ("fr-FR" if self.lang == "fr" else "en-US"), label
        if one_h1:
            assert facts["h1"] == 1, (label, facts)
        if one_h1 and unique_title:
            assert facts["title"] not in self.titles, (
                label, facts["title"], self.titles.get(facts["title"]))
            self.titles[facts["title"]] = name
        self.browser.save_screenshot(os.path.join(
            self.screenshot_dir, "site_%s_%s_%s.png" % (self.lang, self.who, name)))
        if include != "main" and not self.browser.find_elements(
                By.CSS_SELECTOR, include):
            return
        try:
            assert_accessible(self.browser, include=include, label=label)
        except AssertionError as error:
            self.failures.append(str(error))

    def post(self, path, values, selector):
        self.browser.execute_script(POST_JS, LANGS[self.lang] + path, values)
        return wait_for(self.browser, selector)


def common_pages(pages, site):
    """The pages both a visitor and an ambassador see; returns them found."""
    tag = site["tag"]
    pages.open("/ambassadors/wall", ".o_ambassador_wall")
    card = [element for element in pages.browser.find_elements(
        By.CSS_SELECTOR, ".o_ambassador_wall_person")
        if "Wally Thanks %s" % tag in element.text]
    assert card, "the Platinum ambassador is thanked on the wall"
    image = card[0].find_element(By.TAG_NAME, "img")
    assert "Wally Thanks %s" % tag in image.get_attribute("alt")
    # Loaded lazily: once scrolled to.
    pages.browser.execute_script("arguments[0].scrollIntoView();", image)
    WebDriverWait(pages.browser, 30).until(lambda driver: driver.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", image))
    assert "The harbour is home" in card[0].text
    pages.check("wall")
    pages.open("/event", ".ambassador_event_locked")
    pages.check("events", one_h1=False, include=".ambassador_event_locked")
    pages.open("/shop?search=%s" % tag, "#products_grid")
    pages.check("shop", one_h1=False,
                include=".ambassador_collector, .ambassador_tier_price")
    pages.open("/shop/product/%d" % site["goodies"]["plain"], ".product_price")
    pages.check("product", one_h1=False, include=".ambassador_tier_price")
    pages.open("/shop", "#products_grid")
    pages.post("/shop/cart/update",
               {"product_id": str(site["gold_variant"]), "add_qty": "1"},
               ".ambassador_shop_refusal")
    pages.check("shop_refused")
    pages.open("/event/%d/register" % site["events"]["gold"],
               ".ambassador_event_refusal")
    pages.check("event_page", one_h1=False, include=".ambassador_event_refusal")
    pages.post("/event/%d/registration/confirm" % site["events"]["gold"],
               {"1-name": "Someone", "1-email": "someone@example.com"},
               ".ambassador_event_refusal")
    pages.check("event_refused")
    pages.open("/shop/cart/update", ".o_ambassador_message")
    pages.check("form_only")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_visitor(browser, odoo_url, odoo_db, screenshot_dir, site, lang):
    rpc, tag = site["rpc"], site["tag"]
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    pages = Pages(browser, odoo_url, lang, "visitor", screenshot_dir)
    pages.open("/ambassadors", ".o_ambassador_join")
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_member")
    pages.check("programme")
    form = pages.open("/ambassadors/join/invest", "form.o_ambassador_signup_form")
    pages.check("join_invest")
    form = pages.open("/ambassadors/join/study", "form.o_ambassador_signup_form")
    pages.check("join_study")
    email = "ada.site.%s.%s@example.org" % (lang, tag)
    site["signups"].append(email)
    form.find_element(By.NAME, "name").send_keys("Ada Site %s" % lang)
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "ambassador_institution").send_keys("University")
    form.find_element(By.NAME, "ambassador_research_field").send_keys("Glaciology")
    form.find_element(By.NAME, "charter_accepted").click()
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, ".o_ambassador_signup_done")
    pages.check("signup_sent")
    partner = rpc("res.partner", "search", [("email", "=", email)])
    mails = rpc("mail.mail", "search_read", [("recipient_ids", "in", partner)],
                fields=["body_html"])
    token = re.search(r"/ambassadors/confirm\?token=[\w\-]+",
                      mails[0]["body_html"]).group(0)
    pages.open(token, ".o_ambassador_confirm_button")
    pages.check("confirm")
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_confirm_button").click()
    link = wait_for(browser, ".o_ambassador_set_password")
    assert "redirect=%2Fmy%2Fambassador" in link.get_attribute("href")
    pages.check("confirmed")
    common_pages(pages, site)
    assert not pages.failures, "\n".join(pages.failures)
    pages.open("/event", ".ambassador_event_locked")
    locked = [element for element in browser.find_elements(
        By.CSS_SELECTOR, ".ambassador_event_locked")
        if element.find_elements(By.CSS_SELECTOR, ".fa-lock")]
    assert locked and locked[0].find_elements(
        By.CSS_SELECTOR, "a.ambassador_event_become[href$='/ambassadors']")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ambassador(browser, odoo_url, odoo_db, screenshot_dir, site, lang):
    user = site["users"][lang]
    login(browser, odoo_url, odoo_db, user)
    pages = Pages(browser, odoo_url, lang, "ambassador", screenshot_dir)
    member = pages.open("/ambassadors", ".o_ambassador_member")
    assert not browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_join")
    assert member.find_elements(By.CSS_SELECTOR, "a[href$='/my/ambassador']")
    pages.check("programme")
    pages.open("/ambassadors/join/study", ".o_ambassador_already")
    assert "/my/ambassador" in browser.current_url
    pages.check("already_ambassador", one_h1=False, include=".o_ambassador_already")
    common_pages(pages, site)
    pages.open("/shop/product/%d" % site["goodies"]["plain"],
               ".ambassador_tier_price")
    pages.open("/my/ambassador/consents", ".o_ambassador_message")
    assert browser.find_elements(
        By.CSS_SELECTOR, ".o_ambassador_message a[href$='/my/ambassador']")
    pages.check("form_only_space", unique_title=False)  # the same page
    assert not pages.failures, "\n".join(pages.failures)
    # The attendee form of an event the ambassador may attend: its details.
    pages.open("/event/%d/register" % site["events"]["silver"],
               "#registration_form")
    # website_event's script takes the button over once loaded.
    WebDriverWait(browser, 60).until(lambda driver: not driver.find_elements(
        By.CSS_SELECTOR, "#registration_form .a-submit"))
    browser.find_element(By.CSS_SELECTOR, "#registration_form [type=submit]").click()
    name = wait_for(browser, "#modal_attendees_registration input[name='1-name']")
    WebDriverWait(browser, 30).until(lambda driver: name.is_displayed())
    assert name.get_attribute("value") == user["name"]
    email = browser.find_element(By.CSS_SELECTOR, "input[name='1-email']")
    assert email.get_attribute("value") == user["login"]
    browser.save_screenshot(os.path.join(
        screenshot_dir, "site_%s_ambassador_attendee_form.png" % lang))
    assert_accessible(browser, include="#modal_attendees_registration",
                      label="%s attendee form" % lang)
