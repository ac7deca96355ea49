"""Keyboard-only journeys (RGAA 12, WCAG 2.1.1, 2.4.3, 2.4.7) in a real headless
Chromium: sign-up, confirmation, proof submission with a file (and its error
summary), directory search and an event registration, with Tab, Shift+Tab,
Enter, Space and the arrow keys only. At every step the focused element must
show a visible focus indicator and come after the previous one in the reading
order; each page starts with a "skip to content" link.

Records are made over XML-RPC as admin (tests/a11y_pages.py); elements are
found by their names and ids, not their texts."""
import os
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from a11y_pages import Odoo, confirmation_token, make_data, png_bytes, wait_for

_FOCUS_STATE = """
var element = document.activeElement, previous = arguments[0];
if (!element || element === document.body) { return {none: true}; }
var style = window.getComputedStyle(element);
var rect = element.getBoundingClientRect();
var outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
var shadow = style.boxShadow && style.boxShadow !== 'none';
return {
    tag: element.tagName.toLowerCase(),
    name: element.getAttribute('name') || element.id || element.getAttribute('href')
          || element.className,
    visible: (outline || shadow) && rect.width > 0 && rect.height > 0,
    after: !previous || previous === element
           || !!(previous.compareDocumentPosition(element)
                 & Node.DOCUMENT_POSITION_FOLLOWING)
           || !document.contains(previous),
    element: element
};
"""


class Keyboard(object):
    """Tab through a page, checking visible focus and reading order."""

    def __init__(self, browser):
        self.browser = browser
        self.previous = None
        self.visited = []

    def reset(self):
        self.previous = None

    def press(self, *keys):
        # Keys go to whatever has the focus (an element's send_keys would
        # first move the focus to that element).
        ActionChains(self.browser).send_keys(*keys).perform()

    def focus_state(self):
        state = self.browser.execute_script(_FOCUS_STATE, self.previous)
        assert not state.get("none"), "nothing has the focus on %s" % (
            self.browser.current_url)
        assert state["visible"], "focus not visible on <%s %s> at %s" % (
            state["tag"], state["name"], self.browser.current_url)
        return state

    def tab_to(self, selector, limit=120):
        """Press Tab until the element ``selector`` has the focus."""
        target = wait_for(self.browser, selector)
        if self.browser.switch_to.active_element == target:  # autofocus
            self.previous = target
            return target
        for _step in range(limit):
            self.press(Keys.TAB)
            state = self.focus_state()
            assert state["after"], "focus went back to <%s %s> at %s" % (
                state["tag"], state["name"], self.browser.current_url)
            self.previous = state["element"]
            self.visited.append(state["name"])
            if state["element"] == target:
                return target
        raise AssertionError("%s not reached with Tab on %s (visited: %s)" % (
            selector, self.browser.current_url, self.visited[-limit:]))

    def skip_to_content(self):
        """The first Tab of a page just opened reaches the skip link; Enter
        moves the focus to the main content."""
        self.reset()
        self.press(Keys.TAB)
        link = self.browser.switch_to.active_element
        assert "o_ambassador_skip_link" in (link.get_attribute("class") or ""), (
            "first Tab on %s reached %s" % (self.browser.current_url,
                                            link.get_attribute("outerHTML")[:120]))
        self.focus_state()
        self.press(Keys.ENTER)
        main = self.browser.switch_to.active_element
        assert main.get_attribute("id") == "o_main_content", main.tag_name
        self.previous = main


def open_page(browser, url):
    browser.get(url)
    wait_for(browser, "#o_main_content")


@pytest.fixture(scope="module")
def data(odoo_url, odoo_db):
    records = make_data(Odoo(odoo_url, odoo_db))
    yield records
    records["restore"]()


def keyboard_login(browser, keys, odoo_url, odoo_db, user):
    browser.get("%s/web/login?db=%s" % (odoo_url, odoo_db))
    wait_for(browser, "input[name=login]")
    keys.reset()
    keys.tab_to("input[name=login]")
    keys.press(user["login"])
    keys.tab_to("input[name=password]")
    keys.press(user["password"], Keys.ENTER)
    wait_for(browser, "#o_main_content")
    assert "/web/login" not in browser.current_url


