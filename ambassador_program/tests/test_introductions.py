# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Introductions through the programme (issue 15): the rules of a request,
the quarterly quota (and under concurrent requests), the double opt-in, the
contact details given only on acceptance, abuse reports becoming incidents,
expiry, the directory's "Request an introduction", the e-mails in the
recipient's language and the contact cap's channel."""

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError
from odoo.tests import common

from ..models.ambassador_introduction import quarter_start
from ..models.authority import as_engine
from ..models.form_input import FormErrors
from .concurrency import at_once
from .common import FIXTURE_CONSENT, AmbassadorCase


def saw_in_directory(env, user, partners):
    """``user`` was shown ``partners`` on a directory page (the request form
    asks that an ambassador met the person there)."""
    env["ambassador.directory.view"].create({
        "user_id": user.id, "partner_id": user.partner_id.id,
        "profile_count": len(partners), "profile_ids": [(6, 0, partners.ids)]})


class IntroductionCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(IntroductionCase, cls).setUpClass()
        cls.Intro = cls.env["ambassador.introduction"]
        cls.business = cls.env.ref("ambassador_program.introduction_purpose_business")
        cls.internship = cls.env.ref(
            "ambassador_program.introduction_purpose_internship")
        cls.anna = cls.make_ambassador("Anna Intro", phone="+33 6 11 11 11 11")
        cls.bruno = cls.make_ambassador(
            "Bruno Intro", ambassador_show_city=True, ambassador_show_phone=True,
            phone="+33 6 22 22 22 22", ambassador_intro_quota=2)
        cls.carla = cls.make_ambassador("Carla Intro", ambassador_show_city=True)
        cls.dan = cls.make_ambassador("Dan Intro", ambassador_show_city=True)
        cls.users = {}
        for partner in (cls.anna, cls.bruno, cls.carla, cls.dan):
            cls.users[partner] = cls.make_portal_user(partner)
            saw_in_directory(cls.env, cls.users[partner],
                             cls.anna | cls.bruno | cls.carla | cls.dan)

    def request(self, requester, recipient, purpose=None, message="Hello"):
        Intro = self.Intro.sudo(self.users[requester])
        return Intro._ambassador_request(
            recipient.id, (purpose or self.business).id, message)

    def refused(self, requester, recipient, field="form", **kw):
        with self.assertRaises(FormErrors) as caught:
            self.request(requester, recipient, **kw)
        self.assertIn(field, caught.exception.errors)
        return caught.exception.errors[field]


class TestIntroductionRules(IntroductionCase):

    def test_request_accept_and_contacts(self):
        intro = self.request(self.anna, self.bruno, message="  A fair in Osaka  ")
        self.assertEqual(intro.state, "requested")
        self.assertEqual(intro.requester_id, self.anna)
        self.assertEqual(intro.requested_by, "ambassador")
        self.assertEqual(intro.message, "A fair in Osaka")
        # Nothing shared before the answer, to either side.
        self.assertEqual(intro.sudo(self.users[self.anna])._ambassador_contacts(), {})
        self.assertEqual(intro.sudo(self.users[self.bruno])._ambassador_contacts(), {})
        # The requester cannot answer its own request.
        with self.assertRaises(AccessError):
            intro.sudo(self.users[self.anna])._ambassador_accept()
        intro.sudo(self.users[self.bruno])._ambassador_accept()
        self.assertEqual(intro.state, "accepted")
        self.assertTrue(intro.date_answered)
        to_anna = intro.sudo(self.users[self.anna])._ambassador_contacts()
        self.assertEqual(to_anna["email"], self.bruno.email)
        self.assertEqual(to_anna["phone"], "+33 6 22 22 22 22")  # Bruno shows it
        to_bruno = intro.sudo(self.users[self.bruno])._ambassador_contacts()
        self.assertEqual(to_bruno["email"], self.anna.email)
        self.assertNotIn("phone", to_bruno)  # Anna does not show hers
        # A third person sees nothing.
        self.assertEqual(intro.sudo(self.users[self.carla])._ambassador_contacts(), {})
        with self.assertRaises(Exception):
            intro.sudo(self.users[self.bruno])._ambassador_decline()

    def test_mails_in_the_recipient_language_and_the_cap_channel(self):
        template = self.env.ref(
            "ambassador_program.mail_template_introduction_requested")
        self.env["res.lang"].load_lang("fr_FR")
        template.with_context(lang="fr_FR").write(
            {"subject": "${object.requester_id.name} demande une mise en relation"})
        self.bruno.lang = "fr_FR"
        intro = self.request(self.anna, self.bruno)
        mails = self.env["mail.mail"].search(
            [("model", "=", "ambassador.introduction"), ("res_id", "=", intro.id)])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.bruno)
        self.assertEqual(mails.subject, "Anna Intro demande une mise en relation")
        self.assertIn("Hello", mails.body_html)  # the requester's message
        self.assertNotIn(self.anna.email, mails.body_html)
        intro.sudo(self.users[self.bruno])._ambassador_accept()
        mails = self.env["mail.mail"].search(
            [("model", "=", "ambassador.introduction"), ("res_id", "=", intro.id)])
        self.assertEqual(len(mails), 3)
        to_anna = mails.filtered(lambda m: m.recipient_ids == self.anna)
        self.assertIn(self.bruno.email, to_anna.body_html)
        self.assertIn("+33 6 22 22 22 22", to_anna.body_html)
        self.assertTrue(any(self.anna.email in m.body_html for m in mails
                            if m.recipient_ids == self.bruno))
        logs = self.env["ambassador.message.log"].search(
            [("partner_id", "in", (self.anna | self.bruno).ids),
             ("channel", "=", "introduction")])
        self.assertEqual(sorted(log.partner_id.name for log in logs),
                         ["Anna Intro", "Bruno Intro", "Bruno Intro"])
        self.assertEqual(set(logs.mapped("priority")), {"always"})

    def test_rules(self):
        self.assertIn("yourself", self.refused(self.bruno, self.bruno))
        # Anna shows nothing in the directory: no introduction to her.
        self.assertIn("cannot be asked", self.refused(self.bruno, self.anna))
        self.assertIn("Say", self.refused(self.anna, self.bruno, "message",
                                          message="   "))
        self.assertIn("too long", self.refused(self.anna, self.bruno, "message",
                                               message="x" * 1001))
        self.bruno.sudo().ambassador_intro_purpose_ids = self.internship
        self.assertIn("purpose", self.refused(self.anna, self.bruno, "purpose_id"))
        self.request(self.anna, self.bruno, purpose=self.internship)
        # One pending request between the same two people.
        self.assertIn("already asked", self.refused(
            self.anna, self.bruno, purpose=self.internship))
        # Quota 0: none.
        self.carla.sudo().ambassador_intro_quota = 0
        self.assertIn("cannot be asked", self.refused(self.anna, self.carla))
        # A suspended ambassador asks nothing.
        as_engine(self.dan).write({"ambassador_state": "suspended"})
        self.assertIn("active ambassadors", self.refused(self.dan, self.bruno))

    def test_must_have_met_the_person_in_the_directory(self):
        erin = self.make_ambassador("Erin Intro", ambassador_show_city=True)
        self.assertFalse(self.Intro.sudo(self.users[self.anna])
                         ._ambassador_request_target(erin.id))
        self.assertIn("directory", self.refused(self.anna, erin))
        # Staff need not.
        self.assertTrue(self.Intro.sudo(self.staff_user)
                        ._ambassador_request_target(erin.id))

    def test_quota_per_quarter(self):
        first = self.request(self.anna, self.bruno)
        self.request(self.carla, self.bruno)
        self.assertIn("this quarter", self.refused(self.dan, self.bruno))
        # A withdrawn request gives its slot back; a declined one does not.
        first.sudo(self.users[self.anna])._ambassador_withdraw()
        third = self.request(self.dan, self.bruno)
        third.sudo(self.users[self.bruno])._ambassador_decline()
        self.assertIn("this quarter", self.refused(self.anna, self.bruno))
        # Requests of an earlier quarter do not count.
        start = quarter_start(fields.Datetime.now())
        self.env.cr.execute(
            "UPDATE ambassador_introduction SET date_requested = "
            "%s::timestamp - interval '1 day' WHERE recipient_id = %s",
            (start, self.bruno.id))
        self.request(self.anna, self.bruno)

    def test_abuse_report_becomes_an_incident(self):
        intro = self.request(self.anna, self.bruno, message="Buy my product")
        with self.assertRaises(FormErrors):
            intro.sudo(self.users[self.bruno])._ambassador_report("  ")
        with self.assertRaises(AccessError):
            intro.sudo(self.users[self.anna])._ambassador_report("Spam")
        incident = intro.sudo(self.users[self.bruno])._ambassador_report(
            "Spam, third time")
        self.assertEqual(intro.state, "declined")
        self.assertEqual(intro.sudo().incident_id, incident)
        self.assertEqual(incident.partner_id, self.anna)
        self.assertEqual(incident.state, "open")
        self.assertIn("Spam, third time", incident.description)
        self.assertIn("Buy my product", incident.description)
        # Staff see it; Anna can no longer ask Bruno (the next quarter either).
        self.assertIn(incident, self.env["ambassador.incident"].sudo(
            self.staff_user).search([]))
        self.assertIn("abusive", self.refused(self.anna, self.bruno))

    def test_expiry(self):
        old = self.request(self.anna, self.bruno)
        fresh = self.request(self.carla, self.bruno)
        accepted = self.request(self.dan, self.carla)
        accepted.sudo(self.users[self.carla])._ambassador_accept()
        self.env.cr.execute(
            "UPDATE ambassador_introduction SET date_requested = "
            "date_requested - interval '31 days' WHERE id IN %s",
            ((old.id, accepted.id),))
        self.assertEqual(self.Intro._cron_expire(), 1)
        self.assertEqual(old.state, "expired")
        self.assertEqual(fresh.state, "requested")
        self.assertEqual(accepted.state, "accepted")

    def test_staff_request_on_behalf_of_the_programme(self):
        Intro = self.Intro.sudo(self.staff_user)
        # Whatever the form sends, staff request as themselves.
        intro = Intro.create({
            "recipient_id": self.bruno.id, "purpose_id": self.business.id,
            "message": "The agency's trade mission", "requester_id": self.anna.id,
            "requested_by": "ambassador", "state": "accepted"})
        self.assertEqual(intro.requester_id, self.staff_user.partner_id)
        self.assertEqual(intro.requested_by, "staff")
        self.assertEqual(intro.state, "requested")
        with self.assertRaises(FormErrors):
            Intro.create({"recipient_id": self.anna.id,
                          "purpose_id": self.business.id, "message": "Hi"})
        with self.assertRaises(AccessError):
            intro.write({"state": "accepted"})
        with self.assertRaises(AccessError):
            self.Intro.sudo(self.employee_user).create({
                "recipient_id": self.bruno.id, "purpose_id": self.business.id,
                "message": "Hi"})

    def test_portal_over_rpc(self):
        intro = self.request(self.anna, self.bruno)
        anna = self.users[self.anna]
        Intro = self.Intro.sudo(anna)
        rows = api.call_kw(Intro, "search_read", [[]], {})
        self.assertEqual([row["id"] for row in rows], intro.ids)
        # No field of the request holds the other side's contact details,
        # nor the report (staff's).
        self.assertNotIn("incident_id", rows[0])
        self.assertNotIn("abuse_reason", rows[0])
        text = repr(rows)
        self.assertNotIn(self.bruno.email, text)
        self.assertNotIn("22 22 22", text)
        with self.assertRaises(AccessError):
            self.env["res.partner"].sudo(anna).browse(self.bruno.id).read(["email"])
        self.assertFalse(self.Intro.sudo(self.users[self.carla]).search(
            [("id", "=", intro.id)]))
        with self.assertRaises(AccessError):
            api.call_kw(Intro, "write", [intro.ids, {"state": "accepted"}], {})
        with self.assertRaises(AccessError):
            api.call_kw(Intro, "create", [{
                "recipient_id": self.carla.id, "purpose_id": self.business.id,
                "message": "Hi"}], {})
        with self.assertRaises(AccessError):
            api.call_kw(self.env["res.partner"].sudo(anna), "write",
                        [self.anna.ids, {"ambassador_intro_quota": 40}], {})

    def test_settings(self):
        anna = self.env["res.partner"].sudo(self.users[self.anna])
        anna._ambassador_set_intro_settings(
            {"quota": "5", "purpose_ids": [str(self.internship.id)],
             "intro_only": "1"})
        self.assertEqual(self.anna.ambassador_intro_quota, 5)
        self.assertEqual(self.anna.ambassador_intro_purpose_ids, self.internship)
        self.assertTrue(self.anna.ambassador_intro_only)
        for quota in ("-1", "51", "x", "", "²"):
            with self.assertRaises(FormErrors):
                anna._ambassador_set_intro_settings({"quota": quota})
        with self.assertRaises(FormErrors):
            anna._ambassador_set_intro_settings(
                {"quota": "2", "purpose_ids": ["999999"]})
        # Its own only, whatever the record it is called on.
        self.bruno.sudo(self.users[self.anna])._ambassador_set_intro_settings(
            {"quota": "9"})
        self.assertEqual(self.anna.ambassador_intro_quota, 9)
        self.assertEqual(self.bruno.ambassador_intro_quota, 2)
        with self.assertRaises(AccessError):
            self.env["res.partner"].sudo(self.employee_user)\
                ._ambassador_set_intro_settings({"quota": "9"})
        # Staff may set them in the backend; an employee outside the
        # programme may not.
        self.bruno.sudo(self.staff_user).write({"ambassador_intro_quota": 7})
        with self.assertRaises(AccessError):
            self.bruno.sudo(self.employee_user).write({"ambassador_intro_quota": 8})

    def test_directory_cards(self):
        View = self.env["ambassador.directory.view"]
        self.bruno.with_context(**FIXTURE_CONSENT).write(
            {"ambassador_show_email": True, "ambassador_intro_only": True})
        self.carla.with_context(**FIXTURE_CONSENT).write(
            {"ambassador_show_email": True})
        frank = self.make_ambassador("Frank Intro", ambassador_intro_only=True)
        cards = View._directory_cards(self.bruno | self.carla | frank)
        bruno, carla, frank_card = cards
        self.assertNotIn("email", bruno)
        self.assertNotIn("phone", bruno)
        self.assertEqual(bruno["introduction_id"], self.bruno.id)
        self.assertEqual(carla["email"], self.carla.email)
        self.assertEqual(frank_card["introduction_id"], frank.id)
        # Listed although it shows nothing else.
        domain = View._directory_domain(self.anna, "all", "Frank Intro")
        self.assertEqual(self.env["res.partner"].search(domain), frank)
        domain = View._directory_domain(self.anna, "all", "Anna Intro")
        self.assertFalse(self.env["res.partner"].search(domain))
        # Only through introductions, and none accepted: not listed.
        frank.sudo().ambassador_intro_quota = 0
        domain = View._directory_domain(self.anna, "all", "Frank Intro")
        self.assertFalse(self.env["res.partner"].search(domain))


@common.at_install(False)
@common.post_install(True)
class TestIntroductionQuotaConcurrency(common.TransactionCase):
    """Five ambassadors ask the same person, whose quota is 2, at the same
    moment, each in its own transaction through Odoo's request wrapper
    (which replays serialisation failures): exactly two requests are made."""

    REQUESTERS = 5

    def setUp(self):
        super(TestIntroductionQuotaConcurrency, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invest = env.ref("ambassador_program.segment_invest")
            portal = env.ref("base.group_portal")
            self.purpose_id = env.ref(
                "ambassador_program.introduction_purpose_business").id
            recipient = env["res.partner"].with_context(
                ambassador_consent_reason="Test fixture").create(
                {"name": "Race Recipient", "email": "race.recipient@example.com",
                 "ambassador_state": "active", "ambassador_segment_id": invest.id,
                 "ambassador_show_city": True, "ambassador_intro_quota": 2})
            self.recipient_id = recipient.id
            self.user_ids, self.partner_ids = [], [recipient.id]
            for index in range(self.REQUESTERS):
                partner = env["res.partner"].create(
                    {"name": "Race %d" % index,
                     "email": "race.%d@example.com" % index,
                     "ambassador_state": "active",
                     "ambassador_segment_id": invest.id})
                user = env["res.users"].with_context(no_reset_password=True).create(
                    {"name": partner.name, "login": partner.email,
                     "partner_id": partner.id, "groups_id": [(6, 0, portal.ids)]})
                saw_in_directory(env, user, recipient)
                self.user_ids.append(user.id)
                self.partner_ids.append(partner.id)
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            ids = tuple(self.partner_ids)
            cr.execute("DELETE FROM mail_mail WHERE mail_message_id IN (SELECT id "
                       "FROM mail_message WHERE model = 'ambassador.introduction' "
                       "AND res_id IN (SELECT id FROM ambassador_introduction "
                       "WHERE recipient_id = %s))", (self.recipient_id,))
            cr.execute("DELETE FROM mail_message WHERE model = "
                       "'ambassador.introduction' AND res_id IN (SELECT id FROM "
                       "ambassador_introduction WHERE recipient_id = %s)",
                       (self.recipient_id,))
            cr.execute("DELETE FROM ambassador_introduction WHERE recipient_id = %s",
                       (self.recipient_id,))
            cr.execute("DELETE FROM ambassador_message_log WHERE partner_id IN %s",
                       (ids,))
            cr.execute("DELETE FROM ambassador_directory_view WHERE user_id IN %s",
                       (tuple(self.user_ids),))
            cr.execute("DELETE FROM ambassador_consent WHERE partner_id IN %s", (ids,))
            cr.execute("DELETE FROM res_users WHERE id IN %s", (tuple(self.user_ids),))
            cr.execute("DELETE FROM res_partner WHERE id IN %s", (ids,))
            cr.execute("DELETE FROM ambassador_quota_lock WHERE key = %s",
                       ("introduction:%d" % self.recipient_id,))

    def test_concurrent_requests_hold_the_quota(self):
        def ask(env):
            env["ambassador.introduction"]._ambassador_request(
                self.recipient_id, self.purpose_id, "At once")

        def classify(error):
            if isinstance(error, FormErrors):
                return "quota" if "quarter" in str(error) else str(error)
            return type(error).__name__

        outcomes = at_once(self.registry, [(uid, ask) for uid in self.user_ids],
                           classify, timeout=120)
        self.assertEqual(sorted(outcomes), ["ok", "ok"] + ["quota"] * (
            self.REQUESTERS - 2))
        with self.registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM ambassador_introduction "
                       "WHERE recipient_id = %s", (self.recipient_id,))
            self.assertEqual(cr.fetchone()[0], 2)
