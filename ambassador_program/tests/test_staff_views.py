# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff screens (issue 11): the committee's decision form carries the
ambassador's file, the contact's tab shows its segment's fields, the proof
cards, the programme's settings in one place, translatable list names."""
from lxml import etree

from odoo.exceptions import AccessError

from .common import AmbassadorCase


class TestStaffViews(AmbassadorCase):
    @classmethod
    def setUpClass(cls):
        super(TestStaffViews, cls).setUpClass()
        cls.ada = cls.make_ambassador(
            "Ada File", points=12,
            ambassador_network_country_ids=[(6, 0, [cls.env.ref("base.jp").id])],
            ambassador_motivation="I love the riverside")
        cls.rule_press.sudo()
        cls.proof = cls.make_proof_cls(cls.ada)
        cls.proof.write({"url": "https://example.com/article"})
        cls.proof.action_approve()
        cls.other_proof = cls.make_proof_cls(cls.ada)  # still waiting
        cls.incident = cls.env["ambassador.incident"].create(
            {"name": "Directory misuse", "partner_id": cls.ada.id})
        cls.first = cls.Promotion.create(
            {"partner_id": cls.ada.id, "to_tier_id": cls.silver.id})
        cls.first.action_refuse()
        cls.change = cls.Promotion.create(
            {"partner_id": cls.ada.id, "to_tier_id": cls.gold.id,
             "committee_notes": "Brought three firms"})

    @classmethod
    def make_proof_cls(cls, partner):
        return cls.Proof.create({"name": "Proof of %s" % partner.name,
                                 "partner_id": partner.id,
                                 "rule_id": cls.rule_partnership.id})

    def test_decision_form_carries_the_file(self):
        change = self.change.sudo(self.committee_user)
        self.assertEqual(change.partner_balance, self.ada.ambassador_balance)
        self.assertEqual(change.partner_tier_id, self.ada.ambassador_tier_id)
        self.assertEqual(change.partner_network_country_ids,
                         self.env.ref("base.jp"))
        self.assertEqual(change.partner_motivation, "I love the riverside")
        self.assertEqual(change.approved_proof_ids, self.proof)
        self.assertEqual(change.partner_transaction_ids,
                         self.ada.ambassador_transaction_ids)
        self.assertEqual(change.partner_incident_ids, self.incident)
        self.assertEqual(change.previous_decision_ids, self.first)
        view = self.Promotion.sudo(self.committee_user).fields_view_get(
            view_type="form")
        arch = etree.fromstring(view["arch"])
        for name in ("approved_proof_ids", "partner_transaction_ids",
                     "partner_incident_ids", "previous_decision_ids",
                     "partner_skill_ids", "partner_network_country_ids",
                     "partner_balance"):
            self.assertTrue(arch.xpath("//field[@name='%s']" % name), name)
        proofs = view["fields"]["approved_proof_ids"]["views"]["tree"]["fields"]
        self.assertIn("safe_url", proofs)
        self.assertIn("attachment_ids", proofs)

    def test_ambassador_does_not_read_its_file(self):
        user = self.make_portal_user(self.ada)
        own = self.change.sudo(user)
        self.assertEqual(own.read(["to_tier_id"])[0]["id"], own.id)
        for name in ("partner_incident_ids", "previous_decision_ids",
                     "approved_proof_ids", "partner_balance"):
            with self.assertRaises(AccessError):
                own.read([name])

    def test_segment_fields_on_the_contact(self):
        study = self.make_ambassador("Sam Study", segment=self.study)
        visit = self.make_ambassador("Val Visit", segment=self.visit)
        invest = self.make_ambassador("Ivan Invest", segment=self.invest)
        self.assertEqual(study.ambassador_form_fields,
                         ",ambassador_institution,ambassador_research_field,")
        self.assertEqual(visit.ambassador_form_fields,
                         ",ambassador_organisation,ambassador_activity,")
        self.assertEqual(invest.ambassador_form_fields, ",,")
        # A field added to a segment's form shows on its contacts' tab.
        self.env["ambassador.segment.field"].create(
            {"segment_id": self.invest.id, "field_name": "ambassador_activity"})
        invest.invalidate_cache()
        self.assertEqual(invest.ambassador_form_fields, ",ambassador_activity,")
        arch = etree.fromstring(self.Partner.sudo(self.staff_user).fields_view_get(
            view_id=self.env.ref("base.view_partner_form").id,
            view_type="form")["arch"])
        for name in ("ambassador_institution", "ambassador_research_field",
                     "ambassador_organisation", "ambassador_activity",
                     "ambassador_territory_link"):
            node = arch.xpath("//page[@name='ambassador']//field[@name='%s']"
                              % name)[0]
            self.assertIn(",%s," % name, node.get("modifiers"))

    def test_proof_cards(self):
        arch = self.env.ref("ambassador_program.ambassador_proof_view_kanban").arch
        self.assertNotIn(" pts", arch)
        self.assertIn('name="attachment_ids" widget="many2many_binary"', arch)

    def test_settings_in_one_place(self):
        arch = etree.fromstring(self.env["res.config.settings"].fields_view_get(
            view_type="form")["arch"])
        block = arch.xpath("//div[@data-key='ambassador_program']")[0]
        for name in ("ambassador_review_notice_days", "ambassador_review_grace_days",
                     "ambassador_mailing_cap", "ambassador_dormant_months"):
            self.assertTrue(block.xpath(".//field[@name='%s']" % name), name)
        self.assertEqual(len(arch.xpath("//field[@name='ambassador_mailing_cap']")), 1)
        # The same parameter as before the move: nothing lost on upgrade.
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.mailing_cap", "7")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.ambassador_mailing_cap, 7)
        settings.write({"ambassador_mailing_cap": 2, "ambassador_dormant_months": 9})
        settings.execute()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("ambassador_program.mailing_cap"), "2")
        self.assertEqual(params.get_param("ambassador_program.dormant_months"), "9")

    def test_mailing_list_names_translatable(self):
        self.assertTrue(self.env["mail.mass_mailing.list"]._fields["name"].translate)
        listing = self.env.ref("ambassador_program.mailing_list_segment_invest")
        self.env["ir.translation"].create({
            "type": "model", "name": "mail.mass_mailing.list,name",
            "lang": "fr_FR", "res_id": listing.id, "src": listing.name,
            "value": "Ambassadeurs : lettre Investir", "state": "translated",
        }) if self.env["res.lang"].search([("code", "=", "fr_FR")]) else None
        if self.env["res.lang"].search([("code", "=", "fr_FR")]):
            self.assertEqual(listing.with_context(lang="fr_FR").name,
                             "Ambassadeurs : lettre Investir")
