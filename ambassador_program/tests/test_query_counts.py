# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public and portal page of the addon runs as many SQL queries on a
data set ten times larger (issue 13): no query per ambassador, ledger line,
proof, event, product or document.

How a request's queries are counted honestly: in 11.0's test mode every
request runs on the registry's one test cursor (``registry.cursor()`` returns
``registry.test_cr``), and ``Cursor.execute`` counts every statement in
``sql_log_count`` whether the SQL log is on or not. The count of a request is
the difference around ``url_open``. Each page is opened once before it is
measured, so that the ORM caches (views, access rights, rules, parameters) are
warm; the data is grown by raw SQL (set-based, ``INSERT ... SELECT`` over
``generate_series``), which leaves those caches as they were."""
import base64
import logging
import io
import os
import re
import time
from datetime import datetime, timedelta

from PIL import Image

from odoo import fields, http
from odoo.tests import common

from ..models.authority import as_engine
from .common import FIXTURE_CONSENT
from .test_website import PDF, WebsiteCase

_logger = logging.getLogger(__name__)

SMALL = 5  # copies of every kind of row: fewer than a page holds
FACTOR = 10  # the large data set

# Every route of the addon: measured by PAGES, or excluded here with why.
# Keys: "<controller class>.<method>".
EXCLUDED = {
    "AmbassadorPortal.my_ambassador_charter":
        "POST only (accepting the charter), redirects",
    "AmbassadorPortal.my_ambassador_consents": "POST only (consent form), redirects",
    "AmbassadorPortal.my_ambassador_consents_reconfirm":
        "POST only (one consent's answer), redirects",
    "AmbassadorPortal.my_ambassador_proof_confirm": "POST only, redirects",
    "AmbassadorPortal.my_ambassador_proof_discard": "POST only, redirects",
    "AmbassadorWebsiteEvent.registration_new":
        "JSON/POST action of website_event (the ticket modal), no page",
    "AmbassadorWebsiteEvent.registration_confirm":
        "POST action of website_event (registers), no page of ours",
    "AmbassadorWebsiteSale.cart_update": "POST action (adds to the cart), redirects",
    "AmbassadorWebsiteSale.cart_update_json": "JSON action (cart quantities)",
    "AmbassadorWebsiteSale.checkout":
        "website_sale's checkout (address forms); ours only cleans the cart, "
        "measured through /shop/cart",
    "AmbassadorWebsiteSale.payment":
        "website_sale's payment (acquirers); ours only cleans the cart, "
        "measured through /shop/cart",
    "AmbassadorMissions.my_ambassador_mission_take":
        "POST only (takes a mission), redirects or re-displays the mission",
    "AmbassadorMissions.my_ambassador_mission_answer":
        "POST only (a survey answer), redirects or re-displays the mission",
    "AmbassadorMissions.my_ambassador_mission_proof":
        "POST only (a proof upload), redirects or re-displays the mission",
    "AmbassadorMissions.my_ambassador_mission_cancel":
        "POST only (gives a mission up), redirects",
    "AmbassadorPrivacy.ambassador_privacy_export":
        "staff only (the contact form's button), not a portal or public page",
    "AmbassadorDiasporaMap.ambassador_staff_diaspora_map_svg":
        "staff only (the image of the Diaspora Map form), not a portal or public page",
    "AmbassadorRecognition.my_ambassador_leaderboard_join":
        "POST only (joining or leaving the leaderboards), redirects",
    "AmbassadorIntroductions.my_ambassador_introduction_answer":
        "POST only (accept, decline, withdraw), redirects or re-displays",
    "AmbassadorIntroductions.my_ambassador_introduction_report":
        "POST only (an abuse report), redirects or re-displays",
}

# (label, endpoint, url, visitors). A url may use {keys} filled in setUp;
# visitors: "public" or a tier code for an ambassador of that tier.
TIERS = ("ivory", "silver", "gold", "platinum")
PAGES = [
    ("programme", "AmbassadorWebsite.ambassadors_page", "/ambassadors",
     ("public", "platinum")),
    ("programme with its map", "AmbassadorDiasporaMap.ambassadors_page",
     "/ambassadors", ("public",)),
    ("diaspora map residence", "AmbassadorDiasporaMap.ambassadors_diaspora_map_svg",
     "/ambassadors/diaspora-map/residence.svg", ("public",)),
    ("diaspora map network", "AmbassadorDiasporaMap.ambassadors_diaspora_map_svg",
     "/ambassadors/diaspora-map/network.svg", ("public",)),
    ("sign-up invest", "AmbassadorWebsite.ambassadors_join",
     "/ambassadors/join/invest", ("public",)),
    ("sign-up study", "AmbassadorWebsite.ambassadors_join",
     "/ambassadors/join/study", ("public",)),
    ("sign-up visit", "AmbassadorWebsite.ambassadors_join",
     "/ambassadors/join/visit", ("public",)),
    ("sign-up live", "AmbassadorWebsite.ambassadors_join",
     "/ambassadors/join/live", ("public",)),
    ("sign-up confirm (unknown token)", "AmbassadorWebsite.ambassadors_confirm",
     "/ambassadors/confirm?token=unknown", ("public",)),
    ("form-only address", "AmbassadorWebsite.ambassadors_form_only",
     "{form_only}", ("public",)),
    ("wall", "AmbassadorWebsite.ambassadors_wall", "/ambassadors/wall",
     ("public", "platinum")),
    ("wall page 2", "AmbassadorWebsite.ambassadors_wall",
     "/ambassadors/wall/page/2", ("public",)),
    ("wall photo", "AmbassadorWebsite.ambassadors_wall_photo",
     "/ambassadors/wall/photo/{wall_peer}", ("public",)),
    ("accessibility statement", "AmbassadorAccessibility.ambassadors_accessibility",
     "/ambassadors/accessibility", ("public",)),
    ("login", "AmbassadorHome.web_login", "/web/login", ("public",)),
    ("re-confirmation", "AmbassadorReconfirm.ambassadors_reconfirm",
     "/ambassadors/reconfirm?token={reconfirm_token}", ("public",)),
    ("re-confirmation (unknown token)", "AmbassadorReconfirm.ambassadors_reconfirm",
     "/ambassadors/reconfirm?token=unknown", ("public",)),
    ("erased", "AmbassadorPrivacy.my_ambassador_privacy_erased",
     "/my/ambassador/privacy/erased", ("public",)),
    ("/my/home", None, "/my/home", ("silver",)),
    ("space", "AmbassadorPortal.my_ambassador", "/my/ambassador",
     ("ivory", "silver", "platinum")),
    ("proof form", "AmbassadorPortal.my_ambassador_proof_new",
     "/my/ambassador/proofs/new", ("silver",)),
    ("proof file", "AmbassadorPortal.my_ambassador_proof_file",
     "/my/ambassador/proofs/{proof}/files/{proof_file}", ("silver",)),
    ("documents", "AmbassadorPortal.my_ambassador_documents",
     "/my/ambassador/documents", ("ivory", "platinum")),
    ("document download", "AmbassadorPortal.my_ambassador_document_download",
     "/my/ambassador/documents/{document}/download", ("silver",)),
    ("directory", "AmbassadorPortal.my_ambassador_directory",
     "/my/ambassador/directory", ("ivory", "silver", "platinum")),
    ("directory search", "AmbassadorPortal.my_ambassador_directory",
     "/my/ambassador/directory?search=Peer", ("platinum",)),
    ("directory filters", "AmbassadorPortal.my_ambassador_directory",
     "/my/ambassador/directory?skill_id={skill}&lang_id={lang}"
     "&country_id={country}&city=Grenoble", ("platinum",)),
    ("directory page 2", "AmbassadorPortal.my_ambassador_directory",
     "/my/ambassador/directory/page/2", ("platinum",)),
    ("profile", "AmbassadorPortal.my_ambassador_profile", "/my/ambassador/profile",
     ("silver",)),
    ("privacy", "AmbassadorPrivacy.my_ambassador_privacy", "/my/ambassador/privacy",
     ("silver",)),
    ("privacy export html", "AmbassadorPrivacy.my_ambassador_privacy_html",
     "/my/ambassador/privacy/export.html", ("silver",)),
    ("privacy export json", "AmbassadorPrivacy.my_ambassador_privacy_json",
     "/my/ambassador/privacy/export.json", ("silver",)),
    ("privacy erase form", "AmbassadorPrivacy.my_ambassador_privacy_erase",
     "/my/ambassador/privacy/erase", ("silver",)),
    ("events", None, "/event", ("public", "ivory", "platinum")),
    ("event", None, "/event/{event}", ("public", "ivory", "platinum")),
    ("shop", "AmbassadorWebsiteSale.shop", "/shop", ("public",) + TIERS),
    ("shop product", "AmbassadorWebsiteSale.product",
     "/shop/product/{product}", ("public",) + TIERS),
    ("collector product", "AmbassadorWebsiteSale.product",
     "/shop/product/{collector}", ("platinum",)),
    ("cart", "AmbassadorWebsiteSale.cart", "/shop/cart", ("silver",)),
    # Recognition (issue 14): the space and the wall with their badges, the
    # leaderboards of a viewer who joined them (silver) and of one who did
    # not (ivory).
    ("space with badges", "AmbassadorRecognition.my_ambassador", "/my/ambassador",
     ("ivory", "silver")),
    ("wall with badges", "AmbassadorWallBadges.ambassadors_wall", "/ambassadors/wall",
     ("public", "silver")),
    ("leaderboard", "AmbassadorRecognition.my_ambassador_leaderboard",
     "/my/ambassador/leaderboard", ("ivory", "silver")),
    ("leaderboard all time", "AmbassadorRecognition.my_ambassador_leaderboard",
     "/my/ambassador/leaderboard?period=all&segment_id={segment}", ("silver",)),
    ("missions", "AmbassadorMissions.my_ambassador_missions",
     "/my/ambassador/missions", ("ivory", "silver", "platinum")),
    ("mission taken", "AmbassadorMissions.my_ambassador_mission",
     "/my/ambassador/missions/{mission_taken}", ("silver",)),
    ("mission offered", "AmbassadorMissions.my_ambassador_mission",
     "/my/ambassador/missions/{mission_offered}", ("silver", "platinum")),
    ("referral link", "AmbassadorReferral.ambassadors_join_referral",
     "/ambassadors/join?ref={referral_code}", ("public",)),
    ("referral link (unknown code)", "AmbassadorReferral.ambassadors_join_referral",
     "/ambassadors/join?ref=unknown1234", ("public",)),
    ("sign-up through a referral link", "AmbassadorWebsite.ambassadors_join",
     "/ambassadors/join/study?ref={referral_code}", ("public",)),
    ("share kits", "AmbassadorShare.my_ambassador_shares", "/my/ambassador/share",
     ("ivory", "silver", "platinum")),
    ("share kit", "AmbassadorShare.my_ambassador_share",
     "/my/ambassador/share/{share_kit}", ("silver",)),
    # Introductions (issue 15): the silver viewer's requests sent and
    # received, one of them, the request form to a peer, the settings.
    ("introductions", "AmbassadorIntroductions.my_ambassador_introductions",
     "/my/ambassador/introductions", ("ivory", "silver")),
    ("outcomes", "AmbassadorOutcomes.my_ambassador_outcomes",
     "/my/ambassador/outcomes", ("ivory", "silver")),
    ("introduction", "AmbassadorIntroductions.my_ambassador_introduction",
     "/my/ambassador/introductions/{introduction}", ("silver",)),
    ("introduction form", "AmbassadorIntroductions.my_ambassador_introduction_new",
     "/my/ambassador/introductions/new?to={introduction_peer}", ("silver",)),
    ("introduction settings",
     "AmbassadorIntroductions.my_ambassador_introduction_settings",
     "/my/ambassador/introductions/settings", ("silver",)),
    # Leads (issue 15): the ambassador's leads, one of them, the form.
    ("leads", "AmbassadorLeads.my_ambassador_leads", "/my/ambassador/leads",
     ("ivory", "silver")),
    ("lead", "AmbassadorLeads.my_ambassador_lead", "/my/ambassador/leads/{lead}",
     ("silver",)),
    ("lead form", "AmbassadorLeads.my_ambassador_lead_new",
     "/my/ambassador/leads/new", ("silver",)),
]


# Growth found and not fixed yet, with its diagnosis: the test fails if it
# goes away (then remove the line) or if any other page grows.
KNOWN_GROWTH = {
}


def addon_endpoints():
    """"Class.method" of every route the addon declares or overrides (on the
    class of this addon that defines the method)."""
    found = set()
    todo = [http.Controller]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("odoo.addons.ambassador_program."):
            continue
        for attr, value in vars(cls).items():
            if getattr(value, "routing", None) is not None:
                found.add("%s.%s" % (cls.__name__, attr))
    return found


class TestEveryRouteIsMeasured(common.BaseCase):

    def test_every_route_is_listed_or_excluded(self):
        measured = {endpoint for _l, endpoint, _u, _v in PAGES if endpoint}
        endpoints = addon_endpoints()
        self.assertTrue(endpoints)
        missing = endpoints - measured - set(EXCLUDED)
        self.assertFalse(missing, "routes neither measured nor excluded: %s"
                         % sorted(missing))
        stale = (measured | set(EXCLUDED)) - endpoints
        self.assertFalse(stale, "listed routes that do not exist: %s"
                         % sorted(stale))


def png_image():
    """A real picture (the contact's resized copies are made from it)."""
    output = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 90, 160)).save(output, "PNG")
    return base64.b64encode(output.getvalue())


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id'", (table,))
    return [row[0] for row in cr.fetchall()]


