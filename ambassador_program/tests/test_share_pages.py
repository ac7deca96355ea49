# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The share pages over HTTP (issue 14): the ambassador's kits, one kit's
page with its personal link and plain share links (no script of the
networks), who may open it, and a visit of the short link counted to it."""
import re
from datetime import date, timedelta
from urllib.parse import quote

from odoo import fields
from odoo.tests import common

from ..models.authority import as_engine
from .test_website import WebsiteCase

NETWORK_SCRIPTS = ("platform.twitter.com", "connect.facebook.net",
                   "platform.linkedin.com", "addtoany", "sharethis")


@common.at_install(False)
@common.post_install(True)
class TestSharePages(WebsiteCase):

    def setUp(self):
        super(TestSharePages, self).setUp()
        env = self.env
        self.mission = env["ambassador.mission"].create(
            {"name": "Share the study fair", "state": "open", "points": 5,
             "proof_method": "share", "segment_ids": [(6, 0, self.study.ids)],
             # "today" is the user's day, which may not be UTC's.
             "date_start": fields.Date.to_string(date.today() - timedelta(days=1))})
        self.kit = env["ambassador.share.kit"].create(
            {"name": "Study fair kit", "mission_id": self.mission.id,
             "url": "https://www.example.org/study-fair",
             "text_linkedin": "Study in the territory <b>now</b>",
             "text_x": "Come to the study fair", "email_subject": "Study fair"})
        self.amb = self.make_ambassador("Stella Share")
        self.Link = env["ambassador.share.link"]

    def page(self, kit=None):
        return self.url_open("/my/ambassador/share/%d" % (kit or self.kit).id)

    def test_taken_share_mission_leads_to_its_kits(self):
        as_engine(self.env["ambassador.mission.participation"]).create(
            {"mission_id": self.mission.id, "partner_id": self.amb.id})
        self.login(self.amb)
        response = self.url_open("/my/ambassador/missions/%d" % self.mission.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="/my/ambassador/share/%d"' % self.kit.id, response.text)

    def test_share_page_shows_the_personal_link_and_plain_share_links(self):
        self.login(self.amb)
        listing = self.url_open("/my/ambassador/share")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("/my/ambassador/share/%d" % self.kit.id, listing.text)
        response = self.page()
        self.assertEqual(response.status_code, 200)
        link = self.Link.search([("kit_id", "=", self.kit.id),
                                 ("partner_id", "=", self.amb.id)])
        self.assertEqual(len(link), 1)
        short = link.short_url
        self.assertIn('value="%s"' % short, response.text)
        quoted = quote(short, safe="")
        for href in ("https://www.linkedin.com/sharing/share-offsite/?url=" + quoted,
                     "https://www.facebook.com/sharer/sharer.php?u=" + quoted,
                     "https://wa.me/?text=" + quoted,
                     "mailto:?subject=Study%20fair&amp;body=" + quoted):
            self.assertIn(href, response.text)
        self.assertIn("https://twitter.com/intent/tweet?text=Come%20to%20the%20"
                      "study%20fair&amp;url=" + quoted, response.text)
        # Texts are escaped, and no script of the networks is on the page.
        self.assertIn("Study in the territory &lt;b&gt;now&lt;/b&gt;", response.text)
        for script in re.findall(r"<script[^>]*src=\"([^\"]+)\"", response.text):
            self.assertFalse(script.startswith("http"), script)
        for name in NETWORK_SCRIPTS:
            self.assertNotIn(name, response.text)
        # The second view shows the same link.
        self.assertEqual(self.page().status_code, 200)
        self.assertEqual(self.Link.search_count(
            [("kit_id", "=", self.kit.id), ("partner_id", "=", self.amb.id)]), 1)

    def test_a_visit_of_the_short_link_is_counted_to_the_ambassador(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        code = link.link_tracker_id.code
        self.sync()
        response = self.opener.get(
            "http://%s:%s/r/%s" % (common.HOST, common.PORT, code),
            allow_redirects=False, timeout=30)
        self.assertEqual(response.status_code, 301)
        location = response.headers["Location"]
        self.assertTrue(location.startswith("https://www.example.org/study-fair?"))
        self.assertIn("utm_source=ambassador-%d" % self.amb.id, location)
        self.assertIn("utm_medium=Ambassador", location)
        self.opener.get("http://%s:%s/r/%s" % (common.HOST, common.PORT, code),
                        allow_redirects=False, timeout=30)
        clicks = self.env["ambassador.share.click.report"].search(
            [("share_link_id", "=", link.id)])
        self.assertEqual(len(clicks), 1, "one visitor, one click")
        self.assertEqual(clicks.partner_id, self.amb)
        self.login(self.amb)
        self.assertIn('o_ambassador_share_clicks">1<', self.page().text)

    def test_who_may_open_a_kit(self):
        invest = self.make_ambassador("Ivan Invest", segment=self.invest)
        self.login(invest)
        response = self.page()
        self.assertEqual(response.status_code, 404, "not open to its segment")
        self.assertNotIn(self.kit.name, response.text)
        self.assertFalse(self.Link.search([("partner_id", "=", invest.id)]))
        self.assertEqual(self.url_open("/my/ambassador/share/999999").status_code, 404)
        self.mission.state = "closed"
        self.login(self.amb)
        self.assertEqual(self.page().status_code, 404, "a closed mission")
        self.mission.state = "open"
        self.kit.active = False
        self.assertEqual(self.page().status_code, 404, "an archived kit")
        suspended = self.make_ambassador("Susan Share", state="suspended")
        self.login(suspended)
        self.assertEqual(self.page().status_code, 403)
        contact = self.Partner.create(
            {"name": "Paul Portal", "email": "paul.portal@example.com"})
        self.login(contact)
        self.assertEqual(self.url_open("/my/ambassador/share").status_code, 403)

    def test_bad_addresses_answer_cleanly(self):
        self.login(self.amb)
        for path in ("/my/ambassador/share/abc", "/my/ambassador/share/-1",
                     "/my/ambassador/share/%d?debug=1" % self.kit.id,
                     "/my/ambassador/share/99999999999999999999"):
            response = self.url_open(path)
            self.assertLess(response.status_code, 500, path)
            self.assertNotIn("Traceback", response.text, path)
