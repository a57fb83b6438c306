#!/usr/bin/env python3
"""Progress and time left of a cargo build, from its JSON messages on stdin.

    cargo build --message-format=json-render-diagnostics ... | build-progress.py LABEL

Several cargo builds may feed one reader. Prints a line at most every INTERVAL seconds (and
a last one): crates done, the share of the work done and an estimate of the time left. The
estimate weighs each crate by its measured compile seconds in `scripts/lib/build-costs.tsv`
(from a cold `cargo build --timings` of the same builds; see `scripts/lib/build-costs.py`),
so a build that spends its first minutes on small crates does not promise to end early,
and scales them by this machine's pace once some crates were compiled. Crates already
built ("fresh") count as done at no cost. Compiler diagnostics pass through
to stderr. Exits with the status cargo's messages imply: 1 when the build failed.
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INTERVAL = float(os.environ.get("BUILD_PROGRESS_INTERVAL", "20"))


def load_costs(path):
    """{package name: seconds of all its units (build script, library, binaries)} and the
    measured build's wall seconds (None when the table does not say)."""
    costs, wall = {}, None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# wall_seconds\t"):
                    wall = float(line.split("\t")[1])
                if line.startswith("#") or not line.strip():
                    continue
                name, seconds = line.rstrip("\n").split("\t")
                costs[name] = costs.get(name, 0.0) + float(seconds)
    except (OSError, ValueError):
        return {}, None
    return costs, wall


def package_name(msg):
    """The table's key of an artifact message: its package's name."""
    # "registry+https://…#serde@1.0.219", "path+file:///…/main#aebnas@0.1.0" or "…#0.1.0"
    tail = msg["package_id"].split("#")[-1]
    return tail.split("@")[0] if "@" in tail else msg["target"]["name"]


def fmt_minutes(seconds):
    if seconds < 90:
        return f"{max(seconds, 0):.0f} s"
    return f"{seconds / 60:.0f} min"


def main():
    label = sys.argv[1] if len(sys.argv) > 1 else "build"
    costs, wall = load_costs(os.path.join(HERE, "build-costs.tsv"))
    # Seconds of one unit the table does not list: its median.
    default = sorted(costs.values())[len(costs) // 2] if costs else 1.0
    total_cost = sum(costs.values())
    done_cost = 0.0
    done = 0
    start = time.monotonic()
    last_print = start
    compiled_cost = 0.0  # table seconds of the units compiled (not fresh) in this run
    ok = True
    seen = set()

    def report(final=False):
        elapsed = time.monotonic() - start
        line = f"[{label}] {done} crates done"
        if total_cost > 0:
            left_cost = max(total_cost - done_cost, 0.0)
            # Wall seconds per table second: the measured build's (units overlap on several
            # cores), then this machine's own once it has compiled a share of the work.
            pace = wall / total_cost if wall else 1.0
            if compiled_cost > 0.1 * total_cost:
                pace = elapsed / compiled_cost
            pct = min(100.0, 100.0 * done_cost / total_cost)
            line += f" ({pct:.0f} % of the work)"
            if not final:
                line += f", about {fmt_minutes(left_cost * pace)} left"
        line += f", {fmt_minutes(elapsed)} so far"
        print(line, file=sys.stderr, flush=True)

    for raw in sys.stdin:
        try:
            msg = json.loads(raw)
        except ValueError:
            sys.stderr.write(raw)
            continue
        reason = msg.get("reason")
        if reason == "compiler-message":
            rendered = msg.get("message", {}).get("rendered")
            if rendered:
                sys.stderr.write(rendered)
        elif reason == "compiler-artifact":
            # A package's measured seconds count when its first unit is done.
            key = package_name(msg)
            if key in seen:
                continue
            seen.add(key)
            cost = costs.get(key, default)
            done += 1
            done_cost += cost
            if not msg.get("fresh"):
                compiled_cost += cost
        elif reason == "build-finished":
            ok = ok and bool(msg.get("success"))
        now = time.monotonic()
        if now - last_print >= INTERVAL:
            last_print = now
            report()
    report(final=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
