"""An ambassador logs in and lands in its space (no empty page on the way),
finds it in the user menu, fills its profile, meets the form's error list,
and every page of the space passes axe-core's WCAG checks, in English and in
French (real headless Chromium; records made over XML-RPC as admin)."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from axe_check import assert_accessible
from test_website_browser import Rpc, full_page_shot, make_png, wait_for

SPACE_PAGES = (
    "/my/ambassador",
    "/my/ambassador/profile",
    "/my/ambassador/proofs/new",
    "/my/ambassador/documents",
    "/my/ambassador/directory",
)


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "space_" + name)


def ensure_french(rpc):
    """French installed and offered by the website (the /fr_FR/ prefix)."""
    if not rpc("res.lang", "search", [("code", "=", "fr_FR")]):
        wizard = rpc("base.language.install", "create", {"lang": "fr_FR"})
        rpc("base.language.install", "lang_install", [wizard])
    french = rpc("res.lang", "search", [("code", "=", "fr_FR")])[0]
    for website in rpc("website", "search_read", [], fields=["language_ids"]):
        if french not in website["language_ids"]:
            rpc("website", "write", [website["id"]], {"language_ids": [(4, french)]})


def make_ambassador(rpc, suffix, lang="en_US", points=15):
    """An active Study ambassador with ``points`` (15: Silver, the directory
    opens) and a portal login; returns (partner id, login, password)."""
    login = "space.browser.%s.%d@example.org" % (suffix, int(time.time() * 1000))
    study = rpc("ambassador.segment", "search", [("code", "=", "study")])[0]
    partner = rpc("res.partner", "create", {
        "name": "Sam Space %s" % suffix, "email": login,
        "ambassador_state": "candidate", "ambassador_segment_id": study,
        "lang": lang})
    rpc("res.partner", "action_ambassador_activate", [partner])
    if points:
        rpc("ambassador.point.transaction", "create", {
            "partner_id": partner, "points": points, "origin": "manual",
            "note": "Browser test"})
    portal = rpc("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    password = "Space-Pass-2026"
    rpc("res.users", "create", {
        "name": "Sam Space %s" % suffix, "login": login, "password": password,
        "partner_id": partner, "groups_id": [(6, 0, [portal])]})
    return partner, login, password


def log_in(browser, odoo_url, login, password, prefix=""):
    browser.get(odoo_url + prefix + "/web/login")
    form = wait_for(browser, "form.oe_login_form")
    form.find_element(By.NAME, "login").send_keys(login)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()


def test_login_lands_in_the_space_and_pages_are_accessible(
        browser, odoo_url, odoo_db, screenshot_dir, tmp_path):
    rpc = Rpc(odoo_url, odoo_db)
    partner, login, password = make_ambassador(rpc, "en")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password)
    # Straight into the space: the status, not the website's home page.
    wait_for(browser, ".o_ambassador_status")
    assert browser.current_url.rstrip("/").endswith("/my/ambassador"), \
        browser.current_url
    shot(browser, screenshot_dir, "01_landing_en")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_user_menu a")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_benefits_current")
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
    assert_accessible(browser, label="space home (en)")

    # The profile: an error listed at the top, linked to its field.
    browser.get(odoo_url + "/my/ambassador/profile")
    form = wait_for(browser, "form.o_ambassador_profile_form")
    form.find_element(By.NAME, "ambassador_institution").clear()
    form.find_element(By.NAME, "ambassador_testimonial").send_keys(
        "I grew up here and I want the world to know it.")
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_profile_submit").click()
    summary = wait_for(browser, "#o_ambassador_form_errors")
    assert summary.find_elements(By.CSS_SELECTOR, "a[href='#ambassador_institution']")
    field = browser.find_element(By.ID, "ambassador_institution")
    assert "ambassador_institution_error" in field.get_attribute("aria-describedby")
    assert "I grew up here" in browser.find_element(
        By.ID, "ambassador_testimonial").get_attribute("value"), "nothing lost"
    shot(browser, screenshot_dir, "02_profile_errors_en")
    assert_accessible(browser, label="profile with errors (en)")
    form = browser.find_element(By.CSS_SELECTOR, "form.o_ambassador_profile_form")
    form.find_element(By.NAME, "ambassador_institution").send_keys("Polytechnic")
    form.find_element(By.NAME, "ambassador_research_field").clear()
    form.find_element(By.NAME, "ambassador_research_field").send_keys("Glaciology")
    Select(form.find_element(By.NAME, "ambassador_network_country_ids")
           ).select_by_index(2)
    form.find_element(By.NAME, "photo").send_keys(
        make_png(str(tmp_path / "me.png")))
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_profile_submit").click()
    wait_for(browser, ".o_ambassador_profile_saved")
    shot(browser, screenshot_dir, "03_profile_saved_en")
    saved = rpc("res.partner", "read", [partner],
                ["ambassador_institution", "ambassador_testimonial", "image",
                 "ambassador_network_country_ids"])[0]
    assert saved["ambassador_institution"] == "Polytechnic"
    assert saved["ambassador_testimonial"].startswith("I grew up here")
    assert saved["image"] and saved["ambassador_network_country_ids"]

    for index, path in enumerate(SPACE_PAGES):
        browser.get(odoo_url + path)
        wait_for(browser, "h1.o_ambassador_title")
        shot(browser, screenshot_dir, "1%d_%s_en" % (index, path.strip("/").replace(
            "/", "_")))
        assert_accessible(browser, label="%s (en)" % path)


def test_french_ambassador_pages_are_accessible(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    _partner, login, password = make_ambassador(rpc, "fr", lang="fr_FR")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    assert "/my/ambassador" in browser.current_url, browser.current_url
    for index, path in enumerate(SPACE_PAGES):
        browser.get(odoo_url + "/fr_FR" + path)
        wait_for(browser, "h1.o_ambassador_title")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute(
            "lang") == "fr-FR"
        shot(browser, screenshot_dir, "2%d_%s_fr" % (index, path.strip("/").replace(
            "/", "_")))
        assert_accessible(browser, label="%s (fr)" % path)


def test_ivory_sees_why_the_directory_is_closed(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    _partner, login, password = make_ambassador(rpc, "ivory", points=0)
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    browser.get(odoo_url + "/my/ambassador/directory")
    wait_for(browser, ".o_ambassador_directory_distance")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_nav")
    shot(browser, screenshot_dir, "30_directory_closed_en")
    assert_accessible(browser, label="closed directory (en)")
