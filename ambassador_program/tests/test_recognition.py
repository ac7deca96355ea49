# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recognition (issue 14): leaderboards computed from the ledger (checked
against a plain Python computation), opt-in through the consent log, who sees
them; milestone badges granted once, from the ledger and the proofs, and who
reads them over RPC."""
from datetime import datetime

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from ..models.authority import as_engine
from ..models.gamification_badge import PARTICIPATION_MODEL
from .common import AmbassadorCase
from .test_website import WebsiteCase

NOW = datetime(2026, 6, 15, 12, 0, 0)
BOUNDS = {"month": ("2026-06-01", "2026-07-01"), "year": ("2026-01-01", "2027-01-01"),
          "all": (None, None)}


def python_board(lines, partners, segment, period):
    """The leaderboard as a person would compute it: each line in the period
    of its date, a reversal in the period of the line it reverses, imports in
    all time only; opted-in active ambassadors of the segment with points;
    sorted by points, then name, then id; equal points share a rank."""
    start, end = BOUNDS[period]
    by_id = {line.id: line for line in lines}
    scores = {}
    for line in lines:
        if line.segment_id != segment:
            continue
        dated = by_id[line.reversed_transaction_id.id] \
            if line.reversed_transaction_id else line
        if period != "all":
            if dated.origin == "import":
                continue
            day = dated.date[:10]
            if not start <= day < end:
                continue
        scores[line.partner_id.id] = scores.get(line.partner_id.id, 0) + line.points
    ranked = []
    for partner in partners:
        if (partner.ambassador_state == "active"
                and partner.ambassador_consent_leaderboard
                and partner.ambassador_segment_id == segment
                and scores.get(partner.id, 0) > 0):
            ranked.append((-scores[partner.id], partner.name, partner.id))
    ranked.sort()
    result = []
    for position, (negative, _name, pid) in enumerate(ranked, 1):
        rank = position if not result or result[-1][2] != -negative \
            else result[-1][1]
        result.append((pid, rank, -negative))
    return result


class RecognitionCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(RecognitionCase, cls).setUpClass()
        # A segment of the tests' own: the demo's boards stay out.
        cls.segment = cls.env["ambassador.segment"].create(
            {"name": "Board segment", "code": "board"})
        cls.Board = cls.env["ambassador.leaderboard"]

    @classmethod
    def board_ambassador(cls, name, joined=True, segment=None, **vals):
        if joined:
            vals["ambassador_consent_leaderboard"] = True
        return cls.make_ambassador(name, segment=segment or cls.segment, **vals)

    @classmethod
    def award(cls, partner, points, date, origin="manual", **vals):
        values = dict(partner_id=partner.id, points=points, origin=origin,
                      date=date, **vals)
        return cls.Ledger._award([values])


class TestLeaderboard(RecognitionCase):

    @classmethod
    def setUpClass(cls):
        super(TestLeaderboard, cls).setUpClass()
        cls.ana = cls.board_ambassador("Ana Board")
        cls.bob = cls.board_ambassador("Bob Board")
        cls.cyd = cls.board_ambassador("Cyd Board")
        cls.dan = cls.board_ambassador("Dan Board")  # ties with Bob this year
        cls.hid = cls.board_ambassador("Hid Board", joined=False)
        cls.sus = cls.board_ambassador("Sus Board")
        cls.oth = cls.board_ambassador("Oth Board", segment=cls.study)
        cls.award(cls.ana, 30, "2026-06-03 10:00:00")
        cls.award(cls.ana, 50, "2025-11-20 10:00:00")
        cls.award(cls.bob, 20, "2026-06-10 09:00:00")
        cls.award(cls.bob, 15, "2026-02-10 09:00:00")
        cls.award(cls.cyd, 40, "2026-05-31 23:59:59")  # the day before June
        march = cls.award(cls.cyd, 25, "2026-03-10 10:00:00")
        # Cancelled in June: taken off March (the year), not off June.
        march.action_reverse("Test: not a real action")
        cls.award(cls.dan, 35, "2026-04-01 00:00:00")
        cls.award(cls.hid, 500, "2026-06-05 10:00:00")
        cls.award(cls.sus, 400, "2026-06-05 10:00:00")
        as_engine(cls.sus).write({"ambassador_state": "suspended"})
        cls.award(cls.oth, 300, "2026-06-05 10:00:00")
        # A line of Ana's in another segment (before a change of segment):
        # not on this segment's board.
        cls.award(cls.ana, 99, "2026-06-04 10:00:00", segment_id=cls.study.id)
        cls.partners = cls.ana | cls.bob | cls.cyd | cls.dan | cls.hid | cls.sus | \
            cls.oth

    def computed(self, period, segment=None, **kwargs):
        board = self.Board._compute_board(
            (segment or self.segment).id, period, now=NOW, **kwargs)
        return [(row["partner_id"], row["rank"], row["points"])
                for row in board["rows"]], board

    def test_board_equals_python_computation(self):
        lines = self.Ledger.search([("partner_id", "in", self.partners.ids)])
        for period in ("month", "year", "all"):
            rows, board = self.computed(period)
            expected = python_board(lines, self.partners, self.segment, period)
            self.assertEqual(rows, expected, period)
            self.assertEqual(board["total"], len(expected))
        # Another segment's board: its own ambassadors only.
        study = [row[0] for row in self.computed("all", self.study)[0]]
        self.assertIn(self.oth.id, study)
        self.assertNotIn(self.ana.id, study)

    def test_periods(self):
        month, _board = self.computed("month")
        self.assertEqual(month, [(self.ana.id, 1, 30), (self.bob.id, 2, 20)])
        year, _board = self.computed("year")
        # Cyd's March line is reversed: 40 left. Bob and Dan tie at 35: one
        # rank, listed by name.
        self.assertEqual(year, [
            (self.cyd.id, 1, 40), (self.bob.id, 2, 35), (self.dan.id, 2, 35),
            (self.ana.id, 4, 30)])
        everything, _board = self.computed("all")
        self.assertEqual(everything[0], (self.ana.id, 1, 80))

    def test_opt_in_filtering(self):
        for period in ("month", "year", "all"):
            ids = [row[0] for row in self.computed(period)[0]]
            self.assertNotIn(self.hid.id, ids, "not opted in")
            self.assertNotIn(self.sus.id, ids, "suspended")
            self.assertNotIn(self.oth.id, ids, "another segment")

    def test_limit_and_viewer_row(self):
        rows, board = self.computed("year", limit=1, viewer_id=self.ana.id)
        self.assertEqual(rows, [(self.cyd.id, 1, 40)])
        self.assertEqual(board["total"], 4)
        self.assertEqual((board["viewer"]["rank"], board["viewer"]["points"]),
                         (4, 30))
        _rows, board = self.computed("year", limit=1, viewer_id=self.hid.id)
        self.assertIsNone(board["viewer"])

    def test_import_counts_in_all_time_only(self):
        as_engine(self.Ledger)._award([{
            "partner_id": self.dan.id, "points": 1000, "origin": "import"}])
        month = self.Board._compute_board(self.segment.id, "month")
        self.assertNotIn(self.dan.id, [row["partner_id"] for row in month["rows"]])
        everything = self.Board._compute_board(self.segment.id, "all")
        self.assertEqual(everything["rows"][0]["partner_id"], self.dan.id)

    def test_one_query_whatever_the_ledger(self):
        for partner in (self.ana, self.bob):
            for day in range(1, 10):
                self.award(partner, 1, "2026-06-%02d 08:00:00" % day)
        before = self.cr.sql_log_count
        self.Board._compute_board(self.segment.id, "month", now=NOW)
        self.assertEqual(self.cr.sql_log_count - before, 1)

    def test_only_opted_in_active_viewers_see(self):
        user_ana = self.make_portal_user(self.ana)
        user_hid = self.make_portal_user(self.hid)
        board = self.Board.sudo(user_ana)._ambassador_board(self.segment.id, "all")
        self.assertTrue(board["viewer"]["is_viewer"])
        with self.assertRaises(AccessError):
            self.Board.sudo(user_hid)._ambassador_board(self.segment.id, "all")
        user_sus = self.make_portal_user(self.sus)
        with self.assertRaises(AccessError):
            self.Board.sudo(user_sus)._ambassador_board(self.segment.id, "all")


class TestLeaderboardConsent(RecognitionCase):

    def test_joining_is_a_logged_consent(self):
        eve = self.board_ambassador("Eve Board", joined=False)
        user = self.make_portal_user(eve)
        own = eve.sudo(user)
        own._ambassador_set_consents(
            {"ambassador_consent_leaderboard": True}, "portal", "192.0.2.7")
        self.assertTrue(eve.ambassador_consent_leaderboard)
        log = eve.ambassador_consent_ids.filtered(
            lambda c: c.purpose == "leaderboard")
        self.assertEqual(len(log), 1)
        self.assertTrue(log.granted)
        self.assertEqual(log.channel, "portal")
        self.assertIn("leaderboards", log.text_shown)
        self.assertIn("ambassador_consent_leaderboard",
                      [name for name, _l, _w in eve._ambassador_offered_consents()])

    def test_nobody_writes_it_directly(self):
        eve = self.board_ambassador("Eve Direct", joined=False)
        other = self.board_ambassador("Olga Direct", joined=False)
        user = self.make_portal_user(eve)
        env = api.Environment(self.env.cr, user.id, {})
        for target in (eve, other):
            with self.assertRaises(AccessError):
                api.call_kw(env["res.partner"], "write",
                            [target.ids, {"ambassador_consent_leaderboard": True}], {})
        with self.assertRaises(AccessError):
            # Someone else's consent, even through the consent method.
            other.sudo(user)._ambassador_set_consents(
                {"ambassador_consent_leaderboard": True}, "portal")
        self.assertFalse(other.ambassador_consent_leaderboard)

    def test_others_opt_ins_are_not_readable(self):
        eve = self.board_ambassador("Eve Read")
        other = self.board_ambassador("Olga Read")
        user = self.make_portal_user(eve)
        env = api.Environment(self.env.cr, user.id, {})
        rows = api.call_kw(env["res.partner"], "search_read",
                           [[("id", "=", other.id)]],
                           {"fields": ["ambassador_consent_leaderboard"]})
        self.assertFalse(rows)
        rows = api.call_kw(env["res.partner"], "search_read",
                           [[("ambassador_consent_leaderboard", "=", True)]],
                           {"fields": ["name"]})
        self.assertEqual([row["id"] for row in rows], [eve.id])


class TestMilestoneBadges(RecognitionCase):

    @classmethod
    def setUpClass(cls):
        super(TestMilestoneBadges, cls).setUpClass()
        cls.Badge = cls.env["gamification.badge"]
        ref = cls.env.ref
        cls.b_proof = ref("ambassador_program.badge_first_proof")
        cls.b_press = ref("ambassador_program.badge_first_press")
        cls.b_referral = ref("ambassador_program.badge_first_referral")
        cls.b_missions = ref("ambassador_program.badge_ten_missions")

    def approved(self, partner, rule=None):
        proof = self.make_proof(partner, rule)
        proof.action_approve()
        return proof

    def held(self, partner):
        return self.env["gamification.badge.user"].search(
            [("user_id.partner_id", "=", partner.id),
             ("ambassador_milestone", "!=", False)])

    def test_badges_granted_once_from_ledger_and_proofs(self):
        gil = self.board_ambassador("Gil Badge", segment=self.invest)
        self.make_portal_user(gil)
        self.approved(gil)
        self.approved(gil)
        self.approved(gil, self.rule_press)
        self.Ledger.create({"partner_id": gil.id, "points": 5, "origin": "referral"})
        self.Badge._ambassador_grant_milestones()
        self.assertEqual(set(self.held(gil).mapped("badge_id").ids),
                         set((self.b_proof | self.b_press | self.b_referral).ids))
        granted = self.Badge._ambassador_grant_milestones()
        self.assertFalse(any(granted.values()), "never twice")
        self.assertEqual(len(self.held(gil)), 3)

    def test_rejected_and_pending_proofs_earn_nothing(self):
        ivo = self.board_ambassador("Ivo Badge", segment=self.invest)
        self.make_portal_user(ivo)
        self.make_proof(ivo)  # submitted, not decided
        self.make_proof(ivo).action_reject("Test: not enough")
        self.Badge._ambassador_grant_milestones()
        self.assertFalse(self.held(ivo))

    def test_contact_without_user_gets_its_badges_with_its_user(self):
        jo = self.board_ambassador("Jo Badge", segment=self.invest)
        self.approved(jo)
        self.Badge._ambassador_grant_milestones()
        self.assertFalse(self.held(jo))
        self.make_portal_user(jo)
        self.Badge._ambassador_grant_milestones()
        self.assertEqual(self.held(jo).badge_id, self.b_proof)

    def test_ten_missions_only_with_the_participation_model(self):
        query = self.Badge._ambassador_missions_query()
        if PARTICIPATION_MODEL in self.env:
            self.assertIn(self.env[PARTICIPATION_MODEL]._table, query)
        else:
            self.assertIsNone(query)
            self.Badge._ambassador_grant_milestones()  # runs without it

    def test_badges_shown_only_when_opted_in(self):
        kim = self.board_ambassador("Kim Badge", segment=self.invest)
        lou = self.board_ambassador("Lou Badge", joined=False, segment=self.invest)
        for partner in (kim, lou):
            self.make_portal_user(partner)
            self.approved(partner)
        self.Badge._ambassador_grant_milestones()
        shown = self.Badge._ambassador_badges_of([kim.id, lou.id])
        self.assertEqual(list(shown), [kim.id])
        self.assertEqual(shown[kim.id][0][0], self.b_proof.id)
        own = self.Badge._ambassador_badges_of([lou.id], opted_in_only=False)
        self.assertEqual(own[lou.id][0][0], self.b_proof.id)
        # The directory's cards (in the order of the partners given).
        cards = self.env["ambassador.directory.view"]._directory_cards(
            (lou | kim).sudo())
        self.assertEqual([card["badges"] for card in cards],
                         [[], [self.b_proof.name]])

    def test_rpc_reads_own_milestones_only_and_never_grants(self):
        max_ = self.board_ambassador("Max Badge", segment=self.invest)
        ned = self.board_ambassador("Ned Badge", segment=self.invest)
        user_max = self.make_portal_user(max_)
        self.make_portal_user(ned)
        self.approved(max_)
        self.approved(ned)
        self.Badge._ambassador_grant_milestones()
        for user in (user_max, self.employee_user):
            env = api.Environment(self.env.cr, user.id, {})
            rows = api.call_kw(env["gamification.badge.user"], "search_read",
                               [[("ambassador_milestone", "!=", False)]],
                               {"fields": ["user_id", "badge_id"]})
            owners = {row["user_id"][0] for row in rows}
            self.assertNotIn(ned.user_ids.id, owners, user.login)
        env = api.Environment(self.env.cr, user_max.id, {})
        rows = api.call_kw(env["gamification.badge.user"], "search_read",
                           [[("user_id", "=", user_max.id)]], {"fields": ["badge_id"]})
        self.assertEqual([row["badge_id"][0] for row in rows], [self.b_proof.id])
        BadgeUser = env["gamification.badge.user"]
        for values in ({"user_id": user_max.id, "badge_id": self.b_press.id},
                       {"user_id": user_max.id, "badge_id": self.b_missions.id}):
            with self.assertRaises((AccessError, UserError)):
                api.call_kw(BadgeUser, "create", [values], {})
        mine = self.held(max_)
        with self.assertRaises(AccessError):
            api.call_kw(BadgeUser, "write", [mine.ids, {"badge_id": self.b_press.id}],
                        {})
        # Staff see them all (the backend's badge screens).
        staff = api.Environment(self.env.cr, self.staff_user.id, {})
        self.assertIn(ned.user_ids.id, staff["gamification.badge.user"].search(
            [("ambassador_milestone", "!=", False)]).mapped("user_id").ids)


@common.at_install(False)
@common.post_install(True)
class TestLeaderboardPages(WebsiteCase):

    def setUp(self):
        super(TestLeaderboardPages, self).setUp()
        self.segment = self.env["ambassador.segment"].create(
            {"name": "Web board", "code": "webboard"})
        self.ray = self.make_ambassador(
            "Ray Web", segment=self.segment, ambassador_consent_leaderboard=True)
        self.sam = self.make_ambassador("Sam Web", segment=self.segment)
        self.tia = self.make_ambassador(
            "Tia Web", segment=self.segment, ambassador_consent_leaderboard=True)
        Ledger = self.env["ambassador.point.transaction"]
        Ledger._award([{"partner_id": self.ray.id, "points": 12},
                       {"partner_id": self.tia.id, "points": 30},
                       {"partner_id": self.sam.id, "points": 90}])

    def test_not_opted_in_sees_no_board_then_joins(self):
        self.login(self.sam)
        page = self.url_open("/my/ambassador/leaderboard")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Join the leaderboards", page.text)
        self.assertNotIn("Tia Web", page.text)
        self.assertNotIn("o_ambassador_leaderboard\"", page.text)
        response = self.post("/my/ambassador/leaderboard/join", {"join": "1"},
                             csrf_from="/my/ambassador/leaderboard")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.sam.ambassador_consent_leaderboard)
        page = self.url_open("/my/ambassador/leaderboard?segment_id=%d&period=all"
                             % self.segment.id)
        self.assertIn("Tia Web", page.text)
        self.assertIn("Your rank: <strong>1</strong> of 3", page.text)
        log = self.sam.ambassador_consent_ids.filtered(
            lambda c: c.purpose == "leaderboard")
        self.assertEqual(log.channel, "portal")
        # Leaving: off the board, logged.
        self.post("/my/ambassador/leaderboard/join", {"join": "0"},
                  csrf_from="/my/ambassador/leaderboard")
        self.assertFalse(self.sam.ambassador_consent_leaderboard)

    def test_opted_in_sees_board_and_rank(self):
        self.login(self.ray)
        page = self.url_open("/my/ambassador/leaderboard?period=month")
        self.assertEqual(page.status_code, 200)
        text = page.text[page.text.index('class="table table-condensed '
                                         'o_ambassador_leaderboard"'):]
        self.assertIn("Tia Web", text)
        self.assertNotIn("Sam Web", text, "not opted in")
        self.assertLess(text.index("Tia Web"), text.index("Ray Web"))
        self.assertIn("Your rank: <strong>2</strong> of 2", page.text)
        space = self.url_open("/my/ambassador")
        self.assertIn("o_ambassador_month_rank", space.text)
        # Bad choices fall back to the own segment and this month.
        page = self.url_open("/my/ambassador/leaderboard?segment_id=abc&period=x")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tia Web", page.text)

    def test_non_ambassador_and_suspended(self):
        self.make_ambassador("Val Web", segment=self.segment, state="suspended",
                             ambassador_consent_leaderboard=True)
        val = self.env["res.partner"].search([("name", "=", "Val Web")])
        self.login(val)
        page = self.url_open("/my/ambassador/leaderboard")
        self.assertEqual(page.status_code, 403)
        self.assertNotIn("Tia Web", page.text)

    def test_badges_on_directory_and_wall_only_when_opted_in(self):
        Badge = self.env["gamification.badge"]
        wall_tier = self.platinum
        people = {}
        for name, joined in (("Uma Wall", True), ("Vic Wall", False)):
            partner = self.make_ambassador(
                name, segment=self.invest, tier=wall_tier,
                ambassador_consent_leaderboard=joined,
                ambassador_consent_wall=True, ambassador_show_city=True,
                city="Annecy")
            self.make_user(partner)
            proof = self.env["ambassador.proof"].create(
                {"name": "Proof", "partner_id": partner.id,
                 "rule_id": self.rule_partnership.id})
            proof.action_approve()
            people[name] = partner
        Badge._ambassador_grant_milestones()
        badge = self.env.ref("ambassador_program.badge_first_proof").name
        wall = self.url_open("/ambassadors/wall")
        text = wall.text
        uma = text[text.index("Uma Wall"):]
        uma = uma[:uma.index("</li>")]
        self.assertIn(badge, uma)
        vic = text[text.index("Vic Wall"):]
        vic = vic[:vic.index("</li>")]
        self.assertNotIn(badge, vic)
        # The own space shows them whatever the consent.
        self.login(people["Vic Wall"])
        space = self.url_open("/my/ambassador")
        self.assertIn(badge, space.text)


class TestRecognitionDemo(AmbassadorCase):
    """The demo shows a leaderboard and badges (sophie / sophie, Invest)."""

    def test_demo_shows_a_leaderboard_and_badges(self):
        sophie = self.env.ref("ambassador_program.ambassador_sophie",
                              raise_if_not_found=False)
        if not sophie:
            self.skipTest("database without the demo data")
        board = self.env["ambassador.leaderboard"]._compute_board(
            self.invest.id, "all", viewer_id=sophie.id)
        self.assertGreaterEqual(board["total"], 2)
        self.assertTrue(board["viewer"])
        self.assertTrue(self.env["gamification.badge"]._ambassador_badges_of(
            sophie.ids).get(sophie.id))
