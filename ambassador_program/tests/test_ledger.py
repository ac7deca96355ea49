import threading

import psycopg2

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import common
from odoo.tools import mute_logger

from .common import AmbassadorCase


class TestLedger(AmbassadorCase):
    """Append-only points ledger, proofs and balances."""

    def assert_balance_is_ledger_sum(self, partner):
        partner.invalidate_cache()
        lines = self.Ledger.search(
            [
                ("partner_id", "=", partner.id),
                ("segment_id", "=", partner.ambassador_segment_id.id),
            ]
        )
        self.assertEqual(partner.ambassador_balance, sum(lines.mapped("points")))
        self.assertFalse(self.Ledger._balance_mismatches() & partner)

    def test_approval_creates_exactly_one_line(self):
        alice = self.make_ambassador("Alice Invest")
        proof = self.make_proof(alice, self.rule_press)
        proof.sudo(self.staff_user).action_approve()
        self.assertEqual(proof.state, "approved")
        self.assertEqual(len(proof.transaction_ids), 1)
        line = proof.transaction_ids
        self.assertEqual(
            (line.points, line.origin, line.rule_id), (5, "proof", self.rule_press)
        )
        self.assertEqual(proof.decided_by_id, self.staff_user)
        self.assertEqual(alice.ambassador_balance, 5)
        with self.assertRaises(UserError):
            proof.sudo(self.staff_user).action_approve()
        self.assertEqual(len(proof.transaction_ids), 1)
        self.assert_balance_is_ledger_sum(alice)

    def test_database_refuses_a_second_award_for_a_proof(self):
        bob = self.make_ambassador("Bob Invest")
        proof = self.make_proof(bob)
        proof.action_approve()
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """INSERT INTO ambassador_point_transaction
                       (partner_id, segment_id, points, origin, proof_id, date)
                       VALUES (%s, %s, 15, 'proof', %s, now())""",
                    (bob.id, bob.ambassador_segment_id.id, proof.id),
                )

    def test_ledger_lines_cannot_be_edited_or_deleted(self):
        carol = self.make_ambassador("Carol Invest", points=7)
        line = carol.ambassador_transaction_ids
        with self.assertRaises(UserError):
            line.write({"points": 700})
        with self.assertRaises(UserError):
            line.unlink()
        # Not even with SQL: the trigger guards the table itself.
        for statement in (
            "UPDATE ambassador_point_transaction SET points = 700 WHERE id = %s",
            "DELETE FROM ambassador_point_transaction WHERE id = %s",
        ):
            with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    self.env.cr.execute(statement, (line.id,))
        self.assertEqual(carol.ambassador_balance, 7)

    def test_rejection_needs_a_reason_and_awards_nothing(self):
        dan = self.make_ambassador("Dan Invest")
        proof = self.make_proof(dan)
        with self.assertRaises(UserError):
            proof.action_reject("   ")
        self.assertEqual(proof.state, "submitted")
        wizard = (
            self.env["ambassador.proof.reject.wizard"]
            .sudo(self.staff_user)
            .create({"proof_ids": [(6, 0, proof.ids)], "reason": "The link is broken."})
        )
        wizard.action_reject()
        self.assertEqual(proof.state, "rejected")
        self.assertEqual(proof.rejection_reason, "The link is broken.")
        self.assertFalse(proof.transaction_ids)
        with self.assertRaises(UserError):
            proof.action_approve()
        self.assert_balance_is_ledger_sum(dan)

    def test_decision_fields_are_not_writable(self):
        eve = self.make_ambassador("Eve Invest")
        proof = self.make_proof(eve)
        with self.assertRaises(UserError):
            proof.sudo(self.staff_user).write({"state": "approved"})
        forged = self.Proof.sudo(self.staff_user).create(
            {
                "name": "Forged",
                "partner_id": eve.id,
                "rule_id": self.rule_partnership.id,
                "state": "approved",
            }
        )
        self.assertEqual(forged.state, "submitted")
        self.assertFalse(eve.ambassador_transaction_ids)

    def test_reversal_keeps_balance_equal_to_ledger(self):
        fay = self.make_ambassador("Fay Invest")
        proofs = self.make_proof(fay, self.rule_company) | self.make_proof(fay)
        proofs.action_approve()
        self.assertEqual(fay.ambassador_balance, 65)
        self.make_proof(fay).action_reject("Duplicate")
        company_line = proofs[0].transaction_ids
        wizard = (
            self.env["ambassador.transaction.reverse.wizard"]
            .sudo(self.staff_user)
            .create(
                {"transaction_ids": [(6, 0, company_line.ids)], "reason": "Not foreign"}
            )
        )
        wizard.action_reverse()
        self.assertEqual(fay.ambassador_balance, 15)
        reversal = company_line.reversal_ids
        self.assertEqual((reversal.points, reversal.origin), (-50, "reversal"))
        self.assertEqual(proofs[0].points_awarded, 0)
        with self.assertRaises(UserError):
            company_line.action_reverse()
        with self.assertRaises(UserError):
            reversal.action_reverse()
        self.assert_balance_is_ledger_sum(fay)

    def test_suspended_and_candidates_earn_nothing(self):
        gil = self.make_ambassador("Gil Invest")
        proof = self.make_proof(gil)
        gil.sudo(self.staff_user).action_ambassador_suspend()
        self.assertEqual(gil.ambassador_state, "suspended")
        with self.assertRaises(UserError):
            proof.action_approve()
        self.assertEqual(proof.state, "submitted")
        self.assertEqual(gil.ambassador_balance, 0)
        candidate = self.make_ambassador("Hal Candidate", state="candidate")
        with self.assertRaises(UserError):
            self.Ledger.create({"partner_id": candidate.id, "points": 3})
        with self.assertRaises(UserError):
            self.Ledger.create(
                {"partner_id": self.staff_user.partner_id.id, "points": 3}
            )

    def test_yearly_cap(self):
        ivy = self.make_ambassador("Ivy Live", segment=self.live)
        self.assertEqual(self.rule_video.yearly_cap, 12)
        awarded = []
        for index in range(14):
            proof = self.make_proof(ivy, self.rule_video, name="Video %d" % index)
            proof.action_approve()
            awarded.append(proof.transaction_ids.points)
        self.assertEqual(sum(awarded), 12)
        self.assertEqual(awarded[-1], 0)
        self.assertEqual(proof.transaction_ids.capped_points, 1)
        self.assertEqual(
            len(ivy.ambassador_transaction_ids), 14, "one line per approval"
        )
        self.assert_balance_is_ledger_sum(ivy)

    def test_rule_must_apply_to_segment_and_press_needs_evidence(self):
        jo = self.make_ambassador("Jo Live", segment=self.live)
        with self.assertRaises(ValidationError):
            self.make_proof(jo, self.rule_company)
        with self.assertRaises(ValidationError):
            self.Proof.create(
                {"name": "Article", "partner_id": jo.id, "rule_id": self.rule_press.id}
            )

    def test_segment_change_recomputes_balance(self):
        kim = self.make_ambassador("Kim Invest", points=12)
        kim.write({"ambassador_segment_id": self.study.id})
        self.assertEqual(kim.ambassador_balance, 0, "the balance is per segment")
        kim.write({"ambassador_segment_id": self.invest.id})
        self.assertEqual(kim.ambassador_balance, 12)

    def test_recompute_repairs_drift_set_based(self):
        lea = self.make_ambassador("Lea Invest", points=9)
        max_ = self.make_ambassador("Max Invest", points=4)
        self.env.cr.execute(
            "UPDATE res_partner SET ambassador_balance = 1000 WHERE id = %s", (lea.id,)
        )
        self.assertEqual(self.Ledger._balance_mismatches(), lea)
        self.assertEqual(self.Ledger._recompute_all_balances(), 1)
        self.assertEqual((lea.ambassador_balance, max_.ambassador_balance), (9, 4))
        self.assertFalse(self.Ledger._balance_mismatches())

    def test_balance_is_not_writable(self):
        ned = self.make_ambassador("Ned Invest")
        for user in (self.staff_user, self.manager_user, self.committee_user):
            with self.assertRaises(Exception):
                ned.sudo(user).write({"ambassador_balance": 500})
            with self.assertRaises(Exception):
                ned.sudo(user).write({"ambassador_tier_id": self.platinum.id})
        self.assertEqual(
            (ned.ambassador_balance, ned.ambassador_tier_id), (0, self.ivory)
        )


