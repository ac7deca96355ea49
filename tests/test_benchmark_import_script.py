"""scripts/benchmark_import.py run small on the test database, so that it
cannot rot: the addon's import and the raw COPY twin end in the same state,
the figures are printed and written, and the database is left as it was (the
script rolls everything back)."""
import json

import psycopg2
import pytest

from test_benchmark_script import REPO_ROOT, run_script

SCRIPT = REPO_ROOT + "/scripts/benchmark_import.py"
ROWS = 300


def imported_rows(db):
    connection = psycopg2.connect(dbname=db)
    try:
        with connection.cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner "
                       "WHERE email LIKE '%%@bench-import.invalid'")
            contacts = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM ambassador_import_job")
            return contacts, cr.fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def benchmark(odoo_db, tmp_path_factory):
    output = tmp_path_factory.mktemp("benchmark_import")
    before = imported_rows(odoo_db)
    result = run_script("--db", odoo_db, "--ambassadors", str(ROWS),
                        "--output-dir", str(output), script=SCRIPT)
    path = output / ("benchmark_import_%s.json" % odoo_db)
    figures = json.loads(path.read_text()) if path.exists() else None
    return dict(result=result, figures=figures, before=before,
                after=imported_rows(odoo_db))


def test_script_prints_rates_ratio_and_memory(benchmark):
    result = benchmark["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    out = result.stdout
    for text in ("addon import (checked)", "raw PostgreSQL COPY", "rows/second",
                 "ratio import / COPY", "peak memory", "same end state: yes",
                 "RESULT: OK"):
        assert text in out
    # The import's progress, batch by batch.
    assert "of %d rows (100%%)" % ROWS in result.stderr


def test_figures_agree(benchmark):
    figures = benchmark["figures"]
    assert figures is not None, "no JSON figures written"
    assert figures["rows"] == ROWS
    assert figures["imported"] == figures["copied"]
    assert figures["imported"]["contacts"] == ROWS
    assert figures["imported"]["ledger lines"] > 0
    assert figures["imported"]["consent log"] > ROWS
    assert figures["job"] == {"created": ROWS, "rows": ROWS}
    assert figures["import_rows_per_second"] > 0 and figures["ratio"] > 0
    assert figures["peak_rss_mb"] > 0


def test_database_left_unchanged(benchmark):
    assert benchmark["after"] == benchmark["before"]


def test_bad_input_gives_a_clear_message():
    result = run_script("--db", "amb_no_such_database_xyz", "--ambassadors", "100",
                        script=SCRIPT)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
