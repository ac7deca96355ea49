# Helpers of scripts/test.sh for steps that may hang; sourced, not run.

# with_timeout SECONDS LABEL COMMAND...: runs COMMAND (a program, not a shell
# function), killed after SECONDS (and 30 s later if it ignores SIGTERM). Returns
# COMMAND's status; on a timeout says so on stderr and returns 124.
with_timeout() {
    local seconds="$1" label="$2" rc=0
    shift 2
    if [ "$(type -t "$1")" = function ]; then
        printf 'ERROR: %s: timeout runs programs, not the shell function %s\n' \
            "$label" "$1" >&2
        return 2
    fi
    timeout --kill-after=30 "$seconds" "$@" || rc=$?
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        printf 'ERROR: %s timed out after %ss\n' "$label" "$seconds" >&2
        return 124
    fi
    return "$rc"
}

# free_port: prints a TCP port nothing listens on (the kernel picks it).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_maildev SMTP_PORT WEB_PORT LOGFILE: starts the mail catcher (maildev,
# installed by setup.sh) on the loopback interface, waits until its web inbox
# answers and checks that the process answering is the one started. Sets
# MAILDEV_PID and MAILDEV_URL; returns non-zero (saying why) on failure.
start_maildev() {
    local smtp="$1" web="$2" log="$3" bin="${NODE_PREFIX:?}/node_modules/.bin/maildev"
    MAILDEV_PID=
    MAILDEV_URL="http://127.0.0.1:$web"
    [ -x "$bin" ] || { echo "ERROR: maildev is not installed ($bin): run scripts/setup.sh" >&2; return 1; }
    local said
    for port in "$smtp" "$web"; do
        said="$(python3 "${REPO_ROOT:?}/scripts/port_check.py" free "$port")" \
            || { echo "$said" >&2; return 1; }
    done
    "$bin" --ip 127.0.0.1 --smtp "$smtp" --web "$web" > "$log" 2>&1 &
    MAILDEV_PID=$!
    for _ in $(seq 1 "${MAILDEV_START_TIMEOUT:-30}"); do
        if ! kill -0 "$MAILDEV_PID" 2>/dev/null; then
            tail -n 5 "$log" >&2
            echo "ERROR: maildev (pid $MAILDEV_PID) exited before answering" >&2
            MAILDEV_PID=
            return 1
        fi
        if curl -sf -o /dev/null --max-time 5 "$MAILDEV_URL/email" \
            && python3 "$REPO_ROOT/scripts/port_check.py" owner "$smtp" "$MAILDEV_PID" \
                > /dev/null 2>&1; then
            said="$(python3 "$REPO_ROOT/scripts/port_check.py" owner "$web" "$MAILDEV_PID")" \
                || { echo "$said" >&2; stop_maildev; return 1; }
            return 0
        fi
        sleep 1
    done
    echo "ERROR: maildev did not answer on $MAILDEV_URL within ${MAILDEV_START_TIMEOUT:-30}s" >&2
    stop_maildev
    return 1
}

# stop_maildev: stops the maildev started by start_maildev, if any.
stop_maildev() {
    if [ -n "${MAILDEV_PID:-}" ]; then
        kill "$MAILDEV_PID" 2>/dev/null || true
        wait "$MAILDEV_PID" 2>/dev/null || true
        MAILDEV_PID=
    fi
}

# ---------------------------------------------------------------------------
# Tracks: steps of scripts/test.sh run at once, in the background. They use
# LOG_DIR (where each writes track-NAME.log, NAME.result, NAME.seconds), the
# associative array track_pids (declare -A track_pids=()) and the counters
# passed, failed and skipped of the caller.
# ---------------------------------------------------------------------------
# timed NAME COMMAND...: runs COMMAND, writes the seconds it took to NAME.seconds.
timed() {
    local name="$1" started rc=0
    shift
    started=$(date +%s)
    "$@" || rc=$?
    echo "$(( $(date +%s) - started ))" > "$LOG_DIR/$name.seconds"
    return "$rc"
}

# kill_tree PID: stops PID and every process it started. The tree is frozen
# (SIGSTOP) from the top down before any of it is terminated: a parent killed
# after its child would otherwise run on for a moment as if the child had
# ended (a track writing a result for a step it never finished).
kill_tree() {
    local pids
    pids="$(frozen_tree "$1")"
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # one word per process id
    kill -TERM $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    kill -CONT $pids 2>/dev/null || true
}

# frozen_tree PID: stops PID, then its children, and prints every process id.
frozen_tree() {
    local child
    kill -STOP "$1" 2>/dev/null || return 0
    echo "$1"
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        frozen_tree "$child"
    done
}

# Stops the background tracks still running, with what they started.
stop_tracks() {
    local name
    for name in "${!track_pids[@]}"; do
        kill_tree "${track_pids[$name]}"
    done
    for name in "${!track_pids[@]}"; do
        wait "${track_pids[$name]}" 2>/dev/null || true
        unset "track_pids[$name]"
    done
}

# start_track NAME FUNCTION: runs FUNCTION in the background, its output in
# track-NAME.log (a name of its own: the track's programs may write NAME.log);
# the function writes "PASSED FAILED SKIPPED" to NAME.result.
start_track() {
    local name="$1" function="$2"
    rm -f "$LOG_DIR/$name.result"
    timed "$name" "$function" "$LOG_DIR/$name.result" > "$LOG_DIR/track-$name.log" 2>&1 &
    track_pids[$name]=$!
}

# join_track NAME TITLE: waits for the track, shows its output, adds its counts
# (no result written: the track failed).
join_track() {
    local name="$1" title="$2" result p f s
    wait "${track_pids[$name]}" 2>/dev/null || true
    unset "track_pids[$name]"
    step "$title"
    cat "$LOG_DIR/track-$name.log"
    result="$(cat "$LOG_DIR/$name.result" 2>/dev/null || true)"
    if [[ "$result" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]]; then
        read -r p f s <<< "$result"
    else
        echo "ERROR: the track '$name' ended without a result ($LOG_DIR/track-$name.log)" >&2
        p=0 f=1 s=0
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
}

