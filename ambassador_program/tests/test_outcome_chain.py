# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 15's chain end to end, through the ORM as each person acts: an
ambassador passes a lead on from its space; the agency's salesperson
qualifies and wins it in the CRM; the ambassador follows it and earns the
milestones' points; staff record the outcome; the value dashboard and the
diaspora map count it."""
from odoo import fields

from .common import AmbassadorCase


class TestAmbassadorToOutcome(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestAmbassadorToOutcome, cls).setUpClass()
        cls.country = cls.env["res.country"].create(
            {"name": "Chainland", "code": "QZ"})
        cls.ambassador = cls.make_ambassador("Chain Ambassador", segment=cls.invest)
        cls.agency = cls._make_user("agency_sales", [
            cls.group_user, cls.env.ref("sales_team.group_sale_manager")])

    def value_row(self, year):
        Report = self.env["ambassador.value.report"].sudo(self.staff_user)
        rows = Report.read_group(
            [("year", "=", year), ("segment_id", "=", self.invest.id)],
            ["lead_count", "won_count", "jobs_announced", "amount_invested",
             "outcome_count"], [])
        return rows[0]

    def test_lead_won_outcome_dashboard(self):
        year = str(fields.Date.from_string(fields.Date.today()).year)
        before = self.value_row(year)
        leads_map = dict(
            (row["country_id"], row["count"])
            for row in self.env["ambassador.diaspora.map"]._rows("leads"))
        self.assertNotIn(self.country.id, leads_map)

        # The ambassador passes the lead on (its space's form).
        lead = self.env["crm.lead"]._ambassador_submit(self.ambassador, {
            "name": "Nordwind Turbines: a European plant", "kind": "company",
            "country_id": str(self.country.id),
            "description": "Looking for a site for 40 jobs.",
            "contact_name": "", "contact_email": "", "contact_agreed": ""})
        sources = self.Partner._ambassador_utm_sources([self.ambassador.id])
        self.assertEqual(lead.source_id.id, sources[self.ambassador.id])
        space = self.env["crm.lead"]._ambassador_space_leads(self.ambassador)
        self.assertEqual(space, lead)
        self.assertEqual(lead.ambassador_status, "received")

        # The agency works it in its own pipeline.
        as_agency = lead.sudo(self.agency)
        as_agency.convert_opportunity(False)
        as_agency.action_set_won()
        self.assertEqual(lead.ambassador_status, "won")
        points = (self.env.ref("ambassador_program.rule_lead_qualified").points
                  + self.env.ref("ambassador_program.rule_lead_won").points)
        self.assertEqual(lead._ambassador_points()[lead.id], points)
        self.ambassador.invalidate_cache()
        self.assertEqual(self.ambassador.ambassador_balance, points)

        # Staff record what it brought.
        outcome = self.env["ambassador.outcome"].sudo(self.agency).create({
            "lead_id": lead.id, "jobs_announced": 40,
            "amount_invested": 2500000.0})
        self.assertEqual(outcome.kind, "company")
        self.assertEqual(outcome.country_id, self.country)
        self.assertEqual([(line.partner_id, line.share)
                          for line in outcome.attribution_ids],
                         [(self.ambassador, 100.0)])
        self.assertTrue(outcome.activity_ids)

        # The dashboard and the map count it.
        after = self.value_row(year)
        self.assertEqual(after["lead_count"], before["lead_count"] + 1)
        self.assertEqual(after["won_count"], before["won_count"] + 1)
        self.assertAlmostEqual(after["jobs_announced"],
                               before["jobs_announced"] + 40)
        self.assertAlmostEqual(after["amount_invested"],
                               before["amount_invested"] + 2500000.0)
        Map = self.env["ambassador.diaspora.map"]
        leads_map = {row["country_id"]: row for row in Map._rows("leads")}
        self.assertEqual(
            (leads_map[self.country.id]["count"], leads_map[self.country.id]["won"]),
            (1, 1))
        outcomes_map = {row["country_id"]: row for row in Map._rows("outcomes")}
        self.assertEqual(outcomes_map[self.country.id]["jobs"], 40)
