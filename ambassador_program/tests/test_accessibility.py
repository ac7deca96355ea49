# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Accessibility at the ORM and HTTP levels (the pages themselves are checked
with axe-core in tests/test_accessibility_browser.py): text alternatives of
image documents, format and size of downloads, the statement and its
settings."""
import base64

from odoo.exceptions import ValidationError
from odoo.tests import common

from ..models.form_input import error_id
from .common_http import SharedCursorHttpCase
from .test_website import WebsiteCase

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
    "awAAAABJRU5ErkJggg==")


class TestDocumentAlternative(common.TransactionCase):

    def _document(self, **values):
        return self.env["ambassador.document"].create(dict(
            {"name": "Poster", "file": base64.b64encode(PNG),
             "file_name": "poster.png"}, **values))

    def test_image_needs_its_alternative(self):
        with self.assertRaises(ValidationError):
            self._document()
        with self.assertRaises(ValidationError):
            self._document(alt_text="   ")
        document = self._document(alt_text="The lake at dawn")
        self.assertTrue(document.file_is_image)
        with self.assertRaises(ValidationError):
            document.write({"alt_text": False})
        # Archived, it is offered to nobody: the alternative may wait.
        document.write({"active": False, "alt_text": False})

    def test_other_files_need_none(self):
        document = self._document(file_name="deck.pdf")
        self.assertFalse(document.file_is_image)

    def test_format_and_size(self):
        document = self._document(alt_text="A dot")
        self.assertEqual(document.file_format, "PNG, %d bytes" % len(PNG))
        big = self._document(file_name="deck.pdf",
                             file=base64.b64encode(b"%PDF" + b"x" * 300000))
        self.assertEqual(big.file_format, "PDF, 293 KB")
        french = big.with_context(lang="fr_FR")
        if self.env["res.lang"]._lang_get("fr_FR"):
            # The unit is translated with the rest (Ko once fr.po says so).
            self.assertTrue(french.file_format.startswith("PDF, 293 "))
        link = self.env["ambassador.document"].create(
            {"name": "Site", "url": "https://a.example"})
        self.assertFalse(link.file_format)


@common.at_install(False)
@common.post_install(True)
class TestStatementPage(SharedCursorHttpCase):

    def test_statement_shows_the_settings(self):
        settings = self.env["res.config.settings"].create({
            "ambassador_a11y_conformity": "partial",
            "ambassador_a11y_rate": 87,
            "ambassador_a11y_audit_date": "2026-10-15",
            "ambassador_a11y_auditor": "Access <b>Audit</b>",
            "ambassador_a11y_contact_email": "access@example.org",
            "ambassador_a11y_contact_url": "javascript:alert(1)",
        })
        settings.execute()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("ambassador_program.a11y_rate"), "87")
        self.assertEqual(self.env["res.config.settings"].create({})
                         .ambassador_a11y_conformity, "partial")
        self.sync()
        response = self.url_open("/ambassadors/accessibility")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("partially compliant", page)
        self.assertIn("<strong>87%</strong>", page)
        self.assertIn("Access &lt;b&gt;Audit&lt;/b&gt;", page)
        self.assertIn("mailto:access@example.org", page)
        self.assertNotIn("javascript:alert", page)

    def test_mistyped_settings_do_not_break_the_page(self):
        params = self.env["ir.config_parameter"]
        params.set_param("ambassador_program.a11y_audit_date", "15th of October")
        params.set_param("ambassador_program.a11y_rate", "lots")
        params.set_param("ambassador_program.a11y_conformity", "<script>")
        self.sync()
        response = self.url_open("/ambassadors/accessibility")
        self.assertEqual(response.status_code, 200)
        self.assertIn("not compliant", response.text)
        self.assertIn("No audit has been carried out yet.", response.text)


@common.at_install(False)
@common.post_install(True)
class TestFormErrors(WebsiteCase):

    def test_signup_errors_summary_and_described_fields(self):
        """A refused sign-up lists every error at the top with a link to its
        field; each field names its message with aria-describedby; what was
        typed is kept; required fields are said in text."""
        response = self.post(
            "/ambassadors/join/study",
            self.form(email="not-an-address", ambassador_research_field="",
                      charter_accepted=None),
            csrf_from="/ambassadors/join/study")
        self.assertEqual(response.status_code, 400)
        page = response.text
        self.assertIn("o_ambassador_error_summary", page)
        self.assertIn("o_ambassador_required_note", page)
        summary = page.split("o_ambassador_error_summary", 1)[1].split("</div>")[0]
        for field in ("email", "ambassador_research_field", "charter"):
            self.assertIn('href="#%s"' % field, summary)
            self.assertIn('id="%s"' % error_id(field), page)
            self.assertRegex(page, r'id="%s"[^>]*aria-describedby="[^"]*%s' % (
                field, error_id(field)))
        self.assertNotIn('href="#name"', summary)
        self.assertIn('value="Ada Study"', page)