def test_signup_and_confirmation_with_the_keyboard(browser, odoo_url, odoo_db,
                                                   data, screenshot_dir):
    keys = Keyboard(browser)
    open_page(browser, odoo_url + "/ambassadors")
    keys.skip_to_content()
    keys.tab_to("a[href='/ambassadors/join/study']")
    browser.save_screenshot(os.path.join(screenshot_dir, "keyboard_01_programme.png"))
    keys.press(Keys.ENTER)
    form = wait_for(browser, "form.o_ambassador_signup_form")
    keys.skip_to_content()
    email = "a11y.keyboard.%s.%d@example.com" % (data["tag"], time.time() * 1000)
    keys.tab_to("form.o_ambassador_signup_form [name=name]")
    keys.press("Ada Keyboard")
    keys.tab_to("form.o_ambassador_signup_form [name=email]")
    keys.press(email)
    for field in form.find_elements(
            By.CSS_SELECTOR, "input[type=text][required], textarea[required], "
                             "select[required]"):
        if field.get_attribute("value"):
            continue
        keys.tab_to("form.o_ambassador_signup_form [name='%s']"
                    % field.get_attribute("name"))
        if field.tag_name == "select":
            keys.press(Keys.ARROW_DOWN)
        else:
            keys.press("Glaciology")
    keys.tab_to("form.o_ambassador_signup_form [name=charter_accepted]")
    keys.press(Keys.SPACE)
    assert browser.switch_to.active_element.is_selected()
    browser.save_screenshot(os.path.join(screenshot_dir, "keyboard_02_signup.png"))
    keys.tab_to(".o_ambassador_signup_submit")
    keys.press(Keys.ENTER)
    wait_for(browser, ".o_ambassador_signup_done")

    open_page(browser, odoo_url + confirmation_token(data["odoo"], email))
    keys.skip_to_content()
    keys.tab_to(".o_ambassador_confirm_button")
    keys.press(Keys.ENTER)
    wait_for(browser, ".o_ambassador_confirmed")
    keys.skip_to_content()
    keys.tab_to(".o_ambassador_set_password")
    state = data["odoo"]("res.partner", "search_read", [("email", "=", email)],
                         fields=["ambassador_state"])
    assert state[0]["ambassador_state"] == "active", state


