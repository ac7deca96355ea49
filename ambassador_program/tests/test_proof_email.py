"""Proofs sent by e-mail to the alias, and the checks of proof files."""
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from odoo.exceptions import UserError

from .common import AmbassadorCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class TestProofEmail(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestProofEmail, cls).setUpClass()
        cls.alias = cls.env.ref("ambassador_program.mail_alias_proofs")
        cls.env["ir.config_parameter"].set_param("mail.catchall.domain", "example.net")
        cls.ambassador = cls.make_ambassador("Mia Mail", segment=cls.study)

    def message(self, sender, files=(), subject="Article in Die Zeit"):
        msg = MIMEMultipart()
        msg["From"] = sender
        msg["To"] = "%s@example.net" % self.alias.alias_name
        msg["Subject"] = subject
        msg["Message-Id"] = "<%s.%s@example.com>" % (subject.replace(" ", "."),
                                                     sender.replace("@", "."))
        msg.attach(MIMEText("I spoke about the territory in Hamburg.", "plain"))
        for name, content, subtype in files:
            part = MIMEApplication(content, _subtype=subtype)
            part.add_header("Content-Disposition", "attachment", filename=name)
            msg.attach(part)
        return msg.as_string()

    def process(self, raw):
        return self.env["mail.thread"].message_process(None, raw)

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
        self.assertEqual(proof.state, "submitted")
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
