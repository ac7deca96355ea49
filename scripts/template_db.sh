#!/usr/bin/env bash
# Prints the name of a database holding the addon's dependencies (with demo data),
# building it first if it does not exist. The name carries a hash of the pinned
# packages and of the dependency list, so a change of either builds a new one.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

deps="$("$PY" -c "
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
print(','.join(sorted(manifest['depends'])))" "$REPO_ROOT/ambassador_program/__manifest__.py")"
# French is a first language of the programme: the template carries it.
languages="fr_FR"
hash="$(printf '%s %s\n' "$deps" "$languages" | cat - "$REPO_ROOT/requirements.txt" "$REPO_ROOT/constraints.txt" \
        | sha256sum | cut -c1-10)"
template="ambassador_deps_$hash"
if ! db_exists "$template"; then
    echo "Building $template with $deps (a few minutes, once)" >&2
    building="${template}_building"
    dropdb --if-exists "$building"
    log="$REPO_ROOT/var/template.log"
    mkdir -p "$(dirname "$log")"
    odoo -d "$building" -i "$deps" --load-language="$languages" --stop-after-init --http-port=8179 \
        --log-level=warn --logfile="$log" \
        || { tail -n 40 "$log" >&2; die "building $template failed (log: $log)"; }
    # Renamed only once complete, so an interrupted build is never used.
    psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$template\""
    rm -rf "$DATA_DIR/filestore/$template"
    # Older templates (other pins or dependencies) are of no further use.
    for old in $(psql -d postgres -tAc "SELECT datname FROM pg_database
                 WHERE datname LIKE 'ambassador\_deps\_%' AND datname <> '$template'
                   AND datname NOT LIKE '%\_building'"); do
        dropdb --if-exists "$old" && rm -rf "$DATA_DIR/filestore/$old"
    done
    [ ! -d "$DATA_DIR/filestore/$building" ] || mv "$DATA_DIR/filestore/$building" "$DATA_DIR/filestore/$template"
fi
echo "$template"
