"""Bad-input battery (issue #8, hole 12), against the live server.

Every public and portal route of the addon (and the Odoo routes it overrides)
gets malformed input, anonymously and as the demo ambassadors ``sophie``
(Silver) and ``lea`` (Ivory): files in text fields, NUL and control bytes,
100,000-character strings, invalid UTF-8 in the body, the query and the path,
out-of-range dates, duplicated keys and lists, negative, zero, huge and
non-ASCII-digit ids and page numbers, missing CSRF tokens. Every probe carries
``?debug=1``. Each must answer below 500, show no traceback, and leave the
database as it was: the rows of the addon's tables and of the core tables a
route could write are counted (with their last write date) before and after
each probe, straight from PostgreSQL.

The forms are always made invalid somewhere else (no action chosen, a bad
address...) so that nothing may be written; the bad value must not crash the
validation on its way. The summary line ("N probes, N 5xx, N unexpected
writes") is printed at the end:

    ODOO_URL=http://127.0.0.1:8169 ODOO_DB=ambassador_test \\
        python -m pytest -q tests/test_bad_input.py
"""
import json
import re
import socket
from collections import namedtuple
from urllib.parse import quote, urlsplit

import psycopg2
import pytest
import requests

from test_shop_browser import Odoo

TIMEOUT = 120
# What Odoo shows of an exception: the website's debug panel, the text of a
# Python traceback, the "debug" member of a JSON-RPC error.
LEAK_MARKERS = ("Traceback (most recent call last)", 'id="exception_traceback"',
                "<strong>Error message:</strong>", 'id="error_qweb"',
                '"debug": "', "psycopg2.", 'File "/')
# Core tables a route of ours or an overridden route could write.
CORE_TABLES = (
    "res_partner", "res_users", "ir_attachment", "mail_mail", "mail_message",
    "mail_followers", "mail_tracking_value", "sale_order", "sale_order_line",
    "event_registration", "mail_mass_mailing_contact",
    "mail_mass_mailing_contact_list_rel",
)
# Writes a route makes by design whatever it is sent: the directory logs the
# profiles it showed (its daily cap counts them); the quotas of the directory
# and of the sign-up take their lock row first.
QUOTA_LOCK = {"ambassador_quota_lock"}
DIRECTORY_LOG = {"ambassador_directory_view",
                 "ambassador_directory_view_profile_rel"} | QUOTA_LOCK
FILE = object()  # stands for "this field is sent as an uploaded file"
MAX_BODY = 2 * 1024 * 1024  # a page of attendees rendered by the thousand

Probe = namedtuple("Probe", "who label method path fields json raw allowed")


def probe(who, label, method, path, fields=None, json_params=None, raw=None,
          allowed=()):
    return Probe(who, label, method, path, fields, json_params, raw,
                 frozenset(allowed))


