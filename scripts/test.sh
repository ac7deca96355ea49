#!/usr/bin/env bash
# The test command: sets up what is missing, builds (once) a template database with
# the addon's dependencies, copies it, installs the addon with its tests enabled,
# then runs the repository-level tests (browser, scripts) against a live server on
# that database. Exits non-zero on any failure; the last line is
# `N passed, N failed` (`, N skipped` added when tests were skipped).
# It cannot be fooled (tests/test_runner_scripts.py tests each check):
# - a skipped test counts as skipped, in Odoo (unittest's summary lines) and in
#   pytest (read from its JUnit XML, not its printed output);
# - every test the addon's test files define must have run, once
#   (scripts/odoo_test_summary.py reads them with `ast` before Odoo starts);
# - the port must be free before each step that serves it, and the server the
#   repository tests talk to must be the one started here (scripts/port_check.py);
# - an error logged by that server during the repository tests is a failure
#   (scripts/server_log_errors.py);
# - every step has a time limit (scripts/runner_lib.sh), a timeout is a failure;
# - the mail catcher the repository tests read (maildev, on free ports) is the
#   one started here, and stopped at exit.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$REPO_ROOT/scripts/runner_lib.sh"

TEST_DB="${TEST_DB:-ambassador_test}"
TEST_PORT="${TEST_PORT:-8169}"
SETUP_TIMEOUT="${SETUP_TIMEOUT:-1200}"
TEMPLATE_TIMEOUT="${TEMPLATE_TIMEOUT:-1800}"
ODOO_TESTS_TIMEOUT="${ODOO_TESTS_TIMEOUT:-1800}"
SERVER_START_TIMEOUT="${SERVER_START_TIMEOUT:-120}"
PYTEST_TIMEOUT="${PYTEST_TIMEOUT:-1800}"
LOG_DIR="$REPO_ROOT/var/test/$TEST_DB"
mkdir -p "$LOG_DIR"
t_start=$(date +%s)
passed=0
failed=0
skipped=0

# The closing line, and the exit status: non-zero on any failure.
finish() {
    local line="$passed passed, $failed failed"
    [ "$skipped" = 0 ] || line="$line, $skipped skipped"
    echo
    echo "Total time: $(( $(date +%s) - t_start ))s"
    echo "$line"
    if [ "$failed" = 0 ]; then exit 0; else exit 1; fi
}
# A step that cannot go on: one more failure, and the closing line.
abort() {
    printf 'ERROR: %s\n' "$*" >&2
    failed=$((failed + 1))
    finish
}
# Odoo (common.sh's odoo) as a program, for `timeout`: ODOO_PROGRAM ARGS...
ODOO_PROGRAM=(bash -c 'source "$0"; odoo_exec "$@"' "$REPO_ROOT/scripts/common.sh")

step "Setup"
with_timeout "$SETUP_TIMEOUT" "setup" bash "$REPO_ROOT/scripts/setup.sh" --browser \
    || abort "setup failed"

# OCA lint for 11.0 (flake8, pylint-odoo: scripts/lint.sh): one test, passed when clean.
step "Lint: flake8 and pylint-odoo"
if with_timeout "${LINT_TIMEOUT:-900}" "the lint" bash "$REPO_ROOT/scripts/lint.sh"; then
    passed=$((passed + 1))
else
    echo "ERROR: lint findings (bash scripts/lint.sh)" >&2
    failed=$((failed + 1))
fi

step "Dependency template database"
template="$(with_timeout "$TEMPLATE_TIMEOUT" "the template database" \
    bash "$REPO_ROOT/scripts/template_db.sh")" || abort "no template database"
echo "template: $template"

step "Installing ambassador_program with tests into $TEST_DB (copy of $template)"
expected="$LOG_DIR/expected-tests.json"
python3 "$REPO_ROOT/scripts/odoo_test_summary.py" --count "$REPO_ROOT/ambassador_program/tests" \
    > "$expected" || abort "cannot read the addon's test files"
python3 "$REPO_ROOT/scripts/port_check.py" free "$TEST_PORT" \
    || abort "the Odoo tests serve HTTP on port $TEST_PORT: free it or set TEST_PORT"
copy_db "$template" "$TEST_DB"
odoo_log="$LOG_DIR/odoo-tests.log"
: > "$odoo_log"
odoo_rc=0
with_timeout "$ODOO_TESTS_TIMEOUT" "the Odoo tests" "${ODOO_PROGRAM[@]}" -d "$TEST_DB" \
    -i ambassador_program --test-enable --stop-after-init --http-port="$TEST_PORT" \
    --log-level=info --logfile="$odoo_log" --db-filter="^$TEST_DB\$" || odoo_rc=$?
echo "odoo exited with $odoo_rc (full log: ${odoo_log#$REPO_ROOT/})"
# Show our tests and every real problem; skip the known harmless 'Unmet dependencies'.
grep -E "ambassador_program|ERROR|CRITICAL" "$odoo_log" | grep -v "Unmet dependencies" \
    | grep -E " (ERROR|CRITICAL|WARNING) |running tests|Ran [0-9]+ test|\.\.\. |: OK|FAILED|skipped" \
    | cut -c1-400 || true
odoo_counts="$(python3 "$REPO_ROOT/scripts/odoo_test_summary.py" "$odoo_log" \
    --expected "$expected")" || odoo_counts="0 1 0"
