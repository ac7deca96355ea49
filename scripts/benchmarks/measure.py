"""The timed operations: each method of the addon beside the raw PostgreSQL query
that computes the same result (its "twin"), one function per pair.

Every function returns figures as plain dicts (written to JSON as they are) and
prints on stderr what it is timing, so that a long run shows where it is.
"""
import collections
import json
import os

from psycopg2 import sql

from . import generate, twins
from .common import log, task, timed

# ======================================================================
# Ledger: balances and tiers
# ======================================================================
RAW_BALANCES = """
    SELECT p.id, COALESCE(SUM(t.points), 0) AS total
    FROM res_partner p
    LEFT JOIN ambassador_point_transaction t
        ON t.partner_id = p.id AND t.segment_id = p.ambassador_segment_id
    WHERE p.ambassador_state IS NOT NULL
    GROUP BY p.id
"""
RAW_LEDGER_BY_PARTNER = """
    SELECT partner_id, SUM(points) FROM ambassador_point_transaction GROUP BY partner_id
"""
RAW_BEST_TIERS = """
    SELECT DISTINCT ON (p.id, t.committee_required)
           p.id, t.committee_required, t.id AS tier_id
    FROM res_partner p
    JOIN ambassador_tier_threshold th
        ON th.segment_id = p.ambassador_segment_id AND th.points <= p.ambassador_balance
    JOIN ambassador_tier t ON t.id = th.tier_id AND t.active
    WHERE p.ambassador_state = 'active'
    ORDER BY p.id, t.committee_required, t.sequence DESC
"""
# Which raw twin each operation is compared with, as the plot labels them (the
# first operation of each twin gives it its colour). Twins of operations that
# write produce the same end state (scripts/benchmarks/twins.py, checked).
RAW_TWINS = collections.OrderedDict([
    ("raw SQL: UPDATE balances from the ledger SUM", (
        "recompute balances (1% corrupted)", "recompute balances (all right)")),
    ("raw SQL: balances SUM GROUP BY", ("balance mismatches check",)),
    ("raw SQL: ledger GROUP BY partner", ("read_group ledger by partner",)),
    ("raw SQL: tiers, status log, pricelists, lists, e-mails", (
        "update tiers (first evaluation)", "update tiers (nothing to do)")),
    ("raw SQL: SELECT the dashboard view", ("programme dashboard",)),
    ("raw SQL: contacts and memberships INSERT/DELETE",
     ("mailing lists sync (all)",)),
    ("raw SQL: yearly review and fall-back", (
        "yearly review, 1,000 due", "yearly review, 10,000 due")),
])


# The addon's methods timed here. Issue 9 moves them (balances to the ledger model,
# tiers to the status engine): the benchmark calls whichever the installed code
# has, so that the same benchmark measures the code before and after the move.
def addon_recompute_all_balances(env):
    Ledger = env["ambassador.point.transaction"]
    if hasattr(Ledger, "_recompute_all_balances"):
        return Ledger._recompute_all_balances
    return env["res.partner"]._ambassador_recompute_balances


def addon_balance_mismatches(env):
    Ledger = env["ambassador.point.transaction"]
    if hasattr(Ledger, "_balance_mismatches"):
        return Ledger._balance_mismatches
    return env["res.partner"]._ambassador_balance_mismatches


def addon_update_tiers(env, partners):
    if "ambassador.status.engine" in env:
        return lambda: env["ambassador.status.engine"]._evaluate(partners)
    return partners._ambassador_update_tiers


# A raw query's wall clock with its rows fetched, its rows, and the execution
# time EXPLAIN ANALYZE reports (server side only).
Raw = collections.namedtuple("Raw", "seconds rows execution")


def raw_query(cr, label, query):
    with task(label):
        seconds, rows = timed(lambda: (cr.execute(query), cr.fetchall())[1])
    cr.execute(sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) {}").format(sql.SQL(query)))
    plan = cr.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return Raw(seconds, rows, plan["Execution Time"] / 1000.0)


def paired(name, rows, pair, note=""):
    """The figures of an operation timed beside its raw twin (twins.run_pair):
    ``changed`` = rows the operation inserted, updated or deleted,
    ``differences`` = {table: rows} where the twin's end state differs."""
    return dict(
        name=name, rows=rows, changed=pair.changed, seconds=round(pair.seconds, 4),
        raw_seconds=round(pair.raw_seconds, 4), raw_execution_seconds=None,
        ratio=round(pair.seconds / pair.raw_seconds, 2) if pair.raw_seconds else None,
        same_end_state=not pair.differences, differences=pair.differences or {},
        note=note,
    )


