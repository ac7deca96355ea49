#!/usr/bin/env bash
# Load test on loopback through the production-shaped setup
# (scripts/production/serve.sh: nginx + two prefork Odoo servers), then an
# integrity check of the database. README, "Load test".
#
#   bash scripts/load/run_load.sh [DB] [BASE_PORT]
#
# DB (default ambassador_load) is copied from FRESH_FROM (default
# ambassador_demo, which scripts/run.sh builds) when it does not exist, or
# always when FRESH_FROM is set. Environment: USERS (100), SPAWN_RATE (10 a
# second), RUN_TIME (5m), AMBASSADORS (60 pre-created), WORKERS (per server,
# 6 here). Prints progress every 15 s, then throughput, p50/p95/p99 per page
# beside Odoo's own /my/home and /shop, errors, the integrity checks; writes
# var/load/<run>/ (locust CSV and HTML, the plot percentiles.png). Exits 1 when
# an integrity check fails, 2 when requests failed.
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

DB="${1:-ambassador_load}"
BASE_PORT="${2:-8080}"
USERS="${USERS:-100}"
SPAWN_RATE="${SPAWN_RATE:-10}"
RUN_TIME="${RUN_TIME:-5m}"
AMBASSADORS="${AMBASSADORS:-60}"
# Odoo's prefork server listens with a backlog of 8 connections per worker:
# with 6 workers, each server holds 6 requests in work and 48 waiting, so the
# two hold the 100 users' requests without a refused or timed-out connection
# (with 3 workers, connections waited past nginx's connect timeout: 502/504).
export WORKERS="${WORKERS:-6}"
LOAD_VENV="$AMBASSADOR_CACHE/load-venv"
REQUIREMENTS="$REPO_ROOT/scripts/load/requirements.txt"
RUN_ID="$(date -u +%Y%m%d%H%M%S)"
OUT="$REPO_ROOT/var/load/$RUN_ID"
SERVE="$REPO_ROOT/scripts/production/serve.sh"
ODOO_OPTIONS=(--addons-path="$(odoo_addons_path),$REPO_ROOT" --data-dir="$DATA_DIR"
              --db_user="$DB_USER" --log-level=warn)

step "Load tools (locust, matplotlib) in $LOAD_VENV"
stamp="$LOAD_VENV/.requirements-$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    python37="$(find_python37)" || die "Python 3.7 is needed (see scripts/setup.sh)"
    [ -x "$LOAD_VENV/bin/python" ] || "$python37" -m venv "$LOAD_VENV"
    "$LOAD_VENV/bin/pip" install -q -r "$REQUIREMENTS" || die "installing locust failed"
    touch "$stamp"
fi

if [ -n "${FRESH_FROM:-}" ] || ! db_exists "$DB"; then
    source_db="${FRESH_FROM:-ambassador_demo}"
    db_exists "$source_db" || die "no database $source_db to copy (scripts/run.sh builds ambassador_demo)"
    step "Copying $source_db to $DB"
    copy_db "$source_db" "$DB"
fi

mkdir -p "$OUT"
step "Preparing run $RUN_ID in $DB ($AMBASSADORS ambassadors with a password, staff, events)"
"$PY" "$REPO_ROOT/scripts/load/load_db.py" "${ODOO_OPTIONS[@]}" -d "$DB" prepare \
    --run "$RUN_ID" --out "$OUT/fixture.json" --ambassadors "$AMBASSADORS" \
    2> >(grep -v "Unmet dependencies" >&2) || die "preparing the load data failed"

started_here=0
if ! bash "$SERVE" status "$DB" "$BASE_PORT" > /dev/null; then
    step "Starting the production setup"
    bash "$SERVE" start "$DB" "$BASE_PORT" || die "the production setup did not start"
    started_here=1
fi
stop_setup() {
    if [ "$started_here" = 1 ]; then
        step "Stopping the production setup"
        bash "$SERVE" stop "$DB" "$BASE_PORT" || true
        started_here=0
    fi
}
trap stop_setup EXIT
trap 'exit 130' INT TERM

loadavg_start="$(cut -d' ' -f1-3 /proc/loadavg)"
step "Locust: $USERS users ($SPAWN_RATE started a second) for $RUN_TIME on http://127.0.0.1:$BASE_PORT (load average $loadavg_start)"
set +e
LOAD_FIXTURE="$OUT/fixture.json" LOAD_RECORDS="$OUT/records.jsonl" LOAD_DB="$DB" \
    "$LOAD_VENV/bin/locust" -f "$REPO_ROOT/scripts/load/locustfile.py" --headless \
    --host "http://127.0.0.1:$BASE_PORT" -u "$USERS" -r "$SPAWN_RATE" \
    --run-time "$RUN_TIME" --stop-timeout 30 --only-summary \
    --csv "$OUT/stats" --html "$OUT/report.html" 2>&1 | tee "$OUT/locust.log" \
    | grep --line-buffered -E '^\[load\]|Traceback' || true
set -e
loadavg_end="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$OUT/stats_stats.csv" ] || die "locust wrote no statistics (see $OUT/locust.log)"

step "Figures (locust log: $OUT/locust.log, HTML report: $OUT/report.html)"
"$LOAD_VENV/bin/python" "$REPO_ROOT/scripts/load/report.py" "$OUT/stats" \
    "$OUT/percentiles.png" --loadavg "$loadavg_start" "$loadavg_end" | tee "$OUT/summary.txt"
if grep -q "Error report" "$OUT/locust.log"; then
    sed -n '/^Error report/,/^$/p' "$OUT/locust.log" | head -30
fi

step "Integrity of $DB after the load"
touch "$OUT/records.jsonl"
set +e
"$PY" "$REPO_ROOT/scripts/load/load_db.py" "${ODOO_OPTIONS[@]}" -d "$DB" check \
    --fixture "$OUT/fixture.json" --records "$OUT/records.jsonl" \
    2> >(grep -v "Unmet dependencies" >&2) | tee -a "$OUT/summary.txt"
integrity=${PIPESTATUS[0]}
set -e
failures="$(awk -F, '$2 == "Aggregated" {print $4}' "$OUT/stats_stats.csv")"
echo "Run $RUN_ID: files in $OUT"
[ "$integrity" = 0 ] || { echo "INTEGRITY VIOLATED"; exit 1; }
[ "${failures:-0}" = 0 ] || { echo "$failures requests failed"; exit 2; }
echo "No integrity violation, no failed request."
