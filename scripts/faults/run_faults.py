"""Faults survived: runs Odoo the production way (two prefork servers, --workers=2,
on one database and one filestore) and breaks things while users work.

    ~/.cache/ambassador_program/venv/bin/python scripts/faults/run_faults.py \
        [--source-db faults_db] [--keep-db] \
        double-approval|worker-kill|pg-restart|disk-full|all [...]

Everything runs on loopback, in a PostgreSQL cluster of its own (port 8650, data in
/tmp/faults_pg): restarting the machine's shared PostgreSQL would break everybody
else's work. The database is a copy of --source-db (an installed database with demo
data, e.g. the one scripts/dev_test.sh makes) with its filestore, under
var/faults/. The two Odoo servers listen on 8611 and 8612.

Faults (each bounded in time, printing what it does and what users got):
- double-approval: the same proof approved from both servers at once, N times.
- worker-kill: staff approve proofs from both servers; two workers of server A are
  killed (SIGKILL) in the middle; users retry what failed.
- pg-restart: visitors, ambassadors declaring proofs and staff approving, while
  PostgreSQL is restarted (stopped 5 s).
- disk-full: ambassadors declare proofs with files while the filestore (a 24 MB ext4
  loop device, or a tmpfs when loop devices cannot be mounted) fills up; then room is
  made again.
After each fault: the integrity check (scripts/faults/integrity.py, through the
ORM: balances equal their ledger, one award per approved proof and none for others,
every proof file stored in full, no ambassador without a segment), the servers
answering by themselves. Exit status 1 on any violation."""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PY = sys.executable
ODOO_BIN = os.path.join(REPO, "scripts", "odoo-bin")
WORK = os.path.join(REPO, "var", "faults")
DATA_DIR = os.path.join(WORK, "data")
PG_BIN = "/usr/lib/postgresql/%s/bin" % os.environ.get("PG_VERSION", "15")
PG_DIR = "/tmp/faults_pg"
PG_PORT = 8650
PORTS = (8611, 8612)
LONGPOLLING_PORTS = (8621, 8622)
NODE_BIN = os.path.expanduser("~/.cache/ambassador_program/node/node_modules/.bin")
DB = "faults_db"
PASSWORD = "faults-Pass-2026"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4DwABAQEABRjY"
    "TgAAAABJRU5ErkJggg==")
TAG = time.strftime("%H%M%S")

violations = []


def say(message, *args):
    print(("[%s] " % time.strftime("%H:%M:%S")) + (message % args if args else message),
          flush=True)