def operation(name, rows, seconds, twin=None, changed=None, note=""):
    """The figures of one timed operation (``twin``: its Raw, if any)."""
    return dict(
        name=name, rows=rows, changed=changed, seconds=round(seconds, 4),
        raw_seconds=None if twin is None else round(twin.seconds, 4),
        raw_execution_seconds=None if twin is None else round(twin.execution, 4),
        ratio=None if twin is None or not twin.seconds
        else round(seconds / twin.seconds, 2),
        note=note,
    )


def count_promotions(cr, state):
    cr.execute(
        "SELECT count(*) FROM ambassador_promotion "
        "WHERE state = %s AND reason = 'points'",
        (state,),
    )
    return cr.fetchone()[0]


def recompute_balances(env, name, ambassadors, note=""):
    """The recomputation of every balance (``_recompute_all_balances()`` of the
    ledger, formerly ``res.partner._ambassador_recompute_balances()``) beside
    the raw UPDATE from the ledger's SUM; ``changed`` = rows changed."""
    with task(name):
        pair = twins.run_pair(env, twins.recompute_balances,
                              addon_recompute_all_balances(env))
    result = paired(name, ambassadors, pair, note=note)
    result["repaired"] = pair.result
    return result


def balance_mismatches(env, ambassadors, twin):
    """The balance check (``_balance_mismatches()`` of the ledger, formerly
    ``res.partner._ambassador_balance_mismatches()``) beside the same raw
    aggregate; ``changed`` = mismatches found (0 after a repair)."""
    name = "balance mismatches check"
    env.cache.invalidate()
    with task(name):
        seconds, mismatches = timed(addon_balance_mismatches(env))
    return operation(name, ambassadors, seconds, twin, changed=len(mismatches))


def ledger_read_group(env, lines):
    """``read_group`` of the ledger by partner beside the plain GROUP BY;
    ``rows`` = ledger lines, ``changed`` = groups."""
    name = "read_group ledger by partner"
    twin = raw_query(env.cr, "raw SQL: ledger GROUP BY partner",
                     RAW_LEDGER_BY_PARTNER)
    env.cache.invalidate()
    Ledger = env["ambassador.point.transaction"]
    with task(name):
        seconds, groups = timed(lambda: Ledger.read_group(
            [], ["partner_id", "points"], ["partner_id"], lazy=False))
    return operation(name, lines, seconds, twin, changed=len(groups),
                     note="rows = ledger lines; changed = groups")


def update_tiers(env):
    """The search of the active ambassadors, then the tier evaluation
    (``ambassador.status.engine._evaluate()``, formerly
    ``res.partner._ambassador_update_tiers()``) on them twice (the second pass
    must change nothing), each beside its raw twin (twins.evaluate_tiers: the
    same status log, tiers, pricelists, list memberships and e-mails). Returns
    (operations, facts)."""
    cr = env.cr
    Partner = env["res.partner"]
    proposed_before = count_promotions(cr, "proposed")
    applied_before = count_promotions(cr, "applied")
    env.cache.invalidate()
    with task("search active ambassadors"):
        search_s, active = timed(
            lambda: Partner.search([("ambassador_state", "=", "active")]))
    with task("update tiers (first evaluation)"):
        pair = twins.run_pair(env, twins.evaluate_tiers,
                              addon_update_tiers(env, active))
    moved = sum(len(ids) for ids in (pair.result or {}).values())
    proposals = count_promotions(cr, "proposed") - proposed_before
    applied = count_promotions(cr, "applied") - applied_before
    with task("update tiers (nothing to do)"):
        again = twins.run_pair(env, twins.evaluate_tiers,
                               addon_update_tiers(env, active))
    moved_again = sum(len(ids) for ids in (again.result or {}).values())
    proposals_again = count_promotions(cr, "proposed") - proposed_before - proposals
    operations = [
        operation("search active ambassadors", len(active), search_s),
        paired("update tiers (first evaluation)", len(active), pair,
               note="%d tier moves applied, %d committee proposals; changed = rows "
               "inserted, updated or deleted" % (moved, proposals)),
        paired("update tiers (nothing to do)", len(active), again),
    ]
    return operations, dict(tier_moves=moved, applied_promotions=applied,
                            committee_proposals=proposals,
                            second_pass_changes=moved_again + proposals_again)


