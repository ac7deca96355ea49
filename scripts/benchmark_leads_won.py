#!/usr/bin/env python3
"""Benchmark of one write marking many ambassadors' leads won (issue 15).

Generates ambassadors with the ledger benchmark's generator
(``scripts/benchmarks/generate.py``, ``BENCH-<n>`` references), gives each
active one a lead passed on by it (``crm.lead`` created through the ORM,
mail tracking off), then times the one ``write`` that moves them all to a won
stage: ``crm.lead._ambassador_sync_milestones`` awards two ledger lines per
lead (qualified and won) through ``ambassador.point.transaction._award``.
Prints the seconds, the queries and the lines written, beside the raw
``INSERT ... SELECT`` of the same lines (the twin). Always rolled back::

    ~/.cache/ambassador_program/venv/bin/python scripts/benchmark_leads_won.py \\
        --db ledgerbulk_db --leads 1000
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmarks import common, generate  # noqa: E402

TWIN_SQL = """
    INSERT INTO ambassador_point_transaction
        (partner_id, segment_id, rule_id, points, date, origin, lead_id,
         lead_round, note, create_uid, create_date, write_uid, write_date)
    SELECT l.ambassador_partner_id, p.ambassador_segment_id, r.id, r.points,
           now() at time zone 'UTC', 'lead', l.id, 1, 'twin', 1,
           now() at time zone 'UTC', 1, now() at time zone 'UTC'
    FROM crm_lead l
    JOIN res_partner p ON p.id = l.ambassador_partner_id
    CROSS JOIN ambassador_point_rule r
    WHERE l.id = ANY(%s) AND r.code IN ('lead_qualified', 'lead_won')
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark one write marking many leads won.")
    common.add_database_arguments(parser)
    common.add_run_arguments(parser, "reuse the ambassadors of an earlier run")
    parser.add_argument("--leads", type=int, default=1000,
                        help="leads (one per active ambassador) marked won")
    parser.set_defaults(ambassadors=1200, rollback=True)
    args = parser.parse_args(argv)
    common.check_common_arguments(parser, args)
    args.rollback = True
    return args


def run(args):
    with common.environment(args) as env:
        generator = generate.Generator(env)
        existing, _lines = generate.prepare(generator, args)
        if existing < args.ambassadors:
            common.log("generating %d ambassadors ..." % (args.ambassadors - existing))
            generator.generate(existing + 1, args.ambassadors, 0)
        cr = env.cr
        cr.execute(
            "SELECT id FROM res_partner WHERE ref LIKE %s "
            "AND ambassador_state = 'active' ORDER BY id LIMIT %s",
            (generate.REF_PREFIX + "%", args.leads))
        partner_ids = [row[0] for row in cr.fetchall()]
        Stage = env["crm.stage"]
        won = Stage.search([("probability", "=", 100)], limit=1)
        first = Stage.search([("probability", "<", 100)], order="sequence", limit=1)
        Lead = env["crm.lead"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        common.log("creating %d leads ..." % len(partner_ids))
        leads = Lead.browse()
        for partner_id in partner_ids:
            leads |= Lead.create({
                "name": "Bench lead %d" % partner_id, "type": "lead",
                "ambassador_partner_id": partner_id, "stage_id": first.id})
        Ledger = env["ambassador.point.transaction"]
        before_lines = Ledger.search_count([("lead_id", "in", leads.ids)])
        common.log("writing the won stage on %d leads ..." % len(leads))
        queries = cr.sql_log_count
        started = time.perf_counter()
        leads.write({"stage_id": won.id})
        seconds = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        lines = Ledger.search_count([("lead_id", "in", leads.ids)]) - before_lines
        cr.execute("SAVEPOINT twin")
        started = time.perf_counter()
        cr.execute(TWIN_SQL, (leads.ids,))
        raw_seconds = time.perf_counter() - started
        twin = cr.rowcount
        cr.execute("ROLLBACK TO SAVEPOINT twin")
        load = os.getloadavg()
    print()
    print("Leads won in one write: %d leads in %s (load average %s)"
          % (len(leads), args.db, ", ".join("%.2f" % x for x in load)))
    print("%-30s %9s %11s %7s %9s %7s" % (
        "operation", "Odoo (s)", "raw SQL (s)", "ratio", "queries", "lines"))
    print("%-30s %9.3f %11.3f %6.1fx %9d %7d (twin %d)" % (
        "write stage won", seconds, raw_seconds,
        seconds / raw_seconds if raw_seconds else 0, queries, lines, twin))
    ok = lines == twin
    print("RESULT: %s" % ("OK" if ok else "PROBLEM (lines differ from the twin)"))
    return 0 if ok else 1


def main(argv=None):
    return common.run_command(parse_args, run, argv)


if __name__ == "__main__":
    sys.exit(main())
