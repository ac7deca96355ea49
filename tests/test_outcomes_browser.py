"""An ambassador opens its outcomes in its space (issue 15): what the leads
it passed on brought, its share, never the amounts; the page passes axe-core's
WCAG checks in English and in French, for the ambassador, and keeps a visitor
out (real headless Chromium; records made over XML-RPC as admin)."""
import time

from selenium.webdriver.common.by import By

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def make_outcome(rpc, partner, suffix, share=100.0, other=None):
    lines = [(0, 0, {"partner_id": partner, "share": share})]
    if other:
        lines.append((0, 0, {"partner_id": other, "share": 100.0 - share}))
    germany = rpc("res.country", "search", [("code", "=", "DE")])[0]
    return rpc("ambassador.outcome", "create", {
        "name": "Adler Werke settle %s" % suffix, "kind": "company",
        "jobs_announced": 40, "amount_invested": 9876543, "date": "2026-03-02",
        "country_id": germany, "attribution_ids": lines})


def check_page(browser, odoo_url, prefix, name, screenshot_dir):
    browser.get("%s%s/my/ambassador/outcomes" % (odoo_url, prefix))
    table = wait_for(browser, "table.o_ambassador_outcomes")
    assert name in table.text
    assert "9876543" not in browser.page_source
    assert "9 876 543" not in browser.page_source
    assert "9,876,543" not in browser.page_source
    assert_accessible(browser, include="main")
    return table


def test_ambassador_sees_its_outcomes_in_english(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    suffix = "en%d" % int(time.time() * 1000)
    partner, login, password = make_ambassador(rpc, "outcome-en")
    other, _login, _password = make_ambassador(rpc, "outcome-en-other")
    make_outcome(rpc, partner, suffix, share=66.67, other=other)
    make_outcome(rpc, other, "of another %s" % suffix)
    # A visitor is asked to log in first.
    browser.get("%s/my/ambassador/outcomes" % odoo_url)
    wait_for(browser, "form.oe_login_form")
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_nav a[href='/my/ambassador/outcomes']").click()
    table = check_page(browser, odoo_url, "", "Adler Werke settle %s" % suffix,
                       screenshot_dir)
    assert "of another" not in table.text
    assert "66.67 %" in table.text
    full_page_shot(browser, screenshot_dir, "outcomes_01_space_en")


def test_ambassador_sees_its_outcomes_in_french(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    suffix = "fr%d" % int(time.time() * 1000)
    partner, login, password = make_ambassador(rpc, "outcome-fr", lang="fr_FR")
    other, _login, _password = make_ambassador(rpc, "outcome-fr-other")
    make_outcome(rpc, partner, suffix, share=33.33, other=other)
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    table = check_page(browser, odoo_url, "/fr_FR",
                       "Adler Werke settle %s" % suffix, screenshot_dir)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr-FR"
    assert "33,33 %" in table.text
    full_page_shot(browser, screenshot_dir, "outcomes_02_space_fr")


def test_staff_record_the_outcome_of_a_won_lead(
        browser, odoo_url, odoo_db, screenshot_dir):
    """On a won lead, "Record Outcome" opens an outcome filled from the lead
    (name, kind, country, the ambassador at 100 %); saved, the lead's smart
    button counts it and the 3-year follow-up waits on it."""
    from test_staff_browser import login, open_backend, settle

    rpc = Rpc(odoo_url, odoo_db)
    suffix = "%d" % int(time.time() * 1000)
    partner, _login, _password = make_ambassador(rpc, "outcome-staff")
    ref = lambda xml_id: rpc("ir.model.data", "xmlid_to_res_id", xml_id)  # noqa
    lead = rpc("crm.lead", "create", {
        "name": "Falke Congress %s" % suffix, "type": "opportunity",
        "partner_name": "Falke Society %s" % suffix,
        "country_id": rpc("res.country", "search", [("code", "=", "AT")])[0],
        "ambassador_partner_id": partner, "ambassador_lead_kind": "event",
        "stage_id": ref("crm.stage_lead4"), "probability": 100})
    login(browser, odoo_url, odoo_db)
    open_backend(browser, odoo_url, "id=%d&model=crm.lead&view_type=form&action=%d"
                 % (lead, ref("crm.crm_lead_opportunities")))
    button = wait_for(browser, ".o_form_statusbar button.oe_highlight")
    buttons = [b for b in browser.find_elements(
        By.CSS_SELECTOR, ".o_form_statusbar button")
        if b.text.strip().lower() == "record outcome" and b.is_displayed()]
    assert buttons, button.text
    buttons[0].click()
    settle(browser)
    name = wait_for(browser, ".o_form_view input[name='name']")
    assert name.get_attribute("value") == "Falke Society %s" % suffix
    form = browser.find_element(By.CSS_SELECTOR, ".o_form_view")
    kind = browser.find_element(By.CSS_SELECTOR, "select[name='kind']")
    assert "event" in kind.get_attribute("value")
    country = browser.find_element(
        By.CSS_SELECTOR, "div[name='country_id'] input")
    assert country.get_attribute("value") == "Austria"
    assert "Sam Space outcome-staff" in form.text
    visitors = browser.find_element(By.CSS_SELECTOR, "input[name='visitors']")
    visitors.clear()
    visitors.send_keys("420")
    shot_path = full_page_shot(browser, screenshot_dir, "outcomes_03_staff_form")
    browser.find_element(By.CSS_SELECTOR, ".o_form_button_save").click()
    settle(browser)
    outcome = rpc("ambassador.outcome", "search_read", [("lead_id", "=", lead)],
                  fields=["visitors", "kind", "attribution_ids", "activity_ids"])
    assert len(outcome) == 1, outcome
    assert (outcome[0]["visitors"], outcome[0]["kind"]) == (420, "event")
    lines = rpc("ambassador.outcome.attribution", "read",
                outcome[0]["attribution_ids"], ["partner_id", "share"])
    assert [(line["partner_id"][0], line["share"]) for line in lines] == [
        (partner, 100.0)]
    assert outcome[0]["activity_ids"]
    full_page_shot(browser, screenshot_dir, "outcomes_04_staff_saved")
    # The analysis: the pivot by year and kind.
    open_backend(browser, odoo_url, "action=%d&view_type=pivot"
                 % ref("ambassador_program.action_ambassador_outcome_report"))
    wait_for(browser, ".o_pivot")
    full_page_shot(browser, screenshot_dir, "outcomes_05_staff_pivot")
    assert shot_path
