"""The scale benchmark scripts (scripts/benchmark_ledger.py and
scripts/benchmark_mailing_sync.py, both on the package scripts/benchmarks/),
run small.

It runs with ``--rollback`` on the test database the live server uses: it
generates its ambassadors and ledger lines inside one transaction, measures,
and rolls everything back. That is faster than building another database
(a copy of a database needs it without connections, and the server holds some;
installing the addon into a fresh copy of the template takes longer than the
whole benchmark) and it measures the very code and data the other tests use.
The test checks afterwards that the database holds none of the generated rows.
"""
import json
import os
import subprocess
import sys

import psycopg2
import pytest
from PIL import Image

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO_ROOT, "scripts", "benchmark_ledger.py")
MAILING_SCRIPT = os.path.join(REPO_ROOT, "scripts", "benchmark_mailing_sync.py")
AMBASSADORS, LINES, STEP = 2000, 20000, 1000
REVIEWS = (100, 300)  # Gold/Platinum due for the yearly review
MAILING_AMBASSADORS = 1000


def run_script(*args, script=SCRIPT):
    return subprocess.run(
        [sys.executable, script] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=300,
    )


def generated_rows(db):
    connection = psycopg2.connect(dbname=db)
    try:
        with connection.cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'BENCH-%%'")
            partners = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM ambassador_point_transaction "
                "WHERE note = 'benchmark'"
            )
            return partners, cr.fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def benchmark(odoo_db, tmp_path_factory):
    output = tmp_path_factory.mktemp("benchmarks")
    before = generated_rows(odoo_db)
    result = run_script(
        "--db", odoo_db, "--ambassadors", str(AMBASSADORS), "--lines", str(LINES),
        "--steps", str(STEP), "--rollback", "--output-dir", str(output),
        "--reviews", ",".join(str(n) for n in REVIEWS),
        # Rows left by a run of the script on this database are set aside
        # inside the same rolled-back transaction.
        "--reset",
    )
    figures_path = output / ("benchmark_ledger_%s.json" % odoo_db)
    figures = json.loads(figures_path.read_text()) if figures_path.exists() else None
    return dict(result=result, output=output, figures=figures, before=before,
                after=generated_rows(odoo_db), db=odoo_db)


