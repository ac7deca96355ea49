"""The ambassadors' website and portal over HTTP: every route, every access
case and bad inputs (HttpCase.url_open against the test server)."""

import base64
import re

import requests

from odoo.tests import common

from ..models.authority import as_engine
from .common import FIXTURE_CONSENT
from .common_http import SharedCursorHttpCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class WebsiteCase(SharedCursorHttpCase):
    """Website fixtures (segments, tiers, rules, a published charter), made on
    the cursor the test server reads (see SharedCursorHttpCase)."""

    def setUp(self):
        super(WebsiteCase, self).setUp()
        ref = self.env.ref
        self.Partner = self.env["res.partner"]
        self.invest = ref("ambassador_program.segment_invest")
        self.study = ref("ambassador_program.segment_study")
        self.ivory = ref("ambassador_program.tier_ivory")
        self.silver = ref("ambassador_program.tier_silver")
        self.gold = ref("ambassador_program.tier_gold")
        self.platinum = ref("ambassador_program.tier_platinum")
        self.rule_partnership = ref("ambassador_program.rule_partnership")
        self.rule_company = ref("ambassador_program.rule_foreign_company")
        self.rule_press = ref("ambassador_program.rule_press_foreign_article")
        # The assertions read English texts: pin the visitor's language.
        self.opener.cookies["frontend_lang"] = "en_US"
        self.charter = self.env["ambassador.charter"].create(
            {
                "name": "Charter",
                "version": "web-test-1",
                "content": "<p>Promote the territory, respect the others.</p>",
            }
        )
        self.charter.action_publish()
        self.set_param("signup_rate_limit", "100")

    def url_open(self, url, data=None, timeout=30):
        response = super(WebsiteCase, self).url_open(url, data=data, timeout=timeout)
        self.env["res.partner"].invalidate_cache()
        return response

    def set_param(self, key, value):
        self.env["ir.config_parameter"].set_param("ambassador_program.%s" % key, value)

    def make_ambassador(self, name, segment=None, tier=None, state="active", **vals):
        values = {
            "name": name,
            "email": "%s@example.com" % name.lower().replace(" ", "."),
            "ambassador_state": "active",
            "ambassador_segment_id": (segment or self.study).id,
        }
        values.update(vals)
        partner = self.Partner.with_context(**FIXTURE_CONSENT).create(values)
        partner = partner.with_env(self.env)  # the reason was for this create only
        if tier and tier != partner.ambassador_tier_id:
            as_engine(self.env["ambassador.status.engine"])._set_tiers(partner, tier)
        if state != "active":
            as_engine(partner).write({"ambassador_state": state})
        return partner

    def form(self, **extra):
        """A valid Study sign-up form; a value of None leaves a field out."""
        data = {
            "name": "Ada Study",
            "email": "ada.study@example.org",
            "ambassador_institution": "University of the Territory",
            "ambassador_research_field": "Glaciology",
            "charter_accepted": "1",
            "charter_id": str(self.charter.id),
        }
        data.update(extra)
        return {key: value for key, value in data.items() if value is not None}

    def make_user(self, partner, login=None):
        login = login or partner.email
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": partner.name,
                "login": login,
                "password": login,
                "partner_id": partner.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        return login

    def login(self, partner):
        login = partner.user_ids[:1].login or self.make_user(partner)
        self.authenticate(login, login)

    def csrf(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        return CSRF_RE.search(response.text).group(1)

    def post(self, path, data, files=None, csrf_from=None):
        data = dict(data)
        if csrf_from:
            data["csrf_token"] = self.csrf(csrf_from)
        self.sync()
        response = self.opener.post(
            "http://%s:%s%s" % (common.HOST, common.PORT, path),
            data=data,
            files=files,
            timeout=30,
        )
        self.env["res.partner"].invalidate_cache()
        return response


@common.at_install(False)
@common.post_install(True)
class TestPublicPages(WebsiteCase):

    def test_programme_page(self):
        response = self.url_open("/ambassadors")
        self.assertEqual(response.status_code, 200)
        for segment in (self.invest, self.study):
            self.assertIn('href="/ambassadors/join/%s"' % segment.code, response.text)
        self.assertIn("Platinum", response.text)
        self.assertIn(self.rule_company.name, response.text)
        self.assertIn("oe_structure", response.text, "editable with the website editor")
        menu = self.env.ref("ambassador_program.menu_website_ambassadors")
        self.assertEqual(menu.url, "/ambassadors")

    def offer_french(self):
        """French active and offered by every website, inside the test's
        transaction: a database may have English only (the stock case)."""
        Lang = self.env["res.lang"].with_context(active_test=False)
        french = Lang.search([("code", "=", "fr_FR")])
        if not french:
            Lang.load_lang("fr_FR")
            french = Lang.search([("code", "=", "fr_FR")])
        elif not french.active:
            french.active = True
        self.env["website"].search([]).write({"language_ids": [(4, french.id)]})
        # The rollback does not reach the caches (languages, websites' ones).
        self.addCleanup(self.registry.clear_caches)

    def test_programme_page_in_french(self):
        self.offer_french()
        # Translations ship later (i18n/fr.po); this one is made by the test.
        view = self.env.ref("ambassador_program.ambassadors_page")
        key = {
            "name": "ir.ui.view,arch_db",
            "type": "model",
            "res_id": view.id,
            "lang": "fr_FR",
            "src": "Choose your segment",
        }
        translation = self.env["ir.translation"].search(
            [(field, "=", value) for field, value in key.items()]
        )
        values = {"value": "Choisissez votre segment", "state": "translated"}
        if translation:
            translation.write(values)
        else:
            translation.create(dict(key, **values))
        del self.opener.cookies["frontend_lang"]
        self.opener.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
        response = self.url_open("/ambassadors")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choisissez votre segment", response.text)
        self.assertIn('lang="fr-FR"', response.text)

    def test_wall(self):
        shown = self.make_ambassador(
            "Wall Shown",
            tier=self.platinum,
            ambassador_consent_wall=True,
            city="Lyon",
            ambassador_show_city=True,
        )
        self.make_ambassador("Wall Private", tier=self.platinum, city="Nantes")
        self.make_ambassador("Wall Gold", tier=self.gold, ambassador_consent_wall=True)
        self.make_ambassador(
            "Wall Suspended",
            tier=self.platinum,
            state="suspended",
            ambassador_consent_wall=True,
        )
        self.assertEqual(shown.ambassador_tier_id, self.platinum)
        response = self.url_open("/ambassadors/wall")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Wall Shown", response.text)
        self.assertIn("Lyon", response.text)
        for hidden in (
            "Wall Private",
            "Nantes",
            "Wall Gold",
            "Wall Suspended",
            "wall.shown@example.com",
        ):
            self.assertNotIn(hidden, response.text)


@common.at_install(False)
@common.post_install(True)
class TestPublicPagesForEveryVisitor(WebsiteCase):
    """Public pages render for whoever visits: anonymous, portal user, internal
    employee outside the programme's groups (Odoo's own crawler logs in as
    one), programme staff. Configuration is read with a visitor's rights."""

    # path: a text the page must show (the pages of Odoo this addon extends
    # too: its benefits take part in them)
    PAGES = {
        "/ambassadors": "Choose your segment",
        "/ambassadors/join/study": "Promote the territory, respect the others.",
        "/ambassadors/wall": "Wall Visitor",
        "/shop": "oe_website_sale",
        "/event": "Our Events",
    }

    def setUp(self):
        super(TestPublicPagesForEveryVisitor, self).setUp()
        self.make_ambassador(
            "Wall Visitor", tier=self.platinum, ambassador_consent_wall=True
        )

    def make_internal(self, login, groups):
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": login,
                "login": login,
                "password": login,
                "groups_id": [(6, 0, [self.env.ref(group).id for group in groups])],
            }
        )
        return login

    def check_pages(self, who):
        for path, text in self.PAGES.items():
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200, (who, path))
            self.assertIn(text, response.text, (who, path))

    def test_anonymous(self):
        self.check_pages("anonymous")

    def test_portal_user_not_an_ambassador(self):
        portal = self.Partner.create(
            {"name": "Visiting Portal", "email": "vp@example.org"}
        )
        self.login(portal)
        self.check_pages("portal")

    def test_employee_outside_the_programme(self):
        login = self.make_internal("web_employee", ["base.group_user"])
        employee = self.env["res.users"].search([("login", "=", login)])
        self.assertFalse(
            employee.has_group("ambassador_program.group_ambassador_user")
        )
        self.authenticate(login, login)
        self.check_pages("employee")
        # A draft charter stays with programme staff, even on the sign-up page.
        draft = self.env["ambassador.charter"].create(
            {"name": "Draft", "version": "web-draft", "content": "<p>Secret draft</p>"}
        )
        self.assertEqual(draft.state, "draft")
        self.assertNotIn(
            "Secret draft", self.url_open("/ambassadors/join/study").text
        )
        # A wrong confirmation link says so (404), not "forbidden".
        page = self.url_open("/ambassadors/confirm?token=not-a-token")
        self.assertEqual(page.status_code, 404)
        self.assertIn("not valid", page.text)
        # The employee may sign up like anyone (for a private address).
        signup = self.post(
            "/ambassadors/join/study",
            {
                "name": "Emma Employee",
                "email": "emma.private@example.org",
                "ambassador_institution": "University of the Territory",
                "ambassador_research_field": "Glaciology",
                "charter_accepted": "1",
                "charter_id": str(self.charter.id),
            },
            csrf_from="/ambassadors/join/study",
        )
        self.assertEqual(signup.status_code, 200)
        self.assertIn("Check your inbox", signup.text)

    def test_programme_staff(self):
        login = self.make_internal(
            "web_programme_staff",
            ["base.group_user", "ambassador_program.group_ambassador_user"],
        )
        self.authenticate(login, login)
        self.check_pages("staff")