def violation(message, *args):
    text = message % args if args else message
    violations.append(text)
    say("VIOLATION: %s", text)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def as_postgres(cmd):
    return run(["runuser", "-u", "postgres", "--"] + cmd,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- PostgreSQL
class Cluster(object):
    """A PostgreSQL cluster of the fault runs only, on 127.0.0.1:PG_PORT."""

    def ctl(self, *args):
        as_postgres([PG_BIN + "/pg_ctl", "-D", PG_DIR, "-w", "-t", "60",
                     "-l", PG_DIR + ".log"] + list(args))

    def start(self):
        if not os.path.exists(os.path.join(PG_DIR, "PG_VERSION")):
            shutil.rmtree(PG_DIR, ignore_errors=True)
            os.makedirs(PG_DIR)
            shutil.chown(PG_DIR, "postgres", "postgres")
            as_postgres([PG_BIN + "/initdb", "-D", PG_DIR, "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        self.ctl("start", "-o", "-p %d -c listen_addresses=127.0.0.1 "
                 "-c unix_socket_directories=/tmp -c max_connections=200 "
                 "-c fsync=off" % PG_PORT)
        exists = subprocess.run(
            self.psql_cmd("postgres", "SELECT 1 FROM pg_roles WHERE rolname='root'",
                          user="postgres"), stdout=subprocess.PIPE).stdout.strip()
        if not exists:
            self.psql("postgres", "CREATE ROLE root SUPERUSER LOGIN", user="postgres")

    def stop(self):
        self.ctl("stop", "-m", "fast")

    def psql_cmd(self, db, sql, user="root"):
        return ["psql", "-X", "-q", "-tA", "-h", "127.0.0.1", "-p", str(PG_PORT),
                "-U", user, "-d", db, "-c", sql]

    def psql(self, db, sql, user="root"):
        run(self.psql_cmd(db, sql, user), stdout=subprocess.DEVNULL)

    def copy_database(self, source):
        say("copying database %s (and its filestore) into the fault cluster as %s",
            source, DB)
        self.psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % DB)
        self.psql("postgres", 'CREATE DATABASE "%s"' % DB)
        dump = subprocess.Popen(["pg_dump", "-Fc", "-d", source],
                                stdout=subprocess.PIPE)
        run([PG_BIN + "/pg_restore", "-h", "127.0.0.1", "-p", str(PG_PORT),
             "-U", "root", "--no-owner", "-d", DB], stdin=dump.stdout)
        if dump.wait():
            raise SystemExit("pg_dump of %s failed" % source)
        filestore = os.path.join(DATA_DIR, "filestore", DB)
        shutil.rmtree(filestore, ignore_errors=True)
        source_store = os.path.expanduser(
            "~/.cache/ambassador_program/data/filestore/%s" % source)
        if os.path.isdir(source_store):
            shutil.copytree(source_store, filestore)
        else:
            os.makedirs(filestore)


CLUSTER = Cluster()
ODOO_DB_OPTIONS = ["--db_host=127.0.0.1", "--db_port=%d" % PG_PORT, "--db_user=root",
                   "--data-dir=%s" % DATA_DIR]


def addons_path():
    import odoo.addons
    return "%s,%s" % (os.path.dirname(odoo.addons.__file__), REPO)


# ---------------------------------------------------------------- Odoo servers
class Server(object):
    """One Odoo prefork server (master + 2 workers) on the fault database."""

    def __init__(self, name, port, longpolling_port):
        self.name, self.port, self.longpolling_port = name, port, longpolling_port
        self.url = "http://127.0.0.1:%d" % port
        self.log = os.path.join(WORK, "server-%s.log" % name)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [PY, ODOO_BIN, "--addons-path=%s" % addons_path(), "-d", DB,
             "--db-filter=^%s$" % DB, "--http-interface=127.0.0.1",
             "--http-port=%d" % self.port,
             "--longpolling-port=%d" % self.longpolling_port,
             "--workers=2", "--max-cron-threads=0", "--log-level=warn",
             "--logfile=%s" % self.log] + ODOO_DB_OPTIONS,
            # lessc (web_editor's themes) as scripts/common.sh puts it on PATH.
            env=dict(os.environ, ODOO_PRELOAD_ADDONS="no", PATH=NODE_BIN + ":"
                     + os.environ.get("PATH", "")),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers(self):
        try:
            return requests.get(self.url + "/web/login", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def wait(self, timeout=120):
        start = time.time()
        while time.time() - start < timeout:
            if self.answers():
                return time.time() - start
            time.sleep(0.5)
        return None

    def workers(self):
        """The HTTP workers: children of the master, not the longpolling one."""
        children = []
        path = "/proc/%d/task/%d/children" % (self.process.pid, self.process.pid)
        try:
            with open(path) as handle:
                pids = [int(pid) for pid in handle.read().split()]
        except OSError:
            return []
        for pid in pids:
            try:
                with open("/proc/%d/cmdline" % pid) as handle:
                    cmdline = handle.read()
            except OSError:
                continue
            if "gevent" not in cmdline:
                children.append(pid)
        return children

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


SERVERS = [Server("A", PORTS[0], LONGPOLLING_PORTS[0]),
           Server("B", PORTS[1], LONGPOLLING_PORTS[1])]


# ---------------------------------------------------------------- users
class Admin(object):
    """XML-RPC as the administrator, to make the run's own records."""

    def __init__(self, url):
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.uid = common.authenticate(DB, "admin", "admin", {})
        if not self.uid:
            raise SystemExit("admin/admin must log in (a database with demo data)")
        self.models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object",
                                                allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(DB, self.uid, "admin", model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)


class Fixtures(object):
    def __init__(self, admin):
        self.admin = admin
        self.rule_id = admin.ref("ambassador_program.rule_partnership")
        self.staff_login = "faults_staff_%s" % TAG
        groups = [admin.ref("ambassador_program.group_ambassador_user"),
                  admin.ref("base.group_user")]
        admin("res.users", "create", {
            "name": "Fault staff %s" % TAG, "login": self.staff_login,
            "password": PASSWORD, "email": "%s@example.com" % self.staff_login,
            "groups_id": [(6, 0, groups)]}, context={"no_reset_password": True})
        self.count = 0

    def make(self, proofs=0, per_ambassador=5, portal=0):
        """``proofs`` proofs waiting for a decision, ``per_ambassador`` per active
        Study ambassador (the rule has no yearly cap: each approval awards its
        points), and ``portal`` ambassadors with a login. Returns (proof ids,
        logins)."""
        self.count += 1
        output = subprocess.run(
            [PY, os.path.join(HERE, "fixtures.py"), DB, "%s-%d" % (TAG, self.count),
             str(proofs), str(per_ambassador), str(portal), PASSWORD,
             "--addons-path=%s" % addons_path()] + ODOO_DB_OPTIONS,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            universal_newlines=True, check=True)
        made = json.loads(output.stdout.strip().splitlines()[-1])
        return made["proofs"], made["logins"]


def staff_session(server, login):
    session = requests.Session()
    response = session.post(server.url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": PASSWORD}},
        timeout=60)
    assert response.json().get("result", {}).get("uid"), response.text[:300]
    return session


def approve(session, server, proof_id):
    """The Approve button of the proof form. Returns (outcome, message): ok,
    user_error (the dialog a user reads), error (another exception: the dialog
    shows a traceback), http_<status> or connection (no answer)."""
    try:
        response = session.post(server.url + "/web/dataset/call_button", json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": "ambassador.proof", "method": "action_approve",
                "args": [[proof_id], {"lang": "en_US"}]}},
            timeout=120)
    except requests.RequestException as error:
        return "connection", type(error).__name__
    if "json" not in response.headers.get("Content-Type", ""):
        return "http_%d" % response.status_code, page_message(response.text)
    body = response.json()
    if "error" not in body:
        return "ok", ""
    data = body["error"].get("data", {})
    name = data.get("name")
    if name in ("odoo.exceptions.UserError", "odoo.exceptions.except_orm"):
        kind = "user_error"
    elif name == "odoo.http.SessionExpiredException" or body["error"].get(
            "code") == 404:
        # Odoo's own http.py logs a session out when PostgreSQL fails under
        # it (Root.dispatch); the web client then asks to log in again.
        kind = "logged_out"
    else:
        kind = "error"
    return kind, "%s %s: %s" % (response.status_code, name,
                                (data.get("message") or "")[:160])


