#!/usr/bin/env python3
"""Count pytest's results from the JUnit XML it writes (`--junitxml=FILE`), not
from its printed output.

    pytest_summary.py RESULTS.xml
        prints "PASSED FAILED SKIPPED"; each problem on stderr.

Each <testcase> is one result: with a <failure> or an <error> (a failing test, an
error in a fixture, a module that cannot be collected) it failed; with a
<skipped> (skip, xfail) it is skipped; otherwise it passed. A missing or
unreadable file, or no test at all, is a failure.
"""
import sys
import xml.etree.ElementTree as ElementTree


def summarize_xml(path):
    """(passed, failed, skipped, problems)."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        return 0, 1, 0, ["no readable pytest result in %s (%s)" % (path, error)]
    passed = failed = skipped = 0
    problems = []
    for case in root.iter("testcase"):
        name = "%s::%s" % (case.get("classname", ""), case.get("name", ""))
        bad = [child for child in case if child.tag in ("failure", "error")]
        if bad:
            failed += 1
            problems.append("%s: %s %s" % (name, bad[0].tag,
                                           (bad[0].get("message") or "")[:300]))
        elif case.find("skipped") is not None:
            skipped += 1
            problems.append("%s: skipped %s" % (
                name, (case.find("skipped").get("message") or "")[:300]))
        else:
            passed += 1
    if passed + failed + skipped == 0:
        problems.append("pytest ran no test (%s)" % path)
        failed += 1
    return passed, failed, skipped, problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: pytest_summary.py RESULTS.xml", file=sys.stderr)
        return 2
    passed, failed, skipped, problems = summarize_xml(argv[0])
    for problem in problems:
        print(problem, file=sys.stderr)
    print(passed, failed, skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
