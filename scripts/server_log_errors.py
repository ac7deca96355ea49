#!/usr/bin/env python3
"""Count the server-side errors in the log of the Odoo server that served the
repository tests (tests/), and in what it wrote on its standard error.

    server_log_errors.py SERVER.log [STDERR.txt]
        prints the number of errors; each one (its first line and the last line
        of its traceback) on stderr.

An error is a log record at level ERROR or CRITICAL, or any record carrying a
Python traceback; on the standard error, each "Traceback". Known harmless
records are left out: KNOWN_HARMLESS. The repository tests provoke no server
error on purpose (bad input on our routes is answered without one), so nothing
else is.
"""
import os
import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ [\w.]+: ")
KNOWN_HARMLESS = (
    # Odoo lists the modules of its tree whose dependencies are not there.
    "Unmet dependencies",
)


def records(lines):
    record = None
    for line in lines:
        line = line.rstrip("\n")
        match = RECORD.match(line)
        if match:
            if record:
                yield record
            record = {"level": match.group("level"), "lines": [line]}
        elif record:
            record["lines"].append(line)
    if record:
        yield record


def server_errors(lines):
    """The error records, each a list of lines."""
    errors = []
    for record in records(lines):
        text = "\n".join(record["lines"])
        if any(harmless in record["lines"][0] for harmless in KNOWN_HARMLESS):
            continue
        if record["level"] in ("ERROR", "CRITICAL") or any(
                line.startswith("Traceback (most recent call last)")
                for line in record["lines"]):
            errors.append(text)
    return errors


def stderr_errors(lines):
    return [line.rstrip("\n") for line in lines
            if line.startswith("Traceback (most recent call last)")]


def short(error):
    lines = [line for line in error.splitlines() if line.strip()]
    if len(lines) > 1:
        return "%s ... %s" % (lines[0][:250], lines[-1].strip()[:250])
    return lines[0][:400]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not 1 <= len(argv) <= 2:
        print("usage: server_log_errors.py SERVER.log [STDERR.txt]", file=sys.stderr)
        return 2
    errors = []
    try:
        with open(argv[0], encoding="utf-8", errors="replace") as log:
            errors += server_errors(log)
    except OSError as error:
        errors.append("cannot read the server log: %s" % error)
    if len(argv) == 2 and os.path.exists(argv[1]):
        with open(argv[1], encoding="utf-8", errors="replace") as log:
            errors += ["on the server's standard error: %s" % line
                       for line in stderr_errors(log)]
    for error in errors:
        print("server error: %s" % short(error), file=sys.stderr)
    print(len(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