def page_message(html):
    """What a page says to its reader, roughly: the title and error texts."""
    if "Traceback (most recent call last)" in html:
        return "TRACEBACK SHOWN"
    texts = re.findall(r'id="[a-z_]+_error"[^>]*>(.*?)</', html, re.S)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    parts = [re.sub(r"\s+", " ", t).strip() for t in texts]
    if title:
        parts.insert(0, re.sub(r"\s+", " ", title.group(1)).strip())
    if not parts:
        parts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()[:120]]
    return " | ".join(p for p in parts if p)[:200]


class Ambassador(object):
    """An ambassador in a browser: logs in, declares proofs with files."""

    def __init__(self, server, login):
        self.server, self.login = server, login
        self.session = None

    def csrf(self, path):
        page = self.session.get(self.server.url + path, timeout=60)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return page, found and found.group(1)

    def log_in(self):
        self.session = requests.Session()
        _page, token = self.csrf("/web/login")
        response = self.session.post(self.server.url + "/web/login", data={
            "login": self.login, "password": PASSWORD, "csrf_token": token,
            "redirect": "/my/ambassador"}, timeout=60, allow_redirects=False)
        # Odoo 11 answers a successful log-in with a page whose script goes on
        # (redirect_with_hash), a failed one with the form again.
        assert response.status_code in (302, 303) or (
            response.status_code == 200 and "window.location" in response.text
        ), "log-in refused (%d)" % response.status_code

    def declare(self, name, content=None):
        """Returns (HTTP status or 'connection', message)."""
        try:
            if self.session is None:
                self.log_in()
            page, token = self.csrf("/my/ambassador/proofs/new")
            if "/web/login" in page.url:
                # Logged out (see approve): logs in again.
                self.session = None
                return "logged_out", "sent to the log-in page"
            if page.status_code != 200 or not token:
                return page.status_code, page_message(page.text)
            files = content and {"files": ("evidence.png", content, "image/png")}
            response = self.session.post(
                self.server.url + "/my/ambassador/proofs/new",
                data={"csrf_token": token, "rule_id": str(FIXTURES.rule_id),
                      "name": name, "description": "Declared during a fault run",
                      "url": "https://example.com/declared"},
                files=files, timeout=120, allow_redirects=False)
        except requests.RequestException as error:
            self.session = None
            return "connection", type(error).__name__
        except AssertionError as error:
            self.session = None
            return "login_failed", str(error)
        location = response.headers.get("Location") or ""
        if response.status_code in (302, 303) and "message=proof" in location:
            return response.status_code, "saved -> %s" % location
        if response.status_code in (302, 303):
            self.session = None
            return "logged_out", "sent to %s" % location
        return response.status_code, page_message(response.text)


