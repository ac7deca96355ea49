# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Proof of consent (issue 12): each consent logged with the version and a
copy of the text shown, in the person's language; a new version of a text
lapses the consents given under the old one until re-confirmed; legacy
consents held until re-confirmed; who may do what with the texts."""
from odoo.exceptions import AccessError, UserError

from ..models.authority import as_engine
from .common import AmbassadorCase, ensure_french

IP = "203.0.113.44"
NEWSLETTER = "ambassador_consent_newsletter"


class TestConsentProof(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestConsentProof, cls).setUpClass()
        cls.Purpose = cls.env["ambassador.consent.purpose"]
        cls.Consent = cls.env["ambassador.consent"]
        cls.newsletter_v1 = cls.env.ref(
            "ambassador_program.consent_purpose_newsletter_v1")

    def new_version(self, purpose, text, french=None):
        current = self.Purpose.search([("purpose", "=", purpose),
                                       ("state", "=", "published")])
        draft = self.Purpose.sudo(self.manager_user).create(
            {"purpose": purpose, "version": current.version + 1, "text": text})
        if french:
            draft.with_context(lang="fr_FR").write({"text": french})
        return draft

    def test_each_purpose_has_a_published_text(self):
        texts = self.Purpose._current_texts("en_US")
        self.assertEqual(set(texts), {"membership", "newsletter", "wall",
                                      "directory_email", "directory_phone",
                                      "directory_company", "directory_city",
                                      "directory_skills", "leaderboard"})
        for text in texts.values():
            self.assertGreater(len(text.text), 60, text.purpose)

    def test_log_copies_version_and_text_shown(self):
        amb = self.make_ambassador("Paula Proof")
        as_engine(amb).with_context(lang="en_US")._ambassador_set_consents(
            {NEWSLETTER: True}, "portal", IP)
        row = amb.ambassador_consent_ids
        self.assertEqual(len(row), 1)
        self.assertEqual((row.purpose_text_id, row.version, row.text_lang),
                         (self.newsletter_v1, 1, "en_US"))
        self.assertEqual(row.text_shown, self.newsletter_v1.text)
        # The published text cannot change under the proof.
        with self.assertRaises(UserError):
            self.newsletter_v1.sudo(self.manager_user).write({"text": "Other"})
        with self.assertRaises(UserError):
            self.newsletter_v1.sudo(self.manager_user).unlink()

    def test_text_in_the_persons_language(self):
        ensure_french(self.env)
        draft = self.new_version("wall", "Your face on the wall.",
                                 "Votre visage sur le mur.")
        draft.sudo(self.manager_user).action_publish()
        amb = self.make_ambassador("Fanny Francaise", lang="fr_FR")
        # Its own channel: the page's language.
        as_engine(amb).with_context(lang="fr_FR")._ambassador_set_consents(
            {"ambassador_consent_wall": True}, "portal", IP)
        # Staff record a change: the person's own language.
        amb.sudo(self.staff_user).with_context(
            lang="en_US", ambassador_consent_reason="Letter of 3 May").write(
                {"ambassador_consent_wall": False})
        granted, withdrawn = amb.ambassador_consent_ids.sorted("id")
        for row in (granted, withdrawn):
            self.assertEqual(row.text_shown, "Votre visage sur le mur.")
            self.assertEqual((row.text_lang, row.version),
                             ("fr_FR", draft.version))
        # The copy is plain text: the same whoever reads the log.
        self.assertEqual(granted.with_context(lang="en_US").text_shown,
                         "Votre visage sur le mur.")

    def test_new_version_lapses_consents_until_reconfirmed(self):
        holder = self.make_ambassador("Hugo Holder")
        other = self.make_ambassador("Olga Other")
        as_engine(holder)._ambassador_set_consents({NEWSLETTER: True}, "portal", IP)
        as_engine(other)._ambassador_set_consents(
            {"ambassador_show_city": True}, "portal", IP)
        list_contacts = self.env["mail.mass_mailing.contact"].search(
            [("email", "=", holder.email)])
        self.assertTrue(list_contacts.mapped("list_ids"))
        draft = self.new_version("newsletter", "A monthly newsletter, and polls.")
        with self.assertRaises(AccessError):
            draft.sudo(self.staff_user).action_publish()
        draft.sudo(self.manager_user).action_publish()
        self.assertEqual(self.newsletter_v1.state, "archived")
        self.invalidate()
        # Withdrawn until re-confirmed: the newsletter stops.
        self.assertFalse(holder[NEWSLETTER])
        self.assertFalse(self.env["mail.mass_mailing.contact"].search(
            [("email", "=", holder.email), ("list_ids", "!=", False)]))
        lapse = holder.ambassador_consent_ids.sorted("id")[-1]
        self.assertEqual((lapse.granted, lapse.lapsed, lapse.version,
                          lapse.purpose_text_id), (False, True, 2, draft))
        self.assertTrue(holder.ambassador_consent_reconfirm)
        self.assertFalse(other.ambassador_consent_reconfirm)
        self.assertTrue(other.ambassador_show_city)
        staff_view = self.Partner.sudo(self.staff_user)
        found = staff_view.search([("ambassador_consent_reconfirm", "=", True)])
        self.assertIn(holder, found)
        self.assertNotIn(other, found)
        self.assertIn(other, staff_view.search(
            [("ambassador_consent_reconfirm", "=", False)]))
        prompt = holder._ambassador_consents_to_reconfirm()
        self.assertEqual(prompt, [(NEWSLETTER, "Newsletter", draft.text, False)])
        # The ambassador re-confirms: on again, under version 2.
        user = self.make_portal_user(holder)
        holder.sudo(user)._ambassador_set_consents(
            {NEWSLETTER: True}, "portal", IP, reconfirm=[NEWSLETTER])
        self.invalidate()
        self.assertTrue(holder[NEWSLETTER])
        last = holder.ambassador_consent_ids.sorted("id")[-1]
        self.assertEqual((last.granted, last.version, last.text_shown),
                         (True, 2, draft.text))
        self.assertFalse(holder.ambassador_consent_reconfirm)
        self.assertEqual(holder._ambassador_consents_to_reconfirm(), [])

    def test_withdrawing_answers_the_prompt(self):
        amb = self.make_ambassador("Wanda Withdraw")
        as_engine(amb)._ambassador_set_consents({NEWSLETTER: True}, "portal", IP)
        self.new_version("newsletter", "Version two.").sudo(
            self.manager_user).action_publish()
        self.invalidate()
        self.assertTrue(amb.ambassador_consent_reconfirm)
        as_engine(amb)._ambassador_set_consents(
            {NEWSLETTER: False}, "portal", IP, reconfirm=[NEWSLETTER])
        self.invalidate()
        self.assertFalse(amb[NEWSLETTER])
        self.assertFalse(amb.ambassador_consent_reconfirm)
        last = amb.ambassador_consent_ids.sorted("id")[-1]
        self.assertEqual((last.granted, last.lapsed, last.channel),
                         (False, False, "portal"))

    def test_legacy_consents_hold_until_reconfirmed(self):
        amb = self.make_ambassador("Leo Legacy")
        # As the import records them: the flag on, basis "legacy programme".
        as_engine(amb).with_context(ambassador_channel="import").write(
            {NEWSLETTER: True})
        self.Consent.sudo().search([("partner_id", "=", amb.id)]).unlink()
        for purpose in ("newsletter", "membership"):
            self.Consent.sudo().create({
                "partner_id": amb.id, "purpose": purpose, "granted": True,
                "channel": "import", "legal_basis": "legacy"})
        self.invalidate()
        self.assertTrue(amb.ambassador_consent_reconfirm)
        prompt = dict((item[1], item) for item in
                      amb._ambassador_consents_to_reconfirm())
        self.assertEqual(set(prompt), {"Newsletter", "Programme Membership"})
        self.assertTrue(prompt["Newsletter"][3])  # still holds
        self.assertTrue(amb[NEWSLETTER])
        as_engine(amb)._ambassador_set_consents(
            {NEWSLETTER: True}, "portal", IP, reconfirm=[NEWSLETTER])
        as_engine(amb)._ambassador_reconfirm_membership("portal", IP)
        self.invalidate()
        self.assertFalse(amb.ambassador_consent_reconfirm)
        membership = amb.ambassador_consent_ids.filtered(
            lambda c: c.purpose == "membership").sorted("id")[-1]
        self.assertEqual((membership.legal_basis, membership.version),
                         ("consent", 1))
        self.assertIn("ambassador programme", membership.text_shown)

    def test_staff_wizard_shows_the_texts(self):
        amb = self.make_ambassador("Walter Wizard")
        Wizard = self.env["ambassador.consent.wizard"].sudo(self.staff_user)
        wizard = Wizard.with_context(active_id=amb.id).create({"reason": "Phone call"})
        self.assertEqual(wizard.text_newsletter, self.newsletter_v1.text)
        self.assertTrue(wizard.text_skills)
        wizard.ambassador_consent_newsletter = True
        wizard.action_record()
        row = amb.ambassador_consent_ids
        self.assertEqual((row.channel, row.version, row.reason),
                         ("staff", 1, "Phone call"))

    def test_who_may_do_what(self):
        amb = self.make_ambassador("Sam Secure")
        other = self.make_ambassador("Nora Neighbour")
        user = self.make_portal_user(amb)
        as_engine(other)._ambassador_set_consents({NEWSLETTER: True}, "portal", IP)
        portal_env = self.env(user=user)
        with self.assertRaises(AccessError):
            portal_env["ambassador.consent"].create({
                "partner_id": amb.id, "purpose": "newsletter", "granted": True,
                "channel": "portal", "version": 9, "text_shown": "Forged"})
        with self.assertRaises(AccessError):
            portal_env["ambassador.consent.purpose"].create(
                {"purpose": "newsletter", "version": 9, "text": "Forged"})
        with self.assertRaises(AccessError):
            self.newsletter_v1.sudo(user).write({"state": "archived"})
        draft = self.new_version("newsletter", "Draft kept internal")
        with self.assertRaises(AccessError):
            draft.sudo(user).action_publish()
        self.assertEqual(draft.state, "draft")
        self.assertFalse(portal_env["ambassador.consent.purpose"].search(
            [("id", "=", draft.id)]))
        self.assertTrue(portal_env["ambassador.consent.purpose"].search(
            [("id", "=", self.newsletter_v1.id)]))
        self.assertFalse(portal_env["ambassador.consent"].search(
            [("partner_id", "=", other.id)]))
        with self.assertRaises(AccessError):
            other.sudo(user)._ambassador_set_consents(
                {NEWSLETTER: False}, "portal", IP, reconfirm=[NEWSLETTER])
        with self.assertRaises(AccessError):
            other.sudo(user)._ambassador_reconfirm_membership("portal", IP)
        with self.assertRaises(AccessError):
            self.newsletter_v1.sudo(self.employee_user).action_publish()

    def invalidate(self):
        self.env["res.partner"].invalidate_cache()
        self.env["ambassador.consent"].invalidate_cache()