def clone_rows(env, model, source_id, series, overrides=None):
    """Copies of the row ``source_id`` of ``model``, one per value ``g`` of
    ``series`` (expressions of ``overrides`` may use ``g`` and ``t``, the
    source row), with its many2many links. One INSERT whatever the count."""
    cr = env.cr
    Model = env[model]
    overrides = overrides or {}
    names = columns(cr, Model._table)
    exprs = [overrides.get(name, 't."%s"' % name) for name in names]
    cr.execute(
        'INSERT INTO "%s" (%s) SELECT %s FROM "%s" t, unnest(%%s::int[]) g '
        "WHERE t.id = %%s ORDER BY g RETURNING id" % (
            Model._table, ", ".join('"%s"' % name for name in names),
            ", ".join(exprs), Model._table),
        (list(series), source_id))
    new_ids = [row[0] for row in cr.fetchall()]
    for field in Model._fields.values():
        if field.type == "many2many" and field.store and not field.compute:
            cr.execute(
                'INSERT INTO "%s" ("%s", "%s") SELECT n, r."%s" FROM "%s" r, '
                'unnest(%%s::int[]) n WHERE r."%s" = %%s ON CONFLICT DO NOTHING'
                % (field.relation, field.column1, field.column2, field.column2,
                   field.relation, field.column1),
                (new_ids, source_id))
    return new_ids


