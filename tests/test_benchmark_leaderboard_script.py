"""The leaderboard benchmark (scripts/benchmark_leaderboard.py), run small
with ``--rollback`` on the test database (as tests/test_benchmark_script.py
does for the ledger's): every board equals its raw-SQL twin, figures are
written, and the database keeps none of the generated rows."""
import json
import subprocess
import sys

import pytest

from test_benchmark_script import REPO_ROOT, generated_rows

SCRIPT = REPO_ROOT + "/scripts/benchmark_leaderboard.py"
AMBASSADORS, LINES = 1000, 10000


@pytest.fixture(scope="module")
def benchmark(odoo_db, tmp_path_factory):
    output = tmp_path_factory.mktemp("benchmarks")
    before = generated_rows(odoo_db)
    result = subprocess.run(
        [sys.executable, SCRIPT, "--db", odoo_db, "--ambassadors", str(AMBASSADORS),
         "--lines", str(LINES), "--repeat", "1", "--rollback", "--reset",
         "--output-dir", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
        timeout=300)
    path = output / ("benchmark_leaderboard_%s.json" % odoo_db)
    figures = json.loads(path.read_text()) if path.exists() else None
    return dict(result=result, figures=figures, before=before,
                after=generated_rows(odoo_db))


def test_every_board_equals_its_raw_twin(benchmark):
    result = benchmark["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "RESULT: OK" in result.stdout
    assert "load average" in result.stdout
    rows = benchmark["figures"]["rows"]
    assert {row["period"] for row in rows} == {"month", "year", "all"}
    assert all(row["same"] for row in rows)
    assert any(row["ranked"] > 0 for row in rows)
    for row in rows:
        assert row["seconds"] > 0 and row["raw_seconds"] > 0


def test_database_unchanged(benchmark):
    assert benchmark["after"] == benchmark["before"]
