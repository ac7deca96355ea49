# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Re-engagement (issue 14, guideline 12): dormant ambassadors are suggested
the newest missions open to them, in their language, within the contact cap,
at most once per interval; the dashboard shows the dormant share per
segment."""
from datetime import timedelta

from odoo import fields

from .common import AmbassadorCase, ensure_french


def days_ago(days):
    return fields.Datetime.to_string(fields.Datetime.from_string(
        fields.Datetime.now()) - timedelta(days=days))


class TestReengagement(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestReengagement, cls).setUpClass()
        ensure_french(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "4")
        cls.Reengagement = cls.env["ambassador.reengagement"]
        cls.Log = cls.env["ambassador.message.log"]
        # Only this test's missions are open (demo ones may be open to all).
        cls.env["ambassador.mission"].search([("state", "=", "open")]).write(
            {"state": "closed"})
        # Segments of their own: their cards hold only this test's people.
        Segment = cls.env["ambassador.segment"]
        cls.seg_a = Segment.create({"name": "Wake A", "code": "wakea"})
        cls.seg_b = Segment.create({"name": "Wake B", "code": "wakeb"})
        old = fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(cls.env.user))
            - timedelta(days=400))
        make = cls.make_ambassador

        def sleeper(name, segment, **vals):
            partner = make(name, segment=segment, ambassador_since=old, **vals)
            cls.Ledger.create({"partner_id": partner.id, "points": 2,
                               "origin": "manual", "date": days_ago(300)})
            return partner

        cls.sleeper_fr = sleeper("Sleeper Francais", cls.seg_a, lang="fr_FR")
        cls.sleeper_en = sleeper("Sleeper English", cls.seg_a, lang="en_US")
        cls.sleeper_b = sleeper("Sleeper Nomission", cls.seg_b)
        cls.sleeper_full = sleeper("Sleeper Full", cls.seg_a)
        # Active lately, each in one way: points, an event registration.
        cls.busy = make("Busy Points", segment=cls.seg_a, ambassador_since=old)
        cls.Ledger.create({"partner_id": cls.busy.id, "points": 2,
                           "origin": "manual"})
        cls.goer = sleeper("Busy Goer", cls.seg_a)
        event = cls.env["event.event"].create({
            "name": "Wake evening", "date_begin": "2030-06-01 18:00:00",
            "date_end": "2030-06-01 22:00:00"})
        cls.env["event.registration"].create({
            "event_id": event.id, "partner_id": cls.goer.id,
            "name": cls.goer.name, "email": cls.goer.email})
        Mission = cls.env["ambassador.mission"]
        cls.old_mission = Mission.create({
            "name": "Old mission", "state": "open",
            "date_start": fields.Date.to_string(
                fields.Date.from_string(old) + timedelta(days=100)),
            "segment_ids": [(6, 0, cls.seg_a.ids)]})
        cls.new_mission = Mission.create({
            "name": "Host a delegation", "state": "open",
            "segment_ids": [(6, 0, cls.seg_a.ids)]})
        cls.new_mission.with_context(lang="fr_FR").write(
            {"name": "Accueillir une délégation"})
        Mission.create({"name": "A draft mission", "state": "draft",
                        "segment_ids": [(6, 0, cls.seg_b.ids)]})
        # Three messages this month, whatever its enrolment sent: one slot
        # left, which a suggestion does not take.
        cls.env.cr.execute(
            "DELETE FROM ambassador_message_log WHERE partner_id = %s",
            (cls.sleeper_full.id,))
        cls.Partner._ambassador_count_sent(
            cls.sleeper_full.ids * 3, "mailing")

    def suggestions_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids),
             ("subject", "ilike", "missions")])

    def test_dormant_detection(self):
        dormant = self.Partner.search([
            ("ambassador_dormant", "=", True),
            ("ambassador_segment_id", "in", (self.seg_a | self.seg_b).ids)])
        self.assertEqual(
            dormant,
            self.sleeper_fr | self.sleeper_en | self.sleeper_b | self.sleeper_full,
            "points and an event registration both wake an ambassador up")

    def test_suggestions_in_language_within_cap_once(self):
        stats = self.Reengagement._suggest_missions()
        # The demo's dormant ambassadors count too: this test's people only.
        self.assertGreaterEqual(stats["no_mission"], 1)
        self.assertFalse(self.suggestions_to(self.sleeper_b),
                         "no open mission for segment B: nothing to suggest")
        self.assertFalse(self.Log.search([("partner_id", "=", self.sleeper_b.id),
                                          ("channel", "=", "suggestion")]))
        self.assertFalse(self.suggestions_to(self.busy | self.goer))
        # The one at the cap's lower threshold waits (priority low).
        self.assertFalse(self.suggestions_to(self.sleeper_full))
        deferred = self.Log.search([("partner_id", "=", self.sleeper_full.id),
                                    ("state", "=", "deferred")])
        self.assertEqual((deferred.channel, deferred.reason),
                         ("suggestion", "reserve"))
        french = self.suggestions_to(self.sleeper_fr)
        english = self.suggestions_to(self.sleeper_en)
        self.assertEqual((len(french), len(english)), (1, 1))
        self.assertIn("Accueillir une délégation", french.body_html)
        self.assertNotIn("Host a delegation", french.body_html)
        self.assertIn("Host a delegation", english.body_html)
        self.assertNotIn("draft", english.body_html)
        # The newest mission first.
        self.assertLess(english.body_html.index("Host a delegation"),
                        english.body_html.index("Old mission"))
        self.assertIn("/my/ambassador", english.body_html)
        sent = self.Log.search([("partner_id", "=", self.sleeper_en.id),
                                ("channel", "=", "suggestion")])
        self.assertEqual((sent.state, sent.priority), ("sent", "low"))
        # Next month: no second suggestion within the interval.
        again = self.Reengagement._suggest_missions()
        self.assertEqual(again["suggested"], 0)
        self.assertEqual(len(self.suggestions_to(self.sleeper_en)), 1)
        # Past the interval, the suggestion comes again.
        self.env.cr.execute(
            "UPDATE ambassador_message_log SET date = date - interval '61 days'"
            " WHERE partner_id = %s", (self.sleeper_en.id,))
        self.Reengagement._suggest_missions()
        self.assertEqual(len(self.suggestions_to(self.sleeper_en)), 2)

    def test_dormant_share_per_segment(self):
        Dashboard = self.env["ambassador.programme.dashboard"].sudo(self.staff_user)
        Dashboard.invalidate_cache()
        card = Dashboard.search([("segment_id", "=", self.seg_a.id)])
        self.assertEqual((card.active_count, card.dormant_count), (5, 3))
        self.assertEqual(card.dormant_percent, 60)
        card_b = Dashboard.search([("segment_id", "=", self.seg_b.id)])
        self.assertEqual(card_b.dormant_percent, 100)
        # Grouped (graph, pivot): the share of the sums, never a sum of shares.
        groups = Dashboard.read_group(
            [("segment_id", "in", (self.seg_a | self.seg_b).ids)],
            ["dormant_percent"], [])
        self.assertEqual(groups[0]["dormant_percent"], 67, "4 of 6")
        by_segment = Dashboard.read_group(
            [("segment_id", "in", (self.seg_a | self.seg_b).ids)],
            ["segment_id", "dormant_percent"], ["segment_id"])
        self.assertEqual(sorted(g["dormant_percent"] for g in by_segment),
                         [60, 100])
