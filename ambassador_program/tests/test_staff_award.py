# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contact's staff actions (issue 11): add points through the one award
path with a reason, and propose a status change to the committee through the
promotion model's create, for every kind of user."""
from odoo.exceptions import AccessError, UserError

from .common import AmbassadorCase


class TestStaffAward(AmbassadorCase):
    @classmethod
    def setUpClass(cls):
        super(TestStaffAward, cls).setUpClass()
        cls.ada = cls.make_ambassador("Ada Award", points=5)
        portal_partner = cls.make_ambassador("Paul Award", points=5)
        cls.portal_user = cls.make_portal_user(portal_partner)

    def _award(self, user, points=30, reason="Speech at the trade fair"):
        Wizard = self.env["ambassador.point.award.wizard"].sudo(user)
        wizard = Wizard.create(
            {"partner_id": self.ada.id, "points": points, "reason": reason}
        )
        return wizard.action_award()

    def test_staff_kinds_add_points_with_reason(self):
        for user in (self.staff_user, self.committee_user, self.manager_user):
            before = self.ada.ambassador_balance
            result = self._award(user, points=7, reason="Reason of %s" % user.login)
            self.assertEqual(result["type"], "ir.actions.act_window_close")
            self.ada.invalidate_cache()
            self.assertEqual(self.ada.ambassador_balance, before + 7)
            line = self.ada.ambassador_transaction_ids.filtered(
                lambda line, u=user: line.note == "Reason of %s" % u.login
            )
            self.assertEqual(len(line), 1)
            self.assertEqual((line.points, line.origin, line.create_uid),
                             (7, "manual", user))

    def test_points_move_the_tier_through_the_engine(self):
        silver_points = self.silver.threshold_ids.filtered(
            lambda th: th.segment_id == self.invest
        ).points
        self._award(self.staff_user, points=silver_points)
        self.ada.invalidate_cache()
        self.assertEqual(self.ada.ambassador_tier_id, self.silver)
        change = self.ada.ambassador_promotion_ids.filtered(
            lambda c: c.to_tier_id == self.silver
        )
        self.assertEqual(change.reason, "points")

    def test_others_refused(self):
        for user in (self.employee_user, self.portal_user):
            with self.assertRaises(AccessError):
                self._award(user)
        self.ada.invalidate_cache()
        self.assertEqual(self.ada.ambassador_balance, 5)

    def test_bad_input_refused(self):
        with self.assertRaises(UserError):
            self._award(self.staff_user, points=0)
        with self.assertRaises(UserError):
            self._award(self.staff_user, reason="   ")
        contact = self.Partner.create({"name": "Not An Ambassador"})
        wizard = self.env["ambassador.point.award.wizard"].sudo(self.staff_user).create(
            {"partner_id": contact.id, "points": 3, "reason": "No"})
        with self.assertRaises(UserError):
            wizard.action_award()

    def test_contact_buttons(self):
        arch = self.env["res.partner"].sudo(self.staff_user).fields_view_get(
            view_id=self.env.ref("base.view_partner_form").id, view_type="form"
        )["arch"]
        award = self.env.ref("ambassador_program.action_ambassador_point_award_wizard")
        propose = self.env.ref("ambassador_program.action_ambassador_promotion_propose")
        self.assertIn('name="%d"' % award.id, arch)
        self.assertIn('name="%d"' % propose.id, arch)

    def test_propose_form_has_the_fields_its_modifiers_read(self):
        """The web client refuses a form whose modifiers (states=...) name a
        field it does not hold (an "Odoo Client Error" in the dialog)."""
        view = self.Promotion.sudo(self.staff_user).fields_view_get(
            view_id=self.env.ref(
                "ambassador_program.ambassador_promotion_view_form_propose").id,
            view_type="form")
        self.assertIn("state", view["fields"])

    def test_propose_to_committee(self):
        """The contact's "Propose" opens the promotion form: staff create a
        proposal (never applied, tier left and balance set by the model)."""
        action = self.env.ref("ambassador_program.action_ambassador_promotion_propose")
        self.assertEqual((action.res_model, action.target),
                         ("ambassador.promotion", "new"))
        for user in (self.staff_user, self.committee_user, self.manager_user):
            Promotion = self.Promotion.sudo(user).with_context(
                default_partner_id=self.ada.id)
            change = Promotion.create(
                {"to_tier_id": self.gold.id, "committee_notes": "Brought a firm",
                 "state": "applied"})
            self.assertEqual(change.state, "proposed")
            self.assertEqual(change.reason, "manual")
            self.assertEqual(change.from_tier_id, self.ada.ambassador_tier_id)
            self.assertEqual(change.partner_id, self.ada)
            self.assertEqual(self.ada.ambassador_tier_id, self.ivory)
            change.sudo().unlink()
        for user in (self.employee_user, self.portal_user):
            with self.assertRaises(AccessError):
                self.Promotion.sudo(user).create(
                    {"partner_id": self.ada.id, "to_tier_id": self.gold.id})
