# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ambassador space over HTTP (issue 11): logging in lands in it, the site
knows who is an ambassador, each page says what the tier gives and how to go
further, events and invitations, the proof form's e-mail address and the
actions nobody declares, the profile form, one title and one h1 per page."""
import json
import re

from odoo import fields
from odoo.tests import common

from .test_portal_profile import image_bytes
from .test_website import CSRF_RE, WebsiteCase

SPACE_PAGES = (
    "/my/ambassador",
    "/my/ambassador/profile",
    "/my/ambassador/proofs/new",
    "/my/ambassador/documents",
    "/my/ambassador/directory",
)


def content(html):
    """The page's own content: from the portal wrapper to the footer."""
    start = html.find('id="wrap"')
    end = html.find("<footer", start)
    return html[start:end if end > 0 else None]


@common.at_install(False)
@common.post_install(True)
class TestSpaceNavigation(WebsiteCase):

    def setUp(self):
        super(TestSpaceNavigation, self).setUp()
        self.amb = self.make_ambassador("Lena Landing", tier=self.silver)
        self.login_name = self.make_user(self.amb)
        self.env.ref("ambassador_program.mail_alias_proofs")  # data loaded

    def web_login(self, login, redirect=None):
        self.opener.cookies.clear()
        self.opener.cookies["frontend_lang"] = "en_US"
        page = self.url_open("/web/login")
        data = {"login": login, "password": login,
                "csrf_token": CSRF_RE.search(page.text).group(1)}
        if redirect:
            data["redirect"] = redirect
        return self.post("/web/login", data)

    @staticmethod
    def landing(response):
        """Where a login leads: Odoo answers with a script keeping the URL's
        hash (redirect_with_hash), or a plain redirect."""
        match = re.search(r"window.location = '([^']*)'", response.text)
        return match.group(1) if match else response.url

    def test_login_lands_in_the_space(self):
        response = self.web_login(self.login_name)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.landing(response), "/my/ambassador")
        self.assertIn("o_ambassador_status", self.url_open("/my/ambassador").text)
        # An explicit redirect wins.
        response = self.web_login(self.login_name, redirect="/my/ambassador/documents")
        self.assertEqual(self.landing(response), "/my/ambassador/documents")
        # A portal user who is not an ambassador keeps Odoo's landing.
        plain = self.Partner.create({"name": "Plain Visitor",
                                     "email": "plain.visitor@example.org"})
        response = self.web_login(self.make_user(plain))
        self.assertNotIn("/my/ambassador", self.landing(response))
        self.assertNotIn("/web/login", self.landing(response))

    def test_site_knows_the_ambassador(self):
        self.login(self.amb)
        home = self.url_open("/my").text
        self.assertIn("o_ambassador_user_menu", home)
        self.assertIn("o_portal_my_ambassador", home)
        self.assertIn('href="/my/ambassador" class="btn btn-primary"', home)
        plain = self.Partner.create({"name": "Plain Two", "email": "p2@example.org"})
        self.login(plain)
        home = self.url_open("/my").text
        self.assertNotIn("o_ambassador_user_menu", home)
        self.assertNotIn("o_portal_my_ambassador", home)

    def test_one_title_and_one_h1_per_page(self):
        self.login(self.amb)
        titles = set()
        for path in SPACE_PAGES:
            html = self.url_open(path).text
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
            titles.add(title)
            main = content(html)
            levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
            self.assertEqual(levels.count(1), 1, path)
            self.assertEqual(levels[0], 1, path)
            for before, after in zip(levels, levels[1:]):
                self.assertLessEqual(after, before + 1, "%s: %s" % (path, levels))
        self.assertEqual(len(titles), len(SPACE_PAGES), titles)

    def test_tier_benefits_and_how_to_go_further(self):
        self.login(self.amb)
        html = self.url_open("/my/ambassador").text
        self.assertIn("o_ambassador_benefits_current", html)
        self.assertIn("Invitations to ambassador events", html)  # Silver's
        self.assertIn("Meetings with the territory", html)  # Gold's
        needed = self.gold.threshold_ids.filtered(
            lambda t: t.segment_id == self.study).points
        self.assertIn("<strong>%d points</strong> still missing" % needed, html)
        self.assertIn("steering committee decides", html)
        # The segment's actions with their points; automatic ones said so.
        self.assertIn(self.rule_partnership.name, html)
        self.assertIn("Awarded automatically", html)

    def test_proof_form_email_and_automatic_rules(self):
        self.env["ir.config_parameter"].set_param("mail.catchall.domain",
                                                  "territory.example.org")
        attendance = self.env.ref("ambassador_program.rule_event_attendance")
        self.login(self.amb)
        form = self.url_open("/my/ambassador/proofs/new").text
        self.assertIn("proofs@territory.example.org", form)
        select = re.search(r'<select name="rule_id".*?</select>', form, re.S).group(0)
        self.assertIn(self.rule_partnership.name, select)
        self.assertNotIn(attendance.name, select)
        refused = self.post("/my/ambassador/proofs/new", {
            "rule_id": str(attendance.id), "name": "I came",
            "description": "I was there"}, csrf_from="/my/ambassador/proofs/new")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("awards the points of this action by itself", refused.text)
        self.assertIn('href="#rule_id"', refused.text)
        self.assertIn('aria-describedby="rule_id_error"', refused.text)
        self.assertFalse(self.env["ambassador.proof"].search(
            [("partner_id", "=", self.amb.id)]))

    def test_events_and_invitations(self):
        Event = self.env["event.event"]
        start = fields.Datetime.from_string(fields.Datetime.now())
        dates = {"date_begin": fields.Datetime.to_string(
            start.replace(year=start.year + 1)),
            "date_end": fields.Datetime.to_string(
                start.replace(year=start.year + 1, hour=23))}
        invited = Event.create(dict(dates, name="Gala of the invited",
                                    ambassador_min_tier_id=self.ivory.id))
        invited.sudo().write({"ambassador_invitation_date": fields.Datetime.now()})
        not_eligible = Event.create(dict(dates, name="Platinum only dinner",
                                         ambassador_min_tier_id=self.platinum.id))
        not_eligible.sudo().write(
            {"ambassador_invitation_date": fields.Datetime.now()})
        registered = Event.create(dict(dates, name="Forum I joined"))
        self.env["event.registration"].create(
            {"event_id": registered.id, "partner_id": self.amb.id,
             "name": self.amb.name, "email": self.amb.email})
        self.login(self.amb)
        html = self.url_open("/my/ambassador").text
        self.assertIn("Gala of the invited", html)
        self.assertNotIn("Platinum only dinner", html)
        self.assertIn("Forum I joined", html)


