"""The public website as ambassadors and visitors meet it (issue #11): no
sign-up offered to an ambassador, a way to its space after every step, events
and goodies that say who they are for, a wall that thanks people, a title and
one h1 per page, a page with a way back for a form's address opened directly.
Over HTTP against the test server (HttpCase.url_open)."""

import base64
import json
import re
import struct
import zlib

from odoo.tests import common

from .test_event_benefits import event_values
from .test_website import WebsiteCase

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
H1_RE = re.compile(r"<h1[ >]")


def png(width=32, height=32):
    """A real PNG (a blue square) Odoo can resize."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(
            ">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = zlib.compress((b"\x00" + b"\x20\x60\xc0" * width) * height)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


class SiteCase(WebsiteCase):

    def setUp(self):
        super(SiteCase, self).setUp()
        self.silver_amb = self.make_ambassador("Silvia Site", tier=self.silver)
        self.assertEqual(self.silver_amb.ambassador_tier_id, self.silver)

    def signup(self, segment="study", **extra):
        path = "/ambassadors/join/%s" % segment
        return self.post(path, self.form(**extra), csrf_from=path)

    def confirmation_token(self, partner):
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1)
        return re.search(r"/ambassadors/confirm\?token=([\w\-]+)",
                         mail.body_html).group(1)

    def title(self, response):
        return TITLE_RE.search(response.text).group(1).strip()

    def assert_one_h1(self, response, label):
        self.assertEqual(len(H1_RE.findall(response.text)), 1, label)


@common.at_install(False)
@common.post_install(True)
class TestProgrammeForAmbassadors(SiteCase):

    def test_visitor_is_offered_to_join(self):
        page = self.url_open("/ambassadors").text
        self.assertIn("o_ambassador_join", page)
        self.assertNotIn("o_ambassador_member", page)

    def test_ambassador_sees_its_tier_and_space_not_sign_up(self):
        self.login(self.silver_amb)
        page = self.url_open("/ambassadors").text
        self.assertNotIn("o_ambassador_join", page)
        self.assertNotIn('href="/ambassadors/join/', page)
        member = re.search(r'o_ambassador_member.*?</div>', page, re.S).group(0)
        self.assertIn("Silver", member)
        self.assertIn('href="/my/ambassador"', member)

    def test_wall_invites_visitors_only(self):
        self.assertIn("o_ambassador_wall_join",
                      self.url_open("/ambassadors/wall").text)
        self.login(self.silver_amb)
        self.assertNotIn("o_ambassador_wall_join",
                         self.url_open("/ambassadors/wall").text)

    def test_sign_up_of_an_ambassador_leads_to_its_space(self):
        self.login(self.silver_amb)
        response = self.url_open("/ambassadors/join/study")
        self.assertEqual(response.url.split("/", 3)[3],
                         "my/ambassador?message=already_ambassador")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_ambassador_already", response.text)
        self.assertIn("Silvia Site", response.text)
        # A posted form writes no second sign-up either.
        requests_before = self.env["ambassador.signup.request"].search_count([])
        response = self.post("/ambassadors/join/study",
                             self.form(email="silvia.site@example.com"),
                             csrf_from="/my/ambassador")
        self.assertIn("/my/ambassador", response.url)
        self.assertEqual(
            self.env["ambassador.signup.request"].search_count([]), requests_before)

    def test_suspended_is_led_to_its_space_left_may_join_again(self):
        suspended = self.make_ambassador("Susi Site", state="suspended")
        self.login(suspended)
        response = self.url_open("/ambassadors/join/study")
        self.assertIn("/my/ambassador", response.url)
        left = self.make_ambassador("Lefty Site", state="left")
        self.login(left)
        response = self.url_open("/ambassadors/join/study")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_ambassador_signup_form", response.text)

    def test_confirmation_ends_one_click_from_the_space(self):
        self.signup()
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        token = self.confirmation_token(partner)
        path = "/ambassadors/confirm?token=%s" % token
        confirmed = self.post("/ambassadors/confirm", {"token": token},
                              csrf_from=path)
        self.assertEqual(confirmed.status_code, 200)
        # A new account: the password link goes to the space.
        anchor = re.search(r'<a [^>]*o_ambassador_set_password[^>]*>',
                           confirmed.text).group(0)
        link = re.search(r'href="([^"]*)"', anchor).group(1)
        self.assertIn("redirect=%2Fmy%2Fambassador", link)
        self.assertIn("Ivory", confirmed.text)
        # The used link, opened again by the ambassador signed in: its space.
        user = partner.user_ids
        user.write({"password": user.login})
        self.authenticate(user.login, user.login)
        again = self.url_open(path)
        self.assertEqual(again.status_code, 410)
        self.assertIn('href="/my/ambassador"', again.text)

    def test_confirmation_signed_in_offers_the_space(self):
        """Someone signed in (e.g. a customer with an account) confirms: the
        page offers its space directly."""
        customer = self.Partner.create(
            {"name": "Ada Study", "email": "ada.study@example.org"})
        self.make_user(customer)
        self.signup()
        token = self.confirmation_token(customer)
        self.login(customer)
        path = "/ambassadors/confirm?token=%s" % token
        confirmed = self.post("/ambassadors/confirm", {"token": token},
                              csrf_from=path)
        self.assertEqual(confirmed.status_code, 200)
        self.assertIn("o_ambassador_space_link", confirmed.text)
        self.assertIn('href="/my/ambassador"', confirmed.text)


@common.at_install(False)
@common.post_install(True)
class TestTitles(SiteCase):
    """Each page of the programme: its own <title>, one h1."""

    def test_titles_are_unique_and_one_h1(self):
        event = self.env["event.event"].create(event_values(
            "Silver-only title night", ambassador_min_tier_id=self.gold.id))
        collector = self.env["product.template"].create(
            {"name": "Title collector pin", "list_price": 9.0, "sale_ok": True,
             "website_published": True,
             "ambassador_min_tier_id": self.gold.id})
        pages = {}
        pages["programme"] = self.url_open("/ambassadors")
        pages["join study"] = self.url_open("/ambassadors/join/study")
        pages["join invest"] = self.url_open("/ambassadors/join/invest")
        pages["wall"] = self.url_open("/ambassadors/wall")
        pages["sent"] = self.signup()
        partner = self.Partner.search([("email", "=", "ada.study@example.org")])
        token = self.confirmation_token(partner)
        confirm_path = "/ambassadors/confirm?token=%s" % token
        pages["confirm"] = self.url_open(confirm_path)
        pages["confirmed"] = self.post("/ambassadors/confirm", {"token": token},
                                       csrf_from=confirm_path)
        pages["link used"] = self.url_open(confirm_path)
        self.login(self.silver_amb)
        pages["event refused"] = self.post(
            "/event/%d/registration/confirm" % event.id,
            {"1-name": "Silvia", "1-email": "silvia.site@example.com"},
            csrf_from="/my/ambassador")
        self.assertEqual(pages["event refused"].status_code, 403)
        pages["shop refused"] = self.post(
            "/shop/cart/update",
            {"product_id": collector.product_variant_id.id, "add_qty": 1},
            csrf_from="/my/ambassador")
        self.assertEqual(pages["shop refused"].status_code, 403)
        titles = {}
        for label, response in pages.items():
            self.assert_one_h1(response, label)
            titles.setdefault(self.title(response), []).append(label)
        self.assertEqual(
            [labels for labels in titles.values() if len(labels) > 1], [])

    def test_title_is_translated(self):
        """The titles are terms of the views, translated like the rest."""
        lang = self.env["res.lang"].with_context(active_test=False).search(
            [("code", "=", "fr_FR")])
        if not lang:
            self.env["res.lang"].load_lang("fr_FR")
            lang = self.env["res.lang"].search([("code", "=", "fr_FR")])
        lang.active = True
        self.env["website"].search([]).write({"language_ids": [(4, lang.id)]})
        self.addCleanup(self.registry.clear_caches)
        view = self.env.ref("ambassador_program.ambassadors_wall_page")
        key = {"name": "ir.ui.view,arch_db", "type": "model", "res_id": view.id,
               "lang": "fr_FR", "src": "Platinum ambassadors"}
        self.env["ir.translation"].search(
            [(field, "=", value) for field, value in key.items()]).unlink()
        self.env["ir.translation"].create(
            dict(key, value="Ambassadeurs Platine", state="translated"))
        self.opener.cookies["frontend_lang"] = "fr_FR"
        response = self.url_open("/fr_FR/ambassadors/wall")
        self.assertTrue(self.title(response).startswith("Ambassadeurs Platine |"))


@common.at_install(False)
@common.post_install(True)
class TestWall(SiteCase):

    def wall_person(self, name, **vals):
        return self.make_ambassador(name, tier=self.platinum,
                                    ambassador_consent_wall=True, **vals)

    def test_wall_thanks_with_photo_segment_and_words(self):
        shown = self.wall_person(
            "Wally Thanks", segment=self.invest, image=base64.b64encode(png()),
            ambassador_testimonial="Because <the> harbour is home.")
        self.make_ambassador("Wally Private", tier=self.platinum,
                             ambassador_testimonial="Not to be shown")
        page = self.url_open("/ambassadors/wall").text
        cards = re.findall(r'<li class="[^"]*o_ambassador_wall_person.*?</li>',
                           page, re.S)
        card = [card for card in cards if "Wally Thanks" in card][0]
        self.assertIn('src="/ambassadors/wall/photo/%d"' % shown.id, card)
        self.assertIn('alt="Photo of Wally Thanks"', card)
        self.assertIn(self.invest.name, card)
        self.assertIn("Because &lt;the&gt; harbour is home.", card)
        self.assertNotIn("Not to be shown", page)
        self.assertNotIn("Wally Private", page)
        photo = self.url_open("/ambassadors/wall/photo/%d" % shown.id)
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(photo.headers["Content-Type"], "image/png")
        self.assertTrue(photo.content.startswith(b"\x89PNG"))

    def test_photo_only_of_those_on_the_wall(self):
        private = self.make_ambassador("Wally Hidden", tier=self.platinum)
        gold = self.make_ambassador("Wally Gold", tier=self.gold,
                                    ambassador_consent_wall=True)
        nobody = self.Partner.create({"name": "Not an ambassador"})
        for partner in (private, gold, nobody):
            response = self.url_open("/ambassadors/wall/photo/%d" % partner.id)
            self.assertEqual(response.status_code, 404, partner.name)
            self.assertNotIn(b"\x89PNG", response.content[:8])

    def test_wall_is_paginated_at_constant_queries(self):
        def queries(path):
            self.url_open(path)  # caches warm
            self.sync()
            before = self.cr.sql_log_count
            response = self.url_open(path)
            return self.cr.sql_log_count - before, response

        for index in range(2):
            self.wall_person("Wall Few %02d" % index)
        few, _response = queries("/ambassadors/wall")
        for index in range(30):
            self.wall_person("Wall Many %02d" % index,
                             ambassador_testimonial="Words %d" % index)
        many, first = queries("/ambassadors/wall")
        self.assertEqual(few, many, "queries of the wall grow with the people")
        self.assertEqual(first.text.count("o_ambassador_wall_person"), 24)
        self.assertIn('href="/ambassadors/wall/page/2"', first.text)
        second = self.url_open("/ambassadors/wall/page/2")
        self.assertEqual(second.status_code, 200)
        on_wall = self.Partner.search_count([
            ("ambassador_consent_wall", "=", True),
            ("ambassador_state", "=", "active"),
            ("ambassador_tier_id.public_wall", "=", True)])
        self.assertEqual(second.text.count("o_ambassador_wall_person"),
                         min(on_wall - 24, 24))


@common.at_install(False)
@common.post_install(True)
class TestEventsForVisitors(SiteCase):

    def setUp(self):
        super(TestEventsForVisitors, self).setUp()
        # The list shows 12 events a page: these two, by their type.
        kind = self.env["event.type"].create({"name": "Lock test type"})
        self.reserved = self.env["event.event"].create(event_values(
            "Silver lock evening", ambassador_min_tier_id=self.silver.id,
            event_type_id=kind.id))
        self.open_event = self.env["event.event"].create(
            event_values("Open lock fair", event_type_id=kind.id))
        self.listing_path = "/event?type=%d" % kind.id

    def post_new(self, event):
        return self.opener.post(
            "http://%s:%s/event/%d/registration/new"
            % (common.HOST, common.PORT, event.id),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"nb_register-0": "1"}}),
            headers={"Content-Type": "application/json"}, timeout=20,
        ).json()["result"]

    def test_list_and_page_lock_for_non_ambassadors(self):
        portal = self.Partner.create({"name": "Pat Visitor",
                                      "email": "pat.visitor@example.org"})
        self.login(portal)
        listing = self.url_open(self.listing_path).text
        item = re.search(r"Silver lock evening.*?</li>", listing, re.S).group(0)
        self.assertIn("fa-lock", item)
        self.assertIn('href="/ambassadors"', item)
        open_item = re.search(r"Open lock fair.*?</li>", listing, re.S).group(0)
        self.assertNotIn("ambassador_event_locked", open_item)
        page = self.url_open("/event/%d/register" % self.reserved.id).text
        refusal = re.search(r'ambassador_event_refusal.*?</div>', page, re.S).group(0)
        self.assertIn("fa-lock", refusal)
        self.assertIn('href="/ambassadors"', refusal)

    def test_ambassador_sees_no_become_link_and_a_filled_form(self):
        self.silver_amb.write({"phone": "+33 4 00 00 00 01"})
        self.login(self.silver_amb)
        listing = self.url_open(self.listing_path).text
        item = re.search(r"Silver lock evening.*?</li>", listing, re.S).group(0)
        self.assertIn("ambassador_event_locked", item)
        self.assertNotIn("ambassador_event_become", item)
        form = self.post_new(self.reserved)
        self.assertIn('name="1-name"', form)
        self.assertRegex(form, r'name="1-name"[^>]*value="Silvia Site"|'
                               r'value="Silvia Site"[^>]*name="1-name"')
        self.assertIn('value="silvia.site@example.com"', form)
        self.assertIn('value="+33 4 00 00 00 01"', form)
        self.assertIn('aria-label="Name of attendee 1"', form)

    def test_only_the_first_row_is_filled(self):
        self.reserved.write({"ambassador_guest_limit": 1})
        self.login(self.silver_amb)
        form = self.opener.post(
            "http://%s:%s/event/%d/registration/new"
            % (common.HOST, common.PORT, self.reserved.id),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"nb_register-0": "2"}}),
            headers={"Content-Type": "application/json"}, timeout=20,
        ).json()["result"]
        self.assertEqual(form.count('value="Silvia Site"'), 1)
        self.assertIn('name="2-name"', form)


@common.at_install(False)
@common.post_install(True)
class TestShopTierPrice(SiteCase):

    def setUp(self):
        super(TestShopTierPrice, self).setUp()
        # The tier price lists as the addon ships them: in the company's
        # currency, a discount on the list price (a demo database may base
        # them on another list, in another currency).
        tier_lists = (self.ivory | self.silver).mapped("pricelist_id")
        tier_lists.write({"currency_id": self.env.user.company_id.currency_id.id})
        tier_lists.mapped("item_ids").filtered(
            lambda item: item.applied_on == "3_global").write(
                {"base": "list_price", "base_pricelist_id": False})
        self.goodie = self.env["product.template"].create(
            {"name": "Tier price scarf", "list_price": 30.0, "sale_ok": True,
             "website_published": True})

    def test_silver_price_named_in_grid_and_product_page(self):
        self.login(self.silver_amb)
        grid = self.url_open("/shop?search=scarf").text
        self.assertIn("27.00", grid)
        self.assertIn("Your Silver price", grid)
        page = self.url_open("/shop/product/%d" % self.goodie.id).text
        self.assertIn("Your Silver price", page)

    def test_no_tier_price_no_label(self):
        ivory = self.make_ambassador("Ivy Shop", tier=self.ivory)
        self.login(ivory)
        self.assertNotIn("ambassador_tier_price",
                         self.url_open("/shop?search=scarf").text)
        customer = self.Partner.create({"name": "Cus Tomer",
                                        "email": "cus.tomer@example.org"})
        self.login(customer)
        self.assertNotIn("ambassador_tier_price",
                         self.url_open("/shop?search=scarf").text)


@common.at_install(False)
@common.post_install(True)
class TestFormAddressOpened(SiteCase):
    """A POST-only address of ours opened with a GET: a page of the site with
    a way back, status 405."""

    def test_get_on_post_only_routes(self):
        event = self.env["event.event"].create(event_values("Get night"))
        self.login(self.silver_amb)
        cases = {
            "/my/ambassador/charter": "/my/ambassador",
            "/my/ambassador/consents": "/my/ambassador",
            "/event/%d/registration/confirm" % event.id: "/event/%d" % event.id,
        }
        for path, back in cases.items():
            response = self.url_open(path)
            self.assertEqual(response.status_code, 405, path)
            self.assertIn("o_ambassador_message", response.text, path)
            self.assertIn('href="%s"' % back, response.text, path)
            self.assertIn("Page reached from a form only", self.title(response))
            self.assert_one_h1(response, path)
