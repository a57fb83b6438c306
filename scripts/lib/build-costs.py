#!/usr/bin/env python3
"""Writes `scripts/lib/build-costs.tsv`, the measured compile seconds of each crate that
`build-progress.py` weighs its estimate with, from cargo `--timings` reports.

    build-costs.py target-dir/cargo-timings/cargo-timing-*.html > scripts/lib/build-costs.tsv

Each report's UNIT_DATA lists the units (build script, library, binary) with their
durations; a crate's cost is the sum over its units and over the reports (the serve build
is two cargo invocations: the page, then the worker). The wall time of the reports
(the latest unit end of each, summed) goes in a `# wall_seconds` line.
"""
import json
import re
import sys


def units(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"const UNIT_DATA = (\[.*?\n\]);", text, re.S)
    if not m:
        raise SystemExit(f"{path}: no UNIT_DATA (not a cargo --timings report?)")
    return json.loads(m.group(1))


def main(paths):
    if not paths:
        raise SystemExit(__doc__)
    costs, wall = {}, 0.0
    for path in paths:
        data = units(path)
        for u in data:
            costs[u["name"]] = costs.get(u["name"], 0.0) + float(u["duration"])
        wall += max((float(u["start"]) + float(u["duration"]) for u in data), default=0.0)
    print("# crate\tseconds (sum of its units' durations; scripts/lib/build-costs.py)")
    print(f"# wall_seconds\t{wall:.1f}")
    for name, seconds in sorted(costs.items(), key=lambda kv: -kv[1]):
        print(f"{name}\t{seconds:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
