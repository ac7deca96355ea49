"""The pages of the addon the accessibility checks visit, and the records they
need, made over XML-RPC as admin (shared by tests/test_accessibility_browser.py,
tests/test_keyboard_browser.py and tests/axe_report.py).

Pages are reached by stable URLs; forms are filled by the names of their
inputs, never by texts, so that the checks hold while the pages are reworked
and once they are translated."""
import base64
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from axe_check import axe_violations, page_structure_problems
from test_website_browser import (  # noqa: F401 (login, png_bytes: for the tests)
    Rpc, login, png_bytes, wait_for)

# English is the website's default language (no prefix); French has one.
LANGS = {"en": "", "fr": "/fr_FR"}
KINDS = ("visitor", "ivory", "silver")
PASSWORD = "A11y-Pass-2026"


# XML-RPC as admin, the way an integrator would (the shared client).
Odoo = Rpc


def make_data(odoo):
    """Ambassadors (Ivory, Silver), a document with an image, a reserved event
    and a collector goodie; the sign-up rate limit raised for the run (the
    returned ``restore`` puts it back)."""
    tag = "%d" % (time.time() * 1000)
    if not odoo("ambassador.charter", "search", [("state", "=", "published")]):
        charter = odoo("ambassador.charter", "create", {
            "name": "Ambassadors' charter", "version": "a11y-%s" % tag,
            "content": "<p>I promote the territory.</p>"})
        odoo("ambassador.charter", "action_publish", [charter])
    invest = odoo.ref("ambassador_program.segment_invest")
    silver = odoo.ref("ambassador_program.tier_silver")
    portal = odoo.ref("base.group_portal")
    users = {}
    for key, points in (("silver", 20), ("ivory", 0)):
        email = "a11y.%s.%s@example.com" % (key, tag)
        partner = odoo("res.partner", "create", {
            "name": "%s A11y %s" % (key.capitalize(), tag), "email": email,
            "lang": "en_US", "city": "Lyon",
            "ambassador_state": "active", "ambassador_segment_id": invest})
        if points:
            odoo("ambassador.point.transaction", "create",
                 {"partner_id": partner, "points": points, "origin": "manual"})
        odoo("res.users", "create", {
            "name": "%s A11y %s" % (key.capitalize(), tag), "login": email,
            "password": PASSWORD, "partner_id": partner, "lang": "en_US",
            "groups_id": [(6, 0, [portal])]})
        users[key] = {"login": email, "password": PASSWORD, "partner": partner}
    odoo("ir.cron", "method_direct_trigger",
         [odoo.ref("ambassador_program.cron_check_balances")])
    tier = odoo("res.partner", "read", [users["silver"]["partner"]],
                ["ambassador_tier_id"])[0]["ambassador_tier_id"]
    assert tier and tier[0] == silver, tier
    document = odoo("ambassador.document", "create", {
        "name": "Territory poster %s" % tag, "description": "For your stands.",
        "file": base64.b64encode(png_bytes(40, 20)).decode(), "file_name": "poster.png",
        "alt_text": "The lake at dawn, the city's towers behind it"})
    event = odoo("event.event", "create", {
        "name": "Ambassadors' evening %s" % tag, "website_published": True,
        "date_begin": time.strftime("%Y-%m-%d 18:00:00",
                                    time.gmtime(time.time() + 30 * 86400)),
        "date_end": time.strftime("%Y-%m-%d 21:00:00",
                                  time.gmtime(time.time() + 30 * 86400)),
        "ambassador_restricted": True, "ambassador_min_tier_id": silver})
    odoo("event.event", "write", [event], {"state": "confirm"})  # registration open
    goodies = odoo("product.public.category", "search",
                   [("name", "=", "Ambassador goodies")], limit=1)
    product = odoo("product.template", "create", {
        "name": "Collector lantern %s" % tag, "list_price": 50.0, "sale_ok": True,
        "website_published": True, "type": "consu",
        "public_categ_ids": [(6, 0, goodies)], "ambassador_min_tier_id": silver})

    data_variant = odoo("product.product", "search",
                        [("product_tmpl_id", "=", product)], limit=1)[0]

    # Last, once nothing else can fail: the caller restores them.
    params = {}
    for key in ("signup_rate_limit", "signup_address_limit"):
        name = "ambassador_program.%s" % key
        params[name] = odoo("ir.config_parameter", "get_param", name)
        odoo("ir.config_parameter", "set_param", name, "100000")

    def restore():
        # The sign-ups of the run leave the hourly quota of this machine's
        # network to the tests that follow.
        requests = odoo("ambassador.signup.request", "search",
                        [("email", "like", "a11y.%%.%s.%%" % tag)])
        if requests:
            odoo("ambassador.signup.request", "unlink", requests)
        for name, value in params.items():
            # False deletes the parameter: back to the default.
            odoo("ir.config_parameter", "set_param", name, value or False)

    return {"odoo": odoo, "tag": tag, "users": users, "document": document,
            "event": event, "product": product, "variant": data_variant,
            "restore": restore}


