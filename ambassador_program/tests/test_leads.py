# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Leads passed on by ambassadors (issue 15) through the ORM: the checks of
a submission and what the lead carries, the milestones' points (once each,
reversed when a lead leaves "won", staff reversals), e-mails to the alias,
what portal users and employees reach over RPC, the personal data map; and
the quota and the award under two transactions at once."""
from email.mime.text import MIMEText

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import common

from ..models.authority import as_engine
from ..models.form_input import FormErrors
from .concurrency import at_once
from .common import AmbassadorCase
from .test_demo_territory import DemoCase


def lead_form(**values):
    form = {"name": "Hanse Robotics GmbH", "kind": "company",
            "country_id": "", "description": "Looking for a site for 40 jobs.",
            "contact_name": "", "contact_email": "", "contact_agreed": ""}
    form.update(values)
    return form


class LeadCase(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(LeadCase, cls).setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.germany = cls.env.ref("base.de")
        cls.claire = cls.make_ambassador("Claire Leads", segment=cls.invest)
        cls.other = cls.make_ambassador("Otto Leads", segment=cls.visit)
        cls.rule_qualified = cls.env.ref("ambassador_program.rule_lead_qualified")
        cls.rule_won = cls.env.ref("ambassador_program.rule_lead_won")
        cls.team = cls.env.ref("ambassador_program.crm_team_ambassador_leads")
        cls.won_stage = cls.env["crm.stage"].search(
            [("probability", "=", 100)], limit=1)
        cls.first_stage = cls.env["crm.stage"].search(
            [("probability", "<", 100)], order="sequence", limit=1)

    def submit(self, partner=None, **values):
        values.setdefault("country_id", str(self.germany.id))
        return self.Lead._ambassador_submit(partner or self.claire,
                                            lead_form(**values))

    def lead_lines(self, lead):
        return self.Ledger.search([("lead_id", "=", lead.id)], order="id")


class TestLeadSubmission(LeadCase):

    def test_submit_makes_a_lead_of_the_ambassador(self):
        lead = self.submit(contact_name="Hans Meier",
                           contact_email="Hans.Meier@example.de",
                           contact_agreed="1")
        self.assertEqual(lead.ambassador_partner_id, self.claire)
        self.assertEqual(lead.ambassador_lead_kind, "company")
        self.assertEqual(lead.country_id, self.germany)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.team_id, self.team)
        self.assertFalse(lead.user_id, "nobody's until the agency assigns it")
        self.assertEqual(lead.source_id.id, self.Partner._ambassador_utm_sources(
            [self.claire.id])[self.claire.id])
        self.assertEqual(lead.medium_id,
                         self.env.ref("ambassador_program.utm_medium_ambassador"))
        self.assertEqual((lead.contact_name, lead.email_from),
                         ("Hans Meier", "hans.meier@example.de"))
        self.assertTrue(lead.ambassador_contact_agreed)
        self.assertEqual(lead.ambassador_status, "received")
        self.assertFalse(self.lead_lines(lead), "no point for passing it on")

    def test_bad_input_is_refused_field_by_field(self):
        with self.assertRaises(FormErrors) as caught:
            self.Lead._ambassador_submit(self.claire, {
                "name": " ", "kind": "spaceship", "country_id": "99999999",
                "description": "x" * 2001, "contact_email": "not an address",
            })
        self.assertEqual(set(caught.exception.errors), {
            "name", "kind", "country_id", "description", "contact_email",
            "contact_agreed"})
        with self.assertRaises(FormErrors) as caught:
            self.submit(name="x" * 201, country_id="1e3")
        self.assertEqual(set(caught.exception.errors), {"name", "country_id"})

    def test_a_contact_needs_its_agreement(self):
        with self.assertRaises(FormErrors) as caught:
            self.submit(contact_name="Hans Meier")
        self.assertEqual(list(caught.exception.errors), ["contact_agreed"])

    def test_only_active_ambassadors_submit(self):
        suspended = self.make_ambassador("Sue Leads", state="suspended")
        with self.assertRaises(FormErrors):
            self.submit(suspended)
        with self.assertRaises(FormErrors):
            self.submit(self.Partner.create({"name": "Not An Ambassador"}))

    def test_daily_quota(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.lead_daily_cap", "2")
        self.submit()
        self.submit(name="Second")
        with self.assertRaises(FormErrors) as caught:
            self.submit(name="Third")
        self.assertIn("form", caught.exception.errors)
        self.submit(self.other, name="Another ambassador's quota")

    def test_space_reads_only_its_own(self):
        own = self.submit()
        others = self.submit(self.other)
        self.assertEqual(self.Lead._ambassador_space_leads(self.claire), own)
        self.assertEqual(self.Lead._ambassador_space_lead(self.claire, own.id), own)
        self.assertFalse(self.Lead._ambassador_space_lead(self.claire, others.id))
        self.assertFalse(self.Lead._ambassador_space_lead(self.claire, "1 OR 1=1"))


class TestLeadMilestones(LeadCase):

    def test_status_follows_the_pipeline(self):
        lead = self.submit()
        lead.user_id = self.staff_user
        self.assertEqual(lead.ambassador_status, "qualifying")
        lead.ambassador_qualified = True
        self.assertEqual(lead.ambassador_status, "qualified")
        lead.action_set_won()
        self.assertEqual(lead.ambassador_status, "won")
        lead.action_set_lost()
        self.assertEqual(lead.ambassador_status, "closed")

    def test_qualified_then_won_award_once_each(self):
        lead = self.submit()
        balance = self.claire.ambassador_balance
        lead.convert_opportunity(False)
        self.assertEqual(lead.type, "opportunity")
        lines = self.lead_lines(lead)
        self.assertEqual(lines.mapped("rule_id"), self.rule_qualified)
        self.assertEqual(lines.origin, "lead")
        lead.write({"name": "Renamed", "type": "opportunity"})
        lead.action_set_won()
        lead.action_set_won()
        lines = self.lead_lines(lead)
        self.assertEqual(sorted(lines.mapped("rule_id.code")),
                         ["lead_qualified", "lead_won"])
        self.assertEqual(self.claire.ambassador_balance,
                         balance + self.rule_qualified.points + self.rule_won.points)
        self.assertEqual(lead._ambassador_points()[lead.id],
                         self.rule_qualified.points + self.rule_won.points)

    def test_won_directly_is_qualified_too(self):
        lead = self.submit()
        lead.action_set_won()
        self.assertEqual(sorted(self.lead_lines(lead).mapped("rule_id.code")),
                         ["lead_qualified", "lead_won"])

    def test_leaving_won_reverses_and_winning_again_awards_again(self):
        lead = self.submit()
        lead.action_set_won()
        balance = self.claire.ambassador_balance
        lead.action_set_lost()  # lost by mistake
        self.assertEqual(self.claire.ambassador_balance,
                         balance - self.rule_won.points)
        won_line = self.lead_lines(lead).filtered(
            lambda line: line.rule_id == self.rule_won and line.origin == "lead")
        self.assertTrue(won_line.is_reversed)
        self.assertEqual(won_line.reversal_ids.lead_id, lead)
        lead.write({"active": True})
        lead.action_set_won()
        self.assertEqual(self.claire.ambassador_balance, balance)
        self.assertEqual(len(self.lead_lines(lead).filtered(
            lambda line: line.origin == "lead" and line.rule_id == self.rule_won)), 2)
        # Reopened to an earlier stage: the won line is reversed once more.
        lead.write({"stage_id": self.first_stage.id})
        self.assertEqual(self.claire.ambassador_balance,
                         balance - self.rule_won.points)
        self.assertEqual(lead.ambassador_status, "received")

    def test_staff_reversal_is_not_given_again(self):
        lead = self.submit()
        lead.action_set_won()
        won = self.lead_lines(lead).filtered(
            lambda line: line.rule_id == self.rule_won)
        wizard = self.env["ambassador.transaction.reverse.wizard"].sudo(
            self.manager_user).create(
            {"reason": "Not really ours", "transaction_ids": [(6, 0, won.ids)]})
        wizard.action_reverse()
        self.assertTrue(won.is_reversed)
        self.assertEqual(won.reversal_ids.lead_id, lead)
        lead.write({"name": "Touched", "probability": 100})
        self.assertEqual(lead._ambassador_points()[lead.id],
                         self.rule_qualified.points)

    def test_points_follow_the_rules_configuration(self):
        self.rule_won.sudo(self.manager_user).write({"points": 80})
        lead = self.submit()
        lead.action_set_won()
        self.assertEqual(lead._ambassador_points()[lead.id],
                         self.rule_qualified.points + 80)

    def test_inactive_ambassador_earns_nothing_and_blocks_nothing(self):
        lead = self.submit()
        as_engine(self.claire).write({"ambassador_state": "suspended"})
        lead.action_set_won()
        self.assertEqual(lead.ambassador_status, "won")
        self.assertFalse(self.lead_lines(lead))

    def test_set_based_over_many_leads(self):
        leads = self.Lead.browse()
        for index in range(6):
            leads |= self.submit(self.other if index % 2 else self.claire,
                                 name="Lead %d" % index)
        cr = self.env.cr
        before = cr.sql_log_count
        leads[:2].write({"stage_id": self.won_stage.id})
        few = cr.sql_log_count - before
        before = cr.sql_log_count
        leads[2:].write({"stage_id": self.won_stage.id})
        self.assertLessEqual(cr.sql_log_count - before, few + 12,
                             "the award does not run a query per lead")
        self.assertEqual(len(self.Ledger.search(
            [("lead_id", "in", leads.ids), ("origin", "=", "lead")])), 12)


class TestLeadAccess(LeadCase):

    @classmethod
    def setUpClass(cls):
        super(TestLeadAccess, cls).setUpClass()
        cls.claire_user = cls.make_portal_user(cls.claire)

    def test_portal_and_employee_reach_nothing_of_ours(self):
        lead = self.submit()
        for user in (self.claire_user, self.employee_user):
            env = api.Environment(self.env.cr, user.id, {})
            with self.assertRaises(AccessError):
                api.call_kw(env["crm.lead"], "create", [{
                    "name": "Forged", "ambassador_partner_id": self.claire.id}], {})
        portal = api.Environment(self.env.cr, self.claire_user.id, {})
        with self.assertRaises(AccessError):
            api.call_kw(portal["crm.lead"], "search_read",
                        [[("id", "=", lead.id)]], {"fields": ["name"]})
        # An employee with Odoo's "Contact Creation" reads leads (crm's own
        # access), never which ambassador passed one on.
        employee = api.Environment(self.env.cr, self.employee_user.id, {})
        with self.assertRaises(AccessError):
            api.call_kw(employee["crm.lead"], "search_read",
                        [[("id", "=", lead.id)]],
                        {"fields": ["ambassador_partner_id"]})

    def test_programme_staff_read_ambassador_leads_only(self):
        lead = self.submit()
        plain = self.Lead.create({"name": "A walk-in lead"})
        Lead = self.Lead.sudo(self.staff_user)
        found = Lead.search([("id", "in", (lead | plain).ids)])
        self.assertEqual(found, lead)
        self.assertEqual(found.ambassador_partner_id, self.claire)
        with self.assertRaises(AccessError):
            lead.sudo(self.staff_user).write({"name": "Staff rename"})

    def test_lead_count_button(self):
        self.submit()
        self.submit(name="Second")
        partner = self.claire.sudo(self.staff_user)
        self.assertEqual(partner.ambassador_lead_count, 2)
        action = partner.action_ambassador_view_leads()
        self.assertEqual(self.Lead.sudo(self.staff_user).search(
            action["domain"]).mapped("ambassador_partner_id"), self.claire)

    def test_personal_data_export_and_erasure(self):
        lead = self.submit()
        data = self.env["ambassador.personal.data"]._export(self.claire)
        self.assertEqual([row["id"] for row in data["leads"]], lead.ids)
        self.assertEqual(data["leads"][0]["ambassador_status"], "Received")
        self.env["ambassador.personal.data"]._erase(self.claire)
        lead.invalidate_cache()
        self.assertTrue(lead.exists(), "the agency's lead stays")
        self.assertIn("#", lead.ambassador_partner_id.name,
                      "linked to the anonymous contact")


class TestLeadEmail(LeadCase):

    @classmethod
    def setUpClass(cls):
        super(TestLeadEmail, cls).setUpClass()
        cls.env["ir.config_parameter"].set_param("mail.catchall.domain",
                                                 "example.net")

    def message(self, sender, subject="Congress of radiologists 2028"):
        msg = MIMEText("2,000 delegates, looking for a city in 2028.", "plain")
        msg["From"] = sender
        msg["To"] = "%s@example.net" % self.team.alias_name
        msg["Subject"] = subject
        msg["Message-Id"] = "<%s.%s@example.com>" % (
            subject.replace(" ", "."), sender.replace("@", "."))
        return msg.as_string()

    def process(self, raw):
        return self.Lead.browse(self.env["mail.thread"].message_process(None, raw))

    def test_alias(self):
        self.assertEqual(self.team.alias_name, "ambassador-leads")
        self.assertEqual(self.team.alias_model_id.model, "crm.lead")

    def test_ambassador_mail_becomes_its_lead(self):
        lead = self.process(self.message('"Claire" <CLAIRE.LEADS@example.com>'))
        self.assertEqual(lead.ambassador_partner_id, self.claire)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.name, "Congress of radiologists 2028")
        self.assertIn("2,000 delegates", lead.description)
        self.assertEqual(lead.source_id.name, "ambassador-%d" % self.claire.id)
        self.assertFalse(lead.email_from, "the ambassador is not the contact")

    def test_anyone_else_makes_an_ordinary_lead(self):
        lead = self.process(self.message("someone@example.org"))
        self.assertTrue(lead)
        self.assertFalse(lead.ambassador_partner_id)
        suspended = self.make_ambassador("Sus Mail", state="suspended")
        lead = self.process(self.message(suspended.email, subject="Other"))
        self.assertFalse(lead.ambassador_partner_id)

    def test_over_quota_stays_ordinary(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.lead_daily_cap", "1")
        self.submit()
        lead = self.process(self.message(self.claire.email))
        self.assertFalse(lead.ambassador_partner_id)


@common.at_install(False)
@common.post_install(True)
class TestLeadConcurrency(common.TransactionCase):
    """Two requests at once: the daily quota's last place, and the same lead
    marked won twice. Committed data in separate cursors, cleaned up."""

    def setUp(self):
        super(TestLeadConcurrency, self).setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {"name": "Quota Leads", "email": "quota.leads@example.com",
                 "ambassador_state": "active",
                 "ambassador_segment_id": env.ref(
                     "ambassador_program.segment_invest").id})
            user = env["res.users"].with_context(no_reset_password=True).create(
                {"name": "Quota Leads", "login": partner.email,
                 "partner_id": partner.id,
                 "groups_id": [(6, 0, env.ref("base.group_portal").ids)]})
            self.partner_id, self.user_id = partner.id, user.id
            self.cap = env["ir.config_parameter"].get_param(
                "ambassador_program.lead_daily_cap")
            env["ir.config_parameter"].set_param(
                "ambassador_program.lead_daily_cap", "1")
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param(
                "ambassador_program.lead_daily_cap", self.cap or "5")
            cr.execute("SELECT id FROM crm_lead WHERE ambassador_partner_id = %s",
                       (self.partner_id,))
            lead_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            # Test clean-up only: the append-only trigger is lifted inside
            # this one transaction (DDL is transactional).
            cr.execute("ALTER TABLE ambassador_point_transaction DISABLE TRIGGER "
                       "ambassador_point_transaction_append_only")
            cr.execute("DELETE FROM ambassador_point_transaction "
                       "WHERE partner_id = %s", (self.partner_id,))
            cr.execute("ALTER TABLE ambassador_point_transaction ENABLE TRIGGER "
                       "ambassador_point_transaction_append_only")
            cr.execute("DELETE FROM ambassador_promotion WHERE partner_id = %s",
                       (self.partner_id,))
            cr.execute("DELETE FROM mail_message WHERE model = 'crm.lead' "
                       "AND res_id IN %s", (lead_ids,))
            cr.execute("DELETE FROM mail_followers WHERE res_model = 'crm.lead' "
                       "AND res_id IN %s", (lead_ids,))
            cr.execute("DELETE FROM crm_lead WHERE id IN %s", (lead_ids,))
            cr.execute("DELETE FROM ambassador_quota_lock WHERE key = %s",
                       ("lead:%d" % self.partner_id,))
            cr.execute("DELETE FROM res_users WHERE id = %s", (self.user_id,))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (self.partner_id,))

    def race(self, action):
        """``action(env)`` in two requests at once (Odoo's request wrapper
        replays a serialisation failure); the outcomes."""
        return at_once(self.registry, [(self.user_id, action)] * 2)

    def test_quota_holds_under_two_requests(self):
        def submit(env):
            partner = env.user.partner_id
            env["crm.lead"]._ambassador_submit(partner, {
                "name": "Race", "kind": "event",
                "country_id": str(env.ref("base.it").id),
                "description": "Two tabs at once"})

        self.assertEqual(self.race(submit), ["FormErrors", "ok"])
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM crm_lead "
                       "WHERE ambassador_partner_id = %s", (self.partner_id,))
            self.assertEqual(cr.fetchone()[0], 1)

    def test_won_twice_at_once_awards_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lead = env["crm.lead"].create(
                {"name": "Won twice", "ambassador_partner_id": self.partner_id})
            lead_id = lead.id

        def win(env):
            # As the superuser: the sales user who marks it won.
            env(user=SUPERUSER_ID)["crm.lead"].browse(lead_id).action_set_won()

        self.assertEqual(self.race(win), ["ok", "ok"])
        with self.registry.cursor() as cr:
            cr.execute("SELECT r.code, count(*) FROM ambassador_point_transaction t "
                       "JOIN ambassador_point_rule r ON r.id = t.rule_id "
                       "WHERE t.lead_id = %s AND t.origin = 'lead' GROUP BY r.code "
                       "ORDER BY r.code", (lead_id,))
            self.assertEqual(cr.fetchall(), [("lead_qualified", 1), ("lead_won", 1)])


class TestLeadDemo(DemoCase, common.TransactionCase):
    """The demo tells the story: a German company brought by Claire (won),
    a congress brought by a Visit ambassador (won), a delegation being
    qualified; each with its ambassador's source and points."""

    def setUp(self):
        super(TestLeadDemo, self).setUp()
        self.skip_without_demo()

    def test_demo_leads(self):
        ref = self.env.ref
        claire = ref("ambassador_program.lead_claire_schmidt")
        congress = ref("ambassador_program.lead_isabelle_congress")
        delegation = ref("ambassador_program.crm_lead_demo_sophie_delegation")
        self.assertEqual(claire.ambassador_partner_id,
                         ref("ambassador_program.ambassador_claire"))
        self.assertEqual(claire.country_id, ref("base.de"))
        self.assertEqual(congress.ambassador_partner_id.ambassador_segment_id,
                         ref("ambassador_program.segment_visit"))
        self.assertEqual(
            [lead.ambassador_status for lead in (claire, congress, delegation)],
            ["won", "won", "qualifying"])
        for lead in (claire, congress, delegation):
            self.assertEqual(lead.source_id.name, "ambassador-%d"
                             % lead.ambassador_partner_id.id)
        points = (claire | congress)._ambassador_points()
        won = (ref("ambassador_program.rule_lead_qualified").points
               + ref("ambassador_program.rule_lead_won").points)
        self.assertEqual((points[claire.id], points[congress.id]), (won, won))
