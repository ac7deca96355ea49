#!/usr/bin/env bash
# The main job: sets up what is missing, creates (once) the demo database with the
# addon and its demo data, updates the addon there when its code changed, starts
# the mail catcher (maildev: every e-mail the demo sends lands in its web inbox,
# http://localhost:1080) and serves Odoo on http://localhost:8069 (admin / admin).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$REPO_ROOT/scripts/runner_lib.sh"

DEMO_DB="${DEMO_DB:-ambassador_demo}"
PORT="${PORT:-8069}"
# The site's address, as e-mailed links give it.
BASE_URL="${BASE_URL:-http://localhost:$PORT}"
MAILDEV_SMTP_PORT="${MAILDEV_SMTP_PORT:-1025}"
MAILDEV_WEB_PORT="${MAILDEV_WEB_PORT:-1080}"

step "Setup"
bash "$REPO_ROOT/scripts/setup.sh"

addon_hash="$(cd "$REPO_ROOT" && find ambassador_program -type f ! -name '*.pyc' -print0 \
              | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
stamp="$DATA_DIR/$DEMO_DB.addon-hash"
if ! db_exists "$DEMO_DB"; then
    step "Creating the demo database $DEMO_DB"
    template="$(bash "$REPO_ROOT/scripts/template_db.sh")"
    copy_db "$template" "$DEMO_DB"
    odoo -d "$DEMO_DB" -i ambassador_program --stop-after-init --log-level=warn \
        --http-port="$PORT" || { dropdb --if-exists "$DEMO_DB"; die "installing the addon failed"; }
    echo "$addon_hash" > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$addon_hash" ]; then
    step "Updating ambassador_program in $DEMO_DB (the addon changed)"
    odoo -d "$DEMO_DB" -u ambassador_program --stop-after-init --log-level=warn \
        --http-port="$PORT" || die "updating the addon failed"
    echo "$addon_hash" > "$stamp"
fi

step "Mail: $DEMO_DB sends through the mail catcher (maildev)"
mkdir -p "$REPO_ROOT/var/run"
start_maildev "$MAILDEV_SMTP_PORT" "$MAILDEV_WEB_PORT" "$REPO_ROOT/var/run/maildev.log" \
    || die "the mail catcher needs ports $MAILDEV_SMTP_PORT (SMTP) and $MAILDEV_WEB_PORT" \
           "(web inbox): free them or set MAILDEV_SMTP_PORT / MAILDEV_WEB_PORT"
odoo_pid=
stop_all() {
    [ -z "$odoo_pid" ] || kill "$odoo_pid" 2>/dev/null || true
    stop_maildev
}
trap stop_all EXIT
trap 'exit 130' INT TERM
# The demo database's outgoing server, links and queue (every minute), set here
# and not in the addon's data: a production database keeps its own.
"$PY" "$REPO_ROOT/scripts/configure_mail.py" --addons-path="$(odoo_addons_path),$REPO_ROOT" \
    --data-dir="$DATA_DIR" --db_user="$DB_USER" --log-level=warn -d "$DEMO_DB" \
    --smtp-port="$MAILDEV_SMTP_PORT" --base-url="$BASE_URL" --queue-minutes=1 \
    || die "configuring the demo database's outgoing mail failed"

step "Serving $DEMO_DB on $BASE_URL (login: admin / admin; Ctrl-C stops)"
echo "Web inbox (every e-mail the demo sends): $MAILDEV_URL"
echo "Sign up on $BASE_URL/ambassadors, then open the confirmation e-mail there"
echo "(the mail queue runs every minute)."
odoo_exec -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$PORT" --log-level=info &
odoo_pid=$!
wait "$odoo_pid"
