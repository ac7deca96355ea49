# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The directory (issue 11): searchable by skill, language, network country
and city (only by what people chose to show), a daily quota of DISTINCT
profiles that reloading does not burn, a constant query count whatever the
number of profiles, and a closed directory that says why and how far."""
from odoo.tests import common

from .common import AmbassadorCase
from .test_website import WebsiteCase


class TestDirectorySearch(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestDirectorySearch, cls).setUpClass()
        Skill = cls.env["ambassador.skill"]
        cls.robotics = Skill.create({"name": "Robotics dir"})
        cls.cooking = Skill.create({"name": "Cooking dir"})
        cls.german = cls.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "de_DE")])
        cls.japan = cls.env.ref("base.jp")
        cls.viewer = cls.make_ambassador("Vic Viewer", points=20)
        cls.viewer_user = cls.make_portal_user(cls.viewer)

        def peer(name, **vals):
            return cls.make_ambassador(name, **vals)
        cls.shown = peer(
            "Ana Shown", city="Grenoble", ambassador_show_city=True,
            ambassador_show_skills=True,
            ambassador_skill_ids=[(6, 0, cls.robotics.ids)],
            ambassador_language_ids=[(6, 0, cls.german.ids)],
            ambassador_network_country_ids=[(6, 0, cls.japan.ids)])
        # Same skill, language, country and city, but chose to show only its
        # e-mail: no search by them may find it.
        cls.hidden = peer(
            "Ben Hidden", city="Grenoble", ambassador_show_email=True,
            ambassador_skill_ids=[(6, 0, cls.robotics.ids)],
            ambassador_language_ids=[(6, 0, cls.german.ids)],
            ambassador_network_country_ids=[(6, 0, cls.japan.ids)])
        cls.cook = peer(
            "Cid Cook", city="Lyon", ambassador_show_city=True,
            ambassador_show_skills=True,
            ambassador_skill_ids=[(6, 0, cls.cooking.ids)])

    def search(self, **filters):
        Directory = self.env["ambassador.directory.view"].sudo(self.viewer_user)
        result = Directory._ambassador_search(None, 1, {
            key: str(value) for key, value in filters.items()})
        return {person["name"] for person in result["people"]}, result

    def test_filters_match_only_what_is_shown(self):
        names, _result = self.search(skill_id=self.robotics.id)
        self.assertIn("Ana Shown", names)
        self.assertNotIn("Ben Hidden", names)
        self.assertNotIn("Cid Cook", names)
        names, _result = self.search(lang_id=self.german.id)
        self.assertEqual(names & {"Ana Shown", "Ben Hidden", "Cid Cook"},
                         {"Ana Shown"})
        names, _result = self.search(country_id=self.japan.id)
        self.assertEqual(names & {"Ana Shown", "Ben Hidden", "Cid Cook"},
                         {"Ana Shown"})
        names, _result = self.search(city="grenoble")
        self.assertEqual(names & {"Ana Shown", "Ben Hidden", "Cid Cook"},
                         {"Ana Shown"})
        # A wildcard is a character, not a pattern.
        names, _result = self.search(city="%")
        self.assertFalse(names & {"Ana Shown", "Cid Cook"})
        names, result = self.search(skill_id=self.robotics.id, city="Lyon")
        self.assertFalse(names & {"Ana Shown", "Cid Cook"})
        # Bad ids are no filter, never an error.
        names, result = self.search(skill_id="abc", lang_id="99999999")
        self.assertIn("Cid Cook", names)
        people = {p["name"]: p for p in self.search(skill_id=self.robotics.id)[1][
            "people"]}
        self.assertIn("Robotics dir", people["Ana Shown"]["skills"])
        self.assertIn(self.german.name, people["Ana Shown"]["languages"])
        self.assertIn(self.japan.name, people["Ana Shown"]["countries"])

    def test_quota_counts_distinct_profiles(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.directory_daily_cap", "1000")
        _names, first = self.search(skill_id=self.robotics.id)
        left = first["remaining"]
        _names, again = self.search(skill_id=self.robotics.id)
        self.assertEqual(again["remaining"], left, "reloading burns nothing")
        _names, cooks = self.search(skill_id=self.cooking.id)
        self.assertEqual(cooks["remaining"], left - 1, "one new profile")
        self.assertEqual(first["daily_cap"], 1000)

    def test_query_count_does_not_grow_with_the_profiles(self):
        def queries():
            self.env["res.partner"].invalidate_cache()
            before = self.env.cr.sql_log_count
            self.search(skill_id=self.robotics.id)
            return self.env.cr.sql_log_count - before
        # Warm the caches (registry, parameters) once.
        queries()
        few = queries()
        for index in range(15):
            self.make_ambassador(
                "Many Robot %d" % index, ambassador_show_skills=True,
                ambassador_show_city=True, city="Town %d" % index,
                ambassador_skill_ids=[(6, 0, (self.robotics | self.cooking).ids)],
                ambassador_language_ids=[(6, 0, self.german.ids)],
                ambassador_network_country_ids=[(6, 0, self.japan.ids)])
        queries()
        many = queries()
        self.assertEqual(many, few)


@common.at_install(False)
@common.post_install(True)
class TestDirectoryPages(WebsiteCase):

    def test_closed_for_ivory_says_how_far(self):
        ivory = self.make_ambassador("Ivo Closed")
        self.login(ivory)
        page = self.url_open("/my/ambassador/directory")
        self.assertEqual(page.status_code, 403)
        needed = self.silver.threshold_ids.filtered(
            lambda t: t.segment_id == self.study).points
        self.assertIn("<strong>%d points</strong> away from %s" % (
            needed, self.silver.name), page.text)
        self.assertIn("o_ambassador_nav", page.text, "no dead end")

    def test_search_form_and_quota_explained(self):
        silver = self.make_ambassador("Sam Search", tier=self.silver)
        skill = self.env["ambassador.skill"].create({"name": "Glassblowing"})
        self.make_ambassador("Gia Glass", ambassador_show_skills=True,
                             ambassador_skill_ids=[(6, 0, skill.ids)])
        self.login(silver)
        page = self.url_open("/my/ambassador/directory?skill_id=%d" % skill.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Gia Glass", page.text)
        self.assertIn("Glassblowing", page.text)
        for label in ('for="directory_skill"', 'for="directory_lang"',
                      'for="directory_country"', 'for="directory_city"'):
            self.assertIn(label, page.text)
        self.assertIn("o_ambassador_remaining", page.text)
        self.assertIn("does not count again", page.text)
