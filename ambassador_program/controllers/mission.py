# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Missions in the ambassador space: the missions open to the ambassador, the
ones it took and how each is proved. The models decide (what is open, the
quota, what a proof or an answer may hold); the routes parse and show."""
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..models.ambassador_mission_participation import ANSWER_MAX
from ..models.ambassador_proof import PORTAL_MAX_FILES
from ..models.form_input import FormErrors

from .main import form_strings, message_page
from .portal import AmbassadorPortal, proof_form_files

BACK = "/my/ambassador/missions"


class AmbassadorMissions(AmbassadorPortal):

    def _labels(self):
        """The translated labels of the selections the pages show."""
        env = request.env
        Participation = env["ambassador.mission.participation"]
        return {
            "method_labels": dict(env["ambassador.mission"]._fields[
                "proof_method"]._description_selection(env)),
            "state_labels": dict(Participation._fields[
                "state"]._description_selection(env)),
            "proof_state_labels": dict(env["ambassador.proof"]._fields[
                "state"]._description_selection(env)),
        }

    def _render_mission(self, template, values, status=200):
        return self._render(template, dict(self._labels(), **values),
                            status=status)

    def _not_found(self):
        return message_page(
            _("Mission not found"),
            _("This mission does not exist or is not open to you."), 404,
            [(BACK, _("My missions"))])

    @http.route("/my/ambassador/missions", type="http", auth="user",
                website=True)
    def my_ambassador_missions(self, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        Mission = request.env["ambassador.mission"]
        offered, participations = Mission._ambassador_space_missions(partner)
        template = "ambassador_program.portal_my_ambassador_missions"
        return self._render_mission(template, {
            "page_name": "ambassador_missions",
            "partner": partner,
            "offered": offered,
            "participations": participations,
            "message": message,
        })

    def _mission_page(self, partner, mission_id, errors=None, values=None,
                      status=200, message=None):
        Mission = request.env["ambassador.mission"]
        mission, participation, is_open = Mission._ambassador_space_mission(
            partner, mission_id)
        if not mission:
            return self._not_found()
        Proof = request.env["ambassador.proof"]
        return self._render_mission("ambassador_program.portal_my_ambassador_mission", {
            "page_name": "ambassador_missions",
            "partner": partner,
            "mission": mission,
            "participation": participation,
            "can_take": is_open and mission.places_left != 0 and (
                not participation or participation.state == "cancelled"),
            # sudo: the proofs of the ambassador's own participation.
            "proofs": participation.sudo().proof_ids,
            "errors": errors or {},
            "values": values or {},
            "message": message,
            # The labels of the fields, as the form shows them (the summary's
            # script names each field by its label when the link does not).
            "error_labels": {
                "answer": _("Your answer (required)"),
                "description": _("What did you do?"),
                "url": _("Link (starting with https:// or http://)"),
                "files": _("Files"),
            },
            "answer_max": ANSWER_MAX,
            "max_files": PORTAL_MAX_FILES,
            "max_mb": Proof._ambassador_max_file_size() // 1048576,
            "extensions": ", ".join(sorted(Proof._ambassador_file_types)),
        }, status=status)

    @http.route("/my/ambassador/missions/<int:mission_id>", type="http",
                auth="user", website=True)
    def my_ambassador_mission(self, mission_id, message=None, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        return self._mission_page(partner, mission_id, message=message)

    @http.route("/my/ambassador/missions/<int:mission_id>/take", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_mission_take(self, mission_id, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        Participation = request.env["ambassador.mission.participation"]
        try:
            Participation._ambassador_take(mission_id)
        except UserError as error:
            return self._mission_page(partner, mission_id,
                                      errors={"form": error.name}, status=409)
        return request.redirect("%s/%d?message=taken" % (BACK, mission_id))

    def _own_participation(self, mission_id):
        return request.env["ambassador.mission.participation"]._ambassador_own(
            mission_id)

    @http.route("/my/ambassador/missions/<int:mission_id>/answer", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_mission_answer(self, mission_id, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        participation = self._own_participation(mission_id)
        if not participation:
            return self._not_found()
        answer = form_strings(post).get("answer", "")
        try:
            participation._ambassador_submit_answer(answer)
        except FormErrors as error:
            return self._mission_page(
                partner, mission_id, errors=error.errors,
                values={"answer": answer[:ANSWER_MAX]}, status=400)
        except (AccessError, MissingError, UserError) as error:
            return self._mission_page(partner, mission_id,
                                      errors={"form": error.name}, status=409)
        return request.redirect("%s/%d?message=answered" % (BACK, mission_id))

    @http.route("/my/ambassador/missions/<int:mission_id>/proof", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_mission_proof(self, mission_id, **post):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        participation = self._own_participation(mission_id)
        if not participation:
            return self._not_found()
        files = proof_form_files(request.env["ambassador.proof"])
        form = form_strings(post)
        try:
            participation._ambassador_submit_proof(form, files)
        except FormErrors as error:
            shown = {key: value[:5000] for key, value in form.items()}
            return self._mission_page(partner, mission_id, errors=error.errors,
                                      values=shown, status=400)
        except (AccessError, MissingError, UserError) as error:
            return self._mission_page(partner, mission_id,
                                      errors={"form": error.name}, status=409)
        return request.redirect("%s/%d?message=proof" % (BACK, mission_id))

    @http.route("/my/ambassador/missions/<int:mission_id>/cancel", type="http",
                auth="user", website=True, methods=["POST"])
    def my_ambassador_mission_cancel(self, mission_id, **kw):
        partner, refusal = self._ambassador_or_refusal()
        if refusal:
            return refusal
        participation = self._own_participation(mission_id)
        if not participation:
            return self._not_found()
        try:
            participation._ambassador_cancel()
        except (AccessError, MissingError, UserError) as error:
            return self._mission_page(partner, mission_id,
                                      errors={"form": error.name}, status=409)
        return request.redirect("%s?message=cancelled" % BACK)