# ----------------------------------------------------------------------------
# Bad values
# ----------------------------------------------------------------------------
TEXT_VALUES = [
    ("file", FILE),
    ("nul", "ab\x00cd"),
    ("nul-only", "\x00"),
    ("control", "\x01\x02\x1b[2J\x7f\x08"),
    ("100k", "A" * 100000),
    ("100k-nul", ("\x00" * 99 + "B") * 1000),
    ("bad-utf8", b"\xff\xfe\xc3\x28\xed\xa0\x80"),
    ("dup-key", ["first", "second"]),
    ("bidi", "\u202e\ufeff\U0001F600"),
]
# Enough for a field read like another one: a file, NUL bytes, 100k.
SOME_TEXT_VALUES = [TEXT_VALUES[0], TEXT_VALUES[1], TEXT_VALUES[5]]
ID_VALUES = [
    ("negative", "-1"), ("zero", "0"), ("huge", "9" * 30), ("int4+1", "2147483648"),
    ("float", "1.5"), ("word", "abc"), ("superscript", "\u00b2"),
    ("arabic-digit", "\u0661"), ("hex", "0x10"), ("spaced", " 1 "),
]
DATE_VALUES = [
    ("year-99999", "99999-01-01"), ("zeros", "0000-00-00"), ("feb-30", "2020-02-30"),
    ("minus", "-1"), ("four-parts", "1-1-1-1"), ("long-digits", "9" * 40),
    ("datetime", "2020-01-01T00:00:00"), ("superscript", "2020-\u00b2-01"),
    ("year-1", "0001-01-01"), ("nan", "nan-nan-nan"),
]
QTY_VALUES = [
    ("word", "abc"), ("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"),
    ("1e308", "1e308"), ("huge", "9" * 30), ("superscript", "\u00b2"),
    ("comma", "1,5"), ("hex", "0x10"),
]
JSON_VALUES = [
    ("list", [1, 2]), ("dict", {"a": 1}), ("null", None), ("huge-int", 10 ** 30),
    ("nan-str", "nan"), ("word", "abc"), ("nul", "x\x00"), ("100k", "9" * 100000),
    ("float", 1e308), ("negative", -10 ** 12), ("bool", True),
]
PAGE_VALUES = [("negative", "-1"), ("zero", "0"), ("huge", "9" * 30),
               ("word", "abc"), ("superscript", "\u00b2"), ("float", "1.5")]


def pct(value):
    """Percent-encode text or bytes for a query string or a path."""
    if isinstance(value, bytes):
        return "".join("%%%02X" % byte for byte in value)
    return quote(value, safe="")


# ----------------------------------------------------------------------------
# Database watch
# ----------------------------------------------------------------------------
class DbWatch(object):
    """Counts the rows (and the last write date) of the watched tables in one
    query; the asset bundles Odoo stores as attachments are left out."""

    def __init__(self, dbname):
        self.conn = psycopg2.connect(dbname=dbname)
        self.conn.autocommit = True
        with self.conn.cursor() as cr:
            cr.execute(
                "SELECT t.table_name, bool_or(c.column_name = 'write_date') "
                "FROM information_schema.tables t JOIN information_schema.columns c "
                "  ON c.table_schema = t.table_schema AND c.table_name = t.table_name "
                "WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
                "  AND (t.table_name LIKE 'ambassador\\_%%' OR t.table_name IN %s) "
                "GROUP BY t.table_name ORDER BY t.table_name",
                (CORE_TABLES,))
            tables = cr.fetchall()
        parts = []
        for table, has_write_date in tables:
            where = ""
            if table == "ir_attachment":
                where = (" WHERE NOT (res_model = 'ir.ui.view'"
                         " AND url LIKE '/web/content/%%')")
            parts.append("SELECT '%s', count(*), %s FROM %s%s" % (
                table, "max(write_date)::text" if has_write_date else "NULL",
                table, where))
        self.tables = [table for table, _w in tables]
        self.query = " UNION ALL ".join(parts)

    def snapshot(self):
        with self.conn.cursor() as cr:
            cr.execute(self.query)
            return {row[0]: row[1:] for row in cr.fetchall()}

    def close(self):
        self.conn.close()


# ----------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------
def csrf_of(text):
    found = re.search(r'name="csrf_token" value="([^"]+)"', text) or re.search(
        r'csrf_token: "([^"]+)"', text)
    return found and found.group(1)


