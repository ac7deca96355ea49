"""The diaspora map (issue 15) in a real browser (headless Chromium): the
public programme page once the programme opted in, for a visitor and for an
ambassador, and the staff's Diaspora Map form, in English and in French. The
map is an image the browser loads from our own server (no outside call); the
table beside it holds the same figures. axe-core's WCAG checks pass.

Records are made over XML-RPC as admin; the settings are put back after."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_staff_browser import assert_no_cut_labels, open_backend
from test_staff_browser import login as staff_login
from test_website_browser import Rpc, full_page_shot, wait_for

PARAMS = ("ambassador_program.public_map", "ambassador_program.public_map_min_count")
MAP_IMAGE = "img.o_ambassador_diaspora_map"


@pytest.fixture(scope="module")
def map_data(odoo_url, odoo_db):
    """Two active ambassadors living in Iceland whose network reaches Namibia,
    an outcome from Namibia; the public map on, shown from 2 ambassadors."""
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    ref = rpc.ref
    stamp = int(time.time() * 1000)
    invest = rpc("ambassador.segment", "search", [("code", "=", "invest")])[0]
    partners = [rpc("res.partner", "create", {
        "name": "Map Browser %d %d" % (index, stamp),
        "email": "map.browser.%d.%d@example.org" % (index, stamp),
        "ambassador_state": "active", "ambassador_segment_id": invest,
        "country_id": ref("base.is"),
        "ambassador_network_country_ids": [(6, 0, [ref("base.na")])]})
        for index in range(2)]
    outcome = rpc("ambassador.outcome", "create", {
        "name": "Map browser plant %d" % stamp, "kind": "company",
        "country_id": ref("base.na"), "jobs_announced": 40})
    before = {key: rpc("ir.config_parameter", "get_param", key) for key in PARAMS}
    rpc("ir.config_parameter", "set_param", PARAMS[0], "True")
    rpc("ir.config_parameter", "set_param", PARAMS[1], "2")
    admin = rpc("res.users", "read", [rpc.uid], ["lang"])[0]
    yield {"rpc": rpc, "partners": partners}
    rpc("res.users", "write", [rpc.uid], {"lang": admin["lang"]})
    for key, value in before.items():
        rpc("ir.config_parameter", "set_param", key, value or "")
    rpc("ambassador.outcome", "unlink", [outcome])
    rpc("res.partner", "action_ambassador_leave", partners)


def image_loaded(browser, selector=MAP_IMAGE):
    WebDriverWait(browser, 60).until(lambda driver: driver.execute_script(
        "var img = document.querySelector(arguments[0]);"
        "return !!img && img.complete && img.naturalWidth > 0;", selector))
    return browser.find_element(By.CSS_SELECTOR, selector)


def check_public_page(browser, odoo_url, prefix, lang):
    browser.get("%s%s/ambassadors" % (odoo_url, prefix))
    section = wait_for(browser, "section.o_ambassador_diaspora")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    images = browser.find_elements(By.CSS_SELECTOR, MAP_IMAGE)
    assert len(images) == 2, "residence and network countries"
    for image in images:
        src = image.get_attribute("src")
        assert src.startswith(odoo_url + prefix + "/ambassadors/diaspora-map/"), src
        assert image.get_attribute("alt").strip()
    image_loaded(browser)
    tables = section.find_elements(By.CSS_SELECTOR, "table.o_ambassador_diaspora_table")
    cells = [cell.text for cell in tables[0].find_elements(By.CSS_SELECTOR, "td")]
    assert any(name in cells for name in ("Iceland", "Islande")), cells
    network = [cell.text for cell in tables[1].find_elements(By.CSS_SELECTOR, "td")]
    assert any(name in network for name in ("Namibia", "Namibie")), network
    # No name of an ambassador on the page.
    assert "Map Browser" not in section.text
    assert_accessible(browser, include="main")


@pytest.mark.parametrize("lang", ["en_US", "fr_FR"])
def test_public_page_shows_the_map(browser, odoo_url, odoo_db, screenshot_dir,
                                   map_data, lang):
    prefix, html_lang = ("", "en-US") if lang == "en_US" else ("/fr_FR", "fr-FR")
    browser.delete_all_cookies()
    check_public_page(browser, odoo_url, prefix, html_lang)
    full_page_shot(browser, screenshot_dir, "diaspora_map_public_%s" % lang)
    # An ambassador sees the same page, its own space link above.
    _partner, login, password = make_ambassador(
        map_data["rpc"], "map-%s" % lang, lang=lang)
    log_in(browser, odoo_url, login, password, prefix=prefix)
    wait_for(browser, ".o_ambassador_status")
    check_public_page(browser, odoo_url, prefix, html_lang)
    browser.delete_all_cookies()


@pytest.mark.parametrize("lang", ["en_US", "fr_FR"])
def test_staff_diaspora_map(browser, odoo_url, odoo_db, screenshot_dir, map_data,
                            lang):
    rpc = map_data["rpc"]
    rpc("res.users", "write", [rpc.uid], {"lang": lang})
    browser.delete_all_cookies()
    staff_login(browser, odoo_url, odoo_db)
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_diaspora_map")
    image = image_loaded(browser)
    assert "/ambassador/staff/diaspora-map/residence.svg" in image.get_attribute("src")
    table = wait_for(browser, "table.o_ambassador_diaspora_table")
    assert any(name in table.text for name in ("Iceland", "Islande")), table.text
    assert_accessible(browser, include=".o_form_sheet")
    browser.save_screenshot(
        "%s/diaspora_map_staff_residence_%s.png" % (screenshot_dir, lang))
    # The buttons: the outcomes' map and their jobs.
    browser.find_element(By.CSS_SELECTOR, "button.o_diaspora_map_outcomes").click()
    # The form redraws its fields: read the image's address by script (an
    # element found before may be gone).
    WebDriverWait(browser, 30).until(lambda driver: "outcomes.svg" in (
        driver.execute_script("var img = document.querySelector(arguments[0]);"
                              "return img ? img.src : '';", MAP_IMAGE)))
    image_loaded(browser)
    table = browser.find_element(By.CSS_SELECTOR, "table.o_ambassador_diaspora_table")
    assert any(name in table.text for name in ("Namibia", "Namibie")), table.text
    assert "40" in table.text
    assert_accessible(browser, include=".o_form_sheet")
    browser.save_screenshot(
        "%s/diaspora_map_staff_outcomes_%s.png" % (screenshot_dir, lang))

    # The settings: the opt-in and its threshold, in their own block.
    open_backend(browser, odoo_url, "action=ambassador_program."
                 "action_ambassador_config_settings")
    block = wait_for(browser, "div.app_settings_block[data-key=ambassador_program]")
    for name in ("ambassador_public_map", "ambassador_public_map_min_count"):
        assert block.find_elements(By.CSS_SELECTOR, "[name=%s]" % name), name
    browser.execute_script(
        "arguments[0].scrollIntoView();",
        block.find_element(By.CSS_SELECTOR, "[name=ambassador_public_map]"))
    browser.save_screenshot(
        "%s/diaspora_map_settings_%s.png" % (screenshot_dir, lang))
    assert_no_cut_labels(browser, "the settings")
