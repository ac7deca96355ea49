#!/usr/bin/env bash
# Production-shaped deployment on one machine (loopback only): nginx in front of
# two Odoo 11 servers in prefork mode (--workers) on the same database and the
# same data_dir (filestore and sessions), each with its longpolling process and
# a cron worker. docs/PRODUCTION.md explains the choices.
#
#   bash scripts/production/serve.sh start|stop|status|restart|config [DB] [BASE_PORT]
#
# Ports: nginx BASE_PORT (the site), server 1 BASE_PORT+1 (HTTP) and +2
# (longpolling), server 2 BASE_PORT+3 and +4. Defaults: DB=ambassador_demo
# (scripts/run.sh builds it), BASE_PORT=8080. Environment: WORKERS (HTTP workers
# per server, 3), CRON_THREADS (cron workers per server, 1; 0 for none),
# LOG_LEVEL (info), SERVE_DIR (var/production/<DB>-<BASE_PORT>: configs, pids, logs),
# SERVE_DATA_DIR (the shared data_dir: filestore and sessions; the repository's
# default), SERVE_DB_HOST and SERVE_DB_PORT (the PostgreSQL server; default: the
# local socket, as the other scripts), e.g. the fault harness's own cluster
# (scripts/faults/run_faults.py). `config` only writes the configuration files.
# start is idempotent (starts only what is not running) and waits until the site
# answers through nginx; stop stops everything start started (and only that).
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

action="${1:-status}"
DB="${2:-${DB:-ambassador_demo}}"
BASE_PORT="${3:-${BASE_PORT:-8080}}"
WORKERS="${WORKERS:-3}"
CRON_THREADS="${CRON_THREADS:-1}"
LOG_LEVEL="${LOG_LEVEL:-info}"
SERVE_DIR="${SERVE_DIR:-$REPO_ROOT/var/production/$DB-$BASE_PORT}"
NGINX_PREFIX="$SERVE_DIR/nginx"
NGINX_BIN="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
SERVERS=(1 2)
START_TIMEOUT="${START_TIMEOUT:-180}"
DATA_DIR="${SERVE_DATA_DIR:-$DATA_DIR}"
DB_HOST="${SERVE_DB_HOST:-}"
DB_PORT="${SERVE_DB_PORT:-}"
# db_exists (psql) asks the same PostgreSQL server as the Odoo servers.
if [ -n "$DB_HOST" ]; then export PGHOST="$DB_HOST"; fi
if [ -n "$DB_PORT" ]; then export PGPORT="$DB_PORT"; fi
STOP_GRACE="${STOP_GRACE:-10}"

http_port() { echo $((BASE_PORT + 2 * $1 - 1)); }
longpolling_port() { echo $((BASE_PORT + 2 * $1)); }
pidfile_of() { echo "$SERVE_DIR/$1.pid"; }

