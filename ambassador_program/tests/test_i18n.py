import os

from babel.messages import pofile

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path

from .common import AmbassadorCase, ensure_french


class TestFrench(AmbassadorCase):
    """French is a first language: the catalogue is complete and applied."""

    @classmethod
    def read_catalog(cls, name):
        path = os.path.join(get_module_path("ambassador_program"), "i18n", name)
        with open(path, "rb") as catalog:
            return pofile.read_po(catalog)

    def test_catalog_is_complete(self):
        template = self.read_catalog("ambassador_program.pot")
        french = self.read_catalog("fr.po")
        self.assertGreater(len(template), 300)
        missing = [m.id for m in template if m.id and m.id not in french]
        self.assertFalse(missing, "strings of the .pot missing from fr.po")
        untranslated = [m.id for m in french if m.id and (not m.string or m.fuzzy)]
        self.assertFalse(untranslated, "untranslated or fuzzy French strings")

    def test_records_and_messages_speak_french(self):
        ensure_french(self.env)
        fr = self.env(context=dict(self.env.context, lang="fr_FR"))
        rule = fr.ref("ambassador_program.rule_press_foreign_article")
        self.assertNotEqual(rule.name, self.rule_press.with_context(lang="en_US").name)
        self.assertIn("journal étranger", rule.name.lower())
        line = self.make_ambassador("Eva French", points=3).ambassador_transaction_ids
        with self.assertRaises(UserError) as error:
            line.with_context(lang="fr_FR").unlink()
        self.assertIn("registre", error.exception.name.lower())
