# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import json
import time

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import safe_eval

from .common import AmbassadorCase

MODULE = "ambassador_program"


class TestBackendViews(AmbassadorCase):
    """Every window action of the addon opens, for the staff who reach it through
    its menu: each of its views loads, its search filters and group-bys run, and
    its buttons call methods that exist. Groups shape what each one sees."""

    @classmethod
    def setUpClass(cls):
        super(TestBackendViews, cls).setUpClass()
        cls.admin = cls.env.ref("base.user_root")
        cls.ambassador = cls.make_ambassador("Ada Views", points=12)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _addon_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id"))

    def _menus_of(self, action):
        return self._addon_records("ir.ui.menu").filtered(
            lambda menu: menu.action == action
        )

    def _user_for(self, action):
        """The least privileged staff user whose menus lead to ``action``."""
        groups = self.env["res.groups"]
        for menu in self._menus_of(action):
            node = menu
            while node:
                groups |= node.groups_id
                node = node.parent_id
        if self.env.ref("base.group_system") in groups:
            return self.admin
        if self.group_manager in groups:
            return self.manager_user
        if self.group_committee in groups:
            return self.committee_user
        return self.staff_user

    def _eval_context(self, user):
        return {
            "context_today": datetime.date.today,
            "datetime": datetime,
            "relativedelta": relativedelta,
            "time": time,
            "uid": user.id,
            "user": user,
            "active_id": False,
            "active_ids": [],
            "current_date": time.strftime("%Y-%m-%d"),
        }

    def _view_id(self, action, view_type):
        for line in action.view_ids:
            if line.view_mode == view_type:
                return line.view_id.id
        if action.view_id.type == view_type:
            return action.view_id.id
        return False

    def _check_buttons(self, model, arch, label):
        """``type="object"`` buttons name real public methods of the model."""
        for button in arch.iter("button"):
            if button.get("type") == "object":
                name = button.get("name")
                self.assertTrue(
                    callable(getattr(model, name, None)) and not name.startswith("_"),
                    "%s: button %s is not a method of %s" % (label, name, model._name),
                )

    def _check_search_view(self, model, arch, user, label):
        """Run every filter and group-by of a search view as ``user``."""
        names = set()
        ctx = self._eval_context(user)
        for node in arch.iter("filter", "field"):
            if node.get("name"):
                names.add(node.get("name"))
            if node.tag == "field":
                self.assertIn(node.get("name"), model._fields, label)
                continue
            if node.get("domain"):
                domain = safe_eval(node.get("domain"), ctx)
                model.search_count(domain)
            if node.get("context"):
                group_by = safe_eval(node.get("context"), ctx).get("group_by")
                if group_by:
                    field = group_by.split(":")[0]
                    self.assertIn(field, model._fields, label)
                    model.read_group([], [field], [group_by], lazy=True)
        return names

    # ------------------------------------------------------------------
    # Every action, every view
    # ------------------------------------------------------------------
    def test_every_action_loads_for_its_users(self):
        actions = self._addon_records("ir.actions.act_window")
        self.assertGreaterEqual(len(actions), 20, "the backend actions are loaded")
        for action in actions:
            user = self._user_for(action)
            model = self.env[action.res_model].sudo(user)
            label = "%s (%s)" % (action.name, user.login)
            ctx = dict(self._eval_context(user), active_ids=[self.ambassador.id],
                       active_id=self.ambassador.id)
            domain = safe_eval(action.domain or "[]", ctx)
            context = safe_eval(action.context or "{}", ctx)
            if not model._transient:
                model.search_count(domain)
            for view_type in action.view_mode.split(","):
                view_type = view_type.strip()
                result = model.fields_view_get(
                    view_id=self._view_id(action, view_type), view_type=view_type
                )
                arch = etree.fromstring(result["arch"])
                self.assertEqual(arch.tag, view_type, label)
                for field in arch.iter("field"):
                    self.assertIn(field.get("name"), result["fields"], label)
                self._check_buttons(model, arch, label)
            search = model.fields_view_get(
                view_id=action.search_view_id.id, view_type="search"
            )
            names = self._check_search_view(
                model, etree.fromstring(search["arch"]), user, label
            )
            for key in context:
                if key.startswith("search_default_"):
                    self.assertIn(key[len("search_default_"):], names, label)

    def test_menus_per_group(self):
        Menu = self.env["ir.ui.menu"]
        ref = self.env.ref
        root = ref("ambassador_program.menu_ambassador_root")
        config = ref("ambassador_program.menu_ambassador_config")
        settings = ref("ambassador_program.menu_ambassador_config_settings")
        queue = ref("ambassador_program.menu_ambassador_committee_queue")
        proofs = ref("ambassador_program.menu_ambassador_proof")
        self.assertEqual(
            root.action, ref("ambassador_program.action_ambassador_partner")
        )
        visible = {
            user: Menu.sudo(user)._visible_menu_ids()
            for user in (self.employee_user, self.staff_user, self.committee_user,
                         self.manager_user, self.admin)
        }
        self.assertNotIn(root.id, visible[self.employee_user])
        for user in (self.staff_user, self.committee_user, self.manager_user):
            self.assertIn(root.id, visible[user], user.login)
            self.assertIn(proofs.id, visible[user], user.login)
            self.assertIn(queue.id, visible[user], user.login)
        self.assertNotIn(config.id, visible[self.staff_user])
        self.assertNotIn(config.id, visible[self.committee_user])
        self.assertIn(config.id, visible[self.manager_user])
        self.assertNotIn(settings.id, visible[self.manager_user])
        self.assertIn(settings.id, visible[self.admin])
        # Every menu of the addon leads somewhere a manager can go.
        leaves = self._addon_records("ir.ui.menu").filtered(lambda m: not m.child_id)
        for menu in leaves - settings:
            self.assertTrue(menu.action, menu.complete_name)
            self.assertIn(menu.id, visible[self.manager_user], menu.complete_name)

    def test_xml_ids_follow_one_scheme(self):
        """Backend views are ``<model>_view_<type>[_<detail>]`` (OCA), window
        actions ``action_<...>`` and menus ``menu_<...>``; QWeb templates keep
        their page names."""
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE),
             ("model", "in", ("ir.ui.view", "ir.actions.act_window", "ir.ui.menu"))]
        )
        wrong = []
        for line in data:
            if line.model == "ir.ui.view":
                view = self.env["ir.ui.view"].browse(line.res_id)
                if view.type == "qweb":
                    continue
                prefix = "%s_view_%s" % (view.model.replace(".", "_"), view.type)
                ok = line.name == prefix or line.name.startswith(prefix + "_")
            elif line.model == "ir.actions.act_window":
                ok = line.name.startswith("action_")
            else:
                ok = line.name.startswith("menu_")
            if not ok:
                wrong.append("%s %s" % (line.model, line.name))
        self.assertFalse(wrong, "XML ids off the naming scheme")

    # ------------------------------------------------------------------
    # What each group sees
    # ------------------------------------------------------------------
    def _arch(self, user, model, xmlid, view_type="form"):
        view = self.env.ref(xmlid)
        result = self.env[model].sudo(user).fields_view_get(
            view_id=view.id, view_type=view_type
        )
        return etree.fromstring(result["arch"]), result

    def test_contact_form_ambassador_page(self):
        arch, result = self._arch(
            self.staff_user, "res.partner", "base.view_partner_form"
        )
        page = arch.xpath("//page[@name='ambassador']")
        self.assertTrue(page, "staff see the Ambassador page")
        for name in ("ambassador_progress", "ambassador_transaction_ids",
                     "ambassador_consent_ids", "ambassador_charter_acceptance_ids"):
            self.assertIn(name, result["fields"])
        progress = arch.xpath("//field[@name='ambassador_progress']")[0]
        self.assertEqual(progress.get("widget"), "progressbar")
        buttons = {b.get("name") for b in arch.iter("button")}
        self.assertTrue({"action_ambassador_activate", "action_ambassador_suspend",
                         "action_ambassador_leave", "action_ambassador_view_proofs",
                         "action_ambassador_view_incidents"} <= buttons)
        # History lists are read only.
        for name in ("ambassador_transaction_ids", "ambassador_proof_ids",
                     "ambassador_promotion_ids", "ambassador_incident_ids"):
            node = arch.xpath("//field[@name='%s']" % name)[0]
            self.assertTrue(json.loads(node.get("modifiers"))["readonly"], name)
        # Other employees do not see the programme on contacts.
        arch, result = self._arch(
            self.employee_user, "res.partner", "base.view_partner_form"
        )
        self.assertFalse(arch.xpath("//page[@name='ambassador']"))
        self.assertNotIn("ambassador_balance", result["fields"])
        self.assertNotIn("action_ambassador_view_proofs",
                         {b.get("name") for b in arch.iter("button")})
        # From the Ambassadors menu, the Ambassador page opens first.
        arch, result = self._arch(
            self.staff_user, "res.partner",
            "ambassador_program.res_partner_view_form_ambassador_first",
        )
        focused = arch.xpath("//notebook/page[@autofocus='autofocus']")
        self.assertEqual([p.get("name") for p in focused], ["ambassador"])

    def test_smart_buttons_open_the_records(self):
        proof = self.make_proof(self.ambassador)
        partner = self.ambassador.sudo(self.staff_user)
        action = partner.action_ambassador_view_proofs()
        self.assertEqual(action["res_model"], "ambassador.proof")
        self.assertEqual(self.Proof.search(action["domain"]), proof)
        action = partner.action_ambassador_view_incidents()
        self.assertEqual(action["res_model"], "ambassador.incident")
        self.assertEqual(partner.ambassador_proof_count, 1)

    @staticmethod
    def _visible_buttons(arch):
        """Names of the buttons a user can see (Odoo 11 hides, rather than
        removes, the nodes of groups the user is not in)."""
        names = set()
        for button in arch.iter("button"):
            hidden = any(
                modifiers.get("invisible") is True
                or modifiers.get("column_invisible") is True
                for modifiers in (
                    json.loads(node.get("modifiers") or "{}")
                    for node in [button] + list(button.iterancestors())
                )
            )
            if not hidden:
                names.add(button.get("name"))
        return names

    def test_committee_buttons_for_committee_only(self):
        for xmlid, view_type in (
            ("ambassador_program.ambassador_promotion_view_form", "form"),
            ("ambassador_program.ambassador_promotion_view_tree_queue", "tree"),
        ):
            arch, _result = self._arch(
                self.committee_user, "ambassador.promotion", xmlid, view_type
            )
            names = self._visible_buttons(arch)
            self.assertTrue({"action_approve", "action_refuse"} <= names, xmlid)
            arch, _result = self._arch(
                self.staff_user, "ambassador.promotion", xmlid, view_type
            )
            names = self._visible_buttons(arch)
            self.assertFalse({"action_approve", "action_refuse"} & names, xmlid)

    def test_proof_kanban_review(self):
        arch, _result = self._arch(
            self.staff_user, "ambassador.proof",
            "ambassador_program.ambassador_proof_view_kanban", "kanban",
        )
        self.assertEqual(arch.get("default_group_by"), "state")
        names = {b.get("name") for b in arch.iter("button")}
        self.assertEqual(names, {"action_approve", "action_open_reject_wizard"})
        # Reject from the kanban: the wizard opens on the proof and rejects it.
        proof = self.make_proof(self.ambassador).sudo(self.staff_user)
        action = proof.action_open_reject_wizard()
        Wizard = self.env[action["res_model"]].sudo(self.staff_user)
        self.assertTrue(
            Wizard.fields_view_get(view_type="form")["arch"].count("action_reject")
        )
        wizard = Wizard.with_context(**action["context"]).create(
            {"reason": "Not about the territory"}
        )
        wizard.action_reject()
        self.assertEqual(proof.state, "rejected")
        self.assertEqual(proof.rejection_reason, "Not about the territory")

    def test_reverse_wizard_from_ledger(self):
        line = self.ambassador.ambassador_transaction_ids
        self.assertEqual(len(line), 1)
        action = self.env.ref(
            "ambassador_program.action_ambassador_transaction_reverse_wizard"
        )
        self.assertEqual(action.binding_model_id.model, "ambassador.point.transaction")
        context = safe_eval(action.context, {"active_ids": line.ids})
        Wizard = (
            self.env[action.res_model].sudo(self.staff_user).with_context(**context)
        )
        wizard = Wizard.create({"reason": "Entered twice"})
        self.assertEqual(wizard.transaction_ids, line)
        wizard.action_reverse()
        self.assertTrue(line.is_reversed)
        self.ambassador.invalidate_cache()
        self.assertEqual(self.ambassador.ambassador_balance, 0)
        # The ledger form offers Reverse; its list and form cannot edit.
        arch, _result = self._arch(
            self.staff_user, "ambassador.point.transaction",
            "ambassador_program.ambassador_point_transaction_view_form",
        )
        self.assertIn("%d" % action.id, {b.get("name") for b in arch.iter("button")})
        for attribute in ("create", "edit", "delete"):
            self.assertEqual(arch.get(attribute), "false", attribute)

    def test_manual_points_form(self):
        arch, _result = self._arch(
            self.staff_user, "ambassador.point.transaction",
            "ambassador_program.ambassador_point_transaction_view_form_manual",
        )
        for name in ("partner_id", "points", "note"):
            node = arch.xpath("//field[@name='%s']" % name)[0]
            self.assertFalse(
                json.loads(node.get("modifiers")).get("readonly"), name
            )
        action = self.env.ref(
            "ambassador_program.action_ambassador_point_transaction_manual"
        )
        Ledger = self.Ledger.sudo(self.staff_user).with_context(
            **safe_eval(action.context)
        )
        line = Ledger.create(
            {"partner_id": self.ambassador.id, "points": 3, "note": "Event help"}
        )
        self.assertEqual(line.origin, "manual")
        self.ambassador.invalidate_cache()
        self.assertEqual(self.ambassador.ambassador_balance, 15)

    def test_settings_page(self):
        arch, result = self._arch(
            self.admin, "res.config.settings", "base.res_config_settings_view_form"
        )
        block = arch.xpath("//div[@data-key='ambassador_program']")
        self.assertTrue(block)
        self.assertIn("ambassador_review_grace_days", result["fields"])
        settings = self.env["res.config.settings"].create(
            {"ambassador_review_notice_days": 45, "ambassador_review_grace_days": 15}
        )
        settings.execute()
        self.assertEqual(
            self.env["ambassador.status.engine"]._review_settings(), (45, 15)
        )

    def test_tier_dashboard(self):
        arch, _result = self._arch(
            self.staff_user, "ambassador.tier.report",
            "ambassador_program.ambassador_tier_report_view_graph", "graph",
        )
        rows = {f.get("name"): f.get("type") for f in arch.iter("field")}
        self.assertEqual(rows, {"tier_id": "row", "target_percent": "measure"})
        # The figures themselves: tests/test_staff_reports.py.
        tier = self.ambassador.ambassador_tier_id
        groups = self.env["ambassador.tier.report"].sudo(self.staff_user).read_group(
            [("tier_id", "=", tier.id)],
            ["tier_id", "headcount", "target_count", "target_percent"], ["tier_id"],
        )
        self.assertEqual(groups[0]["target_count"], tier.target_count)
        self.assertGreaterEqual(groups[0]["headcount"], 1)