def submit_without_browser_checks(browser, selector):
    """Post a form as it is, past the browser's own required-field checks, to
    get the server's error summary."""
    browser.execute_script(
        "var form = document.querySelector(arguments[0]);"
        "form.noValidate = true; form.submit();", selector)


# ----------------------------------------------------------------------
# The pages: (name, action); the action brings the browser onto the page.
# ----------------------------------------------------------------------
def _get(path):
    def action(browser, base, data):
        browser.get(base + path(data) if callable(path) else base + path)
    return action


def _signup_errors(browser, base, data):
    browser.get(base + "/ambassadors/join/study")
    wait_for(browser, "form.o_ambassador_signup_form")
    submit_without_browser_checks(browser, "form.o_ambassador_signup_form")
    wait_for(browser, ".o_ambassador_error_summary")


def signup(browser, base, data, email):
    browser.get(base + "/ambassadors/join/invest")
    form = wait_for(browser, "form.o_ambassador_signup_form")
    form.find_element(By.NAME, "email").send_keys(email)
    for field in form.find_elements(
            By.CSS_SELECTOR, "input[type=text][required], textarea[required]"):
        field.send_keys("Ada A11y")
    for select in form.find_elements(By.CSS_SELECTOR, "select[required]"):
        browser.execute_script(
            "arguments[0].selectedIndex = arguments[0].options.length - 1;", select)
    for box in form.find_elements(By.NAME, "charter_accepted"):
        box.click()
    form.find_element(By.CSS_SELECTOR, ".o_ambassador_signup_submit").click()
    wait_for(browser, ".o_ambassador_signup_done")


def confirmation_token(odoo, email):
    partner = odoo("res.partner", "search", [("email", "=", email)])
    assert partner, email
    mails = odoo("mail.mail", "search_read", [("recipient_ids", "in", partner)],
                 fields=["body_html"])
    for mail in mails:
        match = re.search(r"/ambassadors/confirm\?token=[\w\-]+", mail["body_html"])
        if match:
            return match.group(0)
    raise AssertionError("no confirmation e-mail to %s" % email)


def _signup_done(browser, base, data):
    email = "a11y.signup.%s.%d@example.com" % (data["tag"], time.time() * 1000)
    data["signup_email"] = email
    signup(browser, base, data, email)


def _confirm(browser, base, data):
    browser.get(base + confirmation_token(data["odoo"], data["signup_email"]))
    wait_for(browser, ".o_ambassador_confirm_button")


def _confirmed(browser, base, data):
    browser.find_element(By.CSS_SELECTOR, ".o_ambassador_confirm_button").click()
    wait_for(browser, ".o_ambassador_confirmed")


def _proof_errors(browser, base, data):
    browser.get(base + "/my/ambassador/proofs/new")
    wait_for(browser, "form.o_ambassador_proof_form")
    submit_without_browser_checks(browser, "form.o_ambassador_proof_form")
    wait_for(browser, ".o_ambassador_error_summary")


def post_form(browser, base, path, values):
    """POST a form to ``path`` as a page of the site would (with the page's
    CSRF token): the refusal pages answer such POSTs only."""
    browser.get(base + "/ambassadors")
    wait_for(browser, "#o_main_content")
    browser.execute_script("""
        var form = document.createElement('form'), values = arguments[1];
        form.method = 'post'; form.action = arguments[0];
        values.csrf_token = odoo.csrf_token;
        Object.keys(values).forEach(function (name) {
            var input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = values[name];
            form.appendChild(input);
        });
        document.body.appendChild(form); form.submit();""", base + path, values)


def _shop_refused(browser, base, data):
    post_form(browser, base, "/shop/cart/update",
              {"product_id": str(data["variant"]), "add_qty": "1"})
    wait_for(browser, ".ambassador_shop_refusal")


def _event_refused(browser, base, data):
    post_form(browser, base, "/event/%d/registration/confirm" % data["event"],
              {"1-name": "Ivory A11y", "1-email": data["users"]["ivory"]["login"]})
    wait_for(browser, ".ambassador_event_refusal")


# Where the addon renders the whole content, the check covers ``main``; on
# Odoo's own pages (event, shop, portal home) only what the addon adds there,
# and the page structure (h1, heading order) is Odoo's.
MAIN = "main"
EVENT_ADDITIONS = ".ambassador_event_reserved, .ambassador_event_refusal"


class Page(object):
    """A page: its name, how to reach it, what shows it is the page meant
    (not an error page), who sees it. On Odoo's own pages (``ours=False``)
    only what the addon adds (``expect``) is checked."""

    def __init__(self, name, action, expect, kinds=KINDS, ours=True):
        self.name, self.action, self.expect, self.kinds = name, action, expect, kinds
        self.include = MAIN if ours else expect
        self.structure = ours


AMBASSADORS = ("ivory", "silver")
VISITOR = ("visitor",)
# The directory, or the page saying why it is closed (Ivory) and how far.
DIRECTORY = ("form[action='/my/ambassador/directory'], .o_ambassador_message, "
             ".o_ambassador_directory_closed")
