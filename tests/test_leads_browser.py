"""An ambassador finds "My leads" in its space, meets the form's errors,
passes a lead on; the agency marks it won (over XML-RPC, as a sales user
would in the CRM); the ambassador sees "won" and its points. Each page
passes axe-core's WCAG checks, in English and in French (real headless
Chromium; records found by CSS classes, not texts)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "leads_" + name)


def pass_on_and_follow(browser, odoo_url, rpc, partner, screenshot_dir, lang,
                       prefix=""):
    browser.get(odoo_url + prefix + "/my/ambassador")
    wait_for(browser, ".o_ambassador_status")
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_nav_leads").click()
    wait_for(browser, ".o_ambassador_leads_none")
    shot(browser, screenshot_dir, "01_list_empty_%s" % lang)
    assert_accessible(browser, label="leads list (%s)" % lang)
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_lead_new").click()
    wait_for(browser, ".o_ambassador_lead_form")
    assert_accessible(browser, label="lead form (%s)" % lang)
    # A contact without its agreement and no country: the errors at the top,
    # each linked to its field, what was typed kept.
    browser.find_element(By.ID, "name").send_keys("Hanse Robotics GmbH")
    Select(browser.find_element(By.ID, "kind")).select_by_value("company")
    browser.find_element(By.ID, "description").send_keys(
        "Considering a plant with 40 jobs near the lake.")
    browser.find_element(By.ID, "contact_name").send_keys("Hans Meier")
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_lead_submit").click()
    summary = wait_for(browser, "#o_ambassador_form_errors")
    assert summary.find_elements(By.CSS_SELECTOR, "a[href='#country_id']")
    assert summary.find_elements(By.CSS_SELECTOR, "a[href='#contact_agreed']")
    assert "country_id_error" in browser.find_element(
        By.ID, "country_id").get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "name").get_attribute(
        "value") == "Hanse Robotics GmbH"
    shot(browser, screenshot_dir, "02_form_errors_%s" % lang)
    assert_accessible(browser, label="lead form errors (%s)" % lang)
    germany = rpc.ref("base.de")
    Select(browser.find_element(By.ID, "country_id")).select_by_value(str(germany))
    browser.find_element(By.ID, "contact_agreed").click()
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_lead_submit").click()
    wait_for(browser, ".o_ambassador_lead_sent")
    shot(browser, screenshot_dir, "03_sent_%s" % lang)
    assert_accessible(browser, label="lead sent (%s)" % lang)
    lead = rpc("crm.lead", "search_read", [("ambassador_partner_id", "=", partner)],
               fields=["name", "country_id", "ambassador_status"])
    assert [(row["name"], row["country_id"][0], row["ambassador_status"])
            for row in lead] == [("Hanse Robotics GmbH", germany, "received")]
    # The agency converts it and marks it won in its CRM.
    rpc("crm.lead", "convert_opportunity", [lead[0]["id"]], False)
    rpc("crm.lead", "action_set_won", [lead[0]["id"]])
    browser.get(odoo_url + prefix + "/my/ambassador/leads/%d" % lead[0]["id"])
    wait_for(browser, ".o_ambassador_lead_points")
    won = rpc("crm.lead", "read", [lead[0]["id"]], ["ambassador_status"])[0]
    assert won["ambassador_status"] == "won"
    rules = rpc("ambassador.point.rule", "search_read",
                [("code", "in", ["lead_qualified", "lead_won"])], fields=["points"])
    expected = sum(row["points"] for row in rules)
    assert browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_lead_points").text == str(expected)
    status = browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_lead_status").text.strip()
    assert status
    shot(browser, screenshot_dir, "04_won_%s" % lang)
    assert_accessible(browser, label="lead won (%s)" % lang)
    browser.get(odoo_url + prefix + "/my/ambassador/leads")
    wait_for(browser, ".o_ambassador_leads")
    shot(browser, screenshot_dir, "05_list_%s" % lang)
    assert_accessible(browser, label="leads list with a lead (%s)" % lang)
    return status


def test_ambassador_passes_on_a_lead_in_english(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    partner, login, password = make_ambassador(rpc, "leads-en")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    status = pass_on_and_follow(browser, odoo_url, rpc, partner, screenshot_dir,
                                "en")
    assert status == "Won"


def test_ambassador_passes_on_a_lead_in_french(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    partner, login, password = make_ambassador(rpc, "leads-fr", lang="fr_FR")
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    pass_on_and_follow(browser, odoo_url, rpc, partner, screenshot_dir, "fr",
                       prefix="/fr_FR")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr-FR"


def test_staff_see_the_ambassador_of_a_lead(
        browser, odoo_url, odoo_db, screenshot_dir):
    """The lead form's Ambassador tab and the contact's "Leads" button."""
    from test_staff_browser import login as staff_login, open_backend
    rpc = Rpc(odoo_url, odoo_db)
    partner, _login, _password = make_ambassador(rpc, "leads-staff")
    lead = rpc("crm.lead", "create", {
        "name": "Staff view lead", "ambassador_partner_id": partner,
        "ambassador_lead_kind": "research", "country_id": rpc.ref("base.ca")})
    browser.set_window_size(1400, 1000)
    staff_login(browser, odoo_url, odoo_db)
    open_backend(browser, odoo_url, "id=%d&model=crm.lead&view_type=form" % lead)
    wait_for(browser, ".o_form_view")
    tab = [link for link in browser.find_elements(
        By.CSS_SELECTOR, ".o_notebook a[data-toggle='tab']")
        if link.text.strip() == "Ambassador"]
    assert tab, "the lead form has its Ambassador tab"
    tab[0].click()
    browser.save_screenshot("%s/leads_10_staff_lead_form.png" % screenshot_dir)
    open_backend(browser, odoo_url, "id=%d&model=res.partner&view_type=form"
                 % partner)
    wait_for(browser, ".o_form_view .oe_avatar, .o_form_view .o_field_image")
    # The button box folds the last buttons under "More".
    more = [toggle for toggle in browser.find_elements(
        By.CSS_SELECTOR, ".oe_button_box .o_button_more, .oe_button_box "
        ".dropdown-toggle") if toggle.is_displayed()]
    if more:
        more[0].click()
    stats = [button.get_attribute("textContent") for button in
             browser.find_elements(By.CSS_SELECTOR, ".oe_button_box .oe_stat_button")]
    assert any("Leads" in text and "1" in text for text in stats), stats
    browser.save_screenshot("%s/leads_11_staff_partner_form.png" % screenshot_dir)
