#!/usr/bin/env python3
"""Odoo's command line, where ``--test-file`` may name several test files of the
addon, comma-separated: each is imported (Odoo 11 only runs a test file that is
already imported) and run after the registry is loaded. Used by dev_test.sh."""
import importlib
import logging
import os
import sys
import threading
import unittest

import odoo
from odoo.service import server

_logger = logging.getLogger("odoo.service.server")


def load_test_files(registry, test_files):
    """Odoo's load_test_file_py, for several files, finding each module by its
    name (Odoo's own scan of sys.modules trips on namespace packages, whose
    __file__ is None)."""
    for test_file in test_files.split(","):
        path = os.path.abspath(test_file)
        parts = path[: -len(".py")].split(os.sep)
        # .../ambassador_program/tests/test_x.py -> odoo.addons.ambassador_program...
        module = importlib.import_module("odoo.addons.%s" % ".".join(parts[-3:]))
        suite = unittest.TestLoader().loadTestsFromModule(module)
        _logger.info("running tests %s.", module.__name__)
        stream = odoo.modules.module.TestStream()
        # As Odoo's own test runner: test mode (no SMTP session, e-mails
        # "sent" at once), so that a file behaves here as in scripts/test.sh.
        threading.currentThread().testing = True
        try:
            result = unittest.TextTestRunner(verbosity=2, stream=stream).run(suite)
        finally:
            threading.currentThread().testing = False
        registry._assertion_report.record_result(result.wasSuccessful())
        if not result.wasSuccessful():
            _logger.error("%s: at least one error occurred in a test", test_file)


server.load_test_file_py = load_test_files

if __name__ == "__main__":
    sys.exit(odoo.cli.main())
