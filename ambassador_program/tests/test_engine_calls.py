"""Issue 9: one award path evaluates tiers once, whatever the caller, and an
empty scope evaluates nobody. Counts the calls of the engine's own method."""
from contextlib import contextmanager

from .common import AmbassadorCase


class TestEngineCalls(AmbassadorCase):

    @contextmanager
    def count_evaluations(self):
        """Counts engine evaluations and the contacts each one covers, by
        wrapping the engine's method for the duration of the block."""
        Engine = type(self.env["ambassador.status.engine"])
        original = Engine._evaluate
        calls = []

        def counting(engine, partners):
            partners = engine._partners(partners)
            calls.append(partners.ids)
            return original(engine, partners)

        Engine._evaluate = counting
        try:
            yield calls
        finally:
            Engine._evaluate = original

    def test_one_approval_of_several_proofs_evaluates_once(self):
        ann = self.make_ambassador("Ann Calls")
        bob = self.make_ambassador("Bob Calls")
        proofs = self.make_proof(ann) | self.make_proof(ann) | self.make_proof(bob)
        with self.count_evaluations() as calls:
            proofs.sudo(self.staff_user).action_approve()
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(sorted(calls[0]), sorted((ann | bob).ids))
        self.assertEqual(ann.ambassador_tier_id, self.silver, "30 points: Silver")

    def test_one_attendance_of_several_rows_evaluates_once(self):
        event = self.env["event.event"].create(
            {
                "name": "Calls evening",
                "date_begin": "2026-12-01 18:00:00",
                "date_end": "2026-12-01 21:00:00",
                "ambassador_attendance_rule_id": self.env.ref(
                    "ambassador_program.rule_event_attendance"
                ).id,
            }
        )
        ambassadors = [self.make_ambassador("Att Calls %d" % n) for n in range(3)]
        registrations = self.env["event.registration"].browse()
        for partner in ambassadors:
            registrations |= self.env["event.registration"].create(
                {"event_id": event.id, "partner_id": partner.id}
            )
        with self.count_evaluations() as calls:
            registrations.write({"state": "done"})
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(len(calls[0]), 3)

    def test_one_reversal_of_several_lines_evaluates_once(self):
        cid = self.make_ambassador("Cid Calls", points=20)
        dee = self.make_ambassador("Dee Calls", points=20)
        lines = (cid | dee).mapped("ambassador_transaction_ids")
        with self.count_evaluations() as calls:
            lines.sudo(self.staff_user).action_reverse("Counted twice")
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(cid.ambassador_tier_id, self.ivory, "back under Silver")

    def test_empty_scope_evaluates_nobody(self):
        eve = self.make_ambassador("Eve Calls")
        self.Ledger._award([])
        self.env.cr.execute(
            "UPDATE res_partner SET ambassador_balance = 500 WHERE id = %s",
            (eve.id,),
        )
        eve.invalidate_cache()
        moves = self.env["ambassador.status.engine"]._evaluate(self.Partner)
        self.assertEqual(moves, {})
        self.Proof.browse().action_approve()
        self.assertEqual(self.Ledger._recompute_balances(self.Partner), 0)
        eve.invalidate_cache()
        self.assertEqual(eve.ambassador_tier_id, self.ivory, "nobody evaluated")
        self.assertEqual(eve.ambassador_balance, 500, "nobody recomputed")
