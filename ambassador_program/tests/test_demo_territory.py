"""The demo tells the story of Mycitydansarégion (SPEC 6) and keeps its
promises: the brand on the website, a real document per segment and tier, a
labelled photo bank, goodies in euros apart from Odoo's demo products, events
held in the territory, the wall with photos and the ambassadors' own words.
Skipped where the addon was installed without demo data."""
import base64
import re

from odoo import fields
from odoo.tests import common

from .common import ensure_french
from .common_http import SharedCursorHttpCase

BRAND = "Mycitydansarégion"
SEGMENTS = ("invest", "study", "visit", "live")
TIERS = ("ivory", "silver", "gold", "platinum")
PDF, PNG, JPEG = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


def demo_installed(env):
    module = env["ir.module.module"].search([("name", "=", "ambassador_program")])
    return bool(module.demo)


def file_bytes(record, field_name):
    value = record.with_context(bin_size=False)[field_name]
    return base64.b64decode(value) if value else b""


class DemoCase(object):
    def skip_without_demo(self):
        if not demo_installed(self.env):
            self.skipTest("installed without demo data: no demo territory")

    def ref(self, xml_id):
        return self.env.ref("ambassador_program.%s" % xml_id)


class TestDemoTerritory(DemoCase, common.TransactionCase):
    """The demo's records, read through the ORM."""

    def setUp(self):
        super(TestDemoTerritory, self).setUp()
        self.skip_without_demo()

    def test_brand_replaces_odoo_placeholders(self):
        website = self.env.ref("website.default_website")
        company = self.env.ref("base.main_company")
        self.assertEqual(website.name, BRAND)
        self.assertEqual(company.name, BRAND)
        self.assertEqual(company.country_id, self.env.ref("base.fr"))
        logo = file_bytes(company, "logo")
        self.assertTrue(logo.startswith(PNG), "the company logo is a PNG")
        with open(self._static("logo_mycitydansaregion.png"), "rb") as ours:
            self.assertEqual(logo, ours.read(), "the territory's logo, not Odoo's")
        self.assertIn(BRAND, self.env.ref("base.user_root").signature)

    def _static(self, name):
        from odoo.modules.module import get_module_resource

        return get_module_resource("ambassador_program", "static", "demo", name)

    def test_a_real_document_for_every_segment_and_tier(self):
        Document = self.env["ambassador.document"]
        for segment in SEGMENTS:
            for tier in TIERS:
                documents = Document.search([
                    ("segment_ids", "in", self.ref("segment_%s" % segment).ids),
                    ("min_tier_id", "=", self.ref("tier_%s" % tier).id),
                    ("file", "!=", False),
                ])
                self.assertTrue(documents, "no document for %s / %s" % (segment, tier))
                for document in documents:
                    content = file_bytes(document, "file")
                    self.assertTrue(
                        content.startswith((PDF, PNG, JPEG)),
                        "%s is a real PDF or image" % document.name)
                    self.assertGreater(len(content), 1000, document.name)
                    self.assertRegex(document.file_name, r"\.(pdf|png|jpe?g)$")
                    if content.startswith(PDF):
                        self.assertIn(b"%%EOF", content[-64:], document.name)

    def test_photo_bank_is_labelled(self):
        photos = self.env["ambassador.document"].search(
            [("file_name", "=like", "%.jpg")])
        self.assertGreaterEqual(len(photos), 6)
        ensure_french(self.env)
        for photo in photos:
            self.assertTrue(file_bytes(photo, "file").startswith(JPEG), photo.name)
            self.assertTrue(photo.alt_text and len(photo.alt_text) > 20, photo.name)
            self.assertIn("Credit", photo.description)
            self.assertIn("Licence", photo.description)
            self.assertFalse(photo.segment_ids, "the photo bank is for everyone")
            self.assertFalse(photo.min_tier_id, "Ivory's benefit: every ambassador")
            french = photo.with_context(lang="fr_FR")
            self.assertIn("Photothèque", french.name)
            self.assertIn("Crédit", french.description)
            self.assertNotEqual(french.alt_text, photo.alt_text)

    def test_goodies_in_euros_apart_from_odoo_products(self):
        eur = self.env.ref("base.EUR")
        pricelist = self.ref("pricelist_goodies_eur")
        self.assertEqual(pricelist.currency_id, eur)
        public = self.env.ref("base.public_partner")
        self.assertEqual(public.property_product_pricelist, pricelist)
        goodies = self.env["product.template"].search(
            [("public_categ_ids", "in", self.ref("public_category_goodies").ids)])
        self.assertGreaterEqual(len(goodies), 6)
        prices = {"product_goodie_tote_bag": 20.0, "product_goodie_enamel_pin": 8.0,
                  "product_goodie_collector_watch": 150.0}
        for xml_id, euros in prices.items():
            product = self.ref(xml_id).product_variant_id
            price = pricelist.get_product_price(product, 1, public)
            self.assertAlmostEqual(price, euros)
        # Ambassadors pay in euros too: their tier's discount on the euro price.
        silver = self.ref("tier_silver").pricelist_id
        self.assertEqual(silver.currency_id, eur)
        tote = self.ref("product_goodie_tote_bag").product_variant_id
        self.assertAlmostEqual(silver.get_product_price(tote, 1, public), 18.0)
        # Odoo's demo products (website_sale's tours search them) stay out of
        # the goodies category, where the shop menu opens.
        ipod = self.env["product.template"].search([("name", "=", "iPod")], limit=1)
        if ipod:
            self.assertNotIn(self.ref("public_category_goodies"), ipod.public_categ_ids)
        menu = self.env.ref("website_sale.menu_shop")
        self.assertRegex(menu.url, r"^/shop/category/[\w-]*-%d$"
                         % self.ref("public_category_goodies").id)
        others = self.env["product.pricelist"].search([
            ("website_id", "!=", False), ("selectable", "=", True),
            ("currency_id", "!=", eur.id)])
        self.assertFalse(others, "no switching the shop to another currency")

    def test_events_upcoming_in_the_territory(self):
        now = fields.Datetime.now()
        events = self.env["event.event"].search([
            ("website_published", "=", True), ("state", "=", "confirm")])
        ours = events.filtered(
            lambda e: e.get_external_id()[e.id].startswith("ambassador_program."))
        self.assertEqual(events, ours, "Odoo's demo events left the website")
        self.assertGreaterEqual(len(ours), 5)
        self.assertTrue(ours.filtered(lambda e: not e.ambassador_min_tier_id),
                        "one event is open to every ambassador")
        for tier in ("silver", "gold", "platinum"):
            self.assertTrue(ours.filtered(
                lambda e: e.ambassador_min_tier_id == self.ref("tier_%s" % tier)))
        ensure_french(self.env)
        for event in ours:
            self.assertGreater(event.date_begin, now, "%s is upcoming" % event.name)
            self.assertEqual(event.address_id.city, BRAND, event.name)
            self.assertEqual(event.address_id.country_id, self.env.ref("base.fr"))
            self.assertTrue(event.address_id.street, event.name)
            french = event.with_context(lang="fr_FR")
            self.assertNotEqual(french.name, event.name, "French: %s" % event.name)
            self.assertNotEqual(french.description, event.description)

    def test_wall_has_photos_and_testimonials_in_every_segment(self):
        wall_tiers = self.env["ambassador.tier"].search([("public_wall", "=", True)])
        wall = self.env["res.partner"].search([
            ("ambassador_state", "=", "active"),
            ("ambassador_tier_id", "in", wall_tiers.ids),
            ("ambassador_consent_wall", "=", True)])
        self.assertEqual(
            set(wall.mapped("ambassador_segment_id.code")), set(SEGMENTS))
        for partner in wall:
            self.assertTrue(file_bytes(partner, "image").startswith((PNG, JPEG)),
                            partner.name)
            self.assertGreater(len(partner.ambassador_testimonial or ""), 40)
            # The consent came through the consent log, as the guard requires.
            self.assertTrue(partner.ambassador_consent_ids.filtered(
                lambda c: c.purpose == "wall" and c.granted))


