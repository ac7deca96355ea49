# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The "My leads" pages over HTTP: the link from the space, passing a lead
on, bad input re-displayed with nothing lost, another ambassador's lead a
404, what the pages never show (the agency's notes, the salesperson, the
expected revenue), inactive ambassadors and visitors."""
from odoo.tests import common

from .test_website import WebsiteCase


@common.at_install(False)
@common.post_install(True)
class TestLeadPages(WebsiteCase):

    def setUp(self):
        super(TestLeadPages, self).setUp()
        self.Lead = self.env["crm.lead"]
        self.claire = self.make_ambassador("Claire Pages", segment=self.invest)
        self.otto = self.make_ambassador("Otto Pages", segment=self.invest)
        self.germany = self.env.ref("base.de")

    def valid(self, **values):
        data = {"name": "Hanse Robotics GmbH", "kind": "company",
                "country_id": str(self.germany.id),
                "description": "Considering a plant for 40 jobs."}
        data.update(values)
        return data

    def test_pass_on_and_follow_a_lead(self):
        self.login(self.claire)
        space = self.url_open("/my/ambassador")
        self.assertIn('href="/my/ambassador/leads"', space.text)
        listing = self.url_open("/my/ambassador/leads")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("You have not passed on any lead yet.", listing.text)
        form = self.url_open("/my/ambassador/leads/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn('for="contact_agreed"', form.text)
        response = self.post("/my/ambassador/leads/new", self.valid(
            contact_name="Hans Meier", contact_email="hans@example.de",
            contact_agreed="1"), csrf_from="/my/ambassador/leads/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your lead was passed on to the agency", response.text)
        lead = self.Lead.search([("ambassador_partner_id", "=", self.claire.id)])
        self.assertEqual(lead.name, "Hanse Robotics GmbH")
        self.assertIn("/my/ambassador/leads/%d" % lead.id, response.url)
        # The agency works on it: notes, salesperson, expected revenue.
        salesman = self.env["res.users"].create({
            "name": "Sally Sales", "login": "sally.sales.leads",
            "groups_id": [(6, 0, self.env.ref(
                "sales_team.group_sale_salesman").ids)]})
        lead.write({"description": "INTERNAL: the CEO is hesitant",
                    "user_id": salesman.id, "planned_revenue": 987654})
        lead.convert_opportunity(False)
        lead.action_set_won()
        page = self.url_open("/my/ambassador/leads/%d" % lead.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Won", page.text)
        points = (self.env.ref("ambassador_program.rule_lead_qualified").points
                  + self.env.ref("ambassador_program.rule_lead_won").points)
        self.assertIn('o_ambassador_lead_points">%d<' % points, page.text)
        listing = self.url_open("/my/ambassador/leads")
        for text in (page.text, listing.text):
            self.assertNotIn("INTERNAL", text)
            self.assertNotIn("Sally Sales", text)
            self.assertNotIn("987", text)
            self.assertNotIn("Hans Meier", text)
        self.assertIn("Hanse Robotics GmbH", listing.text)
        self.assertIn("Germany", listing.text)

    def test_bad_input_is_shown_and_kept(self):
        self.login(self.claire)
        response = self.post("/my/ambassador/leads/new", self.valid(
            name="", kind="spaceship", country_id="12abc",
            description="Kept text <script>alert(1)</script>",
            contact_email="not an address", contact_agreed="1"),
            csrf_from="/my/ambassador/leads/new")
        self.assertEqual(response.status_code, 400)
        for field in ("name", "kind", "country_id", "contact_email"):
            self.assertIn('id="%s_error"' % field, response.text)
        self.assertIn("Kept text &lt;script&gt;", response.text)
        self.assertNotIn("<script>alert(1)", response.text)
        self.assertIn('value="not an address"', response.text)
        self.assertFalse(self.Lead.search(
            [("ambassador_partner_id", "=", self.claire.id)]))
        # A contact without its agreement.
        response = self.post("/my/ambassador/leads/new", self.valid(
            contact_name="Hans Meier"), csrf_from="/my/ambassador/leads/new")
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="contact_agreed_error"', response.text)
        self.assertIn('value="Hans Meier"', response.text)
        # Over the day's quota: the form again, the text kept.
        self.set_param("lead_daily_cap", "0")
        response = self.post("/my/ambassador/leads/new", self.valid(),
                             csrf_from="/my/ambassador/leads/new")
        self.assertEqual(response.status_code, 400)
        self.assertIn("the most a day", response.text)
        self.assertIn("Considering a plant for 40 jobs.", response.text)

    def test_debug_mode_shows_no_traceback(self):
        self.login(self.claire)
        for url in ("/my/ambassador/leads?debug=1",
                    "/my/ambassador/leads/999999999?debug=1",
                    "/my/ambassador/leads/new?debug=1"):
            response = self.url_open(url)
            self.assertNotIn("Traceback", response.text)

    def test_malformed_input_never_crashes_nor_writes(self):
        self.login(self.claire)
        token = self.csrf("/my/ambassador/leads/new")
        bad = ["ab\x00cd", "\x01\x02\x1b[2J", "A" * 100000, "\u202e\U0001F600",
               "-1", "0", "9" * 30, "\u00b2", "\u0661", "0x10", " 1 "]
        for value in bad:
            for field in ("name", "kind", "country_id", "description",
                          "contact_name", "contact_email", "contact_agreed"):
                # Always invalid somewhere else: nothing may be written.
                data = dict(self.valid(country_id="abc"), csrf_token=token)
                if field == "country_id":
                    data["name"] = ""
                data[field] = value
                self.sync()
                response = self.opener.post(
                    "http://%s:%s/my/ambassador/leads/new?debug=1" % (
                        common.HOST, common.PORT), data=data, timeout=60)
                self.assertLess(response.status_code, 500, (field, value[:20]))
                self.assertNotIn("Traceback", response.text)
        for path in ("/my/ambassador/leads/-1", "/my/ambassador/leads/99999999999",
                     "/my/ambassador/leads/abc?debug=1"):
            response = self.url_open(path)
            self.assertLess(response.status_code, 500, path)
            self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.Lead.with_context(active_test=False).search(
            [("ambassador_partner_id", "=", self.claire.id)]))

    def test_another_ambassadors_lead_is_not_found(self):
        lead = self.Lead._ambassador_submit(self.otto, self.valid())
        self.login(self.claire)
        response = self.url_open("/my/ambassador/leads/%d" % lead.id)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Hanse Robotics", response.text)
        self.assertEqual(self.url_open("/my/ambassador/leads/999999999")
                         .status_code, 404)
        listing = self.url_open("/my/ambassador/leads")
        self.assertNotIn("Hanse Robotics", listing.text)

    def test_inactive_and_visitors(self):
        suspended = self.make_ambassador("Sue Pages", state="suspended")
        self.login(suspended)
        self.assertEqual(self.url_open("/my/ambassador/leads/new").status_code, 403)
        response = self.post("/my/ambassador/leads/new", self.valid(),
                             csrf_from="/my/ambassador/profile")
        self.assertEqual(response.status_code, 403)
        listing = self.url_open("/my/ambassador/leads")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Only active ambassadors pass on new leads.", listing.text)
        self.assertFalse(self.Lead.search(
            [("ambassador_partner_id", "=", suspended.id)]))
        self.url_open("/web/session/logout")
        response = self.url_open("/my/ambassador/leads")
        self.assertIn("/web/login", response.url)
