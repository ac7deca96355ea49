"""Faults survived: breaks the production-shaped deployment while users work,
then checks that the data still agree and the servers recovered by themselves.

    ~/.cache/ambassador_program/venv/bin/python scripts/faults/run_faults.py \
        [--source-db faults_db] [--keep-db] [--base-port 8400] [--workers 2] \
        [--timeout 1500] double-approval|worker-kill|pg-restart|disk-full|all [...]

The deployment is scripts/production/serve.sh's (docs/PRODUCTION.md): nginx on
127.0.0.1:BASE_PORT in front of two Odoo servers in prefork mode (BASE_PORT+1
and +3), one database, one data_dir (filestore and sessions) under var/faults/.
The database is a copy of --source-db (an installed database with demo data,
e.g. the one scripts/dev_test.sh makes) with its filestore, in a PostgreSQL
cluster of the fault runs only (127.0.0.1:8650, data in /tmp/faults_pg):
restarting the machine's shared PostgreSQL would break everybody else's work.
Everything listens on loopback.

Faults (each bounded in time; each prints what it does, what users got, the
integrity check and how long the recovery took):
- double-approval: the same proof approved at the same instant on server 1 and
  server 2 directly (not through nginx), N times: one award each.
- worker-kill: staff approve proofs and visitors browse through nginx; the HTTP
  workers of server 1 are killed (SIGKILL) in the middle of their requests; nginx
  keeps serving through server 2, server 1's master forks new workers; users
  retry what failed.
- pg-restart: visitors browsing and one signing up, ambassadors declaring
  proofs with a file and staff approving, all through nginx, while PostgreSQL
  is stopped for a few seconds; the servers reconnect without being restarted
  (same master processes); no sign-up or proof half-created or lost.
- disk-full: ambassadors declare proofs with files through nginx while the
  shared filestore (a small ext4 loop device, or a tmpfs when loop devices
  cannot be mounted) is full; then room is made again and they retry.
After each fault: scripts/faults/integrity.py through the ORM (balances equal
their ledger, one award per approved proof and none for others, every file
stored in full, no ambassador without a segment), the servers answering by
themselves. Exit status 1 on any violation. Every process, mount and the
cluster are stopped on the way out, on failure, Ctrl-C, SIGTERM or --timeout."""
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
SERVE = os.path.join(REPO, "scripts", "production", "serve.sh")
WORK = os.path.join(REPO, "var", "faults")
DATA_DIR = os.path.join(WORK, "data")
SERVE_DIR = os.path.join(WORK, "serve")
PG_BIN = "/usr/lib/postgresql/%s/bin" % os.environ.get("PG_VERSION", "15")
PG_DIR = "/tmp/faults_pg"
PG_PORT = 8650
DB = "faults_db"
PASSWORD = "faults-Pass-2026"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4DwABAQEABRjY"
    "TgAAAABJRU5ErkJggg==")
TAG = time.strftime("%H%M%S")
# What a user reads when something went wrong: a traceback is never fine.
TRACEBACK = "TRACEBACK SHOWN"

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


def load_average():
    return " ".join("%.2f" % n for n in os.getloadavg())