@common.at_install(False)
@common.post_install(True)
class TestDemoTerritoryPages(DemoCase, SharedCursorHttpCase):
    """The pages a visitor and the ambassador Sophie see (after every module
    is installed, as the other page tests)."""

    def setUp(self):
        super(TestDemoTerritoryPages, self).setUp()
        self.skip_without_demo()

    def offer_french(self):
        """French active and offered by the website, inside the test's
        transaction (a database may have English only)."""
        ensure_french(self.env)
        french = self.env["res.lang"].search([("code", "=", "fr_FR")])
        self.env["website"].search([]).write({"language_ids": [(4, french.id)]})
        # The rollback does not reach the caches (languages, websites' ones).
        self.addCleanup(self.registry.clear_caches)

    def page(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        return response.text

    def test_home_and_footer_show_the_brand(self):
        for prefix in ("", "/fr_FR"):
            if prefix:
                self.offer_french()
            html = self.page(prefix + "/")
            self.assertIn(BRAND, html)
            self.assertNotIn("YourCompany", html)
            self.assertNotIn("passionate people", html)
            self.assertIn('href="/ambassadors"', html)
        self.assertIn("Devenir ambassadeur", html)

    def test_shop_opens_on_goodies_priced_in_euros(self):
        url = self.env.ref("website_sale.menu_shop").url
        html = self.page(url)
        self.assertIn("Mycitydansarégion tote bag", html)
        self.assertIn("20.00", html)
        self.assertNotIn("iPad", html)
        prices = re.findall(r'class="oe_currency_value">([^<]+)<', html)
        self.assertTrue(prices)
        self.assertIn("€", html)
        self.assertNotIn("$", re.sub(r"<script.*?</script>", "", html, flags=re.S))

    def test_events_page_lists_the_territory_events(self):
        html = self.page("/event")
        self.assertIn("Welcome morning for new ambassadors", html)
        self.assertIn(BRAND, html)
        self.assertNotIn("Los Angeles", html)
        self.offer_french()
        self.assertIn("Matinée d'accueil des nouveaux ambassadeurs",
                      self.page("/fr_FR/event").replace("&#39;", "'"))

    def test_wall_names_platinum_ambassadors_of_every_segment(self):
        html = self.page("/ambassadors/wall")
        for name in ("Claire Dubois", "Yasmine Haddad", "Pierre Lemoine",
                     "Inès Diallo"):
            self.assertIn(name, html)

    def test_sophie_downloads_her_segment_kit(self):
        self.authenticate("sophie", "sophie")
        html = self.page("/my/ambassador/documents")
        # Sophie reads the site in her language (French where it is installed).
        lang = self.env.ref("ambassador_program.user_ambassador_sophie").lang
        kit, pitch, gold, study = (
            self.ref(xml_id).with_context(lang=lang)
            for xml_id in ("document_invest_ivory", "document_invest_silver",
                           "document_invest_gold", "document_study_ivory"))
        self.assertIn(kit.name, html)
        self.assertIn(pitch.name, html)
        self.assertNotIn(gold.name, html, "Silver only")
        self.assertIn(study.name, html, "other segments' documents too")
        download = self.url_open("/my/ambassador/documents/%d/download" % kit.id)
        self.assertEqual(download.status_code, 200)
        self.assertTrue(download.content.startswith(PDF))
