"""Staff screens of issue 11 in a real browser (headless Chromium), as the
admin, in English and in French: the programme dashboard, the committee's
decision form with the ambassador's file, the proof cards (an approved card
leaves "Submitted" at once), the contact's Ambassador tab (only its segment's
fields), the programme's settings and the tiers against their targets. No
label of these forms is cut (its text fits its box).

Records are made over XML-RPC as admin (the way an integrator would); checks
use CSS classes and field names, not texts, so that they hold in French."""
import base64
import os
import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_website_browser import Rpc, make_png, wait_for

# Labels whose text is wider than their box (cut, or overflowing): form and
# settings labels, notebook tabs, stat buttons, kanban card figures.
CUT_LABELS_JS = """
var selectors = ['.o_form_label', '.o_form_view .nav-tabs > li > a',
                 '.o_setting_right_pane > label',
                 'button[name^=action_ambassador] .o_stat_text',
                 '.o_statusbar_buttons .btn', '.o_kanban_record a'];
// The sidebar entries of the menus issue 11 added (the others' texts and
// Odoo's own buttons are not this test's).
var ours = ['menu_ambassador_programme_dashboard', 'menu_ambassador_recruits',
            'menu_ambassador_proof_waiting'];
ours.forEach(function (xmlid) {
    selectors.push('.oe_secondary_menu a[data-menu-xmlid="ambassador_program.'
                   + xmlid + '"] .oe_menu_text');
});
var cut = [];
document.querySelectorAll(selectors.join(',')).forEach(function (el) {
    if (!el.offsetParent) { return; }
    // An ellipsis does not always show in scrollWidth: measure the text on
    // one line, in a copy next to it (same fonts).
    var natural = 0;
    var style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.parentNode) {
        var copy = el.cloneNode(true);
        copy.style.cssText = 'position: absolute; visibility: hidden; '
            + 'white-space: nowrap; max-width: none; width: auto; '
            + 'display: inline-block; overflow: visible';
        el.parentNode.appendChild(copy);
        natural = copy.getBoundingClientRect().width;
        copy.remove();
    }
    if (el.scrollWidth > el.clientWidth + 1 || natural > el.clientWidth + 1) {
        cut.push(el.textContent.trim().replace(/\\s+/g, ' '));
    }
});
return cut;
"""


def shot(browser, screenshot_dir, name):
    path = os.path.join(screenshot_dir, "staff_%s.png" % name)
    browser.save_screenshot(path)
    return path


def settle(browser, timeout=30):
    """Wait until the web client has no RPC in flight and has drawn its view."""
    WebDriverWait(browser, timeout).until(lambda driver: driver.execute_script(
        "var loading = document.querySelector('.o_loading');"
        "return document.readyState === 'complete'"
        " && !(loading && loading.offsetParent)"
        " && !!document.querySelector('.o_view_manager_content > div,"
        " .o_form_view, .o_kanban_view, .o_settings_container, .o_mail_chat')"))
    time.sleep(1.0)


def open_backend(browser, odoo_url, fragment):
    browser.get("%s/web#%s" % (odoo_url, fragment))
    settle(browser)


def assert_no_cut_labels(browser, where):
    cut = browser.execute_script(CUT_LABELS_JS)
    assert not cut, "labels cut on %s: %s" % (where, cut)


@pytest.fixture(scope="module")
def staff_data(odoo_url, odoo_db, tmp_path_factory):
    rpc = Rpc(odoo_url, odoo_db)
    ref = lambda xml_id: rpc("ir.model.data", "xmlid_to_res_id", xml_id)  # noqa: E731
    stamp = str(int(time.time()))
    study = ref("ambassador_program.segment_study")
    sam = rpc("res.partner", "create", {
        "name": "Sam Browser %s" % stamp, "email": "sam.%s@example.com" % stamp,
        "ambassador_state": "active", "ambassador_segment_id": study,
        "ambassador_institution": "University of the Riverside",
        "ambassador_research_field": "Hydrology",
        "ambassador_network_country_ids": [(6, 0, [ref("base.jp")])],
        "ambassador_motivation": "I love the riverside",
    })
    rule = rpc("ambassador.point.rule", "search",
               [("segment_ids", "in", [study]), ("is_press", "=", False)],
               limit=1)[0]
    png = make_png(str(tmp_path_factory.mktemp("staff") / "evidence.png"))
    with open(png, "rb") as handle:
        data = base64.b64encode(handle.read()).decode()
    files = [rpc("ir.attachment", "create", {
        "name": "evidence-%d.png" % index, "datas_fname": "evidence-%d.png" % index,
        "datas": data, "res_model": "ambassador.proof", "res_id": 0})
        for index in range(2)]
    approved = rpc("ambassador.proof", "create", {
        "name": "Lecture in Kyoto %s" % stamp, "partner_id": sam, "rule_id": rule,
        "url": "https://example.com/kyoto", "attachment_ids": [(6, 0, files[:1])]})
    rpc("ambassador.proof", "action_approve", [approved])
    waiting = rpc("ambassador.proof", "create", {
        "name": "Poster in Osaka %s" % stamp, "partner_id": sam, "rule_id": rule,
        "attachment_ids": [(6, 0, files[1:])]})
    to_reject = rpc("ambassador.proof", "create", {
        "name": "Flyer in Nagoya %s" % stamp, "partner_id": sam, "rule_id": rule})
    proposal = rpc("ambassador.promotion", "create", {
        "partner_id": sam, "to_tier_id": ref("ambassador_program.tier_gold"),
        "committee_notes": "Brought a research chair"})
    admin = rpc("res.users", "read", [rpc.uid], ["lang"])[0]
    yield {"rpc": rpc, "partner": sam, "waiting": waiting, "proposal": proposal,
           "study": study, "waiting_name": "Poster in Osaka %s" % stamp,
           "to_reject": to_reject, "to_reject_name": "Flyer in Nagoya %s" % stamp}
    rpc("res.users", "write", [rpc.uid], {"lang": admin["lang"]})


