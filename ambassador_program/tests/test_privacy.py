# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""GDPR export and erasure (issue 12): the map of personal data covers every
link to a person, the export holds a marker seeded in every table of the map
(and nobody else's), erasure leaves no identity while the ledger's sums and
the counts stay right; who may do what, over the ORM, HTTP and JSON-RPC."""
import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from ..models.ambassador_personal_data import NOT_THE_PERSON, PERSONAL_DATA
from ..models.authority import as_engine
from .common import FIXTURE_CONSENT, AmbassadorCase
from .common_http import SharedCursorHttpCase

MODULE = "ambassador_program"
PERSON_MODELS = ("res.partner", "res.users")


def seed_person(env, tag, segment, rule, viewer_user=None):
    """An ambassador with a marker ``<tag>-<table>`` in every table of the
    map; returns (partner, user, markers)."""
    markers = {}

    def mark(key):
        markers[key] = "%s-%s" % (tag, key)
        return markers[key]

    Partner = env["res.partner"].with_context(**FIXTURE_CONSENT)
    partner = Partner.create({
        "name": mark("name"), "email": "%s@privacy.example.org" % tag.lower(),
        "phone": "+33 6 %s" % tag, "street": mark("street"),
        "ambassador_state": "active", "ambassador_segment_id": segment.id,
        "ambassador_institution": mark("institution"),
        "ambassador_testimonial": mark("testimonial")})
    partner = partner.with_env(env)
    markers["email"] = partner.email
    Partner.create({"name": mark("address"), "parent_id": partner.id,
                    "type": "delivery", "street": mark("address_street")})
    user = env["res.users"].with_context(no_reset_password=True).create({
        "name": partner.name, "login": mark("login"), "password": "pw-" + tag,
        "partner_id": partner.id,
        "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    as_engine(partner).with_context(ambassador_channel="portal",
                                    ambassador_ip=mark("consent_ip")).write(
        {"ambassador_consent_newsletter": True})
    charter = env["ambassador.charter"].get_current()
    partner._ambassador_accept_charter(charter, "portal", mark("charter_ip"),
                                       mark("charter_agent"))
    env["ambassador.signup.request"].create({
        "partner_id": partner.id, "segment_id": segment.id, "email": partner.email,
        "ip_address": mark("signup_ip"), "user_agent": mark("signup_agent")})
    proof = env["ambassador.proof"].create({
        "name": mark("proof_title"), "partner_id": partner.id, "rule_id": rule.id,
        "description": mark("proof_description")})
    attachment = env["ir.attachment"].create({
        "name": "proof.txt", "datas_fname": "proof.txt",
        "datas": base64.b64encode(mark("proof_file").encode()),
        "res_model": "ambassador.proof", "res_id": proof.id})
    proof.write({"attachment_ids": [(4, attachment.id)],
                 "name": mark("tracked_title")})
    env["ambassador.point.transaction"].create({
        "partner_id": partner.id, "points": 7, "origin": "manual",
        "note": mark("ledger_note")})
    promotion = as_engine(env["ambassador.promotion"]).create({
        "partner_id": partner.id, "to_tier_id": env.ref(
            "ambassador_program.tier_gold").id, "committee_notes": "x"})
    markers["status_history"] = promotion.id
    env["ambassador.incident"].create({
        "name": mark("incident_name"), "partner_id": partner.id,
        "description": mark("incident_description")})
    event = env["event.event"].create({
        "name": "Privacy evening %s" % tag, "date_begin": "2030-06-01 18:00:00",
        "date_end": "2030-06-01 22:00:00"})
    env["event.registration"].create({
        "event_id": event.id, "partner_id": partner.id,
        "name": mark("registration"), "email": partner.email})
    contact = env["mail.mass_mailing.contact"].search(
        [("ambassador_partner_id", "=", partner.id)])
    if contact:
        contact.write({"name": mark("mailing")})
    else:
        env["mail.mass_mailing.contact"].create({
            "name": mark("mailing"), "email": partner.email,
            "ambassador_partner_id": partner.id})
    env["ambassador.directory.view"].create({
        "user_id": user.id, "partner_id": partner.id, "profile_count": 1,
        "search_term": mark("search")})
    viewer = viewer_user or env.ref("base.user_root")
    received = env["ambassador.directory.view"].create({
        "user_id": viewer.id, "partner_id": viewer.partner_id.id,
        "profile_count": 1, "profile_ids": [(6, 0, partner.ids)]})
    markers["directory_views_received"] = received.id
    # A mission taken and answered (issue 14).
    mission = env["ambassador.mission"].create({
        "name": "Privacy survey %s" % tag, "proof_method": "survey",
        "state": "open"})
    as_engine(env["ambassador.mission.participation"]).create({
        "mission_id": mission.id, "partner_id": partner.id,
        "state": "submitted", "survey_answer": mark("mission_answer")})
    # Brought in by an import from the former programme, asked to re-confirm.
    job = env["ambassador.import.job"].create({
        "name": "Legacy import", "filename": "legacy.csv",
        "file": base64.b64encode(("name,email\n%s,%s\n" % (
            partner.name, partner.email)).encode())})
    env.cr.execute("INSERT INTO ambassador_import_job_partner_rel (job_id, partner_id) "
                   "VALUES (%s, %s)", (job.id, partner.id))
    job.invalidate_cache()
    markers["imports"] = job.id
    markers["reconfirmations"] = env["ambassador.reconfirmation"]._send_to(
        partner).id
    # Signed up through a referral link; its last sign-in's network.
    referrer = Partner.create({
        "name": "Referrer of %s" % tag, "email": "ref.%s@example.org" % tag.lower(),
        "ambassador_state": "active", "ambassador_segment_id": segment.id})
    markers["referral"] = as_engine(env["ambassador.referral"])._record(
        partner, referrer).id
    env["res.partner"]._ambassador_note_signin(partner, "203.0.113.77")
    # Its personal link to a share kit (issue 14).
    mission = env["ambassador.mission"].create(
        {"name": "Privacy share", "state": "open", "proof_method": "share"})
    kit = env["ambassador.share.kit"].create(
        {"name": "Privacy kit", "mission_id": mission.id,
         "url": "https://example.org/privacy/%s" % tag.lower()})
    markers["share_links"] = env["ambassador.share.link"]._ambassador_link(
        kit, partner).id
    # An outcome attributed to the person (issue 15), with a co-ambassador.
    outcome = env["ambassador.outcome"].create({
        "name": "Privacy settlement %s" % tag, "kind": "company",
        "jobs_announced": 7, "attribution_ids": [
            (0, 0, {"partner_id": partner.id, "share": 60.0}),
            (0, 0, {"partner_id": referrer.id, "share": 40.0})]})
    markers["outcome_attributions"] = outcome.attribution_ids.filtered(
        lambda line: line.partner_id == partner).id
    # Introductions (issue 15): one it asked for, one it was asked for.
    as_engine(partner).write({"ambassador_intro_only": True})
    peer = Partner.create({
        "name": "Peer of %s" % tag, "email": "peer.%s@example.org" % tag.lower(),
        "ambassador_state": "active", "ambassador_segment_id": segment.id,
        "ambassador_show_city": True})
    purpose = env.ref("ambassador_program.introduction_purpose_business")
    Intro = as_engine(env["ambassador.introduction"])
    Intro.create({"requester_id": partner.id, "requested_by": "ambassador",
                  "recipient_id": peer.id, "purpose_id": purpose.id,
                  "message": mark("intro_sent")})
    Intro.create({"requester_id": peer.id, "requested_by": "ambassador",
                  "recipient_id": partner.id, "purpose_id": purpose.id,
                  "message": mark("intro_received")})
    # A lead passed on to the agency (issue 15).
    markers["leads"] = env["crm.lead"]._ambassador_submit(partner, {
        "name": "Privacy lead company", "kind": "company",
        "country_id": str(env.ref("base.de").id),
        "description": "Privacy lead"}).id
    partner.message_post(body=mark("message"), subtype="mail.mt_note")
    return partner, user, markers


class TestPersonalDataMap(AmbassadorCase):

    def test_every_link_to_a_person_is_in_the_map(self):
        """A model of the addon holding a link to a contact or a user is
        either a table of the map or declared as not about the person."""
        mapped = {(table.model, table.link) for table in PERSONAL_DATA}
        missing = []
        for name in self.env.registry.models:
            for field in self.env[name]._fields.values():
                if (field._module == MODULE and field.type in ("many2one",
                                                               "many2many")
                        and field.comodel_name in PERSON_MODELS
                        and not field.related
                        and (name, field.name) not in mapped
                        and (name, field.name) not in NOT_THE_PERSON):
                    missing.append("%s.%s" % (name, field.name))
        self.assertFalse(missing, "Links to a person missing from "
                         "models/ambassador_personal_data.py: %s" % missing)
        for table in PERSONAL_DATA:
            self.assertIn(table.model, self.env)
            for name in table.export + ([table.link] if table.link != "id" else []):
                self.assertIn(name, self.env[table.model]._fields, table)


class TestExportAndErasure(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestExportAndErasure, cls).setUpClass()
        env = cls.env
        cls.b, cls.b_user, cls.b_markers = seed_person(
            env, "MKB", cls.invest, cls.rule_partnership)
        cls.a, cls.a_user, cls.a_markers = seed_person(
            env, "MKA", cls.invest, cls.rule_partnership, viewer_user=cls.b_user)

    def test_export_holds_every_marker_and_no_one_elses(self):
        data = self.a.sudo(self.a_user).ambassador_export_personal_data()
        text = json.dumps(data, ensure_ascii=False)
        for key, marker in self.a_markers.items():
            if isinstance(marker, int):
                self.assertIn(marker, [row["id"] for row in data[key]], key)
            elif key == "proof_file":
                contents = [base64.b64decode(f["content_base64"]).decode()
                            for f in data["files"]]
                self.assertIn(marker, contents)
            else:
                self.assertIn(marker, text, key)
        for key, marker in self.b_markers.items():
            if isinstance(marker, str):
                self.assertNotIn(marker, text, key)
        for table in PERSONAL_DATA:
            self.assertTrue(data[table.key], "nothing exported for %s" % table.key)

    def test_export_is_the_person_or_staff(self):
        self.a.sudo(self.a_user).ambassador_export_personal_data()
        with self.assertRaises(AccessError):
            self.b.sudo(self.a_user).ambassador_export_personal_data()
        with self.assertRaises(AccessError):
            self.a.sudo(self.employee_user).ambassador_export_personal_data()
        self.a.sudo(self.staff_user).ambassador_export_personal_data()
        action = self.a.sudo(self.staff_user).action_ambassador_export_personal_data()
        self.assertIn("/ambassador/privacy/%d/" % self.a.id, action["url"])
        with self.assertRaises(AccessError):
            self.a.sudo(self.a_user).action_ambassador_export_personal_data()

    def counts(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        ledger = self.env["ambassador.point.transaction"].read_group(
            [("segment_id", "=", self.invest.id)], ["points"], [])
        return {
            "ambassadors": Partner.search_count(
                [("ambassador_segment_id", "=", self.invest.id),
                 ("ambassador_state", "!=", False)]),
            "ledger_sum": ledger[0]["points"],
            "ledger_lines": self.env["ambassador.point.transaction"].search_count(
                [("partner_id", "=", self.a.id)]),
            "balance": self.a.ambassador_balance,
        }

    def dashboard(self):
        row = self.env["ambassador.programme.dashboard"].search(
            [("segment_id", "=", self.invest.id)])
        return {name: row[name] for name in (
            "active_count", "proof_waiting_count", "committee_count")}

    def test_erasure_leaves_no_identity_and_right_sums(self):
        before = self.counts()
        board = self.dashboard()
        b_before = self.export_without_date(self.b)
        job = self.env["ambassador.import.job"].browse(self.a_markers["imports"])
        self.a._ambassador_erase_personal_data()
        self.env["res.partner"].invalidate_cache()
        # Out of its import's list; the import's source file, which named the
        # person, is gone; its re-confirmation request too.
        job.invalidate_cache()
        self.assertNotIn(self.a, job.partner_ids)
        self.assertFalse(job.file)
        self.assertFalse(self.env["ambassador.reconfirmation"].search(
            [("partner_id", "=", self.a.id)]))
        after = self.counts()
        self.assertEqual(before, after)
        # The person left: one active ambassador less, its waiting proof and
        # its proposal out of the queues; nothing else moves.
        self.env["ambassador.programme.dashboard"].invalidate_cache()
        self.assertEqual(self.dashboard(), {
            name: value - 1 for name, value in board.items()})
        self.assertFalse(self.env["ambassador.point.transaction"]
                         ._balance_mismatches() & self.a)
        self.assertEqual(self.a.name, "Erased ambassador #%d" % self.a.id)
        self.assertEqual(self.a.ambassador_state, "left")
        self.assertFalse(self.a.email or self.a.phone or self.a.street)
        self.assertFalse(self.a_user.active)
        self.assertNotIn("MKA", self.a_user.login)
        # Every text column of every table: no marker left but the ledger's
        # note, written by staff, which the append-only ledger keeps
        # (readme/PRIVACY.rst).
        kept = {"ledger_note"}
        for key, marker in self.a_markers.items():
            if key not in kept and not isinstance(marker, int):  # ids: no text
                self.assertFalse(self.find_in_database(marker), key)
        # Somebody else's data is untouched.
        self.assertEqual(self.export_without_date(self.b), b_before)

    @staticmethod
    def export_without_date(partner):
        data = partner.ambassador_export_personal_data()
        data.pop("generated")
        return json.dumps(data, sort_keys=True)

    def find_in_database(self, marker):
        """[table.column] holding ``marker`` in the test's own transaction
        (pg_dump cannot see it: tests/test_privacy_browser.py dumps)."""
        cr = self.env.cr
        cr.execute("""
            SELECT c.table_name, array_agg(c.column_name::text)
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_name = c.table_name
                 AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = 'public'
              AND c.data_type IN ('character varying', 'text', 'bytea')
            GROUP BY c.table_name""")
        found = []
        pattern = "%%%s%%" % marker.lower()
        for table, columns in cr.fetchall():
            condition = " OR ".join(
                'lower("%s"::text) LIKE %%(p)s' % col for col in columns)
            cr.execute('SELECT 1 FROM "%s" WHERE %s LIMIT 1' % (table, condition),
                       {"p": pattern})
            if cr.fetchone():
                found.append(table)
        return found

    def test_erasure_wizard_managers_only(self):
        Wizard = self.env["ambassador.erase.wizard"]
        for user in (self.staff_user, self.committee_user, self.employee_user):
            wizard = Wizard.sudo(user).create(
                {"partner_id": self.a.id, "reason": "Letter", "confirmed": True})
            with self.assertRaises(AccessError):
                wizard.action_erase()
            with self.assertRaises(AccessError):
                self.a.sudo(user).action_ambassador_erase_personal_data()
        action = self.a.sudo(self.manager_user).action_ambassador_erase_personal_data()
        self.assertEqual(action["res_model"], "ambassador.erase.wizard")
        wizard = Wizard.sudo(self.manager_user).create(
            {"partner_id": self.a.id, "reason": "Letter of 2 March"})
        with self.assertRaises(UserError):
            wizard.action_erase()  # not confirmed
        self.assertIn("MKA", self.a.name)
        wizard.confirmed = True
        wizard.action_erase()
        self.assertEqual(self.a.name, "Erased ambassador #%d" % self.a.id)
        self.assertIn("Letter of 2 March", self.a.message_ids[0].body)

    def test_employees_contacts_are_not_erased(self):
        employee = self.employee_user.partner_id
        name = employee.name
        self.assertEqual((employee | self.a)._ambassador_erase_personal_data(), 1)
        self.assertEqual(employee.name, name)
        self.assertTrue(self.employee_user.active)
        self.assertTrue(self.a.name.startswith("Erased ambassador #"))

    def test_erasure_is_set_based(self):
        """Erasing two people or four takes the same number of queries (no
        query per person)."""
        counts = []
        for size in (2, 4, 8):
            people = self.Partner.browse()
            for index in range(size):
                people |= self.make_ambassador("Set%d Based%d" % (size, index),
                                               points=3)
                people[-1:]._ambassador_accept_charter(
                    self.env["ambassador.charter"].get_current())
            self.env["res.partner"].invalidate_cache()
            queries = self.cr.sql_log_count
            people._ambassador_erase_personal_data()
            counts.append(self.cr.sql_log_count - queries)
        self.assertEqual(counts[1], counts[2], counts)


@common.at_install(False)
@common.post_install(True)
class TestPrivacyOverHttp(SharedCursorHttpCase):
    """The space's pages and JSON-RPC: only oneself."""

    def setUp(self):
        super(TestPrivacyOverHttp, self).setUp()
        env, ref = self.env, self.env.ref
        self.invest = ref("ambassador_program.segment_invest")
        rule = ref("ambassador_program.rule_partnership")
        self.b, self.b_user, self.b_markers = seed_person(env, "HTB", self.invest, rule)
        self.a, self.a_user, self.a_markers = seed_person(env, "HTA", self.invest, rule)
        self.employee = env["res.users"].with_context(no_reset_password=True).create(
            {"name": "Privacy employee", "login": "privacy-employee",
             "password": "privacy-employee",
             "groups_id": [(6, 0, [ref("base.group_user").id])]})

    def rpc(self, partner):
        self.sync()
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"model": "res.partner",
                                        "method": "ambassador_export_personal_data",
                                        "args": [partner.ids], "kwargs": {}}}),
            headers={"Content-Type": "application/json"}, timeout=60)
        self.env.clear()
        body = response.json()
        return body.get("result"), body.get("error", {}).get("data", {}).get("name")

    def test_export_pages_and_rpc_only_oneself(self):
        self.authenticate(self.a_markers["login"], "pw-HTA")
        response = self.url_open("/my/ambassador/privacy/export.json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(self.a_markers["proof_description"], response.text)
        page = self.url_open("/my/ambassador/privacy/export.html")
        self.assertIn(self.a_markers["incident_description"], page.text)
        other = self.url_open("/ambassador/privacy/%d/export.json" % self.b.id)
        self.assertEqual(other.status_code, 403)
        self.assertNotIn(self.b_markers["proof_description"], other.text)
        result, error = self.rpc(self.a)
        self.assertIn(self.a_markers["name"], json.dumps(result))
        result, error = self.rpc(self.b)
        self.assertTrue(error and error.endswith("AccessError"), error)
        self.authenticate("privacy-employee", "privacy-employee")
        result, error = self.rpc(self.a)
        self.assertTrue(error and error.endswith("AccessError"), error)
        other = self.url_open("/ambassador/privacy/%d/export.html" % self.a.id)
        self.assertEqual(other.status_code, 403)
        staff = self.env["res.users"].with_context(no_reset_password=True).create(
            {"name": "Privacy staff", "login": "privacy-staff",
             "password": "privacy-staff",
             "groups_id": [(6, 0, [self.env.ref(
                 "ambassador_program.group_ambassador_user").id])]})
        self.authenticate(staff.login, "privacy-staff")
        page = self.url_open("/ambassador/privacy/%d/export.html" % self.a.id)
        self.assertEqual(page.status_code, 200, page.text[page.text.find("<h1"):][:400])
        self.assertIn(self.a_markers["incident_description"], page.text)
        result, error = self.rpc(self.a)
        self.assertIn(self.a_markers["name"], json.dumps(result))

    def test_portal_erasure_confirmed_and_csrf_protected(self):
        self.authenticate(self.a_markers["login"], "pw-HTA")
        page = self.url_open("/my/ambassador/privacy/erase")
        self.assertEqual(page.status_code, 200)
        # No CSRF token: refused, nothing erased.
        refused = self.url_open("/my/ambassador/privacy/erase",
                                data={"confirm": "yes"})
        self.assertIn(refused.status_code, (400, 403))
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        unconfirmed = self.url_open("/my/ambassador/privacy/erase",
                                    data={"csrf_token": token})
        self.assertEqual(unconfirmed.status_code, 400)
        self.assertIn('id="confirm_error"', unconfirmed.text)
        self.env.clear()
        self.assertEqual(self.a.name, self.a_markers["name"])
        done = self.url_open("/my/ambassador/privacy/erase",
                             data={"csrf_token": token, "confirm": "yes"})
        self.assertEqual(done.status_code, 200)
        self.assertIn("/my/ambassador/privacy/erased", done.url)
        self.env.clear()
        self.assertEqual(self.a.name, "Erased ambassador #%d" % self.a.id)
        self.assertFalse(self.a_user.active)
        self.assertEqual(self.b.name, self.b_markers["name"])
        # The account no longer logs in.
        self.assertFalse(self.env["res.users"].authenticate(
            self.env.cr.dbname, self.a_markers["login"], "pw-HTA", {}))
