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
