# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador's own profile (issue 11): what res.partner.ambassador_update_profile
accepts (the segment's questions, skills, languages, network countries, words,
photo), what it refuses (anything else, anyone else's contact, bad photos),
and the consents offered for what the profile holds."""
import base64
import io

from PIL import Image

from odoo.exceptions import AccessError, ValidationError

from ..models.form_input import FormErrors
from ..models.res_partner import PHOTO_MAX_BYTES
from .common import AmbassadorCase


def image_bytes(kind="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


class TestProfileUpdate(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestProfileUpdate, cls).setUpClass()
        cls.amb = cls.make_ambassador("Pia Profile", segment=cls.study)
        cls.user = cls.make_portal_user(cls.amb)
        cls.other = cls.make_ambassador("Oto Other", segment=cls.study)
        cls.make_portal_user(cls.other)
        cls.skill = cls.env["ambassador.skill"].create({"name": "Glaciology talks"})
        cls.lang = cls.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "de_DE")])
        cls.germany = cls.env.ref("base.de")

    def as_user(self, partner=None):
        return (partner or self.amb).sudo(self.user)

    def test_update_profile_fields_and_lists(self):
        self.as_user().ambassador_update_profile({
            "ambassador_institution": "  University of the Territory ",
            "ambassador_research_field": "Glaciers",
            "country_id": str(self.germany.id),
            "ambassador_skill_ids": [str(self.skill.id)],
            "ambassador_language_ids": [self.lang.id],
            "ambassador_network_country_ids": [str(self.germany.id)],
            "ambassador_testimonial": "For the mountains.",
        })
        self.amb.invalidate_cache()
        self.assertEqual(self.amb.ambassador_institution, "University of the Territory")
        self.assertEqual(self.amb.country_id, self.germany)
        self.assertEqual(self.amb.ambassador_skill_ids, self.skill)
        # Spoken languages need not be installed ones.
        self.assertEqual(
            self.amb.with_context(active_test=False).ambassador_language_ids,
            self.lang)
        self.assertEqual(self.amb.ambassador_network_country_ids, self.germany)
        self.assertEqual(self.amb.ambassador_testimonial, "For the mountains.")
        # Keys left out keep their value; an empty list empties.
        self.as_user().ambassador_update_profile({"ambassador_skill_ids": []})
        self.amb.invalidate_cache()
        self.assertFalse(self.amb.ambassador_skill_ids)
        # Spoken languages need not be installed ones.
        self.assertEqual(
            self.amb.with_context(active_test=False).ambassador_language_ids,
            self.lang)

    def test_refuses_other_fields(self):
        for key, value in (("ambassador_balance", 999), ("email", "x@example.com"),
                           ("name", "Someone"), ("ambassador_show_email", True),
                           ("phone", "+33 1"),  # not a question of Study
                           ("ambassador_tier_id", self.platinum.id)):
            with self.assertRaises(AccessError, msg=key):
                self.as_user().ambassador_update_profile({key: value})
        self.amb.invalidate_cache()
        self.assertEqual(self.amb.ambassador_balance, 0)
        self.assertEqual(self.amb.name, "Pia Profile")
        self.assertFalse(self.amb.ambassador_show_email)

    def test_refuses_someone_elses_profile(self):
        with self.assertRaises(AccessError):
            self.as_user(self.other).ambassador_update_profile(
                {"ambassador_testimonial": "Hijacked"})
        plain = self.Partner.create({"name": "Plain", "email": "plain@example.org"})
        plain_user = self.make_portal_user(plain)
        with self.assertRaises(AccessError):
            plain.sudo(plain_user).ambassador_update_profile(
                {"ambassador_testimonial": "Not an ambassador"})
        self.assertFalse(self.other.ambassador_testimonial)

    def test_answers_checked_field_by_field(self):
        with self.assertRaises(FormErrors) as caught:
            self.as_user().ambassador_update_profile({
                "ambassador_institution": "",  # required for Study
                "country_id": "999999999",
                "ambassador_skill_ids": ["abc"],
                "ambassador_testimonial": "x" * 601,
            })
        self.assertEqual(
            set(caught.exception.errors),
            {"ambassador_institution", "country_id", "ambassador_skill_ids",
             "ambassador_testimonial"})
        self.amb.invalidate_cache()
        self.assertFalse(self.amb.ambassador_testimonial, "nothing written")

    def test_photo_limits(self):
        self.as_user().ambassador_update_profile({}, photo=image_bytes("PNG"))
        self.amb.invalidate_cache()
        self.assertTrue(self.amb.image)
        # Base64 text (over RPC) too.
        self.as_user().ambassador_update_profile(
            {}, photo=base64.b64encode(image_bytes("JPEG")).decode())
        refused = {
            "gif": image_bytes("GIF"),
            "not an image": b"%PDF-1.4 not an image",
            "too big": b"\x89PNG\r\n\x1a\n" + b"0" * PHOTO_MAX_BYTES,
            "too many pixels": image_bytes("PNG", (4001, 10)),
            "bad base64": "not base64!",
        }
        for label, photo in refused.items():
            with self.assertRaises(FormErrors, msg=label) as caught:
                self.as_user().ambassador_update_profile({}, photo=photo)
            self.assertEqual(list(caught.exception.errors), ["photo"], label)

    def test_consents_offered_for_what_the_profile_holds(self):
        offered = [row[0] for row in self.amb._ambassador_offered_consents()]
        self.assertNotIn("ambassador_show_phone", offered)
        self.assertNotIn("ambassador_show_company", offered)
        self.assertNotIn("ambassador_show_city", offered)
        self.assertNotIn("ambassador_show_skills", offered)
        self.assertIn("ambassador_show_email", offered)
        self.assertIn("ambassador_consent_newsletter", offered)
        self.amb.write({"phone": "+33 600000000", "city": "Lyon",
                        "ambassador_skill_ids": [(6, 0, self.skill.ids)]})
        rows = {row[0]: row for row in self.amb._ambassador_offered_consents()}
        self.assertIn("ambassador_show_phone", rows)
        self.assertIn("ambassador_show_city", rows)
        self.assertIn("ambassador_show_skills", rows)
        # Who sees it, in words: the tiers that open the directory.
        self.assertIn(self.silver.name, rows["ambassador_show_phone"][2])
        self.assertIn(self.gold.name, rows["ambassador_show_phone"][2])


class TestDeclarableRules(AmbassadorCase):
    """Points the programme awards itself are never declared by hand: not in
    the form, refused by the model whatever the route."""

    @classmethod
    def setUpClass(cls):
        super(TestDeclarableRules, cls).setUpClass()
        cls.amb = cls.make_ambassador("Dee Declare")
        cls.user = cls.make_portal_user(cls.amb)
        cls.referral = cls.env.ref("ambassador_program.rule_referral")
        cls.attendance = cls.env.ref("ambassador_program.rule_event_attendance")

    def test_automatic_rules_not_offered_nor_accepted(self):
        self.assertTrue(self.referral.auto_awarded)
        self.assertTrue(self.attendance.auto_awarded)
        # A rule becomes automatic too when an event awards it for attendance.
        self.env["event.event"].create({
            "name": "Awarding event", "date_begin": "2030-01-01 10:00:00",
            "date_end": "2030-01-01 12:00:00",
            "ambassador_attendance_rule_id": self.rule_partnership.id})
        Proof = self.env["ambassador.proof"].sudo(self.user)
        offered = Proof._ambassador_portal_rules(self.amb)
        self.assertTrue(offered)
        self.assertFalse(offered & (self.referral | self.attendance
                                    | self.rule_partnership))
        for rule in (self.referral, self.rule_partnership):
            with self.assertRaises(FormErrors) as caught:
                Proof._ambassador_portal_submit(
                    {"rule_id": str(rule.id), "name": "Mine",
                     "description": "I did it"}, [])
            self.assertIn("rule_id", caught.exception.errors)
            # Nor straight through create (what RPC reaches).
            with self.assertRaises(ValidationError):
                Proof.create({"name": "Mine", "partner_id": self.amb.id,
                              "rule_id": rule.id, "description": "I did it"})
        self.assertFalse(self.env["ambassador.proof"].search(
            [("partner_id", "=", self.amb.id)]))

    def test_upgrade_flags_only_unset_rules(self):
        self.env.cr.execute(
            "UPDATE ambassador_point_rule SET auto_awarded = NULL WHERE id = %s",
            (self.referral.id,))
        self.env.cr.execute(
            "UPDATE ambassador_point_rule SET auto_awarded = FALSE WHERE id = %s",
            (self.attendance.id,))
        self.env["ambassador.point.rule"]._ambassador_flag_automatic_rules()
        self.assertTrue(self.referral.auto_awarded)
        self.assertFalse(self.attendance.auto_awarded, "a staff choice is kept")
