"""What the website's forms do, as model calls (no HTTP): the sign-up
(ambassador.signup.request._ambassador_signup) and a proof declared in the
ambassador space (ambassador.proof._ambassador_portal_submit); and the helpers
they share (parameters, usable e-mail)."""
import base64
from datetime import date, timedelta

from odoo.exceptions import ValidationError

from ..models.ambassador_signup_request import SignupRateLimited
from ..models.email_address import usable_email
from ..models.form_input import FormErrors
from ..models.programme_params import float_param, int_param
from ..models.res_partner import CONSENT_PURPOSES
from .common import AmbassadorCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
IP = "198.51.100.7"
AGENT = "Test agent"


class TestSignupModel(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestSignupModel, cls).setUpClass()
        cls.Request = cls.env["ambassador.signup.request"]
        cls.set_param("signup_rate_limit", "100")
        cls.charter = cls.env["ambassador.charter"].get_current()
        # As the website runs it: the public user.
        cls.Public = cls.Request.sudo(cls.env.ref("base.public_user"))

    @classmethod
    def set_param(cls, key, value):
        cls.env["ir.config_parameter"].set_param("ambassador_program.%s" % key, value)

    def form(self, **extra):
        form = {
            "name": "Ada Model",
            "email": "ada.model@example.org",
            "ambassador_institution": "University of the Territory",
            "ambassador_research_field": "Glaciology",
            "charter_accepted": "1",
            "charter_id": self.charter and str(self.charter.id) or None,
            "ambassador_consent_newsletter": "1",
        }
        form.update(extra)
        return {key: value for key, value in form.items() if value is not None}

    def signup(self, **extra):
        return self.Public._ambassador_signup(
            self.study, self.form(**extra), IP, AGENT, "en_US"
        )

    def mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def test_new_address_becomes_a_candidate_with_an_emailed_link(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://ambassadors.example.org")
        signup = self.signup()
        self.assertEqual(signup.state, "pending")
        partner = signup.partner_id
        self.assertEqual(partner.email, "ada.model@example.org")
        self.assertEqual(partner.ambassador_state, "candidate")
        self.assertEqual(partner.ambassador_segment_id, self.study)
        self.assertEqual(partner.ambassador_institution, "University of the Territory")
        self.assertEqual(signup.ip_address, IP)
        self.assertFalse(partner.ambassador_consent_newsletter,
                         "consents wait for the confirmation page")
        self.assertEqual(signup._offered_consents()["ambassador_consent_newsletter"],
                         True)
        mail = self.mails_to(partner)
        self.assertEqual(len(mail), 1)
        self.assertIn("https://ambassadors.example.org/ambassadors/confirm?token=",
                      mail.body_html, "the link is built on web.base.url")

    def test_refused_answers_come_back_field_by_field(self):
        with self.assertRaises(FormErrors) as caught:
            self.signup(name="", email="Ada <ada.model@example.org>",
                        ambassador_institution="", charter_accepted=None)
        self.assertEqual(
            set(caught.exception.errors),
            {"name", "email", "ambassador_institution", "charter"} if self.charter
            else {"name", "email", "ambassador_institution"},
        )
        self.assertIsInstance(caught.exception, ValidationError, "RPC-friendly")
        for email in ("not-an-address", "a@b.org, c@d.org", "x" * 250 + "@b.org"):
            with self.assertRaises(FormErrors, msg=email) as caught:
                self.signup(email=email)
            self.assertIn("email", caught.exception.errors)
        self.assertFalse(self.Partner.search([("email", "ilike", "ada.model")]))
        self.assertFalse(self.Request.search([("ip_address", "=", IP)]))

    def test_known_ambassador_is_answered_by_email_only(self):
        known = self.make_ambassador("Known Model", email="known.model@example.org")
        signup = self.signup(email="KNOWN.model@example.org", name="Someone Else")
        self.assertEqual(signup.state, "duplicate")
        self.assertEqual(signup.partner_id, known)
        known.invalidate_cache()
        self.assertEqual(known.name, "Known Model", "nothing overwritten")
        mail = self.mails_to(known)
        self.assertIn("already registered", mail.body_html)
        self.assertNotIn("/ambassadors/confirm", mail.body_html)

    def test_candidate_signing_up_again_gets_a_new_link(self):
        first = self.signup()
        second = self.signup()
        self.assertEqual(second.partner_id, first.partner_id)
        self.assertEqual(second.state, "pending")
        self.assertEqual(len(self.mails_to(first.partner_id)), 2)

    def test_existing_contact_changes_only_once_confirmed(self):
        contact = self.Partner.create(
            {"name": "Old Customer", "email": "old.customer@example.org"})
        signup = self.signup(email="old.customer@example.org", name="Renamed",
                             ambassador_show_email="1")
        self.assertEqual(signup.partner_id, contact)
        self.assertFalse(contact.ambassador_state, "unchanged until confirmed")
        self.assertFalse(signup._offered_consents()["ambassador_show_email"],
                         "nothing pre-ticked for a contact that existed before")
        signup._confirm(IP, {})
        contact.invalidate_cache()
        self.assertEqual(contact.ambassador_state, "active")
        self.assertEqual(contact.ambassador_segment_id, self.study)
        self.assertEqual(contact.name, "Old Customer")
        self.assertFalse(contact.ambassador_show_email)

    def test_address_and_network_limits(self):
        for _attempt in range(3):
            self.assertTrue(self.signup(email="victim.model@example.org"))
        self.assertFalse(self.signup(email="victim.model@example.org"),
                         "at most 3 sign-up e-mails to an address per hour")
        self.set_param("signup_rate_limit", "3")
        with self.assertRaises(SignupRateLimited):
            self.signup(email="another.model@example.org")
        self.assertFalse(self.Partner.search(
            [("email", "=", "another.model@example.org")]))


class TestProofSubmitModel(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestProofSubmitModel, cls).setUpClass()
        cls.ambassador = cls.make_ambassador("Pia Proof", segment=cls.study)
        cls.user = cls.make_portal_user(cls.ambassador)

    def submit(self, files=None, **extra):
        form = {
            "rule_id": str(self.rule_partnership.id),
            "name": "Partnership with Kyoto",
            "description": "Signed in October",
            "url": "https://example.com/kyoto",
        }
        form.update(extra)
        return self.Proof.sudo(self.user)._ambassador_portal_submit(form, files or [])

    def refused(self, files=None, **extra):
        with self.assertRaises(FormErrors) as caught:
            self.submit(files=files, **extra)
        self.assertFalse(self.Proof.search([("partner_id", "=", self.ambassador.id)]),
                         "nothing half-created")
        return caught.exception.errors

    def test_submit_with_files(self):
        proof = self.submit(files=[("../report.png", PNG)])
        self.assertEqual(proof.partner_id, self.ambassador)
        self.assertEqual((proof.channel, proof.state), ("portal", "submitted"))
        self.assertEqual(proof.attachment_ids.datas_fname, "report.png")
        self.assertEqual(base64.b64decode(proof.attachment_ids.datas), PNG)

    def test_press_evidence(self):
        press = {"rule_id": self.rule_press.id, "press_media": "Le Temps",
                 "press_country_id": str(self.env.ref("base.ch").id),
                 "press_language": "French"}
        future = (date.today() + timedelta(days=40)).isoformat()
        for bad in (future, "2026-13-45", "2026-01-15junk", ""):
            errors = self.refused(press_date=bad, **press)
            self.assertEqual(list(errors), ["press_date"], bad)
        errors = self.refused(press_date="2026-01-15",
                              **dict(press, press_media="", press_country_id="x"))
        self.assertEqual(set(errors), {"press_media", "press_country_id"})
        proof = self.submit(press_date="2026-01-15", **press)
        self.assertEqual((proof.press_media, proof.press_date),
                         ("Le Temps", "2026-01-15"))

    def test_rule_of_another_segment(self):
        errors = self.refused(rule_id=str(self.rule_company.id))
        self.assertEqual(list(errors), ["rule_id"])
        self.assertIn("Choose one of the actions", errors["rule_id"])

    def test_too_many_or_bad_files_and_lengths(self):
        errors = self.refused(files=[("p%d.png" % i, PNG) for i in range(6)])
        self.assertEqual(errors, {"files": "At most 5 files per proof."})
        errors = self.refused(files=[("page.html", b"<html>")])
        self.assertIn("not accepted", errors["files"])
        errors = self.refused(name="T" * 201, url="javascript:alert(1)")
        self.assertEqual(set(errors), {"name", "url"})
        errors = self.refused(url="", description="")
        self.assertEqual(list(errors), ["files"], "a link, a file or a description")

    def test_suspended_ambassador_gets_a_form_error(self):
        suspended = self.make_ambassador(
            "Sue Proof", segment=self.study, state="suspended")
        user = self.make_portal_user(suspended)
        with self.assertRaises(FormErrors) as caught:
            self.Proof.sudo(user)._ambassador_portal_submit(
                {"rule_id": str(self.rule_partnership.id), "name": "Mine",
                 "url": "https://example.com"}, [])
        self.assertEqual(list(caught.exception.errors), ["form"])
        self.assertFalse(self.Proof.search([("partner_id", "=", suspended.id)]))


class TestSharedHelpers(AmbassadorCase):

    def test_int_param_falls_back_on_bad_values(self):
        params = self.env["ir.config_parameter"]
        for stored, expected in (("7", 7), ("", 3), ("seven", 3), (" 8 ", 8),
                                 ("-2", 0)):
            params.set_param("ambassador_program.test_param", stored)
            self.assertEqual(int_param(self.env, "test_param", 3, 0), expected,
                             stored)
        params.set_param("ambassador_program.test_param", "0.5")
        self.assertEqual(float_param(self.env, "test_param", 10), 0.5)
        self.assertEqual(int_param(self.env, "test_param", 3), 3)

    def test_usable_email(self):
        self.assertEqual(usable_email("Ada <ADA@Example.org>"), "ada@example.org")
        for bad in ("", None, "ada", "ada@localhost", "a@b.org, c@d.org",
                    "x" * 250 + "@b.org"):
            self.assertFalse(usable_email(bad), bad)

    def test_consent_wizard_offers_every_consent(self):
        wizard_fields = self.env["ambassador.consent.wizard"]._fields
        self.assertFalse(
            [name for name in CONSENT_PURPOSES if name not in wizard_fields])


class TestUsableEmailSql(AmbassadorCase):
    """The SQL test of an address finds one exactly where Odoo's email_re
    does (the lists, the invitations), in PostgreSQL itself."""

    def test_sql_condition_agrees_with_odoo(self):
        from odoo.tools.mail import email_re

        from ..models.email_address import USABLE_EMAIL_PARAMS, usable_email_sql

        samples = ["a@b.org", "x", "", "a@b.c", "Name <a.b@c-d.fr>", "@b.org",
                   "a@.org", "a@b.o1", "\u00e9@b.org", "a@b", "a b@c.de",
                   "a@b.org, c@d.fr", "o'brien@x.com", "a@b..org", "1@2.34x",
                   "a@b.ORG", "first.last+tag@sub.example.museum"]
        for sample in samples:
            self.env.cr.execute(
                "SELECT %s FROM (SELECT %%(value)s::text AS email) p"
                % usable_email_sql("p.email"),
                dict(USABLE_EMAIL_PARAMS, value=sample),
            )
            self.assertEqual(bool(self.env.cr.fetchone()[0]),
                             bool(email_re.search(sample)), sample)
