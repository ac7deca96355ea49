# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: the status engine has its own model and the ledger owns the
balances. The two scheduled actions are data in a noupdate file, so an upgrade
keeps them as they were: point them at their new home."""
from odoo import SUPERUSER_ID, api

MOVED_CRONS = {
    "ambassador_program.cron_annual_review": (
        "ambassador_program.model_ambassador_status_engine",
        "model._cron_annual_review()",
    ),
    "ambassador_program.cron_check_balances": (
        "ambassador_program.model_ambassador_point_transaction",
        "model._cron_check_balances()",
    ),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for cron_xmlid, (model_xmlid, code) in MOVED_CRONS.items():
        cron = env.ref(cron_xmlid, raise_if_not_found=False)
        model = env.ref(model_xmlid, raise_if_not_found=False)
        if cron and model:
            cron.write({"model_id": model.id, "code": code})
