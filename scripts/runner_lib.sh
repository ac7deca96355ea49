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
