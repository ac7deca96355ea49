# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Importing an existing programme (issue 12): checks, all or nothing,
contacts, opening balances, tiers, consents, reversal, rights."""
import base64
import io
from datetime import date, datetime

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError

from .common import AmbassadorCase

HEADER = ("name,email,segment,tier,points,since,valid_until,lang,skills,languages,"
          "network_countries,consent_newsletter,consent_wall,consent_membership,"
          "phone,city,country_id\n")


def b64(text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return base64.b64encode(data).decode()


class TestImport(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestImport, cls).setUpClass()
        cls.Job = cls.env["ambassador.import.job"].sudo(cls.manager_user)
        cls.skill = cls.env["ambassador.skill"].create({"name": "Import Skill"})
        cls.portal_user = cls.env["res.users"].with_context(
            no_reset_password=True).create({
                "name": "Import Portal", "login": "import_portal",
                "email": "import.portal@example.com",
                "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])]})

    def run_import(self, text, dry_run=False, user=None, filename="a.csv", **kw):
        Job = self.Job.sudo(user) if user else self.Job
        return Job.import_file(b64(text), filename, dry_run=dry_run, **kw)

    def partner(self, email):
        return self.Partner.with_context(active_test=False).search(
            [("email", "=ilike", email)])

    def test_import_writes_contacts_balances_tiers_consents(self):
        existing = self.Partner.create({
            "name": "Known Contact", "email": "Known.Contact@Example.com",
            "phone": "+33 1 11 11 11 11"})
        since = (date.today() - relativedelta(years=2, days=10)).isoformat()
        text = HEADER + (
            "Alice Gold,alice.gold@example.com,Invest,Gold,1200,%s,,fr_FR,"
            "Import Skill,fr;en,FR;DE,yes,non,oui,+33 4 72 00 00 00,Lyon,FR\n"
            "Known Contact,known.contact@example.com,study,,30,2020-01-31,,,,,,"
            "no,,,+33 9 99 99 99 99,Nantes,\n"
            "Bob Ivory,bob.ivory@example.com,Visit,Ivory,0,,,,,,,,,,,,\n"
        ) % since
        result = self.run_import(text)
        self.assertEqual(result["errors"], [])
        self.assertEqual((result["state"], result["rows"], result["created"],
                          result["updated"]), ("done", 3, 2, 1))
        job = self.Job.browse(result["job_id"])
        alice = self.partner("alice.gold@example.com")
        self.assertEqual(len(alice), 1)
        self.assertEqual(alice.ambassador_state, "active")
        self.assertEqual(alice.ambassador_segment_id, self.invest)
        self.assertEqual(alice.display_name, "Alice Gold")
        self.assertEqual(alice.commercial_partner_id, alice)
        self.assertEqual(alice.lang, "fr_FR") if self.env["res.lang"].search(
            [("code", "=", "fr_FR")]) else None
        self.assertEqual(alice.ambassador_balance, 1200)
        self.assertEqual(alice.ambassador_tier_id, self.gold)
        # The validity runs by periods from the date the ambassador joined.
        valid = alice.ambassador_tier_valid_until
        self.assertTrue(valid and valid > date.today().isoformat())
        anniversary = date.today() - relativedelta(days=10)
        self.assertEqual(valid[5:], anniversary.isoformat()[5:])
        self.assertEqual(alice.ambassador_skill_ids, self.skill)
        self.assertEqual(sorted(alice.ambassador_network_country_ids.mapped("code")),
                         ["DE", "FR"])
        self.assertEqual(len(alice.ambassador_language_ids), 2)
        self.assertEqual((alice.phone, alice.city, alice.country_id.code),
                         ("+33 4 72 00 00 00", "Lyon", "FR"))
        line = alice.ambassador_transaction_ids
        self.assertEqual((line.origin, line.points, line.import_job_id),
                         ("import", 1200, job))
        change = alice.ambassador_promotion_ids.filtered(lambda c: c.reason == "import")
        self.assertEqual((change.to_tier_id, change.state), (self.gold, "applied"))
        self.assertTrue(alice.ambassador_consent_newsletter)
        self.assertFalse(alice.ambassador_consent_wall)
        log = alice.ambassador_consent_ids
        self.assertEqual(sorted(log.mapped("purpose")),
                         ["membership", "newsletter", "wall"])
        self.assertEqual(set(log.mapped("channel")), {"import"})
        self.assertEqual(set(log.mapped("legal_basis")), {"legacy"})
        # The existing contact joins; its own data is completed, never replaced.
        self.assertEqual(self.partner("known.contact@example.com"), existing)
        existing.invalidate_cache()
        self.assertEqual(existing.ambassador_state, "active")
        self.assertEqual(existing.ambassador_segment_id, self.study)
        self.assertEqual(existing.phone, "+33 1 11 11 11 11")
        self.assertEqual(existing.city, "Nantes")
        self.assertEqual(existing.ambassador_balance, 30)
        self.assertEqual(existing.ambassador_since, "2020-01-31")
        bob = self.partner("bob.ivory@example.com")
        self.assertEqual(bob.ambassador_tier_id, self.ivory)
        self.assertFalse(bob.ambassador_transaction_ids)
        self.assertFalse(bob.ambassador_tier_valid_until)
        self.assertEqual(job.partner_ids, alice | existing | bob)
        self.assertEqual(job.points_total, 1230)
        self.assertEqual(job.progress, 100.0)
        # Balances agree with the ledger.
        self.assertFalse(self.Ledger._balance_mismatches() & job.partner_ids)

    def test_imported_contact_is_like_a_created_one(self):
        """The set-based INSERT fills every stored field as the ORM would."""
        self.run_import(HEADER + "Same Person,same.import@example.com,Invest,,,,,,,"
                        ",,,,,,Lyon,FR\n")
        imported = self.partner("same.import@example.com")
        created = self.Partner.create({
            "name": "Same Person", "email": "same.orm@example.com", "city": "Lyon",
            "country_id": self.env.ref("base.fr").id})
        skip = {"id", "email", "create_date", "write_date", "create_uid",
                "write_uid", "commercial_partner_id", "ambassador_state",
                "ambassador_segment_id", "ambassador_tier_id", "ambassador_since",
                "message_last_post", "__last_update", "lang", "tz", "signup_token",
                "signup_type", "signup_expiration", "property_product_pricelist"}
        stored = [name for name, field in self.Partner._fields.items()
                  if field.store and field.column_type and name not in skip]
        imported_values = imported.read(stored)[0]
        created_values = created.read(stored)[0]
        differences = {name: (imported_values[name], created_values[name])
                       for name in stored
                       if imported_values[name] != created_values[name]}
        self.assertEqual(differences, {})

    def test_dry_run_writes_nothing(self):
        before = self.Partner.search_count([])
        result = self.run_import(
            HEADER + "Dry Run,dry.run@example.com,Invest,Silver,300,,,,,,,,,,,,\n",
            dry_run=True)
        self.assertEqual((result["state"], result["errors"]), ("checked", []))
        self.assertEqual(self.Partner.search_count([]), before)
        self.assertFalse(self.partner("dry.run@example.com"))

    def test_bad_rows_are_reported_and_nothing_is_written(self):
        before = self.Partner.search_count([])
        lines = [
            "Good Row,good.row@example.com,Invest,,10,,,,,,,,,,,,",
            "Bad Mail,not-an-address,Invest,,,,,,,,,,,,,,",
            "Bad Segment,bad.segment@example.com,Nowhere,,,,,,,,,,,,,,",
            "Bad Tier,bad.tier@example.com,Invest,Diamond,,,,,,,,,,,,,",
            "Negative,negative@example.com,Invest,,-5,,,,,,,,,,,,",
            "=HYPERLINK(\"http://evil\"),formula@example.com,Invest,,,,,,,,,,,,,,",
            "Twice,good.row@example.com,Invest,,,,,,,,,,,,,,",
            "Bad Date,bad.date@example.com,Invest,,,31-31-2020,,,,,,,,,,,",
            "Bad Consent,bad.consent@example.com,Invest,,,,,,,,,maybe,,,,,",
            "Bad Skill,bad.skill@example.com,Invest,,,,,,Juggling,,,,,,,,",
        ]
        result = self.run_import(HEADER + "\n".join(lines) + "\n")
        self.assertEqual(result["state"], "failed")
        refused = {(error["row"], error["column"]) for error in result["errors"]}
        self.assertEqual(refused, {
            (3, "email"), (4, "segment"), (5, "tier"), (6, "points"), (7, "name"),
            (8, "email"), (9, "since"), (10, "consent_newsletter"), (11, "skills")})
        self.assertTrue(all(error["message"] for error in result["errors"]))
        self.assertEqual(self.Partner.search_count([]), before)
        job = self.Job.browse(result["job_id"])
        self.assertEqual((job.error_count, job.row_count), (9, 10))
        self.assertIn("Row 3, column email", job.error_report)

    def test_file_level_errors(self):
        for content, expected in (
            (("name;email;segment\nÉlodie;e@example.com;Invest\n").encode("latin-1"),
             "UTF-8"),
            (b"name,segment\nNo Mail,Invest\n", "Required column missing"),
            (b"name,email,segment,shoe_size\nA,a@example.com,Invest,42\n",
             "Unknown column"),
            (b"", "no rows"),
            (b"PK\x03\x04 not really a spreadsheet", "spreadsheet"),
            (b"name,email,segment\n" + b"x,y,z\n" * 200001, "too many rows"),
        ):
            result = self.run_import(content)
            self.assertEqual(result["state"], "failed")
            self.assertIn(expected, result["errors"][0]["message"])

    def test_semicolons_and_xlsx(self):
        result = self.run_import(
            "name;email;segment;points\nSemi Colon;semi@example.com;Invest;5\n")
        self.assertEqual((result["state"], result["created"]), ("done", 1))
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream)
        sheet = book.add_worksheet()
        for col, value in enumerate(["name", "email", "segment", "tier", "points",
                                     "since"]):
            sheet.write(0, col, value)
        sheet.write_row(1, 0, ["Excel Person", "excel@example.com", "Study",
                               "Silver", 250])
        sheet.write_datetime(1, 5, datetime(2019, 5, 17),
                             book.add_format({"num_format": "dd/mm/yyyy"}))
        book.close()
        result = self.run_import(stream.getvalue(), filename="programme.xlsx")
        self.assertEqual(result["errors"], [])
        person = self.partner("excel@example.com")
        self.assertEqual((person.ambassador_balance, person.ambassador_tier_id,
                          person.ambassador_since), (250, self.silver, "2019-05-17"))

    def test_members_are_refused(self):
        member = self.make_ambassador("Already Member")
        result = self.run_import(HEADER + "Already,%s,Invest,,5,,,,,,,,,,,,\n"
                                 % member.email.upper())
        self.assertEqual(result["state"], "failed")
        self.assertIn("already in the programme", result["errors"][0]["message"])
        self.assertFalse(member.ambassador_transaction_ids.filtered(
            lambda line: line.origin == "import"))

    def test_only_managers_import(self):
        text = HEADER + "Rights,rights@example.com,Invest,,,,,,,,,,,,,,\n"
        for user in (self.portal_user, self.employee_user, self.staff_user,
                     self.committee_user):
            with self.assertRaises(AccessError):
                self.run_import(text, user=user)
        self.assertFalse(self.partner("rights@example.com"))
        # Nor may staff slip opening balances into the ledger.
        member = self.make_ambassador("Ledger Staff")
        with self.assertRaises(AccessError):
            self.Ledger.sudo(self.staff_user).create(
                {"partner_id": member.id, "points": 10, "origin": "import"})

    def test_reverse_a_line_and_a_whole_import(self):
        result = self.run_import(
            HEADER + "Rev One,rev.one@example.com,Invest,,150,,,,,,,,,,,,\n"
            "Rev Two,rev.two@example.com,Study,,20,,,,,,,,,,,,\n")
        job = self.Job.browse(result["job_id"])
        one = self.partner("rev.one@example.com")
        one.ambassador_transaction_ids.sudo(self.staff_user).action_reverse("Typo")
        self.assertEqual(one.ambassador_balance, 0)
        job.action_reverse_import()
        self.assertEqual(job.state, "reversed")
        two = self.partner("rev.two@example.com")
        self.assertEqual(two.ambassador_balance, 0)
        lines = self.Ledger.search([("partner_id", "in", job.partner_ids.ids)])
        self.assertEqual(sorted(lines.mapped("origin")),
                         ["import", "import", "reversal", "reversal"])

    def test_promotions_after_import_go_to_the_committee(self):
        self.run_import(
            HEADER + "Imp Silver,imp.silver@example.com,Invest,Silver,100,,,,,,,,,,,,\n"
            "Imp Gold,imp.gold@example.com,Invest,Gold,100,,2031-01-01,,,,,,,,,,\n")
        silver = self.partner("imp.silver@example.com")
        gold = self.partner("imp.gold@example.com")
        self.assertEqual(gold.ambassador_tier_valid_until, "2031-01-01")
        self.Ledger.create({"partner_id": silver.id, "points": 100000,
                            "origin": "manual"})
        self.Ledger.create({"partner_id": gold.id, "points": 100000,
                            "origin": "manual"})
        self.assertEqual(silver.ambassador_tier_id, self.silver)
        self.assertEqual(gold.ambassador_tier_id, self.gold)
        proposed = self.Promotion.search([
            ("partner_id", "in", (silver | gold).ids), ("state", "=", "proposed")])
        self.assertEqual(set(proposed.mapped("to_tier_id.committee_required")), {True})
        self.assertEqual(set(proposed.mapped("partner_id")), {silver, gold})

    def test_large_files_are_queued(self):
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.import_sync_rows", "1")
        result = self.run_import(
            HEADER + "Queue One,queue.one@example.com,Invest,,1,,,,,,,,,,,,\n"
            "Queue Two,queue.two@example.com,Invest,,2,,,,,,,,,,,,\n")
        self.assertEqual(result["state"], "queued")
        self.assertFalse(self.partner("queue.one@example.com"))
        job = self.Job.browse(result["job_id"])
        job.sudo()._run_queued()
        self.assertEqual((job.state, job.created_count), ("done", 2))
        self.assertEqual(self.partner("queue.two@example.com").ambassador_balance, 2)

    def test_a_job_cannot_be_set_back(self):
        result = self.run_import(
            HEADER + "Twice Not,twice.not@example.com,Invest,,40,,,,,,,,,,,,\n")
        job = self.Job.browse(result["job_id"])
        for values in ({"state": "draft"}, {"created_count": 0},
                       {"name": "Renamed"}):
            with self.assertRaises(UserError):
                job.write(values)
        with self.assertRaises(UserError):
            job.action_import()
        with self.assertRaises(UserError):
            self.Job.create({"file": b64("x"), "state": "done"})
        self.assertEqual(self.partner("twice.not@example.com").ambassador_balance, 40)
