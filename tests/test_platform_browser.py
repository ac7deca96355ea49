"""The demo/test server renders styled pages in a real headless Chromium."""

import os

import pytest

STYLE_PROBE = """
const rules = Array.from(document.styleSheets).reduce((count, sheet) => {
    try { return count + sheet.cssRules.length; } catch (e) { return count; }
}, 0);
const body = getComputedStyle(document.body);
const container = document.querySelector('.container');
return {rules: rules, font: body.fontFamily,
        bootstrap: !!container && getComputedStyle(container).marginLeft !== '0px'};
"""


@pytest.mark.parametrize(
    "path,name",
    [("/web/login", "login"), ("/shop", "shop"), ("/event", "event")],
)
def test_page_is_styled(browser, odoo_url, odoo_db, screenshot_dir, path, name):
    browser.get("%s/web?db=%s" % (odoo_url, odoo_db))
    browser.get(odoo_url + path)
    assert "Internal Server Error" not in browser.page_source
    probe = browser.execute_script(STYLE_PROBE)
    target = os.path.join(screenshot_dir, "platform_%s.png" % name)
    browser.save_screenshot(target)
    # Unstyled pages have no CSS rules and the browser's default serif font.
    assert probe["rules"] > 500, probe
    assert "Times" not in probe["font"], probe
    assert probe["bootstrap"], probe
    assert os.path.getsize(target) > 10000
