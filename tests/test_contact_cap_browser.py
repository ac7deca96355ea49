"""The contact cap's and re-engagement's staff screens in a real browser
(headless Chromium), as the admin, in English and French: the deferred
messages per channel and week (pivot), the dormant share per segment
(graph), the dashboard's card with its dormant share and the settings block.

Records are made over XML-RPC as admin; checks use CSS classes, not texts."""
import time

import pytest
from selenium.webdriver.common.by import By

from test_staff_browser import assert_no_cut_labels, login, open_backend, shot
from test_website_browser import Rpc


@pytest.fixture(scope="module")
def cap_data(odoo_url, odoo_db):
    rpc = Rpc(odoo_url, odoo_db)
    stamp = str(int(time.time()))
    segment = rpc("ir.model.data", "xmlid_to_res_id",
                  "ambassador_program.segment_visit")
    partner = rpc("res.partner", "create", {
        "name": "Cap Browser %s" % stamp, "email": "cap.%s@example.com" % stamp,
        "ambassador_state": "active", "ambassador_segment_id": segment})
    # A deferral the way it happens: with a cap of 1, a second invitation to
    # the same ambassador waits.
    cap_key = "ambassador_program.mailing_cap"
    cap = rpc("ir.config_parameter", "get_param", cap_key)
    rpc("ir.config_parameter", "set_param", cap_key, "1")
    event = rpc("event.event", "create", {
        "name": "Cap Browser evening %s" % stamp,
        "date_begin": "2030-06-01 18:00:00", "date_end": "2030-06-01 22:00:00",
        "ambassador_segment_ids": [(6, 0, [segment])]})
    try:
        rpc("event.event", "action_ambassador_invite", [event])
        rpc("event.event", "action_ambassador_invite", [event])
    finally:
        rpc("ir.config_parameter", "set_param", cap_key, cap or "4")
    admin = rpc("res.users", "read", [rpc.uid], ["lang"])[0]
    yield {"rpc": rpc, "partner": partner}
    rpc("res.users", "write", [rpc.uid], {"lang": admin["lang"]})


@pytest.mark.parametrize("lang", ["en_US", "fr_FR"])
def test_cap_and_dormancy_screens(browser, odoo_url, odoo_db, screenshot_dir,
                                  cap_data, lang):
    rpc = cap_data["rpc"]
    if lang != "en_US" and not rpc("res.lang", "search", [("code", "=", lang)]):
        pytest.skip("%s is not installed in this database" % lang)
    rpc("res.users", "write", [rpc.uid], {"lang": lang})
    browser.set_window_size(1400, 1000)
    login(browser, odoo_url, odoo_db)
    suffix = lang[:2]

    # Deferred messages per week and channel (the demo's, at least).
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_message_log_deferred")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_pivot table")
    assert browser.find_elements(
        By.CSS_SELECTOR,
        ".o_pivot .o_pivot_header_cell_closed, .o_pivot .o_pivot_header_cell_opened")
    shot(browser, screenshot_dir, "cap_deferred_%s" % suffix)

    # The dormant share per segment.
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_dormant_share")
    assert browser.find_elements(By.CSS_SELECTOR, ".o_graph svg, .o_graph canvas")
    shot(browser, screenshot_dir, "cap_dormant_%s" % suffix)

    # The dashboard's cards name the dormant share.
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_programme_dashboard")
    links = browser.find_elements(
        By.CSS_SELECTOR, ".o_ambassador_dashboard a[data-context*=dormant]")
    assert links and all("%" in link.text for link in links)
    shot(browser, screenshot_dir, "cap_dashboard_%s" % suffix)
    assert_no_cut_labels(browser, "the dashboard")

    # Settings: the cap over every channel, the suggestions' interval.
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_config_settings")
    field = browser.find_element(
        By.CSS_SELECTOR, "[name=ambassador_reengagement_interval_days]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", field)
    shot(browser, screenshot_dir, "cap_settings_%s" % suffix)
    assert_no_cut_labels(browser, "the settings")