@common.at_install(False)
@common.post_install(True)
class TestAdminOverRpc(WebsiteCase):
    """admin is uid 1 (the superuser) in Odoo 11; over JSON-RPC it still cannot
    write what only the status engine writes."""

    def call_kw(self, model, method, args):
        self.sync()
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args,
                "kwargs": {"context": {"ambassador_engine": "ambassador-engine"}}}},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_admin_cannot_write_balances_tiers_or_applied_changes(self):
        ivy = self.make_ambassador("Ivy Rpc")
        self.authenticate("admin", "admin")
        for values in ({"ambassador_balance": 9000},
                       {"ambassador_tier_id": self.platinum.id}):
            answer = self.call_kw("res.partner", "write", [[ivy.id], values])
            self.assertIn("error", answer, values)
        answer = self.call_kw("ambassador.promotion", "create", [{
            "partner_id": ivy.id, "to_tier_id": self.platinum.id,
            "state": "applied", "reason": "points"}])
        change = self.env["ambassador.promotion"].browse(answer["result"])
        self.assertEqual((change.state, change.reason), ("proposed", "manual"))
        ivy.invalidate_cache()
        self.assertEqual(
            (ivy.ambassador_balance, ivy.ambassador_tier_id), (0, self.ivory))


@common.at_install(False)
@common.post_install(True)
class TestSignup(WebsiteCase):

    def form(self, **extra):
        extra.setdefault("ambassador_consent_newsletter", "1")
        return super(TestSignup, self).form(**extra)

    def signup(self, segment="study", **extra):
        path = "/ambassadors/join/%s" % segment
        return self.post(path, self.form(**extra), csrf_from=path)

    def count(self, email):
        self.env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE lower(email) = lower(%s)", (email,)
        )
        return self.env.cr.fetchone()[0]

    def confirmation_token(self, partner):
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1
        )
        self.assertTrue(mail, "a confirmation e-mail is queued")
        match = re.search(r"/ambassadors/confirm\?token=([\w\-]+)", mail.body_html)
        return match.group(1)

    def test_form_follows_segment_configuration(self):
        study = self.url_open("/ambassadors/join/study")
        self.assertEqual(study.status_code, 200)
        self.assertIn('name="ambassador_institution"', study.text)
        self.assertIn('name="ambassador_research_field"', study.text)
        self.assertNotIn('name="company_name"', study.text)
        self.assertIn("web-test-1", study.text, "the current charter is shown")
        invest = self.url_open("/ambassadors/join/invest")
        self.assertIn('name="company_name"', invest.text)
        self.assertIn("Position", invest.text, "the configured label")
        # Configuration, not code: a new required question appears.
        self.env["ambassador.segment.field"].create(
            {
                "segment_id": self.study.id,
                "field_name": "city",
                "required": True,
                "label": "Home town",
            }
        )
        self.assertIn("Home town", self.url_open("/ambassadors/join/study").text)

    def test_wrong_segment_code(self):
        response = self.url_open("/ambassadors/join/nosuchsegment")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Unknown segment", response.text)

    def test_signup_confirm_and_login(self):
        response = self.signup()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your inbox", response.text)
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.ambassador_state, "candidate")
        self.assertEqual(partner.ambassador_segment_id, self.study)
        self.assertEqual(partner.ambassador_tier_id, self.ivory)
        self.assertEqual(partner.ambassador_institution, "University of the Territory")
        self.assertFalse(
            partner.ambassador_consent_newsletter,
            "consents wait for the mailbox owner's confirmation",
        )
        self.assertFalse(partner.user_ids, "no login before the confirmation")
        acceptance = partner.ambassador_charter_acceptance_ids
        self.assertEqual(acceptance.charter_id, self.charter)
        self.assertEqual(acceptance.channel, "website")
        self.assertEqual(acceptance.ip_address, "127.0.0.1")
        self.assertFalse(partner.ambassador_consent_ids)
        token = self.confirmation_token(partner)
        signup = self.env["ambassador.signup.request"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertNotIn(token, signup.token_hash or "", "only a hash is stored")

        # The link only shows a button: mail scanners fetching it confirm nothing.
        page = self.url_open("/ambassadors/confirm?token=%s" % token)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ambassador_confirm_button", page.text)
        # The consents ticked on the form are offered again, ticked, to confirm.
        ticked = re.findall(r'name="(ambassador_[a-z_]+)" checked="checked"', page.text)
        self.assertEqual(ticked, ["ambassador_consent_newsletter"])
        partner.invalidate_cache()
        self.assertEqual(partner.ambassador_state, "candidate")

        # A POST without the CSRF token is refused, and changes nothing.
        refused = self.post("/ambassadors/confirm", {"token": token})
        self.assertIn(refused.status_code, (400, 403))
        partner.invalidate_cache()
        self.assertEqual(partner.ambassador_state, "candidate")

        confirmed = self.post(
            "/ambassadors/confirm",
            {"token": token, "ambassador_consent_newsletter": "1"},
            csrf_from="/ambassadors/confirm?token=%s" % token,
        )
        self.assertEqual(confirmed.status_code, 200)
        self.assertIn("/web/reset_password?", confirmed.text)
        partner.invalidate_cache()
        self.assertEqual(partner.ambassador_state, "active")
        self.assertTrue(partner.ambassador_consent_newsletter)
        self.assertFalse(partner.ambassador_show_email, "off unless ticked")
        consent = partner.ambassador_consent_ids
        self.assertEqual(consent.mapped("purpose"), ["newsletter"])
        self.assertEqual(consent.channel, "website")
        self.assertEqual(partner.ambassador_tier_id, self.ivory)
        user = partner.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertIn(partner.signup_token, confirmed.text)

        # Single use: the same link again is a clear 4xx, not a second account.
        replay_page = self.url_open("/ambassadors/confirm?token=%s" % token)
        self.assertEqual(replay_page.status_code, 410)
        self.assertIn("already used", replay_page.text)
        replay = self.post(
            "/ambassadors/confirm",
            {"token": token},
            csrf_from="/ambassadors/join/study",
        )
        self.assertEqual(replay.status_code, 410)
        self.assertEqual(len(partner.user_ids), 1)

    def test_forged_and_expired_tokens(self):
        self.signup()
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        token = self.confirmation_token(partner)
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        for bad in (forged, "x" * 500, ""):
            page = self.url_open("/ambassadors/confirm?token=%s" % bad)
            self.assertEqual(page.status_code, 404, bad)
            self.assertIn("not valid", page.text)
            post = self.post(
                "/ambassadors/confirm",
                {"token": bad},
                csrf_from="/ambassadors/join/study",
            )
            self.assertEqual(post.status_code, 404)
        signup = self.env["ambassador.signup.request"].search(
            [("partner_id", "=", partner.id)]
        )
        signup.write({"expiration": "2000-01-01 00:00:00"})
        expired = self.post(
            "/ambassadors/confirm",
            {"token": token},
            csrf_from="/ambassadors/join/study",
        )
        self.assertEqual(expired.status_code, 410)
        self.assertIn("expired", expired.text)
        partner.invalidate_cache()
        self.assertEqual(partner.ambassador_state, "candidate")
        self.assertFalse(partner.user_ids)

    def test_missing_and_too_long_fields(self):
        cases = [
            ({"ambassador_institution": ""}, "This information is required."),
            ({"name": ""}, "Please give your name."),
            ({"name": "N" * 129}, "At most 128 characters."),
            ({"email": "not-an-address"}, "does not look valid"),
            ({"ambassador_research_field": "R" * 257}, "At most 256 characters."),
            ({"charter_accepted": None}, "Please accept the ambassadors"),
        ]
        for extra, message in cases:
            response = self.signup(**extra)
            self.assertEqual(response.status_code, 400, extra)
            self.assertIn(message, response.text, extra)
        self.assertEqual(self.count("ada.study@example.org"), 0, "nothing half-created")
        self.assertFalse(
            self.env["ambassador.signup.request"].search(
                [("email", "=", "ada.study@example.org")]
            )
        )

    def test_signup_website_takes_only_http_links(self):
        self.env["ambassador.segment.field"].create(
            {"segment_id": self.study.id, "field_name": "website"}
        )
        for link in ("javascript:alert(document.cookie)", "data:text/html,x",
                     "JaVaScRiPt:alert(1)", "//evil.example.com"):
            response = self.signup(website=link)
            self.assertEqual(response.status_code, 400, link)
            self.assertIn("starts with http:// or https://", response.text)
        self.assertEqual(self.count("ada.study@example.org"), 0)
        accepted = self.signup(website="https://ada.example.org")
        self.assertEqual(accepted.status_code, 200)
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        self.assertEqual(partner.website, "https://ada.example.org")

    def test_missing_csrf_token(self):
        response = self.post("/ambassadors/join/study", self.form())
        self.assertIn(response.status_code, (400, 403))
        self.assertEqual(self.count("ada.study@example.org"), 0)

    def test_duplicate_email(self):
        known = self.make_ambassador(
            "Known Ambassador", email="known@example.org", lang="en_US"
        )
        response = self.signup(email="KNOWN@example.org", name="Someone Else")
        self.assertEqual(response.status_code, 200)
        # The page is the same as for a new address: it reveals nothing.
        self.assertIn("Check your inbox", response.text)
        self.assertIn("already registered", response.text)
        self.assertEqual(self.count("known@example.org"), 1, "no second contact")
        known.invalidate_cache()
        self.assertEqual(known.name, "Known Ambassador", "nothing overwritten")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", known.ids)])
        self.assertIn("already registered", mail.body_html)
        self.assertNotIn("/ambassadors/confirm", mail.body_html)

    def test_existing_contact_becomes_ambassador_on_confirmation(self):
        contact = self.Partner.create(
            {"name": "Old Customer", "email": "customer@example.org"}
        )
        self.signup(email="customer@example.org", name="Old Customer Renamed")
        contact.invalidate_cache()
        self.assertFalse(contact.ambassador_state, "unchanged until confirmed")
        self.assertEqual(self.count("customer@example.org"), 1)
        token = self.confirmation_token(contact)
        self.post(
            "/ambassadors/confirm",
            {"token": token},
            csrf_from="/ambassadors/confirm?token=%s" % token,
        )
        contact.invalidate_cache()
        self.assertEqual(contact.ambassador_state, "active")
        self.assertEqual(contact.ambassador_segment_id, self.study)
        self.assertEqual(contact.name, "Old Customer", "the name is not taken over")
        self.assertEqual(contact.ambassador_charter_id, self.charter)

    def test_signup_for_an_employee_address_issues_no_password_token(self):
        """Confirming a sign-up made with the address of an internal user never
        issues a password-reset token for that account, and applies only the
        consents chosen on the confirmation page."""
        employee = self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": "Eve Employee",
                "login": "eve.employee@example.org",
                "email": "eve.employee@example.org",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        partner = employee.partner_id
        # Whoever filled in the form ticked every consent.
        self.signup(
            email="eve.employee@example.org",
            name="Eve",
            ambassador_show_email="1",
            ambassador_consent_wall="1",
        )
        token = self.confirmation_token(partner)
        page = self.url_open("/ambassadors/confirm?token=%s" % token)
        self.assertIn('name="ambassador_show_email"', page.text)
        self.assertNotRegex(
            page.text, r'name="ambassador_[a-z_]+" checked', "nothing pre-ticked"
        )
        confirmed = self.post(
            "/ambassadors/confirm",
            {"token": token},
            csrf_from="/ambassadors/confirm?token=%s" % token,
        )
        self.assertEqual(confirmed.status_code, 200)
        self.assertNotIn("reset_password", confirmed.text)
        self.assertIn("/web/login", confirmed.text)
        partner.invalidate_cache()
        self.assertFalse(partner.signup_token, "no token for the employee's account")
        self.assertEqual(partner.ambassador_state, "active")
        self.assertEqual(partner.user_ids, employee, "no second account")
        for field in ("ambassador_show_email", "ambassador_consent_wall",
                      "ambassador_consent_newsletter"):
            self.assertFalse(partner[field], field)

    def test_one_address_is_not_flooded(self):
        for _attempt in range(5):
            self.assertEqual(self.signup(email="victim@example.org").status_code, 200)
        partner = self.Partner.search([("email", "=", "victim@example.org")])
        self.assertEqual(len(partner), 1)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        self.assertEqual(len(mails), 3, "at most 3 sign-up e-mails per hour")

    def test_honeypot(self):
        response = self.signup(contact_homepage="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.count("ada.study@example.org"), 0)

    def test_rate_limit(self):
        self.set_param("signup_rate_limit", "2")
        self.assertEqual(self.signup(email="one@example.org").status_code, 200)
        self.assertEqual(self.signup(email="two@example.org").status_code, 200)
        third = self.signup(email="three@example.org")
        self.assertEqual(third.status_code, 429)
        self.assertIn("Too many sign-ups", third.text)
        self.assertEqual(self.count("three@example.org"), 0)


@common.at_install(False)
@common.post_install(True)
class TestPortal(WebsiteCase):

    def setUp(self):
        super(TestPortal, self).setUp()
        self.ivory_amb = self.make_ambassador("Ivy Ivory")
        self.silver_amb = self.make_ambassador("Sid Silver", tier=self.silver)
        self.gold_amb = self.make_ambassador(
            "Gil Gold", segment=self.invest, tier=self.gold
        )
        self.suspended_amb = self.make_ambassador(
            "Sue Suspended", tier=self.silver, state="suspended"
        )

    def test_anonymous_is_sent_to_login(self):
        for path in (
            "/my/ambassador",
            "/my/ambassador/proofs/new",
            "/my/ambassador/documents",
            "/my/ambassador/directory",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200)
            self.assertIn("/web/login", response.url, path)

    def test_not_an_ambassador(self):
        portal = self.Partner.create(
            {"name": "Plain Portal", "email": "pp@example.org"}
        )
        self.login(portal)
        response = self.url_open("/my/ambassador")
        self.assertEqual(response.status_code, 403)
        self.assertIn("Ambassadors only", response.text)
        self.assertNotIn('/my/ambassador"', self.url_open("/my").text)

    def test_ambassador_space(self):
        proof = self.env["ambassador.proof"].create(
            {
                "name": "Talk in Boston",
                "partner_id": self.silver_amb.id,
                "rule_id": self.rule_partnership.id,
            }
        )
        proof.action_reject("Not about the territory")
        approved = self.env["ambassador.proof"].create(
            {
                "name": "Network joined",
                "partner_id": self.silver_amb.id,
                "rule_id": self.rule_partnership.id,
            }
        )
        approved.action_approve()
        other = self.env["ambassador.proof"].create(
            {
                "name": "Secret of another",
                "partner_id": self.ivory_amb.id,
                "rule_id": self.rule_partnership.id,
            }
        )
        self.assertTrue(other)
        self.login(self.silver_amb)
        home = self.url_open("/my")
        self.assertIn('href="/my/ambassador"', home.text)
        response = self.url_open("/my/ambassador")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Talk in Boston", text)
        self.assertIn("Not about the territory", text)
        self.assertIn("Network joined", text)
        self.assertNotIn("Secret of another", text)
        self.assertIn('o_ambassador_balance">15<', text)
        self.assertIn("progress-bar", text)

    def test_charter_reacceptance_and_consents(self):
        self.login(self.ivory_amb)
        page = self.url_open("/my/ambassador")
        self.assertIn("o_ambassador_charter_outdated", page.text)
        refused = self.post(
            "/my/ambassador/charter",
            {"charter_id": str(self.charter.id + 1000), "accept": "1"},
            csrf_from="/my/ambassador",
        )
        self.assertEqual(refused.status_code, 409)
        accepted = self.post(
            "/my/ambassador/charter",
            {"charter_id": str(self.charter.id), "accept": "1"},
            csrf_from="/my/ambassador",
        )
        self.assertEqual(accepted.status_code, 200)
        self.ivory_amb.invalidate_cache()
        self.assertEqual(self.ivory_amb.ambassador_charter_id, self.charter)
        self.assertEqual(
            self.ivory_amb.ambassador_charter_acceptance_ids.channel, "portal"
        )
        self.assertNotIn(
            "o_ambassador_charter_outdated", self.url_open("/my/ambassador").text
        )
        no_csrf = self.post("/my/ambassador/consents", {"ambassador_show_city": "1"})
        self.assertIn(no_csrf.status_code, (400, 403))
        # The city consent is offered once the profile holds a city (issue 11).
        self.ivory_amb.write({"city": "Annecy"})
        self.post(
            "/my/ambassador/consents",
            {"ambassador_show_city": "1", "ambassador_consent_wall": "1"},
            csrf_from="/my/ambassador/profile",
        )
        self.ivory_amb.invalidate_cache()
        self.assertTrue(self.ivory_amb.ambassador_show_city)
        self.assertTrue(self.ivory_amb.ambassador_consent_wall)
        log = self.ivory_amb.ambassador_consent_ids
        self.assertEqual(set(log.mapped("purpose")), {"directory_city", "wall"})
        self.assertEqual(set(log.mapped("channel")), {"portal"})
        # Withdrawing: unticked boxes are sent as nothing.
        self.post("/my/ambassador/consents", {}, csrf_from="/my/ambassador/profile")
        self.ivory_amb.invalidate_cache()
        self.assertFalse(self.ivory_amb.ambassador_show_city)

    def post_proof(self, files=None, **extra):
        data = {
            "rule_id": str(self.rule_partnership.id),
            "name": "Partnership with Kyoto",
            "description": "Signed in October",
            "url": "https://example.com/kyoto",
        }
        data.update(extra)
        return self.post(
            "/my/ambassador/proofs/new",
            data,
            files=files,
            csrf_from="/my/ambassador/proofs/new",
        )

    def proofs(self, partner):
        return self.env["ambassador.proof"].search([("partner_id", "=", partner.id)])

    def test_declare_proof_with_file(self):
        self.login(self.ivory_amb)
        form = self.url_open("/my/ambassador/proofs/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn(self.rule_partnership.name, form.text)
        self.assertNotIn(self.rule_company.name, form.text, "an Invest-only rule")
        response = self.post_proof(
            files=[
                ("files", ("../../etc/<b>report</b>.png", PNG, "image/png")),
                ("files", ("agreement.pdf", PDF, "application/pdf")),
            ]
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_ambassador_proof_sent", response.text)
        proof = self.proofs(self.ivory_amb)
        self.assertEqual(len(proof), 1)
        self.assertEqual(proof.channel, "portal")
        self.assertEqual(proof.state, "submitted")
        self.assertEqual(len(proof.attachment_ids), 2)
        for attachment in proof.attachment_ids:
            self.assertFalse(attachment.public)
            self.assertEqual(
                (attachment.res_model, attachment.res_id),
                ("ambassador.proof", proof.id),
            )
            self.assertNotIn("/", attachment.datas_fname)
            self.assertNotIn("<", attachment.datas_fname)
        png = proof.attachment_ids.filtered(lambda a: a.mimetype == "image/png")
        self.assertEqual(base64.b64decode(png.datas), PNG)

    def test_press_proof_needs_press_fields(self):
        self.login(self.ivory_amb)
        missing = self.post_proof(rule_id=str(self.rule_press.id))
        self.assertEqual(missing.status_code, 400)
        self.assertIn("Name the media", missing.text)
        ok = self.post_proof(
            rule_id=str(self.rule_press.id),
            press_media="Le Temps",
            press_country_id=str(self.env.ref("base.ch").id),
            press_language="French",
            press_date="2026-01-15",
        )
        self.assertEqual(ok.status_code, 200)
        proof = self.proofs(self.ivory_amb)
        self.assertEqual(proof.press_media, "Le Temps")

    def test_bad_proofs_create_nothing(self):
        self.login(self.ivory_amb)
        self.set_param("proof_max_file_mb", "0.001")  # about 1 KB
        cases = [
            ({"name": ""}, None, "Give your proof a title."),
            ({"name": "T" * 201}, None, "At most 200 characters."),
            ({"url": "javascript:alert(1)"}, None, "A link starts with http"),
            ({"rule_id": str(self.rule_company.id)}, None, "Choose one of the actions"),
            (
                {},
                [
                    (
                        "files",
                        ("image.svg", b"<svg onload='alert(1)'/>", "image/svg+xml"),
                    )
                ],
                "not accepted",
            ),
            (
                {},
                [("files", ("page.html", b"<html><script>", "text/html"))],
                "not accepted",
            ),
            (
                {},
                [
                    (
                        "files",
                        (
                            "fake.pdf",
                            b"<html><script>alert(1)</script>",
                            "application/pdf",
                        ),
                    )
                ],
                "does not contain what its name",
            ),
            (
                {},
                [("files", ("big.pdf", PDF + b"0" * 2048, "application/pdf"))],
                "too large",
            ),
        ]
        for extra, files, message in cases:
            response = self.post_proof(files=files, **extra)
            self.assertEqual(response.status_code, 400, (extra, files))
            self.assertIn(message, response.text, (extra, files))
        self.assertFalse(self.proofs(self.ivory_amb), "nothing half-created")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "ambassador.proof"),
                    ("create_uid", "=", self.ivory_amb.user_ids.id),
                ]
            )
        )
        no_csrf = self.post(
            "/my/ambassador/proofs/new",
            {"rule_id": str(self.rule_partnership.id), "name": "x"},
        )
        self.assertIn(no_csrf.status_code, (400, 403))
        self.assertFalse(self.proofs(self.ivory_amb))

    def test_suspended_cannot_declare(self):
        self.login(self.suspended_amb)
        self.assertEqual(self.url_open("/my/ambassador").status_code, 200)
        response = self.url_open("/my/ambassador/proofs/new")
        self.assertEqual(response.status_code, 403)
        self.assertIn("suspended", response.text)

    def test_proof_files_only_for_owner_and_staff(self):
        proof = self.env["ambassador.proof"].create(
            {
                "name": "Mine",
                "partner_id": self.silver_amb.id,
                "rule_id": self.rule_partnership.id,
            }
        )
        proof._ambassador_attach_files([("evidence.pdf", "application/pdf", PDF)])
        attachment = proof.attachment_ids
        path = "/my/ambassador/proofs/%d/files/%d" % (proof.id, attachment.id)
        self.login(self.silver_amb)
        own = self.url_open(path)
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.content, PDF)
        self.assertTrue(own.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(own.headers["X-Content-Type-Options"], "nosniff")
        # Another ambassador: neither our route nor Odoo's /web/content.
        self.login(self.ivory_amb)
        other = self.url_open(path)
        self.assertEqual(other.status_code, 404)
        self.assertNotIn(PDF, other.content)
        for web_path in (
            "/web/content/%d" % attachment.id,
            "/web/content/%d?download=true" % attachment.id,
            "/web/image/%d" % attachment.id,
        ):
            response = self.url_open(web_path)
            self.assertNotEqual(response.status_code, 200, web_path)
            self.assertNotIn(PDF, response.content, web_path)
        # Anonymous (a fresh session): no access either.
        self.sync()
        response = requests.get(
            "http://%s:%s/web/content/%d" % (common.HOST, common.PORT, attachment.id),
            timeout=30,
        )
        self.assertNotIn(PDF, response.content)
        # Staff (programme user) may download it.
        (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Web Staff",
                    "login": "web_staff",
                    "password": "web_staff",
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                self.env.ref(
                                    "ambassador_program.group_ambassador_user"
                                ).id
                            ],
                        )
                    ],
                }
            )
        )
        # Through the real login form (the staff user is an internal user).
        self.opener.cookies.clear()
        self.opener.cookies["frontend_lang"] = "en_US"
        logged = self.post(
            "/web/login",
            {"login": "web_staff", "password": "web_staff"},
            csrf_from="/web/login",
        )
        self.assertEqual(logged.status_code, 200)
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.content,
            PDF,
            (
                response.url,
                re.findall(
                    r"<title>.*</title>|<h1>.*</h1>|<p class=\"lead\">.*</p>",
                    response.text,
                ),
            ),
        )

    def test_documents(self):
        Document = self.env["ambassador.document"]
        for_all = Document.create(
            {
                "name": "Brand book",
                "file": base64.b64encode(PDF),
                "file_name": "brand.pdf",
            }
        )
        invest_doc = Document.create(
            {
                "name": "Investor deck",
                "segment_ids": [(6, 0, self.invest.ids)],
                "file": base64.b64encode(PDF),
                "file_name": "deck.pdf",
            }
        )
        gold_doc = Document.create(
            {
                "name": "Decision makers list",
                "min_tier_id": self.gold.id,
                "file": base64.b64encode(PDF),
                "file_name": "vip.pdf",
            }
        )
        self.login(self.ivory_amb)
        page = self.url_open("/my/ambassador/documents")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Brand book", page.text)
        self.assertIn("Investor deck", page.text, "other segments' documents too")
        self.assertNotIn("Decision makers list", page.text)
        ok = self.url_open("/my/ambassador/documents/%d/download" % for_all.id)
        self.assertEqual(ok.content, PDF)
        self.assertTrue(ok.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(
            self.url_open(
                "/my/ambassador/documents/%d/download" % invest_doc.id
            ).content,
            PDF,
        )
        denied = self.url_open("/my/ambassador/documents/%d/download" % gold_doc.id)
        self.assertEqual(denied.status_code, 404)
        self.login(self.gold_amb)
        self.assertIn(
            "Decision makers list", self.url_open("/my/ambassador/documents").text
        )
        self.login(self.suspended_amb)
        self.assertEqual(self.url_open("/my/ambassador/documents").status_code, 403)

    def directory(self, search):
        # Searched by name: the test does not depend on who else is listed.
        return self.url_open("/my/ambassador/directory?search=%s" % search)

    def test_directory(self):
        self.make_ambassador(
            "Dora Webdir",
            city="Grenoble",
            phone="+33 600000001",
            ambassador_show_city=True,
        )
        self.make_ambassador("Hidden Webdir", city="Secretville")
        self.make_ambassador(
            "Ivan Webdir",
            segment=self.invest,
            city="Lille",
            email="ivan@example.org",
            ambassador_show_email=True,
        )
        self.make_ambassador(
            "Cand Webdir", state="candidate", ambassador_show_city=True
        )
        for partner in (self.ivory_amb, self.suspended_amb):
            self.login(partner)
            response = self.directory("Webdir")
            self.assertEqual(response.status_code, 403)
            self.assertNotIn("Dora Webdir", response.text)
        self.login(self.silver_amb)
        response = self.directory("Webdir")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Dora Webdir", response.text)
        self.assertIn("Grenoble", response.text)
        self.assertNotIn("+33 600000001", response.text, "phone not opted in")
        self.assertNotIn("dora.webdir@example.com", response.text)
        self.assertNotIn("Hidden Webdir", response.text)
        self.assertNotIn("Cand Webdir", response.text)
        self.assertNotIn("Ivan Webdir", response.text, "Silver: own segment only")
        self.assertEqual(self.url_open("/my/ambassador/directory").status_code, 200)
        self.login(self.gold_amb)
        response = self.directory("Webdir")
        self.assertIn("Ivan Webdir", response.text)
        self.assertIn("Dora Webdir", response.text)
        self.assertIn("ivan@example.org", response.text)
        self.assertNotIn("Lille", response.text)
        logs = self.env["ambassador.directory.view"].search(
            [("user_id", "=", self.gold_amb.user_ids.id)]
        )
        self.assertEqual(logs.mapped("profile_count"), [2])
        self.assertEqual(logs.search_term, "Webdir")

    def test_directory_daily_cap(self):
        for index in range(3):
            self.make_ambassador("Capped Peer %d" % index, ambassador_show_city=True)
        self.set_param("directory_daily_cap", "2")
        self.login(self.silver_amb)
        first = self.directory("Capped")
        self.assertEqual(first.status_code, 200)
        # (A card names its ambassador more than once: "Request an
        # introduction to ...".)
        self.assertEqual(len(set(re.findall(r"Capped Peer \d", first.text))), 2)
        # A profile seen twice in a day counts once: reloading burns nothing.
        again = self.directory("Capped")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(
            re.findall(r"Capped Peer \d", again.text),
            re.findall(r"Capped Peer \d", first.text),
        )
        second = self.directory("Capped Peer 2")
        self.assertEqual(second.status_code, 429)
        self.assertIn("Daily limit reached", second.text)
        self.assertNotIn("Capped Peer 2", second.text)
