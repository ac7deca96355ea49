"""Issue #8, holes 12 and 13: bad input never gives a server error nor shows a
traceback (the request cleaning of models/ir_http.py and the routes' own
checks), and the per-network sign-up limit holds behind a reverse proxy
(models/client_address.py). The repository's tests/test_bad_input.py sends
the full battery to a live server."""
import json
from contextlib import contextmanager

from odoo.tests import common
from odoo.tools import config

from ..models.client_address import rate_limit_key
from .test_website import WebsiteCase

TRACEBACK = "Traceback (most recent call last)"


class HygieneCase(WebsiteCase):

    def count(self, email):
        return self.Partner.with_context(active_test=False).search_count(
            [("email", "=ilike", email)])


class TestRateLimitKey(common.TransactionCase):

    def test_ipv4_is_its_own_key(self):
        self.assertEqual(rate_limit_key("203.0.113.7"), "ipv4:203.0.113.7")
        self.assertEqual(rate_limit_key(" 203.0.113.7 "),
                         rate_limit_key("203.0.113.7"))
        self.assertNotEqual(rate_limit_key("203.0.113.7"),
                            rate_limit_key("203.0.113.8"))
        # An IPv4 address written as IPv6 is that IPv4 address.
        self.assertEqual(rate_limit_key("::ffff:203.0.113.7"),
                         rate_limit_key("203.0.113.7"))

    def test_ipv6_counts_by_its_64(self):
        same = [
            "2001:db8:1:2::1",
            "2001:DB8:1:2::1",
            "2001:db8:1:2:0:0:0:99",
            "2001:0db8:0001:0002:ffff:ffff:ffff:ffff",
            "2001:db8:1:2:abcd::1%eth0",
        ]
        keys = {rate_limit_key(address) for address in same}
        self.assertEqual(keys, {"ipv6:2001:db8:1:2::/64"})
        self.assertNotEqual(rate_limit_key("2001:db8:1:3::1"),
                            rate_limit_key("2001:db8:1:2::1"))
        self.assertNotEqual(rate_limit_key("2001:db9:1:2::1"),
                            rate_limit_key("2001:db8:1:2::1"))

    def test_garbage_gets_a_stable_key(self):
        for garbage in ("", None, "unknown", "1.2.3.4, 5.6.7.8", "\x00\xff" * 50,
                        "2001:db8::/64", "999.1.1.1", "a" * 10000, b"1.2.3.4"):
            key = rate_limit_key(garbage)
            self.assertEqual(key, rate_limit_key(garbage))
            self.assertTrue(key.startswith(("other:", "ipv4:", "ipv6:")))
            self.assertLessEqual(len(key), 64)
        self.assertNotEqual(rate_limit_key("unknown"), rate_limit_key("other"))

    def test_rate_limit_counts_the_network(self):
        Request = self.env["ambassador.signup.request"]
        self.env["ir.config_parameter"].set_param(
            "ambassador_program.signup_rate_limit", "2")
        segment = self.env.ref("ambassador_program.segment_live")
        for index, address in enumerate(("2001:db8:5:6::1", "2001:db8:5:6:ffff::2")):
            partner = self.env["res.partner"].create(
                {"name": "Net %d" % index, "email": "net%d@example.org" % index})
            Request._new_request(partner, segment, address, "test")
        self.assertTrue(Request._rate_limited("2001:db8:5:6:1234::9"))
        self.assertFalse(Request._rate_limited("2001:db8:5:7::1"))
        self.assertFalse(Request._rate_limited("198.51.100.1"))


