# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The value of the programme (issue 15): the dashboard's measures and
ratios on a small data set of a segment of its own (exact figures), the
yearly cost's rules, the yearly PDF (a real PDF through wkhtmltopdf)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from datetime import date

import psycopg2

from odoo import api, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from ..models.authority import as_engine
from .common import AmbassadorCase, ensure_french


class TestValueReport(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestValueReport, cls).setUpClass()
        env = cls.env
        cls.year = str(date.today().year)
        cls.last_year = str(date.today().year - 1)
        cls.seg = env["ambassador.segment"].create(
            {"name": "Value Test Segment", "code": "valuetest"})
        (cls.rule_partnership | cls.rule_press).write(
            {"segment_ids": [(4, cls.seg.id)]})
        make = cls.make_ambassador
        cls.a1 = make("Vera One", segment=cls.seg,
                      ambassador_since="%s-03-01" % (int(cls.year) - 2))
        cls.a2 = make("Vic Two", segment=cls.seg,
                      ambassador_since="%s-05-01" % cls.last_year)
        cls.a3 = make("Val Three", segment=cls.seg,
                      ambassador_since="%s-06-01" % cls.last_year)
        as_engine(cls.a3).write({"ambassador_state": "left",
                                 "ambassador_left_date": "%s-12-01" % cls.last_year})
        cls.a4 = make("Vince Four", segment=cls.seg,
                      ambassador_since="%s-01-15" % cls.year)
        make("Vanessa Candidate", segment=cls.seg, state="candidate")
        cls.x_visit = make("Xavier Visit", segment=cls.visit)
        Ledger = env["ambassador.point.transaction"]
        old = Ledger.create({"partner_id": cls.a1.id, "points": 10,
                             "origin": "manual",
                             "date": "%s-04-01 10:00:00" % cls.last_year})
        Ledger.create({"partner_id": cls.a2.id, "points": 20, "origin": "manual",
                       "date": "%s-04-01 10:00:00" % cls.last_year})
        cls.reversal = old.action_reverse("Counted twice")
        Ledger.create({"partner_id": cls.a4.id, "points": 5, "origin": "manual"})
        # Leads: four passed on (one lost, one won), one without ambassador.
        cls.won_stage = env["crm.stage"].create(
            {"name": "Value won", "probability": 100, "sequence": 90})
        Lead = env["crm.lead"]
        cls.l1 = Lead.create({"name": "Value lead 1",
                              "ambassador_partner_id": cls.a1.id,
                              "ambassador_lead_kind": "company"})
        cls.l2 = Lead.create({"name": "Value lead 2",
                              "ambassador_partner_id": cls.a2.id})
        Lead.create({"name": "Value lead 3", "ambassador_partner_id": cls.a4.id})
        lost = Lead.create({"name": "Value lead 4",
                            "ambassador_partner_id": cls.a4.id})
        lost.action_set_lost()
        Lead.create({"name": "Value lead without ambassador"})
        cls.l1.write({"stage_id": cls.won_stage.id})
        # Outcomes: shared inside the segment, shared with Visit, none given.
        Outcome = env["ambassador.outcome"]
        today = "%s-06-30" % cls.year
        cls.o1 = Outcome.create({
            "name": "Value GmbH settles", "kind": "company", "date": today,
            "lead_id": cls.l1.id, "jobs_announced": 40, "jobs_3y": 60,
            "amount_invested": 2000000.0,
            "country_id": env.ref("base.de").id,
            "attribution_ids": [(0, 0, {"partner_id": cls.a1.id, "share": 75}),
                                (0, 0, {"partner_id": cls.a2.id, "share": 25})]})
        Outcome.create({
            "name": "Value congress", "kind": "event", "date": today,
            "visitors": 500,
            "attribution_ids": [(0, 0, {"partner_id": cls.a4.id, "share": 50}),
                                (0, 0, {"partner_id": cls.x_visit.id,
                                        "share": 50})]})
        Outcome.create({
            "name": "Value SARL", "kind": "company", "date": today,
            "lead_id": cls.l2.id, "jobs_announced": 10,
            "amount_invested": 500000.0})
        # An event attended by Vera.
        event = env["event.event"].create(
            {"name": "Value evening", "date_begin": "%s-02-01 18:00:00" % cls.year,
             "date_end": "%s-02-01 22:00:00" % cls.year})
        event.button_confirm()
        registration = env["event.registration"].create(
            {"event_id": event.id, "partner_id": cls.a1.id, "name": cls.a1.name,
             "email": cls.a1.email})
        registration.button_reg_close()
        cls.cost = env["ambassador.value.cost"].create(
            {"year": cls.year, "segment_id": cls.seg.id, "budget": 30000.0,
             "staff_cost": 20000.0, "staff_fte": 0.5})

    def _row(self, year, user=None):
        Report = self.env["ambassador.value.report"]
        if user:
            Report = Report.sudo(user)
        groups = Report.read_group(
            [("year", "=", year), ("segment_id", "=", self.seg.id)],
            list(Report.MEASURES) + ["cost_per_active", "cost_per_lead",
                                     "cost_per_job", "won_percent"],
            ["year"], lazy=False)
        self.assertEqual(len(groups), 1)
        return groups[0]

    def _approve_proofs(self):
        partnership = self.make_proof(self.a1)
        press = self.make_proof(self.a2, rule=self.rule_press,
                                press_date="%s-03-01" % self.year)
        self.make_proof(self.a4)  # waiting: not counted
        (partnership | press).sudo(self.staff_user).action_approve()
        return partnership | press

    def test_measures_of_the_year(self):
        self._approve_proofs()
        row = self._row(self.year, user=self.staff_user)
        self.assertEqual(row["active_count"], 3, "Vera, Vic, Vince (Val left)")
        self.assertEqual(row["new_count"], 1)
        self.assertEqual(row["proof_count"], 2)
        self.assertEqual(row["attendance_count"], 1)
        self.assertEqual(row["action_count"], 3)
        self.assertEqual(row["press_count"], 1)
        self.assertEqual(row["lead_count"], 4, "the lost lead was passed on too")
        self.assertEqual(row["won_count"], 1)
        self.assertAlmostEqual(row["outcome_count"], 2.5)
        self.assertAlmostEqual(row["jobs_announced"], 50)
        self.assertAlmostEqual(row["jobs_3y"], 60)
        self.assertAlmostEqual(row["amount_invested"], 2500000)
        self.assertAlmostEqual(row["events_hosted"], 0.5)
        self.assertAlmostEqual(row["visitors"], 250)
        self.assertAlmostEqual(row["total_cost"], 50000)
        self.assertAlmostEqual(row["staff_fte"], 0.5)
        self.assertAlmostEqual(row["cost_per_active"], 16666.67)
        self.assertAlmostEqual(row["cost_per_lead"], 12500)
        self.assertAlmostEqual(row["cost_per_job"], 1000)
        self.assertAlmostEqual(row["won_percent"], 25)
        # Points: this year's ledger of the segment, the reversal deducted.
        lines = self.env["ambassador.point.transaction"].search(
            [("segment_id", "=", self.seg.id),
             ("date", ">=", "%s-01-01 00:00:00" % self.year)])
        self.assertEqual(row["points_net"], sum(lines.mapped("points")))
        self.assertIn(-10, lines.mapped("points"))
        self.assertEqual(row["points_reversed"], 10)

    def test_last_year_and_cohorts(self):
        row = self._row(self.last_year)
        self.assertEqual(row["active_count"], 3, "Vera, Vic and Val (left in Dec.)")
        self.assertEqual(row["new_count"], 2)
        self.assertEqual(row["points_net"], 30, "the reversal counts this year")
        self.assertEqual(row["lead_count"], 0)
        self.assertEqual(row["cost_per_active"], 0, "no cost entered")

    def test_outcome_shared_with_another_segment(self):
        Report = self.env["ambassador.value.report"]
        visit = Report.read_group(
            [("year", "=", self.year), ("segment_id", "=", self.visit.id)],
            ["events_hosted", "visitors"], ["segment_id"], lazy=False)
        self.assertGreaterEqual(visit[0]["visitors"], 250)
        self.assertGreaterEqual(visit[0]["events_hosted"], 0.5)

    def test_ratios_of_a_group_from_its_sums(self):
        """Over all years, the cost per ambassador is the cost over the sum of
        the years' ambassadors, not a sum of the years' ratios."""
        Report = self.env["ambassador.value.report"]
        rows = Report.search([("segment_id", "=", self.seg.id)])
        group = Report.read_group(
            [("segment_id", "=", self.seg.id)],
            ["active_count", "total_cost", "cost_per_active"], ["segment_id"],
            lazy=False)[0]
        active = sum(rows.mapped("active_count"))
        self.assertEqual(group["active_count"], active)
        self.assertAlmostEqual(group["cost_per_active"], round(50000.0 / active, 2))
        self.assertNotAlmostEqual(
            group["cost_per_active"], sum(rows.mapped("cost_per_active")))

    def test_press_by_country_and_language(self):
        self._approve_proofs()
        Press = self.env["ambassador.value.press.report"].sudo(self.staff_user)
        groups = Press.read_group(
            [("segment_id", "=", self.seg.id)],
            ["country_id", "language", "mention_count"], ["country_id", "language"],
            lazy=False)
        self.assertEqual(
            [(g["country_id"][0], g["language"], g["mention_count"]) for g in groups],
            [(self.env.ref("base.uk").id, "english", 1)])

    def test_cost_rules(self):
        Cost = self.env["ambassador.value.cost"]
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Cost.create({"year": "26", "budget": 1.0})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Cost.create({"year": "2031", "budget": -1.0})
        Cost.create({"year": "2031", "budget": 1.0})
        with mute_logger("odoo.sql_db"), self.assertRaises(
                psycopg2.IntegrityError), self.cr.savepoint():
            Cost.create({"year": "2031", "budget": 2.0})
        with mute_logger("odoo.sql_db"), self.assertRaises(
                psycopg2.IntegrityError), self.cr.savepoint():
            Cost.create({"year": self.year, "segment_id": self.seg.id})
        # Staff read, managers edit.
        self.assertEqual(Cost.sudo(self.staff_user).browse(self.cost.id).budget,
                         30000.0)
        with self.assertRaises(AccessError):
            Cost.sudo(self.staff_user).browse(self.cost.id).write({"budget": 1.0})
        Cost.sudo(self.manager_user).browse(self.cost.id).write({"budget": 31000.0})
        for user in (self.employee_user,):
            with self.assertRaises(AccessError):
                Cost.sudo(user).search([])
            with self.assertRaises(AccessError):
                self.env["ambassador.value.report"].sudo(user).read_group(
                    [], ["lead_count"], ["year"])

    def test_year_data_of_the_pdf(self):
        data = self.env["ambassador.value.report"].sudo(
            self.staff_user)._value_year_data(self.year)
        segment = [row for row in data["segments"]
                   if row["segment_id"] and row["segment_id"][0] == self.seg.id]
        self.assertEqual(segment[0]["lead_count"], 4)
        self.assertIn(self.o1, data["outcomes"])
        self.assertGreaterEqual(data["total"]["lead_count"], 4)
        self.assertTrue(data["tiers"])

    def _pdf_text(self, wizard, lang=None):
        report = self.env.ref("ambassador_program.action_report_value_year")
        if lang:
            report = report.with_context(lang=lang)
        # Odoo's tests render reports as HTML unless a report directory is
        # set: set one for this call so that wkhtmltopdf really runs; and
        # test mode on, else the report commits its assets (and the test's
        # records) for wkhtmltopdf to fetch them.
        directory = tempfile.mkdtemp()
        saved = {key: tools.config[key]
                 for key in ("test_report_directory", "test_enable")}
        tools.config["test_report_directory"] = directory
        tools.config["test_enable"] = True
        try:
            pdf, kind = report.sudo(self.staff_user).render_qweb_pdf(wizard.ids)
        finally:
            tools.config.options.update(saved)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        path = os.path.join(directory, "value.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        text = subprocess.check_output(["pdftotext", "-layout", path, "-"]).decode()
        shutil.rmtree(directory)
        return text

    @unittest.skipUnless(shutil.which("wkhtmltopdf") and shutil.which("pdftotext"),
                         "wkhtmltopdf and pdftotext (scripts/setup.sh)")
    def test_yearly_pdf(self):
        wizard = self.env["ambassador.value.report.wizard"].sudo(
            self.staff_user).create({"year": self.year})
        action = wizard.action_print()
        self.assertEqual(action["report_name"],
                         "ambassador_program.report_value_year")
        text = self._pdf_text(wizard)
        self.assertIn("The Ambassador Programme in %s" % self.year, text)
        self.assertIn("Value Test Segment", text)
        self.assertIn("Value GmbH settles", text)
        self.assertIn("50,000.00", text)  # the segment's cost
        self.assertIn("2,000,000.00", text)  # the outcome's amount

    @unittest.skipUnless(shutil.which("wkhtmltopdf") and shutil.which("pdftotext"),
                         "wkhtmltopdf and pdftotext (scripts/setup.sh)")
    def test_yearly_pdf_in_french(self):
        ensure_french(self.env)
        self.staff_user.lang = "fr_FR"
        wizard = self.env["ambassador.value.report.wizard"].sudo(
            self.staff_user).create({"year": self.year})
        text = re.sub(r"\s", " ", self._pdf_text(wizard, lang="fr_FR"))
        self.assertIn("Value GmbH settles", text)
        self.assertIn("50 000,00", text)  # French digits
        self.assertIn("50\u00a0000,00", text.replace(" ", "\u00a0"))

    def test_wizard_year_checked(self):
        Wizard = self.env["ambassador.value.report.wizard"]
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Wizard.create({"year": "abcd"})
        action = self.cost.action_print_value_report()
        self.assertEqual(action["type"], "ir.actions.report")

    def test_report_values_over_rpc(self):
        """Over call_kw (what /web/dataset/call_kw runs), the PDF's values and
        the dashboard are refused to an employee outside the programme and to
        a portal ambassador; programme staff get them."""
        wizard = self.env["ambassador.value.report.wizard"].create(
            {"year": self.year})
        portal = self.make_portal_user(self.make_ambassador("Vlad Portal"))
        name = "report.ambassador_program.report_value_year"
        for user in (self.employee_user, portal):
            env = self.env(user=user.id)
            with self.assertRaises(AccessError):
                api.call_kw(env[name], "get_report_values", [wizard.ids], {})
            with self.assertRaises(AccessError):
                api.call_kw(env["ambassador.value.report"], "read_group",
                            [[], ["lead_count"], ["year"]], {})
            with self.assertRaises(AccessError):
                api.call_kw(env["ambassador.value.cost"], "search_read", [[]], {})
        env = self.env(user=self.staff_user.id)
        wizard = env["ambassador.value.report.wizard"].create({"year": self.year})
        values = api.call_kw(env[name], "get_report_values", [wizard.ids], {})
        self.assertEqual(values["figures"][wizard.id]["year"], self.year)
