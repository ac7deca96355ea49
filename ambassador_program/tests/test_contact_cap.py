# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cross-channel contact cap (issue 14, guideline 10): every programme
message to an ambassador is recorded; normal ones stop at the cap, low ones
one message before, "always" ones are never held back but counted; what the
cap holds back is recorded with its reason."""
from .common import AmbassadorCase


class CapCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(CapCase, cls).setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "4")
        cls.Log = cls.env["ambassador.message.log"]

    def send(self, partner, channel, times=1):
        for _number in range(times):
            self.Partner._ambassador_count_sent(partner.ids, channel)

    def log_of(self, partner, **where):
        domain = [("partner_id", "=", partner.id)]
        domain += [(key, "=", value) for key, value in where.items()]
        return self.Log.search(domain)

    def age(self, partner, days):
        """Move every message of ``partner`` ``days`` back in time."""
        self.env.cr.execute(
            "UPDATE ambassador_message_log SET date = date - %s * interval '1 day'"
            " WHERE partner_id = %s", (days, partner.id))


class TestContactCap(CapCase):

    def test_cap_counts_every_channel(self):
        ann = self.make_ambassador("Ann Cap")
        within = self.Partner._ambassador_within_cap
        self.send(ann, "mailing", 2)
        self.send(ann, "invitation")
        self.assertEqual(within(ann.ids, "normal"), ann.ids, "3 of 4")
        self.assertEqual(within(ann.ids, "low"), [],
                         "a digest never takes the last slot")
        self.send(ann, "status")
        self.assertEqual(within(ann.ids, "normal"), [], "4 of 4: newsletters wait")
        self.assertEqual(within(ann.ids, "always"), ann.ids)
        self.send(ann, "decision", 3)
        self.assertEqual(within(ann.ids, "always"), ann.ids,
                         "a committee decision is always sent")
        self.assertEqual(len(self.log_of(ann, state="sent")), 7,
                         "always messages count too")
        # No cap: everything goes.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "0")
        self.assertEqual(within(ann.ids, "low"), ann.ids)

    def test_rolling_window(self):
        bob = self.make_ambassador("Bob Window")
        self.send(bob, "mailing", 4)
        self.assertEqual(self.Partner._ambassador_within_cap(bob.ids, "normal"), [])
        self.age(bob, 29)
        self.assertEqual(self.Partner._ambassador_within_cap(bob.ids, "normal"), [],
                         "29 days ago is inside the window")
        self.age(bob, 2)
        self.assertEqual(
            self.Partner._ambassador_within_cap(bob.ids, "normal"), bob.ids,
            "31 days ago is out of the rolling 30 days")

    def test_deferral_recorded_with_its_reason(self):
        full = self.make_ambassador("Full Cap")
        almost = self.make_ambassador("Almost Cap")
        fresh = self.make_ambassador("Fresh Cap")
        self.send(full, "mailing", 4)
        self.send(almost, "mailing", 3)
        people = (full | almost | fresh).ids
        allowed = self.Partner._ambassador_cap_filter(people, "digest")
        self.assertEqual(allowed, fresh.ids)
        self.assertEqual(self.log_of(full, state="deferred").mapped("reason"), ["cap"])
        deferred = self.log_of(almost, state="deferred")
        self.assertEqual((deferred.reason, deferred.channel, deferred.priority),
                         ("reserve", "digest", "low"))
        self.assertEqual(deferred.segment_id, almost.ambassador_segment_id)
        self.assertFalse(self.log_of(fresh, state="deferred"))
        # A newsletter still reaches the one with a slot left.
        allowed = self.Partner._ambassador_cap_filter(people, "mailing")
        self.assertEqual(allowed, (almost | fresh).ids)
        with self.assertRaises(ValueError):
            self.Partner._ambassador_within_cap(people, "urgent")
        with self.assertRaises(ValueError):
            self.Partner._ambassador_count_sent(people, "pigeon")

    def test_one_query_whatever_the_number(self):
        def queries(partners, call):
            before = self.env.cr.sql_log_count
            call(partners.ids)
            return self.env.cr.sql_log_count - before

        few = self.Partner.browse([
            self.make_ambassador("Few %d" % n).id for n in range(4)])
        many = self.Partner.browse([
            self.make_ambassador("Many %d" % n).id for n in range(40)])
        for partners in (few, many):
            self.send(partners[:2], "mailing", 4)
        # The settings' parameter is cached after the first read.
        self.Partner._ambassador_within_cap(few.ids, "normal")
        for call in (
            lambda ids: self.Partner._ambassador_within_cap(ids, "normal"),
            lambda ids: self.Partner._ambassador_count_sent(ids, "digest"),
            lambda ids: self.Partner._ambassador_cap_filter(ids, "reminder"),
        ):
            self.assertEqual(queries(few, call), queries(many, call))
        self.assertEqual(queries(many, lambda ids: self.Partner._ambassador_within_cap(
            ids, "normal")), 1)

    def test_read_only_and_staff_only(self):
        cid = self.make_ambassador("Cid Log")
        self.send(cid, "mailing")
        row = self.log_of(cid)
        from odoo.exceptions import AccessError, UserError
        with self.assertRaises(UserError):
            row.write({"channel": "status"})
        with self.assertRaises(UserError):
            self.Log.create({"partner_id": cid.id, "channel": "other",
                             "priority": "low"})
        self.assertEqual(self.Log.sudo(self.staff_user).search(
            [("partner_id", "=", cid.id)]), row)
        with self.assertRaises(AccessError):
            self.Log.sudo(self.employee_user).search([("partner_id", "=", cid.id)])


class TestCapChannels(CapCase):
    """The places that send record what they send, and respect the cap."""

    @classmethod
    def setUpClass(cls):
        super(TestCapChannels, cls).setUpClass()
        cls.event_user = cls._make_user(
            "cap_event_user", [cls.env.ref("event.group_event_user")])
        cls.segment = cls.env["ambassador.segment"].create(
            {"name": "Cap Segment", "code": "capseg"})
        cls.event = cls.env["event.event"].create({
            "name": "Cap evening", "date_begin": "2030-06-01 18:00:00",
            "date_end": "2030-06-01 22:00:00",
            "ambassador_segment_ids": [(6, 0, cls.segment.ids)]})

    def test_status_mails_counted(self):
        dan = self.make_ambassador("Dan Status")
        self.Ledger._award([{"partner_id": dan.id, "points": 20,
                             "origin": "manual", "note": "Test"}])
        self.assertEqual(dan.ambassador_tier_id, self.silver)
        self.assertEqual(self.log_of(dan, state="sent").mapped("channel"),
                         ["status"])
        self.assertEqual(self.log_of(dan).priority, "always")

    def test_invitations_capped(self):
        eva = self.make_ambassador("Eva Invite", segment=self.segment)
        fox = self.make_ambassador("Fox Invite", segment=self.segment)
        self.send(eva, "mailing", 4)
        before = self.env["mail.mail"].search([]).ids
        count = self.event.sudo(self.event_user).action_ambassador_invite()
        self.assertEqual(count, 1)
        mails = self.env["mail.mail"].search([("id", "not in", before)])
        self.assertEqual(mails.mapped("recipient_ids"), fox)
        self.assertEqual(self.log_of(fox, channel="invitation").state, "sent")
        deferred = self.log_of(eva, channel="invitation")
        self.assertEqual((deferred.state, deferred.reason), ("deferred", "cap"))
        self.assertIn("contact cap", self.event.message_ids[0].body)

    def test_reminders_wait_one_message_before_the_cap(self):
        gus = self.make_ambassador("Gus Reminder", segment=self.segment)
        hal = self.make_ambassador("Hal Reminder", segment=self.segment)
        self.send(gus, "mailing", 3)
        Registration = self.env["event.registration"]
        for partner in gus | hal:
            Registration.create({"event_id": self.event.id,
                                 "partner_id": partner.id,
                                 "name": partner.name, "email": partner.email})
        reminder = self.env.ref("event.event_reminder")
        before = self.env["mail.mail"].search([]).ids
        self.event.mail_attendees(reminder.id)
        mails = self.env["mail.mail"].search([("id", "not in", before)])
        reached = Registration.browse(mails.mapped("res_id")).mapped("partner_id")
        self.assertEqual(reached, hal)
        self.assertEqual(self.log_of(hal, channel="reminder").state, "sent")
        self.assertEqual(self.log_of(gus, channel="reminder").reason, "reserve")
        # Sending the attendees e-mails is event staff's.
        from odoo.exceptions import AccessError
        with self.assertRaises(AccessError):
            self.event.sudo(self.staff_user).mail_attendees(reminder.id)

    def test_programme_mailing_counts_and_is_capped_across_channels(self):
        ida = self.make_ambassador("Ida Mailing", segment=self.visit,
                                   ambassador_consent_newsletter=True)
        jon = self.make_ambassador("Jon Mailing", segment=self.visit,
                                   ambassador_consent_newsletter=True)
        self.env["mail.mass_mailing.list"]._ambassador_sync_lists((ida | jon).ids)
        # Ida had her share of the month through other channels.
        self.send(ida, "invitation", 2)
        self.send(ida, "status", 2)
        visit_list = self.visit.mailing_list_id
        mailing = self.env["mail.mass_mailing"].create({
            "name": "Visit news across channels",
            "mailing_model_id": self.env.ref(
                "mass_mailing.model_mail_mass_mailing_list").id,
            "contact_list_ids": [(6, 0, visit_list.ids)],
            "mailing_domain": "[('list_ids', 'in', [%d]), ('opt_out', '=', False)]"
            % visit_list.id,
            "reply_to_mode": "email",
            "body_html": "<p>News</p>",
        })
        mailing.send_mail()
        stats = self.env["mail.mail.statistics"].search(
            [("mass_mailing_id", "=", mailing.id)])
        reached = self.env["mail.mass_mailing.contact"].browse(
            stats.mapped("res_id")).mapped("ambassador_partner_id")
        self.assertIn(jon, reached)
        self.assertNotIn(ida, reached)
        sent = self.log_of(jon, channel="mailing")
        self.assertEqual((sent.state, sent.mass_mailing_id), ("sent", mailing))
        deferred = self.log_of(ida, channel="mailing")
        self.assertEqual((deferred.state, deferred.mass_mailing_id),
                         ("deferred", mailing))
        # Asked again (the mailing queue does), nothing is recorded twice.
        mailing.get_remaining_recipients()
        mailing._ambassador_log_sent()
        self.assertEqual(len(self.log_of(ida, channel="mailing")), 1)
        self.assertEqual(len(self.log_of(jon, channel="mailing")), 1)
