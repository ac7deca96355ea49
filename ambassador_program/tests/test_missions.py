# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Missions (issue 14) through the ORM: taking one (what is open, the quota),
proving it each way, the one award per participation, what ambassadors reach
over RPC, the weekly digest; and the quota under two requests at once."""

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from ..models.authority import as_engine
from ..models.form_input import FormErrors
from .concurrency import at_once
from .common import AmbassadorCase
from .test_event_benefits import event_values

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class MissionCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(MissionCase, cls).setUpClass()
        cls.Mission = cls.env["ambassador.mission"]
        cls.Participation = cls.env["ambassador.mission.participation"]
        # The demo's missions would be offered too: out of the way.
        cls.Mission.search([]).write({"state": "closed"})
        cls.ivy = cls.make_ambassador("Ivy Mission")
        cls.ivy_user = cls.make_portal_user(cls.ivy)
        cls.otto = cls.make_ambassador("Otto Mission")
        cls.otto_user = cls.make_portal_user(cls.otto)
        cls.sam = cls.make_ambassador("Sam Mission", segment=cls.study)
        cls.sam_user = cls.make_portal_user(cls.sam)

    @classmethod
    def mission(cls, **vals):
        # Started last year: "today" differs between the users' time zones.
        values = {"name": "Share the campus news", "points": 12,
                  "date_start": "%d-01-01" % (fields.Date.from_string(
                      fields.Date.today()).year - 1),
                  "proof_method": "survey", "state": "open",
                  "segment_ids": [(6, 0, cls.invest.ids)]}
        values.update(vals)
        return cls.Mission.create(values)

    def take(self, user, mission):
        return self.Participation.sudo(user)._ambassador_take(mission.id)

    def mission_lines(self, participation):
        return self.Ledger.search(
            [("mission_participation_id", "=", participation.id)])


class TestTakingMissions(MissionCase):

    def test_open_missions_follow_segment_tier_state_and_period(self):
        today = fields.Date.from_string(fields.Date.context_today(self.Mission))
        open_invest = self.mission()
        self.mission(name="Draft", state="draft")
        self.mission(name="Study", segment_ids=[(6, 0, self.study.ids)])
        self.mission(name="Gold", min_tier_id=self.gold.id)
        self.mission(name="Ended", date_start="2020-01-01", date_end="2020-02-01")
        everyone = self.mission(name="Everyone", segment_ids=[(5,)])
        self.mission(name="Later", date_start=fields.Date.to_string(
            today.replace(year=today.year + 1)))
        offered, _participations = self.Mission.sudo(
            self.ivy_user)._ambassador_space_missions(self.ivy)
        self.assertEqual(set(offered.ids), {open_invest.id, everyone.id})
        self.take(self.ivy_user, open_invest)
        offered, participations = self.Mission.sudo(
            self.ivy_user)._ambassador_space_missions(self.ivy)
        self.assertEqual(offered.ids, everyone.ids)
        self.assertEqual(participations.mapped("mission_id"), open_invest)

    def test_take_once_and_only_what_is_open(self):
        mission = self.mission()
        participation = self.take(self.ivy_user, mission)
        self.assertEqual(participation.state, "taken")
        self.assertEqual(participation.partner_id, self.ivy)
        with self.assertRaisesRegex(UserError, "already took"):
            self.take(self.ivy_user, mission)
        study_only = self.mission(segment_ids=[(6, 0, self.study.ids)])
        with self.assertRaisesRegex(UserError, "not open to you"):
            self.take(self.ivy_user, study_only)
        draft = self.mission(state="draft")
        with self.assertRaisesRegex(UserError, "not open to you"):
            self.take(self.ivy_user, draft)
        as_engine(self.otto).write({"ambassador_state": "suspended"})
        with self.assertRaisesRegex(UserError, "active ambassadors"):
            self.take(self.otto_user, mission)

    def test_quota_and_giving_up(self):
        mission = self.mission(quota=1)
        ivy = self.take(self.ivy_user, mission)
        self.assertEqual(mission.places_left, 0)
        with self.assertRaisesRegex(UserError, "all the participants"):
            self.take(self.otto_user, mission)
        ivy.sudo(self.ivy_user)._ambassador_cancel()
        self.assertEqual(ivy.state, "cancelled")
        mission.invalidate_cache()
        self.assertEqual(mission.places_left, 1)
        otto = self.take(self.otto_user, mission)
        self.assertEqual(otto.state, "taken")
        # A cancelled participation is taken again, not duplicated.
        otto.sudo(self.otto_user)._ambassador_cancel()
        again = self.take(self.ivy_user, mission)
        self.assertEqual(again, ivy)
        self.assertEqual(again.state, "taken")

    def test_participations_are_not_written_by_hand(self):
        participation = self.take(self.ivy_user, self.mission())
        with self.assertRaises((AccessError, UserError)):
            participation.sudo(self.ivy_user).write({"state": "proved"})
        with self.assertRaises(UserError):
            participation.sudo(self.staff_user).write({"state": "proved"})
        with self.assertRaises(AccessError):
            self.Participation.sudo(self.ivy_user).create(
                {"mission_id": participation.mission_id.id,
                 "partner_id": self.ivy.id})

    def test_portal_reads_only_its_own_participations_and_no_mission(self):
        mission = self.mission()
        mine = self.take(self.ivy_user, mission)
        others = self.take(self.otto_user, mission)
        found = self.Participation.sudo(self.ivy_user).search_read(
            [("id", "in", (mine | others).ids)], ["state"])
        self.assertEqual([row["id"] for row in found], mine.ids)
        draft = self.mission(state="draft")
        for record in (mission, draft):
            with self.assertRaises(AccessError):
                record.sudo(self.ivy_user).read(["name"])
        with self.assertRaises(AccessError):
            self.Participation.sudo(self.employee_user).search([])

    def test_attendance_mission_needs_its_event(self):
        with self.assertRaises(ValidationError):
            self.mission(proof_method="attendance")


class TestProvingMissions(MissionCase):

    def test_survey_answer_accepted_awards_once(self):
        mission = self.mission(points=12)
        participation = self.take(self.ivy_user, mission)
        mine = participation.sudo(self.ivy_user)
        with self.assertRaises(FormErrors) as refused:
            mine._ambassador_submit_answer("   ")
        self.assertIn("answer", refused.exception.errors)
        with self.assertRaises(FormErrors):
            mine._ambassador_submit_answer("x" * 5001)
        mine._ambassador_submit_answer("Come for the labs.")
        self.assertEqual(participation.state, "submitted")
        self.assertEqual(participation.survey_answer, "Come for the labs.")
        # Somebody else's participation: refused.
        with self.assertRaises(AccessError):
            participation.sudo(self.otto_user)._ambassador_submit_answer("Mine")
        # Staff send it back, the ambassador answers again, staff accept.
        participation.sudo(self.staff_user).action_return()
        self.assertEqual(participation.state, "taken")
        mine._ambassador_submit_answer("Come for the labs, stay for the lakes.")
        balance = self.ivy.ambassador_balance
        with self.assertRaises(AccessError):
            participation.sudo(self.ivy_user).action_accept()
        participation.sudo(self.staff_user).action_accept()
        self.assertEqual(participation.state, "proved")
        line = self.mission_lines(participation)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.origin, line.points, line.mission_id),
                         ("mission", 12, mission))
        self.assertEqual(participation.transaction_id, line)
        self.assertEqual(self.ivy.ambassador_balance, balance + 12)
        with self.assertRaises(UserError):
            participation.sudo(self.staff_user).action_accept()
        # The engine's award skips what is proved.
        as_engine(participation)._award()
        self.assertEqual(len(self.mission_lines(participation)), 1)

    def test_database_refuses_a_second_mission_line(self):
        participation = self.take(self.ivy_user, self.mission())
        participation.sudo(self.ivy_user)._ambassador_submit_answer("Yes")
        participation.sudo(self.staff_user).action_accept()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                as_engine(self.Ledger)._award(
                    [participation.sudo()._award_values()])

    def test_proof_upload_approved_awards_the_mission_points(self):
        mission = self.mission(proof_method="proof", points=30)
        participation = self.take(self.ivy_user, mission)
        mine = participation.sudo(self.ivy_user)
        with self.assertRaises(FormErrors) as refused:
            mine._ambassador_submit_proof({"url": "javascript:alert(1)"}, [])
        self.assertIn("url", refused.exception.errors)
        with self.assertRaises(FormErrors) as refused:
            mine._ambassador_submit_proof({}, [])
        self.assertIn("files", refused.exception.errors)
        with self.assertRaises(FormErrors):
            mine._ambassador_submit_proof({}, [("evil.html", b"<script>")])
        self.assertFalse(participation.proof_ids)
        proof = mine._ambassador_submit_proof(
            {"description": "Hosted them at the plant."},
            [("visit.pdf", PDF)])
        self.assertEqual(participation.state, "submitted")
        self.assertEqual(proof.mission_participation_id, participation)
        self.assertEqual(proof.mission_id, mission)
        self.assertEqual(proof.channel, "portal")
        self.assertEqual(len(proof.attachment_ids), 1)
        # Staff decide on the proof before cancelling the participation.
        with self.assertRaisesRegex(UserError, "waits for review"):
            participation.sudo(self.staff_user).action_cancel()
        # One proof waiting at a time.
        with self.assertRaises((FormErrors, UserError)):
            mine._ambassador_submit_proof({"description": "Again"}, [])
        # The ambassador reads its proof as any other.
        self.assertEqual(
            self.Proof.sudo(self.ivy_user).search([("id", "=", proof.id)]), proof)
        # Rejected: the ambassador may send another one.
        proof.sudo(self.staff_user).action_reject("Add a photo")
        self.assertEqual(participation.state, "taken")
        second = mine._ambassador_submit_proof(
            {"url": "https://example.com/visit"}, [])
        second.sudo(self.staff_user).action_approve()
        self.assertEqual(participation.state, "proved")
        line = self.mission_lines(participation)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.origin, line.points, line.proof_id),
                         ("mission", 30, second))
        self.assertEqual(second.points_awarded, 30)
        self.assertEqual(participation.transaction_id, line)
        # Only its rule's points for a plain proof: nothing changed there.
        plain = self.make_proof(self.ivy)
        plain.action_approve()
        self.assertEqual(plain.transaction_ids.origin, "proof")

    def test_proof_of_another_method_is_refused(self):
        participation = self.take(self.ivy_user, self.mission())  # survey
        with self.assertRaisesRegex(UserError, "not proved this way"):
            participation.sudo(self.ivy_user)._ambassador_submit_proof(
                {"description": "Here"}, [])

    def test_attendance_proves_the_mission(self):
        event = self.env["event.event"].create(event_values("Mission fair"))
        mission = self.mission(proof_method="attendance", event_id=event.id,
                               points=15)
        participation = self.take(self.ivy_user, mission)
        registration = self.env["event.registration"].create(
            {"event_id": event.id, "partner_id": self.ivy.id, "name": "Ivy"})
        self.assertEqual(participation.state, "taken")
        registration.write({"state": "done"})
        self.assertEqual(participation.state, "proved")
        self.assertEqual(participation.points_awarded, 15)
        # Attended before taking it: proved when taken.
        self.env["event.registration"].create(
            {"event_id": event.id, "partner_id": self.otto.id,
             "name": "Otto"}).write({"state": "done"})
        otto = self.take(self.otto_user, mission)
        self.assertEqual(otto.state, "proved")
        self.assertEqual(len(self.mission_lines(otto)), 1)

    def test_share_mission_can_be_taken(self):
        participation = self.take(self.ivy_user, self.mission(
            proof_method="share"))
        self.assertEqual(participation.state, "taken")
        with self.assertRaisesRegex(UserError, "not proved this way"):
            participation.sudo(self.ivy_user)._ambassador_submit_answer("x")


class TestMissionDigest(MissionCase):

    def digest_mails(self):
        return self.env["mail.mail"].search(
            [("subject", "ilike", "Missions open to you")])

    def test_digest_lists_open_missions_not_taken(self):
        # Who gets what, without the contact cap (the next test holds it).
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "0")
        self.env["mail.mail"].search([]).unlink()
        invest = self.mission(name="Invest news")
        study = self.mission(name="Study survey",
                             segment_ids=[(6, 0, self.study.ids)])
        self.take(self.otto_user, invest)
        recipients = self.Mission._digest_recipients()
        self.assertEqual(recipients.get(self.ivy.id), invest.ids)
        self.assertEqual(recipients.get(self.sam.id), study.ids)
        self.assertNotIn(self.otto.id, recipients)
        count = self.Mission._cron_send_digest()
        self.assertEqual(count, len(recipients))
        mails = self.digest_mails()
        ivy_mail = mails.filtered(lambda m: self.ivy in m.recipient_ids)
        self.assertEqual(len(ivy_mail), 1)
        self.assertIn("Invest news", ivy_mail.body_html)
        self.assertNotIn("Study survey", ivy_mail.body_html)
        self.assertIn("/my/ambassador/missions", ivy_mail.body_html)
        self.assertFalse(mails.filtered(lambda m: self.otto in m.recipient_ids))

    def test_digest_waits_for_news(self):
        # The same open missions are not announced again next week; a new
        # mission is, with the others still open.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "0")
        first = self.mission(name="First news")
        self.Mission._cron_send_digest()
        self.assertNotIn(self.ivy.id, self.Mission._digest_recipients())
        self.env["mail.mail"].search([]).unlink()
        self.assertEqual(self.Mission._cron_send_digest(), 0)
        self.assertFalse(self.digest_mails())
        second = self.mission(name="Second news")
        self.assertEqual(sorted(self.Mission._digest_recipients()[self.ivy.id]),
                         sorted((first | second).ids))
        self.Mission._cron_send_digest()
        ivy_mail = self.digest_mails().filtered(
            lambda m: self.ivy in m.recipient_ids)
        self.assertIn("First news", ivy_mail.body_html)
        self.assertIn("Second news", ivy_mail.body_html)

    def test_digest_waits_under_the_contact_cap(self):
        # A digest is of low priority: it leaves the last slot before the cap
        # to a newsletter, and the report shows it deferred.
        self.env["mail.mail"].search([]).unlink()
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "3")
        self.mission(name="Capped news")
        Partner = self.env["res.partner"]
        Log = self.env["ambassador.message.log"]
        self.env.cr.execute("DELETE FROM ambassador_message_log WHERE partner_id IN %s",
                            ((self.ivy.id, self.otto.id),))
        Partner._ambassador_count_sent([self.ivy.id, self.ivy.id], "mailing")
        self.Mission._cron_send_digest()
        mails = self.digest_mails()
        self.assertFalse(mails.filtered(lambda m: self.ivy in m.recipient_ids))
        self.assertTrue(mails.filtered(lambda m: self.otto in m.recipient_ids))
        ivy_log = Log.search([("partner_id", "=", self.ivy.id),
                              ("channel", "=", "digest")])
        self.assertEqual(ivy_log.mapped("state"), ["deferred"])
        otto_log = Log.search([("partner_id", "=", self.otto.id),
                               ("channel", "=", "digest")])
        self.assertEqual(otto_log.mapped("state"), ["sent"])

    def test_digest_queries_do_not_grow_with_ambassadors(self):
        self.mission(name="Counted")
        self.Mission._digest_recipients()
        cr = self.env.cr
        before = cr.sql_log_count
        self.Mission._digest_recipients()
        few = cr.sql_log_count - before
        for index in range(10):
            self.make_ambassador("More Mission %d" % index)
        self.Mission._digest_recipients()  # the caches (time zone) warm again
        before = cr.sql_log_count
        self.Mission._digest_recipients()
        self.assertEqual(cr.sql_log_count - before, few)


@common.at_install(False)
@common.post_install(True)
class TestMissionQuotaConcurrency(common.TransactionCase):
    """Two ambassadors take the last place at the same moment, each in its
    own transaction through Odoo's request wrapper (which retries
    serialisation failures): one gets it."""

    def setUp(self):
        super(TestMissionQuotaConcurrency, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invest = env.ref("ambassador_program.segment_invest")
            portal = env.ref("base.group_portal")
            self.user_ids, self.partner_ids = [], []
            for name in ("Quota One", "Quota Two"):
                partner = env["res.partner"].create(
                    {"name": name, "email": "%s@example.com" % name.replace(" ", "."),
                     "ambassador_state": "active",
                     "ambassador_segment_id": invest.id})
                user = env["res.users"].with_context(no_reset_password=True).create(
                    {"name": name, "login": partner.email, "partner_id": partner.id,
                     "groups_id": [(6, 0, portal.ids)]})
                self.user_ids.append(user.id)
                self.partner_ids.append(partner.id)
            self.mission_id = env["ambassador.mission"].create(
                {"name": "Last place", "state": "open", "quota": 1, "points": 5,
                 "date_start": "2020-01-01",
                 "proof_method": "survey",
                 "segment_ids": [(6, 0, invest.ids)]}).id
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM mail_message WHERE model IN "
                       "('ambassador.mission.participation', 'ambassador.mission')"
                       " AND res_id IN (SELECT id FROM "
                       "ambassador_mission_participation WHERE mission_id = %s"
                       " UNION SELECT %s)", (self.mission_id, self.mission_id))
            cr.execute("DELETE FROM ambassador_mission_participation "
                       "WHERE mission_id = %s", (self.mission_id,))
            cr.execute("DELETE FROM mail_followers WHERE res_model = "
                       "'ambassador.mission' AND res_id = %s", (self.mission_id,))
            cr.execute("DELETE FROM ambassador_mission WHERE id = %s",
                       (self.mission_id,))
            cr.execute("DELETE FROM res_users WHERE id IN %s",
                       (tuple(self.user_ids),))
            cr.execute("DELETE FROM res_partner WHERE id IN %s",
                       (tuple(self.partner_ids),))

    def test_two_takings_of_the_last_place(self):
        def take(env):
            env["ambassador.mission.participation"]._ambassador_take(
                self.mission_id)

        outcomes = at_once(self.registry, [(uid, take) for uid in self.user_ids])
        self.assertEqual(sorted(outcomes), ["UserError", "ok"])
        with self.registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM ambassador_mission_participation "
                       "WHERE mission_id = %s AND state != 'cancelled'",
                       (self.mission_id,))
            self.assertEqual(cr.fetchone()[0], 1)