def ids_of_peers(env, peer, series):
    """The copies of ``peer`` made by grow() for ``series``."""
    env.cr.execute("SELECT id FROM res_partner WHERE name = ANY(%s) ORDER BY id",
                   (["%s %d" % (peer.name, g) for g in series],))
    return [row[0] for row in env.cr.fetchall()]


@common.at_install(False)
@common.post_install(True)
class TestPageQueryCounts(WebsiteCase):

    def setUp(self):
        super(TestPageQueryCounts, self).setUp()
        env = self.env
        ref = env.ref
        self.set_param("directory_daily_cap", "1000000")
        # The programme page with its diaspora map (the peers live in Japan).
        self.set_param("public_map", "True")
        self.set_param("public_map_min_count", "2")
        # The lists start from the test's own rows only (the demo's are put
        # aside, rolled back with the test): the small set is shorter than a
        # page, so a query per shown row shows as a difference too.
        env.cr.execute("UPDATE res_partner SET active = FALSE "
                       "WHERE ambassador_state IS NOT NULL")
        env.cr.execute("UPDATE event_event SET website_published = FALSE")
        env.cr.execute("UPDATE product_template SET website_published = FALSE")
        env.cache.invalidate()
        self.values = {"form_only": self.form_only_path()}
        self.viewers = {}
        for code in TIERS:
            tier = ref("ambassador_program.tier_%s" % code)
            partner = self.make_ambassador("Viewer %s" % code.title(), tier=tier)
            self.make_user(partner)
            self.viewers[code] = partner
        silver = self.viewers["silver"]
        # Referral codes are made on the space's first visit: made here, so
        # that no measure counts that one write.
        for partner in self.viewers.values():
            partner._ambassador_referral_code_get()
        self.values["referral_code"] = silver._ambassador_referral_code_get()
        # The rows each size multiplies (templates cloned by SQL in grow()).
        self.line = env["ambassador.point.transaction"].create(
            {"partner_id": silver.id, "points": 1, "origin": "manual",
             "note": "query count"})
        proof = env["ambassador.proof"].create(
            {"name": "Counted proof", "partner_id": silver.id,
             "rule_id": self.rule_partnership.id})
        proof._ambassador_attach_files([("evidence.pdf", "application/pdf", PDF)])
        self.proof = proof
        self.values.update(proof=proof.id, proof_file=proof.attachment_ids.id)
        # The ledger line re-evaluated the tier from the points: Silver again.
        as_engine(env["ambassador.status.engine"])._set_tiers(silver, self.silver)
        skill = env["ambassador.skill"].create({"name": "Query counting"})
        german = env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "de_DE")])
        japan = ref("base.jp")
        self.values.update(skill=skill.id, lang=german.id, country=japan.id)
        profile = dict(
            city="Grenoble", ambassador_show_city=True, ambassador_show_skills=True,
            ambassador_skill_ids=[(6, 0, skill.ids)],
            ambassador_language_ids=[(6, 0, german.ids)],
            ambassador_network_country_ids=[(6, 0, japan.ids)],
            ambassador_testimonial="Come and see.",
            ambassador_consent_leaderboard=True)
        self.peer = self.make_ambassador(
            "Peer Shown", tier=self.platinum, ambassador_consent_wall=True,
            image=png_image(), **profile)
        self.hidden_peer = self.make_ambassador("Peer Hidden", tier=self.silver)
        self.values["wall_peer"] = self.peer.id
        # Recognition: the silver viewer joined the leaderboards, as the
        # peers (the shown one and its copies) did; badges earned.
        self.viewers["silver"].with_context(**FIXTURE_CONSENT).write(
            {"ambassador_consent_leaderboard": True})
        self.values["segment"] = self.peer.ambassador_segment_id.id
        self.peer_line = env["ambassador.point.transaction"].create(
            {"partner_id": self.peer.id, "points": 1, "origin": "manual"})
        begin = datetime.now() + timedelta(days=20)
        event_values = {
            "date_begin": fields.Datetime.to_string(begin),
            "date_end": fields.Datetime.to_string(begin + timedelta(hours=3)),
            "auto_confirm": True, "state": "confirm", "website_published": True}
        self.event = env["event.event"].create(dict(
            event_values, name="Counted open evening"))
        self.silver_event = env["event.event"].create(dict(
            event_values, name="Counted silver evening",
            ambassador_min_tier_id=self.silver.id))
        self.registration = env["event.registration"].create(
            {"event_id": self.event.id, "partner_id": silver.id,
             "name": silver.name})
        self.values["event"] = self.event.id
        Template = env["product.template"]
        self.product = Template.create(
            {"name": "Counted sticker", "list_price": 2.0, "sale_ok": True,
             "website_published": True})
        self.collector = Template.create(
            {"name": "Counted collector mug", "list_price": 40.0, "sale_ok": True,
             "website_published": True, "ambassador_min_tier_id": self.gold.id})
        self.values.update(product=self.product.id, collector=self.collector.id)
        Document = env["ambassador.document"]
        self.document = Document.create(
            {"name": "Counted guide", "file": base64.b64encode(PDF),
             "file_name": "guide.pdf"})
        self.segment_document = Document.create(
            {"name": "Counted segment guide", "segment_ids": [(6, 0, self.invest.ids)]})
        self.values["document"] = self.document.id
        self.values["reconfirm_token"] = self.reconfirmation_token(self.hidden_peer)
        # Missions (issue 14): open to everyone, one of them taken by the
        # silver viewer (the demo's are closed for the test).
        env["ambassador.mission"].search([]).write({"state": "closed"})
        mission_values = {"state": "open", "points": 5, "proof_method": "proof",
                          "date_start": "2020-01-01", "quota": 100}
        self.mission_offered = env["ambassador.mission"].create(
            dict(mission_values, name="Counted mission"))
        self.mission_taken = env["ambassador.mission"].create(
            dict(mission_values, name="Counted mission taken"))
        self.participation = as_engine(
            env["ambassador.mission.participation"]).create(
                {"mission_id": self.mission_taken.id, "partner_id": silver.id})
        self.values.update(mission_offered=self.mission_offered.id,
                           mission_taken=self.mission_taken.id)
        # Share kits (issue 14): the kits of an open mission, the silver
        # viewer's personal link and its clicks.
        mission = env["ambassador.mission"].create(
            {"name": "Counted share", "state": "open", "points": 5,
             "proof_method": "share", "date_start": fields.Date.to_string(
                 datetime.now() - timedelta(days=1))})
        self.share_kit = env["ambassador.share.kit"].create(
            {"name": "Counted kit", "mission_id": mission.id,
             "url": "https://example.org/counted", "text_x": "Counted"})
        share_link = env["ambassador.share.link"]._ambassador_link(
            self.share_kit, silver)
        self.share_click = env["link.tracker.click"].create(
            {"link_id": share_link.link_tracker_id.id, "ip": "192.0.2.1",
             "country_id": japan.id})
        self.values["share_kit"] = self.share_kit.id
        # Leads (issue 15): the silver viewer's lead.
        self.lead = env["crm.lead"]._ambassador_submit(silver, {
            "name": "Counted lead", "kind": "company",
            "country_id": str(japan.id), "description": "Counted"})
        self.values["lead"] = self.lead.id
        # The silver viewer's own history: status changes, consents given,
        # charters accepted (the space and the personal data export list them).
        self.history = [
            (model, row.id)
            for model in ("ambassador.promotion", "ambassador.consent",
                          "ambassador.charter.acceptance")
            for row in env[model].search([("partner_id", "=", silver.id)])]
        # Introductions (issue 15): the silver viewer met the peer in the
        # directory, asked it for an introduction, and was asked by it.
        env["ambassador.directory.view"].create({
            "user_id": silver.user_ids[:1].id, "partner_id": silver.id,
            "profile_ids": [(6, 0, self.peer.ids)]})
        self.introduction = as_engine(env["ambassador.introduction"]).create({
            "requester_id": silver.id, "requested_by": "ambassador",
            "recipient_id": self.peer.id, "message": "Counted request",
            "purpose_id": ref("ambassador_program.introduction_purpose_other").id})
        self.values.update(introduction=self.introduction.id,
                           introduction_peer=self.peer.id)
        self.copies = 1
        for code, partner in self.viewers.items():
            self.assertEqual(partner.ambassador_tier_id.code, code)
        self.assertEqual(self.peer.ambassador_tier_id, self.platinum)

    def form_only_path(self):
        from ..models.ir_http import FORM_ONLY_PATH
        return FORM_ONLY_PATH

    def reconfirmation_token(self, partner):
        self.env["ambassador.reconfirmation"]._send_to(partner)
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1)
        return re.search(r"/ambassadors/reconfirm\?token=([\w\-]+)",
                         mail.body_html).group(1)

    def grow(self, copies):
        """Every template row (peers with their profile and ledger line, the
        viewer's ledger lines and proofs, events, registrations, products,
        documents) as ``copies`` rows in all, by SQL."""
        env = self.env
        more = range(self.copies, copies)
        if not more:
            return
        self.copies = copies
        for peer in (self.peer, self.hidden_peer):
            ids = clone_rows(env, "res.partner", peer.id, more, {
                "name": "t.name || ' ' || g", "display_name": "t.name || ' ' || g",
                "email": "'peer.' || g || '.' || t.id || '@example.com'",
            })
            env.cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                           "WHERE id = ANY(%s)", (ids,))
            clone_rows(env, "ambassador.point.transaction", self.peer_line.id, ids,
                       {"partner_id": "g"})
        clone_rows(env, "ambassador.point.transaction", self.line.id, more)
        # The silver viewer's own history: status changes, consents given,
        # charters accepted (the space and the personal data export list them).
        for model, row_id in self.history:
            clone_rows(env, model, row_id, more)
        clone_rows(env, "ambassador.proof", self.proof.id, more,
                   {"name": "t.name || ' ' || g"})
        for event in (self.event, self.silver_event):
            # A minute apart: the list's first page (by date) shows the same
            # kinds of events at both sizes.
            clone_rows(env, "event.event", event.id, more, {
                "name": "t.name || ' ' || g",
                "date_begin": "t.date_begin + g * interval '1 minute'",
                "date_end": "t.date_end + g * interval '1 minute'"})
        clone_rows(env, "event.registration", self.registration.id, more)
        for template in (self.product, self.collector):
            new = clone_rows(env, "product.template", template.id, more,
                             {"name": "t.name || ' ' || g"})
            clone_rows(env, "product.product", template.product_variant_id.id, new,
                       {"product_tmpl_id": "g"})
        for document in (self.document, self.segment_document):
            clone_rows(env, "ambassador.document", document.id, more,
                       {"name": "t.name || ' ' || g"})
        clone_rows(env, "ambassador.mission", self.mission_offered.id, more,
                   {"name": "t.name || ' ' || g"})
        taken = clone_rows(env, "ambassador.mission", self.mission_taken.id, more,
                           {"name": "t.name || ' ' || g"})
        clone_rows(env, "ambassador.mission.participation",
                   self.participation.id, taken, {"mission_id": "g"})
        clone_rows(env, "ambassador.share.kit", self.share_kit.id, more,
                   {"name": "t.name || ' ' || g", "url": "t.url || '/' || g"})
        clone_rows(env, "link.tracker.click", self.share_click.id, more,
                   {"ip": "'192.0.2.' || (g + 1)"})
        # Introductions sent and received by the silver viewer (the grown
        # peers as the other side).
        clone_rows(env, "ambassador.introduction", self.introduction.id,
                   ids_of_peers(env, self.peer, more), {"recipient_id": "g"})
        clone_rows(env, "ambassador.introduction", self.introduction.id,
                   ids_of_peers(env, self.peer, more),
                   {"recipient_id": "t.requester_id", "requester_id": "g"})
        clone_rows(env, "crm.lead", self.lead.id, more,
                   {"name": "t.name || ' ' || g"})
        self.env.cache.invalidate()
        self.env.cr.execute("ANALYZE")

    def count(self, url):
        """The request's queries (its cursor's savepoint release and
        rollback included), not the test's own: synced before, opened
        with HttpCase's url_open (no sync inside)."""
        cr = self.registry.test_cr
        self.sync()
        before = cr.sql_log_count
        response = common.HttpCase.url_open(self, url, timeout=60)
        queries = cr.sql_log_count - before
        self.assertLess(response.status_code, 500, url)
        return queries, response

    def visit_as(self, visitor):
        if visitor == "public":
            self.session.uid = None
            self.session.login = None
            http.root.session_store.save(self.session)
        else:
            self.login(self.viewers[visitor])

    def measure(self, warm):
        counts = {}
        visitors = ("public",) + TIERS
        for visitor in visitors:
            self.visit_as(visitor)
            for label, _endpoint, url, who in PAGES:
                if visitor not in who:
                    continue
                url = url.format(**self.values)
                if warm:
                    self.count(url)  # fills the ORM caches (views, rules...)
                counts[label, visitor] = self.count(url)
        return counts

    def test_query_count_does_not_grow(self):
        started = time.time()
        self.grow(SMALL)
        small = self.measure(warm=True)
        self.grow(SMALL * FACTOR)
        # The SQL growth leaves the ORM caches warm: measured at once.
        large = self.measure(warm=False)
        # The requests saw the grown data (the test cursor is theirs too):
        # the directory's and the event list's totals.
        for key, total in ((("directory search", "platinum"),
                            r"(\d+) ambassadors found"),
                           (("events", "public"),
                            r'<span class="badge pull-right">(\d+)</span>')):
            few, many = (int(re.search(total, counts[key][1].text).group(1))
                         for counts in (small, large))
            self.assertGreaterEqual(many - few, SMALL * (FACTOR - 1), key)
        lines = ["", "page (visitor): queries at %d / %d copies (%.1fs, load %s)" % (
            SMALL, SMALL * FACTOR, time.time() - started,
            ", ".join("%.2f" % x for x in os.getloadavg()))]
        grown = []
        for key in sorted(small):
            few, page_small = small[key]
            many, page_large = large[key]
            known = key[0] in KNOWN_GROWTH and key[1] != "public"
            flag = "" if few == many else (
                "   <-- grows (known, see KNOWN_GROWTH)" if known else "   <-- grows")
            lines.append("%-34s %-9s %4d %4d  [%d %d]%s" % (
                key[0], key[1], few, many, page_small.status_code,
                page_large.status_code, flag))
            if (few != many) != known:
                grown.append(key)
        _logger.info("\n".join(lines))
        self.assertFalse(grown, "pages whose query count grows (or a known "
                                "growth that went away): %s" % grown)
