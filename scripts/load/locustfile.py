"""Load of the ambassador programme's site through nginx (scripts/load/run_load.sh
runs it; docs/PRODUCTION.md, README "Load test").

Users (100 by default, in the proportions of the weights below):
- Visitor: the programme page, the wall, the shop, a product, the events;
- Candidate: signs up through the public form, each time as a new visitor
  (its own e-mail and its own loopback address 127.30.x.y, so that the
  per-network sign-up limit holds as it would for real visitors);
- Ambassador: logs in (pre-created accounts), opens Odoo's /my/home and its
  space, declares proofs with a PNG file, registers to events, opens the
  directory;
- Staff: finds submitted proofs and approves them through the backend's
  JSON-RPC call of the Approve button (/web/dataset/call_button).

Each user binds its own loopback source address (127.20.x.y): nginx sees
distinct clients and passes them in X-Forwarded-For. What the site accepted
(sign-ups, proofs, registrations, approvals) is appended to LOAD_RECORDS (JSON
lines) for the integrity check (load_db.py check). LOAD_FIXTURE is the file
load_db.py prepare wrote.
"""
import base64
import itertools
import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"]))
RECORDS = open(os.environ["LOAD_RECORDS"], "a")
RUN = FIXTURE["run"]
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
# A real 1x1 PNG: the proof form checks the extension and the content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg==")
ADDRESSES = itertools.count(1)
SIGNUPS = itertools.count(1)
AMBASSADORS = itertools.count(0)
PROOFS = itertools.count(1)
# (event id, partner id) pairs registered already: one registration each.
REGISTERED = set()


def record(kind, **values):
    values["kind"] = kind
    RECORDS.write(json.dumps(values) + "\n")
    RECORDS.flush()


