import json
import re
from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from .common import AmbassadorCase
from .common_http import SharedCursorHttpCase


def event_values(name, days=20, **vals):
    begin = datetime.now() + timedelta(days=days)
    values = {
        "name": name,
        "date_begin": fields.Datetime.to_string(begin),
        "date_end": fields.Datetime.to_string(begin + timedelta(hours=3)),
        "auto_confirm": True,
        "state": "confirm",
        "website_published": True,
    }
    values.update(vals)
    return values


class TestEventBenefits(AmbassadorCase):
    """Events reserved to tiers and segments: who is invited, who may register,
    points for attendance once."""

    @classmethod
    def setUpClass(cls):
        super(TestEventBenefits, cls).setUpClass()
        cls.Event = cls.env["event.event"]
        cls.Registration = cls.env["event.registration"]
        cls.event_user = cls._make_user(
            "event_user", [cls.env.ref("event.group_event_user")]
        )
        cls.ivory_invest = cls.make_ambassador("Ivy Invest")
        cls.silver_invest = cls.make_ambassador("Sam Invest", points=20)
        cls.silver_live = cls.make_ambassador("Sid Live", segment=cls.live, points=10)
        cls.silver_suspended = cls.make_ambassador(
            "Sue Invest", points=20, state="suspended"
        )
        cls.silver_opted_out = cls.make_ambassador("Otto Invest", points=20)
        cls.silver_opted_out.opt_out = True
        cls.silver_registered = cls.make_ambassador("Rita Invest", points=20)
        cls.gold_study = cls.make_ambassador("Gus Study", segment=cls.study, points=120)
        cls.Promotion.search(
            [("partner_id", "=", cls.gold_study.id), ("state", "=", "proposed")]
        ).sudo(cls.committee_user).action_approve()
        cls.event = cls.Event.create(
            event_values(
                "Silver evening (Invest, Study)",
                ambassador_min_tier_id=cls.silver.id,
                ambassador_segment_ids=[(6, 0, [cls.invest.id, cls.study.id])],
            )
        )
        cls.Registration.create(
            {"event_id": cls.event.id, "partner_id": cls.silver_registered.id,
             "name": "Rita Invest"}
        )

    def test_fixture_tiers(self):
        self.assertEqual(self.silver_invest.ambassador_tier_id, self.silver)
        self.assertEqual(self.silver_live.ambassador_tier_id, self.silver)
        self.assertEqual(self.silver_suspended.ambassador_state, "suspended")
        self.assertEqual(self.gold_study.ambassador_tier_id, self.gold)

    def test_eligibility_tier_segment_state(self):
        everyone = (
            self.ivory_invest | self.silver_invest | self.silver_live
            | self.silver_suspended | self.silver_opted_out
            | self.silver_registered | self.gold_study
        )
        eligible = self.event._ambassador_eligible_partner_ids(everyone.ids)
        self.assertEqual(
            eligible,
            set((self.silver_invest | self.silver_opted_out | self.silver_registered
                 | self.gold_study).ids),
        )
        self.assertIn("Silver", self.event._ambassador_registration_refusal(
            self.ivory_invest))
        self.assertTrue(self.event._ambassador_registration_refusal(self.silver_live))
        self.assertTrue(
            self.event._ambassador_registration_refusal(self.silver_suspended))
        self.assertFalse(
            self.event._ambassador_registration_refusal(self.silver_invest))
        public = self.env.ref("base.public_user").partner_id
        self.assertIn("sign in", self.event._ambassador_registration_refusal(public))

    def test_invitation_goes_to_exactly_the_eligible(self):
        # Who is eligible, without the contact cap (test_contact_cap.py holds
        # invitations to it): earlier tests' e-mails count towards it.
        self.env["ir.config_parameter"].sudo().set_param(
            "ambassador_program.mailing_cap", "0")
        before = self.env["mail.mail"].search([]).ids
        count = self.event.sudo(self.event_user).action_ambassador_invite()
        mails = self.env["mail.mail"].search(
            [("id", "not in", before), ("model", "=", "event.event"),
             ("res_id", "=", self.event.id)]
        )
        invited = mails.mapped("recipient_ids")
        self.assertEqual(len(mails), len(invited), "one invitation each")
        self.assertEqual(count, len(mails))
        # Among the fixtures: not the opted-out one (bulk e-mail refused), not
        # the one already registered, nobody outside the tier, segment or state.
        everyone = (
            self.ivory_invest | self.silver_invest | self.silver_live
            | self.silver_suspended | self.silver_opted_out
            | self.silver_registered | self.gold_study
        )
        self.assertEqual(invited & everyone, self.silver_invest | self.gold_study)
        # And exactly the same set as the ORM finds (demo ambassadors included).
        expected = self.Partner.search([
            ("ambassador_state", "=", "active"),
            ("ambassador_tier_id.sequence", ">=", self.silver.sequence),
            ("ambassador_segment_id", "in", (self.invest | self.study).ids),
            ("opt_out", "=", False),
            ("email", "like", "@"),
        ]) - self.silver_registered
        self.assertEqual(invited, expected)
        mail = mails.filtered(lambda m: m.recipient_ids == self.silver_invest)
        self.assertIn("/event/", mail.body_html)
        self.assertIn("/register", mail.body_html)
        self.assertIn(self.event.name, mail.subject)
        self.assertEqual(self.event.ambassador_invited_count, count)

    def test_invitation_is_for_event_staff(self):
        with self.assertRaises(AccessError):
            self.event.sudo(self.employee_user).action_ambassador_invite()

    def test_registration_refused_by_the_model(self):
        for partner in (self.ivory_invest, self.silver_live, self.silver_suspended):
            with self.assertRaises(ValidationError):
                self.Registration.sudo().create(
                    {"event_id": self.event.id, "partner_id": partner.id,
                     "name": partner.name}
                )
        with self.assertRaises(ValidationError):
            self.Registration.sudo().create(
                {"event_id": self.event.id, "name": "Anonymous"}
            )
        registration = self.Registration.create(
            {"event_id": self.event.id, "partner_id": self.silver_invest.id,
             "name": "Sam"}
        )
        self.assertEqual(registration.state, "open")
        # Moving a registration to someone not eligible is refused too.
        with self.assertRaises(ValidationError):
            registration.write({"partner_id": self.ivory_invest.id})

    def test_staff_override_is_explicit_and_staff_only(self):
        with self.assertRaises(ValidationError):
            self.Registration.sudo(self.event_user).create(
                {"event_id": self.event.id, "partner_id": self.ivory_invest.id,
                 "name": "Ivy"}
            )
        registration = self.Registration.sudo(self.event_user).create(
            {"event_id": self.event.id, "partner_id": self.ivory_invest.id,
             "name": "Ivy", "ambassador_override": True}
        )
        self.assertTrue(registration.sudo().ambassador_override)
        # Someone outside event staff cannot override (the flag is dropped).
        Registration = self.Registration.sudo(self.employee_user)
        self.assertFalse(
            Registration._ambassador_staff_override({"ambassador_override": True})
        )

    def test_unrestricted_event_is_open(self):
        event = self.Event.create(event_values("Open day"))
        registration = self.Registration.create(
            {"event_id": event.id, "name": "Anyone", "email": "a@example.com"}
        )
        self.assertTrue(registration)
        self.assertFalse(event._ambassador_registration_refusal(self.ivory_invest))

    def test_attendance_awards_points_once(self):
        event = self.Event.create(
            event_values(
                "Silver breakfast (started)", days=-1,
                ambassador_min_tier_id=self.silver.id,
                ambassador_attendance_rule_id=self.env.ref(
                    "ambassador_program.rule_event_attendance").id,
            )
        )
        registration = self.Registration.create(
            {"event_id": event.id, "partner_id": self.silver_invest.id,
             "name": "Sam"}
        )
        balance = self.silver_invest.ambassador_balance
        registration.sudo(self.event_user).button_reg_close()
        line = self.Ledger.search([("event_registration_id", "=", registration.id)])
        self.assertEqual(len(line), 1)
        self.assertEqual((line.origin, line.points), ("event", 2))
        self.assertEqual(self.silver_invest.ambassador_balance, balance + 2)
        # Back to confirmed and attended again: no second award.
        registration.write({"state": "open"})
        registration.write({"state": "done"})
        self.assertEqual(
            self.Ledger.search_count(
                [("event_registration_id", "=", registration.id)]), 1)
        self.assertEqual(self.silver_invest.ambassador_balance, balance + 2)
        # Even written directly, the database refuses a second line.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Ledger.create(
                    {"partner_id": self.silver_invest.id, "points": 2,
                     "origin": "event", "event_registration_id": registration.id}
                )

    def test_attendance_of_non_ambassador_gives_nothing(self):
        event = self.Event.create(
            event_values(
                "Open talk (started)", days=-1,
                ambassador_attendance_rule_id=self.env.ref(
                    "ambassador_program.rule_event_attendance").id,
            )
        )
        registration = self.Registration.create(
            {"event_id": event.id, "name": "Guest", "email": "guest@example.com"}
        )
        registration.button_reg_close()
        self.assertEqual(registration.state, "done")
        self.assertFalse(
            self.Ledger.search([("event_registration_id", "=", registration.id)]))


