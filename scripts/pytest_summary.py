#!/usr/bin/env python3
"""Read pytest's closing line ("3 passed, 1 failed, 2 errors in 4.2s").

Prints "PASSED FAILED"; errors count as failures.
"""
import re
import sys


def summarize(text):
    tail = text.strip().splitlines()[-1:] or [""]
    counts = dict(
        (word, int(number))
        for number, word in re.findall(r"(\d+) (passed|failed|errors?)", tail[0])
    )
    failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
    return counts.get("passed", 0), failed


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
        print(*summarize(log.read()))
