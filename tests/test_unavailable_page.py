"""nginx's page for a server that does not answer (scripts/production/
unavailable.html, shown for 500/502/503/504) passes axe-core in both its
languages. Uses the browser, so it runs with the live repository tests (the
standalone ones start no browser)."""
import os

from selenium.webdriver.common.by import By

from axe_check import assert_accessible

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_unavailable_page_is_accessible(browser, screenshot_dir):
    """The English part is marked lang="en"."""
    browser.get("file://" + os.path.join(REPO_ROOT, "scripts", "production",
                                         "unavailable.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Service momentanément indisponible")
    assert_accessible(browser, include="html")
    browser.save_screenshot(os.path.join(screenshot_dir, "unavailable_page.png"))
