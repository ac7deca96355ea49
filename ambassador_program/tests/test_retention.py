# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The retention job (issue 12): each category purged after its own period,
exactly (older purged, newer kept), the periods as validated settings, a run
harmless twice, and queries that do not grow with the rows purged."""
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.authority import as_engine
from .common import AmbassadorCase

IP = "198.51.100.23"
AGENT = "Retention test agent"


def ago(days):
    return fields.Datetime.to_string(datetime.utcnow() - timedelta(days=days))


class TestRetention(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestRetention, cls).setUpClass()
        cls.Run = cls.env["ambassador.retention.run"]
        cls.Request = cls.env["ambassador.signup.request"]
        cls.Public = cls.Request.sudo(cls.env.ref("base.public_user"))
        cls.charter = cls.env["ambassador.charter"].get_current()
        for key, value in (("signup_rate_limit", 1000), ("signup_address_limit", 1000),
                           ("retention_signup_margin_days", 30),
                           ("retention_ip_days", 365),
                           ("retention_directory_view_days", 180),
                           ("retention_left_years", 3)):
            cls.env["ir.config_parameter"].set_param(
                "ambassador_program.%s" % key, str(value))
        cls.viewer = cls.make_ambassador("Vera Viewer")
        cls.viewer_user = cls.make_portal_user(cls.viewer)

    def signup(self, email, expired_days_ago):
        """A sign-up of a new address whose link expired ``expired_days_ago``
        (negative: still valid), as the website makes it, then aged."""
        form = {
            "name": email.split("@")[0], "email": email,
            "ambassador_institution": "University", "ambassador_research_field": "X",
            "charter_accepted": "1",
            "charter_id": self.charter and str(self.charter.id) or None,
        }
        request = self.Public._ambassador_signup(self.study, form, IP, AGENT, "en_US")
        self.age_request(request, expired_days_ago)
        return request.sudo()

    def age_request(self, request, expired_days_ago):
        created = ago(expired_days_ago + 3)
        self.env.cr.execute(
            "UPDATE ambassador_signup_request SET expiration = %s, create_date = %s "
            "WHERE id = %s", (ago(expired_days_ago), created, request.id))
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s AND create_date "
            ">= %s", (created, request.partner_id.id, ago(1)))
        self.env.cr.execute(
            "UPDATE ambassador_charter_acceptance SET date = %s WHERE partner_id = %s",
            (created, request.partner_id.id))
        request.invalidate_cache()

    def view(self, days_ago):
        view = self.env["ambassador.directory.view"].create(
            {"user_id": self.viewer_user.id, "partner_id": self.viewer.id,
             "profile_count": 1, "profile_ids": [(6, 0, self.viewer.ids)]})
        self.env.cr.execute("UPDATE ambassador_directory_view SET date = %s "
                            "WHERE id = %s", (ago(days_ago), view.id))
        return view

    def run_job(self):
        run = self.Run._cron_retention()
        self.env["res.partner"].invalidate_cache()
        return run

    # ------------------------------------------------------------------
    def test_unconfirmed_signups_and_their_contacts(self):
        self.run_job()  # what other data left past its period
        old = self.signup("old.signup@example.org", 31)
        recent = self.signup("recent.signup@example.org", 29)
        valid = self.signup("valid.signup@example.org", -1)
        old_partner, recent_partner = old.partner_id, recent.partner_id
        # A contact the programme knew before its sign-up: the request goes,
        # the contact stays.
        known = self.Partner.create({"name": "Known Customer",
                                     "email": "known.customer@example.org"})
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s",
                            (ago(400), known.id))
        known_request = self.signup("known.customer@example.org", 40)
        self.assertEqual(known_request.partner_id, known)
        # A candidate held by something else (an account) stays too.
        held = self.signup("held.signup@example.org", 60)
        self.make_portal_user(held.partner_id)
        held_partner = held.partner_id
        # A confirmed request stays (the proof of the double opt-in).
        confirmed = self.signup("confirmed.signup@example.org", -1)
        confirmed._confirm(IP, {})
        self.age_request(confirmed, 100)

        run = self.run_job()
        self.assertEqual(run.signup_count, 3)  # old, known's, held's
        self.assertEqual(run.candidate_count, 1)
        self.assertFalse(old.exists())
        self.assertFalse(old_partner.exists())
        self.assertEqual(known_request.exists(), self.Request.browse())
        self.assertTrue(known.exists())
        self.assertFalse(held.exists())
        self.assertTrue(held_partner.exists())
        self.assertTrue(recent.exists() and recent_partner.exists())
        self.assertTrue(valid.exists() and valid.partner_id.exists())
        self.assertTrue(confirmed.exists())
        self.assertEqual(confirmed.state, "confirmed")

    def test_traces_cleared_rows_kept(self):
        amb = self.make_ambassador("Tracy Traces")
        as_engine(amb)._ambassador_set_consents(
            {"ambassador_consent_newsletter": True}, "portal", IP)
        as_engine(amb)._ambassador_set_consents(
            {"ambassador_show_city": True}, "portal", IP)
        old_consent, new_consent = amb.ambassador_consent_ids.sorted("id")
        self.env.cr.execute("UPDATE ambassador_consent SET date = %s WHERE id = %s",
                            (ago(366), old_consent.id))
        charter = self.env["ambassador.charter"].create(
            {"name": "C", "version": "retention-1", "content": "<p>C</p>"})
        amb._ambassador_accept_charter(charter, "portal", IP, AGENT)
        amb._ambassador_accept_charter(charter, "portal", IP, AGENT)
        old_acceptance, new_acceptance = amb.ambassador_charter_acceptance_ids.sorted(
            "id")
        self.env.cr.execute(
            "UPDATE ambassador_charter_acceptance SET date = %s WHERE id = %s",
            (ago(400), old_acceptance.id))
        old_signup = self.signup("traced.signup@example.org", -1)
        old_signup._confirm(IP, {})
        self.env.cr.execute(
            "UPDATE ambassador_signup_request SET create_date = %s WHERE id = %s",
            (ago(366), old_signup.id))
        new_signup = self.signup("fresh.signup@example.org", -1)

        run = self.run_job()
        self.assertGreaterEqual(run.trace_count, 3)
        for record in (old_consent, old_acceptance, old_signup):
            self.assertTrue(record.exists())
            self.assertFalse(record.ip_address, record)
        self.assertFalse(old_acceptance.user_agent)
        self.assertFalse(old_signup.user_agent or old_signup.confirmed_ip)
        self.assertFalse(old_signup.rate_limit_key)
        self.assertEqual(old_consent.purpose, "newsletter")  # the proof stays
        for record in (new_consent, new_acceptance, new_signup):
            self.assertEqual(record.ip_address, IP, record)
        self.assertEqual(new_acceptance.user_agent, AGENT)
        self.assertEqual(new_signup.user_agent, AGENT)
        self.assertEqual(self.run_job().trace_count, 0)

    def test_directory_views(self):
        self.run_job()
        old, new = self.view(181), self.view(179)
        run = self.run_job()
        self.assertEqual(run.directory_view_count, 1)
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
        self.assertEqual(new.profile_ids, self.viewer)

    def test_leavers_erased(self):
        today = date.today()
        long_gone = self.make_ambassador("Lou Longgone")
        recently = self.make_ambassador("Rita Recent")
        undated = self.make_ambassador("Udo Undated")
        (long_gone | recently | undated).sudo(self.staff_user).action_ambassador_leave()
        self.assertEqual(recently.ambassador_left_date, fields.Date.to_string(today))
        as_engine(long_gone).write({"ambassador_left_date": fields.Date.to_string(
            today - relativedelta(years=3, days=1))})
        as_engine(recently).write({"ambassador_left_date": fields.Date.to_string(
            today - relativedelta(years=3) + timedelta(days=1))})
        as_engine(undated).write({"ambassador_left_date": False})
        cutoff = fields.Date.to_string(today - relativedelta(years=3))
        leavers = self.Partner._ambassador_retention_leavers(cutoff)
        self.assertIn(long_gone, leavers)
        self.assertNotIn(recently, leavers)
        self.assertNotIn(undated, leavers)
        before = len(leavers)
        self.assertEqual(self.run_job().leaver_count, before)
        long_gone.invalidate_cache()
        self.assertEqual(long_gone.name, "Erased ambassador #%d" % long_gone.id)
        self.assertTrue(long_gone.ambassador_erased_date)
        self.assertEqual(recently.name, "Rita Recent")
        self.assertEqual(undated.name, "Udo Undated")
        # Erased once: the next run finds nobody left to erase.
        self.assertNotIn(long_gone, self.Partner._ambassador_retention_leavers(cutoff))
        self.assertEqual(self.run_job().leaver_count, 0)

    def test_leaving_dates_are_not_edited(self):
        """Erasure follows the leaving date: staff and employees cannot move
        it (nor the erasure date) by editing the contact."""
        leaver = self.make_ambassador("Lena Leaving")
        leaver.sudo(self.staff_user).action_ambassador_leave()
        for field in ("ambassador_left_date", "ambassador_erased_date"):
            with self.assertRaises(AccessError):
                leaver.sudo(self.staff_user).write({field: "2000-01-01"})
        self.assertNotEqual(leaver.ambassador_left_date, "2000-01-01")

    def test_zero_keeps_for_ever(self):
        for key in ("retention_signup_margin_days", "retention_ip_days",
                    "retention_directory_view_days", "retention_left_years"):
            self.env["ir.config_parameter"].set_param(
                "ambassador_program.%s" % key, "0")
        old = self.signup("kept.signup@example.org", 3000)
        view = self.view(3000)
        run = self.run_job()
        self.assertEqual((run.signup_count, run.candidate_count, run.trace_count,
                          run.directory_view_count, run.leaver_count),
                         (0, 0, 0, 0, 0))
        self.assertTrue(old.exists() and old.ip_address == IP)
        self.assertTrue(view.exists())

    def test_runs_twice_without_harm(self):
        self.run_job()
        self.signup("twice.signup@example.org", 31)
        self.view(200)
        first = self.run_job()
        second = self.run_job()
        self.assertEqual((first.signup_count, first.directory_view_count), (1, 1))
        self.assertEqual((second.signup_count, second.candidate_count,
                          second.trace_count, second.directory_view_count),
                         (0, 0, 0, 0))
        self.assertEqual(
            self.Run.search_count([("id", "in", (first | second).ids)]), 2)

    def test_queries_do_not_grow_with_rows_purged(self):
        def queries_for(count, tag):
            for index in range(count):
                self.signup("q%s.%d@example.org" % (tag, index), 31)
                self.view(200)
            self.env["res.partner"].invalidate_cache()
            before = self.env.cr.sql_log_count
            run = self.run_job()
            self.assertEqual(run.candidate_count, count)
            self.assertEqual(run.directory_view_count, count)
            return self.env.cr.sql_log_count - before

        self.run_job()  # a clean slate
        queries_for(1, "w")  # caches warm
        few = queries_for(2, "a")
        many = queries_for(12, "b")
        self.assertEqual(few, many)

    def test_run_log_is_append_only(self):
        run = self.run_job()
        with self.assertRaises(UserError):
            run.write({"signup_count": 99})
        with self.assertRaises(UserError):
            run.unlink()
        with self.assertRaises(AccessError):
            self.Run.sudo(self.manager_user).create({"signup_count": 1})
        with self.assertRaises(AccessError):
            # Even the superuser over RPC: only the job records a run.
            self.Run.create({"signup_count": 1})
        self.assertTrue(self.Run.sudo(self.manager_user).search([("id", "=", run.id)]))
        with self.assertRaises(AccessError):
            self.Run.sudo(self.staff_user).search([])

    def test_settings_validated(self):
        Settings = self.env["res.config.settings"].sudo(self.env.ref("base.user_root"))
        for field in ("ambassador_retention_ip_days",
                      "ambassador_retention_left_years"):
            for bad in (-1, 100000):
                with self.assertRaises(ValidationError):
                    Settings.create({field: bad})
        settings = Settings.create({"ambassador_retention_ip_days": 90,
                                    "ambassador_retention_left_years": 0})
        settings.execute()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("ambassador_program.retention_ip_days"), "90")
        self.assertEqual(params.get_param("ambassador_program.retention_left_years"),
                         "0")
        self.assertEqual(self.Run._periods()["retention_left_years"], 0)
        defaults = self.env["res.config.settings"].default_get(
            ["ambassador_retention_directory_view_days"])
        self.assertIn("ambassador_retention_directory_view_days", defaults)
