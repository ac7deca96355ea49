"""The production-shaped setup (scripts/production/serve.sh) starts, serves a
page through nginx to the Odoo servers and a static file from nginx itself,
keeps serving while a server's HTTP worker is killed (its master forks another,
found as scripts/faults/run_faults.py finds them), and stops everything it
started. Uses the test database (ODOO_DB) on a free block
of five loopback ports; a few tens of seconds."""
import contextlib
import gzip
import http.client
import importlib.util
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from free_ports import free_block

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVE = os.path.join(REPO_ROOT, "scripts", "production", "serve.sh")
HARNESS = os.path.join(REPO_ROOT, "scripts", "faults", "run_faults.py")
# The client's own loopback address: Odoo must log it (nginx's X-Forwarded-For
# read in proxy mode), not nginx's 127.0.0.1.
CLIENT_ADDRESS = "127.0.0.77"


def production_ports(size=5):
    # PRODUCTION_TEST_PORTS=FIRST-LAST: the block a developer may use.
    first, last = map(int, os.environ.get(
        "PRODUCTION_TEST_PORTS", "8550-8595").split("-"))
    base = free_block(first, last, size)
    if base is None:
        pytest.fail("no %d free ports between %d and %d" % (size, first, last))
    return base


def get(port, path, headers=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(CLIENT_ADDRESS, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def serve(action, db, port, env):
    return subprocess.run(["bash", SERVE, action, db, str(port)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120)


def read(path):
    with open(path, errors="replace") as log:
        return log.read()


def test_serve_through_nginx_and_stop(odoo_db):
    port = production_ports()
    serve_dir = tempfile.mkdtemp(prefix="production-")
    env = dict(os.environ, SERVE_DIR=serve_dir, WORKERS="1", CRON_THREADS="0",
               LOG_LEVEL="info", START_TIMEOUT="90")
    started = serve("start", odoo_db, port, env)
    try:
        assert started.returncode == 0, started.stdout
        assert os.path.join(serve_dir, "odoo-1.log") in started.stdout  # logs said

        status, headers, body = get(port, "/web/login")
        assert status == 200
        assert headers.get("Server") == "nginx"
        assert b'name="login"' in body
        odoo_logs = read(os.path.join(serve_dir, "odoo-1.log")) + read(
            os.path.join(serve_dir, "odoo-2.log"))
        assert "%s - - " % CLIENT_ADDRESS in odoo_logs, \
            "Odoo did not take the client's address from X-Forwarded-For"

        # Static files: Odoo's and ours from disk, gzipped, never reaching Odoo.
        status, headers, body = get(port, "/web/static/src/js/boot.js",
                                    {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers.get("Content-Encoding") == "gzip"
        assert b"odoo" in gzip.decompress(body)
        status, headers, body = get(
            port, "/ambassador_program/static/description/icon.png")
        assert status == 200
        assert headers.get("Content-Type") == "image/png"
        assert body.startswith(b"\x89PNG")
        odoo_logs = read(os.path.join(serve_dir, "odoo-1.log")) + read(
            os.path.join(serve_dir, "odoo-2.log"))
        assert "boot.js" not in odoo_logs and "icon.png" not in odoo_logs
        access = read(os.path.join(serve_dir, "nginx", "logs", "access.log"))
        assert "/ambassador_program/static/description/icon.png" in access

        # Longpolling: the gevent process answers through nginx (a GET is a
        # bad JSON request: Odoo's 400, not nginx's 502) and stays up (the
        # master respawns a process that dies: its start is logged again).
        time.sleep(3)
        status, headers, body = get(port, "/longpolling/poll")
        assert status == 400, (status, body[:300])
        starts = read(os.path.join(serve_dir, "odoo-1.log")).count(
            "Evented Service (longpolling) running")
        assert starts == 1, "the longpolling process started %d times" % starts

        assert serve("start", odoo_db, port, env).stdout.count("already running") == 3

        # Server 1's only HTTP worker killed: nginx keeps serving (through
        # server 2, or server 1's queue once its master forked a new worker).
        spec = importlib.util.spec_from_file_location("run_faults", HARNESS)
        harness = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(harness)
        master = int(read(os.path.join(serve_dir, "odoo-1.master.pid")))
        victims = harness.http_workers(master, port + 1)
        assert len(victims) == 1, victims
        os.kill(victims[0], signal.SIGKILL)
        for _attempt in range(3):
            assert get(port, "/web/login")[0] == 200
        deadline = time.time() + 60
        while not set(harness.http_workers(master, port + 1)) - set(victims):
            assert time.time() < deadline, "server 1's master forked no new worker"
            time.sleep(0.2)
        assert get(port + 1, "/web/login")[0] == 200  # server 1 itself
        assert serve("status", odoo_db, port, env).returncode == 0
    finally:
        pids = []
        for name in ("odoo-1", "odoo-2", "nginx"):
            # A component that never started has no pid file.
            with contextlib.suppress(OSError, ValueError):
                pids.append(int(read(os.path.join(serve_dir, name + ".pid"))))
        stopped = serve("stop", odoo_db, port, env)
        # Whatever the outcome, nothing of the test's stays behind.
        for pid in pids:
            # Gone already after a good stop.
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
    assert stopped.returncode == 0, stopped.stdout
    assert serve("status", odoo_db, port, env).returncode == 3
    for pid in pids:
        with pytest.raises(OSError):
            os.kill(pid, 0)
    shutil.rmtree(serve_dir)
