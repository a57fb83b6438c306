"""Checks a document written by scripts/methods-table against its raw files:

    python3 tests/methods/check_results.py RAW DOC

1. Recomputes, with code of its own (brute-force fronts, a grid hypervolume, the
   statistics module's t intervals, Wilcoxon by enumerating every sign pattern, its own
   interpolation), every figure of summary.json from RAW, and compares.
2. Checks the document's structure (sections, one row per method, verdicts, figures).
3. Checks that every number in the document is one of the recomputed figures, formatted
   as the renderer formats them (or a budget setting, the date or the commit).

The bootstrap intervals are recomputed with the report's own resampler (deterministic);
everything else is independent of scripts/lib."""

import glob
import itertools
import json
import math
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "lib"))
import methods_render as R  # noqa: E402
from evidence_stats import mean_difference, paired_bootstrap, ratio_of_means  # noqa: E402

TOL = 1e-9
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262}


def fail(msg):
    print(f"check_results: {msg}")
    sys.exit(1)


def close(a, b, what):
    if a is None or b is None:
        if a is not b:
            fail(f"{what}: {a} vs {b}")
        return
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            fail(f"{what}: lengths {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{what}[{i}]")
        return
    if abs(a - b) > TOL * max(1.0, abs(a), abs(b)):
        fail(f"{what}: recomputed {a!r}, summary has {b!r}")


def grid_hv(pts, ref):
    """Hypervolume by summing the grid cells over the points' coordinates that some
    point dominates."""
    pts = [p for p in pts if p[0] < ref[0] and p[1] < ref[1]]
    es = sorted({p[0] for p in pts} | {ref[0]})
    ms = sorted({p[1] for p in pts} | {ref[1]})
    area = 0.0
    for i in range(len(es) - 1):
        for j in range(len(ms) - 1):
            if any(p[0] <= es[i] and p[1] <= ms[j] for p in pts):
                area += (es[i + 1] - es[i]) * (ms[j + 1] - ms[j])
    return area


def front(cands):
    pts = [(1 - c["val_accuracy"], c["val_avg_macs"]) for c in cands]
    return [c for c, p in zip(cands, pts)
            if not any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in pts)]


