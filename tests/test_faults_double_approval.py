"""Two servers on one database (the way agencies scale out): the same proof
approved from both at the very same moment gives one award, and the second
user reads why (a UserError dialog, no traceback). A second Odoo server, in
prefork mode (--workers=2), is started beside the live one for this test.
The longer faults are run by command: scripts/faults/run_faults.py (README)."""
import os
import socket
import subprocess
import threading
import time
import xmlrpc.client

import requests

from test_website_browser import Rpc

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Double-Approval-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def approve(url, session, proof_id):
    """The Approve button of the proof form, as the web client sends it."""
    response = session.post(url + "/web/dataset/call_button", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": "ambassador.proof", "method": "action_approve",
            "args": [[proof_id], {"lang": "en_US"}]}}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def at_once(calls):
    """Approve with each (url, session, proof id) in a thread of its own, all
    released at the same moment; returns the answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def click(index):
        barrier.wait()
        answers[index] = approve(*calls[index])

    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def second_server_answers(url):
    try:
        return requests.get(url + "/web/login", timeout=5).ok
    except requests.RequestException:
        return False


def test_same_proof_approved_from_two_servers_at_once(odoo_url, odoo_db):
    port = free_port()
    log = os.path.join(REPO_ROOT, "var", "double-approval-server.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    second = subprocess.Popen(
        ["bash", "-c", 'source "$0"; odoo_exec "$@"',
         os.path.join(REPO_ROOT, "scripts", "common.sh"), "-d", odoo_db,
         "--db-filter=^%s$" % odoo_db, "--http-interface=127.0.0.1",
         "--http-port=%d" % port, "--longpolling-port=%d" % free_port(),
         "--workers=2", "--max-cron-threads=0", "--log-level=warn",
         "--logfile=%s" % log],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second_url = "http://127.0.0.1:%d" % port
    try:
        rpc = Rpc(odoo_url, odoo_db)
        tag = "%d" % (time.time() * 1000)
        staff_login = "double.approval.%s@example.com" % tag
        rpc("res.users", "create", {
            "name": "Double Approval Staff", "login": staff_login,
            "password": PASSWORD, "email": staff_login,
            "groups_id": [(6, 0, [rpc.ref("ambassador_program.group_ambassador_user"),
                                  rpc.ref("base.group_user")])]},
            context={"no_reset_password": True})
        rule_id = rpc.ref("ambassador_program.rule_partnership")
        segment_id = rpc.ref("ambassador_program.segment_study")
        partner_id = rpc("res.partner", "create", {
            "name": "Double Approval %s" % tag, "email": "da.%s@example.com" % tag,
            "ambassador_state": "active", "ambassador_segment_id": segment_id},
            context={"ambassador_consent_reason": "Test fixture: chosen by the person"})
        proof_ids = [rpc("ambassador.proof", "create", {
            "name": "Double approval %d" % n, "partner_id": partner_id,
            "rule_id": rule_id, "url": "https://example.com/double"})
            for n in range(3)]

        deadline = time.time() + 45
        while not second_server_answers(second_url):
            assert second.poll() is None, "the second server exited (log %s)" % log
            assert time.time() < deadline, "the second server did not start"
            time.sleep(0.3)

        urls = [odoo_url, second_url]
        sessions = []
        for url in urls:
            session = requests.Session()
            answer = session.post(url + "/web/session/authenticate", json={
                "jsonrpc": "2.0", "params": {"db": odoo_db, "login": staff_login,
                                             "password": PASSWORD}}, timeout=60)
            assert answer.json()["result"]["uid"]
            sessions.append(session)

        for proof_id in proof_ids:
            answers = at_once([(urls[index], sessions[index], proof_id)
                               for index in (0, 1)])
            errors = [answer["error"] for answer in answers if "error" in answer]
            assert len(errors) == 1, answers
            data = errors[0]["data"]
            assert data["name"] == "odoo.exceptions.UserError", data
            assert "was already decided" in data["message"]
            assert rpc("ambassador.point.transaction", "search_count",
                       [("proof_id", "=", proof_id)]) == 1

        balance = rpc("res.partner", "read", [partner_id],
                      ["ambassador_balance"])[0]["ambassador_balance"]
        ledger = rpc("ambassador.point.transaction", "search_read",
                     [("partner_id", "=", partner_id)], ["points"])
        assert balance == sum(line["points"] for line in ledger)
        # Losing the race is no error for the operators either (the live
        # server's log is checked by the test run itself).
        with open(log, errors="replace") as handle:
            errors = [line for line in handle if " ERROR " in line]
        assert not errors, errors[:5]
    except xmlrpc.client.Fault as fault:
        raise AssertionError(fault.faultString[-500:])
    finally:
        second.terminate()
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait()
