# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo tells issue 15's story: Claire (Invest) passed on a German
company that settled with 40 jobs; a Visit ambassador brought a congress;
leads still in the pipeline and one lost. Skipped where the addon was
installed without demo data."""
from odoo.tests import common

from .test_demo_territory import DemoCase


class TestDemoOutcomes(DemoCase, common.TransactionCase):

    def setUp(self):
        super(TestDemoOutcomes, self).setUp()
        self.skip_without_demo()
        self.won = self.env.ref("crm.stage_lead4")

    def test_claire_brought_a_german_company_with_40_jobs(self):
        claire = self.ref("ambassador_claire")
        lead = self.ref("lead_claire_schmidt")
        self.assertEqual(lead.ambassador_partner_id, claire)
        self.assertEqual(lead.ambassador_lead_kind, "company")
        self.assertEqual(lead.country_id, self.env.ref("base.de"))
        self.assertEqual((lead.stage_id, lead.probability, lead.active),
                         (self.won, 100, True))
        self.assertEqual(self.won.probability, 100)
        outcome = self.ref("outcome_claire_schmidt")
        self.assertEqual(outcome.lead_id, lead)
        self.assertEqual(outcome.kind, "company")
        self.assertEqual(outcome.jobs_announced, 40)
        self.assertGreater(outcome.amount_invested, 0)
        self.assertTrue(outcome.industry_id)
        self.assertEqual(outcome.country_id, self.env.ref("base.de"))
        self.assertEqual([(line.partner_id, line.share)
                          for line in outcome.attribution_ids], [(claire, 100.0)])
        self.assertTrue(outcome.activity_ids.filtered(
            lambda a: a.activity_type_id == self.ref(
                "mail_activity_type_outcome_follow_up")))
        self.assertIn(outcome, self.env["ambassador.outcome"].search(
            [("attribution_ids.partner_id", "=", claire.id)]))

    def test_a_visit_ambassador_brought_a_congress(self):
        lead = self.ref("lead_isabelle_congress")
        self.assertEqual(lead.ambassador_partner_id.ambassador_segment_id,
                         self.ref("segment_visit"))
        self.assertEqual(lead.ambassador_lead_kind, "event")
        self.assertEqual((lead.stage_id, lead.probability), (self.won, 100))
        outcome = self.ref("outcome_isabelle_congress")
        self.assertEqual(outcome.kind, "event")
        self.assertGreater(outcome.visitors, 0)
        self.assertEqual(outcome.attribution_ids.partner_id,
                         lead.ambassador_partner_id)

    def test_pipeline_and_a_lost_lead(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search([("ambassador_partner_id", "!=", False)])
        open_leads = leads.filtered(lambda l: l.active and l.probability < 100)
        lost = leads.filtered(lambda l: not l.active and l.probability == 0)
        self.assertGreaterEqual(len(open_leads), 2)
        self.assertIn(self.ref("lead_julien_lost"), lost)
