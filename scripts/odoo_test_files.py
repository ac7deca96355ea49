#!/usr/bin/env python3
"""Odoo's command line, where ``--test-file`` may name several test files of the
addon, comma-separated: each is imported (Odoo 11 only runs a test file that is
already imported) and run after the registry is loaded. Used by dev_test.sh."""
import importlib
import os
import sys

import odoo
from odoo.service import server

_run_one = server.load_test_file_py


def load_test_files(registry, test_files):
    for test_file in test_files.split(","):
        path = os.path.abspath(test_file)
        parts = path[: -len(".py")].split(os.sep)
        # .../ambassador_program/tests/test_x.py -> odoo.addons.ambassador_program...
        name = "odoo.addons.%s" % ".".join(parts[-3:])
        importlib.import_module(name)
        _run_one(registry, path)


server.load_test_file_py = load_test_files

if __name__ == "__main__":
    sys.exit(odoo.cli.main())
