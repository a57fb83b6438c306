"""docs/results.md from the raw files of scripts/methods-table: every number and verdict
in the document is computed here from RAW/runs/*.json, RAW/heads-seed*.json,
RAW/budget.json and RAW/timings.jsonl, and summary.json beside the document holds them all.

    python3 scripts/lib/methods_report.py RAW DOC

Validation chooses, test reports: fronts are the non-dominated candidates on validation
(error, avg MACs); their test figures are what the hypervolume scores. The reference point
is fixed before any run: error 1 and 4 × the MAC target, with MACs divided by 4 × the
target, so the reference is (1, 1) and a hypervolume lies in [0, 1]."""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evidence_stats import (attained, hypervolume, mean, mean_difference,  # noqa: E402
                            non_dominated, paired_bootstrap, ratio_of_means, t_interval,
                            wilcoxon_signed_rank)
import methods_render  # noqa: E402

METHODS = ["aebnas", "edanas", "nachos", "sdn", "random"]
BASELINES = ["edanas", "nachos", "sdn"]
REF_MACS_FACTOR = 4.0  # the reference point's MACs, in MAC targets (MACs are divided by it)
TARGET_FACTORS = [0.5, 1.0, 2.0]  # accuracy at these multiples of the MAC target
HEAD_POINTS = [0.5, 0.7, 1.0, 1.4, 2.0]  # the heads' mean curves at these multiples
PAIRED_POINTS = 5  # a backbone's paired difference: this many points over the common range
ALPHA = 0.05


def parse_macs(text):
    t = str(text).strip().upper()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9}.get(t[-1:], 1)
    return float(t[:-1] if scale != 1 else t) * scale


def load_runs(raw):
    runs = {}
    for path in sorted(glob.glob(os.path.join(raw, "runs", "*-seed*.json"))):
        name = os.path.basename(path)[: -len(".json")]
        variant, seed = name.rsplit("-seed", 1)
        runs.setdefault(variant, {})[int(seed)] = json.load(open(path))
    return runs


def run_hv(archive, k, ref, target):
    """HV (normalised) of the test figures of the validation front of the first k."""
    cands = archive[:k]
    val = [(1 - c["val_accuracy"], c["val_avg_macs"]) for c in cands]
    front = [cands[i] for i in non_dominated(val)]
    pts = [(1 - c["test_accuracy"], c["test_avg_macs"] / (REF_MACS_FACTOR * target))
           for c in front]
    return hypervolume(pts, ref)


def chosen_at(archive, budget):
    """The candidate validation chooses under `budget` avg MACs (best validation accuracy,
    then fewer validation MACs); None when none fits."""
    fits = [c for c in archive if c["val_avg_macs"] <= budget]
    if not fits:
        return None
    return max(fits, key=lambda c: (c["val_accuracy"], -c["val_avg_macs"]))


def interval(xs):
    m, ci = t_interval(xs)
    return {"mean": m, "ci": list(ci) if ci else None, "values": xs}


def method_summary(by_seed, target, ref):
    seeds = sorted(by_seed)
    hv = [run_hv(by_seed[s]["archive"], len(by_seed[s]["archive"]), ref, target) for s in seeds]
    acc = {}
    for f in TARGET_FACTORS:
        picks = [chosen_at(by_seed[s]["archive"], f * target) for s in seeds]
        vals = [p["test_accuracy"] for p in picks if p]
        acc[str(f)] = dict(interval(vals) if vals else {"mean": None, "ci": None, "values": []},
                           missing=sum(p is None for p in picks))
    n_eval = [len(by_seed[s]["archive"]) + len(by_seed[s].get("failed", [])) for s in seeds]
    distinct = [len({tuple(c["genome"]) for c in by_seed[s]["archive"]}) for s in seeds]
    kmax = min(len(by_seed[s]["archive"]) for s in seeds)
    curve = []
    for k in range(1, kmax + 1):
        m, ci = t_interval([run_hv(by_seed[s]["archive"], k, ref, target) for s in seeds])
        curve.append({"k": k, "mean": m, "ci": list(ci) if ci else None})
    return {"seeds": seeds, "hv": interval(hv), "accuracy_at": acc, "evaluations": n_eval,
            "distinct": distinct, "anytime": curve,
            "wall_seconds": [by_seed[s].get("wall_seconds", 0) for s in seeds]}


def paired_by_seed(a, b):
    """(a, b) hypervolume pairs over the seeds both have."""
    common = sorted(set(a["seeds"]) & set(b["seeds"]))
    ia = {s: v for s, v in zip(a["seeds"], a["hv"]["values"])}
    ib = {s: v for s, v in zip(b["seeds"], b["hv"]["values"])}
    return [(ia[s], ib[s]) for s in common]


def ratio_entry(pairs):
    est = ratio_of_means(pairs) if pairs else None
    ci = paired_bootstrap(pairs, ratio_of_means) if len(pairs) > 1 else None
    return {"ratio": est, "ci": list(ci) if ci else None, "n": len(pairs),
            "significant": bool(ci and (ci[0] > 1 or ci[1] < 1))}


def diff_entry(pairs):
    est = mean_difference(pairs) if pairs else None
    ci = paired_bootstrap(pairs, mean_difference) if len(pairs) > 1 else None
    return {"difference": est, "ci": list(ci) if ci else None, "n": len(pairs),
            "significant": bool(ci and (ci[0] > 0 or ci[1] < 0))}


