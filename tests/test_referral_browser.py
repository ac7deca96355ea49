"""Referrals in a real browser: the ambassador finds its link in its space and
copies it; a visitor opens it, sees who invites it, signs up through it (the
code carried to the sign-up request), in English and in French, every page
passing axe-core (headless Chromium; records made over XML-RPC as admin)."""
import contextlib
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "referral_" + name)


def ensure_charter(rpc):
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Ambassadors' charter", "version": "referral-%d" % time.time(),
            "content": "<p>I promote the territory and respect the other "
                       "ambassadors.</p>"})
        rpc("ambassador.charter", "action_publish", [charter])


@contextlib.contextmanager
def signups_allowed(rpc, email):
    """The hourly sign-up quota of this machine's network raised for the
    test (every run signs up from 127.0.0.1), then put back; the test's
    sign-up leaves the quota to the tests that follow."""
    name = "ambassador_program.signup_rate_limit"
    before = rpc("ir.config_parameter", "get_param", name)
    rpc("ir.config_parameter", "set_param", name, "100000")
    try:
        yield
    finally:
        requests = rpc("ambassador.signup.request", "search",
                       [("email", "=", email)])
        if requests:
            rpc("ambassador.signup.request", "unlink", requests)
        # False deletes the parameter: back to the default.
        rpc("ir.config_parameter", "set_param", name, before or False)


def space_link(browser, screenshot_dir, name):
    """The referral link of the space, after pressing its copy button."""
    section = wait_for(browser, ".o_ambassador_referral")
    link = section.find_element(By.ID, "ambassador_referral_link")
    url = link.get_attribute("value")
    assert re.search(r"/ambassadors/join\?ref=[\w\-]{12}$", url), url
    section.find_element(By.CSS_SELECTOR, ".o_ambassador_referral_copy").click()
    wait_for(browser, ".o_ambassador_referral_copied:not(.hidden)")
    shot(browser, screenshot_dir, name)
    return url


def sign_up_through(browser, odoo_url, url, prefix, email, screenshot_dir, lang):
    code = url.rsplit("=", 1)[1]
    browser.delete_all_cookies()
    browser.get(odoo_url + prefix + "/ambassadors/join?ref=" + code)
    invited = wait_for(browser, ".o_ambassador_referral_invited")
    assert "Referrer" in invited.text, invited.text
    shot(browser, screenshot_dir, "02_landing_%s" % lang)
    assert_accessible(browser, label="referral landing (%s)" % lang)
    browser.find_element(
        By.CSS_SELECTOR, "a[href*='/ambassadors/join/study?ref=%s']" % code).click()
    form = wait_for(browser, "form.o_ambassador_signup_form")
    assert form.find_element(By.NAME, "ref").get_attribute("value") == code
    # An error first: the code stays in the form sent back.
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "ambassador_institution").send_keys("Polytechnic")
    form.find_element(By.NAME, "ambassador_research_field").send_keys("Optics")
    Select(form.find_element(By.NAME, "country_id")).select_by_index(3)
    form.find_element(By.NAME, "charter_accepted").click()
    browser.execute_script(
        "document.querySelector('form.o_ambassador_signup_form')"
        ".setAttribute('novalidate', 'novalidate');")
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, "#o_ambassador_form_errors")
    form = wait_for(browser, "form.o_ambassador_signup_form")
    assert form.find_element(By.NAME, "ref").get_attribute("value") == code
    assert browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_referral_invited")
    shot(browser, screenshot_dir, "03_signup_error_%s" % lang)
    assert_accessible(browser, label="referral sign-up with an error (%s)" % lang)
    form.find_element(By.NAME, "name").send_keys("Rhea Referee")
    charter = form.find_element(By.NAME, "charter_accepted")
    if not charter.is_selected():
        charter.click()
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, ".o_ambassador_signup_done")
    shot(browser, screenshot_dir, "04_check_inbox_%s" % lang)


def check_recorded(rpc, email, referrer):
    requests = rpc("ambassador.signup.request", "search_read",
                   [("email", "=", email)], fields=["referrer_id", "partner_id"])
    assert len(requests) == 1 and requests[0]["referrer_id"][0] == referrer, requests
    referrals = rpc("ambassador.referral", "search_read",
                    [("referee_id", "=", requests[0]["partner_id"][0])],
                    fields=["referrer_id", "state", "flag_same_network"])
    assert len(referrals) == 1 and referrals[0]["referrer_id"][0] == referrer
    # The referrer signed in from this very machine: the network check flags
    # the sign-up (no points will be awarded for it).
    assert referrals[0]["flag_same_network"], referrals


def test_space_link_and_signup_through_it(browser, odoo_url, odoo_db,
                                          screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_charter(rpc)
    referrer, login, password = make_ambassador(rpc, "referrer")
    rpc("res.partner", "write", [referrer], {"name": "Rosa Referrer"})
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    url = space_link(browser, screenshot_dir, "01_space_en")
    assert_accessible(browser, label="space with the referral link (en)")
    email = "rhea.referee.%d@example.org" % int(time.time() * 1000)
    with signups_allowed(rpc, email):
        sign_up_through(browser, odoo_url, url, "", email, screenshot_dir, "en")
        check_recorded(rpc, email, referrer)


def test_space_link_and_signup_in_french(browser, odoo_url, odoo_db,
                                         screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    ensure_charter(rpc)
    referrer, login, password = make_ambassador(rpc, "parrain", lang="fr_FR")
    rpc("res.partner", "write", [referrer], {"name": "René Referrer"})
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    browser.get(odoo_url + "/fr_FR/my/ambassador")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang") == "fr-FR"
    url = space_link(browser, screenshot_dir, "11_space_fr")
    assert_accessible(browser, label="space with the referral link (fr)")
    email = "rhea.filleule.%d@example.org" % int(time.time() * 1000)
    with signups_allowed(rpc, email):
        sign_up_through(browser, odoo_url, url, "/fr_FR", email, screenshot_dir,
                        "fr")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute(
            "lang") == "fr-FR"
        check_recorded(rpc, email, referrer)
