import os

from odoo import tools
from odoo.modules.module import get_module_path
from odoo.tests import common

from ..models.authority import as_engine

# Consents set by fixtures stand for what the person chose; staff record them
# with a reason (res.partner refuses consents without one).
FIXTURE_CONSENT = {"ambassador_consent_reason": "Test fixture: chosen by the person"}


class AmbassadorCase(common.SavepointCase):
    """Shared fixtures: the programme's default segments, tiers and rules, staff
    users for each group and a helper to make ambassadors."""

    @classmethod
    def setUpClass(cls):
        super(AmbassadorCase, cls).setUpClass()
        ref = cls.env.ref
        cls.Partner = cls.env["res.partner"]
        cls.Proof = cls.env["ambassador.proof"]
        cls.Ledger = cls.env["ambassador.point.transaction"]
        cls.Promotion = cls.env["ambassador.promotion"]
        cls.invest = ref("ambassador_program.segment_invest")
        cls.study = ref("ambassador_program.segment_study")
        cls.visit = ref("ambassador_program.segment_visit")
        cls.live = ref("ambassador_program.segment_live")
        cls.ivory = ref("ambassador_program.tier_ivory")
        cls.silver = ref("ambassador_program.tier_silver")
        cls.gold = ref("ambassador_program.tier_gold")
        cls.platinum = ref("ambassador_program.tier_platinum")
        cls.rule_press = ref("ambassador_program.rule_press_foreign_article")
        cls.rule_company = ref("ambassador_program.rule_foreign_company")
        cls.rule_video = ref("ambassador_program.rule_video_online")
        cls.rule_partnership = ref("ambassador_program.rule_partnership")
        cls.group_user = ref("ambassador_program.group_ambassador_user")
        cls.group_committee = ref("ambassador_program.group_ambassador_committee")
        cls.group_manager = ref("ambassador_program.group_ambassador_manager")
        cls.staff_user = cls._make_user("staff", [cls.group_user])
        cls.committee_user = cls._make_user("committee", [cls.group_committee])
        cls.manager_user = cls._make_user("manager", [cls.group_manager])
        cls.employee_user = cls._make_user("employee", [ref("base.group_user")])

    @classmethod
    def _make_user(cls, login, groups):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": "Test %s" % login,
                    "login": "test_ambassador_%s" % login,
                    "email": "test_ambassador_%s@example.com" % login,
                    "groups_id": [(6, 0, [g.id for g in groups])],
                }
            )
        )

    @classmethod
    def make_ambassador(cls, name, segment=None, state="active", points=0, **vals):
        """An active ambassador of ``segment`` (Invest by default), with
        ``points`` awarded through a manual ledger line."""
        values = {
            "name": name,
            "email": "%s@example.com" % name.lower().replace(" ", "."),
            "ambassador_state": "active" if points else state,
            "ambassador_segment_id": (segment or cls.invest).id,
        }
        values.update(vals)
        partner = cls.env["res.partner"].with_context(**FIXTURE_CONSENT).create(values)
        partner = partner.with_env(cls.env)  # the reason was for this create only
        if points:
            cls.env["ambassador.point.transaction"].create(
                {"partner_id": partner.id, "points": points, "origin": "manual"}
            )
            cls.env["ambassador.status.engine"]._evaluate(partner)
            if state != "active":
                # The life cycle's own transitions are tested elsewhere.
                as_engine(partner).write({"ambassador_state": state})
        return partner

    @classmethod
    def make_portal_user(cls, partner):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": partner.name,
                    "login": partner.email,
                    "partner_id": partner.id,
                    "groups_id": [(6, 0, [cls.env.ref("base.group_portal").id])],
                }
            )
        )

    def make_proof(self, partner, rule=None, **vals):
        rule = rule or self.rule_partnership
        values = {"name": "Proof of %s" % partner.name, "partner_id": partner.id,
                  "rule_id": rule.id}
        if rule.is_press:
            values.update(
                press_media="The Foreign Times",
                press_country_id=self.env.ref("base.uk").id,
                press_language="English",
                press_date="2026-10-01",
            )
        values.update(vals)
        return self.Proof.create(values)


def ensure_french(env):
    """French active with this addon's catalogue loaded, in the test's own
    transaction: a test needing French sets it up (the database may be
    English only)."""
    if not env["res.lang"].search([("code", "=", "fr_FR")]):
        env["res.lang"].load_lang("fr_FR")
        catalog = os.path.join(get_module_path("ambassador_program"), "i18n", "fr.po")
        tools.trans_load(env.cr, catalog, "fr_FR", verbose=False,
                         module_name="ambassador_program")