FIXTURES = None


# ---------------------------------------------------------------- checks
def integrity(label):
    output = subprocess.run(
        [PY, os.path.join(HERE, "integrity.py"), DB, "--addons-path=%s" % addons_path()]
        + ODOO_DB_OPTIONS, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True)
    if output.returncode:
        violation("integrity check failed to run: %s", output.stderr[-500:])
        return {}
    result = json.loads(output.stdout.strip().splitlines()[-1])
    say("integrity after %s: balance mismatches %d, proofs awarded twice %d, approved "
        "without award %d, awards of proofs not approved %d, proof files not stored in "
        "full %d (of %d), ambassadors without segment %d, ledger lines %d", label,
        len(result["balance_mismatches"]), len(result["proofs_awarded_twice"]),
        len(result["approved_proofs_without_award"]),
        len(result["awards_of_proofs_not_approved"]),
        len(result["proof_files_not_stored_in_full"]), result["proof_files_checked"],
        len(result["ambassadors_without_segment"]), result["ledger_lines"])
    for key in ("balance_mismatches", "proofs_awarded_twice",
                "approved_proofs_without_award", "awards_of_proofs_not_approved",
                "proof_files_not_stored_in_full", "ambassadors_without_segment"):
        if result[key]:
            violation("%s after %s: %s", key, label, str(result[key])[:300])
    return result


def servers_recover(label, timeout=90):
    for server in SERVERS:
        took = server.wait(timeout)
        if took is None:
            violation("server %s does not answer %d s after %s", server.name,
                      timeout, label)
        else:
            say("server %s answers /web/login (200) %.1f s after the check began; "
                "%d HTTP workers", server.name, took, len(server.workers()))


def proof_states(ids):
    rows = FIXTURES.admin("ambassador.proof", "read", ids, ["state"])
    return {row["id"]: row["state"] for row in rows}


def tally(outcomes):
    counts = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return ", ".join("%s %d" % item for item in sorted(counts.items()))


def server_log_tracebacks(since):
    found = 0
    for server in SERVERS:
        if os.path.exists(server.log):
            with open(server.log, errors="replace") as handle:
                handle.seek(since.get(server.name, 0))
                found += handle.read().count("Traceback")
    return found


def log_offsets():
    return {server.name: os.path.getsize(server.log) if os.path.exists(server.log)
            else 0 for server in SERVERS}


