# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Outcomes of won leads (issue 15) through the ORM: their rules (shares,
ambassadors only, figures, one per lead and kind), what they take from the
lead, the 3-year follow-up activity, who may read them, the lead's and the
ambassador's counts, and the privacy map's handling of an attribution."""
from datetime import date

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import AmbassadorCase

SQL_LOGGER = "odoo.sql_db"


class OutcomeCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(OutcomeCase, cls).setUpClass()
        env = cls.env
        cls.Outcome = env["ambassador.outcome"]
        cls.claire = cls.make_ambassador("Clara Outcome")
        cls.julia = cls.make_ambassador("Julia Outcome", segment=cls.visit)
        cls.plain = cls.Partner.create(
            {"name": "Not An Ambassador", "email": "not.amb@example.com"})
        cls.germany = env.ref("base.de")
        cls.follow_up_type = env.ref(
            "ambassador_program.mail_activity_type_outcome_follow_up")
        cls.lead = env["crm.lead"].create({
            "name": "Müller GmbH: a plant", "partner_name": "Müller GmbH",
            "type": "opportunity", "country_id": cls.germany.id,
            "ambassador_partner_id": cls.claire.id,
            "ambassador_lead_kind": "company", "user_id": cls.staff_user.id,
            "stage_id": env.ref("crm.stage_lead4").id, "probability": 100})

    def make_outcome(self, **vals):
        values = {"name": "Outcome", "kind": "company", "attribution_ids": [
            (0, 0, {"partner_id": self.claire.id, "share": 100.0})]}
        values.update(vals)
        return self.Outcome.create(values)

    def follow_ups(self, outcome):
        return self.env["mail.activity"].search([
            ("res_model", "=", "ambassador.outcome"), ("res_id", "=", outcome.id),
            ("activity_type_id", "=", self.follow_up_type.id)])


class TestOutcomeRules(OutcomeCase):

    def test_shares_must_add_up_to_100(self):
        outcome = self.make_outcome(attribution_ids=[
            (0, 0, {"partner_id": self.claire.id, "share": 66.67}),
            (0, 0, {"partner_id": self.julia.id, "share": 33.33})])
        self.assertAlmostEqual(sum(outcome.attribution_ids.mapped("share")), 100)
        with self.assertRaises(ValidationError):
            self.make_outcome(attribution_ids=[
                (0, 0, {"partner_id": self.claire.id, "share": 60.0}),
                (0, 0, {"partner_id": self.julia.id, "share": 30.0})])
        # Within 0.01: accepted (thirds).
        self.make_outcome(kind="event", attribution_ids=[
            (0, 0, {"partner_id": self.claire.id, "share": 33.33}),
            (0, 0, {"partner_id": self.julia.id, "share": 66.66})])
        # Changing one line on its own breaks the total: refused.
        with self.assertRaises(ValidationError):
            outcome.attribution_ids[0].write({"share": 50.0})
        # Through the outcome, both lines at once: accepted.
        first, second = outcome.attribution_ids
        outcome.write({"attribution_ids": [(1, first.id, {"share": 50.0}),
                                           (1, second.id, {"share": 50.0})]})
        self.assertEqual(outcome.attribution_ids.mapped("share"), [50.0, 50.0])
        # Removing a line alone leaves 50 %: refused; nobody at all is allowed
        # (the agency's own lead).
        with self.assertRaises(ValidationError):
            second.unlink()
        outcome.write({"attribution_ids": [(5, 0, 0)]})
        self.assertFalse(outcome.attribution_ids)

    def test_share_is_positive(self):
        for share in (0.0, -10.0, 150.0):
            with self.assertRaises(psycopg2.IntegrityError), \
                    mute_logger(SQL_LOGGER), self.env.cr.savepoint():
                self.make_outcome(attribution_ids=[
                    (0, 0, {"partner_id": self.claire.id, "share": share})])

    def test_attributed_to_ambassadors_only(self):
        with self.assertRaises(ValidationError):
            self.make_outcome(attribution_ids=[
                (0, 0, {"partner_id": self.plain.id, "share": 100.0})])

    def test_figures_are_not_negative(self):
        for name in ("jobs_announced", "jobs_3y", "amount_invested", "visitors"):
            with self.assertRaises(psycopg2.IntegrityError), \
                    mute_logger(SQL_LOGGER), self.env.cr.savepoint():
                self.make_outcome(**{name: -1})

    def test_one_outcome_per_lead_and_kind(self):
        self.make_outcome(lead_id=self.lead.id)
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger(SQL_LOGGER), self.env.cr.savepoint():
            self.make_outcome(lead_id=self.lead.id)
        # The same lead may bring another kind of outcome (a delegation).
        self.make_outcome(lead_id=self.lead.id, kind="delegation")
        self.assertEqual(self.lead.ambassador_outcome_count, 2)


class TestOutcomeFromLead(OutcomeCase):

    def test_defaults_from_the_lead(self):
        outcome = self.Outcome.create({"lead_id": self.lead.id})
        self.assertEqual(outcome.name, "Müller GmbH")
        self.assertEqual(outcome.kind, "company")
        self.assertEqual(outcome.country_id, self.germany)
        self.assertEqual(outcome.user_id, self.staff_user)
        self.assertEqual(outcome.attribution_ids.mapped("partner_id"), self.claire)
        self.assertEqual(outcome.attribution_ids.share, 100.0)
        # What staff give wins over the lead's.
        other = self.Outcome.create({
            "lead_id": self.lead.id, "kind": "partnership", "name": "R&D",
            "attribution_ids": [(0, 0, {"partner_id": self.julia.id,
                                        "share": 100.0})]})
        self.assertEqual(other.name, "R&D")
        self.assertEqual(other.attribution_ids.partner_id, self.julia)

    def test_kind_mapped_from_the_kind_of_lead(self):
        self.lead.ambassador_lead_kind = "research"
        outcome = self.Outcome.new({"lead_id": self.lead.id})
        outcome._onchange_lead_id()
        self.assertEqual(outcome.kind, "partnership")
        self.assertEqual(outcome.attribution_ids.partner_id, self.claire)

    def test_smart_button_counts(self):
        self.make_outcome(lead_id=self.lead.id, attribution_ids=[
            (0, 0, {"partner_id": self.claire.id, "share": 50.0}),
            (0, 0, {"partner_id": self.julia.id, "share": 50.0})])
        self.make_outcome(kind="event")
        self.assertEqual(self.lead.sudo(self.staff_user).ambassador_outcome_count, 1)
        self.assertEqual(self.claire.sudo(self.staff_user).ambassador_outcome_count, 2)
        self.assertEqual(self.julia.sudo(self.staff_user).ambassador_outcome_count, 1)


class TestOutcomeFollowUp(OutcomeCase):

    def test_activity_scheduled_at_three_years_and_done_with_the_jobs(self):
        outcome = self.make_outcome(
            lead_id=self.lead.id, date="2026-03-15", jobs_announced=40)
        activity = self.follow_ups(outcome)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, "2029-03-15")
        self.assertEqual(activity.user_id, self.staff_user)
        self.assertEqual(outcome.follow_up_date, "2029-03-15")
        # The date moves: the follow-up too.
        outcome.write({"date": "2026-04-01"})
        self.assertEqual(activity.date_deadline, "2029-04-01")
        # Entered (0 is a figure): the activity is done, with its message.
        outcome.sudo(self.staff_user).write({"jobs_3y": 0})
        self.assertFalse(self.follow_ups(outcome))
        self.assertEqual(outcome.jobs_3y_date, fields.Date.context_today(outcome))
        self.assertTrue(outcome.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.follow_up_type))

    def test_default_follow_up_date(self):
        outcome = self.make_outcome()
        expected = date.today() + relativedelta(years=3)
        self.assertEqual(self.follow_ups(outcome).date_deadline,
                         fields.Date.to_string(expected))


class TestOutcomeAccess(OutcomeCase):

    def test_who_reads_and_writes(self):
        outcome = self.make_outcome()
        portal = self.make_portal_user(self.claire)
        for user in (portal, self.employee_user,
                     self.env.ref("base.public_user")):
            for model, record in (("ambassador.outcome", outcome),
                                  ("ambassador.outcome.attribution",
                                   outcome.attribution_ids)):
                with self.assertRaises(AccessError):
                    self.env[model].sudo(user).search_read(
                        [("id", "=", record.id)], ["id"])
        # Staff create and edit; managers only delete.
        mine = self.make_outcome(kind="event").sudo(self.staff_user)
        mine.write({"visitors": 300})
        with self.assertRaises(AccessError):
            mine.unlink()
        self.make_outcome(kind="delegation").sudo(self.manager_user).unlink()

    def test_ambassador_rows_are_its_own_without_amounts(self):
        self.make_outcome(name="Claire's plant", jobs_announced=40,
                          amount_invested=5000000)
        self.make_outcome(name="Julia's congress", kind="event", attribution_ids=[
            (0, 0, {"partner_id": self.julia.id, "share": 100.0})])
        portal = self.make_portal_user(self.claire)
        rows = self.env["ambassador.outcome.attribution"].sudo(
            portal)._ambassador_portal_rows(self.claire)
        self.assertEqual([row["name"] for row in rows], ["Claire's plant"])
        self.assertNotIn("amount_invested", rows[0])
        self.assertEqual(rows[0]["jobs_announced"], 40)
        self.assertEqual(rows[0]["share"], "100")
        self.assertIsNone(rows[0]["jobs_3y"])
        # The latest first, up to the limit; the totals count them all.
        self.make_outcome(name="Claire's congress", kind="event",
                          date="2030-01-01", visitors=500)
        Attribution = self.env["ambassador.outcome.attribution"]
        latest = Attribution._ambassador_portal_rows(self.claire, limit=1)
        self.assertEqual([row["name"] for row in latest], ["Claire's congress"])
        self.assertEqual(Attribution._ambassador_portal_totals(self.claire),
                         (2, 40))


class TestOutcomePrivacy(OutcomeCase):

    def test_export_lists_and_erasure_keeps_the_figures(self):
        outcome = self.make_outcome(
            name="Plant of the erased", jobs_announced=40, amount_invested=1000,
            attribution_ids=[(0, 0, {"partner_id": self.claire.id, "share": 60.0}),
                             (0, 0, {"partner_id": self.julia.id, "share": 40.0})])
        Data = self.env["ambassador.personal.data"]
        exported = Data._export(self.claire)["outcome_attributions"]
        self.assertEqual([(row["outcome_id"], row["share"]) for row in exported],
                         [("Plant of the erased", 60.0)])
        Data._erase(self.claire)
        outcome.invalidate_cache()
        self.assertEqual((outcome.jobs_announced, outcome.amount_invested),
                         (40, 1000))
        line = outcome.attribution_ids.filtered(lambda l: l.share == 60.0)
        self.assertEqual(line.partner_id.name,
                         "Erased ambassador #%d" % self.claire.id)
        self.assertFalse(line.partner_id.email)