def dashboard(env):
    """The programme dashboard read as its form does (``search_read`` of the
    view) beside ``SELECT *`` of the view."""
    Dashboard = env["ambassador.programme.dashboard"]
    name = "programme dashboard"
    with task(name):
        pair = twins.run_pair(
            env, lambda cr: (cr.execute(
                "SELECT * FROM ambassador_programme_dashboard ORDER BY sequence, id"),
                cr.fetchall()),
            lambda: Dashboard.search_read([]), check=True)
    return paired(name, len(pair.result), pair, note="rows = cards")


def prepare_reviews(cr, due):
    """``due`` generated active ambassadors given a committee tier (Gold, one
    in ten Platinum): half reach the end of their validity within the notice
    period (a review opens), half have an open review past its grace period
    (it lapses, they fall back to what points allow)."""
    cr.execute("SELECT id FROM ambassador_tier WHERE code IN ('gold', 'platinum') "
               "ORDER BY sequence")
    gold, platinum = [row[0] for row in cr.fetchall()][:2]
    cr.execute("""
        CREATE TEMP TABLE bench_due AS
        SELECT p.id AS partner_id,
               CASE WHEN n %% 10 = 0 THEN %(platinum)s ELSE %(gold)s END AS tier_id,
               n %% 2 = 0 AS opening
        FROM (SELECT p.id, row_number() OVER (ORDER BY p.id) AS n
              FROM res_partner p JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
              WHERE p.ref LIKE 'BENCH-%%' AND p.ambassador_state = 'active'
                AND NOT t.committee_required
                AND NOT EXISTS (SELECT 1 FROM ambassador_promotion pr
                                WHERE pr.partner_id = p.id AND pr.state = 'proposed')
              ORDER BY p.id LIMIT %(due)s) p
    """, dict(gold=gold, platinum=platinum, due=due))
    cr.execute("""
        UPDATE res_partner p SET ambassador_tier_id = d.tier_id,
            ambassador_tier_valid_until = CASE WHEN d.opening THEN current_date + 10
                                               ELSE current_date - 40 END
        FROM bench_due d WHERE p.id = d.partner_id
    """)
    cr.execute("CREATE TEMP TABLE bench_open AS SELECT * FROM bench_due "
               "WHERE NOT opening")
    twins._insert_changes(cr, "bench_open", "proposed", "annual_review",
                          deadline="current_date - 10")
    cr.execute("SELECT count(*) FROM bench_due")
    count = cr.fetchone()[0]
    cr.execute("DROP TABLE bench_due")
    cr.execute("DROP TABLE bench_open")
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE ambassador_promotion")
    return count


def annual_review(env, due):
    """``_cron_annual_review()`` with ``due`` Gold/Platinum ambassadors due
    (prepare_reviews), beside twins.annual_review; everything rolled back
    afterwards."""
    cr = env.cr
    Engine = env["ambassador.status.engine"]
    name = "yearly review, {:,} due".format(due)
    cr.execute("SAVEPOINT bench_review")
    try:
        count = prepare_reviews(cr, due)
        with task(name):
            pair = twins.run_pair(env, twins.annual_review,
                                  Engine._cron_annual_review)
        cr.execute("SELECT count(*) FROM mail_mail")
        mails = cr.fetchone()[0]
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_review")
        env.cache.invalidate()
        env.clear()
    return paired(name, count, pair, note="rows = Gold/Platinum due (half reviews "
                  "opened, half lapsed and fallen back); %d e-mails queued in all"
                  % mails)


def active_per_tier(cr):
    cr.execute(
        """
        SELECT t.code, count(*) FROM res_partner p
        JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        WHERE p.ambassador_state = 'active'
        GROUP BY t.code, t.sequence ORDER BY t.sequence
        """
    )
    return dict(cr.fetchall())


