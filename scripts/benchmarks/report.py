"""What the benchmarks show: tables on stdout, figures as JSON, and the ledger's
plot (matplotlib, Agg backend: no display needed)."""
import json
import os
import logging
import math
import sys
import time

from .measure import RAW_TWINS


def write_json(path, args, **figures):
    """The figures, after the database, command line, date and rollback flag."""
    payload = dict(
        database=args.db,
        command=" ".join(sys.argv),
        date=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        rollback=args.rollback,
    )
    payload.update(figures)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=2)
    return path


# ======================================================================
# Ledger
# ======================================================================
def print_ledger_table(result):
    """The table of one step, and what the repair and the tiers did."""
    header = ("operation", "rows", "changed", "seconds", "raw SQL s", "ratio",
              "same end state")
    lines = [header]
    for op in result["operations"]:
        lines.append((
            op["name"],
            "{:,}".format(op["rows"]),
            "" if op["changed"] is None else "{:,}".format(op["changed"]),
            "%.3f" % op["seconds"],
            "" if op["raw_seconds"] is None else "%.3f" % op["raw_seconds"],
            "" if op["ratio"] is None else "%.1fx" % op["ratio"],
            "" if "same_end_state" not in op else "yes" if op["same_end_state"]
            else "NO: %s" % ", ".join("%s %d rows" % item
                                      for item in sorted(op["differences"].items())),
        ))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    print()
    print("== %s ambassadors, %s ledger lines (generated %s + %s in %.1fs) =="
          % ("{:,}".format(result["ambassadors"]), "{:,}".format(result["lines"]),
             "{:,}".format(result["generated_ambassadors"]),
             "{:,}".format(result["generated_lines"]), result["generation_seconds"]))
    for index, row in enumerate(lines):
        print("  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ))
        if index == 0:
            print("  ".join("-" * w for w in widths))
    for op in result["operations"]:
        if op["note"]:
            print("  * %s: %s" % (op["name"], op["note"]))
    print("corrupted balances: %d, detected: %d, repaired: %d, repaired exactly: %s"
          % (result["corrupted"], result["detected"], result["repaired"],
             "yes" if result["repaired_exactly"] else "NO"))
    print("raw aggregate vs stored balances after repair: %d differences"
          % result["raw_differences_after_repair"])
    print("tier moves applied: %d, committee proposals: %d, second pass changes: %d"
          % (result["tier_moves"], result["committee_proposals"],
             result["second_pass_changes"]))
    print("active ambassadors per tier: %s" % ", ".join(
        "%s %s" % (code, "{:,}".format(count))
        for code, count in result["active_per_tier"].items()))
    print("final balance mismatches: %d" % result["final_mismatches"])
    print("load average (1, 5, 15 min) at the end of the step: %s (the machine "
          "may be shared)"
          % ", ".join("%.2f" % load for load in result["load_average"]))
    print("raw twins with the same end state as the addon: %s"
          % ("all" if result["twins_same_end_state"] else "NOT ALL (see above)"))
    sys.stdout.flush()


def print_ledger_end(json_path, png_path, ok):
    print()
    print("figures: %s" % json_path)
    print("plot: %s" % png_path)
    print("RESULT: %s" % ("OK" if ok else "PROBLEM (see above)"))
    sys.stdout.flush()


def _series(results, name, key):
    """One figure of operation ``name`` per step (NaN where missing or zero,
    which a log scale cannot show)."""
    values = []
    for result in results:
        value = next((op[key] for op in result["operations"] if op["name"] == name),
                     None)
        values.append(value if value else math.nan)
    return values


def plot_ledger(results, path, title):
    """Seconds versus ambassadors per operation, the addon's solid and each raw
    SQL twin dashed (log scale), and below it the ratio ours / raw SQL."""
    import matplotlib

    # Odoo's logging shows INFO: keep matplotlib's font-cache notice out of it.
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullLocator

    xs = [result["ambassadors"] for result in results]
    names = []
    for result in results:
        names += [op["name"] for op in result["operations"] if op["name"] not in names]
    palette = plt.get_cmap("tab10").colors
    color = {name: palette[i % len(palette)] for i, name in enumerate(names)}
    figure, (seconds_ax, ratio_ax) = plt.subplots(
        2, 1, sharex=True, figsize=(13, 9),
        gridspec_kw=dict(height_ratios=[3, 1.5], hspace=0.08),
    )
    for name in names:
        seconds_ax.plot(xs, _series(results, name, "seconds"), "-o", color=color[name],
                        linewidth=2, markersize=6, label=name)
    for label, operations in RAW_TWINS.items():
        if operations[0] in color:
            seconds_ax.plot(xs, _series(results, operations[0], "raw_seconds"), "--s",
                            color=color[operations[0]], linewidth=1.6, markersize=6,
                            markerfacecolor="white", label=label)
    seconds_ax.set_yscale("log")
    seconds_ax.set_ylabel("seconds (log scale)")
    seconds_ax.set_title("seconds per operation: the addon's method (solid) "
                         "and its raw SQL twin (dashed)", fontsize=11)
    seconds_ax.grid(True, which="major", color="#dddddd")
    seconds_ax.grid(True, which="minor", color="#f0f0f0")
    seconds_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
                      title="operation", title_fontsize=9, frameon=False)
    for name in names:
        ratios = _series(results, name, "ratio")
        if any(not math.isnan(ratio) for ratio in ratios):
            ratio_ax.plot(xs, ratios, "-o", color=color[name], linewidth=2,
                          markersize=5, label=name)
    ratio_ax.axhline(1.0, color="#555555", linestyle=":", linewidth=1.2,
                     label="as fast as raw SQL")
    ratio_ax.axhline(2.0, color="#b00020", linestyle="--", linewidth=1.2,
                     label="goal: within 2x of the twin")
    ratio_ax.set_yscale("log")
    ratio_ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: "%gx" % y))
    ratio_ax.yaxis.set_minor_locator(NullLocator())
    ratio_ax.set_ylabel("ours / raw SQL\n(log scale)")
    ratio_ax.grid(True, color="#dddddd")
    ratio_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
                    title="ratio to the raw twin", title_fontsize=9, frameon=False)
    ratio_ax.set_xlabel("ambassadors in the database")
    ratio_ax.set_xticks(xs)
    ratio_ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: "{:,}".format(
        int(x))))
    ratio_ax.set_xlim(0, max(xs) * 1.05)
    figure.suptitle(title, fontsize=13, fontweight="bold")
    figure.savefig(path, dpi=100, bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return path


# ======================================================================
# Mailing lists
# ======================================================================
def print_mailing(rows, ambassadors, db, json_path, ok):
    print()
    print("Mailing-list sync, %s ambassadors in %s (load average %s)" % (
        "{:,}".format(ambassadors), db,
        ", ".join("%.2f" % load for load in os.getloadavg())))
    print("%-48s %9s %10s %6s %5s  %s" % ("operation", "sync (s)", "raw SQL (s)",
                                          "ratio", "same", "changes"))
    for row in rows:
        print("%-48s %9.3f %10.3f %5.1fx %5s  %s" % (
            row["operation"], row["seconds"], row["raw"]["seconds"],
            row["ratio"] or 0, "yes" if row["same_end_state"] else "NO",
            row["changes"]))
        if row["differences"]:
            print("    end state differs from the twin: %s" % row["differences"])
    print("figures: %s" % json_path)
    print("RESULT: %s" % ("OK" if ok else "PROBLEM (lists differ from the raw query)"))
    sys.stdout.flush()
