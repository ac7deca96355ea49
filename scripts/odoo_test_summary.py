#!/usr/bin/env python3
"""Count the ambassador_program test results in an Odoo 11 log.

Prints "PASSED FAILED". Odoo 11 only logs a test module that fails to import and
carries on, so such a module, or a run with no test at all, counts as a failure.
"""
import re
import sys

MODULE = "odoo.addons.ambassador_program"


def summarize(lines):
    ran = failed = 0
    problems = []
    for line in lines:
        if MODULE not in line and "Can not `import" not in line:
            continue
        if "Can not `import" in line:
            problems.append(line.strip())
            failed += 1
        match = re.search(r"\bRan (\d+) tests? in ", line)
        if match:
            ran += int(match.group(1))
        # unittest's summary names each failed test once: "FAIL: test_x (...)".
        if re.search(r": (FAIL|ERROR): \w+ \(", line):
            failed += 1
        if " CRITICAL " in line:
            problems.append(line.strip())
            failed += 1
    if ran == 0:
        problems.append("no ambassador_program test ran")
        failed += 1
    return max(ran - failed, 0), failed, problems


def main():
    with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
        passed, failed, problems = summarize(log)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(passed, failed)


if __name__ == "__main__":
    main()