@common.at_install(False)
@common.post_install(True)
class TestRequestHygiene(HygieneCase):
    """Bad input over real HTTP, each probe with ?debug=1 (Odoo then shows
    tracebacks to every visitor of a failing website page)."""

    def url(self, path):
        return "http://%s:%s%s" % (common.HOST, common.PORT, path)

    def assertClean(self, response, *statuses):
        self.assertIn(response.status_code, statuses, response.text[:2000])
        self.assertNotIn(TRACEBACK, response.text)
        self.assertNotIn('id="debug_infos"', response.text)

    # ------------------------------------------------------------------
    # Sign-up: files, NUL bytes, odd digits
    # ------------------------------------------------------------------
    def test_signup_text_field_sent_as_file(self):
        response = self.post(
            "/ambassadors/join/study?debug=1", self.form(email="file@example.org"),
            files={"name": ("name.txt", b"Ada", "text/plain")},
            csrf_from="/ambassadors/join/study",
        )
        self.assertClean(response, 400)
        self.assertIn("Please give your name.", response.text)
        self.assertEqual(self.count("file@example.org"), 0)

    def test_signup_nul_bytes_are_removed(self):
        response = self.post(
            "/ambassadors/join/study?debug=1",
            self.form(name="Ada\x00 Null\x01", email="ada.nul\x00@example.org",
                      ambassador_research_field="Ice\x00 cores"),
            csrf_from="/ambassadors/join/study",
        )
        self.assertClean(response, 200)
        partner = self.Partner.search([("email", "=", "ada.nul@example.org")])
        self.assertEqual(partner.name, "Ada Null")
        self.assertEqual(partner.ambassador_research_field, "Ice cores")

    def test_signup_superscript_id(self):
        # The study form asks the country (a many2one, sent as an id).
        response = self.post(
            "/ambassadors/join/study?debug=1",
            self.form(country_id="\u00b2", email="sup@example.org"),
            csrf_from="/ambassadors/join/study",
        )
        self.assertClean(response, 400)
        self.assertIn("Please choose a value from the list.", response.text)
        self.assertEqual(self.count("sup@example.org"), 0)

    def test_nul_in_path_and_missing_csrf(self):
        self.assertClean(self.url_open("/ambassadors/join/study%00?debug=1"), 404)
        self.assertClean(self.url_open("/ambassadors/join/a/b?debug=1"), 404)
        no_token = self.post("/ambassadors/join/study?debug=1",
                             self.form(email="no.token@example.org"))
        self.assertClean(no_token, 400)
        self.assertEqual(self.count("no.token@example.org"), 0)

    # ------------------------------------------------------------------
    # Portal: dates, ids, files in text fields
    # ------------------------------------------------------------------
    def portal_ambassador(self):
        partner = self.make_ambassador("Hy Giene", segment=self.invest,
                                       tier=self.silver)
        self.login(partner)
        return partner

    def test_proof_form_bad_values(self):
        partner = self.portal_ambassador()
        cases = [
            ({"press_date": "9" * 40}, "press_date"),
            ({"press_date": "2020-\u00b2-01"}, "press_date"),
            ({"press_country_id": "\u00b2"}, "press_country_id"),
        ]
        for values, _field in cases:
            data = {"rule_id": str(self.rule_press.id), "name": "Press",
                    "press_media": "Le Monde", "press_date": "2020-01-01",
                    "press_country_id": str(self.env.ref("base.fr").id)}
            data.update(values)
            response = self.post("/my/ambassador/proofs/new?debug=1", data,
                                 csrf_from="/my/ambassador/proofs/new")
            self.assertClean(response, 400)
        # A text field sent as a file, the title full of NUL bytes.
        response = self.post(
            "/my/ambassador/proofs/new?debug=1",
            {"rule_id": str(self.rule_partnership.id), "name": "\x00\x00"},
            files={"description": ("d.txt", b"x", "text/plain")},
            csrf_from="/my/ambassador/proofs/new",
        )
        self.assertClean(response, 400)
        self.assertIn("Give your proof a title.", response.text)
        self.assertFalse(self.env["ambassador.proof"].search(
            [("partner_id", "=", partner.id)]))

    def test_charter_accept_sent_as_file_is_no_acceptance(self):
        partner = self.portal_ambassador()
        Acceptance = self.env["ambassador.charter.acceptance"]
        before = Acceptance.search_count([("partner_id", "=", partner.id)])
        for files, data in (({"accept": ("a.txt", b"1", "text/plain")}, {}),
                            (None, {"accept": "\x00\x01"})):
            data = dict(data, charter_id=str(self.charter.id))
            response = self.post("/my/ambassador/charter?debug=1", data,
                                 files=files, csrf_from="/my/ambassador")
            self.assertClean(response, 400)
        self.assertEqual(
            Acceptance.search_count([("partner_id", "=", partner.id)]), before)

    def test_ids_out_of_range(self):
        self.portal_ambassador()
        for path in ("/my/ambassador/documents/2147483648/download",
                     "/my/ambassador/documents/%s/download" % ("9" * 30),
                     "/my/ambassador/proofs/1/files/99999999999999999999",
                     "/my/ambassador/proofs/abc/files/1"):
            self.assertClean(self.url_open(path + "?debug=1"), 404)

    # ------------------------------------------------------------------
    # Overridden Odoo routes
    # ------------------------------------------------------------------
    def test_cart_refuses_bad_quantities(self):
        product = self.env["product.product"].create(
            {"name": "Hygiene pin", "sale_ok": True, "website_published": True,
             "list_price": 3.0})
        Line = self.env["sale.order.line"]
        for quantity in ("nan", "inf", "abc", "1e308", "\u00b2"):
            response = self.post(
                "/shop/cart/update?debug=1",
                {"product_id": str(product.id), "add_qty": quantity})
            self.assertClean(response, 400)
            self.assertFalse(Line.search([("product_id", "=", product.id)]),
                             quantity)
        for params in ({"product_id": product.id, "line_id": "abc", "set_qty": 1},
                       {"product_id": product.id, "add_qty": [1]},
                       {"product_id": product.id},
                       {"product_id": True, "add_qty": 1}):
            response = self.json_call("/shop/cart/update_json", params)
            self.assertNotIn("error", response, params)
            self.assertFalse(Line.search([("product_id", "=", product.id)]),
                             params)

    def json_call(self, path, params):
        self.sync()
        response = self.opener.post(
            self.url(path), timeout=60, headers={"Content-Type": "application/json"},
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": params}))
        self.assertNotIn(TRACEBACK, response.text)
        return response.json()

    def test_event_forms_take_attendee_fields_only(self):
        event = self.env["event.event"].create({
            "name": "Open hygiene day", "date_begin": "2030-01-01 09:00:00",
            "date_end": "2030-01-01 17:00:00", "state": "confirm",
            "website_published": True, "seats_availability": "unlimited"})
        path = "/event/%d/registration" % event.id
        # website_event renders as many attendee rows as asked.
        answer = self.json_call(path + "/new", {"nb_register-0": "20000"})
        self.assertFalse(answer.get("result"))
        response = self.post(
            path + "/confirm?debug=1",
            {"1-name": "Ada", "1-email": "ada.event@example.org",
             "1-message_last_post": "abc"},
            csrf_from="/ambassadors/join/study")
        self.assertClean(response, 200)
        registration = self.env["event.registration"].search(
            [("event_id", "=", event.id)])
        self.assertEqual(registration.email, "ada.event@example.org")

    def test_json_error_carries_no_traceback(self):
        answer = self.json_call("/event/2147483648/registration/new",
                                {"nb_register-0": 1})
        self.assertIn("error", answer)
        self.assertNotIn("debug", answer["error"].get("data", {}))
        # A call missing its arguments is the client's error: a 400 answered
        # without Odoo logging a server error.
        missing = self.json_call("/shop/cart/update_json", {})
        self.assertEqual(missing["error"]["code"], 400)
        self.assertNotIn("debug", missing["error"]["data"])


@common.at_install(False)
@common.post_install(True)
class TestClientAddress(HygieneCase):
    """How Odoo takes the client's address (SECURITY.md, "Deployment")."""

    @contextmanager
    def proxy_mode(self, enabled):
        saved = config["proxy_mode"]
        config["proxy_mode"] = enabled
        try:
            yield
        finally:
            config["proxy_mode"] = saved

    def signup_from(self, email, forwarded_for, host="ambassadors.example.org"):
        path = "/ambassadors/join/study"
        data = self.form(email=email)
        data["csrf_token"] = self.csrf(path)
        self.sync()
        response = self.opener.post(
            "http://%s:%s%s" % (common.HOST, common.PORT, path), data=data,
            timeout=60, headers={"X-Forwarded-For": forwarded_for,
                                 "X-Forwarded-Host": host})
        self.env["res.partner"].invalidate_cache()
        return response

    def test_forged_forwarded_for_is_ignored_without_proxy_mode(self):
        self.set_param("signup_rate_limit", "2")
        with self.proxy_mode(False):
            for index in range(2):
                response = self.signup_from("xff%d@example.org" % index,
                                            "198.51.100.%d" % (index + 1))
                self.assertEqual(response.status_code, 200)
            third = self.signup_from("xff3@example.org", "198.51.100.99")
        self.assertEqual(third.status_code, 429)
        self.assertEqual(self.count("xff3@example.org"), 0)
        requests = self.env["ambassador.signup.request"].search(
            [("email", "like", "xff%@example.org")])
        self.assertEqual(set(requests.mapped("ip_address")), {"127.0.0.1"})

    def test_proxy_mode_counts_the_last_hop_and_the_ipv6_64(self):
        self.set_param("signup_rate_limit", "2")
        with self.proxy_mode(True):
            self.assertEqual(self.signup_from(
                "v6a@example.org", "2001:db8:7:8::1").status_code, 200)
            # A client's own X-Forwarded-For entry comes first: the proxy
            # appends the address it saw, the only one Odoo takes.
            self.assertEqual(self.signup_from(
                "v6b@example.org", "203.0.113.5, 2001:db8:7:8::2").status_code, 200)
            same_64 = self.signup_from("v6c@example.org", "2001:db8:7:8:ffff::3")
            other_64 = self.signup_from("v6d@example.org", "2001:db8:7:9::1")
        self.assertEqual(same_64.status_code, 429)
        self.assertEqual(other_64.status_code, 200)
        addresses = self.env["ambassador.signup.request"].search(
            [("email", "in", ["v6a@example.org", "v6b@example.org"])]
        ).mapped("ip_address")
        self.assertEqual(sorted(addresses), ["2001:db8:7:8::1", "2001:db8:7:8::2"])
