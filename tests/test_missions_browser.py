"""An ambassador finds "My missions" in its space, opens a mission, takes it,
meets the answer form's error and sends its answer; each page passes
axe-core's WCAG checks, in English and in French (real headless Chromium;
records made over XML-RPC as admin, found by CSS classes, not texts)."""
import time

from selenium.webdriver.common.by import By

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "missions_" + name)


def make_mission(rpc, suffix):
    """An open survey mission of the Study segment (make_ambassador's)."""
    study = rpc("ambassador.segment", "search", [("code", "=", "study")])[0]
    return rpc("ambassador.mission", "create", {
        "name": "Tell a foreign student why %s %d" % (suffix, time.time() * 1000),
        "description": "A few lines for the next campus guide.",
        "segment_ids": [(6, 0, [study])], "date_start": "2020-01-01",
        "quota": 50, "points": 10, "proof_method": "survey", "state": "open"})


def take_and_answer(browser, odoo_url, rpc, partner, mission, screenshot_dir,
                    lang, prefix=""):
    # From the space's navigation to the list.
    browser.get(odoo_url + prefix + "/my/ambassador")
    wait_for(browser, ".o_ambassador_status")
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_nav a[href='/my/ambassador/missions'],"
        " .o_ambassador_nav a[href='%s/my/ambassador/missions']" % prefix).click()
    table = wait_for(browser, ".o_ambassador_missions_offered")
    shot(browser, screenshot_dir, "01_list_%s" % lang)
    assert_accessible(browser, label="missions list (%s)" % lang)
    table.find_element(
        By.CSS_SELECTOR, "a[href$='/my/ambassador/missions/%d']" % mission).click()
    wait_for(browser, ".o_ambassador_mission_take")
    shot(browser, screenshot_dir, "02_mission_%s" % lang)
    assert_accessible(browser, label="mission (%s)" % lang)
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_mission_take").click()
    wait_for(browser, ".o_ambassador_mission_taken")
    shot(browser, screenshot_dir, "03_taken_%s" % lang)
    assert_accessible(browser, label="mission taken (%s)" % lang)
    participation = rpc("ambassador.mission.participation", "search_read",
                        [("mission_id", "=", mission), ("partner_id", "=", partner)],
                        fields=["state"])
    assert [row["state"] for row in participation] == ["taken"]
    # An empty answer: the error listed at the top, linked to its field.
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_mission_answer").click()
    summary = wait_for(browser, "#o_ambassador_form_errors")
    assert summary.find_elements(By.CSS_SELECTOR, "a[href='#answer']")
    assert "answer_error" in browser.find_element(
        By.ID, "answer").get_attribute("aria-describedby")
    shot(browser, screenshot_dir, "04_answer_error_%s" % lang)
    assert_accessible(browser, label="answer error (%s)" % lang)
    browser.find_element(By.ID, "answer").send_keys(
        "Small enough that professors know your name.")
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_mission_answer").click()
    wait_for(browser, ".o_ambassador_participation_status")
    shot(browser, screenshot_dir, "05_answered_%s" % lang)
    assert_accessible(browser, label="answer sent (%s)" % lang)
    participation = rpc("ambassador.mission.participation", "search_read",
                        [("mission_id", "=", mission), ("partner_id", "=", partner)],
                        fields=["state", "survey_answer"])[0]
    assert participation["state"] == "submitted"
    assert participation["survey_answer"].startswith("Small enough")
    # Back to the list: the mission is among those taken, with its status.
    browser.get(odoo_url + prefix + "/my/ambassador/missions")
    wait_for(browser, ".o_ambassador_missions_taken")
    shot(browser, screenshot_dir, "06_list_taken_%s" % lang)
    assert_accessible(browser, label="missions taken (%s)" % lang)


def test_ambassador_takes_a_mission_in_english(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    mission = make_mission(rpc, "en")
    partner, login, password = make_ambassador(rpc, "missions-en")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    take_and_answer(browser, odoo_url, rpc, partner, mission, screenshot_dir, "en")


def test_ambassador_takes_a_mission_in_french(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    mission = make_mission(rpc, "fr")
    partner, login, password = make_ambassador(rpc, "missions-fr", lang="fr_FR")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    take_and_answer(browser, odoo_url, rpc, partner, mission, screenshot_dir, "fr",
                    prefix="/fr_FR")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr-FR"


def test_staff_see_participation_per_mission(
        browser, odoo_url, odoo_db, screenshot_dir):
    from test_staff_browser import login as staff_login, open_backend
    rpc = Rpc(odoo_url, odoo_db)
    mission = make_mission(rpc, "staff")
    partner, _login, _password = make_ambassador(rpc, "missions-staff")
    rpc("ambassador.mission.participation", "create",
        {"mission_id": mission, "partner_id": partner})
    browser.set_window_size(1400, 1000)
    staff_login(browser, odoo_url, odoo_db)
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_mission_participation")
    wait_for(browser, ".o_pivot")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_pivot th, .o_pivot td")
    browser.save_screenshot("%s/missions_10_staff_pivot.png" % screenshot_dir)
    open_backend(browser, odoo_url, "id=%d&model=ambassador.mission&view_type=form"
                 % mission)
    wait_for(browser, ".o_form_view .oe_stat_button")
    browser.save_screenshot("%s/missions_11_staff_form.png" % screenshot_dir)
