"""The parts of the fault harness (scripts/faults/run_faults.py) that can be
checked in seconds, without Odoo: its arguments and list of faults, how it
finds the HTTP workers of a prefork master among the master's children, and
the page nginx gives a user when no Odoo server answers (serve.sh's
configuration, rendered for the harness's own PostgreSQL and data_dir). The
faults themselves take minutes: README, "Faults survived"."""
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from free_ports import free_block

# Needs no live server: scripts/test.sh runs it beside the Odoo tests.
pytestmark = pytest.mark.standalone

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(REPO_ROOT, "scripts", "faults", "run_faults.py")
SERVE = os.path.join(REPO_ROOT, "scripts", "production", "serve.sh")
ORDER = ["double-approval", "worker-kill", "pg-restart", "disk-full"]


def load_harness():
    spec = importlib.util.spec_from_file_location("run_faults", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def faults_ports(size=5, first=8320, last=8339):
    """``size`` consecutive free loopback ports for the harness."""
    base = free_block(first, last, size)
    if base is None:
        pytest.skip("no %d free ports between %d and %d" % (size, first, last))
    return base


def test_faults_listed_and_chosen_in_their_order():
    harness = load_harness()
    assert harness.ORDER == ORDER
    assert sorted(harness.FAULTS) == sorted(ORDER)
    assert harness.parse_args(["all"]).faults == ORDER
    chosen = harness.parse_args(["disk-full", "double-approval"])
    assert chosen.faults == ["double-approval", "disk-full"]
    assert (chosen.base_port, chosen.workers, chosen.source_db) == (
        8400, 2, "faults_db")
    listed = subprocess.run([sys.executable, HARNESS, "--list"],
                            stdout=subprocess.PIPE, universal_newlines=True,
                            timeout=60)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ORDER


@pytest.mark.parametrize("argv", [["bogus"], [], ["all", "--timeout", "soon"]])
def test_bad_arguments_refused_before_anything_starts(argv):
    refused = subprocess.run([sys.executable, HARNESS] + argv,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, timeout=60)
    assert refused.returncode == 2
    assert "usage:" in refused.stderr
    assert "Traceback" not in refused.stderr


# A stand-in for Odoo's prefork master (odoo/service/server.py): it listens,
# forks two HTTP workers that keep the socket, a cron worker that lowers its
# priority and has not closed the socket yet, and one that closed it.
FAKE_MASTER = r'''
import json, os, socket, sys, time
sock = socket.socket()
sock.bind(("127.0.0.1", int(sys.argv[1])))
sock.listen(8)
children = {}
for kind in ("http", "http", "cron_starting", "cron"):
    pid = os.fork()
    if pid == 0:
        if kind.startswith("cron"):
            os.nice(10)
        if kind == "cron":
            sock.close()
        time.sleep(120)
        os._exit(0)
    children.setdefault(kind, []).append(pid)
print(json.dumps(children), flush=True)
time.sleep(120)
'''


def test_http_workers_are_the_children_holding_the_socket():
    harness = load_harness()
    port = free_port()
    master = subprocess.Popen([sys.executable, "-c", FAKE_MASTER, str(port)],
                              stdout=subprocess.PIPE, universal_newlines=True,
                              start_new_session=True)
    try:
        children = json.loads(master.stdout.readline())
        assert harness.http_workers(master.pid, port) == sorted(children["http"])
        assert harness.http_workers(master.pid, free_port()) == []
        os.kill(children["http"][0], signal.SIGKILL)
        deadline = time.time() + 10
        while harness.http_workers(master.pid, port) != children["http"][1:]:
            assert time.time() < deadline, "a killed worker is still listed"
            time.sleep(0.05)
    finally:
        # The whole group: the fake master and its children.
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()


def test_nginx_tells_users_clearly_when_no_server_answers():
    """serve.sh's configuration for the harness (its PostgreSQL, its data_dir)
    and nginx alone, no Odoo behind it: the page a user gets in place of a
    bare 502."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.skip("nginx is not installed")
    base = faults_ports()
    serve_dir = tempfile.mkdtemp(prefix="faults-nginx-")
    env = dict(os.environ, SERVE_DIR=serve_dir, SERVE_DATA_DIR="/tmp/faults-data",
               SERVE_DB_HOST="127.0.0.1", SERVE_DB_PORT="8650")
    configured = subprocess.run(["bash", SERVE, "config", "faults_db", str(base)],
                                env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True,
                                timeout=60)
    assert configured.returncode == 0, configured.stdout
    with open(os.path.join(serve_dir, "odoo-2.conf")) as handle:
        conf = handle.read()
    for line in ("db_host = 127.0.0.1", "db_port = 8650",
                 "data_dir = /tmp/faults-data", "http_port = %d" % (base + 3),
                 "db_name = faults_db"):
        assert line + "\n" in conf
    prefix = os.path.join(serve_dir, "nginx")
    server = subprocess.Popen([nginx, "-p", prefix, "-c", prefix + "/nginx.conf"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/web/login" % base,
                                       timeout=10)
                pytest.fail("an answer with no Odoo behind nginx")
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
                break
            except urllib.error.URLError:
                assert time.time() < deadline, "nginx does not listen"
                time.sleep(0.2)
        assert status == 502
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        page = body.decode("utf-8")
        assert "Service momentanément indisponible" in page
        assert "Service briefly unavailable" in page
        assert '<div lang="en">' in page and "nginx" not in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(serve_dir)
