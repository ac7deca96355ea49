# Shared settings and helpers of the repository's scripts; sourced, not run.
# Everything installed lands in $AMBASSADOR_CACHE (outside the clone) so that a second
# run, or a new clone on the same machine, reuses it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AMBASSADOR_CACHE="${AMBASSADOR_CACHE:-$HOME/.cache/ambassador_program}"
VENV="$AMBASSADOR_CACHE/venv"
NODE_PREFIX="$AMBASSADOR_CACHE/node"
PY="$VENV/bin/python"
ODOO_BIN="$REPO_ROOT/scripts/odoo-bin"
DATA_DIR="$AMBASSADOR_CACHE/data"
PG_VERSION="${PG_VERSION:-15}"
DB_USER="${DB_USER:-$(id -un)}"
# web_editor and website need lessc 2.x on PATH to compile the themes' LESS.
export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"
# Odoo 11's threaded server may serve an early request with a half-built registry
# when it preloads every addon shipped with static files (see odoo/http.py).
export ODOO_PRELOAD_ADDONS="${ODOO_PRELOAD_ADDONS:-no}"

# The Python 3.7 that Odoo 11 needs (setup.sh for Odoo, lint.sh for its tools).
find_python37() {
    # pyenv's python3.7 shim refuses to run while another version is global, so the
    # interpreter inside pyenv's versions folder comes before the one on PATH.
    local candidate
    for candidate in ${PYTHON37:-} "$HOME"/.pyenv/versions/3.7*/bin/python3.7 \
                     /usr/local/bin/python3.7 /usr/bin/python3.7 python3.7; do
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

odoo_addons_path() {
    "$PY" -c 'import odoo.addons, os; print(os.path.dirname(odoo.addons.__file__))'
}

# Run Odoo with the repository's addon on the addons path.
odoo() {
    "$PY" "$ODOO_BIN" --addons-path="$(odoo_addons_path),$REPO_ROOT" \
        --data-dir="$DATA_DIR" --db_user="$DB_USER" "$@"
}

# The same, replacing the calling (sub)shell: `odoo_exec ... &` leaves in $! the
# process of Odoo itself, so that `kill $!` stops the server.
odoo_exec() {
    exec "$PY" "$ODOO_BIN" --addons-path="$(odoo_addons_path),$REPO_ROOT" \
        --data-dir="$DATA_DIR" --db_user="$DB_USER" "$@"
}

# Copy a database with its filestore (attachments such as product images live there).
copy_db() {
    local source="$1" target="$2"
    dropdb --if-exists "$target"
    rm -rf "$DATA_DIR/filestore/$target"
    createdb -T "$source" "$target"
    if [ -d "$DATA_DIR/filestore/$source" ]; then
        mkdir -p "$DATA_DIR/filestore"
        cp -r "$DATA_DIR/filestore/$source" "$DATA_DIR/filestore/$target"
    fi
}

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}