def login(browser, odoo_url, odoo_db):
    browser.get("%s/web/login?db=%s" % (odoo_url, odoo_db))
    wait_for(browser, "input[name=login]").send_keys("admin")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys("admin")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        lambda driver: "/web/login" not in driver.current_url)
    settle(browser)


@pytest.mark.parametrize("lang", ["en_US", "fr_FR"])
def test_staff_screens(browser, odoo_url, odoo_db, screenshot_dir, staff_data,
                       lang):
    rpc = staff_data["rpc"]
    if lang != "en_US" and not rpc("res.lang", "search", [("code", "=", lang)]):
        pytest.skip("%s is not installed in this database" % lang)
    rpc("res.users", "write", [rpc.uid], {"lang": lang})
    browser.set_window_size(1400, 1000)
    login(browser, odoo_url, odoo_db)
    suffix = lang[:2]

    # The dashboard: a card for the programme and one per segment.
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_programme_dashboard")
    cards = browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_dashboard "
                                  ".o_kanban_record:not(.o_kanban_ghost)")
    assert len(cards) >= 5
    shot(browser, screenshot_dir, "dashboard_%s" % suffix)
    assert_no_cut_labels(browser, "the dashboard")

    # The committee's decision: the ambassador's file on the form.
    open_backend(browser, odoo_url, "id=%d&model=ambassador.promotion&view_type=form"
                 % staff_data["proposal"])
    tabs = browser.find_elements(By.CSS_SELECTOR, ".o_form_view .nav-tabs > li > a")
    assert len(tabs) == 5
    shot(browser, screenshot_dir, "decision_%s" % suffix)
    assert_no_cut_labels(browser, "the decision form")
    tabs[1].click()  # approved proofs: link and file
    time.sleep(0.5)
    page = browser.find_element(By.CSS_SELECTOR, ".tab-pane.active")
    assert page.find_elements(By.CSS_SELECTOR, "a[href='https://example.com/kyoto']")
    assert "evidence-0.png" in page.text
    shot(browser, screenshot_dir, "decision_proofs_%s" % suffix)

    # The contact: only the Study fields, and the two staff actions.
    open_backend(browser, odoo_url,
                 "id=%d&model=res.partner&view_type=form&action="
                 "ambassador_program.action_ambassador_partner"
                 % staff_data["partner"])
    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view")
    shown = lambda name: [  # noqa: E731
        el for el in form.find_elements(
            By.CSS_SELECTOR, ".o_field_widget[name=%s]" % name) if el.is_displayed()]
    assert shown("ambassador_institution") and shown("ambassador_research_field")
    assert not shown("ambassador_organisation") and not shown("ambassador_activity")
    assert not shown("ambassador_territory_link")
    shot(browser, screenshot_dir, "contact_%s" % suffix)
    assert_no_cut_labels(browser, "the contact's Ambassador tab")
    browser.execute_script("arguments[0].scrollIntoView();", shown(
        "ambassador_institution")[0])
    shot(browser, screenshot_dir, "contact_segment_%s" % suffix)

    # Add Points from the contact: the dialog, then the ledger line.
    ref = lambda xml_id: rpc("ir.model.data", "xmlid_to_res_id", xml_id)  # noqa: E731
    before = rpc("res.partner", "read", [staff_data["partner"]],
                 ["ambassador_balance"])[0]["ambassador_balance"]
    form.find_element(By.CSS_SELECTOR, "button[name='%d']" % ref(
        "ambassador_program.action_ambassador_point_award_wizard")).click()
    points = wait_for(browser, ".modal input[name=points]")
    points.clear()
    points.send_keys("3")
    browser.find_element(By.CSS_SELECTOR, ".modal input[name=reason]").send_keys(
        "Browser %s" % suffix)
    shot(browser, screenshot_dir, "add_points_%s" % suffix)
    assert_no_cut_labels(browser, "the Add Points dialog")
    browser.find_element(By.CSS_SELECTOR,
                         ".modal-footer button[name=action_award]").click()
    WebDriverWait(browser, 10).until(lambda driver: rpc(
        "res.partner", "read", [staff_data["partner"]], ["ambassador_balance"]
    )[0]["ambassador_balance"] == before + 3)
    settle(browser)

    # Propose to the Committee: the proposal form in a dialog.
    WebDriverWait(browser, 10).until(
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, ".modal"))
    browser.find_element(By.CSS_SELECTOR, ".o_form_view button[name='%d']" % ref(
        "ambassador_program.action_ambassador_promotion_propose")).click()
    wait_for(browser, ".modal .o_field_widget[name=to_tier_id]")
    time.sleep(0.5)
    shot(browser, screenshot_dir, "propose_%s" % suffix)
    assert_no_cut_labels(browser, "the Propose dialog")
    browser.find_element(By.CSS_SELECTOR, ".modal .close").click()

    # Settings of the programme in one block.
    open_backend(browser, odoo_url, "action=ambassador_program."
                 "action_ambassador_config_settings")
    block = wait_for(browser, "div.app_settings_block[data-key=ambassador_program]")
    for name in ("ambassador_review_notice_days", "ambassador_mailing_cap",
                 "ambassador_dormant_months"):
        assert block.find_elements(By.CSS_SELECTOR, "[name=%s]" % name), name
    shot(browser, screenshot_dir, "settings_%s" % suffix)
    assert_no_cut_labels(browser, "the settings")

    # Tiers against targets, as a pivot.
    open_backend(browser, odoo_url,
                 "action=ambassador_program.action_ambassador_tier_report"
                 "&view_type=pivot")
    shot(browser, screenshot_dir, "tiers_%s" % suffix)
    assert browser.find_elements(By.CSS_SELECTOR, ".o_pivot table")


