
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from ..models.authority import as_engine
from .concurrency import at_once
from .common import AmbassadorCase
from .test_event_benefits import event_values


class EventPerPersonCase(AmbassadorCase):
    @classmethod
    def setUpClass(cls):
        super(EventPerPersonCase, cls).setUpClass()
        cls.Event = cls.env["event.event"]
        cls.event_user = cls._make_user(
            "event_staff", [cls.env.ref("event.group_event_user")]
        )
        cls.rule = cls.env.ref("ambassador_program.rule_event_attendance")
        cls.pat = cls.make_ambassador("Pat Person", points=20)
        cls.quinn = cls.make_ambassador("Quinn Person", points=20)
        cls.ivy = cls.make_ambassador("Ivy Person")

    def register(self, event, partner, count=1, user=None, **vals):
        """``count`` registrations giving ``partner``, as website_event's form
        does for every attendee row of a signed-in visitor."""
        Registration = self.env["event.registration"].sudo(user or self.event_user)
        registrations = Registration.browse()
        for number in range(count):
            values = {"event_id": event.id, "partner_id": partner.id,
                      "name": "%s, attendee %d" % (partner.name, number + 1)}
            values.update(vals)
            registrations |= Registration.create(values)
        return registrations

    def event_lines(self, event, partner=None):
        domain = [("origin", "=", "event"),
                  ("event_registration_id.event_id", "=", event.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.Ledger.search(domain)


class TestAttendancePerPerson(EventPerPersonCase):
    """Attendance points: once per ambassador and event, however many
    registrations carry the ambassador (issue #8, hole 10)."""

    @classmethod
    def setUpClass(cls):
        super(TestAttendancePerPerson, cls).setUpClass()
        # Open to everyone (no guest limit applies), points for attendance.
        cls.event = cls.Event.create(
            event_values("Harbour walk (started)", days=-1,
                         ambassador_attendance_rule_id=cls.rule.id)
        )

    def test_one_form_of_several_rows_awards_once_each(self):
        rows = self.register(self.event, self.pat, 3)
        other = self.register(self.event, self.quinn)
        balances = (self.pat.ambassador_balance, self.quinn.ambassador_balance)
        # Staff confirm each attendance one by one (button_reg_close loops).
        (rows | other).sudo(self.event_user).button_reg_close()
        self.assertEqual(set((rows | other).mapped("state")), {"done"})
        lines = self.event_lines(self.event)
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.mapped("partner_id"), self.pat | self.quinn)
        self.assertEqual(lines.mapped("event_id"), self.event)
        self.pat.invalidate_cache()
        self.quinn.invalidate_cache()
        self.assertEqual(
            (self.pat.ambassador_balance, self.quinn.ambassador_balance),
            (balances[0] + 2, balances[1] + 2),
        )

    def test_one_batch_of_rows_awards_once(self):
        rows = self.register(self.event, self.pat, 3)
        rows.sudo(self.event_user).write({"state": "done"})
        line = self.event_lines(self.event, self.pat)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.points, line.event_id), (2, self.event))
        # A registration created already attended (backend) adds nothing.
        self.register(self.event, self.pat, state="done")
        self.assertEqual(len(self.event_lines(self.event, self.pat)), 1)

    def test_lines_written_before_the_change_count(self):
        first, second = self.register(self.event, self.pat, 2)
        # A line as the code wrote it before: no event on the line itself.
        legacy = self.Ledger.create(
            {"partner_id": self.pat.id, "rule_id": self.rule.id, "points": 2,
             "origin": "event", "event_registration_id": first.id}
        )
        self.assertFalse(legacy.event_id)
        second.sudo(self.event_user).write({"state": "done"})
        self.assertEqual(self.event_lines(self.event, self.pat), legacy)

    def test_each_event_still_awards(self):
        other_event = self.Event.create(
            event_values("Port tour (started)", days=-1,
                         ambassador_attendance_rule_id=self.rule.id)
        )
        (self.register(self.event, self.pat)
         | self.register(other_event, self.pat)).write({"state": "done"})
        self.assertEqual(len(self.event_lines(self.event, self.pat)), 1)
        self.assertEqual(len(self.event_lines(other_event, self.pat)), 1)

    def test_database_refuses_a_second_line_per_ambassador_and_event(self):
        first, second = self.register(self.event, self.pat, 2)
        first.write({"state": "done"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Ledger.create(
                    {"partner_id": self.pat.id, "rule_id": self.rule.id,
                     "points": 2, "origin": "event", "event_id": self.event.id,
                     "event_registration_id": second.id}
                )
        self.assertEqual(len(self.event_lines(self.event, self.pat)), 1)


class TestGuestLimit(EventPerPersonCase):
    """A restricted event admits an ambassador with at most the number of
    guests it allows, whatever the route; event staff may override."""

    @classmethod
    def setUpClass(cls):
        super(TestGuestLimit, cls).setUpClass()
        cls.event = cls.Event.create(
            event_values("Silver gala", ambassador_min_tier_id=cls.silver.id)
        )

    def count(self, partner):
        return self.env["event.registration"].search_count(
            [("event_id", "=", self.event.id), ("partner_id", "=", partner.id),
             ("state", "!=", "cancel")])

    def test_ambassador_alone_by_default(self):
        self.assertEqual(self.event.ambassador_guest_limit, 0)
        self.register(self.event, self.pat)
        # Event staff without the override, and the website's route (sudo).
        Registration = self.env["event.registration"]
        for Registration in (Registration.sudo(self.event_user),
                             Registration.sudo()):
            with self.assertRaises(ValidationError) as refused:
                Registration.create({"event_id": self.event.id,
                                     "partner_id": self.pat.id, "name": "A guest"})
            self.assertIn("without guests", refused.exception.name)
        self.assertEqual(self.count(self.pat), 1)
        # Someone else is not affected.
        self.register(self.event, self.quinn)
        # The explicit override of event staff still admits a guest.
        self.register(self.event, self.pat, ambassador_override=True)
        self.assertEqual(self.count(self.pat), 2)

    def test_limit_counts_registrations_not_cancelled(self):
        self.event.write({"ambassador_guest_limit": 1})
        first, second = self.register(self.event, self.pat, 2)
        with self.assertRaises(ValidationError):
            self.register(self.event, self.pat)
        second.sudo(self.event_user).button_reg_cancel()
        third = self.register(self.event, self.pat)
        self.assertEqual(self.count(self.pat), 2)
        # Re-opening the cancelled one would make three.
        with self.assertRaises(ValidationError):
            second.sudo(self.event_user).do_draft()
        third.sudo(self.event_user).button_reg_cancel()
        second.sudo(self.event_user).do_draft()
        self.assertEqual(self.count(self.pat), 2)

    def test_moving_a_registration_respects_the_limit(self):
        self.register(self.event, self.pat)
        theirs = self.register(self.event, self.quinn)
        with self.assertRaises(ValidationError):
            theirs.sudo(self.event_user).write({"partner_id": self.pat.id})
        self.assertEqual(self.count(self.pat), 1)

    def test_limit_cannot_be_negative(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.event.write({"ambassador_guest_limit": -1})

    def test_staff_override_is_a_capability_not_uid_1(self):
        # In 11.0 the admin account is uid 1; without event staff rights it
        # must not override, even as superuser (integrators use that account).
        admin = self.env.ref("base.user_root")
        groups = (self.env.ref("event.group_event_manager")
                  | self.env.ref("event.group_event_user"))
        admin.write({"groups_id": [(3, group.id) for group in groups]})
        self.assertFalse(admin.has_group("event.group_event_user"))
        Registration = self.env["event.registration"]
        self.assertEqual(Registration.env.uid, SUPERUSER_ID)
        self.assertFalse(
            Registration._ambassador_staff_override({"ambassador_override": True}))
        with self.assertRaises(ValidationError):
            Registration.create({"event_id": self.event.id,
                                 "partner_id": self.ivy.id, "name": "Ivy",
                                 "ambassador_override": True})
        # The engine's capability still can.
        self.assertTrue(as_engine(Registration)._ambassador_staff_override(
            {"ambassador_override": True}))


@common.at_install(False)
@common.post_install(True)
class TestEventConcurrency(common.TransactionCase):
    """Two requests at the same moment, on committed data, each through
    Odoo's request wrapper (which retries serialisation failures)."""

    def setUp(self):
        super(TestEventConcurrency, self).setUp()
        registry = self.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invest = env.ref("ambassador_program.segment_invest")
            partner = env["res.partner"].create(
                {"name": "Concurrent Attendee", "email": "attendee@example.com",
                 "ambassador_state": "active", "ambassador_segment_id": invest.id}
            )
            rule = env.ref("ambassador_program.rule_event_attendance")
            event = env["event.event"].create(
                event_values("Concurrent evening (started)", days=-1,
                             ambassador_segment_ids=[(6, 0, [invest.id])],
                             ambassador_attendance_rule_id=rule.id)
            )
            self.partner_id, self.event_id = partner.id, event.id
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            # Test clean-up only: the append-only trigger is lifted inside this
            # one transaction (DDL is transactional, no other session sees it).
            cr.execute("ALTER TABLE ambassador_point_transaction"
                       " DISABLE TRIGGER ambassador_point_transaction_append_only")
            cr.execute("DELETE FROM ambassador_point_transaction"
                       " WHERE partner_id = %s", (self.partner_id,))
            cr.execute("ALTER TABLE ambassador_point_transaction"
                       " ENABLE TRIGGER ambassador_point_transaction_append_only")
            cr.execute("DELETE FROM ambassador_promotion WHERE partner_id = %s",
                       (self.partner_id,))
            cr.execute("DELETE FROM event_registration WHERE event_id = %s",
                       (self.event_id,))
            cr.execute("DELETE FROM mail_message WHERE model = 'event.event'"
                       " AND res_id = %s", (self.event_id,))
            cr.execute("DELETE FROM mail_followers WHERE res_model = 'event.event'"
                       " AND res_id = %s", (self.event_id,))
            cr.execute("DELETE FROM event_event WHERE id = %s", (self.event_id,))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (self.partner_id,))

    def in_parallel(self, *works):
        """Each ``work(env)`` in its own request, at once (as the
        superuser); the outcomes, sorted."""
        return at_once(self.registry, [(SUPERUSER_ID, work) for work in works])

    def test_two_attendances_validated_at_once_award_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Registration = env["event.registration"]
            registration_ids = [
                Registration.create(
                    {"event_id": self.event_id, "partner_id": self.partner_id,
                     "name": name, "ambassador_override": True}).id
                for name in ("Ambassador", "Guest")
            ]

        def attend(registration_id):
            def work(env):
                env["event.registration"].browse(registration_id).write(
                    {"state": "done"})
            return work

        outcomes = self.in_parallel(*[attend(rid) for rid in registration_ids])
        # Both attendances are recorded; the loser, retried, finds the award.
        self.assertEqual(outcomes, ["ok", "ok"])
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM event_registration WHERE event_id = %s",
                       (self.event_id,))
            self.assertEqual({row[0] for row in cr.fetchall()}, {"done"})
            cr.execute(
                "SELECT COUNT(*), SUM(points) FROM ambassador_point_transaction"
                " WHERE partner_id = %s AND origin = 'event'", (self.partner_id,))
            self.assertEqual(cr.fetchone(), (1, 2))
            cr.execute("SELECT ambassador_balance FROM res_partner WHERE id = %s",
                       (self.partner_id,))
            self.assertEqual(cr.fetchone()[0], 2)

    def test_two_forms_at_once_respect_the_guest_limit(self):
        def register(name):
            def work(env):
                # As website_event's route creates them (sudo, no override).
                env["event.registration"].create(
                    {"event_id": self.event_id, "partner_id": self.partner_id,
                     "name": name})
            return work

        outcomes = self.in_parallel(register("First form"), register("Second"))
        self.assertEqual(sorted(outcomes), ["ValidationError", "ok"])
        with self.registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM event_registration"
                       " WHERE event_id = %s AND state != 'cancel'", (self.event_id,))
            self.assertEqual(cr.fetchone()[0], 1)
