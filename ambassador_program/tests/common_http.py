import requests

import odoo
from odoo import api
from odoo.tests import common


class SharedCursorHttpCase(common.HttpCase):
    """HttpCase whose ``self.env`` writes through the cursor the test server
    reads. In 11.0, TransactionCase opens ``self.cr`` before HttpCase enters
    the registry's test mode, so records made in a test were invisible to the
    requests (404 pages, failed logins). Everything is still rolled back: the
    test cursor when the registry leaves test mode, then the private one."""

    @classmethod
    def setUpClass(cls):
        super(SharedCursorHttpCase, cls).setUpClass()
        # The first request after an install may reload the registry (its
        # signaling): made here, before a test enters the test mode, so that the
        # tests' requests run on the registry holding their records. It also
        # compiles the asset bundles once.
        requests.get("http://%s:%s/web/login" % (common.HOST, common.PORT),
                     timeout=300)

    def setUp(self):
        super(SharedCursorHttpCase, self).setUp()
        private = self.cr
        # The server's cursor itself, without taking its lock (registry.cursor()
        # would hold it for the whole test and block every request).
        self.cr = self.registry.test_cr
        self.env = api.Environment(self.cr, odoo.SUPERUSER_ID, {})

        @self.addCleanup
        def restore():  # runs first: TransactionCase closes its own cursor
            self.env.reset()
            self.cr = private
            self.env = api.Environment(private, odoo.SUPERUSER_ID, {})

    def sync(self):
        """Keep the test's writes when a request rolls the shared cursor back
        (TestCursor.commit only moves its savepoint)."""
        self.cr.commit()  # pylint: disable=invalid-commit

    def url_open(self, url, data=None, timeout=60):
        self.sync()
        # The first page of a run compiles the asset bundles (lessc): slow.
        return super(SharedCursorHttpCase, self).url_open(
            url, data=data, timeout=max(timeout, 60))

    def authenticate(self, user, password):
        self.sync()
        return super(SharedCursorHttpCase, self).authenticate(user, password)
