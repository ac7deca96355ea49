#!/usr/bin/env bash
# The main job: sets up what is missing, creates (once) the demo database with the
# addon and its demo data, updates the addon there when its code changed, and serves
# Odoo on http://localhost:8069 (login admin / admin).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DEMO_DB="${DEMO_DB:-ambassador_demo}"
PORT="${PORT:-8069}"

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

step "Serving $DEMO_DB on http://localhost:$PORT (login: admin / admin; Ctrl-C stops)"
odoo_exec -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$PORT" --log-level=info
