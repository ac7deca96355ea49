"""Issue 8: who may change tiers, balances, status changes, life-cycle states
and consents, whatever the route (ORM as each user, as RPC would)."""
import threading

from odoo import api
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from ..models.authority import CONTEXT_KEY, as_engine, is_engine
from .common import AmbassadorCase


class TestEngineAuthority(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestEngineAuthority, cls).setUpClass()
        cls.gus = cls.make_ambassador("Gus Gold", points=120)
        proposal = cls.Promotion.search(
            [("partner_id", "=", cls.gus.id), ("state", "=", "proposed")]
        )
        proposal.sudo(cls.committee_user).action_approve()
        cls.ivy = cls.make_ambassador("Ivy Ivory")
        cls.contact_manager = cls._make_user(
            "contacts",
            [cls.env.ref("base.group_user"), cls.env.ref("base.group_partner_manager")],
        )

    def test_capability_cannot_be_forged_by_a_context(self):
        """What JSON-RPC can put in a context (strings, numbers) is no authority,
        even the very string the token reads as."""
        # Odoo reuses an Environment whose context compares equal: an engine
        # environment made first must not be handed to a forged context.
        self.assertTrue(is_engine(as_engine(self.Partner).env))
        for forged in ("ambassador-engine", True, 1, {"x": 1}):
            env = self.env(context={CONTEXT_KEY: forged})
            self.assertFalse(is_engine(env), forged)
        self.assertTrue(is_engine(as_engine(self.Partner).env))

    def test_superuser_without_capability_cannot_write_engine_fields(self):
        """admin is uid 1 in Odoo 11: over RPC it is the superuser, yet balances,
        tiers and applied status changes stay the engine's."""
        admin = self.env["res.partner"].sudo()
        self.assertEqual(admin.env.uid, 1)
        for values in (
            {"ambassador_balance": 5000},
            {"ambassador_tier_id": self.platinum.id},
            {"ambassador_tier_valid_until": "2099-01-01"},
        ):
            with self.assertRaises(AccessError):
                admin.browse(self.ivy.id).write(values)
        with self.assertRaises(AccessError):
            admin.create(
                {"name": "Forged", "ambassador_state": "active",
                 "ambassador_segment_id": self.invest.id,
                 "ambassador_tier_id": self.platinum.id}
            )
        with self.assertRaises(AccessError):
            self.env["ambassador.status.engine"].sudo()._set_tiers(
                self.ivy, self.platinum
            )
        forged = self.Promotion.sudo().create(
            {"partner_id": self.ivy.id, "to_tier_id": self.platinum.id,
             "state": "applied", "reason": "points", "from_tier_id": self.gold.id,
             "valid_until": "2099-01-01"}
        )
        self.assertEqual(
            (forged.state, forged.reason, forged.from_tier_id, forged.valid_until),
            ("proposed", "manual", self.ivory, False),
        )
        with self.assertRaises(AccessError):
            forged.sudo().write({"state": "applied"})
        self.ivy.invalidate_cache()
        self.assertEqual(
            (self.ivy.ambassador_tier_id, self.ivy.ambassador_balance),
            (self.ivory, 0),
        )

    def test_committee_check_uses_the_real_tier(self):
        """A programme user outside the committee cannot lower a Gold ambassador
        by forging the tier the change leaves, nor by moving a harmless
        proposal onto the Gold ambassador."""
        Staff = self.Promotion.sudo(self.staff_user)
        forged = Staff.create(
            {"partner_id": self.gus.id, "from_tier_id": self.ivory.id,
             "to_tier_id": self.silver.id}
        )
        self.assertEqual(forged.from_tier_id, self.gold, "the real tier is recorded")
        with self.assertRaises(AccessError):
            forged.action_approve()
        self.gus.invalidate_cache()
        self.assertEqual(self.gus.ambassador_tier_id, self.gold)
        # A proposal prepared for an Ivory ambassador and moved onto the Gold
        # one by a committee member is judged on the tier Gus holds when decided.
        moved = Staff.create({"partner_id": self.ivy.id, "to_tier_id": self.silver.id})
        moved.sudo(self.committee_user).write({"partner_id": self.gus.id})
        with self.assertRaises(AccessError):
            moved.action_approve()
        self.assertEqual(self.gus.ambassador_tier_id, self.gold)
        # The committee itself may decide it.
        moved.sudo(self.committee_user).action_approve()
        self.assertEqual(self.gus.ambassador_tier_id, self.silver)

    def test_state_changes_only_through_the_actions(self):
        for user in (self.contact_manager, self.staff_user, self.manager_user):
            with self.assertRaises(AccessError):
                self.ivy.sudo(user).write({"ambassador_state": "suspended"})
        with self.assertRaises(AccessError):
            self.ivy.sudo(self.contact_manager).action_ambassador_suspend()
        self.ivy.sudo(self.staff_user).action_ambassador_suspend()
        self.assertEqual(self.ivy.ambassador_state, "suspended")
        with self.assertRaises(AccessError):
            self.Partner.sudo(self.contact_manager).create(
                {"name": "Self-made", "ambassador_state": "active",
                 "ambassador_segment_id": self.invest.id}
            )

    def test_consents_are_the_data_subjects(self):
        fields = {"ambassador_show_email": True, "ambassador_consent_wall": True}
        # An employee who may edit contacts cannot publish someone's e-mail.
        with self.assertRaises(AccessError):
            self.ivy.sudo(self.contact_manager).write(fields)
        # Programme staff neither, without saying why.
        with self.assertRaises(AccessError):
            self.ivy.sudo(self.staff_user).write(fields)
        with self.assertRaises(AccessError):
            self.ivy.sudo(self.staff_user).with_context(
                ambassador_consent_reason="  "
            ).write(fields)
        with self.assertRaises(AccessError):
            self.Partner.sudo(self.staff_user).create(
                {"name": "Opted in by staff", "ambassador_show_email": True}
            )
        # Someone else's consents cannot go through the data subject's channel.
        with self.assertRaises(AccessError):
            self.ivy.sudo(self.staff_user)._ambassador_set_consents(fields, "portal")
        self.assertFalse(self.ivy.ambassador_show_email)
        self.assertFalse(self.ivy.ambassador_consent_ids)
        # Staff with a reason: recorded, with the reason and who recorded it.
        Wizard = self.env["ambassador.consent.wizard"].sudo(self.staff_user)
        wizard = Wizard.with_context(active_id=self.ivy.id).create(
            {"reason": "Letter of 3 May", "ambassador_show_email": True}
        )
        wizard.action_record()
        self.assertTrue(self.ivy.ambassador_show_email)
        log = self.ivy.ambassador_consent_ids
        self.assertEqual(
            [(c.purpose, c.granted, c.channel, c.reason, c.user_id) for c in log],
            [("directory_email", True, "staff", "Letter of 3 May", self.staff_user)],
        )

    def test_portal_ambassador_changes_only_its_own_consents(self):
        ivy_user = self.make_portal_user(self.ivy)
        gus_user = self.make_portal_user(self.gus)
        self.ivy.sudo(ivy_user)._ambassador_set_consents(
            {"ambassador_show_city": True}, "portal", "198.51.100.1"
        )
        self.assertTrue(self.ivy.ambassador_show_city)
        with self.assertRaises(AccessError):
            self.ivy.sudo(gus_user)._ambassador_set_consents(
                {"ambassador_show_city": False}, "portal"
            )
        with self.assertRaises(AccessError):
            self.ivy.sudo(ivy_user).write({"ambassador_show_email": True})
        self.assertTrue(self.ivy.ambassador_show_city)

    def test_ambassador_links_are_http_only(self):
        for link in ("javascript:alert(1)", "data:text/html,<script>x</script>"):
            with self.assertRaises(ValidationError):
                self.ivy.sudo(self.staff_user).write({"website": link})
        self.ivy.sudo(self.staff_user).write({"website": "https://ivy.example.org"})
        self.assertEqual(self.ivy.website, "https://ivy.example.org")

    def test_committee_notes_and_deciders_are_staff_only(self):
        gus_user = self.make_portal_user(self.gus)
        history = self.Promotion.sudo(gus_user).search(
            [("partner_id", "=", self.gus.id)]
        )
        self.assertTrue(history, "the ambassador reads its status history")
        for field in ("committee_notes", "decided_by_id"):
            with self.assertRaises(AccessError):
                history.read([field])
            self.assertNotIn(field, history.read()[0])
        proof = self.make_proof(self.gus)
        proof.action_approve()
        with self.assertRaises(AccessError):
            proof.sudo(gus_user).read(["decided_by_id"])
        staff_view = self.Promotion.sudo(self.staff_user).browse(history.ids)
        self.assertTrue(staff_view.read(["committee_notes", "decided_by_id"]))