read -r odoo_passed odoo_failed odoo_skipped <<< "$odoo_counts"
if grep -q "Address already in use" "$odoo_log"; then
    echo "ERROR: the Odoo tests could not serve port $TEST_PORT (address already in use)" >&2
    odoo_failed=$((odoo_failed + 1))
fi
[ "$odoo_rc" = 0 ] || [ "$odoo_failed" -gt 0 ] || odoo_failed=1
echo "Odoo tests: $odoo_passed passed, $odoo_failed failed, $odoo_skipped skipped"
passed=$((passed + odoo_passed))
failed=$((failed + odoo_failed))
skipped=$((skipped + odoo_skipped))

step "Mail catcher (maildev) for the repository tests"
# The test server mails through it; tests/test_mail_delivery.py reads what was
# delivered through its REST API (MAILDEV_URL). Free ports unless given.
MAILDEV_SMTP_PORT="${MAILDEV_SMTP_PORT:-$(free_port)}"
MAILDEV_WEB_PORT="${MAILDEV_WEB_PORT:-$(free_port)}"
while [ "$MAILDEV_WEB_PORT" = "$MAILDEV_SMTP_PORT" ]; do MAILDEV_WEB_PORT="$(free_port)"; done
server_pid=
stop_servers() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    stop_maildev
}
trap stop_servers EXIT
start_maildev "$MAILDEV_SMTP_PORT" "$MAILDEV_WEB_PORT" "$LOG_DIR/maildev.log" \
    || abort "the mail catcher did not start (ports $MAILDEV_SMTP_PORT, $MAILDEV_WEB_PORT)"
echo "maildev: SMTP 127.0.0.1:$MAILDEV_SMTP_PORT, inbox $MAILDEV_URL"
with_timeout "${MAIL_CONFIG_TIMEOUT:-120}" "configuring the test database's mail" \
    "$PY" "$REPO_ROOT/scripts/configure_mail.py" \
    --addons-path="$(odoo_addons_path),$REPO_ROOT" --data-dir="$DATA_DIR" \
    --db_user="$DB_USER" --log-level=warn -d "$TEST_DB" \
    --smtp-port="$MAILDEV_SMTP_PORT" --base-url="http://127.0.0.1:$TEST_PORT" \
    || abort "cannot point $TEST_DB's outgoing mail at the mail catcher"

step "Repository tests (tests/): browser and scripts, against a server on $TEST_DB"
python3 "$REPO_ROOT/scripts/port_check.py" free "$TEST_PORT" \
    || abort "the test server needs port $TEST_PORT: free it or set TEST_PORT"
server_log="$LOG_DIR/odoo-server.log"
server_stderr="$LOG_DIR/odoo-server.stderr"
: > "$server_log"
odoo_exec -d "$TEST_DB" --http-port="$TEST_PORT" --db-filter="^$TEST_DB\$" --workers=0 \
    --max-cron-threads=0 --log-level=warn --logfile="$server_log" 2> "$server_stderr" &
server_pid=$!
ready=
for _ in $(seq 1 "$SERVER_START_TIMEOUT"); do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$server_log" "$server_stderr" >&2;
        abort "the test server (pid $server_pid) exited before answering"; }
    if curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:$TEST_PORT/web/login"; then
        ready=1
        break
    fi
    sleep 1
done
[ -n "$ready" ] || abort "the test server did not answer on port $TEST_PORT within ${SERVER_START_TIMEOUT}s"
# The server answering must be ours: the socket listening on the port is its own.
python3 "$REPO_ROOT/scripts/port_check.py" owner "$TEST_PORT" "$server_pid" \
    || abort "the server on port $TEST_PORT is not the one started for $TEST_DB"
junit="$LOG_DIR/pytest.xml"
rm -f "$junit"
pytest_rc=0
ODOO_URL="http://127.0.0.1:$TEST_PORT" ODOO_DB="$TEST_DB" ODOO_LOG="$server_log" \
    MAILDEV_URL="$MAILDEV_URL" with_timeout "$PYTEST_TIMEOUT" "the repository tests (pytest)" \
    "$PY" -m pytest -p no:cacheprovider -q -rfEs --junitxml="$junit" "$REPO_ROOT/tests" \
    2>&1 | tee "$LOG_DIR/pytest.log" || pytest_rc=${PIPESTATUS[0]}
server_alive=1
kill -0 "$server_pid" 2>/dev/null || server_alive=
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=
stop_maildev
read -r py_passed py_failed py_skipped <<< \
    "$(python3 "$REPO_ROOT/scripts/pytest_summary.py" "$junit" || echo 0 1 0)"
[ "$pytest_rc" = 0 ] || [ "$py_failed" -gt 0 ] || py_failed=1
if [ -z "$server_alive" ]; then
    echo "ERROR: the test server died during the repository tests" >&2
    py_failed=$((py_failed + 1))
fi
server_errors="$(python3 "$REPO_ROOT/scripts/server_log_errors.py" "$server_log" \
    "$server_stderr" || echo 1)"
if [ "$server_errors" -gt 0 ]; then
    echo "ERROR: $server_errors server-side error(s) during the repository tests" \
        "(${server_log#$REPO_ROOT/})" >&2
fi
echo "Repository tests: $py_passed passed, $py_failed failed, $py_skipped skipped;" \
    "$server_errors server error(s)"
passed=$((passed + py_passed))
failed=$((failed + py_failed + server_errors))
skipped=$((skipped + py_skipped))

finish
