from odoo.exceptions import AccessError

from .common import AmbassadorCase


class TestSecurity(AmbassadorCase):
    """Who can read and write what, per group (SPEC 2.6)."""

    @classmethod
    def setUpClass(cls):
        super(TestSecurity, cls).setUpClass()
        cls.amy = cls.make_ambassador("Amy Portal", points=20)
        cls.bill = cls.make_ambassador("Bill Portal", points=5)
        cls.amy_user = cls.make_portal_user(cls.amy)
        cls.bill_user = cls.make_portal_user(cls.bill)
        cls.amy_proof = cls.env["ambassador.proof"].create(
            {
                "name": "Amy's partnership",
                "partner_id": cls.amy.id,
                "rule_id": cls.env.ref("ambassador_program.rule_partnership").id,
            }
        )
        cls.bill_proof = cls.env["ambassador.proof"].create(
            {
                "name": "Bill's partnership",
                "partner_id": cls.bill.id,
                "rule_id": cls.env.ref("ambassador_program.rule_partnership").id,
            }
        )

    def test_portal_sees_only_own_records(self):
        for model in (
            "ambassador.proof",
            "ambassador.point.transaction",
            "ambassador.promotion",
            "ambassador.consent",
            "ambassador.charter.acceptance",
        ):
            records = self.env[model].sudo(self.amy_user).search([])
            self.assertEqual(
                records.mapped("partner_id") - self.amy, self.env["res.partner"], model
            )
        self.assertEqual(self.Proof.sudo(self.amy_user).search([]), self.amy_proof)
        with self.assertRaises(AccessError):
            self.bill_proof.sudo(self.amy_user).read(["name"])
        with self.assertRaises(AccessError):
            self.bill.ambassador_transaction_ids.sudo(self.amy_user).read(["points"])

    def test_portal_declares_own_proofs_only(self):
        own = self.Proof.sudo(self.amy_user).create(
            {
                "name": "Video",
                "partner_id": self.amy.id,
                "rule_id": self.rule_partnership.id,
                "channel": "portal",
            }
        )
        self.assertEqual(own.state, "submitted")
        with self.assertRaises(AccessError):
            self.Proof.sudo(self.amy_user).create(
                {
                    "name": "For Bill",
                    "partner_id": self.bill.id,
                    "rule_id": self.rule_partnership.id,
                }
            )
        with self.assertRaises(AccessError):
            own.sudo(self.amy_user).write({"name": "Edited"})
        with self.assertRaises(AccessError):
            own.sudo(self.amy_user).action_approve()
        with self.assertRaises(AccessError):
            self.Ledger.sudo(self.amy_user).create(
                {"partner_id": self.amy.id, "points": 50}
            )
        with self.assertRaises(AccessError):
            self.Promotion.sudo(self.amy_user).create(
                {"partner_id": self.amy.id, "to_tier_id": self.platinum.id}
            )

    def test_portal_reads_configuration_not_staff_records(self):
        self.assertTrue(self.env["ambassador.segment"].sudo(self.amy_user).search([]))
        self.assertTrue(self.env["ambassador.tier"].sudo(self.amy_user).search([]))
        self.assertTrue(
            self.env["ambassador.point.rule"].sudo(self.amy_user).search([])
        )
        with self.assertRaises(AccessError):
            self.env["ambassador.incident"].sudo(self.amy_user).search([])
        with self.assertRaises(AccessError):
            self.env["ambassador.segment"].sudo(self.amy_user).search(
                [], limit=1
            ).write({"name": "Hacked"})

    def test_public_reads_programme_not_people(self):
        public = self.env.ref("base.public_user")
        self.assertTrue(self.env["ambassador.tier"].sudo(public).search([]))
        for model in (
            "ambassador.proof",
            "ambassador.point.transaction",
            "ambassador.promotion",
            "ambassador.incident",
            "ambassador.document",
        ):
            with self.assertRaises(AccessError):
                self.env[model].sudo(public).search([])

    def test_employee_outside_the_programme_sees_no_ambassador_records(self):
        for model in (
            "ambassador.proof",
            "ambassador.point.transaction",
            "ambassador.promotion",
            "ambassador.incident",
        ):
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.employee_user).search([])
        with self.assertRaises(AccessError):
            self.amy_proof.sudo(self.employee_user).action_approve()

    def test_staff_reviews_but_does_not_configure(self):
        self.assertEqual(self.amy_proof.sudo(self.staff_user).name, "Amy's partnership")
        self.amy_proof.sudo(self.staff_user).action_approve()
        self.assertEqual(self.amy_proof.state, "approved")
        with self.assertRaises(AccessError):
            self.invest.sudo(self.staff_user).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.rule_press.sudo(self.staff_user).write({"points": 500})
        with self.assertRaises(AccessError):
            self.bill_proof.sudo(self.staff_user).unlink()
        manual = self.Ledger.sudo(self.staff_user).create(
            {
                "partner_id": self.bill.id,
                "points": 3,
                "origin": "manual",
                "note": "Help at fair",
            }
        )
        self.assertEqual(manual.points, 3)

    def test_manager_configures(self):
        self.invest.sudo(self.manager_user).write({"description": "Leaders"})
        self.rule_press.sudo(self.manager_user).write({"points": 6})
        self.assertEqual(self.rule_press.points, 6)
        skill = (
            self.env["ambassador.skill"]
            .sudo(self.manager_user)
            .create({"name": "Underwater Basket Weaving"})
        )
        skill.sudo(self.manager_user).unlink()