def test_signup_errors_summary_with_the_keyboard(browser, odoo_url, data):
    keys = Keyboard(browser)
    open_page(browser, odoo_url + "/ambassadors/join/study")
    browser.execute_script(
        "document.querySelector('form.o_ambassador_signup_form').noValidate = true;")
    keys.skip_to_content()
    keys.tab_to("form.o_ambassador_signup_form [name=name]")
    keys.press("Ada")
    keys.tab_to(".o_ambassador_signup_submit")
    keys.press(Keys.ENTER)
    summary = wait_for(browser, ".o_ambassador_error_summary")
    # The summary takes the focus; each error links to its field, and the
    # field names its message with aria-describedby.
    assert browser.switch_to.active_element == summary
    links = summary.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    assert links, summary.get_attribute("outerHTML")
    for link in links:
        field = browser.find_element(By.ID, link.get_attribute("hash")[1:])
        described = (field.get_attribute("aria-describedby") or "").split()
        assert any(browser.find_elements(By.ID, ref) for ref in described), (
            field.get_attribute("outerHTML"))
        assert field.get_attribute("aria-invalid") == "true"
    keys.reset()
    keys.previous = summary
    keys.tab_to(".o_ambassador_error_summary a[href^='#']")
    target = links[0].get_attribute("hash")[1:]
    keys.press(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == target
    # What was typed is still there.
    assert browser.find_element(By.NAME, "name").get_attribute("value") == "Ada"


def test_proof_with_a_file_with_the_keyboard(browser, odoo_url, odoo_db, data,
                                             screenshot_dir, tmp_path):
    keys = Keyboard(browser)
    user = data["users"]["silver"]
    keyboard_login(browser, keys, odoo_url, odoo_db, user)
    open_page(browser, odoo_url + "/my/ambassador/proofs/new")
    keys.skip_to_content()
    keys.tab_to("#rule_id")
    # Down to the first action that is not a press mention (those need more).
    for _step in range(30):
        keys.press(Keys.ARROW_DOWN)
        if browser.execute_script(
                "var s = document.getElementById('rule_id');"
                "var o = s.options[s.selectedIndex];"
                "return o.value && o.getAttribute('data-press') === '0';"):
            break
    assert browser.find_element(By.ID, "rule_id").get_attribute("value")
    keys.tab_to("#name")
    keys.press("Stand at the trade fair")
    keys.tab_to("#description")
    keys.press("Two days presenting the territory.")
    keys.tab_to("#files")
    picture = tmp_path / "stand.png"
    picture.write_bytes(png_bytes())
    # The file chooser is the system's: the path is typed into the input.
    browser.switch_to.active_element.send_keys(str(picture))
    browser.save_screenshot(os.path.join(screenshot_dir, "keyboard_03_proof.png"))
    keys.tab_to(".o_ambassador_proof_submit")
    keys.press(Keys.ENTER)
    wait_for(browser, ".o_ambassador_proof_sent, .o_ambassador_error_summary")
    errors = browser.find_elements(By.CSS_SELECTOR, ".o_ambassador_error_summary")
    assert not errors, errors[0].text
    proofs = data["odoo"]("ambassador.proof", "search_read",
                          [("partner_id", "=", user["partner"]),
                           ("name", "=", "Stand at the trade fair")],
                          fields=["attachment_ids"])
    assert len(proofs) == 1 and len(proofs[0]["attachment_ids"]) == 1, proofs


def test_directory_search_with_the_keyboard(browser, odoo_url, odoo_db, data):
    keys = Keyboard(browser)
    keyboard_login(browser, keys, odoo_url, odoo_db, data["users"]["silver"])
    open_page(browser, odoo_url + "/my/ambassador/directory")
    keys.skip_to_content()
    keys.tab_to("#directory_search")
    keys.press("A11y", Keys.ENTER)
    wait_for(browser, "#directory_search")
    assert "search=A11y" in browser.current_url
    assert browser.find_element(
        By.ID, "directory_search").get_attribute("value") == "A11y"


def test_event_registration_with_the_keyboard(browser, odoo_url, odoo_db, data,
                                              screenshot_dir):
    keys = Keyboard(browser)
    user = data["users"]["silver"]
    keyboard_login(browser, keys, odoo_url, odoo_db, user)
    open_page(browser, "%s/event/%d/register" % (odoo_url, data["event"]))
    wait_for(browser, ".ambassador_event_reserved")
    keys.skip_to_content()
    keys.tab_to("select[name='nb_register-0']")
    assert browser.find_element(
        By.NAME, "nb_register-0").get_attribute("value") == "1"
    keys.tab_to("form[action$='/registration/new'] button[type=submit]")
    keys.press(Keys.ENTER)
    wait_for(browser, "#modal_attendees_registration input[name='1-name']")
    time.sleep(1)  # the dialog's fade-in
    keys.reset()
    keys.tab_to("#modal_attendees_registration input[name='1-name']", limit=10)
    keys.press("Silver Keyboard")
    keys.tab_to("#modal_attendees_registration input[name='1-email']", limit=5)
    keys.press(user["login"])
    browser.save_screenshot(os.path.join(screenshot_dir, "keyboard_04_event.png"))
    keys.tab_to("#modal_attendees_registration button[type=submit]", limit=10)
    keys.press(Keys.ENTER)
    wait_for(browser, "#o_main_content")
    registrations = data["odoo"]("event.registration", "search_count",
                                 [("event_id", "=", data["event"]),
                                  ("email", "=", user["login"])])
    assert registrations == 1
