"""A Study ambassador signs up, confirms the e-mailed link, sets a password,
declares a proof with a file; staff then see the proof (real headless Chromium).

The test uses only records it creates itself over XML-RPC (as admin) and CSS
classes rather than texts, so that it holds once the pages are translated."""
import os
import re
import struct
import time
import xmlrpc.client
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def png_bytes(width=120, height=60):
    """A real PNG (a blue rectangle) Odoo can read and resize."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(
            ">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + b"\x20\x60\xc0" * width
    raw = zlib.compress(row * height)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def make_png(path, width=120, height=60):
    """A real PNG file for an upload."""
    with open(path, "wb") as handle:
        handle.write(png_bytes(width, height))
    return path


class Rpc(object):
    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, "admin/admin must log in over XML-RPC"
        self.models = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)


def wait_for(browser, selector, timeout=30):
    WebDriverWait(browser, timeout).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, selector))
    return browser.find_element(By.CSS_SELECTOR, selector)


def login(browser, odoo_url, odoo_db, user):
    """Log ``user`` (a dict with login and password) in through the login page."""
    browser.get("%s/web/login?db=%s" % (odoo_url, odoo_db))
    browser.find_element(By.NAME, "login").send_keys(user["login"])
    browser.find_element(By.NAME, "password").send_keys(user["password"])
    browser.find_element(
        By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda driver: "/web/login" not in driver.current_url)


def shot(browser, screenshot_dir, name):
    path = os.path.join(screenshot_dir, "website_%s.png" % name)
    browser.save_screenshot(path)
    return path


def full_page_shot(browser, screenshot_dir, name):
    """The whole page (up to 4000 pixels high) as ``<name>.png``, then the
    window as it was."""
    path = os.path.join(screenshot_dir, "%s.png" % name)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 900), 4000))
    browser.save_screenshot(path)
    browser.set_window_size(1280, 900)
    return path


def test_study_ambassador_signup_to_proof(browser, odoo_url, odoo_db, screenshot_dir,
                                          tmp_path):
    rpc = Rpc(odoo_url, odoo_db)
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Ambassadors' charter", "version": "browser-%d" % time.time(),
            "content": "<p>I promote the territory and respect the other ambassadors."
                       "</p>"})
        rpc("ambassador.charter", "action_publish", [charter])
    email = "ada.browser.%d@example.org" % int(time.time() * 1000)
    rule_id = rpc("ambassador.point.rule", "search", [("code", "=", "partnership")])[0]

    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    browser.get(odoo_url + "/ambassadors")
    wait_for(browser, "a[href='/ambassadors/join/study']")
    shot(browser, screenshot_dir, "01_programme")
    browser.find_element(By.CSS_SELECTOR, "a[href='/ambassadors/join/study']").click()

    form = wait_for(browser, "form.o_ambassador_signup_form")
    form.find_element(By.NAME, "name").send_keys("Ada Browser")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "ambassador_institution").send_keys(
        "University of the Territory")
    form.find_element(By.NAME, "ambassador_research_field").send_keys("Glaciology")
    Select(form.find_element(By.NAME, "country_id")).select_by_index(3)
    form.find_element(By.NAME, "charter_accepted").click()
    form.find_element(By.NAME, "ambassador_consent_newsletter").click()
    shot(browser, screenshot_dir, "02_signup_form")
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, ".o_ambassador_signup_done")
    shot(browser, screenshot_dir, "03_check_inbox")

    partner = rpc("res.partner", "search_read", [("email", "=", email)],
                  fields=["ambassador_state", "ambassador_segment_id"])
    assert len(partner) == 1 and partner[0]["ambassador_state"] == "candidate"
    partner_id = partner[0]["id"]
    mails = rpc("mail.mail", "search_read", [("recipient_ids", "in", [partner_id])],
                fields=["body_html"])
    assert mails, "the confirmation e-mail is queued"
    match = re.search(r"/ambassadors/confirm\?token=[\w\-]+", mails[0]["body_html"])
    assert match, mails[0]["body_html"]

    # Opening the link confirms nothing by itself (mail scanners fetch links).
    browser.get(odoo_url + match.group(0))
    button = wait_for(browser, ".o_ambassador_confirm_button")
    shot(browser, screenshot_dir, "04_confirm_page")
    state = rpc("res.partner", "read", [partner_id], ["ambassador_state"])
    assert state[0]["ambassador_state"] == "candidate"
    button.click()
    wait_for(browser, ".o_ambassador_set_password").click()

    password = wait_for(browser, "input[name='password']")
    password.send_keys("Ambassador-Pass-2026")
    browser.find_element(By.NAME, "confirm_password").send_keys("Ambassador-Pass-2026")
    shot(browser, screenshot_dir, "05_choose_password")
    password.submit()
    wait_for(browser, ".o_ambassador_status")
    shot(browser, screenshot_dir, "06_ambassador_space")
    state = rpc("res.partner", "read", [partner_id], ["ambassador_state"])
    assert state[0]["ambassador_state"] == "active"

    browser.get(odoo_url + "/my/ambassador/proofs/new")
    form = wait_for(browser, "form.o_ambassador_proof_form")
    Select(form.find_element(By.NAME, "rule_id")).select_by_value(str(rule_id))
    form.find_element(By.NAME, "name").send_keys("Partnership with Kyoto University")
    form.find_element(By.NAME, "description").send_keys(
        "Exchange programme signed in October.")
    form.find_element(By.NAME, "url").send_keys("https://example.com/kyoto")
    picture = make_png(str(tmp_path / "signature.png"))
    form.find_element(By.NAME, "files").send_keys(picture)
    shot(browser, screenshot_dir, "07_proof_form")
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_proof_submit").click()
    wait_for(browser, ".o_ambassador_proof_sent")
    shot(browser, screenshot_dir, "08_proof_sent")

    proofs = rpc("ambassador.proof", "search_read", [("partner_id", "=", partner_id)],
                 fields=["name", "state", "channel", "rule_id", "attachment_ids"])
    assert len(proofs) == 1, proofs
    proof = proofs[0]
    assert proof["state"] == "submitted" and proof["channel"] == "portal"
    assert proof["rule_id"][0] == rule_id
    attachments = rpc("ir.attachment", "read", proof["attachment_ids"],
                      ["datas_fname", "mimetype", "public", "res_model", "res_id"])
    assert [a["datas_fname"] for a in attachments] == ["signature.png"]
    assert attachments[0]["mimetype"] == "image/png"
    assert not attachments[0]["public"]
    assert (attachments[0]["res_model"], attachments[0]["res_id"]) == (
        "ambassador.proof", proof["id"])
    for name in ("01_programme", "03_check_inbox", "06_ambassador_space",
                 "08_proof_sent"):
        assert os.path.getsize(
            os.path.join(screenshot_dir, "website_%s.png" % name)) > 10000
