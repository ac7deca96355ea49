# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix (SPEC 10, issue 8): every model the addon defines, every
public method of the addon's classes (also on the Odoo models it extends), for
every kind of user, on its own and on others' records, against the written
policy ``tests/access_policy.csv`` (rendered in SECURITY.md).

Probes go through ``odoo.api.call_kw`` with JSON-like arguments, as
``/web/dataset/call_kw`` does; each runs in a savepoint that is rolled back.
``TestAccessMatrixOverRpc`` sends a few of them over real JSON-RPC to show that
the ORM-level outcome is what an RPC client gets.

Outcomes: ``ok`` (done; for search_read, the record is in the result; for a
field-level row, the value was stored), ``denied`` (AccessError, or the record
absent from search_read), ``refused`` (UserError, ValidationError, a database
constraint), ``ignored`` (field-level row: the call went through but the value
was not stored; a wizard's action changed nothing), ``error`` (anything
else: a broken probe or a crash).
"""
import base64
import csv
import importlib.util
import inspect
import json
import logging
import os
from collections import Counter, namedtuple

import psycopg2

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import common

from ..models.authority import as_engine
from .common import FIXTURE_CONSENT, AmbassadorCase
from .common_http import SharedCursorHttpCase
from .outcome_access_specs import outcome_specs
from .intro_access_specs import intro_specs
from .lead_access_specs import lead_recipes, lead_specs
from .share_access_specs import share_specs
from .value_access_specs import value_recipes, value_specs

_logger = logging.getLogger(__name__)

MODULE = "ambassador_program"
KINDS = ("public", "portal", "ivory", "silver", "suspended", "employee", "user",
         "committee", "manager", "admin")
PORTAL_KINDS = ("portal", "ivory", "silver", "suspended")
CRUD = ("search_read", "create", "write", "unlink")
CELL_VALUES = {"all", "own", "scope", "none", "never", "-", "all?", "own?", "scope?"}
# Overrides of these ORM methods are covered by the CRUD rows (models the addon
# defines) or by field-level rows (models it extends, whose operations Odoo's
# own access rights govern), not by method rows.
ORM_OPERATIONS = {"create", "write", "unlink", "read", "search_read"}
FIELD_OPS = ("read", "write", "create")
PROBE_REASON = "Probe: asked by letter"

Target = namedtuple("Target", "label factory")
IMPORT_CSV = base64.b64encode(
    b"name,email,segment,points\nMatrix Import,matrix.import@example.com,Invest,7\n"
).decode()
IMPORT_DONE_CSV = base64.b64encode(
    b"name,email,segment,points\nMatrix Done,matrix.done@example.com,Invest,9\n"
).decode()


def policy_path():
    return os.path.join(get_module_path(MODULE), "tests", "access_policy.csv")


def load_policy():
    with open(policy_path(), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def split_operation(operation):
    """'write:ambassador_state[reason]' -> ('write', 'ambassador_state',
    'reason'); 'action_approve[committee]' -> ('action_approve', None,
    'committee')."""
    base, _sep, qualifier = operation.partition("[")
    qualifier = qualifier.rstrip("]") or None
    verb, _sep, field = base.partition(":")
    return verb, field or None, qualifier


def addon_classes(model):
    prefix = "odoo.addons.%s." % MODULE
    return [cls for cls in type(model).__mro__ if cls.__module__.startswith(prefix)]


def discover(env):
    """(models the addon defines, models it extends, {model: public methods
    its classes define}). Public: no leading underscore and not ``init``
    (odoo.models.check_method_name refuses those over RPC)."""
    defined, extended, methods = set(), set(), {}
    for name in env.registry.models:
        model = env[name]
        classes = addon_classes(model)
        if not classes:
            continue
        if getattr(type(model), "_original_module", None) == MODULE:
            defined.add(name)
        else:
            extended.add(name)
        for cls in classes:
            for attr, value in vars(cls).items():
                if (inspect.isfunction(value) and not attr.startswith("_")
                        and attr != "init" and attr not in ORM_OPERATIONS):
                    methods.setdefault(name, set()).add(attr)
    return defined, extended, methods


def accepted_outcomes(cell, label, field_level):
    """The outcomes a policy cell accepts for a probe on a target ``label``
    ('own', 'others' or 'any')."""
    base, business = cell.rstrip("?"), cell.endswith("?")
    allowed = base == "all" or (base in ("own", "scope") and label in ("own", "any"))
    if allowed:
        return {"ok", "refused"} if business else {"ok"}
    if field_level:
        # The question is only whether the value lands, however it is stopped.
        return {"denied", "refused", "ignored"}
    # "ignored": the call went through and did nothing (a wizard whose records
    # the user may not read).
    return {"denied", "refused", "ignored"} if base == "never" else {
        "denied", "ignored"}


def classify(error):
    if isinstance(error, AccessError):
        return "denied"
    # A database constraint (unique, restrict, the ledger's trigger) refuses
    # for a business reason too.
    if isinstance(error, (UserError, ValidationError, psycopg2.IntegrityError)):
        return "refused"
    return "error"


def describe(error):
    text = getattr(error, "name", None) or str(error)
    return "%s: %s" % (type(error).__name__, " ".join(str(text).split())[:160])


class AccessProbes(object):
    """Runs one probe: as ``uid``, a call_kw in a savepoint rolled back."""

    def run_probe(self, env, uid, call):
        """``call(env_as_user)`` returns ('ok'|'denied'|'ignored', detail);
        exceptions are classified. The savepoint is always rolled back."""
        cr = env.cr
        cr.execute("SAVEPOINT access_probe")
        try:
            user_env = api.Environment(cr, uid, {})
            outcome, detail = call(user_env)
        except Exception as error:  # classified, shown in the report
            outcome, detail = classify(error), describe(error)
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT access_probe")
            env.clear()
        return outcome, detail


class TestAccessMatrix(AmbassadorCase, AccessProbes):
    """Each model x operation x kind of user against the written policy."""

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        env, ref = cls.env, cls.env.ref
        cls.published = ref("ambassador_program.charter_default")
        cls.draft = env["ambassador.charter"].create(
            {"name": "Matrix draft", "version": "matrix-draft",
             "content": "<p>Draft</p>"})
        cls.purpose_published = ref("ambassador_program.consent_purpose_wall_v1")
        cls.purpose_draft = env["ambassador.consent.purpose"].create(
            {"purpose": "wall", "version": 99, "text": "Matrix draft"})
        cls.retention_run = as_engine(env["ambassador.retention.run"]).create({})
        env["res.partner"]._ambassador_count_sent(
            [env.ref("base.user_root").partner_id.id], "other")
        cls.message_log = env["ambassador.message.log"].search([], limit=1)
        # Ambassadors with a portal account: the kinds, and "others".
        cls.p_ivory = cls._ambassador("Ivy Matrix", 5)
        cls.p_silver = cls._ambassador("Sid Matrix", 25)
        cls.p_susp = cls._ambassador("Sue Matrix", 5, state="suspended")
        cls.p_other = cls._ambassador("Olga Matrix", 5)
        cls.p_gold = cls._ambassador("Gus Matrix", 5)
        as_engine(cls.env["ambassador.status.engine"])._set_tiers(cls.p_gold, cls.gold)
        cls.p_portal = cls.Partner.create(
            {"name": "Pat Matrix", "email": "pat.matrix@example.com"})
        cls.p_cand = cls.make_ambassador("Cid Matrix", state="candidate")
        cls.p_contact = cls.Partner.create(
            {"name": "Con Matrix", "email": "con.matrix@example.com",
             "ambassador_segment_id": cls.invest.id})
        assert cls.p_silver.ambassador_tier_id == cls.silver, "Silver fixture"
        cls.users = {
            "public": ref("base.public_user"),
            "portal": cls.make_portal_user(cls.p_portal),
            "ivory": cls.make_portal_user(cls.p_ivory),
            "silver": cls.make_portal_user(cls.p_silver),
            "suspended": cls.make_portal_user(cls.p_susp),
            # Employees get "Contact Creation" by default (base.default_user):
            # they may edit contacts, which makes the contact rows meaningful.
            "employee": cls._make_user(
                "matrix_employee",
                [ref("base.group_user"), ref("base.group_partner_manager")]),
            "user": cls.staff_user,
            "committee": cls.committee_user,
            "manager": cls.manager_user,
            "admin": ref("base.user_root"),
        }
        cls.own_partner = {"portal": cls.p_portal, "ivory": cls.p_ivory,
                           "silver": cls.p_silver, "suspended": cls.p_susp}
        owners = (cls.p_ivory, cls.p_silver, cls.p_susp, cls.p_other)
        cls._make_owned_records(owners)
        cls._make_configuration()
        cls._make_other_targets()
        cls.specs = cls._specs()
        cls.recipes = cls._recipes()
        cls.recipes.update(value_recipes(cls))
        cls.recipes.update(lead_recipes(cls))

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    @classmethod
    def _ambassador(cls, name, points, state="active"):
        # A directory consent gives each one a line in its consent log.
        return cls.make_ambassador(name, points=points, state=state,
                                   ambassador_show_city=True)

    @classmethod
    def _make_owned_records(cls, owners):
        env = cls.env
        Promotion = env["ambassador.promotion"].with_context(**FIXTURE_CONSENT)
        cls.owned = {key: {} for key in (
            "proof", "proof_unconfirmed", "ledger", "prom_committee", "prom_plain",
            "consent",
            "acceptance", "incident", "signup", "directory", "participation")}
        # Missions (issue 14): one the owners took, one to take in probes.
        cls.probe_mission = env["ambassador.mission"].create(
            {"name": "Matrix mission", "state": "open", "proof_method": "survey"})
        cls.probe_mission_free = env["ambassador.mission"].create(
            {"name": "Matrix mission free", "state": "open",
             "proof_method": "survey"})
        for partner in owners:
            pid = partner.id
            cls.owned["proof"][pid] = cls.Proof.create(
                {"name": "Matrix proof", "partner_id": pid,
                 "rule_id": cls.rule_partnership.id})
            # E-mailed: waits for the ambassador to confirm it.
            cls.owned["proof_unconfirmed"][pid] = cls.Proof.create(
                {"name": "Matrix mail", "partner_id": pid, "channel": "email",
                 "rule_id": cls.rule_partnership.id})
            cls.owned["ledger"][pid] = partner.ambassador_transaction_ids[:1]
            cls.owned["prom_committee"][pid] = Promotion.create(
                {"partner_id": pid, "to_tier_id": cls.gold.id})
            plain = cls.ivory if partner == cls.p_silver else cls.silver
            cls.owned["prom_plain"][pid] = Promotion.create(
                {"partner_id": pid, "to_tier_id": plain.id})
            cls.owned["consent"][pid] = partner.ambassador_consent_ids[:1]
            partner._ambassador_accept_charter(cls.published)
            cls.owned["acceptance"][pid] = partner.ambassador_charter_acceptance_ids[:1]
            cls.owned["incident"][pid] = env["ambassador.incident"].create(
                {"name": "Matrix incident", "partner_id": pid, "sanction": "warning"})
            cls.owned["signup"][pid] = env["ambassador.signup.request"].create(
                {"partner_id": pid, "segment_id": cls.invest.id,
                 "email": partner.email, "ip_address": "192.0.2.1"})
            user = partner.user_ids[:1] or env.ref("base.user_root")
            cls.owned["directory"][pid] = env["ambassador.directory.view"].create(
                {"user_id": user.id, "partner_id": pid, "profile_count": 1})
            cls.owned["participation"][pid] = as_engine(
                env["ambassador.mission.participation"]).create(
                    {"mission_id": cls.probe_mission.id, "partner_id": pid})
        for key, records in cls.owned.items():
            for pid, record in records.items():
                assert record, "fixture %s of partner %s" % (key, pid)
        # A status change whose recorded "from" tier is forged (Silver) for an
        # ambassador who really is Gold: only the engine can record it so.
        cls.prom_forged = as_engine(env["ambassador.promotion"]).create(
            {"partner_id": cls.p_gold.id, "from_tier_id": cls.silver.id,
             "to_tier_id": cls.silver.id, "state": "proposed", "reason": "manual"})

    @classmethod
    def _make_configuration(cls):
        env = cls.env
        # Configuration records nothing refers to, so that unlink can succeed.
        cls.probe_segment = env["ambassador.segment"].create(
            {"name": "Matrix segment", "code": "matrix"})
        cls.probe_segment_field = env["ambassador.segment.field"].create(
            {"segment_id": cls.probe_segment.id, "field_name": "city"})
        cls.probe_tier = env["ambassador.tier"].create(
            {"name": "Matrix tier", "code": "matrix", "sequence": 99})
        cls.probe_threshold = env["ambassador.tier.threshold"].create(
            {"tier_id": cls.gold.id, "segment_id": cls.probe_segment.id,
             "points": 500})
        cls.probe_skill = env["ambassador.skill"].create({"name": "Matrix skill"})
        cls.probe_rule = env["ambassador.point.rule"].create(
            {"name": "Matrix action", "points": 1,
             "segment_ids": [(6, 0, cls.invest.ids)]})
        Document = env["ambassador.document"]
        cls.doc_open = Document.create({"name": "Matrix open"})
        cls.doc_silver = Document.create(
            {"name": "Matrix silver", "min_tier_id": cls.silver.id})
        cls.doc_platinum = Document.create(
            {"name": "Matrix platinum", "min_tier_id": cls.platinum.id})
        cls.report_row = env["ambassador.tier.report"].search([], limit=1)
        cls.dashboard_row = env["ambassador.programme.dashboard"].search([], limit=1)
        cls.quota_lock = env["ambassador.quota.lock"].create({"key": "matrix"})
        # A referral (engine-written): Olga referred a candidate of its own.
        cls.probe_referral = as_engine(env["ambassador.referral"])._record(
            cls.make_ambassador("Rex Matrix", state="candidate"), cls.p_other)
        # Imports (issue 12): a draft, and one done whose balances can be reversed.
        Import = env["ambassador.import.job"].sudo(cls.manager_user)
        cls.import_draft = Import.create({"file": IMPORT_CSV, "filename": "m.csv"})
        cls.import_done = Import.browse(Import.import_file(
            IMPORT_DONE_CSV, "done.csv", dry_run=False)["job_id"]).sudo()
        cls.reconfirmation = env["ambassador.reconfirmation"]._send_to(
            cls.import_done.partner_ids, cls.import_done)
        # Somebody else's file, that no portal user may attach to its proof.
        cls.foreign_attachment = env["ir.attachment"].create(
            {"name": "payroll.pdf", "datas_fname": "payroll.pdf",
             "datas": "JVBERi0=", "res_model": "res.partner",
             "res_id": cls.users["manager"].partner_id.id})

    @classmethod
    def _make_other_targets(cls):
        env = cls.env
        owned = cls.owned

        def mine(key, partner):
            # An ambassador's wizard works on its own records (which it may
            # read, so that the action really tries); anyone else's on Olga's.
            records = owned[key]
            return records.get(partner.id, records[cls.p_other.id]).ids

        # {wizard model: function(partner) -> values}
        cls.wizard_values = {
            "ambassador.proof.reject.wizard": lambda p: {
                "proof_ids": [(6, 0, mine("proof", p))], "reason": "Matrix"},
            "ambassador.transaction.reverse.wizard": lambda p: {
                "transaction_ids": [(6, 0, mine("ledger", p))], "reason": "Matrix"},
            "ambassador.consent.wizard": lambda p: {
                "partner_id": p.id, "reason": PROBE_REASON,
                "ambassador_show_email": True},
            # Points to the ambassador Olga (active): anyone's wizard tries.
            "ambassador.point.award.wizard": lambda p: {
                "partner_id": cls.p_other.id, "points": 3, "reason": "Matrix"},
            "ambassador.erase.wizard": lambda p: {
                "partner_id": p.id, "reason": "Matrix", "confirmed": True},
            "ambassador.diaspora.map.report": lambda p: {"kind": "residence"},
        }
        # Wizards made by the superuser: "others'" for every kind.
        cls.wizards = {
            name: env[name].create(values(cls.p_other))
            for name, values in cls.wizard_values.items() if name in env
        }
        cls.event = env["event.event"].create(
            {"name": "Matrix evening", "date_begin": "2030-06-01 18:00:00",
             "date_end": "2030-06-01 22:00:00",
             "ambassador_min_tier_id": cls.silver.id})
        cls.mailing = env["mail.mass_mailing"].create(
            {"name": "Matrix news", "body_html": "<p>News</p>"})

    # ------------------------------------------------------------------
    # What each model's rows probe
    # ------------------------------------------------------------------
    @classmethod
    def _specs(cls):
        """{model: spec}. ``targets``: 'config' (one record), 'owner' (one
        record per partner: own and others'), 'scope' (in and out of the
        kind's scope), 'transient' (made by the kind's user, or by another);
        ``create``(partner) and ``write`` values."""
        owned = cls.owned
        other = cls.p_other

        def config(record, create, write):
            return {"targets": "config", "record": record, "create": create,
                    "write": write}

        def owner(key, create, write):
            return {"targets": "owner", "records": owned[key], "create": create,
                    "write": write}

        def ledger_values(partner):
            # A suspended ambassador earns no points; a negative line is allowed.
            points = 2 if partner.ambassador_state == "active" else -1
            return {"partner_id": partner.id, "points": points,
                    "origin": "manual", "note": "Probe"}

        specs = {
            "ambassador.segment": config(
                cls.probe_segment, lambda p: {"name": "Probe", "code": "probe"},
                {"description": "Probe"}),
            "ambassador.segment.field": config(
                cls.probe_segment_field,
                lambda p: {"segment_id": cls.probe_segment.id, "field_name": "zip"},
                {"help_text": "Probe"}),
            "ambassador.tier": config(
                cls.probe_tier,
                lambda p: {"name": "Probe", "code": "probe", "sequence": 98},
                {"target_count": 7}),
            "ambassador.tier.threshold": config(
                cls.probe_threshold,
                lambda p: {"tier_id": cls.platinum.id,
                           "segment_id": cls.probe_segment.id, "points": 900},
                {"points": 501}),
            "ambassador.skill": config(
                cls.probe_skill, lambda p: {"name": "Probe skill"}, {"color": 3}),
            "ambassador.point.rule": config(
                cls.probe_rule,
                lambda p: {"name": "Probe", "points": 1,
                           "segment_ids": [(6, 0, cls.invest.ids)]},
                {"description": "Probe"}),
            "ambassador.charter": {
                "targets": "scope",
                "in_scope": lambda kind: cls.published,
                "out_scope": cls.draft,
                "create": lambda p: {"name": "Probe", "version": "probe",
                                     "content": "<p>Probe</p>"},
                "write": {"name": "Probe"}},
            "ambassador.consent.purpose": {
                "targets": "scope",
                "in_scope": lambda kind: cls.purpose_published,
                "out_scope": cls.purpose_draft,
                "create": lambda p: {"purpose": "wall", "version": 98,
                                     "text": "Probe"},
                "write": {"text": "Probe"}},
            "ambassador.message.log": config(
                cls.message_log,
                lambda p: {"channel": "other", "priority": "normal"},
                {"channel": "mailing"}),
            "ambassador.retention.run": config(
                cls.retention_run, lambda p: {"signup_count": 1},
                {"signup_count": 2}),
            "ambassador.document": {
                "targets": "scope",
                "in_scope": lambda kind: (cls.doc_silver if kind == "silver"
                                          else cls.doc_open),
                "out_scope": cls.doc_platinum,
                "create": lambda p: {"name": "Probe"},
                "write": {"description": "Probe"}},
            "ambassador.charter.acceptance": owner(
                "acceptance",
                lambda p: {"partner_id": p.id, "charter_id": cls.published.id,
                           "channel": "portal"},
                {"user_agent": "Probe"}),
            "ambassador.consent": owner(
                "consent",
                lambda p: {"partner_id": p.id, "purpose": "wall", "granted": True,
                           "channel": "portal"},
                {"ip_address": "192.0.2.9"}),
            "ambassador.proof": owner(
                "proof",
                # The portal form's fields, nothing else.
                lambda p: {"name": "Probe", "partner_id": p.id,
                           "rule_id": cls.rule_partnership.id,
                           "description": "Probe", "url": "https://example.com/p"},
                {"description": "Probe"}),
            "ambassador.point.transaction": owner(
                "ledger", ledger_values, {"note": "Probe"}),
            "ambassador.promotion": owner(
                "prom_plain",
                lambda p: {"partner_id": p.id, "to_tier_id": cls.gold.id},
                {"committee_notes": "Probe"}),
            "ambassador.incident": owner(
                "incident", lambda p: {"name": "Probe", "partner_id": p.id},
                {"description": "Probe"}),
            "ambassador.signup.request": owner(
                "signup",
                lambda p: {"partner_id": p.id, "email": p.email,
                           "ip_address": "192.0.2.2"},
                {"user_agent": "Probe"}),
            "ambassador.directory.view": owner(
                "directory",
                lambda p: {"user_id": cls.users["manager"].id, "partner_id": p.id,
                           "profile_count": 1},
                {"search_term": "Probe"}),
            "ambassador.tier.report": config(
                cls.report_row,
                lambda p: {"tier_id": cls.ivory.id, "headcount": 1},
                {"headcount": 1}),
            "ambassador.programme.dashboard": config(
                cls.dashboard_row,
                lambda p: {"active_count": 1}, {"active_count": 1}),
            "ambassador.quota.lock": config(
                cls.quota_lock, lambda p: {"key": "probe"}, {"key": "probe"}),
            "ambassador.referral": config(
                cls.probe_referral,
                lambda p: {"referrer_id": cls.p_other.id,
                           "referee_id": cls.p_cand.id},
                {"state": "reversed"}),
            "ambassador.reconfirmation": config(
                cls.reconfirmation,
                lambda p: {"partner_id": cls.p_other.id, "token_hash": "probe"},
                {"state": "confirmed"}),
            "ambassador.import.job": config(
                cls.import_draft, lambda p: {"file": IMPORT_CSV, "filename": "p.csv"},
                {"name": "Probe"}),
            "ambassador.mission": config(
                cls.probe_mission_free,
                lambda p: {"name": "Probe mission", "proof_method": "proof"},
                {"description": "Probe"}),
            "ambassador.mission.participation": owner(
                "participation",
                lambda p: {"mission_id": cls.probe_mission_free.id,
                           "partner_id": p.id},
                {"survey_answer": "Probe"}),
            "res.partner": {
                "targets": "owner",
                "records": {p.id: p for p in (
                    cls.p_ivory, cls.p_silver, cls.p_susp, cls.p_portal, other)},
                "create": lambda p: {"name": "Probe contact",
                                     "email": "probe.contact@example.com",
                                     "ambassador_segment_id": cls.invest.id},
                "create_any": True,
                # Every field of every installed app is not the question here
                # (Odoo's own need their groups); the programme's are rows.
                "read_fields": ["display_name"],
                "write": {"phone": "+33 1 00 00 00 00"}},
        }
        for name, values in cls.wizard_values.items():
            specs[name] = {
                "targets": "transient", "record": cls.wizards.get(name),
                "values": values, "create": lambda p, v=values: v(other),
                "write": {"reason": "Probe"}}
        # The staff's map form has no reason: it changes its map.
        specs["ambassador.diaspora.map.report"]["write"] = {"kind": "network"}
        specs.update(share_specs(cls))
        specs.update(outcome_specs(cls))
        specs.update(value_specs(cls))
        specs.update(intro_specs(cls))
        specs.update(lead_specs(cls))
        return specs

    @classmethod
    def _recipes(cls):
        """Method probes: {(model, operation): (targets, args)}; ``targets``
        None for the model's own, else a function(kind) -> [Target];
        ``args``(record) -> (args, kwargs) after the ids."""
        owned = cls.owned

        def owned_targets(key, active_only=False):
            def targets(kind):
                result = []
                own = cls.own_partner.get(kind)
                if own and own.id in owned[key] and not (
                        active_only and own.ambassador_state != "active"):
                    result.append(Target("own", lambda r=owned[key][own.id]: r))
                record = owned[key][cls.p_other.id]
                result.append(Target("others", lambda r=record: r))
                return result
            return targets

        def partner_targets(other, active_only=False):
            def targets(kind):
                own = cls.own_partner.get(kind)
                result = []
                if own and not (active_only and own.ambassador_state != "active"):
                    result.append(Target("own", lambda r=own: r))
                return result + [Target("others", lambda r=other: r)]
            return targets

        def one(record):
            return lambda kind: [Target("any", lambda r=record: r)]

        def no_args(record, user):
            return [], {}

        def mail(record, user):
            return [{"email_from": record.email, "subject": "Probe proof",
                     "body": "<p>Probe</p>", "to": "proofs@example.com"}], {}

        def settings(kind):
            # The kind's own settings record, made as that user.
            def make(kind=kind):
                env = api.Environment(cls.env.cr, cls.users[kind].id, {})
                return env["res.config.settings"].create({})
            return [Target("own", make)]

        return {
            ("ambassador.proof", "action_confirm_by_ambassador"): (
                owned_targets("proof_unconfirmed"), no_args),
            ("ambassador.proof", "action_discard_by_ambassador"): (
                owned_targets("proof_unconfirmed"), no_args),
            ("ambassador.proof", "message_post"): (
                # With a sender address, as an RPC caller would give.
                None, lambda r, user: ([], {
                    "body": "Probe", "message_type": "comment",
                    "subtype": "mail.mt_comment", "email_from": "probe@example.com"})),
            ("ambassador.proof", "message_update"): (
                None, lambda r, user: ([{"body": "<p>Probe</p>"}], {})),
            # Inherited from mail.thread, reachable over RPC: who may follow a
            # status change (and get the committee's messages by e-mail).
            ("ambassador.promotion", "message_subscribe"): (
                None, lambda r, user: ([], {"partner_ids": user.partner_id.ids})),
            ("ambassador.charter", "action_publish"): (one(cls.draft), no_args),
            ("ambassador.consent.purpose", "action_publish"): (
                one(cls.purpose_draft), no_args),
            ("ambassador.proof", "action_reject"): (
                None, lambda r, user: (["Probe reason"], {})),
            ("ambassador.proof", "message_new"): (
                partner_targets(cls.p_other, active_only=True), mail),
            ("ambassador.point.transaction", "action_reverse"): (
                None, lambda r, user: (["Probe reversal"], {})),
            ("ambassador.promotion", "action_approve[committee]"): (
                owned_targets("prom_committee"), no_args),
            ("ambassador.promotion", "action_refuse[committee]"): (
                owned_targets("prom_committee"), no_args),
            ("ambassador.promotion", "action_approve[forged]"): (
                one(cls.prom_forged), no_args),
            ("ambassador.consent.wizard", "default_get"): (
                partner_targets(cls.p_other),
                lambda r, user: ([["partner_id", "ambassador_show_email"]],
                                 {"context": {"active_id": r.id}})),
            ("res.partner", "action_ambassador_enrol"): (
                partner_targets(cls.p_contact), no_args),
            ("res.partner", "action_ambassador_activate"): (
                partner_targets(cls.p_cand), no_args),
            ("event.event", "action_ambassador_invite"): (one(cls.event), no_args),
            ("mail.mass_mailing", "get_remaining_recipients"): (
                one(cls.mailing), no_args),
            ("mail.mass_mailing", "send_mail"): (one(cls.mailing), no_args),
            ("event.event", "mail_attendees"): (
                one(cls.event), lambda r, user: (
                    [cls.env.ref("event.event_reminder").id], {})),
            ("ambassador.programme.dashboard", "read_group"): (
                None, lambda r, user: (
                    [[], ["segment_id", "dormant_percent"], ["segment_id"]], {})),
            ("ambassador.tier.report", "read_group"): (
                None, lambda r, user: (
                    [[], ["tier_id", "headcount", "target_percent"], ["tier_id"]], {})),
            ("ambassador.programme.dashboard", "action_open_kpi"): (
                None, lambda r, user: ([], {"context": {"ambassador_kpi": "proofs"}})),
            ("ambassador.import.job", "import_file"): (
                None, lambda r, user: ([IMPORT_CSV, "probe.csv"], {})),
            ("ambassador.import.job", "action_reverse_import"): (
                one(cls.import_done), no_args),
            ("res.config.settings", "get_values"): (settings, no_args),
            ("res.config.settings", "set_values"): (settings, no_args),
        }

    # Field-level rows: the value sent, and whether it landed.
    FIELD_VALUES = {
        ("res.partner", "ambassador_state"): "left",
        ("res.partner", "ambassador_balance"): 999,
        ("res.partner", "ambassador_tier_valid_until"): "2031-01-01",
        ("res.partner", "ambassador_consent_wall"): True,
        ("res.partner", "ambassador_show_email"): True,
        ("res.partner", "phone"): "+33 1 00 00 00 00",
        ("res.partner", "ambassador_intro_quota"): 42,
        ("res.partner", "ambassador_intro_only"): True,
        ("ambassador.proof", "state"): "approved",
        ("ambassador.promotion", "state"): "applied",
        ("ambassador.proof", "channel"): "staff",
        ("ambassador.import.job", "state"): "done",
        ("res.partner", "ambassador_referral_code"): "ForgedCode123",
    }
    # What a wizard's action must have done for "ok" (its records are read with
    # the user's rules: a user who may read none of them changes nothing).
    EFFECTS = {
        ("ambassador.proof.reject.wizard", "action_reject"): lambda w, u: all(
            proof.state == "rejected" for proof in w.proof_ids),
        ("ambassador.transaction.reverse.wizard", "action_reverse"): lambda w, u: all(
            line.reversal_ids for line in w.transaction_ids),
        ("ambassador.point.award.wizard", "action_award"): lambda w, u: bool(
            w.partner_id.ambassador_transaction_ids.filtered(
                lambda line: line.note == w.reason and line.create_uid == u)),
        ("ambassador.consent.wizard", "action_record"): lambda w, u: (
            w.partner_id.ambassador_show_email),
        # Following a record: the user now gets its messages by e-mail.
        ("ambassador.promotion", "message_subscribe"): lambda r, u: (
            u.partner_id in r.message_partner_ids),
    }
    QUALIFIER_CONTEXT = {"reason": {"ambassador_consent_reason": PROBE_REASON}}

    def field_value(self, model, field, creating=False):
        if (model, field) == ("res.partner", "ambassador_tier_id"):
            return self.platinum.id
        if (model, field) == ("res.partner", "ambassador_referrer_id"):
            return self.p_gold.id
        if (model, field) == ("ambassador.proof", "attachment_ids"):
            return [(6, 0, self.foreign_attachment.ids)]
        if (model, field) == ("res.partner", "ambassador_state") and creating:
            return "candidate"  # enrolling a new contact (writing: leaving)
        return self.FIELD_VALUES[(model, field)]

    @staticmethod
    def landed(record, field, value):
        stored = record.sudo()[field]
        if isinstance(value, list):  # x2many commands (6, 0, ids)
            return set(value[0][2]) <= set(stored.ids)
        if hasattr(stored, "_name"):
            return stored.id == value
        return stored == value

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    def targets(self, model, kind, verb):
        spec = self.specs[model]
        own = self.own_partner.get(kind)
        if verb == "create":
            if spec["targets"] == "owner" and not spec.get("create_any"):
                result = [Target("own", lambda p=own: p)] if own else []
                return result + [Target("others", lambda: self.p_other)]
            return [Target("any", lambda: None)]
        if spec["targets"] == "config":
            return [Target("any", lambda r=spec["record"]: r)]
        if spec["targets"] == "scope":
            return [Target("own", lambda: spec["in_scope"](kind)),
                    Target("others", lambda: spec["out_scope"])]
        if spec["targets"] == "transient":
            user_id = self.users[kind].id
            values = spec["values"](own or self.p_other)

            def make(model=model, user_id=user_id, values=values):
                env = api.Environment(self.env.cr, user_id, {})
                return env[model].create(dict(values))
            return [Target("own", make),
                    Target("others", lambda r=spec["record"]: r)]
        records = spec["records"]
        result = []
        if own and own.id in records:
            result.append(Target("own", lambda r=records[own.id]: r))
        return result + [Target("others", lambda r=records[self.p_other.id]: r)]

    # ------------------------------------------------------------------
    # Probes
    # ------------------------------------------------------------------
    def probe(self, model, operation, kind):
        """[(target label, outcome, detail)] for one cell."""
        verb, field, qualifier = split_operation(operation)
        context = self.QUALIFIER_CONTEXT.get(qualifier, {})
        uid = self.users[kind].id
        results = []
        if verb in CRUD or field:
            targets = self.targets(model, kind, verb)
        else:
            recipe = self.recipes.get((model, operation)) or self.recipes.get(
                (model, verb)) or (None, None)
            targets = (recipe[0] or (lambda k: self.targets(model, k, verb)))(kind)
        for target in targets:
            call = self.make_call(model, verb, field, operation, target, context)
            outcome, detail = self.run_probe(self.env, uid, call)
            results.append((target.label, outcome, detail))
        return results

    def make_call(self, model, verb, field, operation, target, context):
        spec = self.specs.get(model, {})

        # RPC passes the context as a keyword; call_kw replaces the
        # recordset's context with it.
        options = {"context": dict(context)} if context else {}

        def call(env):
            record = target.factory()
            Model = env[model]
            if verb in ("search_read", "read"):
                fields = [field] if field else spec.get("read_fields", [])
                rows = api.call_kw(Model, "search_read", [[("id", "=", record.id)]],
                                   dict(options, fields=fields))
                found = any(row["id"] == record.id for row in rows)
                return ("ok", "") if found else ("denied", "absent from the result")
            if verb == "create":
                values = spec["create"](record)
                wanted = field and self.field_value(model, field, creating=True)
                if field:
                    values[field] = wanted
                # A copy: create() may rewrite the dict it is given.
                new_id = api.call_kw(Model, "create", [dict(values)], options)
                if field and not self.landed(
                        self.env[model].browse(new_id), field, wanted):
                    return "ignored", "created without the value"
                return "ok", ""
            if verb == "write":
                values = dict(spec["write"])
                wanted = field and self.field_value(model, field)
                if field:
                    values = {field: wanted}
                api.call_kw(Model, "write", [record.ids, dict(values)], options)
                if field and not self.landed(record, field, wanted):
                    return "ignored", "written without the value"
                return "ok", ""
            if verb == "unlink":
                api.call_kw(Model, "unlink", [record.ids], options)
                return "ok", ""
            recipe = self.recipes.get((model, operation)) or self.recipes.get(
                (model, verb)) or (None, None)
            args, kwargs = (recipe[1] or (lambda r, user: ([], {})))(record, env.user)
            method = getattr(type(env[model]), verb)
            if getattr(method, "_api", None) != "model":
                args = [record.ids] + list(args)
            api.call_kw(Model, verb, args, dict(options, **kwargs))
            effect = self.EFFECTS.get((model, verb))
            if effect and not effect(record.sudo(), env.user.sudo()):
                return "ignored", "returned without doing anything"
            return "ok", ""
        return call

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def policy_problems(self, policy):
        """Models and methods without a row, rows that name nothing, bad
        cells."""
        defined, extended, methods = discover(self.env)
        problems = []
        rows = {(row["model"], row["operation"]) for row in policy}
        bases = {(model, split_operation(op)[0]) for model, op in rows}
        for model in sorted(defined):
            for op in CRUD:
                if (model, op) not in rows:
                    problems.append("%s: no policy row for %s" % (model, op))
        for model in sorted(methods):
            for method in sorted(methods[model]):
                if (model, method) not in bases:
                    problems.append("%s: no policy row for its public method %s"
                                    % (model, method))
        for row in policy:
            model, op = row["model"], row["operation"]
            verb, field, _qualifier = split_operation(op)
            if model not in defined | extended:
                problems.append("%s: policy row for a model the addon does not "
                                "define or extend" % model)
                continue
            if field and (verb not in FIELD_OPS
                          or field not in self.env[model]._fields):
                problems.append("%s: row %s names no field" % (model, op))
            elif not field and verb not in CRUD and not self.public_method(
                    model, verb):
                problems.append("%s: row %s names no public method" % (model, op))
            bad = [kind for kind in KINDS if row.get(kind) not in CELL_VALUES]
            if bad or not (row.get("why") or "").strip():
                problems.append("%s %s: bad cells %s or no why" % (model, op, bad))
        return problems, defined, extended

    def test_every_model_and_method_has_a_policy_row(self):
        problems, defined, extended = self.policy_problems(load_policy())
        _logger.info("access matrix: %d models defined, %d extended",
                     len(defined), len(extended))
        self.assertFalse(problems, "Access policy %s incomplete:\n%s"
                         % (policy_path(), "\n".join(problems)))

    def test_access_matrix(self):
        policy = load_policy()
        # Rows naming no model or method are reported by the coverage test.
        known = [row for row in policy if self.probeable(row)]
        mismatches, figures = [], Counter()
        for row in known:
            model, operation = row["model"], row["operation"]
            if model not in self.specs and not self.has_recipe(model, operation):
                mismatches.append("%s %s: no probe for this model" % (model, operation))
                continue
            field_level = bool(split_operation(operation)[1])
            for kind in KINDS:
                cell = row[kind]
                if cell == "-":
                    continue
                for label, outcome, detail in self.probe(model, operation, kind):
                    figures["probes"] += 1
                    figures[outcome] += 1
                    if outcome not in accepted_outcomes(cell, label, field_level):
                        mismatches.append(
                            "%s %s | %s on %s | expected %s, got %s%s" % (
                                model, operation, kind, label, cell, outcome,
                                detail and " (%s)" % detail))
        figures["mismatches"] = len(mismatches)
        _logger.info(
            "access matrix: %d rows, %d kinds, %d probes (%s), %d mismatches",
            len(known), len(KINDS), figures["probes"],
            ", ".join("%s %d" % (key, figures[key]) for key in
                      ("ok", "denied", "refused", "ignored", "error")),
            len(mismatches))
        for line in mismatches:
            _logger.info("access matrix mismatch: %s", line)
        self.assertFalse(
            mismatches, "%d of %d probes disagree with %s:\n%s" % (
                len(mismatches), figures["probes"], policy_path(),
                "\n".join(mismatches)))

    def public_method(self, model, name):
        """A method RPC may call: the addon's (required rows) or inherited
        ones a row chooses to cover (mail.thread's, for instance)."""
        return (not name.startswith("_") and name != "init"
                and callable(getattr(type(self.env[model]), name, None)))

    def probeable(self, row):
        model = row["model"]
        verb, field, _qualifier = split_operation(row["operation"])
        if model not in self.env or all(row[kind] == "-" for kind in KINDS):
            # A row that only documents (an abstract model with no record).
            return False
        if field:
            return field in self.env[model]._fields
        return verb in CRUD or callable(getattr(type(self.env[model]), verb, None))

    def has_recipe(self, model, operation):
        verb = split_operation(operation)[0]
        return (model, operation) in self.recipes or (model, verb) in self.recipes

    def test_rendered_policy_is_up_to_date(self):
        """SECURITY.md shows the policy as scripts/render_access_policy.py
        renders it (checked where the addon sits in its repository)."""
        root = os.path.dirname(get_module_path(MODULE))
        script = os.path.join(root, "scripts", "render_access_policy.py")
        document = os.path.join(root, "SECURITY.md")
        if not (os.path.exists(script) and os.path.exists(document)):
            self.skipTest("not in the addon's repository")
        spec = importlib.util.spec_from_file_location("render_access_policy", script)
        renderer = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(renderer)
        with open(document, encoding="utf-8") as handle:
            current = handle.read()
        self.assertEqual(
            renderer.update_document(current, renderer.render(policy_path())),
            current,
            "SECURITY.md is behind the access policy: run "
            "python3 scripts/render_access_policy.py")


@common.at_install(False)
@common.post_install(True)
class TestAccessMatrixOverRpc(SharedCursorHttpCase, AccessProbes):
    """A few probes over real JSON-RPC (/web/dataset/call_kw) beside the same
    call through call_kw in the ORM: what the matrix measures is what an RPC
    client gets."""

    def setUp(self):
        super(TestAccessMatrixOverRpc, self).setUp()
        env = self.env
        ref = env.ref
        self.policy = {(row["model"], row["operation"]): row for row in load_policy()}
        partner = env["res.partner"].with_context(**FIXTURE_CONSENT)
        self.amb = partner.create(
            {"name": "Rita Rpc", "email": "rita.rpc@example.com",
             "ambassador_state": "active",
             "ambassador_segment_id": ref("ambassador_program.segment_invest").id})
        self.other = partner.create(
            {"name": "Otto Rpc", "email": "otto.rpc@example.com",
             "ambassador_state": "active",
             "ambassador_segment_id": ref("ambassador_program.segment_invest").id})
        self.login = "rita.rpc@example.com"
        self.user = env["res.users"].with_context(no_reset_password=True).create(
            {"name": "Rita Rpc", "login": self.login, "password": self.login,
             "partner_id": self.amb.id,
             "groups_id": [(6, 0, [ref("base.group_portal").id])]})
        rule = ref("ambassador_program.rule_partnership")
        Proof = env["ambassador.proof"]
        self.own_proof = Proof.create(
            {"name": "Rita's proof", "partner_id": self.amb.id, "rule_id": rule.id})
        self.other_proof = Proof.create(
            {"name": "Otto's proof", "partner_id": self.other.id,
             "rule_id": rule.id})
        self.promotion = env["ambassador.promotion"].create(
            {"partner_id": self.amb.id,
             "to_tier_id": ref("ambassador_program.tier_gold").id,
             "committee_notes": "Not before the spring"})
        self.foreign = env["ir.attachment"].create(
            {"name": "salaries.pdf", "datas_fname": "salaries.pdf",
             "datas": "JVBERi0=", "res_model": "res.partner",
             "res_id": ref("base.partner_root").id})
        self.rpc_id = 0

    def rpc(self, model, method, args, kwargs=None):
        """(outcome, result or error name) of a JSON-RPC call_kw."""
        self.sync()
        self.rpc_id += 1
        response = self.opener.post(
            "http://%s:%s/web/dataset/call_kw" % (common.HOST, common.PORT),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": self.rpc_id,
                             "params": {"model": model, "method": method,
                                        "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"}, timeout=60)
        self.assertEqual(response.status_code, 200, response.text[:300])
        body = response.json()
        # A request rolls back the shared cursor to its savepoint: forget what
        # the ORM cached from before.
        self.env.clear()
        if "error" not in body:
            return "ok", body["result"]
        name = body["error"]["data"]["name"]
        if name.endswith("AccessError"):
            return "denied", name
        if name.endswith(("UserError", "ValidationError", "except_orm")):
            return "refused", name
        return "error", name

    def orm(self, uid, model, method, args, kwargs=None):
        def call(env):
            return "ok", api.call_kw(env[model], method, args, kwargs or {})
        return self.run_probe(self.env, uid, call)

    def both(self, uid, model, method, args, kwargs=None):
        rpc = self.rpc(model, method, args, kwargs)
        return self.orm(uid, model, method, args, kwargs), rpc

    def expect(self, model, operation, kind, label):
        row = self.policy[(model, operation)]
        return accepted_outcomes(row[kind], label, bool(split_operation(
            operation)[1]))

    def test_portal_ambassador_over_rpc(self):
        self.authenticate(self.login, self.login)
        uid = self.user.id
        checks = 0
        # write on its own proof: refused by access rights over both paths.
        orm, rpc = self.both(uid, "ambassador.proof", "write",
                             [self.own_proof.ids, {"description": "Edited"}])
        self.assertEqual(orm[0], rpc[0], (orm, rpc))
        self.assertIn(rpc[0], self.expect("ambassador.proof", "write", "ivory", "own"))
        checks += 1
        # search_read of proofs: its own only, the same ids both ways.
        domain = [[("id", "in", [self.own_proof.id, self.other_proof.id])]]
        orm, rpc = self.both(uid, "ambassador.proof", "search_read", domain,
                             {"fields": ["name"]})
        self.assertEqual(rpc[0], "ok", rpc)
        self.assertEqual({row["id"] for row in rpc[1]}, {self.own_proof.id})
        self.assertEqual({row["id"] for row in orm[1]}, {self.own_proof.id})
        checks += 1
        # Staff-only fields of its own status change.
        for field in ("committee_notes", "decided_by_id"):
            orm, rpc = self.both(uid, "ambassador.promotion", "search_read",
                                 [[("id", "=", self.promotion.id)]],
                                 {"fields": [field]})
            self.assertEqual(orm[0], rpc[0], (field, orm, rpc))
            self.assertIn(rpc[0], self.expect(
                "ambassador.promotion", "read:%s" % field, "ivory", "own"),
                (field, rpc))
            checks += 1
        # A proof pointing at somebody else's file (issue 8, hole 1).
        values = {"name": "Mine", "partner_id": self.amb.id,
                  "rule_id": self.own_proof.rule_id.id,
                  "attachment_ids": [(6, 0, self.foreign.ids)]}
        orm, rpc = self.both(uid, "ambassador.proof", "create", [values])
        self.assertEqual(orm[0], rpc[0], (orm, rpc))
        if rpc[0] == "ok":
            rpc = ("ignored" if self.foreign not in self.env["ambassador.proof"]
                   .browse(rpc[1]).attachment_ids else "ok", rpc[1])
        self.assertIn(rpc[0], self.expect(
            "ambassador.proof", "create:attachment_ids", "ivory", "own"), rpc)
        checks += 1
        # Points by hand: refused.
        orm, rpc = self.both(uid, "ambassador.point.transaction", "create",
                             [{"partner_id": self.amb.id, "points": 50}])
        self.assertEqual(orm[0], rpc[0], (orm, rpc))
        self.assertIn(rpc[0], self.expect(
            "ambassador.point.transaction", "create", "ivory", "own"))
        checks += 1
        # Users: the ORM and RPC show the same accounts (or refuse both).
        orm_users = self.orm_search_read(uid, "res.users", ["login"])
        rpc_users = self.rpc("res.users", "search_read", [[]], {"fields": ["login"]})
        self.assertEqual(orm_users[0], rpc_users[0], (orm_users, rpc_users))
        if rpc_users[0] == "ok":
            self.assertEqual(sorted(r["id"] for r in orm_users[1]),
                             sorted(r["id"] for r in rpc_users[1]))
        checks += 1
        _logger.info("access matrix over JSON-RPC: %d portal probes agree", checks)

    def orm_search_read(self, uid, model, fields):
        result = {}

        def call(env):
            result["rows"] = env[model].search_read([], fields)
            return "ok", ""
        outcome, detail = self.run_probe(self.env, uid, call)
        return outcome, result.get("rows", detail)

    def test_admin_over_rpc_is_not_the_engine(self):
        """uid 1 over RPC: no balance, tier or applied status change by hand."""
        self.authenticate("admin", "admin")
        admin = self.env.ref("base.user_root")
        checks = 0
        for field, value in (("ambassador_balance", 999),
                             ("ambassador_tier_id",
                              self.env.ref("ambassador_program.tier_platinum").id)):
            orm, rpc = self.both(admin.id, "res.partner", "write",
                                 [self.amb.ids, {field: value}])
            self.assertEqual(orm[0], rpc[0], (field, orm, rpc))
            self.assertNotEqual(self.amb[field] if field == "ambassador_balance"
                                else self.amb[field].id, value, field)
            checks += 1
        platinum = self.env.ref("ambassador_program.tier_platinum")
        values = {"partner_id": self.amb.id, "to_tier_id": platinum.id,
                  "state": "applied", "reason": "committee"}
        orm, rpc = self.both(admin.id, "ambassador.promotion", "create", [values])
        self.assertEqual(orm[0], rpc[0], (orm, rpc))
        if rpc[0] == "ok":
            change = self.env["ambassador.promotion"].browse(rpc[1])
            self.assertNotEqual(change.state, "applied")
            self.assertNotEqual(self.amb.ambassador_tier_id, platinum)
        checks += 1
        _logger.info("access matrix over JSON-RPC: %d admin probes agree", checks)
