#!/usr/bin/env bash
# The test command: sets up what is missing, builds (once) a template database with
# the addon's dependencies, then runs four independent tracks at once (a 2-core
# machine runs them in about half the time they take one after the other):
#   - the lint (scripts/lint.sh), one test, passed when clean;
#   - the addon's tests in Odoo: a copy of the template ($TEST_DB) where the addon
#     is installed with its tests enabled;
#   - the repository tests that need no server (tests/ marked `standalone`:
#     upgrades, installs into other databases, packaging, the runner's scripts);
#   - the other repository tests (browser, scripts) against a live server on
#     another copy ($LIVE_DB), where the addon is installed without its tests.
# Exits non-zero on any failure; the last line is `N passed, N failed` (`, N
# skipped` added when tests were skipped), after the time each phase took.
# It cannot be fooled (tests/test_runner_scripts.py tests each check):
# - a skipped test counts as skipped, in Odoo (unittest's summary lines) and in
#   pytest (read from its JUnit XML, not its printed output);
# - every test the addon's test files define must have run, once
#   (scripts/odoo_test_summary.py reads them with `ast` before Odoo starts);
# - every repository test runs once: the two pytest runs split tests/ by the
#   `standalone` marker (`-m standalone`, `-m "not standalone"`);
# - the port must be free before each step that serves it, and the server the
#   repository tests talk to must be the one started here (scripts/port_check.py);
# - an error logged by that server during the repository tests is a failure
#   (scripts/server_log_errors.py);
# - every step has a time limit (scripts/runner_lib.sh), a timeout is a failure;
#   a track that ends without its result counts as a failure;
# - the mail catcher the repository tests read (maildev, on free ports) is the
#   one started here, and stopped at exit.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$REPO_ROOT/scripts/runner_lib.sh"

