"""Proof of consent in a real browser (issue 12): the profile shows each
consent's text next to its checkbox; a consent to re-confirm (here imported
from a former programme) is asked in the ambassador space, and the answer is
logged with the version and the text shown. axe-core's WCAG checks pass in
English and in French (records made over XML-RPC as admin)."""

from selenium.webdriver.common.by import By

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for

WALL = "ambassador_consent_wall"


def shot(browser, screenshot_dir, name):
    return full_page_shot(browser, screenshot_dir, "consent_" + name)


def import_legacy_wall(rpc, partner):
    """The wall consent as an import from a former programme records it: on,
    basis "legacy programme", to be re-confirmed. Only this ambassador's: the
    test publishes no new text (that would lapse everyone's consent in the
    database the other tests read; the lapse is tested in the addon's tests)."""
    rpc("res.partner", "write", [partner], {WALL: True},
        context={"ambassador_consent_reason": "Imported (browser test)"})
    rpc("ambassador.consent", "create", {
        "partner_id": partner, "purpose": "wall", "granted": True,
        "channel": "import", "legal_basis": "legacy"})


def test_reconfirm_a_consent_in_the_space(browser, odoo_url, odoo_db,
                                          screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    partner, login, password = make_ambassador(rpc, "consent-en")
    french, french_login, french_password = make_ambassador(
        rpc, "consent-fr", lang="fr_FR")
    import_legacy_wall(rpc, french)

    # A visitor reads each consent's text on the sign-up form.
    for prefix, lang in (("", "en"), ("/fr_FR", "fr")):
        browser.get(odoo_url + prefix + "/ambassadors/join/study")
        wait_for(browser, ".o_ambassador_consent_text")
        newsletter = browser.find_element(By.NAME, "ambassador_consent_newsletter")
        described = newsletter.get_attribute("aria-describedby")
        assert browser.find_element(By.ID, described).text
        shot(browser, screenshot_dir, "00_signup_texts_%s" % lang)
        assert_accessible(browser, label="sign-up with consent texts (%s)" % lang)
    browser.delete_all_cookies()  # the visit in French set the site's language

    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang").startswith("en")
    browser.get(odoo_url + "/my/ambassador/profile")
    form = wait_for(browser, "form.o_ambassador_consents")
    texts = form.find_elements(By.CSS_SELECTOR, ".o_ambassador_consent_text")
    assert texts and all(text.text for text in texts)
    checkbox = form.find_element(By.ID, WALL)
    assert "%s_text" % WALL in checkbox.get_attribute("aria-describedby")
    shot(browser, screenshot_dir, "01_profile_texts_en")
    assert_accessible(browser, label="profile with consent texts (en)")
    wall_text = rpc("ambassador.consent.purpose", "search_read",
                    [("purpose", "=", "wall"), ("state", "=", "published")],
                    fields=["text", "version"])[0]

    import_legacy_wall(rpc, partner)
    browser.get(odoo_url + "/my/ambassador")
    prompt = wait_for(browser, ".o_ambassador_consent_reconfirm")
    assert wall_text["text"] in prompt.text
    shot(browser, screenshot_dir, "02_reconfirm_prompt_en")
    assert_accessible(browser, label="space asking to re-confirm (en)")
    prompt.find_element(By.CSS_SELECTOR, ".o_ambassador_reconfirm_yes").click()
    wait_for(browser, ".o_ambassador_reconfirmed")
    assert not browser.find_elements(By.CSS_SELECTOR,
                                     ".o_ambassador_consent_reconfirm")
    shot(browser, screenshot_dir, "03_reconfirmed_en")
    assert_accessible(browser, label="space after re-confirming (en)")
    assert rpc("res.partner", "read", [partner], [WALL])[0][WALL]
    last = rpc("ambassador.consent", "search_read",
               [("partner_id", "=", partner), ("purpose", "=", "wall")],
               fields=["granted", "version", "text_shown", "channel"], limit=1)[0]
    assert (last["granted"], last["version"], last["text_shown"],
            last["channel"]) == (True, wall_text["version"], wall_text["text"],
                                 "portal")

    # In French: the prompt, then "No, thank you".
    browser.delete_all_cookies()
    log_in(browser, odoo_url, french_login, french_password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    browser.get(odoo_url + "/fr_FR/my/ambassador")
    prompt = wait_for(browser, ".o_ambassador_consent_reconfirm")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang").startswith("fr")
    shot(browser, screenshot_dir, "04_reconfirm_prompt_fr")
    assert_accessible(browser, label="space asking to re-confirm (fr)")
    prompt.find_element(By.CSS_SELECTOR, ".o_ambassador_reconfirm_no").click()
    wait_for(browser, ".o_ambassador_reconfirmed")
    assert not browser.find_elements(By.CSS_SELECTOR,
                                     ".o_ambassador_consent_reconfirm")
    assert not rpc("res.partner", "read", [french], [WALL])[0][WALL]
    browser.get(odoo_url + "/fr_FR/my/ambassador/profile")
    wait_for(browser, "form.o_ambassador_consents")
    shot(browser, screenshot_dir, "05_profile_texts_fr")
    assert_accessible(browser, label="profile with consent texts (fr)")
