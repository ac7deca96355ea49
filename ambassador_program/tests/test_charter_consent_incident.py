from odoo.exceptions import UserError

from ..models.authority import as_engine
from .common import AmbassadorCase


class TestCharterConsentIncident(AmbassadorCase):

    def test_new_charter_version_asks_to_accept_again(self):
        Charter = self.env["ambassador.charter"]
        Charter.search([("state", "=", "published")]).write({"state": "archived"})
        v1 = Charter.create(
            {"name": "Charter", "version": "test-1", "content": "<p>Be nice</p>"}
        )
        v1.action_publish()
        zoe = self.make_ambassador("Zoe Invest")
        self.assertTrue(zoe.ambassador_charter_outdated)
        zoe._ambassador_accept_charter(v1, "website", "203.0.113.9", "Firefox")
        self.assertFalse(zoe.ambassador_charter_outdated)
        acceptance = zoe.ambassador_charter_acceptance_ids
        self.assertEqual(
            (acceptance.version, acceptance.channel, acceptance.ip_address),
            ("test-1", "website", "203.0.113.9"),
        )
        with self.assertRaises(UserError):
            acceptance.write({"ip_address": "1.2.3.4"})
        with self.assertRaises(UserError):
            v1.write({"content": "<p>Changed after publication</p>"})
        v2 = Charter.create(
            {"name": "Charter", "version": "test-2", "content": "<p>Be nicer</p>"}
        )
        v2.action_publish()
        self.assertEqual(v1.state, "archived")
        self.assertTrue(zoe.ambassador_charter_outdated)
        outdated = self.Partner.search([("ambassador_charter_outdated", "=", True)])
        self.assertIn(zoe, outdated)
        zoe._ambassador_accept_charter(v2, "portal")
        self.assertNotIn(
            zoe, self.Partner.search([("ambassador_charter_outdated", "=", True)])
        )
        self.assertIn(
            zoe, self.Partner.search([("ambassador_charter_outdated", "=", False)])
        )

    def test_consents_are_off_by_default_and_logged(self):
        abe = self.make_ambassador("Abe Invest")
        for field in (
            "ambassador_consent_newsletter",
            "ambassador_consent_wall",
            "ambassador_show_email",
            "ambassador_show_phone",
            "ambassador_show_company",
            "ambassador_show_city",
            "ambassador_show_skills",
        ):
            self.assertFalse(abe[field], field)
        as_engine(abe)._ambassador_set_consents(
            {"ambassador_consent_newsletter": True, "ambassador_show_email": True},
            "portal",
            "198.51.100.7",
        )
        abe.with_context(ambassador_consent_reason="Asked by phone").write(
            {"ambassador_consent_newsletter": False}
        )
        log = abe.ambassador_consent_ids.sorted("id")
        self.assertEqual(
            [(c.purpose, c.granted, c.channel) for c in log],
            [
                ("newsletter", True, "portal"),
                ("directory_email", True, "portal"),
                ("newsletter", False, "staff"),
            ],
        )
        self.assertEqual(log[0].ip_address, "198.51.100.7")

    def test_suspension_incident_stops_points(self):
        ben = self.make_ambassador("Ben Invest", points=5)
        incident = (
            self.env["ambassador.incident"]
            .sudo(self.staff_user)
            .create(
                {
                    "name": "Sold the directory to a recruiter",
                    "partner_id": ben.id,
                    "category": "directory_misuse",
                    "sanction": "suspension",
                }
            )
        )
        incident.action_decide()
        self.assertEqual(incident.state, "decided")
        self.assertEqual(ben.ambassador_state, "suspended")
        with self.assertRaises(UserError):
            self.make_proof(ben).action_approve()
        self.assertEqual(ben.ambassador_balance, 5)
        with self.assertRaises(UserError):
            incident.action_decide()

    def test_exclusion_withdraws_status(self):
        cat = self.make_ambassador("Cat Invest", points=25)
        self.assertEqual(cat.ambassador_tier_id, self.silver)
        self.env["ambassador.incident"].sudo(self.staff_user).create(
            {
                "name": "Off-brand campaign",
                "partner_id": cat.id,
                "category": "off_brand",
                "sanction": "exclusion",
            }
        ).action_decide()
        self.assertEqual(cat.ambassador_state, "left")
        self.assertEqual(cat.ambassador_balance, 25, "the ledger is kept")

    def test_warning_posts_on_the_contact(self):
        dee = self.make_ambassador("Dee Invest")
        self.env["ambassador.incident"].sudo(self.staff_user).create(
            {
                "name": "Rude on social media",
                "partner_id": dee.id,
                "sanction": "warning",
            }
        ).action_decide()
        self.assertIn("Rude on social media", dee.message_ids[0].body)
        self.assertEqual(dee.ambassador_state, "active")