# The pid recorded for a component, when that process still runs.
running_pid() {
    local file pid
    file="$(pidfile_of "$1")"
    [ -f "$file" ] || return 1
    pid="$(cat "$file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

port_busy() {
    "$PY" - "$1" <<'PYEOF'
import socket, sys
# Like the servers (SO_REUSEADDR): a port left in TIME_WAIT by a stop is free.
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PYEOF
}

render() {  # template output KEY=VALUE...
    local template="$1" output="$2" line key value
    shift 2
    cp "$template" "$output.tmp"
    for line in "$@"; do
        key="${line%%=*}"
        value="${line#*=}"
        # | never appears in our paths; escape & and \ for sed.
        value="$(printf '%s' "$value" | sed -e 's/[\\&|]/\\&/g')"
        sed -i "s|@$key@|$value|g" "$output.tmp"
    done
    mv "$output.tmp" "$output"
}

write_configs() {
    mkdir -p "$SERVE_DIR" "$NGINX_PREFIX/logs" "$NGINX_PREFIX/tmp"
    local core n user_line=""
    core="$(odoo_addons_path)"
    for n in "${SERVERS[@]}"; do
        render "$REPO_ROOT/scripts/production/odoo.conf.in" "$SERVE_DIR/odoo-$n.conf" \
            "ADDONS_PATH=$core,$REPO_ROOT" "DATA_DIR=$DATA_DIR" "DB=$DB" \
            "DB_USER=$DB_USER" "DB_HOST=${DB_HOST:-False}" "DB_PORT=${DB_PORT:-False}" \
            "HTTP_PORT=$(http_port "$n")" \
            "LONGPOLLING_PORT=$(longpolling_port "$n")" "WORKERS=$WORKERS" \
            "CRON_THREADS=$CRON_THREADS" "LOGFILE=$SERVE_DIR/odoo-$n.log" \
            "LOG_LEVEL=$LOG_LEVEL" "PIDFILE=$SERVE_DIR/odoo-$n.master.pid"
    done
    # nginx's workers must read the addons' static files: as root they run as
    # the user who owns the repository (not nobody, who cannot enter /root).
    if [ "$(id -u)" = 0 ]; then
        user_line="user $(stat -c %U "$REPO_ROOT") $(stat -c %G "$REPO_ROOT");"
    fi
    render "$REPO_ROOT/scripts/production/nginx.conf.in" "$NGINX_PREFIX/nginx.conf" \
        "USER_LINE=$user_line" "PREFIX=$NGINX_PREFIX" "PORT=$BASE_PORT" \
        "HTTP_PORT_1=$(http_port 1)" "HTTP_PORT_2=$(http_port 2)" \
        "LONGPOLLING_PORT_1=$(longpolling_port 1)" \
        "LONGPOLLING_PORT_2=$(longpolling_port 2)" \
        "REPO_ROOT=$REPO_ROOT" "CORE_ADDONS=$core"
}

start_odoo() {
    local n="$1" pid
    if pid="$(running_pid "odoo-$n")"; then
        echo "odoo-$n already running (pid $pid)"; return 0
    fi
    for port in "$(http_port "$n")" "$(longpolling_port "$n")"; do
        port_busy "$port" && die "port $port is taken by another process"
    done
    # setsid: the server and its workers form their own process group, which
    # outlives this shell and which stop ends as a whole.
    setsid "$PY" "$ODOO_BIN" -c "$SERVE_DIR/odoo-$n.conf" \
        >> "$SERVE_DIR/odoo-$n.out" 2>&1 < /dev/null &
    echo $! > "$(pidfile_of "odoo-$n")"
    echo "odoo-$n started (pid $!, http 127.0.0.1:$(http_port "$n"), longpolling $(longpolling_port "$n"))"
}

start_nginx() {
    local pid
    if pid="$(running_pid nginx)"; then
        echo "nginx already running (pid $pid)"; return 0
    fi
    [ -x "$NGINX_BIN" ] || die "nginx is not installed (apt-get install -y nginx)"
    port_busy "$BASE_PORT" && die "port $BASE_PORT is taken by another process"
    "$NGINX_BIN" -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -t -q \
        || die "nginx refuses its configuration $NGINX_PREFIX/nginx.conf"
    setsid "$NGINX_BIN" -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" \
        >> "$NGINX_PREFIX/logs/nginx.out" 2>&1 < /dev/null &
    echo $! > "$(pidfile_of nginx)"
    echo "nginx started (pid $!, http://127.0.0.1:$BASE_PORT)"
}

# Wait until a URL answers 200 (or give up after START_TIMEOUT seconds).
wait_ok() {
    "$PY" - "$1" "$START_TIMEOUT" <<'PYEOF'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.time() + float(sys.argv[2])
while True:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            if response.status == 200:
                sys.exit(0)
    except Exception as error:  # not up yet
        last = error
    if time.time() > deadline:
        print("no answer from %s: %s" % (url, last), file=sys.stderr)
        sys.exit(1)
    time.sleep(1)
PYEOF
}

# Graceful first (Odoo lets its workers finish their request, nginx its
# connections); after STOP_GRACE seconds the signal again (Odoo: "Forced
# shutdown"), then, 5 s later, KILL for what is left of the process group.
stop_component() {
    local name="$1" signal="$2" pid waited=0
    if ! pid="$(running_pid "$name")"; then
        rm -f "$(pidfile_of "$name")"; return 0
    fi
    kill "-$signal" "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $(((STOP_GRACE + 5) * 2)) ]; do
        sleep 0.5; waited=$((waited + 1))
        if [ "$waited" = "$((STOP_GRACE * 2))" ]; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$(pidfile_of "$name")"
    echo "$name stopped (pid $pid)"
}

print_logs() {
    echo "Logs:"
    for n in "${SERVERS[@]}"; do
        echo "  odoo-$n: $SERVE_DIR/odoo-$n.log (stdout/stderr: $SERVE_DIR/odoo-$n.out)"
    done
    echo "  nginx:  $NGINX_PREFIX/logs/access.log, $NGINX_PREFIX/logs/error.log"
}

status() {
    local up=0 total=0 name pid
    echo "Deployment of $DB on http://127.0.0.1:$BASE_PORT (files: $SERVE_DIR)"
    for name in odoo-1 odoo-2 nginx; do
        total=$((total + 1))
        if pid="$(running_pid "$name")"; then
            up=$((up + 1)); echo "  $name: running (pid $pid)"
        else
            echo "  $name: stopped"
        fi
    done
    [ "$up" = "$total" ] && return 0
    [ "$up" = 0 ] && return 3
    return 1
}

case "$action" in
    start)
        db_exists "$DB" || die "database $DB does not exist (scripts/run.sh builds ambassador_demo)"
        write_configs
        for n in "${SERVERS[@]}"; do start_odoo "$n"; done
        start_nginx
        for n in "${SERVERS[@]}"; do
            wait_ok "http://127.0.0.1:$(http_port "$n")/web/login" \
                || { print_logs; die "odoo-$n does not answer"; }
        done
        wait_ok "http://127.0.0.1:$BASE_PORT/web/login" \
            || { print_logs; die "the site does not answer through nginx"; }
        status || true
        print_logs
        echo "Site: http://127.0.0.1:$BASE_PORT/ (stop: bash scripts/production/serve.sh stop $DB $BASE_PORT)"
        ;;
    stop)
        stop_component nginx QUIT
        # Both servers at once: a graceful stop waits for running requests.
        for n in "${SERVERS[@]}"; do stop_component "odoo-$n" TERM & done
        wait
        ;;
    config)
        write_configs
        echo "Configuration written in $SERVE_DIR"
        ;;
    restart)
        "$0" stop "$DB" "$BASE_PORT"
        exec "$0" start "$DB" "$BASE_PORT"
        ;;
    status)
        rc=0
        status || rc=$?
        print_logs
        exit "$rc"
        ;;
    *)
        die "usage: serve.sh start|stop|status|restart|config [DB] [BASE_PORT]"
        ;;
esac
