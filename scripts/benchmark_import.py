#!/usr/bin/env python3
"""Scale benchmark of the import of an existing programme (issue 12).

Generates a CSV file of ``--ambassadors`` rows (name, e-mail, segment, tier,
opening points, since-date, consents, languages, network countries, city),
imports it with the addon (``ambassador.import.job``: every row checked, then
contacts, opening balances, tiers of reason Import with their validity,
consents, lists, benefits), then writes the same rows with a raw PostgreSQL
``COPY`` into the same tables (its fair twin: contacts with the same columns,
ledger lines, status changes, consent log, language and country links), and
prints rows per second of each, the ratio, the peak memory of the import and
the end state of both, which must agree.

Run it with the venv's Python::

    ~/.cache/ambassador_program/venv/bin/python scripts/benchmark_import.py \\
        --db amb_bench --ambassadors 100000

Everything runs in one transaction that is rolled back at the end: the
database is left as it was (each half is also rolled back to a savepoint
before the other runs). Generated addresses end in ``@bench-import.invalid``.
"""
import argparse
import csv
import io
import logging
import os
import random
import resource
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmarks import common, report  # noqa: E402

DOMAIN = "bench-import.invalid"
HEADER = ["name", "email", "segment", "tier", "points", "since", "lang",
          "languages", "network_countries", "city", "consent_membership",
          "consent_newsletter", "consent_wall"]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark the import of ambassadors next to a raw COPY.")
    common.add_database_arguments(parser)
    parser.add_argument("--output-dir", default=common.DEFAULT_OUTPUT)
    parser.add_argument("--db-user", default=os.environ.get("DB_USER") or
                        __import__("getpass").getuser())
    parser.add_argument("--db-host", default=os.environ.get("PGHOST"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT"))
    parser.add_argument("--seed", type=float, default=0.42, help="random seed (-1..1)")
    args = parser.parse_args(argv)
    if args.ambassadors < 20:
        parser.error("--ambassadors must be at least 20")
    args.rollback = True  # always: see the module's docstring
    return args


def rss_mb():
    """Peak resident memory of this process so far, in MB (Linux: KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------
# The file
# ----------------------------------------------------------------------
def programme(env):
    """Segments, tiers (by sequence) and thresholds {(tier, segment): points}."""
    segments = env["ambassador.segment"].search([])
    tiers = env["ambassador.tier"].search([], order="sequence")
    thresholds = {(t.tier_id.id, t.segment_id.id): t.points
                  for t in env["ambassador.tier.threshold"].search([])}
    return segments, tiers, thresholds


def generate_file(env, size, seed):
    """CSV bytes of ``size`` ambassadors whose points agree with their tier
    (the engine moves nobody after the import: both halves end alike)."""
    rng = random.Random(seed)
    segments, tiers, thresholds = programme(env)
    today = date.today()
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    for n in range(size):
        segment = segments[n % len(segments)]
        rank = 0 if n % 100 < 80 else 1 if n % 100 < 95 else 2 if n % 100 < 99 else 3
        rank = min(rank, len(tiers) - 1)
        low = thresholds.get((tiers[rank].id, segment.id), 0) if rank else 0
        high = (thresholds.get((tiers[rank + 1].id, segment.id), low + 500) - 1
                if rank + 1 < len(tiers) else low + 500)
        points = rng.randint(low, max(low, high))
        since = today - timedelta(days=rng.randint(1, 5 * 365))
        writer.writerow([
            "Bench Import %d" % n, "ambassador.%d@%s" % (n, DOMAIN), segment.code,
            tiers[rank].code, points, since.isoformat(), "",
            "fr;en" if n % 2 else "en", "FR;DE" if n % 10 == 0 else "",
            "Lyon", "yes", "yes" if n % 2 else "no", "yes" if n % 3 == 0 else "",
        ])
    return stream.getvalue().encode("utf-8")


# ----------------------------------------------------------------------
# The two halves
# ----------------------------------------------------------------------
def manager(env):
    """A programme manager to import as (created inside the transaction)."""
    group = env.ref("ambassador_program.group_ambassador_manager")
    return env["res.users"].with_context(no_reset_password=True).create({
        "name": "Benchmark importer", "login": "bench-import-manager@" + DOMAIN,
        "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])]})


def queue_import(env, content, user):
    """The manager's Import button on a file above the synchronous size: the
    file is checked and the job queued for the cron."""
    import base64
    env["ir.config_parameter"].set_param("ambassador_program.import_sync_rows", "0")
    Job = env["ambassador.import.job"].sudo(user)
    job = Job.create({"file": base64.b64encode(content), "filename": "bench.csv",
                      "name": "Benchmark"})
    job.action_import()
    if job.state != "queued":
        raise common.BenchError("the import was not queued:\n%s"
                                % (job.error_report or "")[:2000])
    return job


def run_import(job):
    """The addon's import, as the cron runs a queued job (it checks the file
    again: the rows may have changed since the click)."""
    job = job._run_queued()
    if job.state != "done":
        raise common.BenchError("the import was refused:\n%s"
                                % (job.error_report or "")[:2000])
    return job


def copy_rows(cr, table, columns, rows):
    """COPY ``rows`` (tuples) into ``table``."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(
            "\\N" if value is None else str(value).replace("\\", "\\\\")
            .replace("\t", "\\t").replace("\n", "\\n") for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cr.copy_expert("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns)), buffer)


def run_copy(env, content, user):
    """The raw twin: read the same file, map names to ids, COPY the same rows
    (no checks, no ORM): contacts (with their tier, validity and balance),
    ledger lines, status changes, consent log, language and country links."""
    from dateutil.relativedelta import relativedelta
    cr = env.cr
    Partner = env["res.partner"]
    segments, tiers, _thresholds = programme(env)
    segment_ids = {s.code: s.id for s in segments}
    tier_by_code = {t.code: t for t in tiers}
    langs = {lang.iso_code: lang.id for lang in env["res.lang"].with_context(
        active_test=False).search([])}
    countries = {c.code: c.id for c in env["res.country"].search([])}
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    cr.execute("SELECT nextval('res_partner_id_seq') FROM generate_series(1, %s)",
               (len(rows),))
    ids = [row[0] for row in cr.fetchall()]
    stored = [name for name, field in Partner._fields.items()
              if field.store and field.column_type and not field.compute]
    defaults = {name: Partner._fields[name].convert_to_column(value, Partner)
                for name, value in Partner.default_get(stored).items()}
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    today = date.today()
    fixed = dict(defaults, ambassador_state="active", partner_share=True,
                 create_uid=user.id, write_uid=user.id, create_date=now,
                 write_date=now)
    explicit = [
        "id", "name", "display_name", "email", "ambassador_segment_id",
        "ambassador_since", "ambassador_tier_id", "ambassador_tier_valid_until",
        "ambassador_balance", "commercial_partner_id", "city"]
    fixed_names = sorted(set(fixed) - set(explicit))
    columns = fixed_names + explicit
    partners, lines, changes, consents, links, countries_rel = [], [], [], [], [], []
    for pid, row in zip(ids, rows):
        tier = tier_by_code[row["tier"]]
        since = date(*map(int, row["since"].split("-")))
        valid_until = None
        if tier.committee_required and tier.validity_months:
            valid_until = since + relativedelta(months=tier.validity_months)
            while valid_until <= today:
                valid_until += relativedelta(months=tier.validity_months)
        points = int(row["points"])
        segment = segment_ids[row["segment"]]
        partners.append([fixed[name] for name in fixed_names] + [
            pid, row["name"], row["name"], row["email"], segment, since, tier.id,
            valid_until, points, pid, row["city"]])
        if points:
            lines.append((pid, segment, points, now, "import", "Benchmark",
                          user.id, now, user.id, now))
        changes.append((pid, segment, tier.id, "import", "applied", "up", points,
                        now, user.id, now, user.id, now))
        for purpose in ("membership", "newsletter", "wall"):
            value = row["consent_" + purpose]
            if value:
                consents.append((pid, purpose, value == "yes", now, "import",
                                 "legacy", user.id, user.id, now, user.id, now))
        links.extend((pid, langs[code]) for code in row["languages"].split(";")
                     if code)
        countries_rel.extend((pid, countries[code]) for code in
                             row["network_countries"].split(";") if code)
    copy_rows(cr, "res_partner", columns,
              [[value if not isinstance(value, bool) else str(value).lower()
                for value in partner] for partner in partners])
    copy_rows(cr, "ambassador_point_transaction", [
        "partner_id", "segment_id", "points", "date", "origin", "note",
        "create_uid", "create_date", "write_uid", "write_date"], lines)
    copy_rows(cr, "ambassador_promotion", [
        "partner_id", "segment_id", "to_tier_id", "reason", "state", "kind",
        "balance", "decision_date", "create_uid", "create_date", "write_uid",
        "write_date"], changes)
    copy_rows(cr, "ambassador_consent", [
        "partner_id", "purpose", "granted", "date", "channel", "legal_basis",
        "user_id", "create_uid", "create_date", "write_uid", "write_date"],
        [c[:2] + (str(c[2]).lower(),) + c[3:] for c in consents])
    copy_rows(cr, "ambassador_lang_partner_rel", ["partner_id", "lang_id"], links)
    copy_rows(cr, "ambassador_network_country_rel", ["partner_id", "country_id"],
              countries_rel)
    env["res.partner"].invalidate_cache()


def end_state(env):
    """What both halves must agree on."""
    cr = env.cr
    cr.execute("""
        SELECT count(*), COALESCE(sum(p.ambassador_balance), 0),
               count(p.ambassador_tier_valid_until),
               string_agg(DISTINCT p.ambassador_state, ',')
        FROM res_partner p WHERE p.email LIKE %s""", ("%@" + DOMAIN,))
    contacts, balance, validities, states = cr.fetchone()
    figures = {"contacts": contacts, "balance": balance,
               "validities": validities, "states": states}
    for name, query in (
        ("ledger lines", "SELECT count(*) FROM ambassador_point_transaction t"),
        ("status changes", "SELECT count(*) FROM ambassador_promotion t"),
        ("consent log", "SELECT count(*) FROM ambassador_consent t"),
        ("language links", "SELECT count(*) FROM ambassador_lang_partner_rel t"),
        ("country links", "SELECT count(*) FROM ambassador_network_country_rel t"),
    ):
        cr.execute(query + " JOIN res_partner p ON p.id = t.partner_id "
                   "WHERE p.email LIKE %s", ("%@" + DOMAIN,))
        figures[name] = cr.fetchone()[0]
    cr.execute("""
        SELECT tr.code, count(*) FROM res_partner p
        JOIN ambassador_tier tr ON tr.id = p.ambassador_tier_id
        WHERE p.email LIKE %s GROUP BY tr.code ORDER BY tr.code""",
               ("%@" + DOMAIN,))
    figures["tiers"] = ", ".join("%s %d" % row for row in cr.fetchall())
    return figures


def run(args):
    json_path = common.output_path(args, "benchmark_import_%s.json" % args.db)
    with common.environment(args) as env:
        cr = env.cr
        cr.execute("SELECT count(*) FROM res_partner WHERE email LIKE %s",
                   ("%@" + DOMAIN,))
        if cr.fetchone()[0]:
            raise common.BenchError("the database holds contacts @%s: remove "
                                    "them first" % DOMAIN)
        user = manager(env)
        with common.task("generating %s rows" % "{:,}".format(args.ambassadors)):
            content = generate_file(env, args.ambassadors, args.seed)
        common.log("  file: %.1f MB" % (len(content) / 1e6))
        # The import's progress, batch by batch, on stderr.
        logging.getLogger("odoo.addons.ambassador_program.models."
                          "ambassador_import_job").setLevel(logging.INFO)
        rss_before = rss_mb()
        cr.execute("SAVEPOINT bench_import")
        with common.task("checking the file and queuing the job (the click)"):
            queued = queue_import(env, content, user)
        common.log("  importing with the addon (the cron's run) ...")
        import_seconds, job = common.timed(run_import, queued)
        rss_import = rss_mb()
        imported = end_state(env)
        job_figures = dict(created=job.created_count, rows=job.row_count)
        cr.execute("ROLLBACK TO SAVEPOINT bench_import")
        env["res.partner"].invalidate_cache()
        with common.task("raw COPY of the same rows"):
            copy_seconds, _none = common.timed(run_copy, env, content, user)
        copied = end_state(env)
        cr.execute("ROLLBACK TO SAVEPOINT bench_import")
        env["res.partner"].invalidate_cache()
    rows = args.ambassadors
    result = {
        "rows": rows,
        "import_seconds": import_seconds,
        "import_rows_per_second": rows / import_seconds,
        "copy_seconds": copy_seconds,
        "copy_rows_per_second": rows / copy_seconds,
        "ratio": import_seconds / copy_seconds,
        "peak_rss_mb": rss_import,
        "rss_before_import_mb": rss_before,
        "import_peak_growth_mb": rss_import - rss_before,
        "imported": imported,
        "copied": copied,
        "job": job_figures,
    }
    same = imported == copied and imported["contacts"] == rows
    print()
    print("import of %s rows (ambassador_program)" % "{:,}".format(rows))
    print("%-28s %10s %14s" % ("", "seconds", "rows/second"))
    print("%-28s %10.2f %14s" % ("addon import (checked)", import_seconds,
                                 "{:,.0f}".format(result["import_rows_per_second"])))
    print("%-28s %10.2f %14s" % ("raw PostgreSQL COPY", copy_seconds,
                                 "{:,.0f}".format(result["copy_rows_per_second"])))
    print("ratio import / COPY: %.1f" % result["ratio"])
    print("peak memory (RSS): %.0f MB, of which %.0f MB during the import"
          % (rss_import, result["import_peak_growth_mb"]))
    print("end state, import: %s" % imported)
    print("end state, COPY:   %s" % copied)
    print("same end state: %s" % ("yes" if same else "NO"))
    report.write_json(json_path, args, **result)
    print("figures: %s" % json_path)
    print("RESULT: %s" % ("OK" if same else "PROBLEM (the end states differ)"))
    sys.stdout.flush()
    return 0 if same else 1


def main(argv=None):
    return common.run_command(parse_args, run, argv)


if __name__ == "__main__":
    sys.exit(main())