def card_xpath(name):
    return ("//div[contains(concat(' ', @class, ' '), ' o_kanban_record ')]"
            "[.//*[normalize-space(text())='%s']]" % name)


def decide_on_card(browser, name, button):
    """Click ``button`` on the card ``name``; returns a function telling
    whether the card is still in the column it was in (found again each time:
    the board is drawn again after a decision)."""
    card = WebDriverWait(browser, 30).until(
        lambda driver: driver.find_element(By.XPATH, card_xpath(name)))
    column = card.find_element(By.XPATH, "ancestor::div[contains(concat(' ', "
                               "@class, ' '), ' o_kanban_group ')][1]")
    index = browser.find_elements(By.CSS_SELECTOR, ".o_kanban_group").index(column)
    in_column = "." + card_xpath(name)  # .//div[...]: anywhere in the column

    def still_there(driver):
        columns = driver.find_elements(By.CSS_SELECTOR, ".o_kanban_group")
        return bool(columns[index].find_elements(By.XPATH, in_column))

    assert still_there(browser)
    card.find_element(By.CSS_SELECTOR, "button[data-name=%s]" % button).click()
    return still_there


def test_decided_cards_leave_submitted(browser, odoo_url, odoo_db, screenshot_dir,
                                       staff_data):
    rpc = staff_data["rpc"]
    rpc("res.users", "write", [rpc.uid], {"lang": "en_US"})
    browser.set_window_size(1400, 1000)
    login(browser, odoo_url, odoo_db)
    open_backend(browser, odoo_url, "action=ambassador_program.action_ambassador_proof")
    card = WebDriverWait(browser, 30).until(lambda driver: driver.find_element(
        By.XPATH, card_xpath(staff_data["waiting_name"])))
    # Files and "points" on the card.
    assert "evidence-1.png" in card.text
    assert card.find_elements(By.CSS_SELECTOR, ".o_ambassador_proof_files a")
    assert " pts" not in card.text
    shot(browser, screenshot_dir, "proofs_before")

    # Approved from the card: out of "Submitted" at once.
    still_there = decide_on_card(browser, staff_data["waiting_name"],
                                 "action_approve")
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]
                  ).until(lambda driver: not still_there(driver))
    state = rpc("ambassador.proof", "read", [staff_data["waiting"]], ["state"])[0]
    assert state["state"] == "approved"

    # Rejected through the wizard: the same once the dialog closes.
    still_there = decide_on_card(browser, staff_data["to_reject_name"],
                                 "action_open_reject_wizard")
    reason = wait_for(browser, ".modal [name=reason]")
    reason.send_keys("The flyer does not name the territory.")
    browser.find_element(By.CSS_SELECTOR,
                         ".modal-footer button[name=action_reject]").click()
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]
                  ).until(lambda driver: not still_there(driver))
    shot(browser, screenshot_dir, "proofs_after")
    state = rpc("ambassador.proof", "read", [staff_data["to_reject"]], ["state"])[0]
    assert state["state"] == "rejected"