class Visitor(object):
    def __init__(self, base, db, login=None, password=None):
        self.base = base
        self.session = requests.Session()
        page = self.session.get("%s/web/login?db=%s" % (base, db), timeout=TIMEOUT)
        if login:
            answer = self.session.post(
                "%s/web/login" % base, timeout=TIMEOUT, allow_redirects=False,
                data={"login": login, "password": password, "db": db,
                      "csrf_token": csrf_of(page.text)})
            # A portal user is sent on by a script (redirect_with_hash).
            assert answer.status_code in (302, 303) or (
                "window.location" in answer.text), "%s cannot log in" % login
        self.csrf = csrf_of(self.session.get(
            "%s/ambassadors/join/invest" % base, timeout=TIMEOUT).text)
        assert self.csrf, "no CSRF token on the sign-up page"

    def send(self, item):
        url = self.base + item.path
        url += ("&" if "?" in url else "?") + "debug=1"
        if item.raw is not None:
            return self.send_raw(item)
        if item.json is not None:
            return self.session.post(
                url, timeout=TIMEOUT, allow_redirects=False,
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                                 "params": item.json}),
                headers={"Content-Type": "application/json"})
        if item.method == "GET":
            return self.session.get(url, timeout=TIMEOUT, allow_redirects=False)
        fields = [(key, self.csrf if value is CSRF else value)
                  for key, value in item.fields]
        files = [(key, ("proof.txt", b"not a text field", "text/plain"))
                 for key, value in fields if value is FILE]
        fields = [(key, value) for key, value in fields if value is not FILE]
        if files:
            data = [(key, value) for key, values in fields
                    for value in (values if isinstance(values, list) else [values])]
            return self.session.post(url, data=data, files=files, timeout=TIMEOUT,
                                     allow_redirects=False)
        # Hand-made body: bytes that are not UTF-8 go as they are.
        body = "&".join(
            "%s=%s" % (pct(key), pct(value)) for key, values in fields
            for value in (values if isinstance(values, list) else [values])
        )
        return self.session.post(
            url, data=body.encode("ascii"), timeout=TIMEOUT, allow_redirects=False,
            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def send_raw(self, item):
        """A request line with bytes that are not UTF-8, not percent-encoded:
        no HTTP library sends that, robots do."""
        parts = urlsplit(self.base)
        cookie = "; ".join("%s=%s" % (k, v) for k, v in self.session.cookies.items())
        head = (b"%s %s HTTP/1.0\r\nHost: %s\r\nCookie: %s\r\n"
                % (item.method.encode(), item.raw, parts.netloc.encode(),
                   cookie.encode()))
        body = b""
        if item.method == "POST":
            body = b"csrf_token=%s&name=\xff\xfe%%FF&email=x" % self.csrf.encode()
            head += (b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n" % len(body))
        sock = socket.create_connection((parts.hostname, parts.port or 80),
                                        timeout=TIMEOUT)
        try:
            sock.sendall(head + b"\r\n" + body)
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            sock.close()
        answer = b"".join(chunks)
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        return RawAnswer(status, answer.partition(b"\r\n\r\n")[2])


class RawAnswer(object):
    def __init__(self, status, content):
        self.status_code = status
        self.content = content
        self.text = content.decode("utf-8", "replace")
        self.headers = {}


CSRF = object()  # stands for "the session's valid CSRF token"


# ----------------------------------------------------------------------------
# The probes
# ----------------------------------------------------------------------------
def form_probes(who, path, base, fields, values, invalid=None, allowed=()):
    """One POST per (field, bad value) on ``path``: ``base`` is a form that
    the route must refuse (``invalid`` gives, per field, what makes it refused
    when that field is the one being spoiled)."""
    for field in fields:
        for name, value in values(field):
            form = dict(base)
            form.update((invalid or {}).get(field, {}))
            form[field] = value
            items = [("csrf_token", CSRF)] + list(form.items())
            yield probe(who, "%s %s=%s" % (path, field, name), "POST", path, items,
                        allowed=allowed)


# Query strings longer than 64 KiB are refused by Odoo's HTTP server, and the
# login redirection echoes the address in a header: 8,000 characters there.
QUERY_VALUES = [(name, "A" * 8000 if name == "100k" else
                 ("\x00" * 79 + "B") * 100 if name == "100k-nul" else value)
                for name, value in TEXT_VALUES if value is not FILE]


def query_probes(who, path, params, values=None, allowed=()):
    for param in params:
        for name, value in values or QUERY_VALUES + ID_VALUES[:4]:
            items = value if isinstance(value, list) else [value]
            query = "&".join("%s=%s" % (param, pct(item)) for item in items)
            yield probe(who, "%s ?%s=%s" % (path, param, name), "GET",
                        "%s?%s" % (path, query), allowed=allowed)


def public_probes(ctx):
    who = "anonymous"
    for path in ("/ambassadors", "/ambassadors/wall", "/ambassadors/join/invest"):
        yield from query_probes(who, path, ["x"])
        yield from query_probes(who, path, ["page", "lang"], ID_VALUES[:6])
    # The segment code in the path.
    for name, code in [("nul", "%00"), ("nul-in", "invest%00"), ("bad-utf8", "%FF%FE"),
                       ("long", "i" * 5000), ("dotdot", "..%2F..%2Fweb"),
                       ("percent", "%25"), ("bidi", pct("\u202e"))]:
        yield probe(who, "join code %s" % name, "GET", "/ambassadors/join/" + code)
        yield probe(who, "join code %s (POST)" % name, "POST",
                    "/ambassadors/join/" + code, [("csrf_token", CSRF)])
    for raw_name, raw in [("raw-path", b"/ambassadors/join/inv\xffest"),
                          ("raw-query", b"/ambassadors?x=\xff\xfe&debug=1"),
                          ("raw-confirm", b"/ambassadors/confirm?token=\xff\x00")]:
        yield probe(who, raw_name, "GET", raw_name, raw=raw)
    yield probe(who, "raw-path (POST)", "POST", "raw", raw=b"/ambassadors/join/\xff")
    # The sign-up form: a bad address (or no name when the address is the
    # spoiled field) keeps every probe a refusal.
    signup_fields = ["name", "email", "charter_id", "charter_accepted",
                     "contact_homepage", "zz_unknown",
                     "ambassador_consent_newsletter"] + ctx["invest_fields"]
    base = {"name": "Bad Input", "email": "not-an-address", "charter_accepted": "1",
            "charter_id": str(ctx["charter"])}
    invalid = {"email": {"name": ""}}

    def signup_values(field):
        # Every value in the fields read apart; the others share one reading.
        if field in ("name", "email"):
            return TEXT_VALUES
        if field == "country_id":  # parsed as an id
            return TEXT_VALUES + ID_VALUES
        return SOME_TEXT_VALUES
    yield from form_probes(who, "/ambassadors/join/invest", base, signup_fields,
                           signup_values, invalid, allowed=QUOTA_LOCK)
    yield probe(who, "sign-up without CSRF", "POST", "/ambassadors/join/invest",
                [("name", "No Token"), ("email", "no.token@example.com"),
                 ("charter_accepted", "1"), ("charter_id", str(ctx["charter"]))])
    yield probe(who, "sign-up with forged CSRF", "POST", "/ambassadors/join/invest",
                [("csrf_token", "x" * 100000), ("name", "No Token"),
                 ("email", "no.token@example.com"), ("charter_accepted", "1")])
    yield probe(who, "sign-up CSRF as a file", "POST", "/ambassadors/join/invest",
                [("csrf_token", FILE), ("name", "No Token"),
                 ("email", "no.token@example.com"), ("charter_accepted", "1")])
    # Confirmation link.
    for name, value in QUERY_VALUES:
        values = value if isinstance(value, list) else [value]
        query = "&".join("token=%s" % pct(v) for v in values)
        yield probe(who, "confirm GET token=%s" % name, "GET",
                    "/ambassadors/confirm?" + query)
    yield from form_probes(who, "/ambassadors/confirm", {"token": "unknown"},
                           ["token", "ambassador_consent_newsletter"],
                           lambda field: TEXT_VALUES)
    yield probe(who, "confirm without CSRF", "POST", "/ambassadors/confirm",
                [("token", "unknown")])


def portal_probes(ctx, who):
    full = who == "sophie"  # every field once; the others get the routes once
    values = TEXT_VALUES if full else SOME_TEXT_VALUES
    ids = ID_VALUES if full else ID_VALUES[:4]
    yield from query_probes(who, "/my/ambassador", ["message"] if full else [])
    yield probe(who, "space", "GET", "/my/ambassador?message=%00")
    # Charter: a charter id that is not the current one, or no tick.
    yield from form_probes(
        who, "/my/ambassador/charter", {"charter_id": "0", "accept": "1"},
        ["charter_id"], lambda field: values + ids)
    for name, value in [("file", FILE), ("nul-only", "\x00"),
                        ("control", "\x01\x02"), ("empty", "")]:
        yield probe(who, "charter accept=%s" % name, "POST", "/my/ambassador/charter",
                    [("csrf_token", CSRF), ("charter_id", str(ctx["charter"])),
                     ("accept", value)])
    yield probe(who, "charter without CSRF", "POST", "/my/ambassador/charter",
                [("charter_id", str(ctx["charter"])), ("accept", "1")])
    # Consents: the current choices, spelled with bad values that keep them
    # (a set flag gets a non-empty value, an unset one a value that is empty
    # once cleaned or a file), so that nothing changes.
    flags = ctx["consents"].get(who, {})
    for name, value in values:
        form = [("csrf_token", CSRF), ("zz_unknown", value)]
        for flag, on in flags.items():
            if on:
                form.append((flag, "1" if value in (FILE, "\x00") else value))
            elif value is FILE or name == "nul-only":
                form.append((flag, value))
        yield probe(who, "consents %s" % name, "POST", "/my/ambassador/consents", form)
    yield probe(who, "consents without CSRF", "POST", "/my/ambassador/consents",
                [(flag, "" if on else "1") for flag, on in flags.items()])
    # Proofs: no action chosen (or no title when the action is the spoiled
    # field) keeps every probe a refusal; the press rule makes the press
    # fields count.
    path = "/my/ambassador/proofs/new"
    yield from query_probes(who, path, ["rule_id"] if full else [])
    base = {"name": "Bad input", "description": "d", "url": "https://example.com",
            "press_media": "Le Monde", "press_date": "2020-01-01",
            "press_country_id": str(ctx["country"])}
    invalid = {field: {"rule_id": str(ctx["press_rule"]), "name": ""}
               for field in ("rule_id", "press_media", "press_language",
                             "press_country_id", "press_date")}
    fields = ["rule_id", "name", "description", "url", "press_media",
              "press_language", "press_country_id", "press_date", "files",
              "zz_unknown"]
    if not full:
        fields = ["name", "press_date"]

    def proof_values(field):
        if field == "press_country_id":  # parsed as an id
            return values + ids
        if field == "press_date":
            return values + DATE_VALUES
        # The other fields share one reading: every value in the title.
        return values if field == "name" else SOME_TEXT_VALUES
    yield from form_probes(who, path, base, fields, proof_values, invalid)
    yield probe(who, "proof without CSRF", "POST", path,
                [("rule_id", str(ctx["press_rule"])), ("name", "No token"),
                 ("description", "x")])
    yield probe(who, "proof files as text", "POST", path,
                [("csrf_token", CSRF), ("name", ""), ("files", "not a file"),
                 ("files", "\x00")])
    # Ids in the path: negative, zero, huge, someone else's.
    own = ctx["proofs"].get(who) or 0
    for proof_id, attachment_id in [(own, 0), (own, "9" * 30), (own, -1), (-1, -1),
                                    (ctx["other_proof"], 1), ("9" * 30, "9" * 30),
                                    (own, "1%00"), (own, "abc")]:
        yield probe(who, "proof file %s/%s" % (proof_id, attachment_id), "GET",
                    "/my/ambassador/proofs/%s/files/%s" % (proof_id, attachment_id))
    # Confirming or discarding an e-mailed proof: only one waiting for its
    # ambassador's word can be; none of these is.
    for action in ("confirm", "discard"):
        for proof_id in [own, ctx["other_proof"], 0, "9" * 30, "abc", "1%00"]:
            yield probe(who, "proof %s %s" % (proof_id, action), "POST",
                        "/my/ambassador/proofs/%s/%s" % (proof_id, action),
                        [("csrf_token", CSRF), ("x", FILE)])
        yield probe(who, "proof %s without CSRF" % action, "POST",
                    "/my/ambassador/proofs/%s/%s" % (own, action), [("x", "1")])
    yield from query_probes(who, "/my/ambassador/documents", ["x"] if full else [])
    for document_id in ["0", "-1", "9" * 30, "2147483648", "abc", "1%00"]:
        yield probe(who, "document %s" % document_id, "GET",
                    "/my/ambassador/documents/%s/download" % document_id)
    # Directory: searches that match nobody, so that the daily cap (which
    # the directory's log counts, a write by design) is not spent.
    directory = "/my/ambassador/directory"
    for name, value in QUERY_VALUES:
        for item in value if isinstance(value, list) else [value]:
            yield probe(who, "directory search=%s" % name, "GET",
                        "%s?search=%s" % (directory, pct(item)), allowed=DIRECTORY_LOG)
    for name, page in PAGE_VALUES:
        yield probe(who, "directory ?page=%s" % name, "GET",
                    "%s?search=zzqx&page=%s" % (directory, pct(page)),
                    allowed=DIRECTORY_LOG)
        yield probe(who, "directory /page/%s" % name, "GET",
                    "%s/page/%s?search=zzqx" % (directory, pct(page)),
                    allowed=DIRECTORY_LOG)


def override_probes(ctx, who):
    """The Odoo routes the addon overrides: the shop and the event
    registration. Collector goodies and reserved events refuse lower tiers
    (the anonymous visitor gets those); the plain goodie and the open event
    reach Odoo's code (Sophie), with values that must be refused before
    anything is written. Lea (Ivory) gets each route once or twice."""
    collector, plain = ctx["collector_variant"], ctx["plain_variant"]
    gold_event, silver_event = ctx["gold_event"], ctx["silver_event"]
    few = who == "lea"
    ids = ID_VALUES[:4] if few else ID_VALUES
    for name, value in ids + [("nul", "1%00"), ("bad-utf8", "%FF")]:
        yield probe(who, "shop product %s" % name, "GET",
                    "/shop/product/%s" % (value if "%" in value else pct(value)))
    for name, value in (ids if few else ID_VALUES + TEXT_VALUES):
        yield probe(who, "cart update product_id=%s" % name, "POST",
                    "/shop/cart/update", [("csrf_token", CSRF), ("product_id", value),
                                          ("add_qty", "1")])
    product = {"anonymous": collector, "sophie": plain}.get(who, collector)
    for field in ("add_qty", "set_qty"):
        for name, value in (QTY_VALUES[:2] if few else QTY_VALUES):
            yield probe(who, "cart update %s=%s" % (field, name), "POST",
                        "/shop/cart/update",
                        [("csrf_token", CSRF), ("product_id", str(product)),
                         (field, value)])
    for field in ("product_id", "add_qty", "set_qty", "line_id"):
        for name, value in (JSON_VALUES[:3] if few else JSON_VALUES):
            if field == "line_id" and value is None:
                continue  # no line given: a plain, valid addition
            params = {"product_id": product, "add_qty": 1}
            params[field] = value
            if field == "set_qty":
                params.pop("add_qty")
            yield probe(who, "cart json %s=%s" % (field, name), "POST",
                        "/shop/cart/update_json", json_params=params)
    # (Odoo does not check CSRF on this route: a valid addition is no error.)
    yield probe(who, "cart update without CSRF", "POST", "/shop/cart/update",
                [("product_id", str(collector)), ("add_qty", "1")])
    for path in ("/shop/cart", "/shop/checkout", "/shop/payment"):
        yield from query_probes(who, path, ["revive"], QUERY_VALUES[:4])
    if who == "sophie":
        yield from query_probes(who, "/shop/cart", ["access_token"])
    for event in (gold_event, silver_event, ctx["open_event"]):
        path = "/event/%d/registration/new" % event
        for name, value in (JSON_VALUES[:3] if few else
                            JSON_VALUES + [("20000", "20000")]):
            yield probe(who, "event %d new nb_register=%s" % (event, name), "POST",
                        path, json_params={"nb_register-0": value})
        yield probe(who, "event %d new bad key" % event, "POST", path,
                    json_params={"nb_register": 1, "x": [1], "nb_register-0-x": "1"})
    # The reserved event refuses whatever is posted.
    path = "/event/%d/registration/confirm" % gold_event
    for name, value in (TEXT_VALUES[:2] if few else TEXT_VALUES):
        for key in ("1-name", "1-event_ticket_id", "nodash"):
            yield probe(who, "event gold confirm %s=%s" % (key, name), "POST", path,
                        [("csrf_token", CSRF), (key, value)])
    path = "/event/%d/registration/confirm" % silver_event
    yield probe(who, "event silver confirm without CSRF", "POST", path,
                [("1-name", "No token"), ("1-email", "no.token@example.com")])
    if who != "sophie":
        # Refused before Odoo's code (anonymous, Ivory): nothing is written.
        for name, value in ID_VALUES[:5]:
            yield probe(who, "event silver confirm ticket=%s" % name, "POST", path,
                        [("csrf_token", CSRF), ("1-name", "X"),
                         ("1-email", "x@example.com"),
                         ("1-event_ticket_id", value)])


def all_probes(ctx):
    yield from public_probes(ctx)
    for who in ("anonymous", "sophie", "lea"):
        yield from portal_probes(ctx, who)
        yield from override_probes(ctx, who)


# ----------------------------------------------------------------------------
# Fixtures and the test
# ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def context(odoo_url, odoo_db):
    odoo = Odoo(odoo_url, odoo_db)
    ref = odoo.ref
    ctx = {"charter": (odoo("ambassador.charter", "search", [], limit=1) or [0])[0],
           "country": ref("base.fr"), "consents": {}, "proofs": {}}
    ctx["invest_fields"] = [
        line["field_name"] for line in odoo(
            "ambassador.segment.field", "search_read",
            [("segment_id.code", "=", "invest")], ["field_name"])]
    ctx["press_rule"] = odoo("ambassador.point.rule", "search",
                             [("is_press", "=", True)], limit=1)[0]
    # Every consent the space's form holds (a consent added later included:
    # left out of the form, it would read as withdrawn).
    consent_fields = sorted(
        name for name, field in odoo("res.partner", "fields_get", [],
                                     ["type", "readonly"]).items()
        if field["type"] == "boolean" and not field["readonly"]
        and name.startswith(("ambassador_consent_", "ambassador_show_")))
    for login in ("sophie", "lea"):
        user = odoo("res.users", "search_read", [("login", "=", login)],
                    ["partner_id"])
        assert user, "the demo ambassador %s is missing" % login
        partner = user[0]["partner_id"][0]
        flags = odoo("res.partner", "read", [partner], consent_fields)[0]
        ctx["consents"][login] = {key: flags[key] for key in consent_fields}
        # A proof already in review: confirming it is refused whatever is sent
        # (one waiting for the ambassador's word would rightly be confirmed).
        ctx["proofs"][login] = (odoo("ambassador.proof", "search",
                                     [("partner_id", "=", partner),
                                      ("state", "!=", "unconfirmed")], limit=1)
                                or [0])[0]
    ctx["other_proof"] = (odoo("ambassador.proof", "search",
                               [("partner_id.user_ids.login", "not in",
                                 ["sophie", "lea"])], limit=1) or [0])[0]
    ctx["gold_event"] = odoo(
        "event.event", "search",
        [("ambassador_min_tier_id", "=", ref("ambassador_program.tier_gold"))],
        limit=1)[0]
    ctx["silver_event"] = odoo(
        "event.event", "search",
        [("ambassador_min_tier_id", "=", ref("ambassador_program.tier_silver"))],
        limit=1)[0]
    ctx["open_event"] = odoo(
        "event.event", "search",
        [("ambassador_min_tier_id", "=", False), ("website_published", "=", True),
         ("state", "=", "confirm")], limit=1)[0]
    ctx["collector_variant"] = odoo(
        "product.product", "search",
        [("ambassador_min_tier_id", "=", ref("ambassador_program.tier_gold"))],
        limit=1)[0]
    ctx["plain_variant"] = odoo(
        "product.product", "search",
        [("ambassador_min_tier_id", "=", False), ("sale_ok", "=", True),
         ("website_published", "=", True)], limit=1)[0]
    return ctx


def leaks(answer):
    return [marker for marker in LEAK_MARKERS if marker in answer.text]


def json_server_error(answer):
    """Odoo answers a failing JSON-RPC call with status 200 and an "error"
    member: a server error all the same, unless it is a plain refusal."""
    if "json" not in (answer.headers.get("Content-Type") or ""):
        return False
    try:
        payload = answer.json()
    except ValueError:
        return True
    error = payload.get("error") if isinstance(payload, dict) else None
    return bool(error) and error.get("message") == "Odoo Server Error"


@pytest.fixture
def signup_limit_lifted(odoo_url, odoo_db):
    """Sign-ups made earlier from this machine must not turn every sign-up
    probe into a 429 before the form is read: the limit is lifted meanwhile."""
    odoo = Odoo(odoo_url, odoo_db)
    key = "ambassador_program.signup_rate_limit"
    saved = odoo("ir.config_parameter", "get_param", key)
    odoo("ir.config_parameter", "set_param", key, "1000000")
    yield
    odoo("ir.config_parameter", "set_param", key, saved)


def test_bad_input_battery(odoo_url, odoo_db, context, signup_limit_lifted,
                           capsys):
    visitors = {
        "anonymous": Visitor(odoo_url, odoo_db),
        "sophie": Visitor(odoo_url, odoo_db, "sophie", "sophie"),
        "lea": Visitor(odoo_url, odoo_db, "lea", "lea"),
    }
    # First renders store the asset bundles: done before the watch starts.
    for visitor in visitors.values():
        for path in ("/ambassadors", "/my/ambassador", "/shop", "/ambassadors/wall"):
            visitor.session.get(odoo_url + path + "?debug=1", timeout=TIMEOUT)
    watch = DbWatch(odoo_db)
    failures, count, server_errors, writes = [], 0, 0, 0
    try:
        for item in all_probes(context):
            count += 1
            before = watch.snapshot()
            try:
                answer = visitors[item.who].send(item)
            except requests.RequestException as error:
                server_errors += 1
                failures.append("%s %s: no answer (%s)" % (item.who, item.label,
                                                           type(error).__name__))
                continue
            after = watch.snapshot()
            changed = sorted(table for table in watch.tables
                             if before.get(table) != after.get(table)
                             and table not in item.allowed)
            problems = []
            if answer.status_code >= 500 or answer.status_code == 0:
                server_errors += 1
                problems.append("HTTP %s" % answer.status_code)
            elif json_server_error(answer):
                server_errors += 1
                problems.append("JSON-RPC server error")
            if leaks(answer):
                problems.append("shows %s" % ", ".join(leaks(answer)))
            if len(answer.content) > MAX_BODY:
                problems.append("answer of %d bytes" % len(answer.content))
            if changed:
                writes += 1
                problems.append("wrote %s" % ", ".join(changed))
            if problems:
                failures.append("%s %s %s: %s" % (item.who, item.method, item.label,
                                                  "; ".join(problems)))
    finally:
        watch.close()
    summary = "bad-input battery: %d probes, %d 5xx, %d unexpected writes" % (
        count, server_errors, writes)
    with capsys.disabled():
        print("\n" + summary)
        for failure in failures[:200]:
            print("  " + failure[:300])
    assert not failures, "%s; %d failing probes, first: %s" % (
        summary, len(failures), failures[:10])
