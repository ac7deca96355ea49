"""The mail catcher the test server sends through (maildev, started by
scripts/test.sh; MAILDEV_URL): its REST API read as a mailbox, and the test
server's mail queue flushed on demand (the test server runs no cron)."""
import os
import time

import pytest
import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