def loopback_address(prefix, number):
    """127.<prefix>.x.y for the number-th client (Linux answers on all of
    127.0.0.0/8)."""
    return "127.%d.%d.%d" % (prefix, (number // 250) % 250, number % 250 + 1)


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address, **kwargs):
        self.source_address = (address, 0)
        super(SourceAddressAdapter, self).__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = self.source_address
        return super(SourceAddressAdapter, self).init_poolmanager(*args, **kwargs)


def bind(client, address):
    adapter = SourceAddressAdapter(address)
    client.mount("http://", adapter)


def csrf_of(text):
    match = CSRF.search(text or "")
    return match.group(1) if match else ""


def page(user, path, name=None, expect=200, **kwargs):
    """GET a page; a failure unless it answers ``expect`` with no error page."""
    with user.client.get(path, name=name or path, catch_response=True,
                         **kwargs) as response:
        if response.status_code != expect:
            response.failure("HTTP %s" % response.status_code)
        elif "Traceback" in response.text:
            response.failure("traceback in the page")
        else:
            response.success()
        return response


def json_rpc(user, path, params, name):
    """A JSON-RPC call; returns (result, error dict)."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": params,
               "id": random.randint(1, 1 << 30)}
    with user.client.post(path, json=payload, name=name,
                          catch_response=True) as response:
        if response.status_code != 200:
            response.failure("HTTP %s" % response.status_code)
            return None, {"message": "HTTP %s" % response.status_code}
        try:
            body = response.json()
        except ValueError:
            response.failure("not JSON")
            return None, {"message": "not JSON"}
        error = body.get("error")
        if error and not user.expected_error(error):
            response.failure("%s" % (error.get("data") or {}).get("message", error))
        else:
            response.success()
        return body.get("result"), error


class Visitor(HttpUser):
    weight = 40
    wait_time = between(3, 10)

    def on_start(self):
        bind(self.client, loopback_address(20, next(ADDRESSES)))

    @task(4)
    def programme(self):
        page(self, "/ambassadors")

    @task(2)
    def wall(self):
        page(self, "/ambassadors/wall")

    @task(4)
    def shop(self):
        page(self, "/shop")

    @task(2)
    def product(self):
        page(self, "/shop/product/%d" % FIXTURE["product_id"], name="/shop/product")

    @task(1)
    def events_page(self):
        page(self, "/event")


class Candidate(HttpUser):
    weight = 10
    wait_time = between(3, 10)

    @task
    def sign_up(self):
        number = next(SIGNUPS)
        # A new visitor each time: new cookies, new address.
        self.client.cookies.clear()
        bind(self.client, loopback_address(30, number))
        segment = random.choice(FIXTURE["segments"])
        path = "/ambassadors/join/%s" % segment["code"]
        form = page(self, path, name="/ambassadors/join [form]")
        if form.status_code != 200:
            return
        email = "load.%s.signup%05d@example.com" % (RUN, number)
        data = dict(segment["answers"], name="Load %s candidate %d" % (RUN, number),
                    email=email, csrf_token=csrf_of(form.text))
        if FIXTURE["charter_id"]:
            data.update(charter_accepted="on", charter_id=str(FIXTURE["charter_id"]))
        with self.client.post(path, data=data, name="/ambassadors/join [submit]",
                              catch_response=True) as response:
            if response.status_code == 200 and "Check your inbox" in response.text:
                response.success()
                record("signup", email=email)
            else:
                response.failure("HTTP %s, not the confirmation page"
                                 % response.status_code)


class Ambassador(HttpUser):
    weight = 45
    wait_time = between(3, 10)

    def on_start(self):
        bind(self.client, loopback_address(20, next(ADDRESSES)))
        ambassadors = FIXTURE["ambassadors"]
        self.me = ambassadors[next(AMBASSADORS) % len(ambassadors)]
        form = page(self, "/web/login", name="/web/login [form]")
        with self.client.post("/web/login", name="/web/login [submit]",
                              allow_redirects=False, catch_response=True,
                              data={"login": self.me["login"],
                                    "password": FIXTURE["password"],
                                    "redirect": "/my/home",
                                    "csrf_token": csrf_of(form.text)}) as response:
            # Odoo 11 answers a good login with a page that redirects in
            # JavaScript (http.redirect_with_hash); a refusal re-shows the form.
            if response.status_code == 200 and "window.location" in response.text:
                response.success()
            else:
                response.failure("login refused (HTTP %s)" % response.status_code)

    @task(3)
    def my_home(self):
        page(self, "/my/home")

    @task(4)
    def my_space(self):
        page(self, "/my/ambassador")

    @task(2)
    def declare_proof(self):
        form = page(self, "/my/ambassador/proofs/new",
                    name="/my/ambassador/proofs/new [form]")
        if form.status_code != 200:
            return
        title = "Load %s proof %d" % (RUN, next(PROOFS))
        with self.client.post(
                "/my/ambassador/proofs/new", name="/my/ambassador/proofs/new [submit]",
                allow_redirects=False, catch_response=True,
                data={"rule_id": str(self.me["rule_id"]), "name": title,
                      "description": "Declared by the load test",
                      "csrf_token": csrf_of(form.text)},
                files={"files": ("evidence.png", PNG, "image/png")}) as response:
            if response.status_code in (302, 303) and "message=proof" in \
                    response.headers.get("Location", ""):
                response.success()
                record("proof", title=title, partner_id=self.me["partner_id"])
            else:
                response.failure("HTTP %s to %s, proof not accepted" % (
                    response.status_code, response.headers.get("Location")))

    @task(1)
    def register_to_event(self):
        todo = [event for event in FIXTURE["events"]
                if (event, self.me["partner_id"]) not in REGISTERED]
        if not todo:
            return
        event = random.choice(todo)
        REGISTERED.add((event, self.me["partner_id"]))
        register = page(self, "/event/%d/register" % event, name="/event/register")
        if register.status_code != 200:
            return
        html, _error = json_rpc(self, "/event/%d/registration/new" % event,
                                {"nb_register-0": "1"}, "/event/registration/new")
        if not html:
            return
        with self.client.post(
                "/event/%d/registration/confirm" % event,
                name="/event/registration/confirm", catch_response=True,
                data={"1-name": "Load %s" % self.me["login"],
                      "1-email": self.me["login"], "1-phone": "",
                      "csrf_token": csrf_of(register.text)}) as response:
            if response.status_code == 200 and "Traceback" not in response.text:
                response.success()
                record("registration", event_id=event, partner_id=self.me["partner_id"])
            else:
                response.failure("HTTP %s" % response.status_code)

    @task(1)
    def directory(self):
        page(self, "/my/ambassador/directory")

    def expected_error(self, error):
        return False


class Staff(HttpUser):
    fixed_count = 4
    wait_time = between(3, 10)

    def on_start(self):
        bind(self.client, loopback_address(20, next(ADDRESSES)))
        staff = random.choice(FIXTURE["staff"])
        json_rpc(self, "/web/session/authenticate",
                 {"db": os.environ["LOAD_DB"], "login": staff["login"],
                  "password": FIXTURE["password"]}, "/web/session/authenticate")

    def expected_error(self, error):
        # Two staff approving the same proof at once: the second is told it
        # was decided already (the model's lock); that is the right answer.
        message = (error.get("data") or {}).get("message", "")
        return "already decided" in message

    @task
    def approve(self):
        partner_ids = [a["partner_id"] for a in FIXTURE["ambassadors"]]
        result, _error = json_rpc(self, "/web/dataset/search_read", {
            "model": "ambassador.proof", "fields": ["id"], "limit": 20,
            "domain": [["state", "=", "submitted"], ["partner_id", "in", partner_ids]],
            "sort": "id"}, "staff: list submitted proofs")
        records = (result or {}).get("records") or []
        if not records:
            return
        proof_id = random.choice(records)["id"]
        result, error = json_rpc(self, "/web/dataset/call_button", {
            "model": "ambassador.proof", "method": "action_approve",
            "args": [[proof_id]]}, "staff: approve proof")
        if error is None:
            record("approve", proof_id=proof_id)
        else:
            record("approve_conflict", proof_id=proof_id)


@events.init.add_listener
def progress(environment, **kwargs):
    """One line every 15 s: users, requests, failures, throughput, load."""
    def loop():
        started = time.time()
        while True:
            gevent.sleep(15)
            stats = environment.stats.total if environment.stats else None
            if not stats or not environment.runner:
                continue
            print("[load] %4ds users=%d requests=%d failures=%d rps=%.1f "
                  "median=%sms p95=%sms loadavg=%.2f" % (
                      time.time() - started, environment.runner.user_count,
                      stats.num_requests, stats.num_failures,
                      stats.current_rps,
                      stats.get_current_response_time_percentile(0.5),
                      stats.get_current_response_time_percentile(0.95),
                      os.getloadavg()[0]), flush=True)
    gevent.spawn(loop)
