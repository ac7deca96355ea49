"""Introductions through the programme (issue 15) in a real browser: an
ambassador chooses "contact me only through introductions" in its settings;
another finds it in the directory (no e-mail shown, "Request an
introduction" instead), sends a request; the first accepts it; both then see
the other's e-mail. Every page passes axe-core's WCAG checks, in English and
in French (headless Chromium; records made over XML-RPC as admin, found by
CSS classes)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "introductions_" + name)


def switch_user(browser, odoo_url, login, password, prefix):
    browser.delete_all_cookies()
    log_in(browser, odoo_url, login, password, prefix=prefix)
    wait_for(browser, ".o_ambassador_status")


def introduction_accepted(browser, odoo_url, odoo_db, screenshot_dir, lang,
                          prefix=""):
    rpc = Rpc(odoo_url, odoo_db)
    if lang == "fr":
        ensure_french(rpc)
    code = "fr_FR" if lang == "fr" else "en_US"
    asker, asker_login, asker_password = make_ambassador(
        rpc, "intro-asker-" + lang, lang=code)
    target, target_login, target_password = make_ambassador(
        rpc, "intro-target-" + lang, lang=code, points=0)
    target_name = rpc("res.partner", "read", [target], ["name"])[0]["name"]
    base = odoo_url + prefix

    # The recipient: contact only through introductions.
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    switch_user(browser, odoo_url, target_login, target_password, prefix)
    browser.get(base + "/my/ambassador/introductions/settings")
    form = wait_for(browser, "form.o_ambassador_intro_settings")
    assert_accessible(browser, label="introduction settings (%s)" % lang)
    form.find_element(By.ID, "intro_only").click()
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_intro_settings_submit").click()
    wait_for(browser, ".o_ambassador_intro_settings_saved")
    shot(browser, screenshot_dir, "01_settings_%s" % lang)
    assert_accessible(browser, label="introduction settings saved (%s)" % lang)

    # The requester finds it in the directory: no e-mail, a request link.
    switch_user(browser, odoo_url, asker_login, asker_password, prefix)
    browser.get(base + "/my/ambassador/directory?search=" + target_name)
    link = wait_for(browser, ".o_ambassador_request_introduction[href$='to=%d']"
                    % target)
    directory = browser.find_element(By.CSS_SELECTOR, ".o_ambassador_directory")
    assert "@" not in directory.text, directory.text
    shot(browser, screenshot_dir, "02_directory_%s" % lang)
    assert_accessible(browser, label="directory with introductions (%s)" % lang)
    link.click()
    form = wait_for(browser, "form.o_ambassador_intro_form")
    assert_accessible(browser, label="introduction form (%s)" % lang)
    Select(form.find_element(By.ID, "purpose_id")).select_by_index(1)
    form.find_element(By.ID, "message").send_keys(
        "I prepare a trade mission to Osaka and would value your advice.")
    shot(browser, screenshot_dir, "03_form_%s" % lang)
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_intro_submit").click()
    wait_for(browser, ".o_ambassador_intro_requested")
    shot(browser, screenshot_dir, "04_sent_%s" % lang)
    assert_accessible(browser, label="introductions list (%s)" % lang)
    intro = rpc("ambassador.introduction", "search_read",
                [("requester_id", "=", asker), ("recipient_id", "=", target)],
                fields=["state"])
    assert [row["state"] for row in intro] == ["requested"]
    target_email = rpc("res.partner", "read", [target], ["email"])[0]["email"]
    asker_email = rpc("res.partner", "read", [asker], ["email"])[0]["email"]
    assert target_email not in browser.page_source

    # The recipient accepts from its space.
    switch_user(browser, odoo_url, target_login, target_password, prefix)
    browser.get(base + "/my/ambassador/introductions")
    table = wait_for(browser, ".o_ambassador_intros_received")
    table.find_element(By.CSS_SELECTOR, "a[href$='/my/ambassador/introductions/%d']"
                       % intro[0]["id"]).click()
    wait_for(browser, ".o_ambassador_intro_accept")
    assert asker_email not in browser.page_source
    shot(browser, screenshot_dir, "05_answer_%s" % lang)
    assert_accessible(browser, label="introduction to answer (%s)" % lang)
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_intro_accept").click()
    wait_for(browser, ".o_ambassador_intro_accepted")
    assert browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_intro_email").text == asker_email
    shot(browser, screenshot_dir, "06_accepted_%s" % lang)
    assert_accessible(browser, label="introduction accepted (%s)" % lang)

    # The requester now sees the recipient's e-mail.
    switch_user(browser, odoo_url, asker_login, asker_password, prefix)
    browser.get(base + "/my/ambassador/introductions/%d" % intro[0]["id"])
    email = wait_for(browser, ".o_ambassador_intro_email")
    assert email.text == target_email
    shot(browser, screenshot_dir, "07_contact_%s" % lang)
    assert_accessible(browser, label="introduction contact (%s)" % lang)
    if lang == "fr":
        assert browser.find_element(
            By.TAG_NAME, "html").get_attribute("lang") == "fr-FR"


def test_introduction_accepted_in_english(browser, odoo_url, odoo_db,
                                          screenshot_dir):
    introduction_accepted(browser, odoo_url, odoo_db, screenshot_dir, "en")


def test_introduction_accepted_in_french(browser, odoo_url, odoo_db,
                                         screenshot_dir):
    introduction_accepted(browser, odoo_url, odoo_db, screenshot_dir, "fr",
                          prefix="/fr_FR")
