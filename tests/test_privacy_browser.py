"""GDPR rights through the pages (issue 12): an ambassador signs up over HTTP
from a distinctive network address, confirms, declares a proof, opens the
directory, is registered to an event and mailed; it reads and downloads its
data, then erases it through the confirmation page. A plain-SQL dump of the
database (``pg_dump --data-only``) then holds none of its name, e-mail,
phone or IP address, which it held before. Every page passes axe-core in
English and in French."""
import re
import subprocess
import time
import xmlrpc.client

import requests
from requests.adapters import HTTPAdapter
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from urllib3.poolmanager import PoolManager

from axe_check import assert_accessible, page_structure_problems
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for

# Distinctive values, different at each run (a failed run leaves its person).
RUN = int(time.time() * 1000)
# A loopback address of its own: the server sees it as the client's address
# (no proxy header involved), as a visitor's real address in production.
SOURCE_IP = "127.%d.%d.%d" % (20 + RUN % 200, 1 + RUN // 200 % 250,
                              1 + RUN // 50000 % 250)
NAME = "Zéphyrine Quillebœuf-%s" % "".join(
    chr(ord("a") + int(digit)) for digit in str(RUN)[-6:])
PHONE = "+33 6 71 %s %s" % (str(RUN)[-4:-2], str(RUN)[-2:])
AGENT = "Quilleboeuf-Navigator/%d" % RUN
PRIVACY_PAGES = ("/my/ambassador/privacy", "/my/ambassador/privacy/export.html",
                 "/my/ambassador/privacy/erase")


class SourceAdapter(HTTPAdapter):
    """Requests leave from SOURCE_IP."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (SOURCE_IP, 0)
        self.poolmanager = PoolManager(*args, **kwargs)


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "privacy_" + name)


def dump(odoo_db):
    """The database as plain SQL, data only (what the issue's check reads)."""
    result = subprocess.run(["pg_dump", "--data-only", "--no-owner", "-d", odoo_db],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            check=True)
    return result.stdout.decode("utf-8", "replace")


def traces(text, values):
    return {value: text.lower().count(value.lower()) for value in values}


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_up(odoo_url, email):
    """The public sign-up form, from SOURCE_IP with a distinctive browser."""
    session = requests.Session()
    session.mount("http://", SourceAdapter())
    session.headers["User-Agent"] = AGENT
    page = session.get(odoo_url + "/ambassadors/join/study", timeout=60)
    assert page.status_code == 200
    charter = re.search(r'name="charter_id" value="(\d+)"', page.text).group(1)
    answer = session.post(odoo_url + "/ambassadors/join/study", data={
        "csrf_token": csrf(page.text), "name": NAME, "email": email,
        "ambassador_institution": "Université de Quillebœuf",
        "ambassador_research_field": "Glaciologie", "charter_id": charter,
        "charter_accepted": "on", "ambassador_consent_newsletter": "on",
    }, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    assert "o_ambassador_signup_done" in answer.text, answer.text[:2000]


def test_export_erase_and_dump(browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    stamp = RUN
    email = "zephyrine.quilleboeuf.%d@quilleboeuf-rare.example" % stamp
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Charter", "version": "privacy-%d" % stamp,
            "content": "<p>I promote the territory.</p>"})
        rpc("ambassador.charter", "action_publish", [charter])
    sign_up(odoo_url, email)
    partner_id = rpc("res.partner", "search", [("email", "=", email)])[0]
    request_ips = rpc("ambassador.signup.request", "search_read",
                      [("partner_id", "=", partner_id)], fields=["ip_address"])
    assert request_ips[0]["ip_address"] == SOURCE_IP, request_ips

    # Confirmation and password, in the browser (the link of the e-mail).
    mails = rpc("mail.mail", "search_read", [("recipient_ids", "in", [partner_id])],
                fields=["body_html"])
    link = re.search(r"/ambassadors/confirm\?token=[\w\-]+", mails[0]["body_html"])
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    browser.get(odoo_url + link.group(0))
    wait_for(browser, ".o_ambassador_confirm_button").click()
    wait_for(browser, ".o_ambassador_set_password").click()
    password = wait_for(browser, "input[name='password']")
    password.send_keys("Zephyrine-Pass-2026")
    browser.find_element(By.NAME, "confirm_password").send_keys("Zephyrine-Pass-2026")
    password.submit()
    wait_for(browser, ".o_ambassador_status")

    # Staff add the phone and points (Silver: the directory opens), register
    # it to an event and write about it; it declares a proof and searches
    # the directory.
    rpc("res.partner", "write", [partner_id], {"phone": PHONE})
    rpc("ambassador.point.transaction", "create", {
        "partner_id": partner_id, "points": 15, "origin": "manual",
        "note": "Privacy browser test"})
    event = rpc("event.event", "create", {
        "name": "Privacy evening %d" % stamp, "date_begin": "2030-06-01 18:00:00",
        "date_end": "2030-06-01 22:00:00"})
    rpc("event.registration", "create", {
        "event_id": event, "partner_id": partner_id, "name": NAME, "email": email,
        "phone": PHONE})
    rpc("res.partner", "message_post", [partner_id],
        body="Called %s at %s about %s" % (NAME, PHONE, email),
        message_type="comment", subtype="mail.mt_note")
    rule = rpc("ambassador.point.rule", "search", [("code", "=", "partnership")])[0]
    browser.get(odoo_url + "/my/ambassador/proofs/new")
    form = wait_for(browser, "form.o_ambassador_proof_form")
    Select(form.find_element(By.NAME, "rule_id")).select_by_value(str(rule))
    form.find_element(By.NAME, "name").send_keys("Partnership signed by %s" % NAME)
    form.find_element(By.NAME, "description").send_keys(
        "Write to me at %s or call %s" % (email, PHONE))
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_proof_submit").click()
    wait_for(browser, ".o_ambassador_proof_sent")
    browser.get(odoo_url + "/my/ambassador/directory?search=Quilleboeuf")
    wait_for(browser, "h1.o_ambassador_title")

    identity = [NAME, email, PHONE, SOURCE_IP, AGENT]
    before = traces(dump(odoo_db), identity)
    assert all(before.values()), "the dump held the person before: %s" % before

    # Its data, read, downloaded, then the erasure page (en).
    for index, path in enumerate(PRIVACY_PAGES):
        browser.get(odoo_url + path)
        wait_for(browser, "h1.o_ambassador_title")
        shot(browser, screenshot_dir, "%d_%s_en" % (index, path.rsplit("/", 1)[1]))
        assert_accessible(browser, label="%s (en)" % path)
        assert not page_structure_problems(browser, "en"), path
        if path.endswith("export.html"):
            assert NAME in browser.page_source and email in browser.page_source
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    exported = requests.get(odoo_url + "/my/ambassador/privacy/export.json",
                            cookies=cookies, timeout=60)
    assert exported.status_code == 200
    data = exported.json()
    assert data["profile"][0]["name"] == NAME
    assert data["signup_requests"][0]["ip_address"] == SOURCE_IP
    assert data["event_registrations"] and data["proofs"] and data["consents"]

    # Erase: not without the tick (error listed, accessible), then for good.
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_erase_form "
                                          "button[type='submit']").click()
    wait_for(browser, "#o_ambassador_form_errors")
    shot(browser, screenshot_dir, "3_erase_error_en")
    assert_accessible(browser, label="erase without confirmation (en)")
    browser.find_element(By.ID, "confirm").click()
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_erase_form "
                                          "button[type='submit']").click()
    wait_for(browser, ".o_ambassador_message")
    assert "/my/ambassador/privacy/erased" in browser.current_url
    shot(browser, screenshot_dir, "4_erased_en")
    assert_accessible(browser, label="erased (en)")

    after = traces(dump(odoo_db), identity)
    print("pg_dump occurrences before erasure: %s; after: %s" % (before, after))
    assert not any(after.values()), "the dump still holds the person: %s" % after
    placeholder = rpc("res.partner", "read", [partner_id],
                      ["name", "ambassador_balance", "ambassador_state"])[0]
    assert placeholder["name"] == "Erased ambassador #%d" % partner_id
    assert placeholder["ambassador_balance"] == 15
    # The account no longer logs in.
    server = xmlrpc.client.ServerProxy(odoo_url + "/xmlrpc/2/common")
    assert not server.authenticate(odoo_db, email, "Zephyrine-Pass-2026", {})


def test_french_privacy_pages_are_accessible(browser, odoo_url, odoo_db,
                                             screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    partner, login, password = make_ambassador(rpc, "privacy-fr", lang="fr_FR")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    for index, path in enumerate(PRIVACY_PAGES):
        browser.get(odoo_url + "/fr_FR" + path)
        wait_for(browser, "h1.o_ambassador_title")
        shot(browser, screenshot_dir, "%d_%s_fr" % (index, path.rsplit("/", 1)[1]))
        assert_accessible(browser, label="%s (fr)" % path)
        assert not page_structure_problems(browser, "fr"), path
    browser.find_element(By.ID, "confirm").click()
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_erase_form "
                                          "button[type='submit']").click()
    wait_for(browser, ".o_ambassador_message")
    shot(browser, screenshot_dir, "4_erased_fr")
    assert_accessible(browser, label="erased (fr)")
    assert rpc("res.partner", "read", [partner], ["name"])[0]["name"].endswith(
        "#%d" % partner)