# ---------------------------------------------------------------- PostgreSQL
class Cluster(object):
    """A PostgreSQL cluster of the fault runs only, on 127.0.0.1:PG_PORT."""
    options = ("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp "
               "-c max_connections=200 -c fsync=off" % PG_PORT)

    def ctl(self, *args):
        as_postgres([PG_BIN + "/pg_ctl", "-D", PG_DIR, "-w", "-t", "60",
                     "-l", PG_DIR + ".log"] + list(args))

    def running(self):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", PG_BIN + "/pg_ctl", "-D", PG_DIR,
             "status"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL).returncode == 0

    def start(self):
        if not os.path.exists(os.path.join(PG_DIR, "PG_VERSION")):
            shutil.rmtree(PG_DIR, ignore_errors=True)
            os.makedirs(PG_DIR)
            shutil.chown(PG_DIR, "postgres", "postgres")
            as_postgres([PG_BIN + "/initdb", "-D", PG_DIR, "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        if not self.running():  # left running by a run killed with SIGKILL
            self.ctl("start", "-o", self.options)
        exists = subprocess.run(
            self.psql_cmd("postgres", "SELECT 1 FROM pg_roles WHERE rolname='root'",
                          user="postgres"), stdout=subprocess.PIPE).stdout.strip()
        if not exists:
            self.psql("postgres", "CREATE ROLE root SUPERUSER LOGIN", user="postgres")

    def stop(self):
        if self.running():
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


# ---------------------------------------------------------------- deployment
def listening_inodes(port):
    """Inodes of the sockets listening on 127.0.0.1:port (/proc/net/tcp)."""
    inodes = set()
    with open("/proc/net/tcp") as handle:
        for line in handle.readlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                inodes.add(inode)
    return inodes


def http_workers(master_pid, port):
    """The HTTP workers of an Odoo prefork master: its children that hold the
    listening socket of ``port``. A cron worker closes it as it starts, after
    lowering its priority (os.nice(10), odoo/service/server.py WorkerCron);
    the longpolling process is a program of its own with its own port."""
    inodes = {"socket:[%s]" % inode for inode in listening_inodes(port)}
    master_nice = nice_of(master_pid)
    path = "/proc/%d/task/%d/children" % (master_pid, master_pid)
    try:
        with open(path) as handle:
            children = [int(pid) for pid in handle.read().split()]
    except OSError:
        return []
    workers = []
    for pid in children:
        try:
            fds = os.listdir("/proc/%d/fd" % pid)
            links = {os.readlink("/proc/%d/fd/%s" % (pid, fd)) for fd in fds}
        except OSError:
            continue  # gone meanwhile
        if links & inodes and nice_of(pid) == master_nice:
            workers.append(pid)
    return sorted(workers)


def nice_of(pid):
    """The nice value of a process (/proc/PID/stat, field 19), None if gone."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            # The command (field 2) is in parentheses and may hold spaces.
            return int(handle.read().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return None


class Server(object):
    """One Odoo prefork server of the deployment, reached directly."""

    def __init__(self, number, port):
        self.number, self.port = number, port
        self.name = "server %d" % number
        self.url = "http://127.0.0.1:%d" % port
        self.log = os.path.join(SERVE_DIR, "odoo-%d.log" % number)

    def master_pid(self):
        """The master's pid, as Odoo writes it (pidfile of odoo.conf.in)."""
        try:
            with open(os.path.join(SERVE_DIR, "odoo-%d.master.pid" % self.number)) \
                    as handle:
                return int(handle.read().strip())
        except (OSError, ValueError):
            return None

    def workers(self):
        pid = self.master_pid()
        return http_workers(pid, self.port) if pid else []

    def answers(self, timeout=10):
        return page_answers(self.url, timeout)

    def wait(self, timeout=120):
        return wait_answer(self.url, timeout)


def page_answers(url, timeout=10):
    try:
        return requests.get(url + "/web/login", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def wait_answer(url, timeout=120):
    """Seconds until url answers /web/login with a 200, or None."""
    start = time.time()
    while time.time() - start < timeout:
        if page_answers(url):
            return time.time() - start
        time.sleep(0.25)
    return None


class Deployment(object):
    """scripts/production/serve.sh on the fault cluster and data_dir."""

    def __init__(self, base_port, workers):
        self.base_port, self.workers = base_port, workers
        self.site = "http://127.0.0.1:%d" % base_port
        self.servers = [Server(1, base_port + 1), Server(2, base_port + 3)]

    def serve(self, action, timeout=400):
        env = dict(os.environ, SERVE_DIR=SERVE_DIR, SERVE_DATA_DIR=DATA_DIR,
                   SERVE_DB_HOST="127.0.0.1", SERVE_DB_PORT=str(PG_PORT),
                   DB_USER="root", WORKERS=str(self.workers), CRON_THREADS="1",
                   LOG_LEVEL="warn", START_TIMEOUT="240")
        return subprocess.run(
            ["bash", SERVE, action, DB, str(self.base_port)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=timeout)

    def start(self):
        began = time.time()
        result = self.serve("start")
        if result.returncode:
            raise SystemExit("serve.sh start failed:\n%s" % result.stdout[-2000:])
        say("deployment up in %.0f s: nginx %s -> %s", time.time() - began,
            self.site, ", ".join(
                "%s %s (master %s, HTTP workers %s)" % (
                    server.name, server.url, server.master_pid(), server.workers())
                for server in self.servers))

    def stop(self):
        result = self.serve("stop", timeout=120)
        say("deployment stopped: %s", " ".join(result.stdout.split("\n")).strip())

    def access_log(self):
        return os.path.join(SERVE_DIR, "nginx", "logs", "access.log")


DEPLOYMENT = None


def site():
    return DEPLOYMENT.site


def servers():
    return DEPLOYMENT.servers


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


def staff_session(url, login):
    session = requests.Session()
    response = session.post(url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": PASSWORD}},
        timeout=60)
    assert response.json().get("result", {}).get("uid"), response.text[:300]
    return session


def approve(session, url, proof_id):
    """The Approve button of the proof form. Returns (outcome, message): ok,
    user_error (the dialog a user reads), logged_out, error (another exception:
    the dialog shows a traceback), http_<status> (a page instead of JSON, e.g.
    nginx's when no server answered) or connection (no answer at all)."""
    try:
        response = session.post(url + "/web/dataset/call_button", json={
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
        return TRACEBACK
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

    def __init__(self, url, login):
        self.url, self.login = url, login
        self.session = None

    def csrf(self, path):
        page = self.session.get(self.url + path, timeout=60)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return page, found and found.group(1)

    def log_in(self):
        self.session = requests.Session()
        _page, token = self.csrf("/web/login")
        response = self.session.post(self.url + "/web/login", data={
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
                self.url + "/my/ambassador/proofs/new",
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


def sign_up(url, segment_code, email):
    """A visitor fills the segment's sign-up form: name, e-mail, the charter,
    and every field the segment requires (the first choice of a list, an
    address for a text). Returns (outcome, message): done (the "Check your
    inbox" page), an HTTP status with the page's message, or connection."""
    path = "/ambassadors/join/%s" % segment_code
    try:
        session = requests.Session()
        page = session.get(url + path, timeout=60)
        if page.status_code != 200:
            return page.status_code, page_message(page.text)
        form = {"name": "Fault Sign-up %s" % email.split("@")[0], "email": email}
        for name, value in re.findall(
                r'<input type="hidden" name="(csrf_token|charter_id)" value="([^"]*)"',
                page.text):
            form[name] = value
        if 'name="charter_accepted"' in page.text:
            form["charter_accepted"] = "1"
        for tag in re.findall(r"<(?:select|textarea|input)[^>]*>", page.text):
            name = re.search(r' name="([^"]+)"', tag)
            if not name or "required" not in tag or name.group(1) in form:
                continue
            if tag.startswith("<select"):
                options = re.findall(
                    r'<option value="([^"]+)"',
                    page.text[page.text.index(tag):].split("</select>")[0])
                form[name.group(1)] = options[0] if options else ""
            else:
                form[name.group(1)] = "https://example.com/fault-run"
        response = session.post(url + path, data=form, timeout=120)
    except requests.RequestException as error:
        return "connection", type(error).__name__
    if response.status_code == 200 and "o_ambassador_signup_done" in response.text:
        return "done", ""
    return response.status_code, page_message(response.text)


FIXTURES = None
RUN_STARTED = None  # UTC, as PostgreSQL's create_date


# ---------------------------------------------------------------- checks
def integrity(label):
    output = subprocess.run(
        [PY, os.path.join(HERE, "integrity.py"), DB, "--since=%s" % RUN_STARTED,
         "--addons-path=%s" % addons_path()] + ODOO_DB_OPTIONS,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if output.returncode:
        violation("integrity check failed to run: %s", output.stderr[-500:])
        return {}
    result = json.loads(output.stdout.strip().splitlines()[-1])
    say("integrity after %s: balance mismatches %d, proofs awarded twice %d, approved "
        "without award %d, awards of proofs not approved %d, files not stored in "
        "full %d (of %d attachments made during the run; %d proof files in all), "
        "ambassadors without segment %d, ledger lines %d", label,
        len(result["balance_mismatches"]), len(result["proofs_awarded_twice"]),
        len(result["approved_proofs_without_award"]),
        len(result["awards_of_proofs_not_approved"]),
        len(result["files_not_stored_in_full"]), result["files_checked"],
        result["proof_files"], len(result["ambassadors_without_segment"]),
        result["ledger_lines"])
    for key in ("balance_mismatches", "proofs_awarded_twice",
                "approved_proofs_without_award", "awards_of_proofs_not_approved",
                "files_not_stored_in_full", "ambassadors_without_segment"):
        if result[key]:
            violation("%s after %s: %s", key, label, str(result[key])[:300])
    return result


def proofs_without_file(pattern):
    """Proofs declared with a file (their names match ``pattern``, SQL like)
    that were saved without an attachment: a half-created proof."""
    proofs = FIXTURES.admin("ambassador.proof", "search",
                            [("name", "like", pattern)])
    attachments = FIXTURES.admin(
        "ir.attachment", "search_read", [("res_model", "=", "ambassador.proof"),
                                         ("res_id", "in", proofs)], ["res_id"])
    with_file = {row["res_id"] for row in attachments}
    missing = sorted(set(proofs) - with_file)
    say("proofs declared with a file (%s): %d saved, %d without their file",
        pattern, len(proofs), len(missing))
    if missing:
        violation("proofs saved without their file: %s", missing[:20])
    return proofs


def half_signed_up(signed_up):
    """Sign-ups of a fault: each one answered "Check your inbox" is stored,
    and every candidate made has its segment and its sign-up request (no
    half-created ambassador)."""
    emails = sorted(signed_up)
    partners = FIXTURES.admin(
        "res.partner", "search_read", [("email", "in", emails)],
        ["email", "ambassador_state", "ambassador_segment_id"],
        context={"active_test": False})
    requests_made = FIXTURES.admin(
        "ambassador.signup.request", "search_read", [("email", "in", emails)],
        ["email", "partner_id"])
    with_request = {row["partner_id"][0] for row in requests_made if row["partner_id"]}
    stored = {row["email"] for row in partners}
    lost = [e for e, outcome in signed_up.items() if outcome == "done" and
            e not in stored]
    half = [row["id"] for row in partners if not row["ambassador_segment_id"]
            or row["id"] not in with_request]
    say("sign-ups: %d answered \"Check your inbox\", %d candidates stored, %d "
        "sign-up requests; lost %d, half-created %d", len(
            [o for o in signed_up.values() if o == "done"]), len(partners),
        len(requests_made), len(lost), len(half))
    if lost:
        violation("sign-ups answered but lost: %s", lost[:10])
    if half:
        violation("half-created candidates (no segment or no request): %s", half)


def servers_recover(label, timeout=90):
    for server in servers():
        took = server.wait(timeout)
        if took is None:
            violation("%s does not answer %d s after %s", server.name, timeout, label)
        else:
            say("%s answers /web/login (200) %.1f s after the check began; HTTP "
                "workers %s", server.name, took, server.workers())
    took = wait_answer(site(), timeout)
    if took is None:
        violation("the site (nginx) does not answer %d s after %s", timeout, label)


def same_masters(before, label):
    """The servers recovered by themselves: the same master processes."""
    after = [server.master_pid() for server in servers()]
    alive = all(pid and os.path.exists("/proc/%d" % pid) for pid in after)
    say("masters before %s: %s, after: %s (%s)", label, before, after,
        "not restarted" if after == before and alive else "CHANGED")
    if after != before or not alive:
        violation("a server was restarted or died during %s: %s -> %s", label,
                  before, after)


def masters():
    return [server.master_pid() for server in servers()]


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
    for server in servers():
        if os.path.exists(server.log):
            with open(server.log, errors="replace") as handle:
                handle.seek(since.get(server.name, 0))
                found += handle.read().count("Traceback")
    return found


def log_offsets():
    return {server.name: os.path.getsize(server.log) if os.path.exists(server.log)
            else 0 for server in servers()}


def upstreams_since(offset, since, until):
    """How nginx served the requests logged after ``offset`` between the
    times ``since`` and ``until`` (epoch): ({upstream and status: count},
    {upstream and status: seconds from ``since`` to the first one's end})."""
    counts, first = {}, {}
    try:
        with open(DEPLOYMENT.access_log(), errors="replace") as handle:
            handle.seek(offset)
            lines = handle.readlines()
    except OSError:
        return counts, first
    for line in lines:
        found = re.search(r'" (\d{3}) .* upstream=(.*) rt=\S+ msec=([\d.]+)$',
                          line.strip())
        if not found or not since <= float(found.group(3)) <= until:
            continue
        # The server that answered last (after a retry, several are listed).
        port = found.group(2).split(",")[-1].strip().rsplit(":", 1)[-1]
        names = {str(server.port): server.name for server in servers()}
        key = "%s %s" % (names.get(port, "nginx itself" if port == "-" else
                                   "upstream " + found.group(2)), found.group(1))
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, float(found.group(3)) - since)
    return counts, first


def at_once(calls, timeout=150):
    """Run each (function, *args) in a thread of its own, released at the same
    moment; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def call(index):
        barrier.wait()
        results[index] = calls[index][0](*calls[index][1:])

    threads = [thread_of(call, i) for i in range(len(calls))]
    for thread in threads:
        thread.join(timeout)
    return results


def thread_of(target, *args):
    """A started daemon thread: a run stopped by a signal or --timeout does not
    wait for it."""
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def user_saw_traceback(label, outcomes):
    """outcomes: (kind, message) pairs; a traceback or an unexpected error is a
    violation (users get a clear message)."""
    for kind, message in outcomes:
        if TRACEBACK in message or kind == "error":
            violation("%s: a user read a traceback or an unexpected error: %s",
                      label, message)


# ---------------------------------------------------------------- faults
def fault_double_approval(rounds=10):
    one, two = servers()
    say("== double-approval: the same proof approved at the same instant on %s "
        "(%s) and %s (%s) directly, %d proofs", one.name, one.url, two.name,
        two.url, rounds)
    sessions = [staff_session(server.url, FIXTURES.staff_login)
                for server in (one, two)]
    proof_ids, _logins = FIXTURES.make(rounds)
    messages, seen = set(), []
    for proof_id in proof_ids:
        results = at_once([(approve, sessions[index], server.url, proof_id)
                           for index, server in enumerate((one, two))])
        seen.extend(results)
        kinds = sorted(result[0] for result in results)
        messages.update(result[1] for result in results if result[0] != "ok")
        if kinds != ["ok", "user_error"]:
            violation("proof %d approved at once on both servers: %s", proof_id,
                      results)
    won = tally("%s won" % server.name for results in zip(*[iter(seen)] * 2)
                for server, result in zip((one, two), results) if result[0] == "ok")
    awards = FIXTURES.admin("ambassador.point.transaction", "search_count",
                            [("proof_id", "in", proof_ids)])
    say("%d proofs, each approved twice at once: %d awards in the ledger (%s); the "
        "second user read: %s", rounds, awards, won, "; ".join(sorted(messages)))
    if awards != rounds:
        violation("%d awards for %d proofs", awards, rounds)
    user_saw_traceback("double-approval", seen)
    integrity("double-approval")


def fault_worker_kill(count=60, clients=4):
    target = servers()[0]
    say("== worker-kill: %d staff clients approve %d proofs and a visitor browses, "
        "all through nginx (%s); the HTTP workers of %s are killed (SIGKILL) in the "
        "middle", clients, count, site(), target.name)
    proof_ids, _logins = FIXTURES.make(count, per_ambassador=10)
    before = masters()
    queue = list(proof_ids)
    lock = threading.Lock()
    outcomes, failed, visits = [], [], []
    done = threading.Event()

    def client():
        session = staff_session(site(), FIXTURES.staff_login)
        while True:
            with lock:
                if not queue:
                    return
                proof_id = queue.pop()
            result = approve(session, site(), proof_id)
            with lock:
                outcomes.append(result)
                if result[0] != "ok":
                    failed.append(proof_id)

    def visitor():
        while not done.is_set():
            try:
                response = requests.get(site() + "/ambassadors", timeout=120)
                visits.append((time.time(), str(response.status_code),
                               "" if response.ok else page_message(response.text)))
            except requests.RequestException as error:
                visits.append((time.time(), "connection", type(error).__name__))
            time.sleep(0.2)

    log_offset = os.path.getsize(DEPLOYMENT.access_log())
    threads = [thread_of(client) for _i in range(clients)]
    watcher = thread_of(visitor)
    deadline = time.time() + 300
    while len(outcomes) < count // 4 and time.time() < deadline:
        time.sleep(0.05)
    victims = target.workers()
    killed_at = time.time()
    say("kill -9 the HTTP workers %s of %s (%d approvals answered so far)", victims,
        target.name, len(outcomes))
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    respawned = None
    while time.time() - killed_at < 120:
        workers = target.workers()
        if len(workers) >= len(victims) and not set(workers) & set(victims):
            respawned = time.time() - killed_at
            break
        time.sleep(0.1)
    answered = wait_answer(target.url, 120)
    answered = answered is not None and time.time() - killed_at
    say("%s's master forked new HTTP workers %s %s; %s answers directly %s after "
        "the kill", target.name, target.workers(), "%.1f s after the kill" %
        respawned if respawned else "NOT within 120 s", target.name,
        "%.1f s" % answered if answered else "NOT within 120 s")
    if respawned is None or not answered:
        violation("%s did not recover by itself from the kill", target.name)
    window_end = killed_at + (answered or 10)
    for thread in threads:
        thread.join(300)
    done.set()
    watcher.join(130)
    served, first = upstreams_since(log_offset, killed_at, window_end)
    say("nginx between the kill and %s answering its own probe: %s; the first "
        "answer of %s's new workers through nginx %s after the kill", target.name,
        tally_dict(served) or "nothing", target.name,
        "%.1f s" % first["%s 200" % target.name] if "%s 200" % target.name in first
        else "-")
    say("approvals (staff, through nginx): %s", tally(o[0] for o in outcomes))
    for detail in sorted({o[1] for o in outcomes if o[0] != "ok"}):
        say("    they read: %s", detail)
    say("visitor (GET /ambassadors through nginx): %s", tally(v[1] for v in visits))
    user_saw_traceback("worker-kill", outcomes)
    broken_visits = [v for v in visits if v[1] != "200"]
    if broken_visits:
        violation("a visitor's page failed although server 2 was up: %s",
                  broken_visits[:5])
    say("the users retry the %d approvals that failed (through nginx)", len(failed))
    session = staff_session(site(), FIXTURES.staff_login)
    retried = [approve(session, site(), proof_id) for proof_id in failed]
    say("retries got: %s%s", tally(r[0] for r in retried) or "nothing to retry",
        "".join("\n    %s" % m for m in sorted({r[1] for r in retried if r[1]})))
    states = proof_states(proof_ids)
    waiting = [pid for pid, state in states.items() if state != "approved"]
    awards = FIXTURES.admin("ambassador.point.transaction", "search_count",
                            [("proof_id", "in", proof_ids)])
    say("%d proofs: %d approved, %d awards", count, count - len(waiting), awards)
    if waiting or awards != count:
        violation("after the retries: not approved %s, awards %d", waiting, awards)
    servers_recover("worker-kill")
    same_masters(before, "worker-kill")
    integrity("worker-kill")


def tally_dict(counts):
    return ", ".join("%s %d" % item for item in sorted(counts.items()))


def recovery_times(since, timeout=120):
    """Seconds from ``since`` until each server (directly) and the site answer
    /web/login with a 200, asked in parallel every 0.25 s."""
    targets = [(server.name, server.url) for server in servers()]
    targets.append(("nginx", site()))
    times = {}

    def probe(name, url):
        took = wait_answer(url, timeout)
        times[name] = None if took is None else time.time() - since

    threads = [thread_of(probe, name, url) for name, url in targets]
    for thread in threads:
        thread.join(timeout + 30)
    return times


def fault_pg_restart(duration=60, down=5):
    say("== pg-restart: 2 staff approving, 4 ambassadors declaring proofs with a file, "
        "2 visitors browsing and 1 signing up, all through nginx (%s), for %d s; "
        "PostgreSQL is stopped for %d s in the middle", site(), duration, down)
    proof_ids, logins = FIXTURES.make(120, per_ambassador=20, portal=4)
    segment_code = FIXTURES.admin("ambassador.segment", "read", [FIXTURES.admin.ref(
        "ambassador_program.segment_study")], ["code"])[0]["code"]
    # Every sign-up of the run comes from 127.0.0.1: the quota per network
    # would refuse all but the first few (the copy's setting only).
    FIXTURES.admin("ir.config_parameter", "set_param",
                   "ambassador_program.signup_rate_limit", "100000")
    before = masters()
    queue = list(proof_ids)
    lock = threading.Lock()
    outcomes = []
    declared = {}
    stop = time.time() + duration
    phase = ["before"]

    def record(kind, outcome, message):
        with lock:
            outcomes.append((phase[0], kind, str(outcome), message))

    def staff():
        session = None
        while time.time() < stop:
            try:
                session = session or staff_session(site(), FIXTURES.staff_login)
            except Exception as error:  # pylint: disable=broad-except
                record("log-in", "login_failed", type(error).__name__)
                time.sleep(0.5)
                continue
            with lock:
                if not queue:
                    return
                proof_id = queue.pop()
            outcome, message = approve(session, site(), proof_id)
            record("approve", outcome, message)
            if outcome == "logged_out":
                session = None  # logs in again, as the web client asks
            if outcome != "ok":
                time.sleep(0.3)

    def ambassador(index):
        person = Ambassador(site(), logins[index])
        number = 0
        while time.time() < stop:
            number += 1
            name = "PG %s %d-%d" % (TAG, index, number)
            status, message = person.declare(name, PNG + name.encode())
            record("declare", status, message)
            with lock:
                declared[name] = status
            if status not in (302, 303):
                time.sleep(0.3)

    signed_up = {}

    def newcomer():
        number = 0
        while time.time() < stop:
            number += 1
            email = "faults.signup.%s.%d@example.com" % (TAG, number)
            outcome, message = sign_up(site(), segment_code, email)
            record("sign-up", outcome, message)
            with lock:
                signed_up[email] = outcome
            time.sleep(0.3)

    def visitor():
        while time.time() < stop:
            for path in ("/ambassadors", "/ambassadors/wall", "/shop"):
                try:
                    response = requests.get(site() + path, timeout=60)
                    record("visit " + path, response.status_code,
                           "" if response.status_code == 200
                           else page_message(response.text))
                except requests.RequestException as error:
                    record("visit " + path, "connection", type(error).__name__)
                time.sleep(0.2)

    offsets = log_offsets()
    threads = [thread_of(staff) for _i in range(2)]
    threads += [thread_of(ambassador, i) for i in range(4)]
    threads += [thread_of(visitor) for _i in range(2)]
    threads.append(thread_of(newcomer))
    time.sleep(duration / 3.0)
    say("PostgreSQL stops (pg_ctl stop -m fast)")
    phase[0] = "during"
    CLUSTER.ctl("stop", "-m", "fast")
    time.sleep(down)
    CLUSTER.ctl("start", "-o", CLUSTER.options)
    back = time.time()
    say("PostgreSQL is back (after %d s)", down)
    times = recovery_times(back)
    say("answering /web/login again after PostgreSQL came back: %s",
        ", ".join("%s %s" % (name, "%.1f s" % took if took is not None else
                             "NOT within 120 s") for name, took in sorted(
                                 times.items())))
    if None in times.values():
        violation("not answering after PostgreSQL came back: %s", times)
    time.sleep(max(0, 3 - (time.time() - back)))
    phase[0] = "after"
    for thread in threads:
        thread.join(duration + 180)
    for when in ("before", "during", "after"):
        rows = [o for o in outcomes if o[0] == when]
        say("users got %s the outage%s: %s", when, " (and the 3 s after)" if
            when == "during" else "", tally("%s %s" % (o[1], o[2]) for o in rows)
            or "nothing")
        for message in sorted({"%s %s: %s" % (o[1], o[2], o[3]) for o in rows
                               if o[2] not in ("ok", "200", "303", "302", "done")}
                              )[:14]:
            say("    %s", message)
    user_saw_traceback("pg-restart", [(o[2], o[3]) for o in outcomes])
    late = [o for o in outcomes if o[0] == "after" and o[2] not in (
        "ok", "200", "302", "303", "logged_out", "done")]
    say("after the outage (from 3 s after PostgreSQL came back): %d of %d requests "
        "failed (apart from the logged-out users' first click)", len(late),
        len([o for o in outcomes if o[0] == "after"]))
    if late:
        violation("requests still failing after the outage: %s", late[:5])
    servers_recover("pg-restart")
    same_masters(before, "pg-restart")
    names = FIXTURES.admin("ambassador.proof", "search_read",
                           [("name", "like", "PG %s %%" % TAG)], ["name"])
    stored = {row["name"] for row in names}
    lost = [name for name, status in declared.items()
            if status in (302, 303) and name not in stored]
    say("declarations: %d answered 'saved', %d stored, lost %d", len(
        [s for s in declared.values() if s in (302, 303)]), len(stored), len(lost))
    if lost:
        violation("declarations saved but lost: %s", lost)
    proofs_without_file("PG %s %%" % TAG)
    half_signed_up(signed_up)
    say("tracebacks in the server logs during this fault: %d (expected: the "
        "connection errors while PostgreSQL was down)", server_log_tracebacks(offsets))
    integrity("pg-restart")


MOUNTED = []
FILLER = "filler"  # the file that fills the small filestore


def filestore_path():
    return os.path.join(DATA_DIR, "filestore", DB)


def mount_small_filestore(room_mb=24):
    """Put the shared filestore of the database on a small file system of its
    own, its files plus ``room_mb`` MB: an ext4 loop device, else a tmpfs.
    Returns the kind."""
    filestore = filestore_path()
    # The blocks the files take (a run with --keep-db finds the last run's).
    used = sum(os.stat(os.path.join(folder, name)).st_blocks * 512
               for folder, _dirs, names in os.walk(filestore) for name in names)
    size_mb = room_mb + int(used * 1.1 / 2 ** 20) + 1
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
    MOUNTED.append(filestore)
    stale = os.path.join(keep, FILLER)
    if os.path.exists(stale):  # copied back by an older run
        os.unlink(stale)
    # Both servers write there (the same data_dir).
    shutil.chown(filestore, *owner_of(keep))
    run(["cp", "-a", keep + "/.", filestore])
    return kind


def owner_of(path):
    stat = os.stat(path)
    return stat.st_uid, stat.st_gid


def unmount_small_filestore():
    """Put the files written on the small file system back into the filestore,
    unmount it and free its loop device. Safe to call twice, or after a run
    killed in the middle (a leftover mount)."""
    filestore = filestore_path()
    keep = filestore + ".full"
    if os.path.ismount(filestore):
        filler = os.path.join(filestore, FILLER)
        if os.path.exists(filler):  # a run stopped while the disk was full
            os.unlink(filler)
        if os.path.isdir(keep):
            subprocess.run(["cp", "-a", "-n", filestore + "/.", keep])
        run(["umount", filestore])
    if os.path.isdir(keep):
        if os.path.isdir(filestore):
            os.rmdir(filestore)
        os.rename(keep, filestore)
    image = os.path.join(WORK, "filestore.img")
    if os.path.exists(image):
        # mount -o loop frees its device on umount; a device left by a killed
        # run is detached here.
        devices = subprocess.run(["losetup", "-j", image], stdout=subprocess.PIPE,
                                 universal_newlines=True).stdout
        for line in devices.splitlines():
            subprocess.run(["losetup", "-d", line.split(":")[0]])
        os.unlink(image)
    del MOUNTED[:]


def fault_disk_full(uploads=24, file_kb=400):
    kind = mount_small_filestore()
    filestore = filestore_path()
    try:
        usage = shutil.disk_usage(filestore)
        filler = os.path.join(filestore, FILLER)
        room = 3 * file_kb * 1024
        say("== disk-full: the shared filestore (%s) is on a %s of %.0f MB; a filler "
            "file leaves %d kB free; 4 ambassadors declare %d proofs with a %d kB file "
            "each through nginx (%s)", filestore, kind, usage.total / 1e6,
            room // 1024, uploads, file_kb, site())
        with open(filler, "wb") as handle:
            handle.write(b"\0" * max(0, usage.free - room))
        _proofs, logins = FIXTURES.make(portal=4)
        people = [Ambassador(site(), logins[i]) for i in range(4)]
        results = []
        lock = threading.Lock()

        def declare(index, numbers):
            for number in numbers:
                name = "Disk %s %d" % (TAG, number)
                content = PNG + os.urandom(file_kb * 1024)
                status, message = people[index].declare(name, content)
                with lock:
                    results.append((name, status, message))

        threads = [thread_of(declare, i, range(i, uploads, 4)) for i in range(4)]
        for thread in threads:
            thread.join(300)
        say("free space left: %d kB", shutil.disk_usage(filestore).free // 1024)
        say("users got: %s", tally(str(r[1]) for r in results))
        for message in sorted({"%s: %s" % (r[1], r[2]) for r in results
                               if r[1] not in (302, 303)}):
            say("    they read: %s", message)
        for result in results:
            if TRACEBACK in result[2] or result[1] not in (302, 303, 400):
                violation("declaring on a full disk: %s", result)
        proofs_without_file("Disk %s %%" % TAG)
        integrity("disk-full (disk still full)")
        say("room is made again (the filler file is deleted); the same users retry")
        os.unlink(filler)
        room_made = time.time()
        refused = [r for r in results if r[1] not in (302, 303)]
        retried, first_saved = [], None
        for name, _status, _message in refused:
            status, message = people[0].declare(name + " again", PNG + os.urandom(
                file_kb * 1024))
            retried.append(status)
            if status in (302, 303) and first_saved is None:
                first_saved = time.time() - room_made
        say("retries got: %s; the first one saved %s after room was made",
            tally(str(s) for s in retried) or "nothing to retry",
            "%.1f s" % first_saved if first_saved is not None else "-")
        if any(status not in (302, 303) for status in retried):
            violation("declarations still refused once room was made: %s", retried)
        proofs_without_file("Disk %s %%" % TAG)
        servers_recover("disk-full")
        integrity("disk-full (room made again)")
    finally:
        unmount_small_filestore()


FAULTS = {
    "double-approval": fault_double_approval,
    "worker-kill": fault_worker_kill,
    "pg-restart": fault_pg_restart,
    "disk-full": fault_disk_full,
}
# The order of "all": the quick check first, the file system last.
ORDER = ["double-approval", "worker-kill", "pg-restart", "disk-full"]
SUMMARIES = {
    "double-approval": "the same proof approved at the same instant on both "
                       "servers directly: one award",
    "worker-kill": "the HTTP workers of server 1 killed during approvals through "
                   "nginx: the other serves, the master forks new ones",
    "pg-restart": "PostgreSQL stopped a few seconds while users work through "
                  "nginx: the servers reconnect without a restart",
    "disk-full": "the shared filestore full during uploads through nginx: a "
                 "clear refusal, nothing half-saved, saved once room is made",
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="faults: %s; all: every one, in that order" % ", ".join(ORDER))
    parser.add_argument("fault", nargs="*", metavar="FAULT",
                        help="%s or all" % "|".join(ORDER))
    parser.add_argument("--source-db", default="faults_db",
                        help="installed database (demo data) copied for the run")
    parser.add_argument("--keep-db", action="store_true",
                        help="reuse the copy of the previous run")
    parser.add_argument("--base-port", type=int, default=8400,
                        help="nginx's port; the servers take the next four (8400)")
    parser.add_argument("--workers", type=int, default=2,
                        help="HTTP workers per Odoo server (2)")
    parser.add_argument("--timeout", type=int, default=1500,
                        help="seconds after which the run stops and cleans up (1500)")
    parser.add_argument("--list", action="store_true",
                        help="print the faults and exit")
    args = parser.parse_args(argv)
    if not args.fault and not args.list:
        parser.error("name at least one fault, or all")
    unknown = [name for name in args.fault if name not in ORDER + ["all"]]
    if unknown:
        parser.error("unknown fault %s (choose from %s, all)" % (
            ", ".join(unknown), ", ".join(ORDER)))
    args.faults = ORDER if "all" in args.fault else [
        name for name in ORDER if name in args.fault]
    return args


def stop_on_signal(signum, _frame):
    raise SystemExit("stopped by signal %d: cleaning up" % signum)


def cleanup():
    """Everything the run started, whatever happened: the filestore's mount,
    the deployment (nginx, both servers), the cluster."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut it
    signal.alarm(0)
    steps = [("unmount the filestore", unmount_small_filestore),
             ("stop the deployment", DEPLOYMENT.stop if DEPLOYMENT else None),
             ("stop the cluster", CLUSTER.stop)]
    for label, step in steps:
        if step is None:
            continue
        try:
            step()
        except Exception as error:  # pylint: disable=broad-except
            say("cleanup: could not %s: %s", label, error)


def main(argv=None):
    global FIXTURES, DEPLOYMENT, RUN_STARTED
    args = parse_args(argv)
    if args.list:
        for name in ORDER:
            print("%-16s %s" % (name, SUMMARIES[name]))
        return 0
    if os.geteuid() != 0:
        raise SystemExit("run as root: the faults stop PostgreSQL and mount a "
                         "file system")
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, stop_on_signal)
    signal.alarm(args.timeout)
    os.makedirs(WORK, exist_ok=True)
    started = time.time()
    say("load average %s; %d CPUs; faults: %s (stops after %d s at most)",
        load_average(), os.cpu_count(), " ".join(args.faults), args.timeout)
    DEPLOYMENT = Deployment(args.base_port, args.workers)
    try:
        # What a run killed with SIGKILL may have left.
        unmount_small_filestore()
        DEPLOYMENT.serve("stop", timeout=120)
        CLUSTER.start()
        if not args.keep_db:
            CLUSTER.copy_database(args.source_db)
        RUN_STARTED = subprocess.run(
            CLUSTER.psql_cmd(DB, "SELECT now() AT TIME ZONE 'UTC'"),
            stdout=subprocess.PIPE, universal_newlines=True,
            check=True).stdout.strip()
        DEPLOYMENT.start()
        FIXTURES = Fixtures(Admin(site()))
        for name in args.faults:
            before = len(violations)
            began = time.time()
            FAULTS[name]()
            say("== %s: %s in %.0f s (load average %s)\n", name,
                "PASSED" if len(violations) == before else "FAILED",
                time.time() - began, load_average())
    finally:
        cleanup()
    say("%d violation(s) in %.0f s (load average %s)", len(violations),
        time.time() - started, load_average())
    for text in violations:
        print("  - " + text)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
