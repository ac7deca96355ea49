"""Incoming e-mail for real (issue 18): a raw RFC 822 message with an
attachment, piped into the mail gateway script (scripts/mailgate.py, the
equivalent of Odoo's odoo-mailgate.py) against the live test server, as an
agency's MTA does for the catch-all alias (README, "Mail"), becomes a proof of
the ambassador who sent it; the ambassador is told in its language, by an
e-mail delivered to the mail catcher."""
import os
import subprocess
import sys
import time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from urllib.parse import urlsplit

import pytest

from mail_catcher import (  # noqa: F401 (maildev_url: a fixture)
    REPO_ROOT, Inbox, maildev_url)
from test_website_browser import Rpc

MAILGATE = os.path.join(REPO_ROOT, "scripts", "mailgate.py")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def rpc(odoo_url, odoo_db):
    rpc = Rpc(odoo_url, odoo_db)
    return rpc


def raw_message(sender, subject, alias):
    message = MIMEMultipart()
    message["From"] = sender
    message["To"] = "%s@ambassadors.example" % alias
    message["Subject"] = subject
    message["Message-Id"] = "<%s@agency.example>" % time.time()
    message.attach(MIMEText("Interview about the territory on Radio Kyoto.", "plain"))
    part = MIMEApplication(PDF, _subtype="pdf")
    part.add_header("Content-Disposition", "attachment", filename="interview.pdf")
    message.attach(part)
    return message.as_bytes()


def mailgate(odoo_url, odoo_db, raw, *extra):
    url = urlsplit(odoo_url)
    return subprocess.run(
        [sys.executable, MAILGATE, "-d", odoo_db, "-u", "1", "-p", "admin",
         "--host", url.hostname, "--port", str(url.port)] + list(extra),
        input=raw, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def test_proof_by_email_through_the_gateway(
        rpc, odoo_url, odoo_db, maildev_url):  # noqa: F811
    stamp = "%d" % (time.time() * 1000)
    email = "marie.mailgate.%s@example.org" % stamp
    partner = rpc("res.partner", "create", {
        "name": "Marie Passerelle", "email": email, "lang": "fr_FR",
        "ambassador_state": "active",
        "ambassador_segment_id": rpc("ir.model.data", "xmlid_to_res_id",
                                     "ambassador_program.segment_visit")})
    alias = rpc("mail.alias", "read", [rpc("ir.model.data", "xmlid_to_res_id",
                                           "ambassador_program.mail_alias_proofs")],
                ["alias_name"])[0]["alias_name"]
    subject = "Radio interview %s" % stamp
    done = mailgate(odoo_url, odoo_db,
                    raw_message('"Marie" <%s>' % email.upper(), subject, alias))
    assert done.returncode == 0, done.stderr.decode()
    proofs = rpc("ambassador.proof", "search_read", [("name", "=", subject)],
                 fields=["partner_id", "channel", "state", "attachment_ids"])
    assert len(proofs) == 1, proofs
    proof = proofs[0]
    assert proof["partner_id"][0] == partner
    assert (proof["channel"], proof["state"]) == ("email", "unconfirmed")
    files = rpc("ir.attachment", "read", proof["attachment_ids"],
                ["datas_fname", "mimetype"])
    assert [(f["datas_fname"], f["mimetype"]) for f in files] == [
        ("interview.pdf", "application/pdf")]
    # The ambassador is asked, in French, to confirm it in its space.
    [notice] = Inbox(maildev_url, rpc).wait(email)
    assert notice["subject"] == (
        "Un justificatif a été reçu en votre nom : veuillez le confirmer")


def test_gateway_unreachable_asks_the_mta_to_retry(odoo_db):
    raw = raw_message("nobody@example.org", "Lost", "proofs")
    down = subprocess.run(
        [sys.executable, MAILGATE, "-d", odoo_db, "--host", "127.0.0.1",
         "--port", "9", "--retry-status", "--timeout", "10"],
        input=raw, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert down.returncode == 75, down.stderr
    assert b"cannot reach Odoo" in down.stderr