PAGES = [
    Page("programme", _get("/ambassadors"), ".o_ambassadors_page"),
    Page("wall", _get("/ambassadors/wall"), ".o_ambassador_wall"),
    Page("accessibility", _get("/ambassadors/accessibility"),
         ".o_ambassador_accessibility"),
    # An ambassador asking to join is taken to its space: visitors only.
    Page("unknown_segment", _get("/ambassadors/join/nowhere"),
         ".o_ambassador_message", kinds=VISITOR),
    Page("event", _get(lambda data: "/event/%d/register" % data["event"]),
         EVENT_ADDITIONS, ours=False),
    Page("shop_refused", _shop_refused, ".ambassador_shop_refusal",
         kinds=("ivory",)),
    Page("event_refused", _event_refused, ".ambassador_event_refusal",
         kinds=("ivory",)),
    Page("shop_collector", _get(lambda data: "/shop?search=%s" % data["tag"]),
         ".ambassador_collector", kinds=("silver",), ours=False),
] + [
    Page("signup_%s" % code, _get("/ambassadors/join/%s" % code),
         "form.o_ambassador_signup_form", kinds=VISITOR)
    for code in ("invest", "study", "visit", "live")
] + [
    # A referral link (its code unknown here: the page shows no inviter).
    Page("referral_link", _get("/ambassadors/join?ref=unknown-code"),
         ".o_ambassador_referral_landing", kinds=VISITOR),
    Page("signup_errors", _signup_errors, ".o_ambassador_error_summary",
         kinds=VISITOR),
    Page("signup_done", _signup_done, ".o_ambassador_signup_done", kinds=VISITOR),
    Page("confirm", _confirm, ".o_ambassador_confirm_form", kinds=VISITOR),
    Page("confirmed", _confirmed, ".o_ambassador_confirmed", kinds=VISITOR),
    Page("my_home", _get("/my/home"), ".o_portal_my_ambassador",
         kinds=AMBASSADORS, ours=False),
    Page("space", _get("/my/ambassador"), ".o_ambassador_status",
         kinds=AMBASSADORS),
    Page("proof_form", _get("/my/ambassador/proofs/new"),
         "form.o_ambassador_proof_form", kinds=AMBASSADORS),
    Page("proof_errors", _proof_errors, ".o_ambassador_error_summary",
         kinds=AMBASSADORS),
    Page("documents", _get("/my/ambassador/documents"), ".o_ambassador_documents",
         kinds=AMBASSADORS),
    Page("directory", _get("/my/ambassador/directory"), DIRECTORY,
         kinds=AMBASSADORS),
    Page("directory_search", _get("/my/ambassador/directory?search=A11y"),
         DIRECTORY, kinds=AMBASSADORS),
    Page("privacy", _get("/my/ambassador/privacy"), ".o_ambassador_privacy_json",
         kinds=AMBASSADORS),
    Page("privacy_export", _get("/my/ambassador/privacy/export.html"),
         ".o_ambassador_export", kinds=AMBASSADORS),
    Page("privacy_erase", _get("/my/ambassador/privacy/erase"),
         "form.o_ambassador_erase_form", kinds=AMBASSADORS),
    # Recognition (issue 14): not joined yet, the page offers to join.
    Page("leaderboard", _get("/my/ambassador/leaderboard"),
         ".o_ambassador_leaderboard_join", kinds=AMBASSADORS),
    # Outcomes (issue 15): none attributed yet (tests/test_outcomes_browser.py
    # checks the page with its table).
    Page("outcomes", _get("/my/ambassador/outcomes"),
         ".o_ambassador_outcomes_none", kinds=AMBASSADORS),
    # Introductions (issue 15): the list and the settings (the request form
    # and an answer: tests/test_introductions_browser.py).
    Page("introductions", _get("/my/ambassador/introductions"),
         ".o_ambassador_intro_settings_link", kinds=AMBASSADORS),
    Page("introduction_settings", _get("/my/ambassador/introductions/settings"),
         "form.o_ambassador_intro_settings", kinds=AMBASSADORS),
]


def pages_for(kind):
    return [page for page in PAGES if kind in page.kinds]


def check_pages(browser, odoo_url, odoo_db, data, kind, lang):
    """Visit every page of ``kind`` in ``lang``; return a list of
    (page name, url, axe violations, structure problems, title)."""
    if kind != "visitor":
        login(browser, odoo_url, odoo_db, data["users"][kind])
    base = odoo_url + LANGS[lang]
    results = []
    for page in pages_for(kind):
        page.action(browser, base, data)
        WebDriverWait(browser, 30).until(
            lambda driver: driver.execute_script("return document.readyState")
            == "complete")
        if not browser.find_elements(By.CSS_SELECTOR, page.expect):
            violations = [{"id": "wrong-page", "impact": "critical",
                           "help": "%s is not on the page (an error page?)"
                           % page.expect, "nodes": [{"target": [page.expect]}]}]
        else:
            violations = axe_violations(browser, include=page.include)
        structure = page_structure_problems(browser, lang) if page.structure \
            else []
        results.append((page.name, browser.current_url, violations, structure,
                        browser.title))
    return results
