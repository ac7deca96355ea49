#!/usr/bin/env python3
"""Summary of a load run (scripts/load/run_load.sh): reads locust's CSV stats,
prints throughput, p50/p95/p99 and errors per page with the ratio of each of
our pages' p95 to Odoo's own page beside it (public pages to /shop, pages of a
logged-in ambassador to /my/home), and draws the percentiles per page
(matplotlib PNG). Run with the load venv's Python.

    report.py STATS_PREFIX PLOT.png --loadavg "START" "END" [--run-time S]
"""
import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend's choice)

ODOO_PAGES = {"/shop": "public", "/my/home": "portal"}
# Which of Odoo's own pages each of ours is compared with.
REFERENCE = {
    "/ambassadors": "/shop",
    "/ambassadors/wall": "/shop",
    "/ambassadors/join [form]": "/shop",
    "/ambassadors/join [submit]": "/shop",
    "/my/ambassador": "/my/home",
    "/my/ambassador/proofs/new [form]": "/my/home",
    "/my/ambassador/proofs/new [submit]": "/my/home",
    "/my/ambassador/directory": "/my/home",
}
GOAL_RATIO = 1.5


def read_stats(prefix):
    with open(prefix + "_stats.csv") as stats_file:
        return list(csv.DictReader(stats_file))


def number(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return 0.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stats_prefix")
    parser.add_argument("plot")
    parser.add_argument("--loadavg", nargs=2, default=("?", "?"))
    options = parser.parse_args(argv)
    rows = read_stats(options.stats_prefix)
    pages = [row for row in rows if row["Name"] != "Aggregated"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    p95 = {row["Name"]: number(row, "95%") for row in pages}
    print("Load average (1, 5, 15 min) at the start: %s; at the end: %s"
          % tuple(options.loadavg))
    print("Throughput: %.1f requests/s, %d requests, %d failures (%.2f%%)" % (
        number(total, "Requests/s"), number(total, "Request Count"),
        number(total, "Failure Count"),
        100 * number(total, "Failure Count") / max(number(total, "Request Count"), 1)))
    header = "%-38s %7s %7s %7s %7s %7s %6s  %s" % (
        "page", "reqs", "fails", "req/s", "p50 ms", "p95 ms", "p99 ms",
        "p95 vs Odoo's own")
    print(header)
    print("-" * len(header))
    worst = 0.0
    for row in sorted(pages, key=lambda r: r["Name"]):
        name = row["Name"]
        reference = REFERENCE.get(name)
        ratio = ""
        if reference and p95.get(reference):
            value = p95[name] / p95[reference]
            worst = max(worst, value)
            ratio = "%.2fx %s" % (value, reference)
        elif name in ODOO_PAGES:
            ratio = "(Odoo's own)"
        print("%-38s %7d %7d %7.2f %7d %7d %6d  %s" % (
            name[:38], number(row, "Request Count"), number(row, "Failure Count"),
            number(row, "Requests/s"), number(row, "50%"), number(row, "95%"),
            number(row, "99%"), ratio))
    failures = number(total, "Failure Count")
    print("Goal (no error, our pages' p95 within %.1fx of Odoo's own): %s "
          "(failures %d, worst ratio %.2fx)" % (
              GOAL_RATIO, "MET" if not failures and worst <= GOAL_RATIO else "MISSED",
              failures, worst))
    note = "%.1f requests/s, %d failures; load average %s → %s (shared 2-core " \
        "machine)" % (number(total, "Requests/s"), failures, options.loadavg[0],
                      options.loadavg[1])
    draw(pages, options.plot, note)
    print("Plot: %s" % options.plot)
    return 0


def draw(pages, path, note):
    pages = sorted(pages, key=lambda r: number(r, "95%"))
    names = [row["Name"] for row in pages]
    height = 0.27
    figure, axes = plt.subplots(figsize=(11, 0.45 * len(names) + 1.5))
    for offset, (key, colour) in enumerate(
            (("50%", "#4c72b0"), ("95%", "#dd8452"), ("99%", "#c44e52"))):
        axes.barh([i + (offset - 1) * height for i in range(len(names))],
                  [number(row, key) for row in pages], height, label="p" + key[:-1],
                  color=colour)
    axes.set_yticks(range(len(names)))
    axes.set_yticklabels(["%s%s" % (name, "  [Odoo]" if name in ODOO_PAGES else "")
                          for name in names], fontsize=8)
    axes.set_xlabel("response time (ms)")
    axes.set_title("Response time percentiles per page (locust, through nginx)\n"
                   + note, fontsize=10)
    axes.legend(loc="lower right")
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
