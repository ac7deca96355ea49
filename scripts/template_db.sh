#!/usr/bin/env bash
# Prints the name of a database holding the addon's dependencies (with demo data)
# and the French language beside English, building it first if it does not exist.
# The name carries a hash of the pinned packages, the dependency list and this
# recipe, so a change of any builds a new one. A lock serialises concurrent callers.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

deps="$("$PY" -c "
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
print(','.join(sorted(manifest['depends'])))" "$REPO_ROOT/ambassador_program/__manifest__.py")"
# French is a first language of the programme: installed beside English, and
# offered by the website.
LANGUAGE_SETUP='
french = env["base.language.install"].create({"lang": "fr_FR", "overwrite": True})
french.lang_install()
lang = env["res.lang"].search([("code", "=", "fr_FR")])
env["website"].search([]).write({"language_ids": [(4, lang.id)]})
env.cr.commit()
'
hash="$(printf '%s\n%s\n' "$deps" "$LANGUAGE_SETUP" \
        | cat - "$REPO_ROOT/requirements.txt" "$REPO_ROOT/constraints.txt" \
        | sha256sum | cut -c1-10)"
template="ambassador_deps_$hash"
mkdir -p "$AMBASSADOR_CACHE"
exec 9>"$AMBASSADOR_CACHE/template.lock"
flock 9
if ! db_exists "$template"; then
    echo "Building $template with $deps (a few minutes, once)" >&2
    building="${template}_building"
    dropdb --if-exists "$building"
    rm -rf "$DATA_DIR/filestore/$building"
    log="$REPO_ROOT/var/template.log"
    mkdir -p "$(dirname "$log")"
    odoo -d "$building" -i "$deps" --stop-after-init --http-port=8179 \
        --log-level=warn --logfile="$log" \
        || { tail -n 40 "$log" >&2; die "building $template failed (log: $log)"; }
    echo "$LANGUAGE_SETUP" | "$PY" "$ODOO_BIN" shell --addons-path="$(odoo_addons_path)" \
        --data-dir="$DATA_DIR" --db_user="$DB_USER" -d "$building" --no-http \
        --log-level=warn --logfile="$log" >/dev/null \
        || { tail -n 40 "$log" >&2; die "installing French into $template failed"; }
    # Renamed only once complete, so an interrupted build is never used.
    psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$template\""
    rm -rf "$DATA_DIR/filestore/$template"
    [ ! -d "$DATA_DIR/filestore/$building" ] || mv "$DATA_DIR/filestore/$building" "$DATA_DIR/filestore/$template"
fi
echo "$template"
