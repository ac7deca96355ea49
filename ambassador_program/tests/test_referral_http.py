# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Referrals over HTTP: the link's page, a sign-up through it (its code kept
through the form's errors and the confirmation), unknown codes ignored, the
space showing the link, and an abuse case."""
import re

from odoo.tests import common

from ..models.authority import as_engine
from .test_website import WebsiteCase


@common.at_install(False)
@common.post_install(True)
class TestReferralHttp(WebsiteCase):

    def setUp(self):
        super(TestReferralHttp, self).setUp()
        self.referrer = self.make_ambassador("Rob Referrer", segment=self.invest)
        self.code = self.referrer._ambassador_referral_code_get()
        self.rule = self.env.ref("ambassador_program.rule_referral")

    def join(self, path, data, csrf_from):
        return self.post(path, data, csrf_from=csrf_from)

    def confirmation_token(self, partner):
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1)
        return re.search(r"/ambassadors/confirm\?token=([\w\-]+)",
                         mail.body_html).group(1)

    def test_landing_page_names_the_referrer_only(self):
        page = self.url_open("/ambassadors/join?ref=%s" % self.code)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Rob Referrer", page.text)
        self.assertIn("invites you", page.text)
        self.assertIn("/ambassadors/join/study?ref=%s" % self.code, page.text)
        self.assertNotIn(self.referrer.email, page.text)

    def test_unknown_or_malformed_code_is_ignored_gracefully(self):
        for code in ("nosuchcode123", "<script>x</script>", "A" * 300, ""):
            page = self.url_open("/ambassadors/join?ref=%s" % code)
            self.assertEqual(page.status_code, 200, code)
            self.assertNotIn("invites you", page.text)
            self.assertNotIn("<script>x</script>", page.text)
            self.assertIn("/ambassadors/join/study", page.text)
        form = self.url_open("/ambassadors/join/study?ref=nosuchcode123&debug=1")
        self.assertEqual(form.status_code, 200)
        self.assertNotIn('name="ref"', form.text)
        response = self.join("/ambassadors/join/study",
                             self.form(ref="nosuchcode123"),
                             "/ambassadors/join/study")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your inbox", response.text)
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        self.assertFalse(partner.sudo().ambassador_referrer_id)

    def test_signup_through_the_link_keeps_the_code_and_awards_on_confirmation(self):
        landing = "/ambassadors/join?ref=%s" % self.code
        self.url_open(landing)
        form_path = "/ambassadors/join/study?ref=%s" % self.code
        form = self.url_open(form_path)
        self.assertIn('name="ref" value="%s"' % self.code, form.text)
        self.assertIn("Rob Referrer", form.text)
        # An error: the form comes back with the code still in it.
        bad = self.join("/ambassadors/join/study",
                        self.form(name="", ref=self.code), form_path)
        self.assertEqual(bad.status_code, 400)
        self.assertIn('name="ref" value="%s"' % self.code, bad.text)
        # The session kept it too: a form opened without it still carries it.
        plain = self.url_open("/ambassadors/join/study")
        self.assertIn('name="ref" value="%s"' % self.code, plain.text)
        done = self.join("/ambassadors/join/study", self.form(ref=self.code),
                         form_path)
        self.assertIn("Check your inbox", done.text)
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        self.assertEqual(partner.sudo().ambassador_referrer_id, self.referrer)
        token = self.confirmation_token(partner)
        confirm_path = "/ambassadors/confirm?token=%s" % token
        self.join("/ambassadors/confirm", {"token": token}, confirm_path)
        partner.invalidate_cache()
        self.assertEqual(partner.ambassador_state, "active")
        lines = self.env["ambassador.point.transaction"].search(
            [("partner_id", "=", self.referrer.id), ("origin", "=", "referral")])
        self.assertEqual(lines.mapped("points"), [self.rule.points])

    def test_abuse_same_network_earns_nothing(self):
        # The referrer signed in from the test server's own network.
        self.env["res.partner"]._ambassador_note_signin(self.referrer, "127.0.0.1")
        form_path = "/ambassadors/join/study?ref=%s" % self.code
        self.join("/ambassadors/join/study", self.form(ref=self.code), form_path)
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        referral = self.env["ambassador.referral"].search(
            [("referee_id", "=", partner.id)])
        self.assertTrue(referral.flag_same_network)
        token = self.confirmation_token(partner)
        self.join("/ambassadors/confirm", {"token": token},
                  "/ambassadors/confirm?token=%s" % token)
        referral.invalidate_cache()
        self.assertEqual(referral.state, "withheld")
        self.assertFalse(self.env["ambassador.point.transaction"].search(
            [("partner_id", "=", self.referrer.id), ("origin", "=", "referral")]))

    def test_space_shows_the_link_and_signin_records_the_network(self):
        # Through the login form: the sign-in's network is kept (not the
        # address), for the referral checks.
        login = self.make_user(self.referrer)
        response = self.post("/web/login", {"login": login, "password": login},
                             csrf_from="/web/login")
        self.assertEqual(response.status_code, 200)
        self.referrer.invalidate_cache()
        self.assertEqual(self.referrer.sudo().ambassador_signin_network,
                         "127.0.0.0/24")
        page = self.url_open("/my/ambassador")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Invite new ambassadors", page.text)
        self.assertIn("/ambassadors/join?ref=%s" % self.code, page.text)
        # An ambassador opening a referral link goes to its space.
        other = self.url_open("/ambassadors/join?ref=%s" % self.code)
        self.assertIn("/my/ambassador", other.url)

    def test_suspended_ambassador_has_no_link(self):
        self.login(self.referrer)
        as_engine(self.referrer).write({"ambassador_state": "suspended"})
        page = self.url_open("/my/ambassador")
        self.assertNotIn("Invite new ambassadors", page.text)
