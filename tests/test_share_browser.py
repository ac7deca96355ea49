"""An ambassador takes a share mission in its space, follows it to the
mission's share kit, copies its personal link and shares it; a visitor
follows the link and the click is counted to that ambassador (issue 14).
The pages pass axe-core's WCAG checks in English and in French (real
headless Chromium; records made over XML-RPC as admin)."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from axe_check import assert_accessible
from test_space_browser import ensure_french, log_in, make_ambassador
from test_website_browser import Rpc, full_page_shot, wait_for


def make_kit(rpc, odoo_url, suffix):
    """An open mission for every segment with a kit whose page is the
    programme's own (the visitor's redirect stays on the test server)."""
    mission = rpc("ambassador.mission", "create", {
        "name": "Share the browser fair %s" % suffix, "state": "open",
        "points": 5, "proof_method": "share",
        # "today" is the user's day, which may not be UTC's.
        "date_start": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))})
    photo = rpc("ir.model.data", "xmlid_to_res_id",
                "ambassador_program.document_photo_old_town_dusk")
    values = {
        "name": "Browser fair %s" % suffix, "mission_id": mission,
        "url": "%s/ambassadors?from=share-%s" % (odoo_url, suffix),
        "text_linkedin": "Meet the territory at the fair.",
        "text_x": "Come to the fair!", "text_facebook": "The fair is on.",
        "text_whatsapp": "Look at this fair:", "email_subject": "The fair",
        "text_email": "Hello, the fair is here:"}
    if photo:
        values["document_id"] = photo
    return rpc("ambassador.share.kit", "create", values)


def clicks_of(rpc, partner, kit):
    return rpc("ambassador.share.click.report", "search_count",
               [("partner_id", "=", partner), ("kit_id", "=", kit)])


def test_ambassador_shares_its_link_and_the_click_is_counted(
        browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    suffix = "en%d" % int(time.time() * 1000)
    partner, login, password = make_ambassador(rpc, "share-en")
    kit = make_kit(rpc, odoo_url, suffix)
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    # From the space's navigation to the list, then the kit.
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_nav a[href='/my/ambassador/share']").click()
    wait_for(browser, ".o_ambassador_share_kits")
    assert browser.find_elements(
        By.CSS_SELECTOR, "a[href='/my/ambassador/share/%d']" % kit)
    # The mission first: the ambassador takes it, and its page leads to the kit.
    mission = rpc("ambassador.share.kit", "read", [kit], ["mission_id"])[0][
        "mission_id"][0]
    browser.get("%s/my/ambassador/missions/%d" % (odoo_url, mission))
    wait_for(browser, ".o_ambassador_mission_take").click()
    wait_for(browser, ".o_ambassador_mission_taken")
    assert rpc("ambassador.mission.participation", "search_count",
               [("mission_id", "=", mission), ("partner_id", "=", partner)]) == 1
    browser.find_element(
        By.CSS_SELECTOR, ".o_ambassador_mission_share_kits "
        "a[href='/my/ambassador/share/%d']" % kit).click()
    field = wait_for(browser, "#share_link")
    short_url = field.get_attribute("value")
    assert "/r/" in short_url, short_url
    assert_accessible(browser, include="main")
    full_page_shot(browser, screenshot_dir, "share_01_kit_en")
    # Plain links to the networks, each carrying the personal link.
    hrefs = [a.get_attribute("href") for a in browser.find_elements(
        By.CSS_SELECTOR, "a.o_ambassador_share_button")]
    assert len(hrefs) == 5, hrefs
    for prefix in ("https://www.linkedin.com/sharing/share-offsite/",
                   "https://twitter.com/intent/tweet",
                   "https://www.facebook.com/sharer/",
                   "https://wa.me/", "mailto:"):
        assert any(h.startswith(prefix) for h in hrefs), (prefix, hrefs)
    scripts = [s.get_attribute("src") for s in browser.find_elements(
        By.CSS_SELECTOR, "script[src]")]
    assert all(src.startswith(odoo_url) for src in scripts), scripts
    # Copy: the live region says what happened (copied, or selected to copy).
    browser.find_element(By.CSS_SELECTOR, "button[data-copy='share_link']").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(
        By.ID, "share_copy_status").text.strip())
    assert clicks_of(rpc, partner, kit) == 0
    # A visitor (another browser session) follows the shared link.
    browser.delete_all_cookies()
    code = short_url.rsplit("/r/", 1)[1]
    browser.get("%s/r/%s" % (odoo_url, code))
    WebDriverWait(browser, 30).until(lambda d: "/ambassadors" in d.current_url)
    assert "utm_source=ambassador-%d" % partner in browser.current_url
    assert clicks_of(rpc, partner, kit) == 1
    browser.get("%s/r/%s" % (odoo_url, code))  # the same visitor again
    assert clicks_of(rpc, partner, kit) == 1
    # Back in the space, the ambassador sees its visitor.
    log_in(browser, odoo_url, login, password)
    wait_for(browser, ".o_ambassador_status")
    browser.get("%s/my/ambassador/share/%d" % (odoo_url, kit))
    assert wait_for(browser, ".o_ambassador_share_clicks").text == "1"


def test_share_page_in_french_is_accessible(browser, odoo_url, odoo_db, screenshot_dir):
    rpc = Rpc(odoo_url, odoo_db)
    ensure_french(rpc)
    suffix = "fr%d" % int(time.time() * 1000)
    partner, login, password = make_ambassador(rpc, "share-fr", lang="fr_FR")
    kit = make_kit(rpc, odoo_url, suffix)
    log_in(browser, odoo_url, login, password, prefix="/fr_FR")
    wait_for(browser, ".o_ambassador_status")
    browser.get("%s/fr_FR/my/ambassador/share" % odoo_url)
    wait_for(browser, ".o_ambassador_share_kits")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr-FR"
    assert_accessible(browser, include="main")
    browser.get("%s/fr_FR/my/ambassador/share/%d" % (odoo_url, kit))
    wait_for(browser, "#share_link")
    assert_accessible(browser, include="main")
    full_page_shot(browser, screenshot_dir, "share_02_kit_fr")
    assert partner
