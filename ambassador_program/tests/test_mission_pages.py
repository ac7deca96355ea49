# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The "My missions" pages over HTTP: the list, taking a mission, the quota,
bad input re-displayed, another ambassador's participation refused."""
from odoo.tests import common

from .test_website import PDF, WebsiteCase


@common.at_install(False)
@common.post_install(True)
class TestMissionPages(WebsiteCase):

    def setUp(self):
        super(TestMissionPages, self).setUp()
        self.Mission = self.env["ambassador.mission"]
        self.Mission.search([]).write({"state": "closed"})
        self.ivy = self.make_ambassador("Ivy Pages", segment=self.invest)
        self.otto = self.make_ambassador("Otto Pages", segment=self.invest)
        self.sam = self.make_ambassador("Sam Pages", segment=self.study)
        for partner in (self.ivy, self.otto, self.sam):
            self.make_user(partner)

    def mission(self, **vals):
        values = {"name": "Host the Osaka delegation", "points": 25,
                  "proof_method": "survey", "state": "open",
                  "date_start": "2020-01-01",
                  "segment_ids": [(6, 0, self.invest.ids)]}
        values.update(vals)
        return self.Mission.create(values)

    def page(self, mission):
        return "/my/ambassador/missions/%d" % mission.id

    def test_list_take_and_answer(self):
        mission = self.mission(description="Tell them why you came.")
        self.mission(name="Study only", segment_ids=[(6, 0, self.study.ids)])
        self.mission(name="Still a draft", state="draft")
        self.login(self.ivy)
        space = self.url_open("/my/ambassador")
        self.assertIn('href="/my/ambassador/missions"', space.text)
        listing = self.url_open("/my/ambassador/missions")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Host the Osaka delegation", listing.text)
        self.assertNotIn("Study only", listing.text)
        self.assertNotIn("Still a draft", listing.text)
        page = self.url_open(self.page(mission))
        self.assertIn("Tell them why you came.", page.text)
        self.assertIn("o_ambassador_mission_take", page.text)
        response = self.post(self.page(mission) + "/take", {},
                             csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 200)
        self.assertIn("The mission is yours", response.text)
        participation = self.env["ambassador.mission.participation"].search(
            [("mission_id", "=", mission.id)])
        self.assertEqual(participation.partner_id, self.ivy)
        # An empty answer: the form again, with the message, status 400.
        response = self.post(self.page(mission) + "/answer", {"answer": "  "},
                             csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Write your answer.", response.text)
        self.assertIn('id="answer_error"', response.text)
        # Too long: refused, the text kept.
        long_answer = "Because of the lakes. " * 300
        response = self.post(self.page(mission) + "/answer",
                             {"answer": long_answer}, csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Because of the lakes.", response.text)
        response = self.post(self.page(mission) + "/answer",
                             {"answer": "Because of the lakes."},
                             csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your answer was sent", response.text)
        participation.invalidate_cache()
        self.assertEqual(participation.state, "submitted")
        listing = self.url_open("/my/ambassador/missions")
        self.assertIn("Missions I took", listing.text)
        self.assertIn("Waiting for Review", listing.text)

    def test_quota_full_and_taking_twice(self):
        mission = self.mission(quota=1)
        self.login(self.otto)
        response = self.post(self.page(mission) + "/take", {},
                             csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 200)
        self.login(self.ivy)
        page = self.url_open(self.page(mission))
        self.assertIn("all the participants it needs", page.text)
        self.assertNotIn("o_ambassador_mission_take", page.text)
        response = self.post(self.page(mission) + "/take", {},
                             csrf_from="/my/ambassador/profile")
        self.assertEqual(response.status_code, 409)
        self.assertIn("all the participants it needs", response.text)
        self.assertEqual(mission.taken_count, 1)

    def test_missions_of_others_are_refused(self):
        study = self.mission(name="Study survey",
                             segment_ids=[(6, 0, self.study.ids)])
        draft = self.mission(name="Secret draft", state="draft")
        shared = self.mission(name="Invest news")
        self.login(self.otto)
        self.post(self.page(shared) + "/take", {}, csrf_from=self.page(shared))
        self.login(self.ivy)
        for mission in (study, draft):
            page = self.url_open(self.page(mission))
            self.assertEqual(page.status_code, 404)
            self.assertNotIn(mission.name, page.text)
        # Taking it anyway: refused, and the mission is not shown either.
        response = self.post(self.page(study) + "/take", {},
                             csrf_from="/my/ambassador/profile")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Study survey", response.text)
        self.assertFalse(self.env["ambassador.mission.participation"].search(
            [("mission_id", "=", study.id)]))
        # Otto's participation: Ivy has none on this mission, so nothing of
        # Otto's is reached (its answer stays unwritten).
        response = self.post(self.page(shared) + "/answer", {"answer": "Mine"},
                             csrf_from="/my/ambassador/profile")
        self.assertEqual(response.status_code, 404)
        otto_part = self.env["ambassador.mission.participation"].search(
            [("mission_id", "=", shared.id)])
        self.assertFalse(otto_part.survey_answer)
        self.assertEqual(
            self.url_open("/my/ambassador/missions/999999999").status_code, 404)

    def test_proof_upload_and_bad_file(self):
        mission = self.mission(proof_method="proof", name="Write a testimonial")
        self.login(self.ivy)
        self.post(self.page(mission) + "/take", {}, csrf_from=self.page(mission))
        response = self.post(
            self.page(mission) + "/proof", {"description": "My ten lines",
                                            "url": "ftp://example.com/x"},
            files=[("files", ("notes.exe", b"MZ\x90\x00", "application/x-msdownload"))],
            csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 400)
        self.assertIn("My ten lines", response.text)
        self.assertIn('id="url_error"', response.text)
        self.assertIn('id="files_error"', response.text)
        response = self.post(
            self.page(mission) + "/proof", {"description": "My ten lines"},
            files=[("files", ("testimonial.pdf", PDF, "application/pdf"))],
            csrf_from=self.page(mission))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your proof was sent", response.text)
        proof = self.env["ambassador.proof"].search(
            [("mission_id", "=", mission.id)])
        self.assertEqual(proof.partner_id, self.ivy)
        self.assertEqual(len(proof.attachment_ids), 1)

    def test_not_an_ambassador_and_get_on_post_routes(self):
        plain = self.Partner.create({"name": "Plain Pages",
                                     "email": "plain.pages@example.org"})
        self.make_user(plain)
        self.login(plain)
        self.assertEqual(self.url_open("/my/ambassador/missions").status_code, 403)
        mission = self.mission()
        self.login(self.ivy)
        response = self.url_open(self.page(mission) + "/take")
        self.assertEqual(response.status_code, 405)
        self.assertFalse(mission.taken_count)
