#!/usr/bin/env bash
# Developer loop (not CI): run some test files of the addon on a database of your
# own, updated with the working tree's code, in a minute instead of the whole suite.
#   bash scripts/dev_test.sh DB ambassador_program/tests/test_x.py[,test_y.py] [PORT]
# The first call copies the dependency template and installs the addon (with its
# demo data, which at-install tests need); later calls only update it. The log
# is var/dev/DB.log; the summary line is printed at the end.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
db="${1:?database name}"
files="${2:?test files, comma-separated}"
port="${3:-$((9000 + RANDOM % 500))}"
log_dir="$REPO_ROOT/var/dev"
mkdir -p "$log_dir"
log="$log_dir/$db.log"
: > "$log"
if ! db_exists "$db"; then
    template="$(bash "$REPO_ROOT/scripts/template_db.sh")"
    copy_db "$template" "$db"
    mode=(-i ambassador_program)
else
    mode=(-u ambassador_program)
fi
set +e
"$PY" "$REPO_ROOT/scripts/odoo_test_files.py" --addons-path="$(odoo_addons_path),$REPO_ROOT" \
    --data-dir="$DATA_DIR" --db_user="$DB_USER" -d "$db" "${mode[@]}" \
    --test-file="$files" --stop-after-init --http-port="$port" --db-filter="^$db\$" \
    --log-level=info --logfile="$log"
rc=$?
set -e
grep -E "(ERROR|CRITICAL|FAIL|Traceback)" "$log" | grep -v "Unmet dependencies" | cut -c1-300 | head -40 || true
grep -E "^(FAIL|ERROR): |^Ran |^OK|FAILED" "$log" | head -40 || true
ran=$(grep -oE "Ran [0-9]+ tests?" "$log" | awk '{n += $2} END {print n + 0}')
failed=$(grep -cE ": (FAIL|ERROR): " "$log" || true)
echo "odoo rc=$rc; $((ran - failed)) passed, $failed failed (log: ${log#$REPO_ROOT/})"