def at_once(calls, timeout=150):
    """Run each (function, *args) in a thread of its own, released at the same
    moment; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def call(index):
        barrier.wait()
        results[index] = calls[index][0](*calls[index][1:])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


# ---------------------------------------------------------------- faults
def fault_double_approval(rounds=10):
    say("== double-approval: the same proof approved from servers A and B at once, "
        "%d proofs", rounds)
    sessions = [staff_session(server, FIXTURES.staff_login) for server in SERVERS]
    proof_ids, _logins = FIXTURES.make(rounds)
    messages = set()
    for proof_id in proof_ids:
        results = at_once([
            (approve, sessions[index], SERVERS[index], proof_id) for index in (0, 1)])
        kinds = sorted(result[0] for result in results)
        messages.update(result[1] for result in results if result[0] != "ok")
        if kinds != ["ok", "user_error"]:
            violation("proof %d approved at once from A and B: %s", proof_id, results)
    awards = FIXTURES.admin("ambassador.point.transaction", "search_count",
                            [("proof_id", "in", proof_ids)])
    say("%d proofs, each approved twice at once: %d awards in the ledger; the second "
        "user read: %s", rounds, awards, "; ".join(sorted(messages)))
    if awards != rounds:
        violation("%d awards for %d proofs", awards, rounds)
    integrity("double-approval")


def fault_worker_kill(count=60, clients=4):
    say("== worker-kill: %d clients approve %d proofs through servers A and B; two "
        "workers of A are killed (SIGKILL) in the middle", clients, count)
    proof_ids, _logins = FIXTURES.make(count, per_ambassador=10)
    queue = list(proof_ids)
    lock = threading.Lock()
    outcomes, failed = [], []

    def client(index):
        server = SERVERS[index % 2]
        session = staff_session(server, FIXTURES.staff_login)
        while True:
            with lock:
                if not queue:
                    return
                proof_id = queue.pop()
            result = approve(session, server, proof_id)
            with lock:
                outcomes.append((server.name,) + result)
                if result[0] != "ok":
                    failed.append(proof_id)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    while len(outcomes) < count // 4:
        time.sleep(0.05)
    for pid in SERVERS[0].workers()[:2]:
        say("kill -9 worker %d of server A (%d approvals answered so far)", pid,
            len(outcomes))
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
    for thread in threads:
        thread.join(300)
    say("users got: %s", tally("%s on %s" % (o[1], o[0]) for o in outcomes))
    for detail in sorted({o[2] for o in outcomes if o[1] != "ok"}):
        say("  message: %s", detail)
    for outcome in outcomes:
        if outcome[1] == "error":
            violation("a user got an unexpected error: %s", outcome[2])
    servers_recover("worker-kill")
    say("the users retry the %d approvals that failed", len(failed))
    session = staff_session(SERVERS[0], FIXTURES.staff_login)
    retried = [approve(session, SERVERS[0], proof_id) for proof_id in failed]
    say("retries got: %s%s", tally(r[0] for r in retried) or "nothing to retry",
        "".join("\n    %s" % m for m in sorted({r[1] for r in retried if r[1]})))
    states = proof_states(proof_ids)
    waiting = [pid for pid, state in states.items() if state != "approved"]
    awards = FIXTURES.admin("ambassador.point.transaction", "search_count",
                            [("proof_id", "in", proof_ids)])
    say("%d proofs: %d approved, %d awards", count, count - len(waiting), awards)
    if waiting or awards != count:
        violation("after the retries: not approved %s, awards %d", waiting, awards)
    integrity("worker-kill")


def fault_pg_restart(duration=40, down=5):
    say("== pg-restart: visitors, ambassadors declaring proofs and staff approving "
        "through A and B for %d s; PostgreSQL is stopped for %d s in the middle",
        duration, down)
    proof_ids, logins = FIXTURES.make(80, per_ambassador=20, portal=4)
    queue = list(proof_ids)
    lock = threading.Lock()
    outcomes = []
    declared = {}
    stop = time.time() + duration
    phase = ["before"]

    def record(kind, server, outcome, message):
        with lock:
            outcomes.append((phase[0], kind, server.name, str(outcome), message))

    def staff(index):
        server = SERVERS[index % 2]
        session = None
        while time.time() < stop:
            try:
                session = session or staff_session(server, FIXTURES.staff_login)
            except Exception as error:  # pylint: disable=broad-except
                record("approve", server, "login_failed", type(error).__name__)
                time.sleep(0.5)
                continue
            with lock:
                proof_id = queue.pop()
            outcome, message = approve(session, server, proof_id)
            record("approve", server, outcome, message)
            if outcome == "logged_out":
                session = None  # logs in again, as the web client asks
            if outcome != "ok":
                time.sleep(0.3)

    def ambassador(index):
        server = SERVERS[index % 2]
        person = Ambassador(server, logins[index])
        number = 0
        while time.time() < stop:
            number += 1
            name = "PG %s %d-%d" % (TAG, index, number)
            status, message = person.declare(name, PNG + name.encode())
            record("declare", server, status, message)
            with lock:
                declared[name] = status
            if status not in (302, 303):
                time.sleep(0.3)

    def visitor(index):
        server = SERVERS[index % 2]
        while time.time() < stop:
            for path in ("/ambassadors", "/ambassadors/wall", "/shop"):
                try:
                    response = requests.get(server.url + path, timeout=60)
                    record("visit " + path, server, response.status_code,
                           "" if response.status_code == 200
                           else page_message(response.text))
                except requests.RequestException as error:
                    record("visit " + path, server, "connection", type(error).__name__)
                time.sleep(0.2)

    offsets = log_offsets()
    threads = [threading.Thread(target=staff, args=(i,)) for i in range(2)]
    threads += [threading.Thread(target=ambassador, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=visitor, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(duration / 4.0)
    say("PostgreSQL stops (pg_ctl stop -m fast)")
    phase[0] = "during"
    CLUSTER.stop()
    time.sleep(down)
    CLUSTER.ctl("start", "-o", "-p %d -c listen_addresses=127.0.0.1 "
                "-c unix_socket_directories=/tmp -c max_connections=200 -c fsync=off"
                % PG_PORT)
    say("PostgreSQL is back")
    time.sleep(3)
    phase[0] = "after"
    for thread in threads:
        thread.join(duration + 180)
    for when in ("before", "during", "after"):
        rows = [o for o in outcomes if o[0] == when]
        say("users got %s the outage: %s", when,
            tally("%s %s" % (o[1], o[3]) for o in rows) or "nothing")
        for message in sorted({"%s %s: %s" % (o[1], o[3], o[4]) for o in rows
                               if o[3] not in ("ok", "200", "303", "302")})[:12]:
            say("    %s", message)
    for outcome in outcomes:
        if "TRACEBACK" in outcome[4] or outcome[3] == "error":
            violation("%s: a user read a traceback or an unexpected error: %s",
                      outcome[1], outcome[4])
    late = [o for o in outcomes if o[0] == "after" and o[3] not in (
        "ok", "200", "302", "303", "logged_out")]
    say("after the outage (from 3 s after PostgreSQL came back): %d of %d requests "
        "failed (apart from the logged-out users' first click)", len(late),
        len([o for o in outcomes if o[0] == "after"]))
    if late:
        violation("requests still failing after the outage: %s", late[:5])
    servers_recover("pg-restart")
    names = FIXTURES.admin("ambassador.proof", "search_read",
                           [("name", "like", "PG %s %%" % TAG)], ["name"])
    stored = {row["name"] for row in names}
    lost = [name for name, status in declared.items()
            if status in (302, 303) and name not in stored]
    say("declarations: %d answered 'saved', %d stored, lost %d", len(
        [s for s in declared.values() if s in (302, 303)]), len(stored), len(lost))
    if lost:
        violation("declarations saved but lost: %s", lost)
    say("tracebacks in the server logs during this fault: %d (expected: the "
        "connection errors while PostgreSQL was down)", server_log_tracebacks(offsets))
    integrity("pg-restart")


def mount_small_filestore(size_mb=24):
    """Put the filestore of the database on a small file system of its own: an
    ext4 loop device, else a tmpfs. Returns (mount point, kind)."""
    filestore = os.path.join(DATA_DIR, "filestore", DB)
    keep = filestore + ".full"
    shutil.rmtree(keep, ignore_errors=True)
    os.rename(filestore, keep)
    os.makedirs(filestore)
    image = os.path.join(WORK, "filestore.img")
    kind = "ext4 loop device"
    try:
        run(["truncate", "-s", "%dM" % size_mb, image])
        run(["mkfs.ext4", "-q", "-F", "-m", "0", image])
        run(["mount", "-o", "loop", image, filestore], stderr=subprocess.PIPE)
    except subprocess.CalledProcessError as error:
        say("loop device refused (%s): tmpfs instead", error)
        kind = "tmpfs"
        run(["mount", "-t", "tmpfs", "-o", "size=%dm" % size_mb, "tmpfs", filestore])
    run(["cp", "-a", keep + "/.", filestore])
    return filestore, kind


def unmount_small_filestore(filestore):
    keep = filestore + ".full"
    run(["cp", "-a", "-n", filestore + "/.", keep])
    run(["umount", filestore])
    os.rmdir(filestore)
    os.rename(keep, filestore)
    image = os.path.join(WORK, "filestore.img")
    if os.path.exists(image):
        os.unlink(image)


def fault_disk_full(uploads=24, file_kb=400):
    filestore, kind = mount_small_filestore()
    try:
        usage = shutil.disk_usage(filestore)
        filler = os.path.join(filestore, "filler")
        room = 3 * file_kb * 1024
        say("== disk-full: the filestore is on a %s of %.0f MB; a filler file leaves "
            "%d kB free; 4 ambassadors declare %d proofs with a %d kB file each",
            kind, usage.total / 1e6, room // 1024, uploads, file_kb)
        with open(filler, "wb") as handle:
            handle.write(b"\0" * max(0, usage.free - room))
        _proofs, logins = FIXTURES.make(portal=4)
        people = [Ambassador(SERVERS[i % 2], logins[i]) for i in range(4)]
        results = []
        lock = threading.Lock()

        def declare(index, numbers):
            for number in numbers:
                name = "Disk %s %d" % (TAG, number)
                content = PNG + os.urandom(file_kb * 1024)
                status, message = people[index].declare(name, content)
                with lock:
                    results.append((name, people[index].server.name, status, message))

        threads = [threading.Thread(target=declare, args=(i, range(i, uploads, 4)))
                   for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        say("free space left: %d kB", shutil.disk_usage(filestore).free // 1024)
        say("users got: %s", tally(str(r[2]) for r in results))
        for message in sorted({"%s: %s" % (r[2], r[3]) for r in results
                               if r[2] not in (302, 303)}):
            say("    %s", message)
        for result in results:
            if "TRACEBACK" in result[3] or result[2] not in (302, 303, 400):
                violation("declaring on a full disk: %s", result)
        integrity("disk-full (disk still full)")
        say("room is made again (the filler file is deleted); the same users retry")
        os.unlink(filler)
        refused = [r for r in results if r[2] not in (302, 303)]
        retried = []
        for name, _server, _status, _message in refused:
            status, message = people[0].declare(name + " again", PNG + os.urandom(
                file_kb * 1024))
            retried.append(status)
        say("retries got: %s", tally(str(s) for s in retried) or "nothing to retry")
        if any(status not in (302, 303) for status in retried):
            violation("declarations still refused once room was made: %s", retried)
        servers_recover("disk-full")
        integrity("disk-full (room made again)")
    finally:
        unmount_small_filestore(filestore)


FAULTS = {
    "double-approval": fault_double_approval,
    "worker-kill": fault_worker_kill,
    "pg-restart": fault_pg_restart,
    "disk-full": fault_disk_full,
}


def main():
    global FIXTURES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fault", nargs="+", choices=sorted(FAULTS) + ["all"])
    parser.add_argument("--source-db", default="faults_db",
                        help="installed database (demo data) copied for the run")
    parser.add_argument("--keep-db", action="store_true",
                        help="reuse the copy of the previous run")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the faults stop PostgreSQL and mount a "
                         "file system")
    os.makedirs(WORK, exist_ok=True)
    started = time.time()
    say("load average %s; %d CPUs", " ".join("%.2f" % n for n in os.getloadavg()),
        os.cpu_count())
    CLUSTER.start()
    try:
        if not args.keep_db:
            CLUSTER.copy_database(args.source_db)
        for server in SERVERS:
            server.start()
        for server in SERVERS:
            took = server.wait(180)
            if took is None:
                raise SystemExit("server %s did not start (log %s)" % (
                    server.name, server.log))
            say("server %s: prefork, 2 workers %s, port %d (%.0f s to answer)",
                server.name, server.workers(), server.port, took)
        FIXTURES = Fixtures(Admin(SERVERS[0].url))
        names = sorted(FAULTS) if "all" in args.fault else args.fault
        for name in names:
            before = len(violations)
            began = time.time()
            FAULTS[name]()
            say("== %s: %s in %.0f s (load average %s)\n", name,
                "PASSED" if len(violations) == before else "FAILED",
                time.time() - began, " ".join("%.2f" % n for n in os.getloadavg()))
    finally:
        for server in SERVERS:
            server.stop()
        CLUSTER.stop()
    say("%d violation(s) in %.0f s", len(violations), time.time() - started)
    for text in violations:
        print("  - " + text)
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