def measure_ledger(env, corrupt_percent, step, read_group=True, review_sizes=()):
    """Every ledger operation on the whole database, in this order: corrupt
    ``corrupt_percent`` % of the generated balances, repair them, repair again,
    check, read_group, evaluate tiers twice. Returns the step's figures."""
    cr = env.cr
    mismatches = addon_balance_mismatches(env)
    cr.execute("SELECT count(*) FROM res_partner WHERE ambassador_state IS NOT NULL")
    ambassadors = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM ambassador_point_transaction")
    lines = cr.fetchone()[0]
    env.cache.invalidate()
    before = mismatches()
    # Corrupt a share of the generated balances: the repair must fix exactly those.
    count = max(1, int(round(step["generated_ambassadors"] * corrupt_percent / 100.0)))
    corrupted = generate.corrupt_balances(cr, count, ambassadors)
    env.cache.invalidate()
    found = mismatches()
    repair = recompute_balances(
        env, "recompute balances (1% corrupted)", ambassadors,
        note="ORM method, one UPDATE; raw = UPDATE from the SUM GROUP BY")
    repair_again = recompute_balances(
        env, "recompute balances (all right)", ambassadors)
    balances = raw_query(cr, "raw SQL: balances SUM GROUP BY", RAW_BALANCES)
    # The raw aggregate equals the stored balances, independently of the addon.
    cr.execute(
        "SELECT id, ambassador_balance FROM res_partner "
        "WHERE ambassador_state IS NOT NULL"
    )
    stored = dict(cr.fetchall())
    raw_differences = sum(1 for pid, total in balances.rows
                          if stored.get(pid) != total)
    ops = [repair, repair_again, balance_mismatches(env, ambassadors, balances)]
    if read_group:
        ops.append(ledger_read_group(env, lines))
    tier_ops, tier_facts = update_tiers(env)
    ops += tier_ops
    ops.append(dashboard(env))
    ops.append(paired("mailing lists sync (all)", ambassadors,
                      sync(env, "mailing lists sync (all)"),
                      note="the programme's lists completed for everyone"))
    for due in review_sizes:
        if due <= step["generated_ambassadors"] // 2:
            ops.append(annual_review(env, due))
        else:
            log("  yearly review at %d due skipped: too few ambassadors" % due)
    env.cache.invalidate()
    final = mismatches()
    wrong = corrupted | set(before.ids)
    result = dict(
        ambassadors=ambassadors,
        lines=lines,
        generated_ambassadors=step["generated_ambassadors"],
        generated_lines=step["generated_lines"],
        generation_seconds=round(step["generation_seconds"], 2),
        mismatches_before=len(before),
        corrupted=len(corrupted),
        detected=len(found),
        repaired=repair["repaired"],
        repaired_exactly=(set(found.ids) == wrong and repair["repaired"] == len(wrong)),
        raw_differences_after_repair=raw_differences,
    )
    result.update(tier_facts)
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    result["twins_same_end_state"] = all(
        op.get("same_end_state", True) for op in ops)
    result.update(active_per_tier=active_per_tier(cr), final_mismatches=len(final),
                  operations=ops)
    return result


def ledger_ok(results):
    """True when every step repaired exactly, agreed with the raw aggregate and
    had nothing left to do on the second tier pass."""
    return (results[-1]["final_mismatches"] == 0
            and all(r["repaired_exactly"] for r in results)
            and all(r["raw_differences_after_repair"] == 0 for r in results)
            and all(r["second_pass_changes"] == 0 for r in results)
            and all(r["twins_same_end_state"] for r in results))


# ======================================================================
# Mailing lists
# ======================================================================
ELIGIBLE = """
    p.ambassador_state = 'active' AND p.active AND p.ambassador_consent_newsletter
    AND NOT COALESCE(p.opt_out, FALSE) AND p.email LIKE '%_@_%'
"""
# The whole membership the programme wants, and its difference with what is
# stored, in one statement: the raw PostgreSQL equivalent of the sync's result.
RAW_DIFF = """
    WITH wanted AS (
        SELECT p.id AS partner_id, s.mailing_list_id AS list_id
        FROM res_partner p JOIN ambassador_segment s ON s.id = p.ambassador_segment_id
        WHERE s.mailing_list_id IS NOT NULL AND {eligible}
        UNION
        SELECT p.id, t.mailing_list_id
        FROM res_partner p JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
        WHERE t.mailing_list_id IS NOT NULL AND {eligible}
    ),
    stored AS (
        SELECT c.ambassador_partner_id AS partner_id, r.list_id
        FROM mail_mass_mailing_contact_list_rel r
        JOIN mail_mass_mailing_contact c ON c.id = r.contact_id
        WHERE c.ambassador_partner_id IS NOT NULL AND r.list_id IN (
            SELECT mailing_list_id FROM ambassador_segment
            UNION SELECT mailing_list_id FROM ambassador_tier)
    )
    SELECT (SELECT count(*) FROM wanted),
           (SELECT count(*) FROM (SELECT * FROM wanted EXCEPT
                                  SELECT * FROM stored) missing),
           (SELECT count(*) FROM (SELECT * FROM stored EXCEPT
                                  SELECT * FROM wanted) extra)
""".format(eligible=ELIGIBLE)

