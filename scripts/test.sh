#!/usr/bin/env bash
# The test command: sets up what is missing, builds (once) a template database with
# the addon's dependencies, copies it, installs the addon with its tests enabled,
# then runs the repository-level tests (browser, scripts) against a live server on
# that database. Exits non-zero on any failure; the last line is `N passed, N failed`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TEST_DB="${TEST_DB:-ambassador_test}"
TEST_PORT="${TEST_PORT:-8169}"
LOG_DIR="$REPO_ROOT/var/test/$TEST_DB"
mkdir -p "$LOG_DIR"
t_start=$(date +%s)

step "Setup"
bash "$REPO_ROOT/scripts/setup.sh" --browser

step "Dependency template database"
template="$(bash "$REPO_ROOT/scripts/template_db.sh")"
echo "template: $template"

step "Installing ambassador_program with tests into $TEST_DB (copy of $template)"
copy_db "$template" "$TEST_DB"
odoo_log="$LOG_DIR/odoo-tests.log"
: > "$odoo_log"
set +e
odoo -d "$TEST_DB" -i ambassador_program --test-enable --stop-after-init \
    --http-port="$TEST_PORT" --log-level=info --logfile="$odoo_log" --db-filter="^$TEST_DB\$"
odoo_rc=$?
set -e
echo "odoo exited with $odoo_rc (full log: ${odoo_log#$REPO_ROOT/})"
# Show our tests and every real problem; skip the known harmless 'Unmet dependencies'.
grep -E "ambassador_program|ERROR|CRITICAL" "$odoo_log" | grep -v "Unmet dependencies" \
    | grep -E " (ERROR|CRITICAL|WARNING) |running tests|Ran [0-9]+ test|\.\.\. |^OK|FAILED" | cut -c1-400 || true
odoo_counts="$(python3 "$REPO_ROOT/scripts/odoo_test_summary.py" "$odoo_log")" || odoo_counts="0 1"
read -r odoo_passed odoo_failed <<< "$odoo_counts"
[ "$odoo_rc" = 0 ] || [ "$odoo_failed" -gt 0 ] || odoo_failed=1
echo "Odoo tests: $odoo_passed passed, $odoo_failed failed"

step "Repository tests (tests/): browser and scripts, against a server on $TEST_DB"
server_log="$LOG_DIR/odoo-server.log"
: > "$server_log"
odoo_exec -d "$TEST_DB" --http-port="$TEST_PORT" --db-filter="^$TEST_DB\$" --workers=0 \
    --max-cron-threads=0 --log-level=warn --logfile="$server_log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$TEST_PORT/web/login" && break
    sleep 1
done
set +e
ODOO_URL="http://127.0.0.1:$TEST_PORT" ODOO_DB="$TEST_DB" ODOO_LOG="$server_log" \
    "$PY" -m pytest -p no:cacheprovider -q -rfE "$REPO_ROOT/tests" 2>&1 | tee "$LOG_DIR/pytest.log"
pytest_rc=${PIPESTATUS[0]}
set -e
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
read -r py_passed py_failed <<< "$(python3 "$REPO_ROOT/scripts/pytest_summary.py" "$LOG_DIR/pytest.log")"
[ "$pytest_rc" = 0 ] || [ "$py_failed" -gt 0 ] || py_failed=1

passed=$((odoo_passed + py_passed))
failed=$((odoo_failed + py_failed))
echo
echo "Total time: $(( $(date +%s) - t_start ))s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
