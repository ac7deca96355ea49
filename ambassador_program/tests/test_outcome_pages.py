# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador's outcomes page over HTTP (issue 15): its own outcomes and
shares, nobody else's, never the amounts; who may open it."""
import json

from odoo.tests import common

from .test_website import WebsiteCase


@common.at_install(False)
@common.post_install(True)
class TestOutcomePages(WebsiteCase):

    def setUp(self):
        super(TestOutcomePages, self).setUp()
        self.amb = self.make_ambassador("Olivia Outcome", segment=self.invest)
        self.other = self.make_ambassador("Oscar Outcome", segment=self.invest)
        Outcome = self.env["ambassador.outcome"]
        self.shared = Outcome.create({
            "name": "Kranich Werke settle", "kind": "company",
            "jobs_announced": 40, "amount_invested": 7654321,
            "date": "2026-05-04", "country_id": self.env.ref("base.de").id,
            "attribution_ids": [
                (0, 0, {"partner_id": self.amb.id, "share": 66.67}),
                (0, 0, {"partner_id": self.other.id, "share": 33.33})]})
        self.foreign = Outcome.create({
            "name": "Congress of somebody else", "kind": "event",
            "visitors": 900, "attribution_ids": [
                (0, 0, {"partner_id": self.other.id, "share": 100.0})]})

    def test_own_outcomes_and_share_without_amounts(self):
        self.login(self.amb)
        response = self.url_open("/my/ambassador/outcomes")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Kranich Werke settle", text)
        self.assertIn("Company Settlement", text)
        self.assertIn("66.67", text)
        self.assertIn("not yet known", text)
        self.assertNotIn("Congress of somebody else", text)
        self.assertNotIn("7654321", text)
        self.assertNotIn("7,654,321", text)
        self.assertIn('href="/my/ambassador/outcomes"', text)
        # Once the jobs at 3 years are in, they show.
        self.shared.write({"jobs_3y": 35})
        self.assertIn(">35<", self.url_open("/my/ambassador/outcomes").text)

    def test_none_yet(self):
        newcomer = self.make_ambassador("Nina Outcome")
        self.login(newcomer)
        response = self.url_open("/my/ambassador/outcomes")
        self.assertEqual(response.status_code, 200)
        self.assertIn("No outcome yet", response.text)

    def test_not_for_other_users(self):
        contact = self.Partner.create(
            {"name": "Paul Portal", "email": "paul.portal@example.com"})
        self.login(contact)
        response = self.url_open("/my/ambassador/outcomes")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Kranich", response.text)

    def test_visitors_log_in_first(self):
        response = self.url_open("/my/ambassador/outcomes")
        self.assertIn("/web/login", response.url)

    def count(self, url):
        """The request's queries (not the test's own)."""
        cr = self.registry.test_cr
        self.sync()
        before = cr.sql_log_count
        response = common.HttpCase.url_open(self, url, timeout=60)
        self.assertEqual(response.status_code, 200)
        return cr.sql_log_count - before

    def test_query_count_does_not_grow_with_the_outcomes(self):
        self.login(self.amb)
        self.count("/my/ambassador/outcomes")  # warms the ORM caches
        few = self.count("/my/ambassador/outcomes")
        for number in range(8):
            self.env["ambassador.outcome"].create({
                "name": "More %d" % number, "kind": "delegation",
                "country_id": self.env.ref("base.it").id, "attribution_ids": [
                    (0, 0, {"partner_id": self.amb.id, "share": 100.0})]})
        many = self.count("/my/ambassador/outcomes")
        self.assertEqual(few, many)

    def rpc(self, model, method, args, kwargs=None):
        self.sync()
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"model": model, "method": method,
                                        "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"}, timeout=60)
        self.env.clear()
        return response.json()

    def test_ambassador_reads_no_outcome_over_json_rpc(self):
        """Its own outcome included: the page is its only window on them."""
        self.login(self.amb)
        for model, record in (("ambassador.outcome", self.shared),
                              ("ambassador.outcome.attribution",
                               self.shared.attribution_ids[0])):
            for method, args, kwargs in (
                    ("search_read", [[("id", "=", record.id)]],
                     {"fields": ["id"]}),
                    ("read", [record.ids, ["id"]], {}),
                    ("read_group", [[], ["id"], []], {})):
                body = self.rpc(model, method, args, kwargs)
                self.assertIn("error", body, (model, method))
                self.assertTrue(body["error"]["data"]["name"].endswith(
                    "AccessError"), body["error"]["data"]["name"])
        body = self.rpc("ambassador.outcome", "write",
                        [self.shared.ids, {"jobs_announced": 400}])
        self.assertIn("error", body)
        self.assertEqual(self.shared.jobs_announced, 40)