@common.at_install(False)
@common.post_install(True)
class TestProfilePage(WebsiteCase):

    def setUp(self):
        super(TestProfilePage, self).setUp()
        self.amb = self.make_ambassador("Paz Page", tier=self.silver)
        self.skill = self.env["ambassador.skill"].create({"name": "Robotics"})
        self.login(self.amb)

    def test_profile_saved_and_errors_listed(self):
        page = self.url_open("/my/ambassador/profile")
        self.assertEqual(page.status_code, 200)
        self.assertIn('for="ambassador_institution"', page.text)
        self.assertIn("(required)", page.text)
        # A question of another segment is not asked.
        self.assertNotIn('name="company_name"', page.text)
        bad = self.post("/my/ambassador/profile", {
            "ambassador_institution": "", "ambassador_research_field": "Ice",
            "ambassador_testimonial": "Kept text",
        }, csrf_from="/my/ambassador/profile")
        self.assertEqual(bad.status_code, 400)
        self.assertIn('href="#ambassador_institution"', bad.text)
        self.assertIn('aria-describedby="ambassador_institution_error"', bad.text)
        self.assertIn("Kept text", bad.text, "nothing typed is lost")
        saved = self.post("/my/ambassador/profile", {
            "ambassador_institution": "Polytechnic",
            "ambassador_research_field": "Ice",
            "ambassador_skill_ids": str(self.skill.id),
            "ambassador_testimonial": "Because I love it here.",
        }, files={"photo": ("me.png", image_bytes("PNG"), "image/png")},
            csrf_from="/my/ambassador/profile")
        self.assertEqual(saved.status_code, 200, re.findall(
            r'o_ambassador_errors.*?</ul>', saved.text, re.S))
        self.assertIn("o_ambassador_profile_saved", saved.text)
        self.amb.invalidate_cache()
        self.assertEqual(self.amb.ambassador_institution, "Polytechnic")
        self.assertEqual(self.amb.ambassador_skill_ids, self.skill)
        self.assertEqual(self.amb.ambassador_testimonial, "Because I love it here.")
        self.assertTrue(self.amb.image)
        # The skills consent is offered now that the profile holds skills.
        self.assertIn('name="ambassador_show_skills"', saved.text)
        self.assertNotIn('name="ambassador_show_phone"', saved.text)

    def test_consents_only_those_offered(self):
        # No phone: the phone consent is not offered, and not set if sent.
        self.post("/my/ambassador/consents", {
            "ambassador_show_phone": "1", "ambassador_show_email": "1"},
            csrf_from="/my/ambassador/profile")
        self.amb.invalidate_cache()
        self.assertTrue(self.amb.ambassador_show_email)
        self.assertFalse(self.amb.ambassador_show_phone)
        self.assertEqual(self.amb.ambassador_consent_ids.channel, "portal")

    def rpc(self, model, method, args, kwargs=None):
        self.sync()
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"model": model, "method": method,
                                        "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"}, timeout=30)
        self.env["res.partner"].invalidate_cache()
        return response.json()

    def test_json_rpc_holds_to_the_profile(self):
        other = self.make_ambassador("Rex Other", tier=self.silver)
        ids = [self.amb.id]
        for args in (
            [ids, {"ambassador_balance": 999}],
            [ids, {"email": "stolen@example.org"}],
            [ids, {"ambassador_show_phone": True}],
            [[other.id], {"ambassador_testimonial": "Hijacked"}],
        ):
            answer = self.rpc("res.partner", "ambassador_update_profile", args)
            self.assertIn("error", answer, args)
        # Nor through write, nor the guarded fields.
        answer = self.rpc("res.partner", "write",
                          [ids, {"ambassador_testimonial": "Direct write"}])
        self.assertIn("error", answer)
        answer = self.rpc("res.partner", "ambassador_update_profile",
                          [ids, {"ambassador_testimonial": "Over RPC"}])
        self.assertEqual(answer.get("result"), True, answer)
        self.amb.invalidate_cache()
        other.invalidate_cache()
        self.assertEqual(self.amb.ambassador_testimonial, "Over RPC")
        self.assertEqual(self.amb.ambassador_balance, 0)
        self.assertEqual(self.amb.email, "paz.page@example.com")
        self.assertFalse(other.ambassador_testimonial)

    def test_bad_input_never_crashes(self):
        """Malformed answers re-display the form (400) or are ignored, with
        no traceback, even with ?debug=1."""
        path = "/my/ambassador/profile?debug=1"
        cases = [
            {"ambassador_institution": "x" * 100000},
            {"ambassador_institution": "Ok", "ambassador_research_field": "Ok",
             "country_id": "\u00b2"},
            {"ambassador_institution": "Ok", "ambassador_research_field": "Ok",
             "ambassador_language_ids": ["-1", "99999999999", "1e3"]},
            {"ambassador_institution": "\x00\x01", "ambassador_balance": "999",
             "email": "stolen@example.org"},
        ]
        for data in cases:
            response = self.post(path, data, csrf_from="/my/ambassador/profile")
            self.assertIn(response.status_code, (200, 400), data)
            self.assertNotIn("Traceback", response.text)
        # Text where a file is expected, a file where text is expected.
        response = self.post(path, {"photo": "not a file"},
                             files={"ambassador_institution": ("x.txt", b"abc")},
                             csrf_from="/my/ambassador/profile")
        self.assertIn(response.status_code, (200, 400))
        self.assertNotIn("Traceback", response.text)
        self.amb.invalidate_cache()
        self.assertEqual(self.amb.ambassador_balance, 0)
        self.assertEqual(self.amb.email, "paz.page@example.com")
        directory = "/my/ambassador/directory?debug=1&skill_id=abc&lang_id=-1" \
            "&country_id=99999999999&city=%s" % ("%25" * 500)
        response = self.url_open(directory)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Traceback", response.text)

    def test_every_segment_profile_renders(self):
        """Each segment's questions (text, selection, country, phone...)."""
        for code in ("invest", "visit", "live"):
            segment = self.env.ref("ambassador_program.segment_%s" % code)
            partner = self.make_ambassador("Seg %s" % code, segment=segment,
                                           tier=self.silver)
            self.login(partner)
            page = self.url_open("/my/ambassador/profile")
            self.assertEqual(page.status_code, 200, code)
            for line in segment.signup_field_ids:
                self.assertIn('id="%s"' % line.field_name, page.text, code)
