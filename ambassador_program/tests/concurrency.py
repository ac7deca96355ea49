# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Requests at the same moment, for the tests that show a quota or a unique
award holds under concurrency."""
import threading

from odoo import api
from odoo.service.model import check as as_a_request
from odoo.tools import mute_logger


def at_once(registry, works, classify=None, timeout=60):
    """Run each ``(uid, work)`` of ``works`` — ``work(env)`` — in its own
    thread and transaction, started together, through Odoo's request wrapper
    (which replays a serialisation failure, as for a real request). Returns
    the sorted outcomes: "ok", or ``classify(error)`` (by default the error's
    class name: the loser fails, whatever the way)."""
    classify = classify or (lambda error: type(error).__name__)
    barrier = threading.Barrier(len(works))
    outcomes = []

    def run(uid, work):
        started = []

        def request(dbname):
            with api.Environment.manage(), registry.cursor() as cr:
                if not started:
                    started.append(True)
                    barrier.wait(timeout=10)
                work(api.Environment(cr, uid, {}))

        try:
            as_a_request(request)(registry.db_name)
            outcomes.append("ok")
        except Exception as error:  # shown in the caller's assertion
            outcomes.append(classify(error))

    with mute_logger("odoo.sql_db", "odoo.service.model"):
        threads = [threading.Thread(target=run, args=work) for work in works]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
    return sorted(outcomes)
