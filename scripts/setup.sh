#!/usr/bin/env bash
# Installs what the addon needs, from the package registries only, idempotently:
# a Python 3.7 venv with Odoo 11.0 and pinned dependencies, Node tools (lessc 2.x, maildev, axe-core), a running
# PostgreSQL with a role for this user, and (with --browser) Debian's Chromium.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

setup_python() {
    local stamp="$VENV/.requirements.sha" want
    want="$(cat "$REPO_ROOT/requirements.txt" "$REPO_ROOT/constraints.txt" | sha256sum | cut -c1-16)"
    if [ -x "$PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        echo "Python venv up to date ($VENV)"; return
    fi
    local py37
    py37="$(find_python37)" || die "Python 3.7 not found: Odoo 11 needs it. Install it (e.g. 'pyenv install 3.7.16') or set PYTHON37=/path/to/python3.7."
    step "Creating the Python 3.7 venv in $VENV (with $py37)"
    mkdir -p "$AMBASSADOR_CACHE"
    [ -x "$PY" ] || "$py37" -m venv "$VENV"
    "$PY" -m pip install --quiet --progress-bar off "pip<24" wheel
    step "Installing Odoo 11.0 and its pinned dependencies (about a minute)"
    "$PY" -m pip install --progress-bar off -r "$REPO_ROOT/requirements.txt" \
        -c "$REPO_ROOT/constraints.txt" 2>&1 | grep -E '^(Collecting|Successfully|ERROR)' || true
    "$PY" -c 'import odoo, odoo.release as r; assert r.version_info[0] == 11, r.version' \
        || die "Odoo 11 did not install in $VENV"
    echo "$want" > "$stamp"
}

# Node tools, pinned: lessc 2.x (website themes), maildev (the local mail catcher
# of the demo and the tests: SMTP on loopback and a web inbox with a REST API),
# axe-core (the WCAG checks injected into the browser tests).
NODE_TOOLS="less@2.7.3 maildev@2.2.1 axe-core@4.10.3"

setup_node_tools() {
    local stamp="$NODE_PREFIX/.tools"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$NODE_TOOLS" ] \
            && [ -x "$NODE_PREFIX/node_modules/.bin/lessc" ] \
            && [ -x "$NODE_PREFIX/node_modules/.bin/maildev" ] \
            && [ -f "$NODE_PREFIX/node_modules/axe-core/axe.min.js" ]; then
        echo "node tools present ($NODE_TOOLS)"; return
    fi
    command -v npm >/dev/null || die "npm is needed to install $NODE_TOOLS (apt-get install npm)"
    step "Installing $NODE_TOOLS from npm"
    mkdir -p "$NODE_PREFIX"
    # shellcheck disable=SC2086
    npm install --silent --no-audit --no-fund --prefix "$NODE_PREFIX" $NODE_TOOLS >/dev/null \
        || die "npm could not install $NODE_TOOLS"
    echo "$NODE_TOOLS" > "$stamp"
}

setup_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        step "Starting PostgreSQL $PG_VERSION"
        command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed (apt-get install postgresql)"
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not start"
    fi
    if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        step "Creating the PostgreSQL role $DB_USER"
        runuser -u postgres -- psql -qc "CREATE ROLE \"$DB_USER\" SUPERUSER LOGIN" \
            || die "could not create the PostgreSQL role $DB_USER"
    fi
    echo "PostgreSQL ready (role $DB_USER)"
}

setup_browser() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        echo "Chromium present"; return
    fi
    step "Installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
}

# nginx for the production-shaped setup (scripts/production/serve.sh), which
# tests/test_production_setup.py starts briefly; run with its own prefix, never
# as the system service.
setup_nginx() {
    if [ -x /usr/sbin/nginx ]; then
        echo "nginx present"; return
    fi
    step "Installing Debian's nginx"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq nginx >/dev/null
}

# The steering committee's PDF (QWeb reports): Debian's wkhtmltopdf (0.12.6,
# which Odoo 11 renders with), and pdftotext/pdftoppm for the tests.
setup_pdf_tools() {
    if [ -x /usr/bin/wkhtmltopdf ] && [ -x /usr/bin/pdftotext ]; then
        echo "wkhtmltopdf and poppler-utils present"; return
    fi
    step "Installing Debian's wkhtmltopdf and poppler-utils"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq wkhtmltopdf poppler-utils >/dev/null
}

setup_python
setup_node_tools
setup_postgres
[ "$want_browser" = 1 ] && setup_browser
[ "$want_browser" = 1 ] && setup_nginx
setup_pdf_tools
exit 0
