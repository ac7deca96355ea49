# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Referrals (issue 14) through the ORM: the code, the sign-up through it,
the award once at activation, the reversal on exclusion, the anti-abuse
checks, what nobody may forge over RPC; and the award under concurrency."""
import threading
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.models import check_method_name
from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from ..models.authority import as_engine
from ..models.referral_checks import (
    network_of, normalise_email, normalise_postal, parse_domains)
from .common import AmbassadorCase

IP = "198.51.100.7"
AGENT = "Test agent"


class ReferralCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(ReferralCase, cls).setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "ambassador_program.signup_rate_limit", "100")
        cls.rule = cls.env.ref("ambassador_program.rule_referral")
        cls.referrer = cls.make_ambassador("Rita Referrer", segment=cls.invest)
        cls.referrer_user = cls.make_portal_user(cls.referrer)
        cls.code = cls.referrer._ambassador_referral_code_get()
        cls.Referral = cls.env["ambassador.referral"]
        cls.Public = cls.env["ambassador.signup.request"].sudo(
            cls.env.ref("base.public_user"))
        cls.charter = cls.env["ambassador.charter"].get_current()

    def form(self, **extra):
        form = {
            "name": "Ned Referee",
            "email": "ned.referee@example.org",
            "ambassador_institution": "University of the Territory",
            "ambassador_research_field": "Glaciology",
            "charter_accepted": "1",
            "charter_id": self.charter and str(self.charter.id) or None,
            "ref": self.code,
        }
        form.update(extra)
        return {key: value for key, value in form.items() if value is not None}

    def signup(self, ip=IP, **extra):
        return self.Public._ambassador_signup(
            self.study, self.form(**extra), ip, AGENT, "en_US")

    def referral_lines(self, referrer=None):
        return self.Ledger.search([
            ("partner_id", "=", (referrer or self.referrer).id),
            ("origin", "=", "referral")])


class TestReferralCode(ReferralCase):

    def test_code_is_stable_unguessable_and_unique(self):
        self.assertRegex(self.code, r"^[A-Za-z0-9_-]{12}$")
        self.assertNotEqual(self.code, str(self.referrer.id))
        self.assertEqual(self.referrer._ambassador_referral_code_get(), self.code)
        other = self.make_ambassador("Otto Other")
        self.assertNotEqual(other._ambassador_referral_code_get(), self.code)
        self.assertEqual(self.Referral._referrer_from_code(self.code), self.referrer)

    def test_unknown_malformed_or_inactive_codes_name_nobody(self):
        for code in (None, "", "x", "nosuchcode123", "a' OR 1=1 --", 42,
                     "A" * 200, str(self.referrer.id)):
            self.assertFalse(self.Referral._referrer_from_code(code), code)
        as_engine(self.referrer).write({"ambassador_state": "suspended"})
        self.assertFalse(self.Referral._referrer_from_code(self.code))

    def test_space_card_only_for_an_active_ambassador(self):
        card = self.referrer.sudo(self.referrer_user)._ambassador_referral_card()
        self.assertTrue(card["url"].endswith("/ambassadors/join?ref=%s" % self.code))
        self.assertEqual(card["rule"], self.rule)
        other = self.make_ambassador("Olga Card", state="suspended")
        self.assertEqual(other._ambassador_referral_card(), {})

    def test_networks(self):
        self.assertEqual(network_of("203.0.113.77"), "203.0.113.0/24")
        self.assertEqual(network_of("::ffff:203.0.113.77"), "203.0.113.0/24")
        self.assertEqual(network_of("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64")
        self.assertFalse(network_of("garbage"))
        self.assertEqual(normalise_email("Ali.Ce+promo@GoogleMail.com"),
                         "alice@gmail.com")
        self.assertEqual(normalise_email("a.b+x@example.org"), "a.b@example.org")
        self.assertEqual(normalise_postal("12, Rue de l'Église", "75001", "Paris"),
                         normalise_postal("12 rue de l eglise", "75001 ", "PARIS"))
        self.assertFalse(normalise_postal("", "75001", "Paris"))
        self.assertEqual(parse_domains("a.org, B.org\n@c.org"),
                         {"a.org", "b.org", "c.org"})


class TestReferralFlow(ReferralCase):

    def test_signup_records_then_activation_awards_once(self):
        signup = self.signup()
        referee = signup.partner_id
        self.assertEqual(signup.referrer_id, self.referrer)
        self.assertEqual(referee.ambassador_referrer_id, self.referrer)
        referral = self.Referral.search([("referee_id", "=", referee.id)])
        self.assertEqual(referral.state, "recorded")
        self.assertFalse(referral.abuse_flagged)
        self.assertFalse(self.referral_lines(), "nothing before the activation")
        balance = self.referrer.ambassador_balance
        # The confirmation (the holder of the e-mailed token) activates it.
        signup._confirm("192.0.2.50")
        self.assertEqual(referee.ambassador_state, "active")
        line = self.referral_lines()
        self.assertEqual(len(line), 1)
        self.assertEqual(line.points, self.rule.points)
        self.assertEqual(line.rule_id, self.rule)
        self.assertEqual(line.referral_id, referral)
        self.assertNotIn("Ned", line.note or "", "the ledger names nobody")
        self.assertEqual(referral.state, "awarded")
        self.assertEqual(referral.transaction_id, line)
        self.referrer.invalidate_cache()
        self.assertEqual(self.referrer.ambassador_balance,
                         balance + self.rule.points)
        # Suspended, then activated again by staff: no second award.
        referee.sudo(self.staff_user).action_ambassador_suspend()
        referee.sudo(self.staff_user).action_ambassador_activate()
        self.Referral._award_for_referees(referee)
        self.assertEqual(len(self.referral_lines()), 1)

    def test_staff_activation_awards_too(self):
        referee = self.make_ambassador("Cara Candidate", state="candidate")
        as_engine(self.Referral)._record(referee, self.referrer)
        referee.sudo(self.staff_user).action_ambassador_activate()
        self.assertEqual(len(self.referral_lines()), 1)

    def test_existing_contact_gets_its_referrer_at_confirmation(self):
        known = self.Partner.create(
            {"name": "Kim Known", "email": "kim.known@example.org"})
        signup = self.signup(email="kim.known@example.org", name="Kim Known")
        self.assertEqual(signup.partner_id, known)
        self.assertEqual(signup.referrer_id, self.referrer)
        self.assertFalse(known.sudo().ambassador_referrer_id,
                         "typing a known address changes nothing")
        self.assertFalse(self.Referral.search([("referee_id", "=", known.id)]))
        signup._confirm("192.0.2.51")
        known.invalidate_cache()
        self.assertEqual(known.sudo().ambassador_referrer_id, self.referrer)
        self.assertEqual(len(self.referral_lines()), 1)

    def test_first_referrer_holds_and_self_referral_is_refused(self):
        signup = self.signup()
        second = self.make_ambassador("Sam Second")
        referral = as_engine(self.Referral)._record(signup.partner_id, second)
        self.assertEqual(referral.referrer_id, self.referrer)
        self.assertFalse(as_engine(self.Referral)._record(self.referrer,
                                                          self.referrer))

    def test_bad_code_is_ignored(self):
        signup = self.signup(ref="nosuchcode123")
        self.assertEqual(signup.state, "pending")
        self.assertFalse(signup.referrer_id)
        self.assertFalse(signup.partner_id.ambassador_referrer_id)

    def test_known_ambassador_signing_up_again_brings_nothing(self):
        member = self.make_ambassador("Mia Member")
        signup = self.signup(email=member.email, name="Mia Member")
        self.assertEqual(signup.state, "duplicate")
        self.assertFalse(self.Referral.search([("referee_id", "=", member.id)]))

    def test_referrer_no_longer_active_earns_nothing(self):
        signup = self.signup()
        as_engine(self.referrer).write({"ambassador_state": "suspended"})
        signup._confirm("192.0.2.52")
        referral = self.Referral.search([("referee_id", "=", signup.partner_id.id)])
        self.assertEqual(referral.state, "withheld")
        self.assertEqual(referral.withheld_reason, "referrer_inactive")
        self.assertFalse(self.referral_lines())

    def test_yearly_cap_holds(self):
        self.rule.write({"yearly_cap": self.rule.points})
        first = self.signup()
        first._confirm("192.0.2.53")
        second = self.signup(email="zoe.second@example.org", name="Zoe Second",
                             ip="192.0.2.200")
        second._confirm("192.0.2.54")
        self.assertEqual(sum(self.referral_lines().mapped("points")),
                         self.rule.points)


class TestReferralReversal(ReferralCase):

    def exclude(self, partner):
        incident = self.env["ambassador.incident"].sudo(self.staff_user).create(
            {"name": "Fake account", "partner_id": partner.id,
             "sanction": "exclusion"})
        incident.action_decide()

    def awarded_referee(self):
        signup = self.signup()
        signup._confirm("192.0.2.60")
        return signup.partner_id, self.Referral.search(
            [("referee_id", "=", signup.partner_id.id)])

    def test_exclusion_within_the_window_reverses(self):
        referee, referral = self.awarded_referee()
        balance = self.referrer.ambassador_balance
        self.exclude(referee)
        self.assertEqual(referral.state, "reversed")
        reversal = referral.reversal_id
        self.assertEqual(reversal.origin, "reversal")
        self.assertEqual(reversal.reversed_transaction_id, referral.transaction_id)
        self.assertEqual(reversal.points, -self.rule.points)
        self.referrer.invalidate_cache()
        self.assertEqual(self.referrer.ambassador_balance,
                         balance - self.rule.points)

    def test_exclusion_after_the_window_or_leaving_keeps_the_points(self):
        referee, referral = self.awarded_referee()
        referee.sudo(self.staff_user).action_ambassador_leave()
        self.assertEqual(referral.state, "awarded", "leaving is the person's right")
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.referral_reversal_days", "30")
        old = fields.Datetime.to_string(datetime.utcnow() - timedelta(days=31))
        self.env.cr.execute("UPDATE ambassador_referral SET activation_date = %s "
                            "WHERE id = %s", (old, referral.id))
        referral.invalidate_cache()
        self.exclude(referee)
        self.assertEqual(referral.state, "awarded")
        self.assertFalse(referral.transaction_id.reversal_ids)


class TestReferralAbuse(ReferralCase):

    def confirm(self, **extra):
        signup = self.signup(**extra)
        signup._confirm("192.0.2.70")
        return self.Referral.search([("referee_id", "=", signup.partner_id.id)])

    def assert_withheld(self, referral, flag):
        self.assertTrue(referral[flag], flag)
        self.assertTrue(referral.abuse_flagged)
        self.assertEqual(referral.state, "withheld")
        self.assertEqual(referral.withheld_reason, "abuse")
        self.assertFalse(self.referral_lines())
        self.assertIn(referral.flag_summary,
                      [referral._fields[flag].string])

    def test_same_mailbox(self):
        # rita.referrer@example.com, written otherwise.
        self.assert_withheld(
            self.confirm(email="Rita.Referrer+bis@example.com"), "flag_same_email")

    def test_disposable_domain(self):
        self.assert_withheld(self.confirm(email="someone@yopmail.com"),
                             "flag_disposable_domain")

    def test_disposable_list_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.referral_disposable_domains", "throwaway.example")
        self.assert_withheld(self.confirm(email="x@throwaway.example"),
                             "flag_disposable_domain")

    def test_same_postal_address(self):
        as_engine(self.referrer).write(
            {"street": "3 Place du Marché", "zip": "69001", "city": "Lyon"})
        signup = self.signup()
        as_engine(signup.partner_id).write(
            {"street": "3, place du marche", "zip": "69001", "city": "LYON"})
        signup._confirm("192.0.2.71")
        self.assert_withheld(
            self.Referral.search([("referee_id", "=", signup.partner_id.id)]),
            "flag_same_address")

    def test_same_network_as_the_referrers_signin(self):
        self.env["res.partner"]._ambassador_note_signin(self.referrer, "203.0.113.9")
        self.assert_withheld(self.confirm(ip="203.0.113.200"), "flag_same_network")

    def test_same_ipv6_network_as_the_referrers_signup(self):
        self.env["ambassador.signup.request"].create(
            {"partner_id": self.referrer.id, "segment_id": self.invest.id,
             "email": self.referrer.email, "ip_address": "2001:db8:5:6::1",
             "state": "confirmed"})
        self.assert_withheld(self.confirm(ip="2001:db8:5:6:aaaa::9"),
                             "flag_same_network")

    def test_old_signin_network_does_not_count(self):
        self.env["res.partner"]._ambassador_note_signin(self.referrer, "203.0.113.9")
        old = fields.Datetime.to_string(datetime.utcnow() - timedelta(days=45))
        self.env.cr.execute("UPDATE res_partner SET ambassador_signin_date = %s "
                            "WHERE id = %s", (old, self.referrer.id))
        self.referrer.invalidate_cache()
        referral = self.confirm(ip="203.0.113.200")
        self.assertEqual(referral.state, "awarded")

    def test_other_network_is_fine(self):
        self.env["res.partner"]._ambassador_note_signin(self.referrer, "203.0.113.9")
        self.assertEqual(self.confirm(ip="198.51.100.7").state, "awarded")


class TestReferralSecurity(ReferralCase):

    def test_nobody_forges_a_referrer_a_code_or_an_award_over_rpc(self):
        referee = self.make_ambassador("Fay Forger", state="candidate")
        forger = self.make_portal_user(referee)
        for user in (forger, self.staff_user, self.manager_user):
            for values in ({"ambassador_referrer_id": self.referrer.id},
                           {"ambassador_referral_code": "MyOwnCode123"}):
                with self.assertRaises(AccessError):
                    api.call_kw(self.Partner.sudo(user), "write",
                                [referee.ids, values], {})
        with self.assertRaises(AccessError):
            api.call_kw(self.Referral.sudo(forger), "create",
                        [{"referrer_id": self.referrer.id,
                          "referee_id": referee.id}], {})
        with self.assertRaises(AccessError):
            api.call_kw(self.Referral.sudo(self.staff_user), "create",
                        [{"referrer_id": self.referrer.id,
                          "referee_id": referee.id}], {})
        # The award is private (JSON-RPC refuses the name) and the ledger
        # refuses portal users.
        with self.assertRaises(AccessError):
            check_method_name("_award_for_referees")
        with self.assertRaises(AccessError):
            api.call_kw(self.Ledger.sudo(forger), "create",
                        [{"partner_id": self.referrer.id, "points": 2,
                          "origin": "referral"}], {})
        # Staff read the referrals, portal users do not.
        referral = as_engine(self.Referral)._record(referee, self.referrer)
        self.assertEqual(self.Referral.sudo(self.staff_user).search(
            [("id", "=", referral.id)]), referral)
        with self.assertRaises(AccessError):
            self.Referral.sudo(self.referrer_user).search([("id", "=", referral.id)])
        with self.assertRaises(AccessError):
            referee.sudo(forger).read(["ambassador_referrer_id"])


@common.at_install(False)
@common.post_install(True)
class TestReferralConcurrency(common.TransactionCase):
    """Two activations of one referee at the same moment, on committed data:
    its referrer earns one award."""

    def setUp(self):
        super(TestReferralConcurrency, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invest = env.ref("ambassador_program.segment_invest")
            Partner = env["res.partner"]
            referrer = Partner.create(
                {"name": "Concurrent Referrer", "email": "cref@example.com",
                 "ambassador_state": "active", "ambassador_segment_id": invest.id})
            referee = Partner.create(
                {"name": "Concurrent Referee", "email": "cree@example.com",
                 "ambassador_state": "active", "ambassador_segment_id": invest.id})
            referral = as_engine(env["ambassador.referral"])._record(
                referee, referrer)
            self.ids = (referrer.id, referee.id, referral.id)
        self.addCleanup(self.clean_up)

    def clean_up(self):
        referrer_id, referee_id, referral_id = self.ids
        partners = (referrer_id, referee_id)
        with self.registry.cursor() as cr:
            # Test clean-up only: the append-only trigger is lifted inside this
            # one transaction (DDL is transactional, no other session sees it).
            cr.execute("ALTER TABLE ambassador_point_transaction"
                       " DISABLE TRIGGER ambassador_point_transaction_append_only")
            cr.execute("UPDATE ambassador_referral SET transaction_id = NULL,"
                       " reversal_id = NULL WHERE id = %s", (referral_id,))
            cr.execute("DELETE FROM ambassador_point_transaction"
                       " WHERE partner_id IN %s", (partners,))
            cr.execute("ALTER TABLE ambassador_point_transaction"
                       " ENABLE TRIGGER ambassador_point_transaction_append_only")
            cr.execute("DELETE FROM ambassador_referral WHERE id = %s",
                       (referral_id,))
            cr.execute("DELETE FROM ambassador_promotion WHERE partner_id IN %s",
                       (partners,))
            cr.execute("DELETE FROM res_partner WHERE id IN %s", (partners,))

    def test_two_activations_at_once_award_once(self):
        registry = self.registry
        referee_id = self.ids[1]
        barrier = threading.Barrier(2)
        outcomes = []

        def run():
            try:
                with api.Environment.manage(), registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=10)
                    env["ambassador.referral"]._award_for_referees(
                        env["res.partner"].browse(referee_id))
                outcomes.append("ok")
            except Exception as error:  # the loser fails, whatever the way
                outcomes.append(type(error).__name__)

        with mute_logger("odoo.sql_db"):
            threads = [threading.Thread(target=run) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertIn("ok", outcomes)
        with registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM ambassador_point_transaction"
                       " WHERE referral_id = %s AND origin = 'referral'",
                       (self.ids[2],))
            self.assertEqual(cr.fetchone()[0], 1, outcomes)
            cr.execute("SELECT state FROM ambassador_referral WHERE id = %s",
                       (self.ids[2],))
            self.assertEqual(cr.fetchone()[0], "awarded")

    def test_the_database_refuses_a_second_award_line(self):
        registry = self.registry
        referrer_id, _referee_id, referral_id = self.ids
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ambassador.referral"]._award_for_referees(
                env["res.partner"].browse(self.ids[1]))
        with registry.cursor() as cr, mute_logger("odoo.sql_db"):
            env = api.Environment(cr, SUPERUSER_ID, {})
            with self.assertRaises(Exception) as caught:
                as_engine(env["ambassador.point.transaction"])._award([{
                    "partner_id": referrer_id, "points": 2, "origin": "referral",
                    "referral_id": referral_id}])
            self.assertIn("referral_once", str(caught.exception))
            cr.rollback()


class TestReferralDemo(common.TransactionCase):
    """The demo shows referrals: two awarded, one waiting for confirmation."""

    def test_demo_referrals(self):
        lucas = self.env.ref("ambassador_program.ambassador_lucas",
                             raise_if_not_found=False)
        if not lucas:
            self.skipTest("installed without demo data")
        Referral = self.env["ambassador.referral"]
        claire = self.env.ref("ambassador_program.ambassador_claire")
        made = Referral.search([("referrer_id", "=", claire.id)])
        self.assertEqual(sorted(made.mapped("state")), ["awarded", "recorded"])
        self.assertEqual(lucas.ambassador_referrer_id, claire)
        self.assertEqual(lucas.ambassador_state, "active")
        priya = self.env.ref("ambassador_program.ambassador_priya")
        line = Referral.search([("referee_id", "=", priya.id)]).transaction_id
        self.assertEqual(line.partner_id,
                         self.env.ref("ambassador_program.ambassador_karim"))
        self.assertEqual(line.origin, "referral")
