# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Consent texts on the pages that collect consents, and the ambassador
space's prompt to re-confirm, over HTTP; a portal user forging consent rows
or texts over JSON-RPC is refused (issue 12)."""
import json

from odoo.tests import common

from ..models.authority import as_engine
from .test_website import WebsiteCase

NEWSLETTER = "ambassador_consent_newsletter"


@common.at_install(False)
@common.post_install(True)
class TestConsentPages(WebsiteCase):

    def setUp(self):
        super(TestConsentPages, self).setUp()
        self.newsletter_v1 = self.env.ref(
            "ambassador_program.consent_purpose_newsletter_v1")

    def lapse_newsletter(self, text="The newsletter, now with polls."):
        current = self.env["ambassador.consent.purpose"].search(
            [("purpose", "=", "newsletter"), ("state", "=", "published")])
        draft = self.env["ambassador.consent.purpose"].create(
            {"purpose": "newsletter", "version": current.version + 1, "text": text})
        draft.action_publish()
        return draft

    def rpc(self, model, method, args):
        self.sync()
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"model": model, "method": method,
                                        "args": args, "kwargs": {}}}),
            headers={"Content-Type": "application/json"}, timeout=60)
        self.env.clear()
        return response.json()

    def test_signup_and_profile_show_the_texts(self):
        page = self.url_open("/ambassadors/join/study").text
        self.assertIn(self.newsletter_v1.text, page)
        self.assertIn('aria-describedby="%s_text"' % NEWSLETTER, page)
        amb = self.make_ambassador("Tess Texts", city="Lyon")
        self.login(amb)
        page = self.url_open("/my/ambassador/profile").text
        self.assertIn(self.newsletter_v1.text, page)
        self.assertIn(self.env.ref(
            "ambassador_program.consent_purpose_directory_city_v1").text, page)

    def test_reconfirm_in_the_space(self):
        amb = self.make_ambassador("Rene Reconfirm")
        as_engine(amb)._ambassador_set_consents({NEWSLETTER: True}, "portal")
        self.login(amb)
        page = self.url_open("/my/ambassador").text
        self.assertNotIn("o_ambassador_consent_reconfirm", page)
        draft = self.lapse_newsletter()
        page = self.url_open("/my/ambassador").text
        self.assertIn("o_ambassador_consent_reconfirm", page)
        self.assertIn(draft.text, page)
        # A purpose not to re-confirm: nothing happens.
        response = self.post("/my/ambassador/consents/reconfirm",
                             {"purpose": "ambassador_show_phone",
                              "decision": "confirm"}, csrf_from="/my/ambassador")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(amb.ambassador_show_phone)
        response = self.post("/my/ambassador/consents/reconfirm",
                             {"purpose": NEWSLETTER, "decision": "confirm"},
                             csrf_from="/my/ambassador")
        self.assertIn("o_ambassador_reconfirmed", response.text)
        self.assertNotIn("o_ambassador_consent_reconfirm", response.text)
        self.assertTrue(amb[NEWSLETTER])
        last = amb.ambassador_consent_ids.sorted("id")[-1]
        self.assertEqual((last.granted, last.channel, last.version, last.text_shown,
                          last.text_lang),
                         (True, "portal", draft.version, draft.text, "en_US"))
        self.assertEqual(last.ip_address, "127.0.0.1")

    def test_legacy_membership_confirmed_in_the_space(self):
        amb = self.make_ambassador("Lina Legacy")
        # As the import records it.
        self.env["ambassador.consent"].create({
            "partner_id": amb.id, "purpose": "membership", "granted": True,
            "channel": "import", "legal_basis": "legacy"})
        self.login(amb)
        page = self.url_open("/my/ambassador").text
        self.assertIn("o_ambassador_consent_reconfirm", page)
        self.assertIn("To leave the programme instead", page)
        self.assertNotIn("o_ambassador_reconfirm_no", page)
        response = self.post("/my/ambassador/consents/reconfirm",
                             {"purpose": "membership", "decision": "confirm"},
                             csrf_from="/my/ambassador")
        self.assertNotIn("o_ambassador_consent_reconfirm", response.text)
        last = amb.ambassador_consent_ids.sorted("id")[-1]
        self.assertEqual((last.purpose, last.legal_basis, last.channel),
                         ("membership", "consent", "portal"))
        self.assertTrue(last.text_shown)

    def test_portal_user_cannot_forge_over_rpc(self):
        amb = self.make_ambassador("Fred Forger")
        self.login(amb)
        body = self.rpc("ambassador.consent", "create", [{
            "partner_id": amb.id, "purpose": "newsletter", "granted": True,
            "channel": "portal", "version": 7, "text_shown": "Never shown"}])
        self.assertIn("AccessError", body["error"]["data"]["name"])
        body = self.rpc("ambassador.consent.purpose", "create", [{
            "purpose": "newsletter", "version": 7, "text": "Forged"}])
        self.assertIn("AccessError", body["error"]["data"]["name"])
        body = self.rpc("ambassador.consent.purpose", "action_publish",
                        [self.newsletter_v1.ids])
        self.assertIn("error", body)
        body = self.rpc("res.partner", "_ambassador_set_consents",
                        [amb.ids, {NEWSLETTER: True}, "portal"])
        self.assertIn("error", body)
        self.assertFalse(amb[NEWSLETTER])
        self.assertFalse(self.env["ambassador.consent"].search(
            [("partner_id", "=", amb.id), ("version", "=", 7)]))