def t_ci(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, None
    half = T975.get(len(xs) - 1, 2.0) * statistics.stdev(xs) / math.sqrt(len(xs))
    return m, [m - half, m + half]


def brute_wilcoxon(diffs):
    """Exact two-sided p by enumerating every sign pattern (up to 16 differences), else
    by counting patterns per rank sum (a dictionary over sums)."""
    d = [x for x in diffs if x != 0]
    n = len(d)
    if n == 0:
        return 1.0
    if n > 16:
        return counted_wilcoxon(d)
    rank, w = average_ranks(d)
    ws = [sum(rank[abs(x)] for x, s in zip(d, signs) if s)
          for signs in itertools.product([0, 1], repeat=n)]
    low = sum(v <= w + 1e-9 for v in ws) / len(ws)
    high = sum(v >= w - 1e-9 for v in ws) / len(ws)
    return min(1.0, 2 * min(low, high))


def average_ranks(d):
    """Rank of each |difference| (ties share their average rank), and W+."""
    a = sorted(abs(x) for x in d)
    rank = {v: statistics.fmean([i + 1 for i, w in enumerate(a) if w == v]) for v in a}
    return rank, sum(rank[abs(x)] for x in d if x > 0)


def counted_wilcoxon(d):
    rank, w = average_ranks(d)
    sums = {0.0: 1}
    for x in d:
        r = rank[abs(x)]
        nxt = dict(sums)
        for s_, c in sums.items():
            nxt[s_ + r] = nxt.get(s_ + r, 0) + c
        sums = nxt
    total = 2 ** len(d)
    low = sum(c for s_, c in sums.items() if s_ <= w + 1e-9) / total
    high = sum(c for s_, c in sums.items() if s_ >= w - 1e-9) / total
    return min(1.0, 2 * min(low, high))


def val_front_curve(points):
    """(validation MACs, test accuracy) of the sweep points no other point beats on
    validation (higher accuracy at no more MACs, or fewer MACs at no less accuracy);
    duplicates once."""
    keep, seen = [], set()
    for p in points:
        key = (p["val_accuracy"], p["val_avg_macs"])
        beaten = any(q["val_accuracy"] >= p["val_accuracy"] and q["val_avg_macs"] <= p["val_avg_macs"]
                     and (q["val_accuracy"], q["val_avg_macs"]) != key for q in points)
        if not beaten and key not in seen:
            seen.add(key)
            keep.append((p["val_avg_macs"], p["test_accuracy"]))
    return keep


def step(front, x):
    """Test accuracy of the front point with the most validation MACs not above x."""
    under = [p for p in front if p[0] <= x]
    return max(under)[1] if under else None


def check_methods(raw, s):
    t = s["mac_target"]
    ref = (s["reference"]["error"], 1.0)
    scale = s["reference"]["macs_in_targets"] * t
    for path in glob.glob(os.path.join(raw, "runs", "*-seed*.json")):
        variant, seed = os.path.basename(path)[:-5].rsplit("-seed", 1)
        if variant not in s["methods"]:
            continue
        m = s["methods"][variant]
        run = json.load(open(path))
        i = m["seeds"].index(int(seed))
        f = front(run["archive"])
        hv = grid_hv([(1 - c["test_accuracy"], c["test_avg_macs"] / scale) for c in f], ref)
        close(hv, m["hv"]["values"][i], f"{variant} seed {seed} HV")
        close(len(run["archive"]) + len(run.get("failed", [])), m["evaluations"][i],
              f"{variant} seed {seed} evaluations")
    for name, m in s["methods"].items():
        mean, ci = t_ci(m["hv"]["values"])
        close(mean, m["hv"]["mean"], f"{name} HV mean")
        close(ci, m["hv"]["ci"], f"{name} HV CI")
        for f in s["target_factors"]:
            vals = []
            for seed in m["seeds"]:
                run = json.load(open(os.path.join(raw, "runs", f"{name}-seed{seed}.json")))
                fits = [c for c in run["archive"] if c["val_avg_macs"] <= f * t]
                if fits:
                    best = max(c["val_accuracy"] for c in fits)
                    pick = min((c for c in fits if c["val_accuracy"] == best),
                               key=lambda c: c["val_avg_macs"])
                    vals.append(pick["test_accuracy"])
            a = m["accuracy_at"][str(f)]
            close(vals, a["values"], f"{name} acc@{f}")
            if vals:
                close(t_ci(vals)[0], a["mean"], f"{name} acc@{f} mean")
    by = {n: dict(zip(m["seeds"], m["hv"]["values"])) for n, m in s["methods"].items()}
    for name, r in s["ratios_to_random"].items():
        pairs = [(by[name][k], by["random"][k]) for k in sorted(by[name]) if k in by["random"]]
        close(statistics.fmean(a for a, _ in pairs) / statistics.fmean(b for _, b in pairs),
              r["ratio"], f"{name} ratio")
        close(list(paired_bootstrap(pairs, ratio_of_means)), r["ci"], f"{name} ratio CI")


def check_heads(raw, h):
    rows, curves = [], []
    for path in sorted(glob.glob(os.path.join(raw, "heads-seed*.json"))):
        for b in json.load(open(path))["backbones"]:
            c = {hd["head"]: val_front_curve(hd["points"]) for hd in b["heads"]}
            curves.append(c)
            rows.append({k: [step(v, x) for x in h["points"]] for k, v in c.items()})
    if len(rows) != h["backbones"]:
        fail(f"{len(rows)} backbones in the raw files, summary says {h['backbones']}")
    for head, c in h["comparisons"].items():
        diffs = []
        for cv in curves:
            a, b = cv["searched"], cv[head]
            lo = max(min(x for x, _ in a), min(x for x, _ in b))
            hi = max(max(x for x, _ in a), max(x for x, _ in b))
            n = h["paired_points"]
            xs = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
            diffs.append(statistics.fmean(step(a, x) - step(b, x) for x in xs))
        close(len(diffs), c["n"], f"{head} n")
        if diffs:
            close(statistics.fmean(diffs), c["mean_difference"], f"{head} mean difference")
            close(brute_wilcoxon(diffs), c["p"], f"{head} Wilcoxon p")
            if len(diffs) > 1:
                close(list(paired_bootstrap([(d, 0.0) for d in diffs], mean_difference)),
                      c["ci"], f"{head} CI")
    for head, col in h["curves"].items():
        for i, cell in enumerate(col):
            vals = [r[head][i] for r in rows if r[head][i] is not None]
            close(len(vals), cell["n"], f"{head} curve n")
            if vals:
                close(statistics.fmean(vals), cell["mean"], f"{head} curve mean")


def allowed_numbers(s):
    ok = set()

    def add(text):
        ok.update(re.findall(r"[-+]?\d+(?:\.\d+)?", text))

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, bool):
            pass
        elif isinstance(v, (int, float)):
            for fmt in (R.pct, R.hv, R.ratio, R.points, R.pval, R.macs, str):
                add(fmt(v))
            add(f"{v:g}")
            add(f"{v / 60:.0f}")
        elif isinstance(v, str):
            add(v)
    walk(s)
    add("95 % 4 1 0.1 0.2 1.0 2 3")  # the CI level, the AEBNAS grid, list numbering
    return ok


def check_document(doc, s):
    text = open(doc).read()
    for heading in ["# Five methods", "## Verdicts", "## Search quality", "## Exit heads at equal cost"]:
        if heading not in text:
            fail(f"missing section {heading!r}")
    for m in s["methods"]:
        if not re.search(rf"^\| {re.escape(R.NAMES[m])} \|", text, re.M):
            fail(f"no table row for {m}")
    for v in s["verdicts"]:
        if f"- {v}" not in text:
            fail(f"verdict missing from the document: {v}")
    base = os.path.dirname(os.path.abspath(doc))
    for fig in ["results/anytime.svg", "results/heads.svg", "results/summary.json"]:
        if not os.path.exists(os.path.join(base, fig)):
            fail(f"missing {fig}")
    ok = allowed_numbers(s)
    # Numbers inside file names and links are names, not figures.
    body = re.sub(r"\]\([^)]*\)|`[^`]*`", "", text)
    for tok in re.findall(r"[-+]?\d+(?:\.\d+)?", body):
        if tok not in ok and tok.lstrip("+-") not in ok:
            fail(f"the document's number {tok!r} is not one the raw files give")


def main(raw, doc):
    s = json.load(open(os.path.join(os.path.dirname(os.path.abspath(doc)), "results",
                                    "summary.json")))
    check_methods(raw, s)
    check_heads(raw, s["heads"])
    if s.get("heads_budget"):
        check_heads(os.path.join(raw, "heads-budget"), s["heads_budget"])
    check_document(doc, s)
    print(f"check_results: {doc} agrees with {raw} ({len(s['methods'])} methods, "
          f"{s['heads']['backbones']} backbones)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
