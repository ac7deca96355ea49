# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The introduction pages over HTTP: the directory's "Request an
introduction", the request form and its bad input, the answer, the contact
details shown only once accepted, someone else's introduction a 404, the
abuse report and the settings."""
from odoo.tests import common

from .common import FIXTURE_CONSENT
from .test_website import WebsiteCase

BACK = "/my/ambassador/introductions"
SETTINGS = BACK + "/settings"  # a page with a form (its CSRF token)


@common.at_install(False)
@common.post_install(True)
class TestIntroductionPages(WebsiteCase):

    def setUp(self):
        super(TestIntroductionPages, self).setUp()
        self.set_param("directory_daily_cap", "1000")
        self.asker = self.make_ambassador("Asha Asker", tier=self.silver)
        self.target = self.make_ambassador(
            "Tomas Target", tier=self.silver, phone="+33 6 77 77 77 77")
        self.target.with_context(**FIXTURE_CONSENT).write(
            {"ambassador_show_email": True, "ambassador_show_phone": True,
             "ambassador_intro_only": True})
        self.other = self.make_ambassador("Olek Other", tier=self.silver)
        for partner in (self.asker, self.target, self.other):
            self.make_user(partner)
        self.purpose = self.env.ref(
            "ambassador_program.introduction_purpose_business")

    def test_request_from_the_directory_and_accept(self):
        self.login(self.asker)
        directory = self.url_open("/my/ambassador/directory?search=Tomas")
        self.assertEqual(directory.status_code, 200)
        form_url = "%s/new?to=%d" % (BACK, self.target.id)
        self.assertIn(form_url.replace("&", "&amp;"), directory.text)
        # Only through introductions: neither e-mail nor phone in the page.
        self.assertNotIn(self.target.email, directory.text)
        self.assertNotIn("77 77 77", directory.text)
        form = self.url_open(form_url)
        self.assertEqual(form.status_code, 200)
        self.assertIn("Request an introduction to Tomas Target", form.text)
        self.assertIn('<textarea id="message"', form.text)
        self.assertNotIn(self.target.email, form.text)
        # Bad input: the form again, the message kept, status 400.
        response = self.post(form_url, {"purpose_id": "abc",
                                        "message": "Kept <b>text</b>"},
                             csrf_from=form_url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose the purpose", response.text)
        self.assertIn("Kept &lt;b&gt;text&lt;/b&gt;", response.text)
        response = self.post(form_url, {"purpose_id": str(self.purpose.id),
                                        "message": "x" * 1200},
                             csrf_from=form_url)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="message_error"', response.text)
        response = self.post(form_url, {"purpose_id": str(self.purpose.id),
                                        "message": "A fair in Osaka"},
                             csrf_from=form_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your request was sent", response.text)
        intro = self.env["ambassador.introduction"].search(
            [("requester_id", "=", self.asker.id)])
        self.assertEqual(intro.state, "requested")
        page = self.url_open("%s/%d" % (BACK, intro.id))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.target.email, page.text)
        self.assertIn("Withdraw my request", page.text)
        self.assertNotIn('id="reason"', page.text)  # the recipient's to report
        # A second request: refused upfront, said clearly.
        response = self.post(form_url, {"purpose_id": str(self.purpose.id),
                                        "message": "Again"}, csrf_from=form_url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("You already asked this person", response.text)
        # The recipient answers.
        self.login(self.target)
        listing = self.url_open(BACK)
        self.assertIn("Asha Asker", listing.text)
        self.assertIn('<textarea id="reason"', self.url_open(
            "%s/%d" % (BACK, intro.id)).text)
        self.assertNotIn(self.asker.email, listing.text)
        page_url = "%s/%d" % (BACK, intro.id)
        response = self.post(page_url + "/answer", {"answer": "bogus"},
                             csrf_from=page_url)
        self.assertEqual(response.status_code, 400)
        response = self.post(page_url + "/answer", {"answer": "accept"},
                             csrf_from=page_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("You accepted", response.text)
        self.assertIn(self.asker.email, response.text)
        # Answering twice: said, no traceback.
        response = self.post(page_url + "/answer", {"answer": "decline"},
                             csrf_from=SETTINGS)
        self.assertEqual(response.status_code, 409)
        self.login(self.asker)
        page = self.url_open(page_url)
        self.assertIn(self.target.email, page.text)
        self.assertIn("+33 6 77 77 77 77", page.text)

    def test_someone_elses_introduction_is_a_404(self):
        self.env["ambassador.directory.view"].create({
            "user_id": self.asker.user_ids.id, "partner_id": self.asker.id,
            "profile_ids": [(6, 0, self.target.ids)]})
        intro = self.env["ambassador.introduction"].sudo(
            self.asker.user_ids)._ambassador_request(
                self.target.id, self.purpose.id, "Hello")
        self.login(self.other)
        for url in ("%s/%d" % (BACK, intro.id), "%s/999999999" % BACK,
                    "%s/new?to=%d" % (BACK, self.target.id),
                    "%s/new?to=abc" % BACK):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Traceback", response.text)
        response = self.post("%s/%d/answer" % (BACK, intro.id),
                             {"answer": "accept"}, csrf_from=SETTINGS)
        self.assertEqual(response.status_code, 404)
        intro.invalidate_cache()
        self.assertEqual(intro.state, "requested")
        # The requester may not accept its own request.
        self.login(self.asker)
        page_url = "%s/%d" % (BACK, intro.id)
        response = self.post(page_url + "/answer", {"answer": "accept"},
                             csrf_from=page_url)
        self.assertEqual(response.status_code, 409)
        self.assertNotIn(self.target.email, response.text)
        # The recipient reports it: an incident, the requester refused.
        self.login(self.target)
        response = self.post(page_url + "/report", {"reason": "  "},
                             csrf_from=page_url)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="reason_error"', response.text)
        response = self.post(page_url + "/report", {"reason": "Spam"},
                             csrf_from=page_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("the programme team will look into it", response.text)
        intro = intro.sudo()
        intro.invalidate_cache()
        self.assertTrue(intro.incident_id)
        self.assertEqual(intro.incident_id.partner_id, self.asker)

    def test_settings(self):
        self.login(self.other)
        url = BACK + "/settings"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        response = self.post(url, {"quota": "-3", "purpose_ids": "x"},
                             csrf_from=url)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="quota_error"', response.text)
        self.assertIn('id="purpose_ids_error"', response.text)
        response = self.post(url, {"quota": "6", "purpose_ids": str(
            self.purpose.id), "intro_only": "1"}, csrf_from=url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your settings are saved", response.text)
        self.other.invalidate_cache()
        self.assertEqual(self.other.ambassador_intro_quota, 6)
        self.assertEqual(self.other.ambassador_intro_purpose_ids, self.purpose)
        self.assertTrue(self.other.ambassador_intro_only)

    def test_visitor_and_non_ambassador(self):
        response = self.url_open(BACK)
        self.assertIn("/web/login", response.url)
        portal = self.env["res.partner"].create(
            {"name": "Pia Portal", "email": "pia.portal@example.com"})
        self.make_user(portal)
        self.login(portal)
        for url in (BACK, BACK + "/settings", BACK + "/new?to=%d" % self.target.id):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