# Memberships wanted, missing from the lists and extra in them, and the seconds.
Diff = collections.namedtuple("Diff", "seconds wanted missing extra")


def raw_diff(cr):
    """The raw twin of every sync: wanted memberships and the differences."""
    with task("raw SQL: wanted vs stored memberships"):
        seconds, row = timed(lambda: (cr.execute(RAW_DIFF), cr.fetchone())[1])
    return Diff(seconds, *row)


def sync(env, name, partner_ids=None):
    """``mail.mass_mailing.list._ambassador_sync_lists()`` (all, or only the
    partners given) beside its raw twin (twins.sync_lists, same end state);
    returns the twins.Pair (``result``: the statistics the sync returns)."""
    Lists = env["mail.mass_mailing.list"]
    args = () if partner_ids is None else (partner_ids,)
    if partner_ids is None:
        raw = twins.sync_lists
    else:
        def raw(cr):
            cr.execute("CREATE TEMP TABLE twin_scope AS "
                       "SELECT unnest(%s::int[]) AS partner_id", (list(partner_ids),))
            twins.sync_lists(cr, "twin_scope")
            cr.execute("DROP TABLE twin_scope")
    with task(name):
        return twins.run_pair(env, raw, lambda: Lists._ambassador_sync_lists(*args))


def mailing_row(name, pair, raw):
    raw.update(seconds=round(pair.raw_seconds, 3))
    return dict(operation=name, seconds=round(pair.seconds, 3), changes=pair.result,
                raw=raw, ratio=round(pair.seconds / pair.raw_seconds, 2)
                if pair.raw_seconds else None,
                same_end_state=not pair.differences,
                differences=pair.differences or {})


def first_sync(env):
    """The first full sync (every mailing contact and membership created)."""
    name = "first sync (all contacts and memberships)"
    before = raw_diff(env.cr)
    pair = sync(env, name)
    after = raw_diff(env.cr)
    return mailing_row(name, pair, dict(
        wanted=before.wanted, missing_before=before.missing,
        missing_after=after.missing, extra_after=after.extra)), after


def second_sync(env, previous):
    """A full sync when nothing changed (must change nothing)."""
    name = "second sync, nothing changed"
    pair = sync(env, name)
    return mailing_row(name, pair, dict(missing=previous.missing,
                                        extra=previous.extra))


def sync_after_changes(env, changed):
    """A full sync after ``changed`` partners were suspended, lost their consent
    or were promoted."""
    name = "full sync after %d changes" % len(changed)
    before = raw_diff(env.cr)
    pair = sync(env, name)
    after = raw_diff(env.cr)
    return mailing_row(name, pair, dict(
        missing_before=before.missing, extra_before=before.extra,
        missing_after=after.missing, extra_after=after.extra))


def sync_changed_only(env, changed):
    """The sync of the changed partners only (what the tier hook does)."""
    name = "sync of the %d changed partners only" % len(changed)
    pair = sync(env, name, changed)
    after = raw_diff(env.cr)
    return mailing_row(name, pair, dict(missing_after=after.missing,
                                        extra_after=after.extra))


def measure_mailing(env, change_percent):
    """The four syncs in order; the database is changed between them."""
    cr = env.cr
    row, after_first = first_sync(env)
    rows = [row, second_sync(env, after_first)]
    changed = generate.change_ambassadors(cr, change_percent)
    rows.append(sync_after_changes(env, changed))
    # The same partners changed back, synced for those partners only.
    generate.restore_ambassadors(cr, changed)
    rows.append(sync_changed_only(env, changed))
    return rows


def mailing_ok(rows):
    """True when the lists equal the raw query after each sync and the second
    sync changed nothing."""
    return all(
        row["raw"].get("missing_after", row["raw"].get("missing", 0)) == 0
        and row["raw"].get("extra_after", row["raw"].get("extra", 0)) == 0
        for row in rows) and not any(rows[1]["changes"].values()) and all(
            row["same_end_state"] for row in rows)