TEST_DB="${TEST_DB:-ambassador_test}"
TEST_PORT="${TEST_PORT:-8169}"
LIVE_DB="${LIVE_DB:-${TEST_DB}_live}"
LIVE_PORT="${LIVE_PORT:-$((TEST_PORT + 1))}"
SETUP_TIMEOUT="${SETUP_TIMEOUT:-1200}"
TEMPLATE_TIMEOUT="${TEMPLATE_TIMEOUT:-1800}"
ODOO_TESTS_TIMEOUT="${ODOO_TESTS_TIMEOUT:-1800}"
INSTALL_TIMEOUT="${INSTALL_TIMEOUT:-900}"
SERVER_START_TIMEOUT="${SERVER_START_TIMEOUT:-120}"
PYTEST_TIMEOUT="${PYTEST_TIMEOUT:-1800}"
# The standalone tests build the English-only and no-demo templates on a new machine.
STANDALONE_TIMEOUT="${STANDALONE_TIMEOUT:-2700}"
LOG_DIR="$REPO_ROOT/var/test/$TEST_DB"
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.result "$LOG_DIR"/*.seconds
t_start=$(date +%s)
passed=0
failed=0
skipped=0
# Background tracks: name -> pid.
declare -A track_pids=()
server_pid=

# The time of each phase (the background tracks overlap), then the total.
print_timings() {
    local name
    echo
    echo "Time per phase (s; after the template, lint, odoo-tests, standalone-tests and"
    echo "live-install then live-tests run at once):"
    for name in setup template lint copies odoo-tests standalone-tests live-install \
                live-tests; do
        [ -f "$LOG_DIR/$name.seconds" ] || continue
        printf '  %-17s %5s\n' "$name" "$(cat "$LOG_DIR/$name.seconds")"
    done
    echo "Total time: $(( $(date +%s) - t_start ))s"
}

# The closing line, and the exit status: non-zero on any failure.
finish() {
    local line="$passed passed, $failed failed"
    [ "$skipped" = 0 ] || line="$line, $skipped skipped"
    print_timings
    echo "$line"
    if [ "$failed" = 0 ]; then exit 0; else exit 1; fi
}

# A step that cannot go on: one more failure, and the closing line.
abort() {
    printf 'ERROR: %s\n' "$*" >&2
    failed=$((failed + 1))
    stop_tracks
    finish
}

# Odoo (common.sh's odoo) as a program, for `timeout`: ODOO_PROGRAM ARGS...
ODOO_PROGRAM=(bash -c 'source "$0"; odoo_exec "$@"' "$REPO_ROOT/scripts/common.sh")

# ---------------------------------------------------------------------------
# The tracks
# ---------------------------------------------------------------------------
# OCA lint for 11.0 (flake8, pylint-odoo: scripts/lint.sh): one test, passed when clean.
lint_track() {
    local result="$1"
    if with_timeout "${LINT_TIMEOUT:-900}" "the lint" bash "$REPO_ROOT/scripts/lint.sh"; then
        echo "1 0 0" > "$result"
    else
        echo "ERROR: lint findings (bash scripts/lint.sh)" >&2
        echo "0 1 0" > "$result"
    fi
}

# The addon installed with its tests enabled into $TEST_DB (a fresh copy).
odoo_tests_track() {
    local result="$1" expected="$LOG_DIR/expected-tests.json" odoo_rc=0
    local odoo_log="$LOG_DIR/odoo-tests.log" counts odoo_passed odoo_failed odoo_skipped
    : > "$odoo_log"
    with_timeout "$ODOO_TESTS_TIMEOUT" "the Odoo tests" "${ODOO_PROGRAM[@]}" -d "$TEST_DB" \
        -i ambassador_program --test-enable --stop-after-init --http-port="$TEST_PORT" \
        --log-level=info --logfile="$odoo_log" --db-filter="^$TEST_DB\$" || odoo_rc=$?
    echo "odoo exited with $odoo_rc (full log: ${odoo_log#$REPO_ROOT/})"
    # Show our tests and every real problem.
    grep -E "ambassador_program|ERROR|CRITICAL" "$odoo_log" \
        | grep -E " (ERROR|CRITICAL|WARNING) |running tests|Ran [0-9]+ test|\.\.\. |: OK|FAILED|skipped" \
        | cut -c1-400 || true
    echo "Slowest test modules:"
    grep -oE "ambassador_program\.tests\.[a-z0-9_]+ tested in [0-9.]+s" "$odoo_log" \
        | sort -t' ' -k4 -g -r | head -n 10 | sed 's/^/  /' || true
    counts="$(python3 "$REPO_ROOT/scripts/odoo_test_summary.py" "$odoo_log" \
        --expected "$expected")" || counts="0 1 0"
    read -r odoo_passed odoo_failed odoo_skipped <<< "$counts"
    if grep -q "Address already in use" "$odoo_log"; then
        echo "ERROR: the Odoo tests could not serve port $TEST_PORT (address already in use)" >&2
        odoo_failed=$((odoo_failed + 1))
    fi
    [ "$odoo_rc" = 0 ] || [ "$odoo_failed" -gt 0 ] || odoo_failed=1
    echo "Odoo tests: $odoo_passed passed, $odoo_failed failed, $odoo_skipped skipped"
    echo "$odoo_passed $odoo_failed $odoo_skipped" > "$result"
}

# run_pytest NAME MARKER_EXPRESSION RESULT TIMEOUT [VAR=VALUE...]: pytest on
# tests/ for the tests the marker expression selects, with the variables given;
# counts read from its JUnit XML (NAME.xml), its output also in NAME.out.
run_pytest() {
    local name="$1" marker="$2" result="$3" timeout="$4" junit="$LOG_DIR/$1.xml"
    local rc=0 counts p f s
    shift 4
    rm -f "$junit"
    with_timeout "$timeout" "the repository tests ($name)" env "$@" \
        "$PY" -m pytest -p no:cacheprovider -q -rfEs --durations=15 -m "$marker" \
        --junitxml="$junit" "$REPO_ROOT/tests" 2>&1 | tee "$LOG_DIR/$name.out" \
        || rc=${PIPESTATUS[0]}
    counts="$(python3 "$REPO_ROOT/scripts/pytest_summary.py" "$junit" || echo 0 1 0)"
    read -r p f s <<< "$counts"
    [ "$rc" = 0 ] || [ "$f" -gt 0 ] || f=1
    echo "Repository tests ($name): $p passed, $f failed, $s skipped"
    echo "$p $f $s" > "$result"
}

# The repository tests that need neither the live server nor its database. (Not
# niced: on a machine shared with other work, a niced track starves and ends last.)
standalone_track() {
    run_pytest standalone-tests standalone "$1" "$STANDALONE_TIMEOUT"
}

# ---------------------------------------------------------------------------
# Setup and the template, then the tracks
# ---------------------------------------------------------------------------
step "Setup"
timed setup with_timeout "$SETUP_TIMEOUT" "setup" bash "$REPO_ROOT/scripts/setup.sh" \
    --browser || abort "setup failed"
stop_servers() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    stop_maildev
}
trap 'stop_tracks; stop_servers' EXIT
trap 'exit 130' INT TERM

step "Lint: flake8 and pylint-odoo (in the background, output below at the end)"
start_track lint lint_track

step "Dependency template database"
template="$(timed template with_timeout "$TEMPLATE_TIMEOUT" "the template database" \
    bash "$REPO_ROOT/scripts/template_db.sh")" || abort "no template database"
echo "template: $template"

step "Copies of $template: $TEST_DB (Odoo tests), $LIVE_DB (live server)"
python3 "$REPO_ROOT/scripts/odoo_test_summary.py" --count "$REPO_ROOT/ambassador_program/tests" \
    > "$LOG_DIR/expected-tests.json" || abort "cannot read the addon's test files"
python3 "$REPO_ROOT/scripts/port_check.py" free "$TEST_PORT" \
    || abort "the Odoo tests serve HTTP on port $TEST_PORT: free it or set TEST_PORT"
python3 "$REPO_ROOT/scripts/port_check.py" free "$LIVE_PORT" \
    || abort "the test server needs port $LIVE_PORT: free it or set LIVE_PORT"
[ "$LIVE_PORT" != "$TEST_PORT" ] || abort "TEST_PORT and LIVE_PORT must differ"
[ "$LIVE_DB" != "$TEST_DB" ] || abort "TEST_DB and LIVE_DB must differ"
timed copies bash -c 'source "$0"; copy_db "$1" "$2" && copy_db "$1" "$3"' \
    "$REPO_ROOT/scripts/common.sh" "$template" "$TEST_DB" "$LIVE_DB" \
    || abort "cannot copy $template"

step "Installing ambassador_program with tests into $TEST_DB (in the background)"
start_track odoo-tests odoo_tests_track
step "Repository tests marked standalone (in the background)"
start_track standalone-tests standalone_track

step "Installing ambassador_program into $LIVE_DB (for the live server)"
install_log="$LOG_DIR/live-install.log"
timed live-install with_timeout "$INSTALL_TIMEOUT" "installing the addon into $LIVE_DB" \
    "${ODOO_PROGRAM[@]}" -d "$LIVE_DB" -i ambassador_program --stop-after-init \
    --http-port="$LIVE_PORT" --db-filter="^$LIVE_DB\$" --log-level=warn \
    --logfile="$install_log" \
    || { tail -n 40 "$install_log" >&2; abort "installing the addon into $LIVE_DB failed"; }

step "Mail catcher (maildev) for the repository tests"
# The test server mails through it; tests/test_mail_delivery.py reads what was
# delivered through its REST API (MAILDEV_URL). Free ports unless given.
MAILDEV_SMTP_PORT="${MAILDEV_SMTP_PORT:-$(free_port)}"
MAILDEV_WEB_PORT="${MAILDEV_WEB_PORT:-$(free_port)}"
while [ "$MAILDEV_WEB_PORT" = "$MAILDEV_SMTP_PORT" ]; do MAILDEV_WEB_PORT="$(free_port)"; done
start_maildev "$MAILDEV_SMTP_PORT" "$MAILDEV_WEB_PORT" "$LOG_DIR/maildev.log" \
    || abort "the mail catcher did not start (ports $MAILDEV_SMTP_PORT, $MAILDEV_WEB_PORT)"
echo "maildev: SMTP 127.0.0.1:$MAILDEV_SMTP_PORT, inbox $MAILDEV_URL"
with_timeout "${MAIL_CONFIG_TIMEOUT:-120}" "configuring the test database's mail" \
    "$PY" "$REPO_ROOT/scripts/configure_mail.py" \
    --addons-path="$(odoo_addons_path),$REPO_ROOT" --data-dir="$DATA_DIR" \
    --db_user="$DB_USER" --log-level=warn -d "$LIVE_DB" \
    --smtp-port="$MAILDEV_SMTP_PORT" --base-url="http://127.0.0.1:$LIVE_PORT" \
    || abort "cannot point $LIVE_DB's outgoing mail at the mail catcher"

step "Repository tests (tests/): browser and scripts, against a server on $LIVE_DB"
python3 "$REPO_ROOT/scripts/port_check.py" free "$LIVE_PORT" \
    || abort "the test server needs port $LIVE_PORT: free it or set LIVE_PORT"
live_started=$(date +%s)
server_log="$LOG_DIR/odoo-server.log"
server_stderr="$LOG_DIR/odoo-server.stderr"
: > "$server_log"
odoo_exec -d "$LIVE_DB" --http-port="$LIVE_PORT" --db-filter="^$LIVE_DB\$" --workers=0 \
    --max-cron-threads=0 --log-level=warn --logfile="$server_log" 2> "$server_stderr" &
server_pid=$!
ready=
for _ in $(seq 1 "$SERVER_START_TIMEOUT"); do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$server_log" "$server_stderr" >&2;
        abort "the test server (pid $server_pid) exited before answering"; }
    if curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:$LIVE_PORT/web/login"; then
        ready=1
        break
    fi
    sleep 1
done
[ -n "$ready" ] || abort "the test server did not answer on port $LIVE_PORT within ${SERVER_START_TIMEOUT}s"
# The server answering must be ours: the socket listening on the port is its own.
python3 "$REPO_ROOT/scripts/port_check.py" owner "$LIVE_PORT" "$server_pid" \
    || abort "the server on port $LIVE_PORT is not the one started for $LIVE_DB"
run_pytest live-tests "not standalone" "$LOG_DIR/live-tests.result" "$PYTEST_TIMEOUT" \
    ODOO_URL="http://127.0.0.1:$LIVE_PORT" ODOO_DB="$LIVE_DB" ODOO_LOG="$server_log" \
    MAILDEV_URL="$MAILDEV_URL"
server_alive=1
kill -0 "$server_pid" 2>/dev/null || server_alive=
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=
stop_maildev
echo "$(( $(date +%s) - live_started ))" > "$LOG_DIR/live-tests.seconds"
read -r py_passed py_failed py_skipped < "$LOG_DIR/live-tests.result" \
    || { py_passed=0; py_failed=1; py_skipped=0; }
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
echo "Repository tests against the server: $py_passed passed, $py_failed failed," \
    "$py_skipped skipped; $server_errors server error(s)"
passed=$((passed + py_passed))
failed=$((failed + py_failed + server_errors))
skipped=$((skipped + py_skipped))

join_track lint "Lint: flake8 and pylint-odoo"
join_track odoo-tests "Odoo tests (ambassador_program installed with tests into $TEST_DB)"
join_track standalone-tests "Repository tests that need no server (marked standalone)"

finish
