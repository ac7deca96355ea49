"""The re-confirmation page of imported ambassadors (issue 12) in a real
browser, in English and in French: reached from the e-mail's link, accessible
(axe-core, page structure), the charter refused then accepted."""
import base64
import re
import time

import pytest
from selenium.webdriver.common.by import By

from axe_check import assert_accessible, page_structure_problems
from test_website_browser import Rpc, shot, wait_for

LANG_PREFIX = {"en": "", "fr": "/fr_FR"}


@pytest.fixture(scope="module")
def tokens(odoo_url, odoo_db):
    """{lang: token} of two ambassadors imported over RPC by the admin (a
    programme manager) with the re-confirmation e-mail."""
    rpc = Rpc(odoo_url, odoo_db)
    if not rpc("ambassador.charter", "search", [("state", "=", "published")]):
        charter = rpc("ambassador.charter", "create", {
            "name": "Ambassadors' charter", "version": "import-%d" % time.time(),
            "content": "<p>I promote the territory and respect the other "
                       "ambassadors.</p>"})
        rpc("ambassador.charter", "action_publish", [charter])
    stamp = int(time.time() * 1000)
    emails = {"en": "ian.import.%d@example.org" % stamp,
              "fr": "ines.import.%d@example.org" % stamp}
    text = ("name,email,segment,tier,points,lang,consent_newsletter,consent_wall\n"
            "Ian Import,%s,Visit,Silver,300,en_US,yes,no\n"
            "Inès Import,%s,Live,,20,fr_FR,yes,yes\n" % (emails["en"], emails["fr"]))
    result = rpc("ambassador.import.job", "import_file",
                 base64.b64encode(text.encode()).decode(), "browser.csv",
                 dry_run=False, send_reconfirmation=True)
    assert result["errors"] == [] and result["state"] == "done", result
    found = {}
    for lang, email in emails.items():
        partner = rpc("res.partner", "search", [("email", "=", email)])
        mails = rpc("mail.mail", "search_read",
                    [("recipient_ids", "in", partner)], ["body_html"])
        match = re.search(r"/ambassadors/reconfirm\?token=([\w\-]+)",
                          mails[0]["body_html"])
        found[lang] = match.group(1)
    return found


def check_page(browser, lang, label):
    assert_accessible(browser, label="%s (%s)" % (label, lang))
    assert page_structure_problems(browser, lang) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reconfirm_page(browser, odoo_url, tokens, screenshot_dir, lang):
    url = "%s%s/ambassadors/reconfirm?token=%s" % (
        odoo_url, LANG_PREFIX[lang], tokens[lang])
    browser.get(url)
    form = wait_for(browser, "form.o_ambassador_reconfirm_form")
    check_page(browser, lang, "re-confirmation")
    shot(browser, screenshot_dir, "import_reconfirm_%s" % lang)
    # Every box has its label, the charter's is required.
    charter = browser.find_element(By.ID, "accept_charter")
    assert charter.get_attribute("required")
    for box in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        assert browser.find_element(
            By.CSS_SELECTOR, "label[for='%s']" % box.get_attribute("id"))
    # Sent without the charter (the browser's own check bypassed): said.
    browser.execute_script(
        "var form = document.querySelector('form.o_ambassador_reconfirm_form');"
        "form.noValidate = true; form.submit();")
    error = wait_for(browser, "#charter_error")
    assert error.text
    assert browser.find_element(By.ID, "accept_charter").get_attribute(
        "aria-describedby") == "charter_error"
    check_page(browser, lang, "re-confirmation with an error")
    shot(browser, screenshot_dir, "import_reconfirm_error_%s" % lang)
    browser.find_element(By.ID, "accept_charter").click()
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_reconfirm_button").click()
    wait_for(browser, ".o_ambassador_reconfirmed")
    check_page(browser, lang, "re-confirmed")
    shot(browser, screenshot_dir, "import_reconfirmed_%s" % lang)


@pytest.mark.parametrize("lang", ["en_US", "fr_FR"])
def test_import_job_form(browser, odoo_url, odoo_db, screenshot_dir, lang):
    """The staff's import screen: a refused file's report row by row, and a
    finished import's progress and counts."""
    from test_staff_browser import assert_no_cut_labels, login, open_backend
    from test_staff_browser import shot as staff_shot
    rpc = Rpc(odoo_url, odoo_db)
    admin = rpc("res.users", "read", [rpc.uid], ["lang"])[0]
    stamp = int(time.time() * 1000)
    refused = rpc("ambassador.import.job", "import_file", base64.b64encode((
        "name,email,segment,points\nGood,good.%d@example.org,Invest,5\n"
        "Bad,not-an-address,Nowhere,-3\n" % stamp).encode()).decode(),
        "refused.csv", dry_run=True)
    done = rpc("ambassador.import.job", "import_file", base64.b64encode((
        "name,email,segment,points\nJob Form,job.%d@example.org,Invest,5\n"
        % stamp).encode()).decode(), "done.csv", dry_run=False)
    assert refused["state"] == "failed" and done["state"] == "done"
    rpc("res.users", "write", [rpc.uid], {"lang": lang})
    try:
        login(browser, odoo_url, odoo_db)
        for name, job in (("refused", refused), ("done", done)):
            open_backend(browser, odoo_url, "id=%d&model=ambassador.import.job"
                         "&view_type=form" % job["job_id"])
            wait_for(browser, ".o_form_view .o_statusbar_status")
            assert_no_cut_labels(browser, "import job form (%s)" % name)
            staff_shot(browser, screenshot_dir, "import_job_%s_%s" % (name, lang))
        report = browser.find_element(
            By.CSS_SELECTOR, ".o_form_view .o_field_widget[name=progress]")
        assert report.is_displayed()
    finally:
        rpc("res.users", "write", [rpc.uid], {"lang": admin["lang"]})