@common.at_install(False)
@common.post_install(True)
class TestConcurrentApproval(common.TransactionCase):
    """Two users approving the same proof at the same moment award it once.
    Runs on committed data in separate cursors, then cleans up."""

    def test_concurrent_double_approval_awards_once(self):
        registry = self.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, 1, {})
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent Ambassador",
                    "email": "concurrent@example.com",
                    "ambassador_state": "active",
                    "ambassador_segment_id": env.ref(
                        "ambassador_program.segment_invest"
                    ).id,
                }
            )
            proof = env["ambassador.proof"].create(
                {
                    "name": "Concurrent proof",
                    "partner_id": partner.id,
                    "rule_id": env.ref("ambassador_program.rule_partnership").id,
                }
            )
            partner_id, proof_id = partner.id, proof.id
        barrier = threading.Barrier(2)
        outcomes = []

        def approve():
            with api.Environment.manage(), registry.cursor() as cr:
                env = api.Environment(cr, 1, {})
                try:
                    barrier.wait(timeout=10)
                    env["ambassador.proof"].browse(proof_id).action_approve()
                    # its own cursor, in its own thread: the race needs commits
                    cr.commit()  # pylint: disable=invalid-commit
                    outcomes.append("approved")
                except Exception as error:  # the loser fails, whatever the way
                    cr.rollback()
                    outcomes.append(type(error).__name__)

        try:
            with mute_logger("odoo.sql_db"):
                threads = [threading.Thread(target=approve) for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
            self.assertEqual(outcomes.count("approved"), 1, outcomes)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT COUNT(*), SUM(points) FROM ambassador_point_transaction"
                    " WHERE proof_id = %s",
                    (proof_id,),
                )
                self.assertEqual(cr.fetchone(), (1, 15))
                cr.execute(
                    "SELECT ambassador_balance FROM res_partner WHERE id = %s",
                    (partner_id,),
                )
                self.assertEqual(cr.fetchone()[0], 15)
        finally:
            with registry.cursor() as cr:
                # Test clean-up only: the append-only trigger is lifted inside this
                # one transaction (DDL is transactional, no other session sees it).
                cr.execute(
                    "ALTER TABLE ambassador_point_transaction"
                    " DISABLE TRIGGER ambassador_point_transaction_append_only"
                )
                cr.execute(
                    "DELETE FROM ambassador_point_transaction WHERE partner_id = %s",
                    (partner_id,),
                )
                cr.execute(
                    "ALTER TABLE ambassador_point_transaction"
                    " ENABLE TRIGGER ambassador_point_transaction_append_only"
                )
                cr.execute(
                    "DELETE FROM ambassador_promotion WHERE partner_id = %s",
                    (partner_id,),
                )
                cr.execute("DELETE FROM ambassador_proof WHERE id = %s", (proof_id,))
                cr.execute(
                    "DELETE FROM mail_message WHERE model = 'ambassador.proof'"
                    " AND res_id = %s",
                    (proof_id,),
                )
                cr.execute("DELETE FROM res_partner WHERE id = %s", (partner_id,))
