from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from ..models.authority import as_engine
from .common import AmbassadorCase


class TestStatusEngine(AmbassadorCase):
    """Silver by points, Gold/Platinum by committee, the yearly review."""

    def gold_ambassador(self, name, valid_until=None):
        partner = self.make_ambassador(name, points=120)
        proposal = self.Promotion.search(
            [("partner_id", "=", partner.id), ("state", "=", "proposed")]
        )
        proposal.sudo(self.committee_user).action_approve()
        if valid_until:
            self.env["ambassador.status.engine"]._set_validity(partner, valid_until)
        return partner

    def test_new_ambassador_is_ivory(self):
        partner = self.make_ambassador(
            "Nina Study", segment=self.study, state="candidate"
        )
        self.assertEqual(partner.ambassador_tier_id, self.ivory)
        self.assertEqual(partner.ambassador_next_tier_id, self.silver)
        self.assertEqual(partner.ambassador_points_to_next, 15)

    def test_silver_is_automatic_and_logged(self):
        olga = self.make_ambassador("Olga Invest")
        self.make_proof(olga, self.rule_partnership).action_approve()
        self.assertEqual(olga.ambassador_tier_id, self.ivory, "15 < 20 points")
        self.assertAlmostEqual(olga.ambassador_progress, 75.0)
        self.make_proof(olga, self.rule_press).action_approve()
        self.assertEqual(olga.ambassador_balance, 20)
        self.assertEqual(olga.ambassador_tier_id, self.silver)
        log = olga.ambassador_promotion_ids.filtered(
            lambda p: p.to_tier_id == self.silver
        )
        self.assertEqual(
            (log.from_tier_id, log.reason, log.state, log.kind, log.balance),
            (self.ivory, "points", "applied", "up", 20),
        )
        self.assertEqual(olga.ambassador_next_tier_id, self.gold)

    def test_points_losing_silver_fall_back(self):
        pam = self.make_ambassador("Pam Live", segment=self.live, points=10)
        self.assertEqual(pam.ambassador_tier_id, self.silver)
        pam.ambassador_transaction_ids.action_reverse("Entered by mistake")
        self.assertEqual(pam.ambassador_tier_id, self.ivory)
        self.assertEqual(pam.ambassador_promotion_ids[0].kind, "down")

    def test_gold_is_proposed_not_granted(self):
        quinn = self.make_ambassador("Quinn Invest", points=120)
        self.assertEqual(quinn.ambassador_tier_id, self.silver)
        proposal = self.Promotion.search(
            [("partner_id", "=", quinn.id), ("state", "=", "proposed")]
        )
        self.assertEqual(len(proposal), 1)
        self.assertEqual((proposal.to_tier_id, proposal.reason), (self.gold, "points"))
        # Evaluating again does not propose twice.
        self.env["ambassador.status.engine"]._evaluate(quinn)
        self.assertEqual(
            self.Promotion.search_count(
                [("partner_id", "=", quinn.id), ("state", "=", "proposed")]
            ),
            1,
        )

    def test_user_and_manager_cannot_decide_gold(self):
        rose = self.make_ambassador("Rose Invest", points=120)
        proposal = rose.ambassador_promotion_ids.filtered(
            lambda p: p.state == "proposed"
        )
        for user in (self.staff_user, self.manager_user):
            with self.assertRaises(AccessError):
                proposal.sudo(user).action_approve()
            with self.assertRaises(AccessError):
                proposal.sudo(user).action_refuse()
            with self.assertRaises(AccessError):
                proposal.sudo(user).write({"state": "applied"})
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(rose.ambassador_tier_id, self.silver)

    def test_committee_grants_gold_for_twelve_months(self):
        sam = self.make_ambassador("Sam Invest", points=120)
        proposal = sam.ambassador_promotion_ids.filtered(
            lambda p: p.state == "proposed"
        )
        proposal.sudo(self.committee_user).write({"committee_notes": "Great work"})
        proposal.sudo(self.committee_user).action_approve()
        self.assertEqual(sam.ambassador_tier_id, self.gold)
        self.assertEqual(proposal.state, "applied")
        self.assertEqual(proposal.decided_by_id, self.committee_user)
        expected = fields.Date.from_string(fields.Date.context_today(sam))
        self.assertEqual(
            fields.Date.from_string(sam.ambassador_tier_valid_until),
            expected.replace(year=expected.year + 1),
        )
        with self.assertRaises(UserError):
            proposal.sudo(self.committee_user).action_approve()
        # More points do not move a committee status by themselves.
        self.Ledger.create({"partner_id": sam.id, "points": 500, "origin": "manual"})
        self.env["ambassador.status.engine"]._evaluate(sam)
        self.assertEqual(sam.ambassador_tier_id, self.gold)
        self.assertTrue(
            sam.ambassador_promotion_ids.filtered(
                lambda p: p.state == "proposed" and p.to_tier_id == self.platinum
            )
        )

    def test_refused_proposal_is_not_proposed_again_at_once(self):
        tom = self.make_ambassador("Tom Invest", points=120)
        proposal = tom.ambassador_promotion_ids.filtered(
            lambda p: p.state == "proposed"
        )
        proposal.sudo(self.committee_user).action_refuse()
        self.assertEqual(proposal.state, "refused")
        self.env["ambassador.status.engine"]._evaluate(tom)
        self.assertFalse(
            tom.ambassador_promotion_ids.filtered(lambda p: p.state == "proposed")
        )
        self.assertEqual(tom.ambassador_tier_id, self.silver)

    def test_staff_can_only_propose(self):
        uma = self.make_ambassador("Uma Invest", points=20)
        change = self.Promotion.sudo(self.staff_user).create(
            {
                "partner_id": uma.id,
                "to_tier_id": self.gold.id,
                "state": "applied",
                "reason": "committee",
            }
        )
        self.assertEqual((change.state, change.reason), ("proposed", "manual"))
        self.assertEqual(uma.ambassador_tier_id, self.silver)
        with self.assertRaises(AccessError):
            change.sudo(self.staff_user).action_approve()
        change.sudo(self.committee_user).action_approve()
        self.assertEqual(uma.ambassador_tier_id, self.gold)
        with self.assertRaises(UserError):
            change.sudo(self.committee_user).unlink()

    def test_yearly_review_downgrades_after_grace_period(self):
        today = date.today()
        vera = self.gold_ambassador(
            "Vera Invest", valid_until=fields.Date.to_string(today + timedelta(days=10))
        )
        self.env["ambassador.status.engine"]._cron_annual_review()
        review = vera.ambassador_promotion_ids.filtered(
            lambda p: p.reason == "annual_review" and p.state == "proposed"
        )
        self.assertEqual(len(review), 1)
        self.assertEqual(review.to_tier_id, self.gold)
        self.assertEqual(
            fields.Date.from_string(review.review_deadline), today + timedelta(days=40)
        )
        self.env["ambassador.status.engine"]._cron_annual_review()
        self.assertEqual(
            len(
                vera.ambassador_promotion_ids.filtered(
                    lambda p: p.reason == "annual_review"
                )
            ),
            1,
            "one review at a time",
        )
        # Still within the grace period: nothing changes.
        self.assertEqual(vera.ambassador_tier_id, self.gold)
        # Past the grace period without renewal: back to what points allow.
        as_engine(review).write(
            {"review_deadline": fields.Date.to_string(today - timedelta(days=1))}
        )
        self.env["ambassador.status.engine"]._cron_annual_review()
        self.assertEqual(review.state, "lapsed")
        self.assertEqual(vera.ambassador_tier_id, self.silver, "120 points: Silver")
        fallback = vera.ambassador_promotion_ids.filtered(
            lambda p: p.reason == "annual_review" and p.state == "applied"
        )
        self.assertEqual(
            (fallback.from_tier_id, fallback.to_tier_id), (self.gold, self.silver)
        )
        self.assertFalse(vera.ambassador_tier_valid_until)

    def test_committee_renewal_extends_validity(self):
        today = date.today()
        end = today + timedelta(days=5)
        will = self.gold_ambassador(
            "Will Invest", valid_until=fields.Date.to_string(end)
        )
        review = self.env["ambassador.status.engine"]._open_reviews()
        self.assertEqual(review.partner_id, will)
        with self.assertRaises(AccessError):
            review.sudo(self.staff_user).action_approve()
        review.sudo(self.committee_user).action_approve()
        self.assertEqual(will.ambassador_tier_id, self.gold)
        self.assertEqual(review.kind, "renewal")
        self.assertEqual(
            fields.Date.from_string(will.ambassador_tier_valid_until),
            end.replace(year=end.year + 1),
        )

    def test_refused_renewal_falls_back_at_once(self):
        xia = self.gold_ambassador(
            "Xia Invest", valid_until=fields.Date.to_string(date.today())
        )
        review = self.env["ambassador.status.engine"]._open_reviews()
        review.sudo(self.committee_user).action_refuse()
        self.assertEqual(xia.ambassador_tier_id, self.silver)

    def test_enrolling_an_existing_contact(self):
        contact = self.Partner.create(
            {"name": "Zed Contact", "email": "zed@example.com"}
        )
        contact.sudo(self.staff_user).action_ambassador_enrol()
        self.assertEqual(contact.ambassador_tier_id, self.ivory)
        with self.assertRaises(UserError):
            contact.sudo(self.staff_user).action_ambassador_activate()
        contact.sudo(self.staff_user).write({"ambassador_segment_id": self.live.id})
        contact.sudo(self.staff_user).action_ambassador_activate()
        self.assertEqual(contact.ambassador_state, "active")

    def test_states_and_activation(self):
        yan = self.make_ambassador("Yan Visit", segment=self.visit, state="candidate")
        with self.assertRaises(AccessError):
            yan.sudo(self.employee_user).action_ambassador_activate()
        yan.sudo(self.staff_user).action_ambassador_activate()
        self.assertEqual(yan.ambassador_state, "active")
        self.assertTrue(yan.ambassador_since)
        with self.assertRaises(UserError):
            yan.sudo(self.staff_user).action_ambassador_activate()
        yan.sudo(self.staff_user).action_ambassador_suspend()
        yan.sudo(self.staff_user).action_ambassador_activate()
        self.assertEqual(yan.ambassador_state, "active")
        yan.sudo(self.staff_user).action_ambassador_leave()
        self.assertEqual(yan.ambassador_state, "left")
