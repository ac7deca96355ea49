# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Share kits and tracked links (issue 14): one link per kit and ambassador
with its utm source and campaign, clicks counted by link_tracker, points of
measured clicks with the mission's and the rule's caps, never twice (rerun,
two runs at once), and what portal users reach."""
import threading
from datetime import date, timedelta

import psycopg2

from odoo import api, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from ..models.authority import as_engine
from .common import AmbassadorCase

# Missions start yesterday: "today" is the user's day, which may not be UTC's.
YESTERDAY = fields.Date.to_string(date.today() - timedelta(days=1))


class ShareCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(ShareCase, cls).setUpClass()
        env = cls.env
        cls.rule = env.ref("ambassador_program.rule_tracked_share")
        cls.rule.write({"points": 1, "yearly_cap": 100, "active": True})
        cls.mission = env["ambassador.mission"].create(
            {"name": "Share the fair", "state": "open", "points": 3,
             "proof_method": "share", "date_start": YESTERDAY})
        cls.kit = env["ambassador.share.kit"].create(
            {"name": "The fair", "mission_id": cls.mission.id,
             "url": "https://www.example.org/fair?lang=en",
             "text_x": "Come to the fair!", "text_email": "Hello, see the fair:"})
        cls.amb = cls.make_ambassador("Ana Share")
        cls.other = cls.make_ambassador("Otto Share")
        cls.Link = env["ambassador.share.link"]
        cls.Click = env["link.tracker.click"]
        # The tests award their own links only (not the demo's).
        cls.before = cls.Link.search([], order="id desc", limit=1).id or 0

    def click(self, link, ip, country_code=False):
        """A visit of /r/<code> as link_tracker records it."""
        self.Click.add_click(link.link_tracker_id.code, ip, country_code)

    def award(self, links=None):
        if links is None:
            links = self.Link.search([("id", ">", self.before)])
        return as_engine(self.Link)._award_clicks(links)

    def share_lines(self, partner):
        return self.Ledger.search(
            [("partner_id", "=", partner.id), ("origin", "=", "share")])


class TestShareKit(ShareCase):

    def test_link_made_once_with_its_utms(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        self.assertEqual(self.Link._ambassador_link(self.kit, self.amb), link)
        self.assertEqual(self.Link.search_count(
            [("kit_id", "=", self.kit.id), ("partner_id", "=", self.amb.id)]), 1)
        tracker = link.link_tracker_id
        self.assertEqual(tracker.url, self.kit.url)
        self.assertEqual(tracker.source_id.name, "ambassador-%d" % self.amb.id)
        self.assertEqual(tracker.source_id, self.amb.ambassador_utm_source_id)
        self.assertEqual(tracker.campaign_id, self.mission.share_utm_campaign_id)
        self.assertEqual(tracker.medium_id, self.env.ref(
            "ambassador_program.utm_medium_ambassador_share"))
        self.assertIn("/r/%s" % tracker.code, link.short_url)
        redirected = tracker.redirected_url
        self.assertIn("utm_source=ambassador-%d" % self.amb.id, redirected)
        self.assertIn("lang=en", redirected)
        other = self.Link._ambassador_link(self.kit, self.other)
        self.assertNotEqual(other.link_tracker_id, tracker)
        self.assertNotEqual(other.link_tracker_id.code, tracker.code)
        # A second kit of the mission: same source and campaign, own tracker.
        kit2 = self.kit.copy({"url": "https://www.example.org/fair/photos"})
        link2 = self.Link._ambassador_link(kit2, self.amb)
        self.assertEqual(link2.link_tracker_id.source_id, tracker.source_id)
        self.assertEqual(link2.link_tracker_id.campaign_id, tracker.campaign_id)
        self.assertNotEqual(link2.link_tracker_id, tracker)

    def test_sources_made_set_based_once(self):
        partners = [self.make_ambassador("Source %d" % n) for n in range(3)]
        ids = [p.id for p in partners]
        sources = self.Partner._ambassador_utm_sources(ids)
        self.assertEqual(sorted(sources), sorted(ids))
        self.assertEqual(len(set(sources.values())), 3)
        self.assertEqual(self.Partner._ambassador_utm_sources(ids), sources)
        self.assertEqual(
            self.env["utm.source"].browse(sources[ids[0]]).name,
            "ambassador-%d" % ids[0])

    def test_page_to_share_is_http_only(self):
        for url in ("javascript:alert(1)", "ftp://example.org/x", "/relative",
                    "https://exa mple.org", "data:text/html,hi"):
            with self.assertRaises(ValidationError, msg=url):
                with self.env.cr.savepoint():
                    self.env["ambassador.share.kit"].create(
                        {"name": "Bad", "mission_id": self.mission.id, "url": url})

    def test_share_targets_are_plain_links_with_the_personal_link(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        short = link.short_url
        targets = {t[0]: t for t in self.kit._ambassador_share_targets(short)}
        self.assertEqual(sorted(targets),
                         ["email", "facebook", "linkedin", "whatsapp", "x"])
        from urllib.parse import quote
        quoted = quote(short, safe="")
        self.assertTrue(targets["linkedin"][3].startswith(
            "https://www.linkedin.com/sharing/share-offsite/?url="))
        self.assertIn(quoted, targets["linkedin"][3])
        self.assertIn("https://twitter.com/intent/tweet?text=Come%20to%20the%20fair",
                      targets["x"][3])
        self.assertIn(quoted, targets["facebook"][3])
        self.assertTrue(targets["whatsapp"][3].startswith("https://wa.me/?text="))
        self.assertIn(quoted, targets["whatsapp"][3])
        self.assertTrue(targets["email"][3].startswith("mailto:?subject=The%20fair"))
        self.assertIn(quote("Hello, see the fair: " + short, safe=""),
                      targets["email"][3])

    def test_clicks_per_ambassador_and_country_for_staff(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        other = self.Link._ambassador_link(self.kit, self.other)
        self.click(link, "192.0.2.1", "DE")
        self.click(link, "192.0.2.1", "DE")  # the same visitor: one click
        self.click(link, "192.0.2.2", "DE")
        self.click(link, "192.0.2.3", "BE")
        self.click(other, "192.0.2.1", "DE")
        Report = self.env["ambassador.share.click.report"].sudo(self.staff_user)
        groups = Report.read_group(
            [("kit_id", "=", self.kit.id)],
            ["partner_id", "country_id", "click_count"],
            ["partner_id", "country_id"], lazy=False)
        counts = {(g["partner_id"][0], g["country_id"][1]): g["click_count"]
                  for g in groups}
        self.assertEqual({g["partner_id"] for g in groups}, {
            (self.amb.id, "Ana Share"), (self.other.id, "Otto Share")})
        self.assertEqual(counts, {
            (self.amb.id, "Germany"): 2, (self.amb.id, "Belgium"): 1,
            (self.other.id, "Germany"): 1})
        self.assertEqual(self.kit.click_count, 5 - 1)
        self.assertEqual(self.kit.link_count, 2)
        action = self.kit.sudo(self.staff_user).action_view_clicks()
        self.assertEqual(action["domain"], [("kit_id", "=", self.kit.id)])


class TestSharePoints(ShareCase):

    def test_points_of_measured_clicks_capped_by_the_mission(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        self.assertFalse(self.award())  # no click, no point
        self.click(link, "192.0.2.1")
        self.click(link, "192.0.2.1")
        self.click(link, "192.0.2.2")
        lines = self.award()
        self.assertEqual(lines.mapped("points"), [2])
        self.assertEqual(lines.origin, "share")
        self.assertEqual(lines.rule_id, self.rule)
        self.assertEqual(lines.share_link_id, link)
        self.assertEqual(lines.share_clicks, 2)
        self.assertEqual(link.clicks_awarded, 2)
        self.assertFalse(self.award(), "a rerun awards nothing")
        for n in range(3, 8):
            self.click(link, "192.0.2.%d" % n)
        lines = self.award()
        self.assertEqual(lines.mapped("points"), [1], "the mission's 3 points")
        self.assertEqual(link.clicks_awarded, 7)
        self.click(link, "192.0.2.50")
        self.assertFalse(self.award(), "nothing past the mission's cap")
        self.assertEqual(sum(self.share_lines(self.amb).mapped("points")), 3)
        self.assertEqual(self.amb.ambassador_balance, 3)
        self.assertEqual(link._ambassador_click_count(), 8)
        self.assertEqual(link._ambassador_points_earned(), 3)

    def test_mission_cap_counts_every_kit_of_the_mission(self):
        kit2 = self.kit.copy({"url": "https://www.example.org/fair/photos"})
        links = [self.Link._ambassador_link(kit, self.amb) for kit in (self.kit, kit2)]
        for n, link in enumerate(links):
            for m in range(2):
                self.click(link, "192.0.2.%d" % (10 * n + m))
        lines = self.award()
        self.assertEqual(sum(lines.mapped("points")), 3)
        self.assertEqual(sorted(lines.mapped("points")), [1, 2])

    def test_yearly_cap_of_the_rule(self):
        self.rule.yearly_cap = 2
        self.mission.points = 10
        link = self.Link._ambassador_link(self.kit, self.amb)
        for n in range(5):
            self.click(link, "192.0.2.%d" % n)
        lines = self.award()
        self.assertEqual(lines.points, 2)
        self.assertEqual(lines.capped_points, 3)

    def test_no_points_for_inactive_ambassadors_or_clicks_after_the_mission(self):
        suspended = self.make_ambassador("Sam Suspended")
        link = self.Link._ambassador_link(self.kit, suspended)
        as_engine(suspended).write({"ambassador_state": "suspended"})
        self.click(link, "192.0.2.1")
        self.assertFalse(self.award())
        past = date.today() - timedelta(days=60)
        old = self.env["ambassador.mission"].create(
            {"name": "Last month", "state": "open", "points": 5,
             "proof_method": "share", "date_start": fields.Date.to_string(past),
             "date_end": fields.Date.to_string(past + timedelta(days=7))})
        old_kit = self.env["ambassador.share.kit"].create(
            {"name": "Old", "mission_id": old.id, "url": "https://example.org/old"})
        old_link = self.Link._ambassador_link(old_kit, self.amb)
        self.click(old_link, "192.0.2.2")
        self.assertFalse(self.award(), "a click after the mission's end")

    def test_same_clicks_refused_twice_by_the_database(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        self.click(link, "192.0.2.1")
        line = self.award()
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                as_engine(self.Ledger)._award([{
                    "partner_id": self.amb.id, "points": 1, "origin": "share",
                    "rule_id": self.rule.id, "share_link_id": link.id,
                    "share_clicks": line.share_clicks}])

    def test_share_lines_come_from_the_engine_only(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        values = {"partner_id": self.amb.id, "points": 5, "origin": "share",
                  "rule_id": self.rule.id, "share_link_id": link.id,
                  "share_clicks": 5}
        for user in (self.manager_user, self.staff_user):
            with self.assertRaises(AccessError):
                self.Ledger.sudo(user).create(dict(values))
        self.assertFalse(self.share_lines(self.amb))

    def test_cron_awards_as_the_engine(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        self.click(link, "192.0.2.1")
        cron = self.env.ref("ambassador_program.cron_share_award_clicks")
        cron.method_direct_trigger()
        self.assertEqual(self.share_lines(self.amb).points, 1)


class TestShareAccess(ShareCase):

    def test_portal_users_read_no_link_or_click(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        self.click(link, "192.0.2.1", "DE")
        user = self.make_portal_user(self.amb)
        for model in ("ambassador.share.link", "ambassador.share.kit",
                      "ambassador.share.click.report", "link.tracker",
                      "link.tracker.click", "link.tracker.code"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].sudo(user).search_read([])
        with self.assertRaises(AccessError):
            self.Partner.sudo(user).browse(self.amb.id).read(
                ["ambassador_utm_source_id"])

    def test_staff_reads_links_but_writes_none(self):
        link = self.Link._ambassador_link(self.kit, self.amb)
        Link = self.Link.sudo(self.staff_user)
        self.assertEqual(Link.search([("id", "=", link.id)]), link)
        with self.assertRaises(AccessError):
            Link.browse(link.id).write({"clicks_awarded": 50})


@common.at_install(False)
@common.post_install(True)
class TestShareConcurrency(common.TransactionCase):
    """Two award runs at once (two cron workers, a rerun): the clicks are
    awarded once."""

    def test_two_runs_at_once_award_once(self):
        registry = self.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, 1, {})
            rule = env.ref("ambassador_program.rule_tracked_share")
            rule.write({"points": 1, "yearly_cap": 100, "active": True})
            partner = env["res.partner"].with_context(
                ambassador_consent_reason="Test fixture").create(
                {"name": "Concurrent Sharer", "email": "conc.share@example.com",
                 "ambassador_state": "active",
                 "ambassador_segment_id": env.ref(
                     "ambassador_program.segment_invest").id})
            mission = env["ambassador.mission"].create(
                {"name": "Concurrent share", "state": "open", "points": 10,
                 "proof_method": "share", "date_start": YESTERDAY})
            kit = env["ambassador.share.kit"].create(
                {"name": "Concurrent kit", "mission_id": mission.id,
                 "url": "https://example.org/concurrent"})
            link = env["ambassador.share.link"]._ambassador_link(kit, partner)
            for n in range(4):
                env["link.tracker.click"].add_click(
                    link.link_tracker_id.code, "192.0.2.%d" % n, False)
            ids = {"partner": partner.id, "mission": mission.id, "kit": kit.id,
                   "link": link.id, "tracker": link.link_tracker_id.id,
                   "source": partner.ambassador_utm_source_id.id,
                   "campaign": mission.share_utm_campaign_id.id}
        barrier = threading.Barrier(2)
        outcomes = []

        def run():
            with api.Environment.manage(), registry.cursor() as cr:
                env = api.Environment(cr, 1, {})
                try:
                    # The snapshot starts before the other run commits.
                    cr.execute("SELECT 1 FROM ambassador_share_link LIMIT 1")
                    barrier.wait(timeout=10)
                    Link = env["ambassador.share.link"]
                    lines = as_engine(Link)._award_clicks(Link.browse(ids["link"]))
                    # its own cursor, in its own thread: the race needs commits
                    cr.commit()  # pylint: disable=invalid-commit
                    outcomes.append(len(lines))
                except Exception as error:  # the loser fails, whatever the way
                    cr.rollback()
                    outcomes.append(type(error).__name__)

        try:
            with mute_logger("odoo.sql_db"):
                threads = [threading.Thread(target=run) for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
            # One run awarded the link; the other failed to lock it, or came
            # after and found nothing new.
            self.assertEqual(len(outcomes), 2, outcomes)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT COUNT(*), SUM(points) FROM ambassador_point_transaction"
                    " WHERE share_link_id = %s", (ids["link"],))
                self.assertEqual(cr.fetchone(), (1, 4), outcomes)
                # A rerun once both are done: nothing more.
                env = api.Environment(cr, 1, {})
                self.assertFalse(as_engine(env["ambassador.share.link"])._award_clicks(
                    env["ambassador.share.link"].browse(ids["link"])))
                cr.rollback()
        finally:
            with registry.cursor() as cr:
                # Test clean-up only: the append-only trigger is lifted inside
                # this one transaction (no other session sees it).
                cr.execute("ALTER TABLE ambassador_point_transaction DISABLE TRIGGER "
                           "ambassador_point_transaction_append_only")
                cr.execute("DELETE FROM ambassador_point_transaction "
                           "WHERE partner_id = %s", (ids["partner"],))
                cr.execute("ALTER TABLE ambassador_point_transaction ENABLE TRIGGER "
                           "ambassador_point_transaction_append_only")
                cr.execute("DELETE FROM ambassador_share_link WHERE id = %s",
                           (ids["link"],))
                cr.execute("DELETE FROM link_tracker WHERE id = %s", (ids["tracker"],))
                cr.execute("DELETE FROM ambassador_share_kit WHERE id = %s",
                           (ids["kit"],))
                cr.execute("DELETE FROM mail_message WHERE model = "
                           "'ambassador.mission' AND res_id = %s", (ids["mission"],))
                cr.execute("DELETE FROM mail_followers WHERE res_model = "
                           "'ambassador.mission' AND res_id = %s", (ids["mission"],))
                cr.execute("DELETE FROM ambassador_mission WHERE id = %s",
                           (ids["mission"],))
                cr.execute("DELETE FROM utm_campaign WHERE id = %s", (ids["campaign"],))
                for table in ("ambassador_promotion", "ambassador_consent",
                              "ambassador_charter_acceptance"):
                    cr.execute("DELETE FROM %s WHERE partner_id = %%s" % table,
                               (ids["partner"],))
                cr.execute("DELETE FROM mail_message WHERE model = 'res.partner' "
                           "AND res_id = %s", (ids["partner"],))
                cr.execute("DELETE FROM mail_followers WHERE res_model = "
                           "'res.partner' AND res_id = %s", (ids["partner"],))
                cr.execute("DELETE FROM res_partner WHERE id = %s", (ids["partner"],))
                cr.execute("DELETE FROM utm_source WHERE id = %s", (ids["source"],))