def test_script_succeeds_and_prints_the_table(benchmark):
    result = benchmark["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "Traceback" not in result.stderr
    assert "RESULT: OK" in out
    for operation in ("recompute balances (1% corrupted)",
                      "recompute balances (all right)",
                      "read_group ledger by partner", "update tiers (first evaluation)",
                      "update tiers (nothing to do)", "balance mismatches check"):
        assert operation in out
    assert "raw SQL s" in out and "ratio" in out
    assert "final balance mismatches: 0" in out


def test_figures_show_repair_and_tiers(benchmark):
    figures = benchmark["figures"]
    assert figures is not None, "no JSON figures written"
    steps = figures["steps"]
    assert [s["generated_ambassadors"] for s in steps] == [STEP, AMBASSADORS]
    final = steps[-1]
    assert final["generated_lines"] == LINES
    assert final["ambassadors"] >= AMBASSADORS and final["lines"] >= LINES
    for step in steps:
        # 1% of the generated balances corrupted, found and repaired, no more.
        assert step["corrupted"] == step["generated_ambassadors"] // 100
        assert step["detected"] == step["corrupted"] + step["mismatches_before"]
        assert step["repaired"] == step["detected"]
        assert step["repaired_exactly"] is True
        assert step["raw_differences_after_repair"] == 0
        assert step["final_mismatches"] == 0
        assert step["second_pass_changes"] == 0
        ops = {op["name"]: op for op in step["operations"]}
        assert ops["recompute balances (all right)"]["changed"] == 0
        assert ops["balance mismatches check"]["changed"] == 0
        for name in ("recompute balances (1% corrupted)",
                     "read_group ledger by partner",
                     "update tiers (first evaluation)"):
            assert ops[name]["seconds"] > 0 and ops[name]["raw_seconds"] > 0
            assert ops[name]["ratio"] > 0
    # Every operation that writes is timed beside a raw SQL twin that leaves
    # the same rows (status log, tiers, pricelists, lists, e-mails), compared
    # row by row: the twins are honest.
    for step in steps:
        assert step["twins_same_end_state"] is True
        for op in step["operations"]:
            assert op.get("same_end_state", True) is True, op
    final_ops = {op["name"]: op for op in final["operations"]}
    for name in ("update tiers (first evaluation)", "recompute balances (1% corrupted)",
                 "programme dashboard", "yearly review, 100 due",
                 "yearly review, 300 due"):
        assert final_ops[name]["same_end_state"] is True
        assert final_ops[name]["raw_seconds"] > 0 and final_ops[name]["ratio"] > 0
    # The first evaluation writes tiers, logs them, and queues e-mails; the
    # yearly review opens and lapses reviews: real work on both sides.
    assert final_ops["update tiers (first evaluation)"]["changed"] > 0
    assert final_ops["yearly review, 300 due"]["rows"] == 300
    assert final_ops["yearly review, 300 due"]["changed"] > 300
    # The first evaluation applies Silver by points and proposes committee tiers.
    first = steps[0]
    assert first["tier_moves"] > 0 and first["committee_proposals"] > 0
    assert first["active_per_tier"].get("silver", 0) >= first["tier_moves"] > 0


def test_plot_written(benchmark):
    png = benchmark["output"] / ("benchmark_ledger_%s.png" % benchmark["db"])
    assert png.exists()
    with Image.open(str(png)) as image:
        assert image.format == "PNG"
        assert image.size[0] >= 800 and image.size[1] >= 500
        # Drawn by matplotlib, not by hand.
        assert "matplotlib" in image.info.get("Software", "").lower()
        # Not a blank canvas: the curves use several colours.
        assert len(image.convert("RGB").getcolors(maxcolors=100000) or []) > 10


def test_database_left_unchanged(benchmark):
    assert benchmark["after"] == benchmark["before"]


def test_bad_input_gives_a_clear_message():
    result = run_script("--db", "amb_no_such_database_xyz", "--ambassadors", "100",
                        "--lines", "1000")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_script("--db", "x", "--ambassadors", "100", "--lines", "10")
    assert result.returncode == 2
    assert "--lines must be at least --ambassadors" in result.stderr
    result = run_script("--db", "x", "--ambassadors", "100", "--lines", "1000",
                        "--steps", "5000")
    assert result.returncode == 2
    assert "every step must be between" in result.stderr


@pytest.fixture(scope="module")
def mailing(odoo_db, tmp_path_factory):
    output = tmp_path_factory.mktemp("benchmarks_mailing")
    before = generated_rows(odoo_db)
    result = run_script(
        "--db", odoo_db, "--ambassadors", str(MAILING_AMBASSADORS), "--rollback",
        "--reset", "--output-dir", str(output), script=MAILING_SCRIPT,
    )
    figures_path = output / ("benchmark_mailing_sync_%s.json" % odoo_db)
    figures = json.loads(figures_path.read_text()) if figures_path.exists() else None
    return dict(result=result, figures=figures, before=before,
                after=generated_rows(odoo_db))


def test_mailing_script_matches_the_raw_query(mailing):
    result = mailing["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "RESULT: OK" in result.stdout
    rows = mailing["figures"]["rows"]
    assert [row["operation"].split(" ")[0] for row in rows] == [
        "first", "second", "full", "sync"]
    assert rows[0]["changes"]["added"] > 0
    assert not any(rows[1]["changes"].values())
    for row in rows:
        # The raw twin of each sync leaves the same contacts and memberships.
        assert row["same_end_state"] is True, row
        assert row["ratio"] > 0
        assert row["raw"].get("missing_after", row["raw"].get("missing")) == 0
        assert row["raw"].get("extra_after", row["raw"].get("extra")) == 0
    assert mailing["after"] == mailing["before"]