@common.at_install(False)
@common.post_install(True)
class TestEventRegistrationRoutes(SharedCursorHttpCase):
    """The website refuses registration to visitors who are not eligible, even
    by a forged POST to website_event's routes. (Anonymous visitors are tested
    against a live server in tests/test_benefit_routes.py: in 11.0's test mode
    their requests do not see the test's records.)"""

    def setUp(self):
        super(TestEventRegistrationRoutes, self).setUp()
        env = self.env
        Partner = env["res.partner"]
        invest = env.ref("ambassador_program.segment_invest")
        self.silver = env.ref("ambassador_program.tier_silver")
        self.ivory_partner = Partner.create(
            {"name": "Ivo Route", "email": "ivo.route@example.com",
             "ambassador_state": "active", "ambassador_segment_id": invest.id}
        )
        self.silver_partner = Partner.create(
            {"name": "Silvia Route", "email": "silvia.route@example.com",
             "ambassador_state": "active", "ambassador_segment_id": invest.id}
        )
        env["ambassador.point.transaction"].create(
            {"partner_id": self.silver_partner.id, "points": 20, "origin": "manual"}
        )
        self.env["ambassador.status.engine"]._evaluate(self.silver_partner)
        self.assertEqual(self.silver_partner.ambassador_tier_id, self.silver)
        portal = env.ref("base.group_portal")
        Users = env["res.users"].with_context(no_reset_password=True)
        for partner, login in ((self.ivory_partner, "ivo_route"),
                               (self.silver_partner, "silvia_route")):
            Users.create({"login": login, "password": login, "partner_id": partner.id,
                          "groups_id": [(6, 0, [portal.id])]})
        self.event = env["event.event"].create(
            event_values("Silver route evening",
                         ambassador_min_tier_id=self.silver.id)
        )
        self.base = "/event/%d" % self.event.id

    def csrf_token(self):
        page = self.url_open("/event").text
        return re.search(r'csrf_token: "([^"]+)"', page).group(1)

    def registrations(self):
        return self.env["event.registration"].search(
            [("event_id", "=", self.event.id)])

    def post_confirm(self, extra=None, rows=1, base=None):
        """website_event's attendee form, with ``rows`` attendee rows."""
        data = {"csrf_token": self.csrf_token()}
        for row in range(1, rows + 1):
            data.update({"%d-name" % row: "Forged %d" % row,
                         "%d-email" % row: "forged%d@example.com" % row})
        data.update(extra or {})
        return self.url_open((base or self.base) + "/registration/confirm", data=data)

    def post_new(self, tickets=1):
        return self.opener.post(
            "http://%s:%s%s/registration/new" % (common.HOST, common.PORT, self.base),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"nb_register-0": str(tickets)}}),
            headers={"Content-Type": "application/json"},
            timeout=20,
        )

    def test_event_page_tells_and_hides_the_form(self):
        self.authenticate("ivo_route", "ivo_route")
        page = self.url_open(self.base).text
        self.assertIn("reserved to active ambassadors", page)
        self.assertNotIn('id="registration_form"', page)
        self.authenticate("silvia_route", "silvia_route")
        page = self.url_open(self.base).text
        self.assertIn('id="registration_form"', page)

    def test_forged_posts_of_a_lower_tier_are_refused(self):
        self.authenticate("ivo_route", "ivo_route")
        answer = self.post_new().json()["result"]
        self.assertIn("reserved to active ambassadors", answer)
        self.assertNotIn("attendee_registration", answer)
        response = self.post_confirm()
        self.assertEqual(response.status_code, 403)
        self.assertIn("reserved to active ambassadors", response.text)
        self.assertFalse(self.registrations())

    def test_eligible_ambassador_registers_and_cannot_forge_fields(self):
        self.authenticate("silvia_route", "silvia_route")
        self.assertIn("attendee_registration", self.post_new().json()["result"])
        response = self.post_confirm(
            {"1-state": "done", "1-ambassador_override": "1",
             "1-partner_id": str(self.ivory_partner.id)})
        self.assertEqual(response.status_code, 200)
        registration = self.registrations()
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.partner_id, self.silver_partner)
        self.assertEqual(registration.state, "open")
        self.assertFalse(registration.ambassador_override)

    def test_form_rows_beyond_the_guest_limit_are_refused(self):
        """The ambassador alone by default: a form of two rows is refused with
        a clear page, nothing written; the page then tells and hides the form;
        a limit of one guest admits exactly one more row."""
        self.authenticate("silvia_route", "silvia_route")
        answer = self.post_new(tickets=2).json()["result"]
        self.assertIn("without guests", answer)
        self.assertNotIn("attendee_registration", answer)
        response = self.post_confirm(rows=2)
        self.assertEqual(response.status_code, 403)
        self.assertIn("without guests", response.text)
        self.assertFalse(self.registrations())
        self.assertEqual(self.post_confirm(rows=1).status_code, 200)
        self.assertEqual(len(self.registrations()), 1)
        page = self.url_open(self.base).text
        self.assertIn("without guests", page)
        self.assertNotIn('id="registration_form"', page)
        response = self.post_confirm(rows=1)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(self.registrations()), 1)
        # One guest allowed: one more row, offered and accepted; then no more.
        self.event.write({"ambassador_guest_limit": 1})
        page = self.url_open(self.base).text
        options = re.search(
            r'<select name="nb_register-0"[^>]*>(.*?)</select>', page, re.S).group(1)
        self.assertEqual(re.findall(r"<option[^>]*>(\d+)</option>", options),
                         ["0", "1"])
        answer = self.post_new(tickets=1).json()["result"]
        self.assertIn("attendee_registration", answer)
        self.assertEqual(self.post_confirm(rows=1).status_code, 200)
        self.assertEqual(len(self.registrations()), 2)
        self.assertEqual(self.registrations().mapped("partner_id"), self.silver_partner)
        self.assertEqual(self.post_confirm(rows=1).status_code, 403)
        self.assertEqual(len(self.registrations()), 2)

    def test_several_rows_of_one_form_earn_the_points_once(self):
        """website_event gives the signed-in visitor's contact to every row: an
        open event's form of three rows is three registrations of one
        ambassador, whose attendance earns the points once."""
        event = self.env["event.event"].create(
            event_values("Open harbour talk (started)", days=-1,
                         ambassador_attendance_rule_id=self.env.ref(
                             "ambassador_program.rule_event_attendance").id)
        )
        self.authenticate("silvia_route", "silvia_route")
        response = self.post_confirm(rows=3, base="/event/%d" % event.id)
        self.assertEqual(response.status_code, 200)
        registrations = self.env["event.registration"].search(
            [("event_id", "=", event.id)])
        self.assertEqual(len(registrations), 3)
        self.assertEqual(registrations.mapped("partner_id"), self.silver_partner)
        balance = self.silver_partner.ambassador_balance
        registrations.button_reg_close()
        lines = self.env["ambassador.point.transaction"].search(
            [("origin", "=", "event"), ("partner_id", "=", self.silver_partner.id)])
        self.assertEqual(len(lines), 1)
        self.silver_partner.invalidate_cache()
        self.assertEqual(self.silver_partner.ambassador_balance, balance + 2)
