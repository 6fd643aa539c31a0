"""Print the benchmark's medians, ratios and PASS/FAIL per target from the files that
bench/run.sh leaves in its results folder (standard only: no packages needed).

Usage: python summarize.py RESULTS_DIR
"""

import json
import re
import statistics
import sys
from pathlib import Path


def stage_json(results, name):
    """Read the JSON object a `bench` stage printed (rulebench bench or pipeline.py)."""
    return json.loads((results / f"{name}.out").read_text())


def median_seconds(results, name):
    return statistics.median(stage_json(results, name)["seconds"])


def time_report(results, name):
    """Wall seconds, peak resident memory (bytes) and exit status from /usr/bin/time -v."""
    text = (results / f"{name}.time").read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)[1]
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1])
    status = int(re.search(r"Exit status: (\d+)", text)[1])
    return seconds, peak_kib * 1024, status


def runs(results, prefix, program):
    return sorted(results.glob(f"{prefix}-*.{program}.time"))


def compare_medians(results, program):
    """Median wall seconds and median peak memory over the compare runs of one program."""
    reports = [time_report(results, path.name[: -len(".time")]) for path in runs(results, "compare", program)]
    return statistics.median(r[0] for r in reports), statistics.median(r[1] for r in reports)


def compare_stages(results, program):
    """Per-stage seconds of the first compare run, as the program reported them."""
    err = (results / f"compare-1.{program}.err").read_text().strip().splitlines()[-1]
    report = json.loads(err)
    if program == "rulebench":
        return {t["stage"]: t["seconds"] for t in report["timings"]}
    return report["stages"]


def seconds(value):
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def mebibytes(value):
    return f"{value / 2**20:.0f} MiB"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, target, ours, theirs, ratio, goal, passed):
        self.rows.append((target, ours, theirs, ratio, goal, "PASS" if passed else "FAIL"))

    def print(self):
        header = ("target", "rulebench", "python", "ratio", "goal", "result")
        widths = [max(len(str(row[i])) for row in [header, *self.rows]) for i in range(len(header))]
        for row in [header, *self.rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def main():
    results = Path(sys.argv[1])
    table = Table()
    rows = stage_json(results, "ingest.rulebench")["rows"]

    ours, theirs = median_seconds(results, "ingest.rulebench"), median_seconds(results, "ingest.python")
    table.add(f"CSV ingest, {rows:,} rows", seconds(ours), seconds(theirs), f"{ours / theirs:.2f}x", "<= 0.5x", ours <= 0.5 * theirs)

    ours = rows / median_seconds(results, "rules.rulebench")
    theirs = rows / median_seconds(results, "rules.python")
    table.add("rule evaluation vs numpy", f"{ours / 1e6:.1f} M rows/s", f"{theirs / 1e6:.1f} M rows/s", f"{ours / theirs:.2f}x", ">= 3x", ours >= 3 * theirs)
    table.add("rule evaluation throughput", f"{ours / 1e6:.1f} M rows/s", "", "", ">= 75 M rows/s", ours >= 75e6)

    for name, label, goal in [("fit8", "tree fit, depth 8", 0.3), ("fit", "tree fit, unlimited depth", 0.5)]:
        ours, theirs = median_seconds(results, f"{name}.rulebench"), median_seconds(results, f"{name}.python")
        table.add(label, seconds(ours), seconds(theirs), f"{ours / theirs:.3f}x", f"<= {goal}x", ours <= goal * theirs)

    for name, label in [("fit8", "depth 8"), ("fit", "unlimited depth")]:
        large, small = median_seconds(results, f"{name}.rulebench"), median_seconds(results, f"{name}-small.rulebench")
        small_rows = stage_json(results, f"{name}-small.rulebench")["rows"]
        table.add(
            f"fit growth {small_rows:,} -> {rows:,} rows, {label}",
            f"{seconds(small)} -> {seconds(large)}", "", f"{large / small:.1f}x", "<= 15x", large <= 15 * small
        )

    (our_wall, our_peak), (their_wall, their_peak) = compare_medians(results, "rulebench"), compare_medians(results, "python")
    table.add("whole compare, wall time", seconds(our_wall), seconds(their_wall), f"{our_wall / their_wall:.3f}x", "<= 0.3x", our_wall <= 0.3 * their_wall)
    table.add("whole compare, peak memory", mebibytes(our_peak), mebibytes(their_peak), f"{our_peak / their_peak:.2f}x", "<= 0.5x", our_peak <= 0.5 * their_peak)

    _, small_peak, _ = time_report(results, "predict-small.rulebench")
    _, large_peak, _ = time_report(results, "predict.rulebench")
    table.add(
        "predict memory, 10x the rows", f"{mebibytes(small_peak)} -> {mebibytes(large_peak)}", "",
        f"{large_peak / small_peak:.1f}x", "flat (<= 1.5x)", large_peak <= 1.5 * small_peak
    )

    if (results / "big.rulebench.time").exists():
        wall, peak, status = time_report(results, "big.rulebench")
        big_rows = int((results / "big.rows").read_text())
        note = f"exit {status}, {seconds(wall)}, {mebibytes(peak)}"
        table.add(f"whole compare, {big_rows:,} rows", note, "", "", "completes", status == 0)

    print(f"rulebench against pandas + numpy + scikit-learn, {rows:,} rows x 20 numeric features, 3 classes")
    print(json.dumps(json.loads((results / "versions.json").read_text())))
    print()
    table.print()
    print()
    print("compare stages (first run, seconds):")
    ours, theirs = compare_stages(results, "rulebench"), compare_stages(results, "python")
    for stage in dict.fromkeys([*ours, *theirs]):
        print(f"  {stage:8} rulebench {ours.get(stage, float('nan')):8.3f}   python {theirs.get(stage, float('nan')):8.3f}")
    failed = sum(row[-1] == "FAIL" for row in table.rows)
    print()
    print(f"{len(table.rows) - failed} passed, {failed} failed")


if __name__ == "__main__":
    main()
