# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The re-confirmation e-mail of imported ambassadors and its page: accept
the charter, confirm or withdraw each consent (double opt-in)."""
import base64
import re

from odoo.tests import common
from odoo.tools import html_escape

from .common import ensure_french
from .test_website import WebsiteCase

CSV = (
    "name,email,segment,tier,points,lang,consent_newsletter,consent_wall,"
    "consent_directory_email\n"
    "Rita Reconfirm,rita.reconfirm@example.com,Study,Silver,250,en_US,yes,yes,no\n"
    "Remi Reconfirm,remi.reconfirm@example.com,Invest,,10,,no,,\n"
)


@common.at_install(False)
@common.post_install(True)
class TestReconfirmation(WebsiteCase):

    def setUp(self):
        super(TestReconfirmation, self).setUp()
        manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Reconfirm Manager", "login": "reconfirm_manager",
            "groups_id": [(6, 0, [
                self.env.ref("ambassador_program.group_ambassador_manager").id])]})
        result = self.env["ambassador.import.job"].sudo(manager).import_file(
            base64.b64encode(CSV.encode()).decode(), "legacy.csv", dry_run=False,
            send_reconfirmation=True)
        self.assertEqual(result["errors"], [])
        self.manager = manager
        self.job = self.env["ambassador.import.job"].browse(result["job_id"])
        self.rita = self.job.partner_ids.filtered(lambda p: p.name == "Rita Reconfirm")

    def test_each_in_its_language(self):
        """A French ambassador of the former programme reads its e-mail in
        French, an English one in English."""
        ensure_french(self.env)
        csv = ("name,email,segment,lang\n"
               "Fanny Reconfirm,fanny.rc@example.com,Visit,fr_FR\n")
        result = self.env["ambassador.import.job"].sudo(self.manager).import_file(
            base64.b64encode(csv.encode()).decode(), "fr.csv", dry_run=False,
            send_reconfirmation=True)
        self.assertEqual(result["errors"], [])
        fanny = self.env["ambassador.import.job"].browse(result["job_id"]).partner_ids
        template = self.env.ref("ambassador_program.mail_template_reconfirmation")
        english = template.subject
        french = template.with_context(lang="fr_FR").subject
        self.assertNotEqual(french, english, "the template is translated")
        for partner, subject in ((fanny, french), (self.rita, english)):
            mail = self.env["mail.mail"].search(
                [("recipient_ids", "in", partner.ids)], order="id desc", limit=1)
            self.assertEqual(mail.subject, subject)

    def token_of(self, partner):
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1)
        self.assertTrue(mail, "a re-confirmation e-mail is queued")
        match = re.search(r"/ambassadors/reconfirm\?token=([\w\-]+)", mail.body_html)
        return match.group(1)

    def test_each_imported_ambassador_gets_a_link(self):
        requests = self.job.reconfirmation_ids
        self.assertEqual(requests.mapped("partner_id"), self.job.partner_ids)
        self.assertEqual(set(requests.mapped("state")), {"pending"})
        token = self.token_of(self.rita)
        request = requests.filtered(lambda r: r.partner_id == self.rita)
        self.assertNotIn(token, request.token_hash, "only a hash is stored")
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.rita.ids)], limit=1)
        self.assertIn("Rita Reconfirm", mail.body_html)

    def test_confirm_charter_and_choices(self):
        token = self.token_of(self.rita)
        path = "/ambassadors/reconfirm?token=%s" % token
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("web-test-1", page.text, "the current charter is shown")
        ticked = re.findall(r'<input[^>]*name="(ambassador_[a-z_]+)"[^>]*checked',
                            page.text)
        self.assertEqual(sorted(ticked), ["ambassador_consent_newsletter",
                                          "ambassador_consent_wall"])
        # Each choice shows the text published for its purpose, which the log
        # copies when the person confirms.
        texts = self.env["ambassador.consent.purpose"]._current_texts("en_US")
        newsletter_text = texts["newsletter"]
        self.assertIn(str(html_escape(newsletter_text.text)), page.text)
        # Without the charter: said clearly, nothing recorded.
        refused = self.post("/ambassadors/reconfirm", {
            "token": token, "ambassador_consent_newsletter": "1"}, csrf_from=path)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("accept the charter", refused.text)
        self.assertFalse(self.rita.ambassador_consent_ids.filtered(
            lambda c: c.channel == "email"))
        # Accepted: the newsletter confirmed, the wall withdrawn.
        done = self.post("/ambassadors/reconfirm", {
            "token": token, "accept_charter": "1",
            "ambassador_consent_newsletter": "1"}, csrf_from=path)
        self.assertEqual(done.status_code, 200)
        self.assertIn("is confirmed", done.text)
        # The imported ambassador gets its portal account, its password to choose.
        self.assertIn("o_ambassador_set_password", done.text)
        self.assertEqual(self.rita.user_ids.mapped("login"),
                         ["rita.reconfirm@example.com"])
        self.rita.invalidate_cache()
        self.assertTrue(self.rita.ambassador_consent_newsletter)
        self.assertFalse(self.rita.ambassador_consent_wall)
        self.assertEqual(self.rita.ambassador_charter_id, self.charter)
        acceptance = self.rita.ambassador_charter_acceptance_ids
        self.assertEqual(acceptance.mapped("channel"), ["email"])
        latest = {}
        for line in self.rita.ambassador_consent_ids.sorted("id"):
            latest[line.purpose] = line
        self.assertEqual(
            {purpose: (line.granted, line.channel, line.legal_basis)
             for purpose, line in latest.items()
             if purpose in ("membership", "newsletter", "wall", "directory_email")},
            {"membership": (True, "email", "consent"),
             "newsletter": (True, "email", "consent"),
             "wall": (False, "email", "consent"),
             "directory_email": (False, "email", "consent")})
        self.assertEqual(
            (latest["newsletter"].text_shown, latest["newsletter"].version),
            (newsletter_text.text, newsletter_text.version))
        self.assertEqual(latest["membership"].purpose_text_id, texts["membership"])
        # Single use.
        again = self.url_open(path)
        self.assertEqual(again.status_code, 410)

    def test_wrong_link(self):
        page = self.url_open("/ambassadors/reconfirm?token=not-a-token")
        self.assertEqual(page.status_code, 404)
        self.assertIn("not valid", page.text)
        page = self.url_open("/ambassadors/reconfirm")
        self.assertEqual(page.status_code, 404)