def head_curve(points):
    """A head's front: the sweep's threshold choices on the validation front (none with
    lower validation accuracy at no lower validation avg MACs than another; equal choices
    once), as (validation avg MACs, test accuracy). Read as a staircase, it gives for a
    budget of x avg MACs the test accuracy of the choice validation makes under x."""
    val = [(1 - p["val_accuracy"], p["val_avg_macs"]) for p in points]
    return [(points[i]["val_avg_macs"], points[i]["test_accuracy"])
            for i in non_dominated(val)]


def paired_difference(a, b):
    """Mean of front a − front b (staircases) at PAIRED_POINTS evenly spaced budgets from
    the first budget both fronts reach to the largest either needs."""
    lo = max(min(x for x, _ in a), min(x for x, _ in b))
    hi = max(max(x for x, _ in a), max(x for x, _ in b))
    xs = [lo + (hi - lo) * i / (PAIRED_POINTS - 1) for i in range(PAIRED_POINTS)]
    return mean([attained(a, x) - attained(b, x) for x in xs])


def head_summary(raw, target):
    backbones, budget = [], {}
    for path in sorted(glob.glob(os.path.join(raw, "heads-seed*.json"))):
        doc = json.load(open(path))
        backbones += doc["backbones"]
        budget = budget or {"epochs": doc["epochs"], "train_samples": doc["train_samples"]}
    points = [f * target for f in HEAD_POINTS]
    rows = []
    for b in backbones:
        curves = {h["head"]: head_curve(h["points"]) for h in b["heads"]}
        at = {h: [attained(c, x) for x in points] for h, c in curves.items()}
        rows.append({"seed": b["seed"], "archive_index": b["archive_index"], "at": at,
                     "curves": curves})
    comparisons = {}
    for head in BASELINES:
        diffs = [d for d in (paired_difference(r["curves"]["searched"], r["curves"][head])
                             for r in rows) if d is not None]
        w, n, p = wilcoxon_signed_rank(diffs)
        ci = paired_bootstrap([(d, 0.0) for d in diffs], mean_difference) if len(diffs) > 1 else None
        comparisons[head] = {"n": len(diffs), "dropped": len(rows) - len(diffs),
                             "mean_difference": mean(diffs) if diffs else None,
                             "ci": list(ci) if ci else None, "wilcoxon_w_plus": w,
                             "wilcoxon_n": n, "p": p,
                             "wins": sum(d > 0 for d in diffs), "losses": sum(d < 0 for d in diffs)}
    curves = {}
    for head in ["searched"] + BASELINES:
        col = []
        for i in range(len(points)):
            vals = [r["at"][head][i] for r in rows if r["at"][head][i] is not None]
            col.append({"macs": points[i], "mean": mean(vals) if vals else None, "n": len(vals)})
        curves[head] = col
    return {**budget, "backbones": len(rows), "points": points, "paired_points": PAIRED_POINTS,
            "comparisons": comparisons,
            "curves": curves}


def summarise(raw):
    budget = json.load(open(os.path.join(raw, "budget.json")))
    target = parse_macs(budget["mac_target"])
    ref = (1.0, 1.0)
    runs = load_runs(raw)
    methods = {m: method_summary(runs[m], target, ref) for m in METHODS if m in runs}
    ratios = {m: ratio_entry(paired_by_seed(methods[m], methods["random"]))
              for m in methods if m != "random" and "random" in methods}
    rules = {}
    for b in BASELINES:
        if b in runs and f"{b}-ours" in runs:
            ours = method_summary(runs[f"{b}-ours"], target, ref)
            rules[b] = {"own": methods[b]["hv"], "ours": ours["hv"],
                        "own_accuracy": methods[b]["accuracy_at"]["1.0"],
                        "ours_accuracy": ours["accuracy_at"]["1.0"],
                        "own_rule": f'{runs[b][min(runs[b])]["settings"]["exit_rule"]}, '
                                    f'{runs[b][min(runs[b])]["settings"]["tuning"]}',
                        "difference": diff_entry(paired_by_seed(ours, methods[b]))}
    timings = []
    tpath = os.path.join(raw, "timings.jsonl")
    if os.path.exists(tpath):
        timings = [json.loads(line) for line in open(tpath) if line.strip()]
    budget_dir = os.path.join(raw, "heads-budget")
    heads_budget = None
    if glob.glob(os.path.join(budget_dir, "heads-seed*.json")):
        heads_budget = head_summary(budget_dir, target)
    check_path = os.path.join(raw, "rerun-check.json")
    rerun = json.load(open(check_path)) if os.path.exists(check_path) else None
    return {"budget": budget, "mac_target": target, "rerun_check": rerun,
            "reference": {"error": ref[0], "macs_in_targets": REF_MACS_FACTOR},
            "target_factors": TARGET_FACTORS, "alpha": ALPHA, "methods": methods,
            "ratios_to_random": ratios, "rules": rules,
            "heads": head_summary(raw, target), "heads_budget": heads_budget,
            "run_seconds": sum(t["seconds"] for t in timings)}


def main(raw, doc):
    summary = summarise(raw)
    summary["verdicts"] = methods_render.verdicts(summary)
    out_dir = os.path.dirname(os.path.abspath(doc))
    fig_dir = os.path.join(out_dir, "results")
    os.makedirs(fig_dir, exist_ok=True)
    with open(os.path.join(fig_dir, "anytime.svg"), "w") as f:
        f.write(methods_render.anytime_svg(summary))
    with open(os.path.join(fig_dir, "heads.svg"), "w") as f:
        f.write(methods_render.heads_svg(summary))
    with open(os.path.join(fig_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(doc, "w") as f:
        f.write(methods_render.markdown(summary, os.path.relpath(raw, out_dir)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
