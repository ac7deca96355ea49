"""The mail catcher the test server sends through (maildev, started by
scripts/test.sh; MAILDEV_URL): its REST API read as a mailbox, and the test
server's mail queue flushed on demand (the test server runs no cron)."""
import base64
import os
import re
import time

import pytest
import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PENDING_FRENCH = os.path.join(REPO_ROOT, "i18n_pending", "fr_mail.po")


class Inbox(object):
    def __init__(self, url, rpc):
        self.url, self.rpc = url.rstrip("/"), rpc

    def flush(self):
        """Run the mail queue's scheduled action ("Mail: Email Queue
        Manager") once, as the cron does on a server that runs crons."""
        if not getattr(self, "queue_cron", None):
            self.queue_cron = self.rpc("ir.model.data", "xmlid_to_res_id",
                                       "mail.ir_cron_mail_scheduler_action")
        self.rpc("ir.cron", "method_direct_trigger", [self.queue_cron])

    def messages(self):
        response = requests.get(self.url + "/email", timeout=30)
        response.raise_for_status()
        return response.json()

    def to(self, address):
        address = address.lower()
        return [message for message in self.messages()
                if address in [to["address"].lower() for to in message.get("to") or []]]

    def wait(self, address, count=1, timeout=60):
        """The messages delivered to ``address`` once there are ``count`` of
        them, sending the test server's mail queue meanwhile."""
        deadline = time.time() + timeout
        while True:
            self.flush()
            found = self.to(address)
            if len(found) >= count or time.time() > deadline:
                assert len(found) >= count, "%d message(s) to %s, %d expected: %s" % (
                    len(found), address, count, [m["subject"] for m in found])
                return sorted(found, key=lambda message: message["time"])
            time.sleep(0.5)

    def html(self, message):
        response = requests.get("%s/email/%s/html" % (self.url, message["id"]),
                                timeout=30)
        response.raise_for_status()
        return response.text


@pytest.fixture(scope="session")
def maildev_url():
    url = os.environ.get("MAILDEV_URL")
    if not url:
        pytest.fail("MAILDEV_URL is not set: run these tests through scripts/test.sh")
    return url


def load_pending_french(rpc):
    """French of the programme's e-mails not yet in the addon's catalogue
    (i18n_pending/, merged into i18n/fr.po by the lead), loaded into the test
    database as Odoo's own "Import Translation" does."""
    if not os.path.exists(PENDING_FRENCH):
        return
    with open(PENDING_FRENCH, encoding="utf-8") as handle:
        names = set(re.findall(
            r"model:mail\.template,\w+:ambassador_program\.(\w+)", handle.read()))
    # The catalogue's older French of these templates goes first: it would
    # win over the pending one (another source text).
    templates = rpc("ir.model.data", "search_read",
                    [("module", "=", "ambassador_program"),
                     ("model", "=", "mail.template"), ("name", "in", list(names))],
                    fields=["res_id"])
    old = rpc("ir.translation", "search", [
        ("lang", "=", "fr_FR"), ("type", "=", "model"),
        ("name", "like", "mail.template,"),
        ("res_id", "in", [row["res_id"] for row in templates])])
    if old:
        rpc("ir.translation", "unlink", old)
    with open(PENDING_FRENCH, "rb") as handle:
        data = base64.b64encode(handle.read()).decode()
    wizard = rpc("base.language.import", "create", {
        "name": "Français", "code": "fr_FR", "data": data,
        "filename": "fr_mail.po", "overwrite": True})
    rpc("base.language.import", "import_lang", [wizard])
