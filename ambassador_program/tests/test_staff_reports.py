# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff reporting (issue 11): the tiers against their targets (no summed
percentages, no headcounts added to targets) and the programme dashboard,
checked against records the test creates."""
from datetime import timedelta

from odoo import fields

from .common import AmbassadorCase


def days_ago(days):
    return fields.Datetime.to_string(fields.Datetime.from_string(
        fields.Datetime.now()) - timedelta(days=days))


class TestStaffTierReport(AmbassadorCase):
    def test_share_per_tier_and_in_total(self):
        Report = self.env["ambassador.tier.report"].sudo(self.staff_user)
        before = {
            row.tier_id: row.headcount for row in Report.search([])
        }
        self.ivory.sudo().write({"target_count": 200})
        self.silver.sudo().write({"target_count": 50})
        for index in range(3):
            self.make_ambassador("Tess Ivory %d" % index, state="active")
        self.make_ambassador("Candice Candidate", state="candidate")
        rows = {row.tier_id: row for row in Report.search([])}
        ivory = rows[self.ivory]
        self.assertEqual(ivory.headcount, before[self.ivory] + 3)
        self.assertEqual(ivory.target_count, 200)
        self.assertAlmostEqual(ivory.target_percent,
                               round(ivory.headcount * 100.0 / 200, 1))
        # By tier: each group's share from its own sums.
        groups = Report.read_group(
            [], ["tier_id", "headcount", "target_count", "target_percent"],
            ["tier_id"])
        by_tier = {g["tier_id"][0]: g for g in groups}
        self.assertEqual(by_tier[self.ivory.id]["target_percent"],
                         ivory.target_percent)
        # The total (the pivot's "Total" row): all actives against all targets,
        # not the sum of the tiers' percentages.
        total = Report.read_group(
            [], ["headcount", "target_count", "target_percent"], [])[0]
        targets = sum(self.env["ambassador.tier"].search([]).mapped("target_count"))
        actives = self.Partner.search_count([("ambassador_state", "=", "active"),
                                             ("ambassador_tier_id", "!=", False)])
        self.assertEqual(total["headcount"], actives)
        self.assertEqual(total["target_count"], targets)
        self.assertAlmostEqual(total["target_percent"],
                               round(actives * 100.0 / targets, 1))
        self.assertLess(total["target_percent"],
                        sum(g["target_percent"] for g in groups) + 0.01)

    def test_no_measure_mixes_headcounts_and_targets(self):
        Report = self.env["ambassador.tier.report"]
        self.assertNotIn("measure", Report._fields)
        pivot = self.env.ref("ambassador_program.ambassador_tier_report_view_pivot")
        self.assertIn('name="target_count" type="measure"', pivot.arch)


class TestStaffDashboard(AmbassadorCase):
    @classmethod
    def setUpClass(cls):
        super(TestStaffDashboard, cls).setUpClass()
        # A segment of its own: its card holds only this test's records.
        cls.segment = cls.env["ambassador.segment"].create(
            {"name": "Dash Segment", "code": "dash"})
        cls.rule = cls.env["ambassador.point.rule"].create(
            {"name": "Dash action", "points": 4,
             "segment_ids": [(6, 0, cls.segment.ids)]})
        make = cls.make_ambassador
        seg = cls.segment
        # The dashboard counts days on the database's clock (UTC): the user's
        # own date (Europe/Brussels here) is a day ahead after 23:00 UTC.
        today = fields.Date.today()
        old = fields.Date.to_string(
            fields.Date.from_string(today) - timedelta(days=400))
        # Two recruits this week, one this month, one long ago.
        cls.new1 = make("Dash New One", segment=seg, state="active",
                        ambassador_since=today)
        cls.new2 = make("Dash New Two", segment=seg, state="active",
                        ambassador_since=fields.Date.to_string(
                            fields.Date.from_string(today) - timedelta(days=3)))
        cls.month = make("Dash Month", segment=seg, state="active",
                         ambassador_since=fields.Date.to_string(
                             fields.Date.from_string(today) - timedelta(days=20)))
        # Long in the programme: one dormant (last points 300 days ago), one
        # active recently (a ledger line today), one with a recent proof.
        cls.sleeper = make("Dash Sleeper", segment=seg, state="active",
                           ambassador_since=old)
        cls.Ledger.create({"partner_id": cls.sleeper.id, "points": 2,
                           "origin": "manual", "date": days_ago(300)})
        cls.busy = make("Dash Busy", segment=seg, state="active",
                        ambassador_since=old)
        cls.Ledger.create({"partner_id": cls.busy.id, "points": 2,
                           "origin": "manual"})
        cls.writer = make("Dash Writer", segment=seg, state="active",
                          ambassador_since=old)
        cls.candidate = make("Dash Candidate", segment=seg, state="candidate")
        # Proofs waiting: one sent today, one 10 days ago; one approved.
        Proof = cls.env["ambassador.proof"]
        cls.proof_new = Proof.create({"name": "Dash new", "partner_id": cls.writer.id,
                                      "rule_id": cls.rule.id})
        cls.proof_old = Proof.create({"name": "Dash old", "partner_id": cls.new1.id,
                                      "rule_id": cls.rule.id})
        # Ten days before the transaction's clock, which the view reads.
        cls.env.cr.execute(
            "UPDATE ambassador_proof SET create_date = (now() AT TIME ZONE 'UTC')"
            " - interval '10 days' WHERE id = %s", (cls.proof_old.id,))
        done = Proof.create({"name": "Dash done", "partner_id": cls.new2.id,
                             "rule_id": cls.rule.id})
        done.action_approve()
        # Committee queue: a staff proposal and a yearly review past its deadline.
        cls.Promotion.create({"partner_id": cls.busy.id, "to_tier_id": cls.gold.id})
        engine = cls.env["ambassador.status.engine"]
        engine._record_changes(
            [(cls.month.id, cls.ivory.id)], "proposed", reason="annual_review",
            review_deadlines={cls.month.id: fields.Date.to_string(
                fields.Date.from_string(today) - timedelta(days=1))})
        cls.env["ambassador.programme.dashboard"].invalidate_cache()

    def card(self, segment=None):
        Dashboard = self.env["ambassador.programme.dashboard"].sudo(self.staff_user)
        return Dashboard.search([("segment_id", "=", segment.id if segment else False)])

    def test_segment_card_figures(self):
        card = self.card(self.segment)
        self.assertEqual(len(card), 1)
        self.assertEqual(card.active_count, 6)
        self.assertEqual(card.candidate_count, 1)
        self.assertEqual(card.recruit_week_count, 2)
        self.assertEqual(card.recruit_month_count, 3)
        self.assertEqual(card.proof_waiting_count, 2)
        self.assertEqual(card.proof_late_count, 1)
        self.assertEqual(card.proof_oldest_days, 10)
        self.assertEqual(card.committee_count, 2)
        self.assertEqual(card.review_due_count, 1)
        self.assertEqual(card.review_overdue_count, 1)
        self.assertEqual(card.dormant_count, 1)

    def test_programme_card_adds_the_segments(self):
        programme = self.card()
        self.assertEqual(len(programme), 1)
        cards = self.env["ambassador.programme.dashboard"].search(
            [("segment_id", "!=", False)])
        for name in ("active_count", "candidate_count", "proof_waiting_count",
                     "committee_count", "dormant_count"):
            self.assertEqual(programme[name], sum(cards.mapped(name)), name)
        self.assertEqual(programme.proof_oldest_days,
                         max(cards.mapped("proof_oldest_days")))
        targets = sum(self.env["ambassador.tier"].search([]).mapped("target_count"))
        self.assertEqual(programme.target_count, targets)

    def test_dormancy_follows_the_setting(self):
        Partner = self.Partner.sudo(self.staff_user)
        dormant = Partner.search([("ambassador_dormant", "=", True),
                                  ("ambassador_segment_id", "=", self.segment.id)])
        self.assertEqual(dormant, self.sleeper)
        self.assertTrue(self.sleeper.ambassador_dormant)
        self.assertFalse(self.busy.ambassador_dormant)
        awake = Partner.search([("ambassador_dormant", "=", False),
                                ("ambassador_segment_id", "=", self.segment.id)])
        self.assertNotIn(self.sleeper, awake)
        self.assertIn(self.writer, awake)
        # Twelve months: the sleeper's line (300 days) is recent enough.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.dormant_months", "12")
        self.assertEqual(self.card(self.segment).dormant_count, 0)
        self.assertFalse(Partner.search([("ambassador_dormant", "=", True),
                                         ("ambassador_segment_id", "=",
                                          self.segment.id)]))
        # A mistyped setting falls back on six months.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.dormant_months", "six")
        self.env["ambassador.programme.dashboard"].invalidate_cache()
        self.assertEqual(self.card(self.segment).dormant_count, 1)

    def test_figures_open_their_records(self):
        card = self.card(self.segment)
        expected = {
            "proofs": ("ambassador.proof", self.proof_new | self.proof_old),
            "dormant": ("res.partner", self.sleeper),
            "recruit_week": ("res.partner", self.new1 | self.new2),
            "candidate": ("res.partner", self.candidate),
            "reviews": ("ambassador.promotion", self.month.ambassador_promotion_ids
                        .filtered(lambda c: c.reason == "annual_review")),
        }
        for kpi, (model, records) in expected.items():
            action = card.with_context(ambassador_kpi=kpi).action_open_kpi()
            self.assertEqual(action["res_model"], model)
            found = self.env[model].sudo(self.staff_user).search(action["domain"])
            self.assertEqual(found, records, kpi)
        tiers = card.with_context(ambassador_kpi="tiers").action_open_kpi()
        self.assertEqual(tiers["res_model"], "ambassador.tier.report")

    def test_query_count_does_not_grow(self):
        Dashboard = self.env["ambassador.programme.dashboard"].sudo(self.staff_user)
        Dashboard.search_read([], ["active_count", "dormant_count"])  # warm caches
        Dashboard.invalidate_cache()
        start = self.env.cr.sql_log_count
        Dashboard.search_read([], ["active_count", "dormant_count"])
        first = self.env.cr.sql_log_count - start
        for index in range(5):
            self.make_ambassador("Dash More %d" % index, segment=self.segment,
                                 state="active")
        Dashboard.invalidate_cache()
        start = self.env.cr.sql_log_count
        Dashboard.search_read([], ["active_count", "dormant_count"])
        self.assertEqual(self.env.cr.sql_log_count - start, first)