@common.at_install(False)
@common.post_install(True)
class TestConcurrentQuotas(common.TransactionCase):
    """Quotas and the yearly cap hold when requests arrive at the same moment.
    Committed data in separate cursors (a real race), cleaned up after."""

    def race(self, *jobs):
        """Run each job(env) in its own transaction; they all take their
        snapshot, then start together. Returns their outcomes."""
        barrier = threading.Barrier(len(jobs))
        outcomes = [None] * len(jobs)

        def run(index, job):
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = api.Environment(cr, 1, {})
                try:
                    cr.execute("SELECT 1")  # the transaction's snapshot
                    barrier.wait(timeout=10)
                    outcomes[index] = job(env)
                    # its own cursor, in its own thread: the race needs commits
                    cr.commit()  # pylint: disable=invalid-commit
                except Exception as error:  # the loser fails, whatever the way
                    cr.rollback()
                    outcomes[index] = type(error).__name__

        with mute_logger("odoo.sql_db"):
            threads = [threading.Thread(target=run, args=(index, job))
                       for index, job in enumerate(jobs)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        return outcomes

    def committed(self, function):
        with self.registry.cursor() as cr:
            return function(api.Environment(cr, 1, {}))

    def test_directory_cap_holds_under_parallel_pages(self):
        def setup(env):
            env["ir.config_parameter"].set_param(
                "ambassador_program.directory_daily_cap", "2")
            Partner = env["res.partner"].with_context(
                ambassador_consent_reason="Test fixture")
            invest = env.ref("ambassador_program.segment_invest")
            peers = Partner.browse()
            for name in ("Zconc A1", "Zconc A2", "Zconc B1", "Zconc B2", "Zconc Me"):
                peers |= Partner.create({
                    "name": name, "email": "%s@example.com" % name.replace(" ", "."),
                    "ambassador_state": "active", "ambassador_segment_id": invest.id,
                    "ambassador_show_city": True, "city": "Lyon"})
            me = peers[-1]
            as_engine(env["ambassador.status.engine"])._set_tiers(
                me, env.ref("ambassador_program.tier_gold"))
            user = env["res.users"].with_context(no_reset_password=True).create({
                "name": "Zconc Me", "login": "zconc.me@example.com",
                "partner_id": me.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
            return peers.ids, user.id

        old_cap = self.committed(lambda env: env["ir.config_parameter"].get_param(
            "ambassador_program.directory_daily_cap"))
        partner_ids, user_id = self.committed(setup)
        try:
            def page(search):
                def job(env):
                    Views = env["ambassador.directory.view"].sudo(user_id)
                    return len(Views._ambassador_search(search)["people"])
                return job

            outcomes = self.race(page("Zconc A"), page("Zconc B"))
            seen = self.committed(lambda env: env["ambassador.directory.view"]
                                  ._seen_today(env["res.users"].browse(user_id)))
            self.assertLessEqual(len(seen), 2, (outcomes, seen))
            self.assertIn(2, outcomes, "one page was served")
        finally:
            def cleanup(env):
                env.cr.execute(
                    "DELETE FROM ambassador_directory_view WHERE user_id = %s",
                    (user_id,))
                env.cr.execute("DELETE FROM res_users WHERE id = %s", (user_id,))
                env.cr.execute(
                    "DELETE FROM ambassador_promotion WHERE partner_id IN %s",
                    (tuple(partner_ids),))
                env.cr.execute("DELETE FROM res_partner WHERE id IN %s",
                               (tuple(partner_ids),))
                env["ir.config_parameter"].set_param(
                    "ambassador_program.directory_daily_cap", old_cap or "")
            self.committed(cleanup)

    def test_signup_rate_limit_holds_under_parallel_requests(self):
        ip = "198.51.100.%d" % (threading.get_ident() % 200)

        def setup(env):
            env["ir.config_parameter"].set_param(
                "ambassador_program.signup_rate_limit", "1")
            partner = env["res.partner"].create(
                {"name": "Zconc Signup", "email": "zconc.signup@example.com"})
            return partner.id

        old_limit = self.committed(lambda env: env["ir.config_parameter"].get_param(
            "ambassador_program.signup_rate_limit"))
        partner_id = self.committed(setup)
        try:
            def signup(env):
                Request = env["ambassador.signup.request"]
                if Request._rate_limited(ip):
                    return "limited"
                partner = env["res.partner"].browse(partner_id)
                segment = env.ref("ambassador_program.segment_live")
                Request._new_request(partner, segment, ip, "test")
                return "created"

            outcomes = self.race(signup, signup)
            created = self.committed(
                lambda env: env["ambassador.signup.request"].search_count(
                    [("ip_address", "=", ip)]))
            self.assertEqual(created, 1, outcomes)
        finally:
            def cleanup(env):
                env.cr.execute(
                    "DELETE FROM ambassador_signup_request WHERE partner_id = %s",
                    (partner_id,))
                env.cr.execute("DELETE FROM res_partner WHERE id = %s", (partner_id,))
                env["ir.config_parameter"].set_param(
                    "ambassador_program.signup_rate_limit", old_limit or "")
            self.committed(cleanup)

    def test_yearly_cap_holds_for_two_proofs_approved_at_once(self):
        def setup(env):
            invest = env.ref("ambassador_program.segment_invest")
            rule = env["ambassador.point.rule"].create({
                "name": "Zconc capped action", "code": "zconc_capped", "points": 10,
                "yearly_cap": 15,
                "segment_ids": [(6, 0, [invest.id])]})
            partner = env["res.partner"].create({
                "name": "Zconc Capped", "email": "zconc.capped@example.com",
                "ambassador_state": "active",
                "ambassador_segment_id": invest.id})
            proofs = env["ambassador.proof"].browse()
            for index in range(2):
                proofs |= env["ambassador.proof"].create({
                    "name": "Zconc proof %d" % index, "partner_id": partner.id,
                    "rule_id": rule.id})
            return rule.id, partner.id, proofs.ids

        rule_id, partner_id, proof_ids = self.committed(setup)
        try:
            def approve(proof_id):
                def job(env):
                    env["ambassador.proof"].browse(proof_id).action_approve()
                    return "approved"
                return job

            outcomes = self.race(approve(proof_ids[0]), approve(proof_ids[1]))

            def totals(env):
                env.cr.execute(
                    "SELECT COALESCE(SUM(points), 0) FROM ambassador_point_transaction"
                    " WHERE partner_id = %s", (partner_id,))
                ledger = env.cr.fetchone()[0]
                env.cr.execute(
                    "SELECT ambassador_balance FROM res_partner WHERE id = %s",
                    (partner_id,))
                return ledger, env.cr.fetchone()[0]
            ledger, balance = self.committed(totals)
            self.assertIn("approved", outcomes)
            self.assertLessEqual(ledger, 15, outcomes)
            self.assertEqual(ledger, balance)
        finally:
            def cleanup(env):
                env.cr.execute(
                    "ALTER TABLE ambassador_point_transaction"
                    " DISABLE TRIGGER ambassador_point_transaction_append_only")
                env.cr.execute(
                    "DELETE FROM ambassador_point_transaction WHERE partner_id = %s",
                    (partner_id,))
                env.cr.execute(
                    "ALTER TABLE ambassador_point_transaction"
                    " ENABLE TRIGGER ambassador_point_transaction_append_only")
                env.cr.execute("DELETE FROM ambassador_promotion WHERE partner_id = %s",
                               (partner_id,))
                env.cr.execute(
                    "DELETE FROM mail_message WHERE model = 'ambassador.proof'"
                    " AND res_id IN %s", (tuple(proof_ids),))
                env.cr.execute("DELETE FROM ambassador_proof WHERE id IN %s",
                               (tuple(proof_ids),))
                env.cr.execute("DELETE FROM res_partner WHERE id = %s", (partner_id,))
                env.cr.execute("DELETE FROM ambassador_point_rule WHERE id = %s",
                               (rule_id,))
            self.committed(cleanup)
