"""WCAG 2.1 A/AA (RGAA 4.1) in a real headless Chromium: every public and portal
page of the addon, in English and in French, for a visitor, an Ivory and a
Silver ambassador, has zero axe-core violations (rules wcag2a, wcag2aa,
wcag21a, wcag21aa) in the content the addon renders, the page's language, a
unique title, one h1, headings in order and a "skip to content" link first.
A failure lists each rule, element and the fix axe suggests.

The same pages, with a count per page: ``python tests/axe_report.py``."""
import re

import pytest
from selenium.webdriver.common.by import By

from a11y_pages import KINDS, LANGS, Odoo, check_pages, login, make_data, wait_for
from axe_check import format_violations

# The same page in another state (after a failed submit, with a search):
# its title is the page's own.
SAME_PAGE_AS = {"signup_errors": "signup_study", "proof_errors": "proof_form",
                "directory_search": "directory"}


@pytest.fixture(scope="module")
def data(odoo_url, odoo_db):
    records = make_data(Odoo(odoo_url, odoo_db))
    yield records
    records["restore"]()


@pytest.mark.parametrize("lang", sorted(LANGS))
@pytest.mark.parametrize("kind", KINDS)
def test_pages_accessible(browser, odoo_url, odoo_db, data, kind, lang):
    results = check_pages(browser, odoo_url, odoo_db, data, kind, lang)
    report, titles = [], {}
    for name, url, violations, structure, title in results:
        if violations:
            report.append("%s (%s):\n%s" % (name, url, format_violations(violations)))
        if structure:
            report.append("%s (%s): %s" % (name, url, "; ".join(structure)))
        if name not in SAME_PAGE_AS:
            titles.setdefault(title, []).append(name)
    shared = {title: names for title, names in titles.items() if len(names) > 1
              and set(names) & {"programme", "wall", "accessibility", "space",
                                "proof_form", "documents", "directory"}}
    if shared:
        report.append("pages sharing a <title>: %s" % shared)
    assert not report, "%s, %s:\n%s" % (lang, kind, "\n".join(report))
    assert len(results) >= 11


def test_error_summary_and_progress(browser, odoo_url, odoo_db, data):
    """The proof form's errors: a summary at the top with a link per field,
    focused; each field tied to its message; the progress towards the next
    tier named by the sentence that says it."""
    login(browser, odoo_url, odoo_db, data["users"]["ivory"])
    browser.get(odoo_url + "/fr_FR/my/ambassador/proofs/new")
    wait_for(browser, "form.o_ambassador_proof_form")
    assert browser.find_element(By.CSS_SELECTOR, ".o_ambassador_required_note")
    browser.execute_script(
        "var form = document.querySelector('form.o_ambassador_proof_form');"
        "form.noValidate = true; form.submit();")
    summary = wait_for(browser, ".o_ambassador_error_summary")
    assert browser.switch_to.active_element == summary
    hrefs = [link.get_attribute("hash") for link in
             summary.find_elements(By.CSS_SELECTOR, "a")]
    assert "#rule_id" in hrefs and "#name" in hrefs, hrefs
    for field_id in ("rule_id", "name"):
        field = browser.find_element(By.ID, field_id)
        assert field.get_attribute("aria-describedby") == "%s_error" % field_id
        assert browser.find_element(By.ID, "%s_error" % field_id).text
    assert browser.find_element(By.ID, "files").get_attribute(
        "aria-describedby") == "files_help"

    browser.get(odoo_url + "/my/ambassador")
    bar = wait_for(browser, "[role=progressbar]")
    # Its accessible name (aria-label, or the sentence aria-labelledby names)
    # says towards what; its value is given even at 0 (QWeb drops an integer
    # attribute of value 0: the template writes it as text).
    labelledby = bar.get_attribute("aria-labelledby")
    name = (browser.find_element(By.ID, labelledby).text if labelledby
            else bar.get_attribute("aria-label"))
    assert name and name.strip(), "the progress bar has no accessible name"
    assert re.match(r"\d+$", bar.get_attribute("aria-valuenow") or ""), \
        bar.get_attribute("aria-valuenow")


def test_documents_alternative_format_and_size(browser, odoo_url, odoo_db, data):
    """An image document shows the text alternative staff entered; its
    download says the format and size."""
    login(browser, odoo_url, odoo_db, data["users"]["silver"])
    browser.get(odoo_url + "/my/ambassador/documents")
    wait_for(browser, ".o_ambassador_documents")
    link = browser.find_element(
        By.CSS_SELECTOR, "a[href='/my/ambassador/documents/%d/download']"
        % data["document"])
    assert re.search(r"\(PNG, \d+ bytes\)", link.text), link.text
    image = browser.find_element(
        By.CSS_SELECTOR, "img[src*='/ambassador.document/%d/']" % data["document"])
    assert image.get_attribute("alt") == \
        "The lake at dawn, the city's towers behind it"
    assert browser.execute_script("return arguments[0].naturalWidth", image) > 0


def test_statement_shows_the_settings(browser, odoo_url, odoo_db, data):
    odoo = data["odoo"]
    values = {"a11y_conformity": "partial", "a11y_rate": "87",
              "a11y_audit_date": "2026-10-15", "a11y_auditor": "Access Audit Ltd",
              "a11y_contact_email": "access@example.org",
              "a11y_non_compliant": "Maps of the events have no text version."}
    old = {}
    for key, value in values.items():
        name = "ambassador_program.%s" % key
        old[name] = odoo("ir.config_parameter", "get_param", name)
        odoo("ir.config_parameter", "set_param", name, value)
    try:
        browser.get(odoo_url + "/fr_FR/ambassadors/accessibility")
        page = wait_for(browser, ".o_ambassador_accessibility")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute(
            "lang") == "fr-FR"
        assert "15/10/2026" in page.text and "87" in page.text
        assert "Access Audit Ltd" in page.text
        assert "Maps of the events have no text version." in page.text
        assert page.find_element(By.CSS_SELECTOR, ".o_ambassador_a11y_email").text \
            == "access@example.org"
    finally:
        for name, value in old.items():
            odoo("ir.config_parameter", "set_param", name, value or False)
