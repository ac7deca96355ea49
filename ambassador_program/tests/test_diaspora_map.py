# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The diaspora map (issue 15): the counts per country, the threshold of the
public page, the cached SVG, its routes (opt-in, staff group) and the staff's
form."""
import re

from odoo.tests import common

from ..models.authority import as_engine
from .common import AmbassadorCase, FIXTURE_CONSENT
from .test_website import WebsiteCase

# Outside references an SVG must not have (its namespaces are names, not calls).
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


def outside_urls(svg):
    return [url for url in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", svg)
            if url not in NAMESPACES]


class TestDiasporaMapCounts(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestDiasporaMapCounts, cls).setUpClass()
        ref = cls.env.ref
        cls.Map = cls.env["ambassador.diaspora.map"]
        cls.iceland, cls.mongolia, cls.namibia = (
            ref("base.is"), ref("base.mn"), ref("base.na"))
        cls.before = {kind: cls.counts(kind) for kind in
                      ("residence", "network", "leads", "outcomes")}

    @classmethod
    def counts(cls, kind, min_count=1):
        return {row["code"]: row for row in cls.Map._rows(kind, min_count)}

    def count(self, kind, code, key="count", min_count=1):
        row = self.counts(kind, min_count).get(code)
        return row[key] if row else 0

    def delta(self, kind, code, key="count"):
        before = self.before[kind].get(code)
        return self.count(kind, code, key) - (before[key] if before else 0)

    def test_counts_per_country(self):
        for index in range(3):
            self.make_ambassador("Iceland %d" % index, country_id=self.iceland.id,
                                 ambassador_network_country_ids=[
                                     (6, 0, [self.namibia.id, self.mongolia.id])])
        # Not counted: a candidate, a suspended one, an archived one.
        self.make_ambassador("Candidate", state="candidate",
                             country_id=self.iceland.id)
        suspended = self.make_ambassador("Suspended", country_id=self.iceland.id,
                                         ambassador_network_country_ids=[
                                             (6, 0, [self.namibia.id])])
        as_engine(suspended).write({"ambassador_state": "suspended"})
        self.assertEqual(self.delta("residence", "is"), 3)
        self.assertEqual(self.delta("network", "na"), 3)
        self.assertEqual(self.delta("network", "mn"), 3)
        ambassador = self.make_ambassador("Passer", country_id=self.iceland.id)
        won = self.env["crm.stage"].search([("probability", "=", 100)], limit=1)
        Lead = self.env["crm.lead"]
        Lead.create({"name": "Lead 1", "ambassador_partner_id": ambassador.id,
                     "country_id": self.namibia.id, "stage_id": won.id})
        Lead.create({"name": "Lead 2", "ambassador_partner_id": ambassador.id,
                     "country_id": self.namibia.id})
        # Not passed on by an ambassador: not on the map.
        Lead.create({"name": "Lead 3", "country_id": self.namibia.id})
        self.assertEqual(self.delta("leads", "na"), 2)
        self.assertEqual(self.delta("leads", "na", "won"), 1)
        Outcome = self.env["ambassador.outcome"]
        for jobs in (40, 2):
            Outcome.create({"name": "Plant %d" % jobs, "kind": "company",
                            "country_id": self.namibia.id, "jobs_announced": jobs})
        self.assertEqual(self.delta("outcomes", "na"), 2)
        self.assertEqual(self.delta("outcomes", "na", "jobs"), 42)

    def test_public_threshold_hides_small_countries(self):
        self.assertFalse(self.before["residence"].get("mn"))
        self.assertFalse(self.before["network"].get("is"))
        set_param = self.env["ir.config_parameter"].set_param
        set_param("ambassador_program.public_map", "False")
        set_param("ambassador_program.public_map_min_count", "3")
        for index in range(2):
            self.make_ambassador("Mongolia %d" % index, country_id=self.mongolia.id,
                                 ambassador_network_country_ids=[
                                     (6, 0, [self.iceland.id])])
        # Off by default: the public page has nothing at all.
        self.assertEqual(self.Map._public_rows("residence"), [])
        set_param("ambassador_program.public_map", "True")
        self.assertNotIn("mn", [r["code"] for r in self.Map._public_rows("residence")])
        self.assertNotIn("is", [r["code"] for r in self.Map._public_rows("network")])
        # Staff see every country.
        self.assertEqual(self.count("residence", "mn"), 2)
        self.make_ambassador("Mongolia 3", country_id=self.mongolia.id,
                             ambassador_network_country_ids=[(6, 0, [self.iceland.id])])
        public = {r["code"]: r["count"] for r in self.Map._public_rows("residence")}
        self.assertEqual(public["mn"], 3)
        network = {r["code"]: r["count"] for r in self.Map._public_rows("network")}
        self.assertEqual(network["is"], 3)
        # Leads and outcomes are never public; no row names anyone.
        self.assertEqual(self.Map._public_rows("leads"), [])
        self.assertEqual(self.Map._public_rows("outcomes"), [])
        self.assertEqual(set(self.Map._public_rows("residence")[0]),
                         {"country_id", "code", "name", "count"})
        # A threshold below 2 is refused, and read as 2 if typed by hand.
        set_param("ambassador_program.public_map_min_count", "0")
        self.assertEqual(self.Map._public_min_count(), 2)
        with self.assertRaises(Exception):
            self.env["res.config.settings"].create(
                {"ambassador_public_map_min_count": 1})

    def test_svg_is_cached_and_follows_the_counts(self):
        rows = self.Map._rows("residence")
        first = self.Map._svg_gzip("residence", rows)
        self.assertIs(self.Map._svg_gzip("residence", rows)[1], first[1],
                      "the second view reuses the drawing")
        svg = self.Map._svg("residence", rows)
        self.assertNotIn("<script", svg)
        self.assertNotIn("<!--", svg)
        self.assertFalse(outside_urls(svg), outside_urls(svg)[:3])
        self.assertIn('role="img"', svg)
        self.assertIn('<title id="map-title">Ambassadors by country of residence'
                      "</title>", svg)
        iceland = self.count("residence", "is")
        self.assertEqual("Iceland: %d" % iceland in svg, bool(iceland))
        self.make_ambassador("Iceland new", country_id=self.iceland.id)
        rows = self.Map._rows("residence")
        second = self.Map._svg_gzip("residence", rows)
        self.assertNotEqual(second[0], first[0], "new counts, new fingerprint")
        svg = self.Map._svg("residence", rows)
        self.assertIn("Iceland: %d" % (iceland + 1), svg)
        self.assertLess(len(svg), 800000, "coordinates rounded")

    def test_staff_form_only_for_programme_staff(self):
        self.make_ambassador("Iceland form", country_id=self.iceland.id)
        Report = self.env["ambassador.diaspora.map.report"]
        report = Report.sudo(self.staff_user).create({"kind": "residence"})
        self.assertIn("/ambassador/staff/diaspora-map/residence.svg", report.map_html)
        self.assertIn("<td>Iceland</td>", report.table_html)
        report.kind = "outcomes"
        self.assertIn("Jobs announced", report.table_html)
        for user in (self.employee_user, self.env.ref("base.public_user")):
            report = Report.sudo(user).create({"kind": "residence"})
            self.assertFalse(report.map_html)
            self.assertFalse(report.table_html)


@common.at_install(False)
@common.post_install(True)
class TestDiasporaMapRoutes(WebsiteCase):

    def setUp(self):
        super(TestDiasporaMapRoutes, self).setUp()
        self.iceland = self.env.ref("base.is")
        for index in range(3):
            self.Partner.with_context(**FIXTURE_CONSENT).create({
                "name": "Route Iceland %d" % index,
                "email": "route.iceland.%d@example.com" % index,
                "ambassador_state": "active",
                "ambassador_segment_id": self.invest.id,
                "country_id": self.iceland.id,
            })
        self.set_param("public_map", "False")
        self.set_param("public_map_min_count", "2")
        # One ambassador in Mongolia: under the public threshold.
        self.assertFalse([row for row in self.env["ambassador.diaspora.map"]._rows(
            "residence") if row["code"] == "mn"])
        self.Partner.with_context(**FIXTURE_CONSENT).create({
            "name": "Route Mongolia", "email": "route.mongolia@example.com",
            "ambassador_state": "active", "ambassador_segment_id": self.invest.id,
            "country_id": self.env.ref("base.mn").id,
        })

    def test_public_map_is_opt_in(self):
        for kind in ("residence", "network", "leads"):
            response = self.url_open("/ambassadors/diaspora-map/%s.svg" % kind)
            self.assertEqual(response.status_code, 404)
        page = self.url_open("/ambassadors")
        self.assertNotIn("diaspora-map", page.text)
        self.set_param("public_map", "True")
        page = self.url_open("/ambassadors")
        self.assertIn("/ambassadors/diaspora-map/residence.svg?v=", page.text)
        self.assertIn("<td>Iceland</td>", page.text)
        response = self.url_open("/ambassadors/diaspora-map/residence.svg")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/svg+xml"))
        self.assertIn("public", response.headers["Cache-Control"])
        self.assertEqual(response.headers.get("Content-Encoding"), "gzip")
        svg = response.text
        self.assertIn('class="is country map-element', svg)
        self.assertIn("Iceland: ", svg)
        self.assertFalse(outside_urls(svg), outside_urls(svg)[:3])
        # The browser's copy is still good: no body.
        again = self.opener.get(response.url, timeout=60, headers={
            "If-None-Match": response.headers["ETag"]})
        self.assertEqual(again.status_code, 304)
        # A country with fewer ambassadors than the threshold (2) shows in
        # neither the table nor the picture.
        self.assertNotIn("Mongolia", page.text)
        self.assertNotIn('class="mn country map-element color', svg)
        # Leads and outcomes are staff-only, even opted in.
        for kind in ("leads", "outcomes", "nowhere"):
            response = self.url_open("/ambassadors/diaspora-map/%s.svg" % kind)
            self.assertEqual(response.status_code, 404)

    def test_staff_map_needs_the_programme_group(self):
        group = self.env.ref("ambassador_program.group_ambassador_user")
        Users = self.env["res.users"].with_context(no_reset_password=True)
        staff = Users.create({"name": "Map staff", "login": "map_staff",
                              "password": "map_staff_pw1",
                              "groups_id": [(6, 0, [group.id])]})
        Users.create({"name": "Map employee", "login": "map_employee",
                      "password": "map_employee_pw1",
                      "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        url = "/ambassador/staff/diaspora-map/outcomes.svg"
        self.assertNotEqual(self.url_open(url).headers.get("Content-Type", "")[:13],
                            "image/svg+xml")
        self.authenticate("map_employee", "map_employee_pw1")
        self.assertEqual(self.url_open(url).status_code, 404)
        self.authenticate(staff.login, "map_staff_pw1")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Outcomes by country of origin", response.text)
        self.assertIn("private", response.headers["Cache-Control"])
        uncompressed = self.opener.get(response.url, timeout=60,
                                       headers={"Accept-Encoding": "identity"})
        self.assertNotIn("Content-Encoding", uncompressed.headers)
        self.assertTrue(uncompressed.content.startswith(b"<svg"))
