"""The README's `supernet` block (bench/readme-figures.py), from raw files: the shipped
supernets' record (www/data/supernets.json, by scripts/train-supernets), and the newest
bench/results/supernet/<date>-<commit>/ folder holding each of inherit.jsonl
(bench/inherit-vs-scratch), cli-search.json (bench/cli-search) and page-search.json
(bench/page-search.mjs). Each goal of the weight-sharing issue is checked against the data
and the verdict written from it, a negative one included."""
import json
import pathlib
import statistics

GOALS = {"largest": 0.90, "smallest": 0.85, "gap_points": 2.0, "search_s": 300.0,
         "cli_networks": 20, "page_networks": 32, "best": 0.88, "eval_s": 6.0, "task_ms": 50.0}


def _newest(results, name):
    found = sorted((results / "supernet").glob(f"*/{name}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _mark(ok):
    return "met" if ok else "**not met**"


def _shipped(root):
    path = root / "www" / "data" / "supernets.json"
    if not path.exists():
        return []
    rows = ["| shipped supernet | file | epochs | largest subnet (28 px), test | "
            "smallest subnet (lowest resolution), test | smallest architecture at 28 px, test |",
            "|---|---|---|---|---|---|"]
    verdicts = []
    for ds, r in sorted(json.loads(path.read_text()).items()):
        c = r["check"]
        big, small28 = c["largest"]["test_accuracy"], c["smallest"]["test_accuracy"]
        low = c.get("smallest_lowest_resolution")
        small = low["test_accuracy"] if low else small28
        low_cell = f"{100 * small:.2f} % ({low['resolution']} px)" if low else "not measured"
        rows.append(f"| {ds} | `{r['file']}`, {r['bytes'] / 1e6:.2f} MB | {r['epochs']} | "
                    f"{100 * big:.2f} % | {low_cell} | {100 * small28:.2f} % |")
        if ds == "fashion-mnist":
            verdicts.append(
                f"Fashion-MNIST largest ≥ {100 * GOALS['largest']:.0f} %: {_mark(big >= GOALS['largest'])}; "
                f"smallest subnet (the space's cheapest network, as the sandwich rule trains it) "
                f"≥ {100 * GOALS['smallest']:.0f} %: {_mark(small >= GOALS['smallest'])}; the smallest "
                f"architecture at the native 28 px, a configuration the sandwich never trains "
                f"as such, ≥ {100 * GOALS['smallest']:.0f} %: {_mark(small28 >= GOALS['smallest'])}.")
    return ["\n".join(rows) + "\n", " ".join(verdicts) + "\n"]


def _inherit(path):
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    by = {}
    for r in runs:
        by.setdefault(r["genome"], {})[r["mode"]] = r
    rows = ["| genome | inherited: final exit, test | time | scratch 5 epochs: final exit, test | time | gap (points) |",
            "|---|---|---|---|---|---|"]
    gaps, t_in, t_sc = [], [], []
    for g, m in by.items():
        if "inherited" not in m or "scratch" not in m:
            continue
        a, b = m["inherited"], m["scratch"]
        gap = 100 * (b["final_exit_accuracy"] - a["final_exit_accuracy"])
        gaps.append(gap)
        t_in.append(a["wall_seconds"])
        t_sc.append(b["wall_seconds"])
        rows.append(f"| `{g[:24]}…` | {100 * a['final_exit_accuracy']:.2f} % | {a['wall_seconds']:.1f} s | "
                    f"{100 * b['final_exit_accuracy']:.2f} % | {b['wall_seconds']:.1f} s | {gap:+.2f} |")
    if not gaps:
        return []
    within = sum(g <= GOALS["gap_points"] for g in gaps)
    better = sum(g < 0 for g in gaps)
    # 95 % confidence interval of the mean gap (Student's t, n − 1 degrees of freedom).
    t95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26}
    half = (t95.get(len(gaps) - 1, 2.0) * statistics.stdev(gaps) / len(gaps) ** 0.5
            if len(gaps) > 1 else float("nan"))
    head = (f"Inherited vs from scratch, {len(gaps)} random genomes (`{path.parent.name}`; final-exit test "
            f"accuracy on the shipped split; gap = scratch − inherited, in points): mean gap "
            f"{statistics.mean(gaps):+.2f} ± {half:.2f} (95 % CI); the inherited candidate is better for "
            f"{better} of {len(gaps)}; median time {statistics.median(t_in):.1f} s vs {statistics.median(t_sc):.1f} s "
            f"(`aebnas train`, native CPU). Inherited no more than {GOALS['gap_points']:.0f} points below scratch "
            f"for {within} of {len(gaps)}: {_mark(within == len(gaps))}.\n\n")
    return [head + "\n".join(rows) + "\n"]


def _cli(path):
    s = json.loads(path.read_text())
    c = s.get("chosen_under_target") or {}
    acc = c.get("test_accuracy", 0.0)
    ok = (s["distinct_networks"] >= GOALS["cli_networks"] and acc >= GOALS["best"]
          and s["measured_seconds"] <= GOALS["search_s"])
    return [f"CLI (`bench/cli-search`, `{path.parent.name}`, {s['cores']} cores, load {s['load_before']}): "
            f"`aebnas search --dataset fashion-mnist --supernet shipped --mac-target 1M --doe 8 --iterations 3 "
            f"--per-iter 4` evaluated {s['distinct_networks']} distinct networks in {s['measured_seconds']:.0f} s; "
            f"the candidate validation chooses under 1 M avg MACs: {100 * acc:.2f} % test accuracy at "
            f"{c.get('test_avg_macs', 0) / 1e3:.0f} k MACs (validation {100 * c.get('val_accuracy', 0):.2f} %). "
            f"Goal (≥ {GOALS['cli_networks']} networks, ≥ {100 * GOALS['best']:.0f} %, ≤ 5 min): {_mark(ok)}.\n"]


def _page(path):
    s = json.loads(path.read_text())
    ev = s["evaluation_s"]
    med = statistics.median(ev) if ev else float("nan")
    c = s.get("chosen") or {}
    acc = c.get("test_accuracy", 0.0)
    goals = [
        (f"median evaluation ≤ {GOALS['eval_s']:.0f} s", med <= GOALS["eval_s"]),
        (f"≥ {GOALS['page_networks']} networks", s["archive"] >= GOALS["page_networks"]),
        ("≤ 5 min", s["seconds"] <= GOALS["search_s"]),
        (f"chosen ≥ {100 * GOALS['best']:.0f} %", acc >= GOALS["best"]),
        (f"longest main-thread task < {GOALS['task_ms']:.0f} ms", s["longest_task_ms"] < GOALS["task_ms"]),
    ]
    verdict = "; ".join(f"{g}: {_mark(ok)}" for g, ok in goals)
    return [f"Page (`bench/page-search.mjs`, `{path.parent.name}`, headless Chromium, CPU backend, "
            f"{s['cores']} cores, load {' '.join(f'{x:.2f}' for x in s['load_before'])}): the default search "
            f"evaluated {s['archive']} networks ({s['distinct_genomes']} distinct genomes) in {s['seconds']:.0f} s; "
            f"one evaluation in the worker: median {med:.2f} s (min {min(ev):.2f}, max {max(ev):.2f}); the "
            f"candidate validation chooses under the target: {100 * acc:.2f} % test accuracy at "
            f"{c.get('test_avg_macs', 0) / 1e3:.0f} k MACs; longest main-thread task {s['longest_task_ms']:.0f} ms. "
            f"Goals: {verdict}.\n"]


def supernet_block(root, results):
    parts = _shipped(root)
    for name, make in (("inherit.jsonl", _inherit), ("cli-search.json", _cli), ("page-search.json", _page)):
        p = _newest(results, name)
        if p is not None:
            parts += make(p)
    return "\n".join(p for p in parts if p) + "\n" if parts else None
