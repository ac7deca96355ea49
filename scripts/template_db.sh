#!/usr/bin/env bash
# Prints the name of a database holding the addon's dependencies, building it
# first if it does not exist:
#   bash scripts/template_db.sh           with demo data, French beside English
#                                         (the tests' and the demo's template);
#   bash scripts/template_db.sh english   with demo data, English only: a stock
#                                         database as `odoo -i` makes it;
#   bash scripts/template_db.sh nodemo    without demo data, English only.
# The name carries a hash of the pinned packages, the dependency list, the
# variant and this recipe, so a change of any builds a new one. A lock per
# variant serialises concurrent callers.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

variant="${1:-french}"
deps="$("$PY" -c "
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
print(','.join(sorted(manifest['depends'])))" "$REPO_ROOT/ambassador_program/__manifest__.py")"
DEMO_OPTIONS=()
LANGUAGE_SETUP=''
case "$variant" in
    french)
        # French is a first language of the programme: installed beside
        # English, and offered by the website.
        LANGUAGE_SETUP='
french = env["base.language.install"].create({"lang": "fr_FR", "overwrite": True})
french.lang_install()
lang = env["res.lang"].search([("code", "=", "fr_FR")])
env["website"].search([]).write({"language_ids": [(4, lang.id)]})
env.cr.commit()
'
        ;;
    english) ;;
    nodemo) DEMO_OPTIONS=(--without-demo=all) ;;
    *) die "unknown template variant '$variant' (french, english or nodemo)" ;;
esac
# Odoo 11, creating a database, marks "to install" the auto-install modules of
# its tree whose dependencies are all absent from the addons path (its SQL joins
# the dependencies to the module list, where absent ones are missing), then
# cannot load them ("Unmet dependencies"): a dozen with pip's Odoo. Left so,
# every later -i/-u tries them again and the cron skips the database ("modules
# to install"). Whatever is still "to install" once the build is over could not
# be loaded: it goes back to "uninstalled", as Odoo's own "Cancel Install" does.
RESET_UNLOADABLE="UPDATE ir_module_module SET state = 'uninstalled', demo = false
    WHERE state = 'to install' RETURNING name"
# The default variant keeps the recipe it always had, plus the reset (so the
# name changes once, and a template built without it is not used).
recipe="$LANGUAGE_SETUP"
[ "$variant" = french ] || recipe="variant=$variant ${DEMO_OPTIONS[*]:-}"
recipe="$recipe
$RESET_UNLOADABLE"
hash="$(printf '%s\n%s\n' "$deps" "$recipe" \
        | cat - "$REPO_ROOT/requirements.txt" "$REPO_ROOT/constraints.txt" \
        | sha256sum | cut -c1-10)"
case "$variant" in
    french) template="ambassador_deps_$hash"; lock=template.lock ;;
    *) template="ambassador_deps_${variant}_$hash"; lock="template-$variant.lock" ;;
esac
mkdir -p "$AMBASSADOR_CACHE"
exec 9>"$AMBASSADOR_CACHE/$lock"
flock 9
if ! db_exists "$template"; then
    echo "Building $template with $deps (a few minutes, once)" >&2
    building="${template}_building"
    dropdb --if-exists "$building"
    rm -rf "$DATA_DIR/filestore/$building"
    log="$REPO_ROOT/var/template_$variant.log"
    [ "$variant" != french ] || log="$REPO_ROOT/var/template.log"
    mkdir -p "$(dirname "$log")"
    odoo -d "$building" -i "$deps" ${DEMO_OPTIONS[@]+"${DEMO_OPTIONS[@]}"} \
        --stop-after-init --http-port=8179 --log-level=warn --logfile="$log" \
        || { tail -n 40 "$log" >&2; die "building $template failed (log: $log)"; }
    if [ -n "$LANGUAGE_SETUP" ]; then
        echo "$LANGUAGE_SETUP" | "$PY" "$ODOO_BIN" shell --addons-path="$(odoo_addons_path)" \
            --data-dir="$DATA_DIR" --db_user="$DB_USER" -d "$building" --no-http \
            --log-level=warn --logfile="$log" >/dev/null \
            || { tail -n 40 "$log" >&2; die "installing French into $template failed"; }
    fi
    reset="$(psql -d "$building" -qtAc "$RESET_UNLOADABLE" | sort | paste -sd' ')"
    [ -z "$reset" ] || echo "Not loadable here (dependencies absent), left uninstalled: $reset" >&2
    pending="$(psql -d "$building" -qtAc \
        "SELECT name || ' (' || state || ')' FROM ir_module_module WHERE state LIKE 'to %'")"
    [ -z "$pending" ] || die "$building has modules still pending: $pending"
    # Renamed only once complete, so an interrupted build is never used.
    psql -d postgres -qc "ALTER DATABASE \"$building\" RENAME TO \"$template\""
    rm -rf "$DATA_DIR/filestore/$template"
    [ ! -d "$DATA_DIR/filestore/$building" ] || mv "$DATA_DIR/filestore/$building" "$DATA_DIR/filestore/$template"
fi
echo "$template"
