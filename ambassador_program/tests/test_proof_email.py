"""Proofs sent by e-mail to the alias, and the checks of proof files. The
From: header proves nothing (issue #8, hole 11): an e-mailed proof waits for
its ambassador's confirmation, given logged in, before staff review it."""
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from ..models.authority import as_engine
from .common import AmbassadorCase, ensure_french
from .test_website import WebsiteCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class TestProofEmail(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestProofEmail, cls).setUpClass()
        cls.alias = cls.env.ref("ambassador_program.mail_alias_proofs")
        cls.env["ir.config_parameter"].set_param("mail.catchall.domain", "example.net")
        cls.ambassador = cls.make_ambassador("Mia Mail", segment=cls.study)

    def message(self, sender, files=(), subject="Article in Die Zeit",
                reply_to_id=None):
        msg = MIMEMultipart()
        msg["From"] = sender
        msg["To"] = "%s@example.net" % self.alias.alias_name
        msg["Subject"] = subject
        msg["Message-Id"] = self.message_id(sender, subject)
        if reply_to_id:
            msg["In-Reply-To"] = reply_to_id
            msg["References"] = reply_to_id
        msg.attach(MIMEText("I spoke about the territory in Hamburg.", "plain"))
        for name, content, subtype in files:
            part = MIMEApplication(content, _subtype=subtype)
            part.add_header("Content-Disposition", "attachment", filename=name)
            msg.attach(part)
        return msg.as_string()

    @staticmethod
    def message_id(sender, subject):
        return "<%s.%s@example.com>" % (subject.replace(" ", "."),
                                        sender.replace("@", ".").replace('"', ""))

    def process(self, raw):
        return self.env["mail.thread"].message_process(None, raw)

    def mails_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def test_alias_exists(self):
        self.assertEqual(self.alias.alias_model_id.model, "ambassador.proof")
        self.assertEqual(self.alias.alias_name, "proofs")

    def test_ambassador_mail_becomes_proof(self):
        raw = self.message('"Mia" <MIA.MAIL@example.com>', files=[
            ("article.pdf", PDF, "pdf"),
            ("drawing.svg", b"<svg onload='alert(1)'/>", "octet-stream"),
        ])
        proof_id = self.process(raw)
        proof = self.Proof.browse(proof_id)
        self.assertEqual(proof.partner_id, self.ambassador)
        self.assertEqual(proof.channel, "email")
        self.assertEqual(proof.state, "unconfirmed", "not in review before confirmed")
        self.assertEqual(proof.name, "Article in Die Zeit")
        self.assertIn("Hamburg", proof.description)
        self.assertIn(proof.rule_id, self.study.rule_ids)
        self.assertFalse(proof.rule_id.is_press, "a rule that needs no press data")
        self.assertEqual(proof.attachment_ids.mapped("datas_fname"), ["article.pdf"])
        self.assertFalse(proof.attachment_ids.public)
        notes = proof.message_ids.mapped("body")
        self.assertTrue(any("drawing.svg" in (body or "") for body in notes),
                        "the refused file is noted for staff")

    def test_configured_default_rule(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.email_proof_rule_code", "partnership")
        proof = self.Proof.browse(self.process(self.message("mia.mail@example.com")))
        self.assertEqual(proof.rule_id, self.rule_partnership)

    def test_unknown_sender_creates_nothing(self):
        before = self.Proof.search_count([])
        result = self.process(self.message("stranger@example.org"))
        self.assertFalse(result)
        self.assertEqual(self.Proof.search_count([]), before)
        log = self.env["ir.logging"].search(
            [("name", "=", "ambassador_program.proof_email")])
        self.assertTrue(any("stranger@example.org" in line.message for line in log))
        # The sender gets Odoo's bounce with this text (sent and deleted at
        # once in test mode), which does not echo the message.
        check = self.Proof._alias_check_contact(
            None, {"email_from": "stranger@example.org",
                   "body": "<p>Hamburg</p>"}, self.alias)
        self.assertIn("active ambassadors", check["error_template"])
        self.assertNotIn("Hamburg", check["error_template"])
        self.assertTrue(self.Proof._alias_check_contact(
            None, {"email_from": self.ambassador.email}, self.alias))

    def test_suspended_sender_creates_nothing(self):
        suspended = self.make_ambassador("Sam Suspended", segment=self.study,
                                         state="suspended")
        before = self.Proof.search_count([])
        self.assertFalse(self.process(self.message(suspended.email)))
        self.assertEqual(self.Proof.search_count([]), before)

    def test_file_checks(self):
        check = self.Proof._ambassador_check_file
        self.assertEqual(check("report.PDF", PDF), ("report.PDF", "application/pdf"))
        self.assertEqual(check("../../etc/passwd.pdf", PDF)[0], "passwd.pdf")
        self.assertEqual(check('a"b\r\nc;<x>.pdf', PDF)[0], "a_b__c__x_.pdf")
        for name, content in (("x.svg", b"<svg/>"), ("x.html", b"<html>"),
                              ("x.exe", b"MZ"), ("x.pdf", b"<html>"),
                              ("x.docx", b"PK\x03\x04junk"), ("x.pdf", b""),
                              ("noextension", PDF)):
            with self.assertRaises(UserError, msg=name):
                check(name, content)
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.proof_max_file_mb", "0.001")
        with self.assertRaises(UserError):
            check("big.pdf", PDF + b"0" * 2048)

    # ------------------------------------------------------------------
    # Hole 11: a forged sender cannot get a proof into review
    # ------------------------------------------------------------------
    def test_forged_sender_waits_for_the_ambassador(self):
        ensure_french(self.env)
        self.ambassador.lang = "fr_FR"
        template = self.env.ref(
            "ambassador_program.mail_template_proof_email_unconfirmed")
        template.with_context(lang="fr_FR").subject = "Preuve reçue en votre nom"
        before = self.mails_to(self.ambassador)
        proof = self.Proof.browse(self.process(self.message(
            "Someone Else <mia.mail@example.com>", subject="Forged article")))
        self.assertEqual(proof.state, "unconfirmed")
        self.assertNotIn(proof, self.Proof.search([("state", "=", "submitted")]))
        # Staff cannot review it, in any way.
        staff_proof = proof.sudo(self.staff_user)
        with self.assertRaises(UserError):
            staff_proof.action_approve()
        with self.assertRaises(UserError):
            staff_proof.action_reject("no")
        with self.assertRaises(UserError):
            staff_proof.write({"state": "submitted"})
        with self.assertRaises(AccessError):
            staff_proof.action_confirm_by_ambassador()
        self.assertFalse(proof.transaction_ids)
        # The ambassador is told, at its account's address, in its language.
        mail = self.mails_to(self.ambassador) - before
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Preuve reçue en votre nom")
        self.assertIn("/my/ambassador", mail.body_html)
        self.assertIn("Forged article", mail.body_html)

    def test_only_its_ambassador_confirms(self):
        proof = self.Proof.browse(self.process(self.message(self.ambassador.email)))
        owner = self.make_portal_user(self.ambassador)
        other = self.make_portal_user(self.make_ambassador("Oli Other",
                                                           segment=self.study))
        with self.assertRaises(AccessError):
            proof.sudo(other).action_confirm_by_ambassador()
        with self.assertRaises(AccessError):
            proof.sudo(other).action_discard_by_ambassador()
        with self.assertRaises(AccessError):
            proof.sudo(self.manager_user).action_confirm_by_ambassador()
        self.assertEqual(proof.state, "unconfirmed")
        proof.sudo(owner).action_confirm_by_ambassador()
        self.assertEqual(proof.state, "submitted")
        with self.assertRaises(UserError):
            proof.sudo(owner).action_confirm_by_ambassador()
        proof.sudo(self.staff_user).action_approve()
        self.assertEqual(proof.state, "approved")
        self.assertEqual(proof.points_awarded, proof.rule_id.points)

    def test_discard_and_suspended_owner(self):
        proof = self.Proof.browse(self.process(self.message(self.ambassador.email)))
        owner = self.make_portal_user(self.ambassador)
        proof.sudo(owner).action_discard_by_ambassador()
        self.assertFalse(proof.exists())
        log = self.env["ir.logging"].search(
            [("name", "=", "ambassador_program.proof_email"),
             ("func", "=", "action_discard_by_ambassador")])
        self.assertTrue(log)
        second = self.Proof.browse(self.process(self.message(
            self.ambassador.email, subject="Second")))
        # The life cycle's own transitions are tested elsewhere.
        as_engine(self.ambassador).write({"ambassador_state": "suspended"})
        with self.assertRaises(UserError):
            second.sudo(owner).action_confirm_by_ambassador()
        self.assertEqual(second.state, "unconfirmed")

    def test_alias_defaults_and_rpc_values_are_ignored(self):
        secret = self.env["ir.attachment"].create(
            {"name": "secret.pdf", "datas_fname": "secret.pdf", "datas": b"JVBERg=="})
        proof = self.Proof.message_new(
            {"email_from": self.ambassador.email, "subject": "Direct call",
             "body": "<p>x</p>"},
            custom_values={"state": "approved", "channel": "staff",
                           "attachment_ids": [(6, 0, secret.ids)]},
        )
        self.assertEqual(proof.state, "unconfirmed")
        self.assertEqual(proof.channel, "email")
        self.assertFalse(proof.attachment_ids)
        # Over RPC, the gateway's entries are closed to ambassadors.
        portal = self.make_portal_user(self.make_ambassador("Rita Rpc",
                                                            segment=self.study))
        with self.assertRaises(AccessError):
            self.Proof.sudo(portal).message_new(
                {"email_from": self.ambassador.email, "subject": "Over RPC"})
        with self.assertRaises(AccessError):
            proof.sudo(portal).message_update(
                {"attachments": [("x.svg", b"<svg/>")]})
        self.assertFalse(self.Proof.search([("name", "=", "Over RPC")]))

    def test_daily_cap_per_sender(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.email_proof_daily_cap", "2")
        results = [self.process(self.message(self.ambassador.email,
                                             subject="Proof %d" % n))
                   for n in range(3)]
        self.assertTrue(results[0] and results[1])
        self.assertFalse(results[2])
        self.assertEqual(self.Proof.search_count(
            [("partner_id", "=", self.ambassador.id), ("channel", "=", "email")]), 2)
        log = self.env["ir.logging"].search(
            [("name", "=", "ambassador_program.proof_email")])
        self.assertTrue(any("Proof 2" in line.message and "daily" in line.message
                            for line in log))
        # Discarded or not, the other ambassadors are not affected.
        other = self.make_ambassador("Ola Other", segment=self.study)
        self.assertTrue(self.process(self.message(other.email, subject="Proof 9")))

    def test_reply_files_are_checked(self):
        proof = self.Proof.browse(self.process(self.message(self.ambassador.email)))
        original = self.message_id(self.ambassador.email, "Article in Die Zeit")
        self.assertIn(original, proof.message_ids.mapped("message_id"))
        self.process(self.message(
            self.ambassador.email, subject="Re: Article in Die Zeit",
            reply_to_id=original,
            files=[("scan.pdf", PDF, "pdf"),
                   ("page.html", b"<script>alert(1)</script>", "octet-stream"),
                   ("fake.pdf", b"<html>", "pdf")]))
        self.assertEqual(self.Proof.search_count([("name", "like", "Re: Article")]), 0)
        reply = proof.message_ids.filtered(
            lambda m: m.message_id == self.message_id(self.ambassador.email,
                                                      "Re: Article in Die Zeit"))
        self.assertEqual(reply.attachment_ids.mapped("datas_fname"), ["scan.pdf"])
        notes = " ".join(proof.message_ids.mapped("body"))
        self.assertIn("page.html", notes)
        self.assertIn("fake.pdf", notes)
        self.assertFalse(self.env["ir.attachment"].search(
            [("res_model", "=", "ambassador.proof"), ("res_id", "=", proof.id),
             ("datas_fname", "in", ["page.html", "fake.pdf"])]))


@common.at_install(False)
@common.post_install(True)
class TestProofConfirmation(WebsiteCase):
    """Hole 11 over HTTP: the ambassador, logged in, confirms or discards
    the proofs e-mailed in its name (POST with CSRF)."""

    def setUp(self):
        super(TestProofConfirmation, self).setUp()
        self.owner = self.make_ambassador("Eve Mailer")
        self.other = self.make_ambassador("Max Other")
        self.proof = self.env["ambassador.proof"].create(
            {"name": "Seen in Le Monde", "partner_id": self.owner.id,
             "rule_id": self.rule_partnership.id, "channel": "email"})
        self.assertEqual(self.proof.state, "unconfirmed")
        self.path = "/my/ambassador/proofs/%d/" % self.proof.id

    def state(self):
        self.proof.invalidate_cache()
        return self.proof.exists() and self.proof.state

    def test_confirm(self):
        self.login(self.owner)
        page = self.url_open("/my/ambassador")
        self.assertIn("Waiting for the Ambassador", page.text)
        self.assertIn('action="%sconfirm"' % self.path, page.text)
        no_csrf = self.post(self.path + "confirm", {})
        self.assertIn(no_csrf.status_code, (400, 403))
        get = self.url_open(self.path + "confirm")
        self.assertNotEqual(get.status_code, 200)
        self.assertEqual(self.state(), "unconfirmed")
        done = self.post(self.path + "confirm", {}, csrf_from="/my/ambassador")
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_ambassador_proof_confirmed", done.text)
        self.assertEqual(self.state(), "submitted")
        again = self.post(self.path + "confirm", {}, csrf_from="/my/ambassador")
        self.assertEqual(again.status_code, 409)

    def test_someone_else_cannot(self):
        self.login(self.other)
        self.assertNotIn("Seen in Le Monde", self.url_open("/my/ambassador").text)
        for action in ("confirm", "discard"):
            response = self.post(self.path + action, {}, csrf_from="/my/ambassador")
            self.assertEqual(response.status_code, 404, action)
        self.assertEqual(self.state(), "unconfirmed")

    def test_discard(self):
        self.login(self.owner)
        done = self.post(self.path + "discard", {}, csrf_from="/my/ambassador")
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_ambassador_proof_discarded", done.text)
        self.assertFalse(self.state())
