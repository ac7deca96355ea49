#!/usr/bin/env bash
# OCA's lint for 11.0: flake8 (.flake8) and pylint-odoo (.pylintrc) on the addon,
# scripts/ and tests/. Installs the pinned tools of requirements-lint.txt in their
# own venv ($AMBASSADOR_CACHE/lint-venv) when missing or changed. Prints every
# finding; exits non-zero on any; the last line is `lint: N findings`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LINT_VENV="$AMBASSADOR_CACHE/lint-venv"
LINT_PATHS=(ambassador_program scripts tests)

setup_lint_venv() {
    local stamp="$LINT_VENV/.requirements.sha" want py37
    want="$(sha256sum < "$REPO_ROOT/requirements-lint.txt" | cut -c1-16)"
    if [ -x "$LINT_VENV/bin/pylint" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    py37="$(find_python37)" || die "Python 3.7 not found (set PYTHON37=/path/to/python3.7)."
    echo "Installing the lint tools in $LINT_VENV"
    rm -rf "$LINT_VENV"
    "$py37" -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q --disable-pip-version-check \
        -r "$REPO_ROOT/requirements-lint.txt"
    echo "$want" > "$stamp"
}

setup_lint_venv
cd "$REPO_ROOT"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

step "flake8 $("$LINT_VENV/bin/flake8" --version | head -1 | cut -d' ' -f1)"
set +e
timeout 300 "$LINT_VENV/bin/flake8" "${LINT_PATHS[@]}" > "$out/flake8"
flake8_rc=$?
set -e
cat "$out/flake8"
flake8_n=$(grep -c . "$out/flake8" || true)

# print-used is for the addon only: scripts/ and tests/ are command lines and
# their output is what they print.
step "pylint-odoo $("$LINT_VENV/bin/pip" show pylint-odoo 2>/dev/null | sed -n 's/^Version: //p')"
set +e
timeout 600 "$LINT_VENV/bin/pylint" --rcfile="$REPO_ROOT/.pylintrc" ambassador_program \
    > "$out/pylint" 2> "$out/pylint.err"
pylint_rc=$?
timeout 600 "$LINT_VENV/bin/pylint" --rcfile="$REPO_ROOT/.pylintrc" \
    --disable=print-used scripts tests >> "$out/pylint" 2>> "$out/pylint.err"
pylint_rc2=$?
set -e
grep -v '^\*\*\*\*\*\*\*\*\*\*\*\*\* Module ' "$out/pylint" > "$out/pylint.findings" || true
cat "$out/pylint.findings"
pylint_n=$(grep -c . "$out/pylint.findings" || true)
# A checker that crashes, or pylint failing without a message, is a finding too.
crashes=$(grep -c -E '^Traceback|^Exception on node' "$out/pylint.err" || true)
[ "$crashes" -eq 0 ] || { echo "pylint crashed:"; cat "$out/pylint.err"; }
errors=0
[ "$flake8_rc" = 0 ] || [ "$flake8_n" -gt 0 ] || errors=$((errors + 1))
for rc in "$pylint_rc" "$pylint_rc2"; do
    [ "$rc" = 0 ] || [ "$pylint_n" -gt 0 ] || errors=$((errors + 1))
done

total=$((flake8_n + pylint_n + crashes + errors))
echo
echo "flake8: $flake8_n, pylint-odoo: $pylint_n, crashes: $crashes, tool errors: $errors"
echo "lint: $total findings"
[ "$total" = 0 ]
