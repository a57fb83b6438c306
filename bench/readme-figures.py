#!/usr/bin/env python3
"""Writes the README's measured-figure blocks from the raw benchmark files in bench/results/.

    python3 bench/readme-figures.py [README.md]

Each block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in the README
and is rewritten from its raw file; a block whose raw file is missing is left as it is.
Blocks: `page` (bench/results/page-responsiveness/run-*.json, from bench/page-responsiveness.mjs),
`start` (bench/results/page-start/*/{before,after}/run-*.json, from bench/page-start-ab.sh),
`stability` (bench/results/e2e-stability/*/summary.tsv, from bench/e2e-stability) and
`cluster` (bench/results/native-jobs.json, from bench/native-jobs.sh) and `serve`
(bench/results/serve-times.json, from bench/serve-times.sh) and `backend`
(docs/img/backend-badge.json, from tests/e2e/badge-shot.mjs) and `suite`
(bench/results/suite/*.log, the output of `scripts/test` on a clean clone, ending with the
line `rc=… secs=…` that the caller appended, described in bench/results/suite/notes.json) and `dist` (the newest
bench/results/dist/*.log, the output of `scripts/dist` with `rc=… secs=…` appended) and `pool`
(bench/results/page-pool.json, from bench/page-pool.mjs) and `throughput`
(bench/results/throughput/, see bench/readme_throughput.py) and `methods` (the verdicts of
docs/results.md, from docs/results/summary.json, by scripts/methods-table).
"""
import csv
import json
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from readme_throughput import _commit_time, throughput_block  # noqa: E402
from readme_supernet import supernet_block  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def page_block():
    files = sorted((RESULTS / "page-responsiveness").glob("run-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    runs = [json.loads(p.read_text()) for p in files]
    if not runs:
        return None
    n = len(runs)
    verdict = lambda met: f"goal met in {met} of {n} runs" + ("" if met == n else " (NOT in every run)")

    def spread(xs):
        return f"{min(xs):.1f}–{max(xs):.1f} ms" if n > 1 else f"{xs[0]:.1f} ms"

    load = [r["load"]["longest_ms"] for r in runs]
    load_api = [max(r["load"]["long_tasks_api_ms"], default=0) for r in runs]
    search = [r["search"]["longest_ms"] for r in runs]
    dom = [r["slider"]["dom_p95_ms"] for r in runs]
    painted = [r["slider"]["painted_p95_ms"] for r in runs]
    rows = [
        ("page load: longest main-thread task in the trace (goal < 50 ms)",
         f"{spread(load)} — {verdict(sum(x < 50 for x in load))}"),
        ("page load: longest task the Long Tasks API saw (0 = none ≥ 50 ms)",
         f"{', '.join(f'{x:g}' for x in load_api)} ms — {verdict(sum(x < 50 for x in load_api))}"),
    ]
    if all("navigation_commit_ms" in r["load"] for r in runs):
        quiet = [r["load"]["longest_ms"] for r in runs]
        commit = [max(r["load"]["navigation_commit_ms"], default=0) for r in runs]
        driver = [max(r["load"]["driver_tasks_ms"], default=0) for r in runs]
        rows += [
            ("page load: longest task in the trace, quiet goal (≤ 30 ms)",
             f"{spread(quiet)} — {verdict(sum(x <= 30 for x in quiet))}"),
            ("page load: most main-thread CPU time in one task (the thread's own time: "
             "without the time other processes held the core, nor waits on the browser process)",
             cpu_spread(runs)),
            ("page load, not counted above: Chromium's navigation commit (document and JavaScript "
             "context created, before the page's first script) / the test driver's DevTools tasks",
             f"{spread(commit)} / {spread(driver)}"),
            ("page load: what the longest task of each run was made of (trace parts over 2 ms)",
             "; ".join(longest_parts(r) for r in runs)),
        ]
    rows += [
        (f"search ({runs[0]['candidates']} candidates): longest main-thread task (goal ≤ 30 ms quiet)",
         f"{spread(search)} — {verdict(sum(x <= 30 for x in search))}"),
        (f"slider input → read-outs re-scored in the DOM, p95 of {runs[0]['moves']} moves (goal < 16 ms)",
         f"{spread(dom)} — {verdict(sum(x < 16 for x in dom))}"),
        ("slider input → next painted frame, p95 (goal < 50 ms)",
         f"{spread(painted)} — {verdict(sum(x < 50 for x in painted))}"),
    ]
    if all(r["search"].get("longest_cpu_ms") is not None for r in runs):
        rows.insert(-2, ("search: most main-thread CPU time in one task",
                         spread([r["search"]["longest_cpu_ms"] for r in runs])))
    if all(r["search"].get("long_tasks") for r in runs):
        rows.insert(-2, ("search: what the longest task of each run was made of (trace parts over 2 ms; CPU time)",
                         "; ".join(search_parts(r) for r in runs)))
    loads = [r["loadavg"] for r in runs if "loadavg" in r]
    machine = (f"2-core machine with a 1-minute load average of {min(l[0] for l in loads):.1f}–"
               f"{max(l[0] for l in loads):.1f} at the runs' starts" if loads
               else "quiet 2-core machine")
    head = (f"`node bench/page-responsiveness.mjs` on `{runs[0]['dist']}`, {runs[0]['when'][:10]}, "
            f"{n} runs, headless Chromium, CPU backend, {machine} "
            "(raw: `bench/results/page-responsiveness/run-*.json`).\n\n")
    return head + "| what | measured |\n|---|---|\n" + "".join(f"| {a} | {b} |\n" for a, b in rows)


def cpu_spread(runs):
    """The spread of the runs' most CPU time in one page-start task, or why there is none."""
    cpu = [r["load"].get("longest_cpu_ms") for r in runs]
    if any(x is None for x in cpu):
        return "not recorded"
    return f"{min(cpu):.1f}–{max(cpu):.1f} ms" if len(cpu) > 1 else f"{cpu[0]:.1f} ms"


def search_parts(run):
    """The longest task of a run's search: its length, CPU time and trace parts over 2 ms."""
    t = max(run["search"]["long_tasks"], key=lambda t: t["ms"])
    parts = ", ".join(f"{p['name'].split(' (')[0]} {p['ms']:g}" for p in t["parts"] if p["ms"] > 2)
    return f"{t['ms']:g} ms, CPU {t['cpu_ms']:g} ({parts or 'no part over 2 ms'})"


def longest_parts(run):
    """The longest page-start task of a run: its length and its trace parts over 2 ms."""
    tasks = run["load"].get("long_tasks") or []
    if not tasks:
        return "none of 30 ms or more"
    t = max(tasks, key=lambda t: t["ms"])
    parts = ", ".join(f"{p['name'].split(' (')[0]} {p['ms']:g}" for p in t["parts"] if p["ms"] > 2)
    return f"{t['ms']:g} ms ({parts or 'no part over 2 ms'})"


def start_block():
    """The page's start, two builds taking turns (bench/page-start-ab.sh), one row per build
    and series (bench/results/page-start/SERIES/{before,after}/run-*.json)."""
    rows = []
    series_dirs = sorted(p for p in (RESULTS / "page-start").glob("*") if p.is_dir())
    for series in series_dirs:
        rows += start_rows(series)
    if not rows:
        return None
    verdict = start_verdict(series_dirs)
    head = ("`bench/page-start-ab.sh BEFORE AFTER bench/results/page-start/SERIES` — the page's "
            "start alone (navigation until the samples are painted and \"Run search\" is enabled, "
            "plus 1 s), the two builds taking turns run by run, headless Chromium, CPU backend "
            "(raw: `bench/results/page-start/*/{before,after}/run-*.json`).\n\n")
    table = ("| series, build | runs | load average (1 min) at the runs' starts | longest "
             "main-thread task in the trace, ms | runs under 50 ms / at most 30 ms | runs with no "
             "task ≥ 50 ms in the Long Tasks API | most main-thread CPU time in one task, ms "
             "| biggest part of each run's longest task (≥ 30 ms) |\n|---|---|---|---|---|---|---|---|\n")
    return (head + table + "".join("| " + " | ".join(str(c) for c in r) + " |\n" for r in rows)
            + (f"\n{verdict}\n" if verdict else ""))


def start_verdict(series_dirs):
    """A sentence on the goals from the newest series that recorded CPU time (its `after`
    build is the page as it is now), or None. The quiet goal (≤ 30 ms) is judged only for a
    series whose builds.json says the machine ran nothing else (`"quiet": true`): the load
    average cannot tell, the bench's own browser and driver raise it to 2-4."""
    def runs(series, side):
        return [json.loads(p.read_text()) for p in sorted((series / side).glob("run-*.json"))]
    with_cpu = [s for s in series_dirs if all(r["load"].get("longest_cpu_ms") is not None
                                              for side in ("before", "after") for r in runs(s, side))]
    if not with_cpu:
        return None
    newest = with_cpu[-1]
    meta = json.loads((newest / "builds.json").read_text()) if (newest / "builds.json").exists() else {}
    after, before = runs(newest, "after"), runs(newest, "before")
    wall = sum(r["load"]["longest_ms"] >= 50 for r in after)
    api = sum(max(r["load"]["long_tasks_api_ms"], default=0) >= 50 for r in after)
    cpu_after = max(r["load"]["longest_cpu_ms"] for r in after)
    cpu_before = max(r["load"]["longest_cpu_ms"] for r in before)
    text = (f"Verdict (series `{newest.name}`, {len(after)} runs of each build): the page start's "
            f"goal (no task ≥ 50 ms) is {'met' if wall == 0 else 'NOT met'} in the trace's wall time "
            f"({wall} of {len(after)} runs had a task ≥ 50 ms, against "
            f"{sum(r['load']['longest_ms'] >= 50 for r in before)} of {len(before)} before) and "
            f"{'met' if api == 0 else 'NOT met'} by the Long Tasks API ({api} of {len(after)} runs); "
            f"the most main-thread CPU time in one task was {cpu_after:.1f} ms at most "
            f"(before: {cpu_before:.1f} ms)")
    if wall and cpu_after < 50:
        text += (", so the wall time over 50 ms is mostly time other processes held the core "
                 "(and waits on the browser process)")
    if meta.get("quiet"):
        quiet = sum(r["load"]["longest_ms"] <= 30 for r in after)
        text += (f". Quiet machine (nothing else ran): the quiet goal (≤ 30 ms) is "
                 f"{'met' if quiet == len(after) else 'NOT met'}: the longest task was ≤ 30 ms in "
                 f"{quiet} of {len(after)} runs (before: "
                 f"{sum(r['load']['longest_ms'] <= 30 for r in before)} of {len(before)})")
    else:
        text += ". The quiet-machine goal (≤ 30 ms) is not judged here: the series is not marked quiet"
    return text + "."


def start_rows(series):
    """The rows of one series of bench/page-start-ab.sh: one per build."""
    sides = {side: [json.loads(p.read_text()) for p in sorted((series / side).glob("run-*.json"))]
             for side in ("before", "after")}
    if not all(sides.values()):
        return []
    meta = json.loads((series / "builds.json").read_text()) if (series / "builds.json").exists() else {}

    def median(xs):
        s = sorted(xs)
        return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2

    rows = []
    for side, runs in sides.items():
        n = len(runs)
        trace = [r["load"]["longest_ms"] for r in runs]
        api = [max(r["load"]["long_tasks_api_ms"], default=0) for r in runs]
        loads = [r["loadavg"][0] for r in runs]
        cpu = [r["load"].get("longest_cpu_ms") for r in runs]
        cpu = (f"{min(cpu):.1f}–{max(cpu):.1f} (median {median(cpu):.1f})"
               if all(x is not None for x in cpu) else "not recorded")
        causes = {}
        for r in runs:
            tasks = r["load"].get("long_tasks") or []
            if tasks:
                top = max(tasks, key=lambda t: t["ms"])
                name = top["parts"][0]["name"].split(" (")[0] if top["parts"] else "?"
                causes[name] = causes.get(name, 0) + 1
        cause = ", ".join(f"{k} ×{v}" for k, v in sorted(causes.items(), key=lambda kv: -kv[1]))
        label = f"{series.name}, {side}" + (f" ({meta[side]})" if side in meta else "")
        rows.append((label, n, f"{min(loads):.1f}–{max(loads):.1f}",
                     f"{min(trace):.1f}–{max(trace):.1f} (median {median(trace):.1f})",
                     f"{sum(x < 50 for x in trace)} / {sum(x <= 30 for x in trace)}",
                     f"{sum(x == 0 for x in api)} of {n}; longest {max(api):g} ms", cpu,
                     cause or "none of 30 ms or more"))
    return rows


def stability_block():
    runs = sorted((RESULTS / "e2e-stability").glob("*/summary.tsv"))
    if not runs:
        return None
    lines = []
    for path in runs:
        rows = list(csv.DictReader(path.open(), delimiter="\t"))
        by_run = {}
        for row in rows:
            by_run.setdefault((row["run"], row["load"]), {})[row["figure"]] = row["value"]
        green = sum(1 for v in by_run.values() if v.get("exit status") == "0")
        load = sorted({k[1] for k in by_run})
        figures = {}
        loads = []
        for v in by_run.values():
            for name, value in v.items():
                if name.startswith("load average"):
                    loads.append(float(value))
                    continue
                mode, _, what = name.partition(" ")
                figures.setdefault((what, mode), []).append(float(value))
        load_avg = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "not recorded" 

        def spread(what, unit, scale=1.0):
            parts = []
            for (w, mode), xs in sorted(figures.items()):
                if w == what:
                    xs = [x / scale for x in xs]
                    parts.append(f"{mode} {min(xs):.0f}–{max(xs):.0f} {unit}")
            return ", ".join(parts) or "—"

        lines.append(f"| `{path.parent.name}` ({', '.join(load)}) | {load_avg} | {green} of {len(by_run)} green | "
                     f"{spread('longest main-thread task during the search', 'ms')} | "
                     f"{spread('time to first evaluated candidate (from the click)', 's', 1000)} |\n")
    return ("`bench/e2e-stability` (raw logs and `summary.tsv` in `bench/results/e2e-stability/`).\n\n"
            "| series | load average (1 min, 2 cores) around the runs | runs | longest task of ≥ 50 ms during the search (Long Tasks API; 0 = none) "
            "| time to the first candidate |\n|---|---|---|---|---|\n"
            + "".join(lines))


def cluster_block():
    raw = RESULTS / "native-jobs.json"
    if not raw.exists():
        return None
    r = json.loads(raw.read_text())
    by_mode = {}
    for run in r["runs"]:
        by_mode.setdefault(run["mode"], []).append(run)
    label = {
        "jobs1": "`aebnas search --jobs 1`",
        "jobs2": "`aebnas search --jobs 2`",
        "ray": "`scripts/ray-search`, local Ray (2 tasks at a time)",
    }
    base = min(x["seconds"] for x in by_mode["jobs1"])
    rows = []
    for mode in ("jobs1", "jobs2", "ray"):
        runs = by_mode.get(mode, [])
        if not runs:
            continue
        best = min(x["seconds"] for x in runs)
        same = "yes" if all(x["same_run_as_first"] for x in runs) else "NO"
        rows.append(f"| {label[mode]} | {best:.1f} s | {best / base:.2f} | {same} |\n")
    evaluations = r["runs"][0]["evaluations"]
    return (f"`bench/native-jobs.sh` on {r['when'][:10]}, {r['cores']} cores, {evaluations} networks "
            f"(`{r['settings']}`), the tests' build of `aebnas` (CPU backend); best of "
            f"{len(by_mode['jobs1'])} (raw: `bench/results/native-jobs.json`).\n\n"
            "| search | wall time | ratio to `--jobs 1` | same run (genomes, figures) |\n"
            "|---|---|---|---|\n" + "".join(rows))


def serve_block():
    raw = RESULTS / "serve-times.json"
    if not raw.exists():
        return None
    r = json.loads(raw.read_text())

    def minutes(seconds):
        return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"

    def at(kind, prefix):
        return next((x["at_s"] for x in r[kind] if x["step"].startswith(prefix)), None)

    def rows(kind):
        steps = r[kind]
        out = []
        for a, b in zip(steps, steps[1:]):
            # After the address, serve builds the WebGPU worker in the background.
            what = ("(address printed) the WebGPU worker, built in the background at low priority"
                    if a["step"].startswith("serving") else a["step"])
            out.append(f"| {kind} | {what} | {minutes(b['at_s'] - a['at_s'])} |\n")
        out.append(f"| **{kind}** | **address printed** | **{minutes(at(kind, 'serving'))}** |\n")
        if (gpu := at(kind, "the WebGPU worker is in place")) is not None:
            out.append(f"| **{kind}** | **the WebGPU worker in place** | **{minutes(gpu)}** |\n")
        return out

    cold = at("cold", "serving")
    both = ""
    if (RESULTS / "fresh-both.json").exists():
        b = json.loads((RESULTS / "fresh-both.json").read_text())
        both = (f"\nBoth commands on a fresh machine (`bench/fresh-both.sh`; {b['note']}): `scripts/serve` "
                f"{minutes(b['serve_webgpu_worker_s'])} (address at {minutes(b['serve_address_s'])}), then "
                f"`scripts/test` {minutes(b['test_s'])} ({'all green' if b['test_rc'] == 0 else 'FAILED'}; log "
                f"`{b['test_log']}`): **{minutes(b['total_s'])}** in all.\n")
    goal = (f"\nGoal: the address in ≤ 15 min cold on a fresh machine — {'met' if cold <= 900 else 'NOT met'} "
            f"({minutes(cold)}).\n" if r.get("fresh_tools") else
            "\nThis run had the tools installed already, so it does not judge the fresh-machine goal (≤ 15 min).\n")

    kib = lambda n: f"{n / 1024 / 1024:.2f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} KB"
    sizes = "".join(f"| `{b['file']}` | {kib(b['raw'])} | {kib(b['gzip'])} |\n" for b in r["bundle"])
    return (f"`bench/serve-times.sh` on {r['when'][:10]}, {r['cores']} cores, mean load average "
            f"{r['mean_load_average']} while it ran; {r['note']} "
            "(raw: `bench/results/serve-times.json` and the two logs beside it).\n\n"
            "| run | step | time |\n|---|---|---|\n" + "".join(rows("cold") + rows("warm")) + goal + both
            + "\nThe bundle it serves (`target/e2e-dist`, gzip -9):\n\n"
            "| file | raw | gzip |\n|---|---|---|\n" + sizes)


def backend_block():
    raw = ROOT / "docs" / "img" / "backend-badge.json"
    if not raw.exists():
        return None
    r = json.loads(raw.read_text())
    m = r["measurement"]

    def figure(name, x):
        if x["outcome"] == "measured":
            return f"{name} {x['median_ms']:.0f} ms/step (median of {x['steps']} steps)"
        if x["outcome"] == "over_cap":
            return f"{name} over the {x['cap_ms'] / 1000:g} s cap ({x['steps']} steps done)"
        return f"{name}: {x.get('reason', x['outcome'])}"

    parts = [figure(k, m[k.lower()]) for k in ("WebGPU", "CPU") if m.get(k.lower())]
    return (f"  {r['date'][:10]}, Chromium {r['browser']}, {r['mode']} mode ({m.get('adapter', 'no adapter')}): "
            f"{' vs '.join(parts)} → **{r['badge']['backend'].upper()}**; the figures appeared "
            f"{r['seconds_until_figures']:.1f} s after the page loaded (raw: `docs/img/backend-badge.json`, "
            "from `node tests/e2e/badge-shot.mjs DIST webgpu docs/img`).\n  ")  # the list item's indent


def pool_block():
    raw = RESULTS / "page-pool.json"
    if not raw.exists():
        return None
    r = json.loads(raw.read_text())
    by_workers = {}
    for run in r["runs"]:
        by_workers.setdefault(run["workers"], []).append(run)
    base = min(x["seconds"] for x in by_workers[1])
    rows = []
    for workers, runs in sorted(by_workers.items()):
        best = min(x["seconds"] for x in runs)
        longest = max(x["longest_task_ms"] for x in runs)
        same = "yes" if all(x["same_run_as_first"] for x in runs) else "NO"
        rows.append(f"| {workers} | {best:.1f} s | {best / base:.2f} | {longest:.0f} ms | {same} |\n")
    load = "/".join(f"{x:.1f}" for x in r["load_before"])
    return (f"`node bench/page-pool.mjs` on {r['when'][:10]}, {r['cores']} cores (load average "
            f"{load} before), a search on the CPU backend "
            f"({r['runs'][0]['evaluations']} networks, link `{r['hash']}`); best of "
            f"{len(by_workers[1])} (raw: `bench/results/page-pool.json`).\n\n"
            "| search workers | wall time | ratio to 1 worker | longest main-thread task | same run |\n"
            "|---|---|---|---|---|\n" + "".join(rows) + pool_verdict(by_workers, base))


def pool_verdict(by_workers, base):
    """One sentence from the figures: how much the largest pool shortened the search."""
    workers = max(by_workers)
    best = min(x["seconds"] for x in by_workers[workers])
    if workers == 1:
        return ""
    gain = "shortened" if best < 0.95 * base else "did not shorten"
    return (f"\n{workers} search workers {gain} the search here: {best / base:.2f} of one "
            f"worker's wall time.\n")


def suite_block():
    logs = sorted((RESULTS / "suite").glob("*.log"))
    if not logs:
        return None
    notes = json.loads((RESULTS / "suite" / "notes.json").read_text())
    strip = lambda line: re.sub(r"\x1b\[[0-9;]*m", "", line)

    def minutes(seconds):
        return f"{seconds // 60} min {seconds % 60:02d} s"

    rows, cold = [], None
    for log in logs:
        lines = [strip(x) for x in log.read_text(errors="replace").splitlines()]
        end = next((re.match(r"rc=(\d+) secs=(\d+)", x) for x in reversed(lines) if x.startswith("rc=")), None)
        if not end:
            continue
        rc, secs = int(end[1]), int(end[2])
        at = lambda pat: next((int(m[1]) for x in lines if (m := re.match(rf"\[setup\] \[(\d+)s\] {pat}", x))), None)
        e2e = next((m for x in reversed(lines) if (m := re.match(r"(\d+) passed, (\d+) failed in ([\d.]+) s", x))), None)
        date, commit, kind = log.stem.split("-")[0:3], log.stem.split("-")[3], "-".join(log.stem.split("-")[4:])
        parts = []
        if (t := at("native test build done")) is not None:
            parts.append(f"native test build done at {t} s")
        if (t := next((int(m[1]) for x in lines if (m := re.search(r"\[browser ended at (\d+)s", x))), None)) is not None:
            parts.append(f"browser side (wasm tests, web app build) done at {t} s")
        if (t := at("end-to-end tests")) is not None:
            parts.append(f"e2e started at {t} s")
        if e2e:
            parts.append(f"e2e {e2e[1]} passed, {e2e[2]} failed in {float(e2e[3]):.0f} s")
        verdict = "all green" if rc == 0 else f"**FAILED** (exit {rc})"
        rows.append(f"| {'-'.join(date)} | `{commit}` | {kind.replace('-', ' ')} | **{minutes(secs)}** ({secs} s), {verdict} | "
                    f"{'; '.join(parts)} | {notes.get(log.name, '')} |\n")
        # The newest cold run by commit time (log names sort by hash within a day).
        if kind == "cold-build" and (cold is None or _commit_time(commit) >= _commit_time(cold[3])):
            cold = (log.name, secs, rc, commit)
    # Issue 23's bound: a cold run (empty build directories, tools installed) no slower than
    # the 33 min 25 s measured before the web app's build was shared with scripts/serve.
    goal = ""
    if cold:
        name, secs, rc, _ = cold
        goal = (f"\nGoal: a cold run (empty build directories) in at most 33 min 25 s — newest, `{name}`: "
                f"{minutes(secs)}, {'met' if secs <= 2005 else 'NOT met'}"
                f"{'' if rc == 0 else ' (and it FAILED)'}.\n")
    return ("`scripts/test` on a clean clone, 2-core VM (raw logs: `bench/results/suite/`; the machine's "
            "state for each in `notes.json`).\n\n"
            "| date | commit | run | total | phases | machine |\n|---|---|---|---|---|---|\n" + "".join(rows) + goal)


def _dist_log(log):
    """`(rc, seconds, sizes, page runs)` of one scripts/dist log, or None without an end line."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", x) for x in log.read_text(errors="replace").splitlines()]
    end = next((re.match(r"rc=(\d+) secs=(\d+)", x) for x in reversed(lines) if x.startswith("rc=")), None)
    if not end:
        return None
    sizes = [m for x in lines if (m := re.match(r"(\S+\.wasm|all wasm): ([\d.]+) MB raw, ([\d.]+) MB gzip", x))]
    runs = [m for x in lines if (m := re.match(r"run \d+ \((\w+)\): first contentful paint (\d+) ms; (\d+) samples "
                                                 r"painted at (\d+) ms; backend badge \"(\w+)\" at (\d+) ms", x))]
    return int(end[1]), int(end[2]), sizes, runs


def dist_block():
    """The bundle scripts/dist builds now (notes.json's `current`, else the newest log), then
    every logged build with its worker's size and, where measured, the page's training rate
    (bench/page-train-rate.mjs on that bundle: LOG-STEM.rate.json beside the log)."""
    d = RESULTS / "dist"
    logs = sorted(d.glob("*.log"))
    if not logs:
        return None
    notes = json.loads((d / "notes.json").read_text()) if (d / "notes.json").exists() else {}
    log = d / notes["current"] if notes.get("current") else logs[-1]
    parsed = _dist_log(log)
    if not parsed:
        return None
    rc, secs, sizes, runs = parsed
    note = notes.get(log.name, "")
    head = (f"`scripts/dist`, log `{log.name}` ({'passed its check' if rc == 0 else f'**FAILED**, exit {rc}'}): {secs // 60} min {secs % 60:02d} s"
            f"{'; ' + note if note else ''} (raw log: `bench/results/dist/`).\n\n")
    table = "| file | raw | gzip |\n|---|---|---|\n" + "".join(
        f"| {'**all wasm**' if m[1] == 'all wasm' else '`' + re.sub(r'-[0-9a-f]{12,16}(?=_bg)', '', m[1]) + '`'} | {m[2]} MB | {m[3]} MB |\n"
        for m in sizes)
    seen = "".join(f"\nRelease page in headless Chromium ({m[1]}): first contentful paint {m[2]} ms, {m[3]} test "
                   f"images painted at {m[4]} ms, backend badge \"{m[5]}\" at {m[6]} ms.\n" for m in runs)
    return head + table + seen + _dist_profiles(d, logs, notes)


def _dist_profiles(d, logs, notes):
    """One row per logged build: how the worker's size trades against training speed."""
    def rate(stem):
        p = d / f"{stem}.rate.json"
        return json.loads(p.read_text())["median_images_per_sec"] if p.exists() else None
    builds = []  # (log, CPU-only worker size, WebGPU worker size or None, training rate)
    for log in logs:
        parsed = _dist_log(log)
        sizes = {re.sub(r"-[0-9a-f]{12,16}(?=_bg)", "", m[1]): m for m in parsed[2]} if parsed else {}
        # Before the split, aebnas-worker was the one worker (with WebGPU).
        if "aebnas-worker_bg.wasm" in sizes:
            builds.append((log, sizes["aebnas-worker_bg.wasm"], sizes.get("aebnas-worker-webgpu_bg.wasm"),
                           rate(log.stem)))
    rows = [f"| `{log.name}` | {notes.get(log.name, '').split(';')[0].split(' (')[0]} | "
            + (f"{w[2]} MB | {w[3]} MB | {g[2]} MB | {g[3]} MB" if g else f"{w[2]} MB | {w[3]} MB | (one worker, both backends) | —")
            + f" | {f'{r:g}' if r is not None else 'not measured'} |" for log, w, g, r in builds]
    test = rate("2026-12-05-test-build")
    if len(rows) < 2:
        return ""
    now = next(((float(w[3]), r, g) for log, w, g, r in builds if log.name == notes.get("current")), None)
    small = min((float(w[3]), r) for _, w, g, r in builds if not g)
    verdict = ""
    if now and now[2]:
        verdict = (f"\nGoal: the worker ≤ 3 MB gzip — {'met' if now[0] <= 3 else 'NOT met'} by the worker a page "
                   f"loads to train on the CPU in the build `scripts/dist` makes ({now[0]:.2f} MB gzip). The "
                   f"WebGPU build ({float(now[2][3]):.2f} MB gzip) is fetched only where the browser gives the "
                   "page a WebGPU adapter and WebGPU may be picked (`src/playground/worker_build.rs`).\n")
    elif now:
        verdict = (f"\nGoal: the worker ≤ 3 MB gzip — {'met' if now[0] <= 3 else 'NOT met'} by the build "
                   f"`scripts/dist` makes ({now[0]:.2f} MB)")
        if small[0] < now[0] and small[1] and now[1]:
            verdict += (f"; the smallest build measured ({small[0]:.2f} MB) trains at {small[1] / now[1]:.2f}× its "
                        "speed, so it is not the default")
        verdict += ".\n"
    hashes = sorted({json.loads(p.read_text())["hash"] for p in d.glob("*.rate.json")})
    return ("\nThe worker's size against its training speed, per build; from the split on, \"worker\" is the "
            "CPU-only build a page loads to train on the CPU, and training is measured on it (before, one worker "
            "held both backends). Training: the page's own \"images/s\" "
            "figure, median over 45 s, `node bench/page-train-rate.mjs DIST --hash "
            + " / ".join(f"'{h}'" for h in hashes) + "`: the search trains its own supernet first"
            + (f"; the test build `target/e2e-dist`: {test:g} images/s" if test else "") + "):\n\n"
            "| log | build | worker raw | worker gzip | WebGPU worker raw | WebGPU worker gzip | training, images/s |\n"
            "|---|---|---|---|---|---|---|\n"
            + "\n".join(rows) + "\n" + verdict)


def bundle_parts_block():
    """What the search worker's code is made of (bench/wasm-size-by-crate.py on a test build,
    bench/results/bundle/worker-by-crate-<commit>[-<build>].json): both builds of the newest
    commit measured side by side, or the one worker before the split."""
    files = sorted((RESULTS / "bundle").glob("worker-by-crate-*.json"))
    if not files:
        return None
    # The newest commit measured, by commit time (a clone gives every file the same mtime).
    commits = {p.stem.removeprefix("worker-by-crate-").split("-")[0] for p in files}
    commit = max(commits, key=lambda c: (_commit_time(c), c))
    builds = [(p.stem.removeprefix(f"worker-by-crate-{commit}").lstrip("-") or "the worker", json.loads(p.read_text()))
              for p in sorted(files) if p.stem.startswith(f"worker-by-crate-{commit}")]
    builds.sort(key=lambda b: b[1]["code_bytes"])
    labels = {"cpu-only": "`aebnas-worker` (CPU only)", "webgpu": "`aebnas-worker-webgpu`"}
    families = sorted({f for _, x in builds for f in x["families"]}, key=lambda f: -builds[-1][1]["families"].get(f, 0))
    head = " | ".join(labels.get(name, name) for name, _ in builds)
    rows = "".join("| " + f + " | " + " | ".join(
        f"{x['families'].get(f, 0) / 1e6:.2f} MB ({100 * x['families'].get(f, 0) / x['code_bytes']:.1f} %)"
        for _, x in builds) + " |\n" for f in families)
    total = "| **all code** | " + " | ".join(f"**{x['code_bytes'] / 1e6:.2f} MB** ({x['functions']:,} functions)"
                                           for _, x in builds) + " |\n"
    tops = "".join(f"\nLargest crates, {labels.get(name, name)}: " + ", ".join(
        f"`{c}` {size / 1e6:.1f} MB" for c, size in sorted(x["crates"].items(), key=lambda kv: -kv[1])[:6]) + "."
        for name, x in builds)
    return (f"What the search worker's code is made of (`python3 bench/wasm-size-by-crate.py` on the test "
            f"build of `{commit}`, which keeps function names; raw: `bench/results/bundle/`):\n\n"
            f"| part | {head} |\n|---|" + "---|" * len(builds) + "\n" + rows + total + tops + "\n")


def methods_block():
    path = ROOT / "docs" / "results" / "summary.json"
    if not path.exists():
        return None
    s = json.loads(path.read_text())
    b = s["budget"]
    evals = b["doe"] + b["iterations"] * b["per_iter"]
    head = (f"Verdicts of [`docs/results.md`](docs/results.md) (generated {b['date']} at `{b['commit']}` "
            f"by `scripts/methods-table` from the raw files in `bench/results/methods/`: "
            f"{len(s['methods'])} methods × {len(b['seeds'])} seeds × {evals} networks, MAC target "
            f"{b['mac_target']}, {b['cores']} cores, {s['run_seconds'] / 60:.0f} minutes of runs):\n\n")
    figures = ("\n![hypervolume against evaluations](docs/results/anytime.svg)\n"
               "![exit heads at matched avg MACs](docs/results/heads.svg)\n\n")
    return head + "".join(f"- {v}\n" for v in s["verdicts"]) + figures


def compare_block():
    raw = RESULTS / "page-compare.json"
    if not raw.exists():
        return None
    r = json.loads(raw.read_text())
    load = "/".join(f"{x:.1f}" for x in r["load_before"])
    def row(i, x):
        ratio = "" if x["ratio"] is None else f"{x['ratio']:.3f}"
        current = " (current run)" if i == 0 else ""
        return f"| {x['method']}{current} | {x['networks']} | {x['hv']:.4f} | {ratio} | {x['chosen']} |\n"

    rows = "".join(row(i, x) for i, x in enumerate(r["rows"]))
    return (f"`node bench/page-compare.mjs` on {r['when'][:10]}, {r['cores']} cores (load average {load} "
            f"before), headless Chromium, CPU backend, link `{r['hash']}`: the four other methods ran on "
            f"the example's problem in {r['seconds'] / 60:.1f} minutes; longest main-thread task "
            f"{r['longest_task_ms']:.0f} ms (raw: `bench/results/page-compare.json`).\n\n"
            "| method | networks | HV | ÷ current | chosen under the target: validation / test |\n"
            "|---|---|---|---|---|\n" + rows + f"\n{r['summary']}\n\n"
            "![the compared fronts on the Pareto plot](docs/img/compare-plot.png)\n"
            "![the comparison card](docs/img/compare-panel.png)\n")


def main():
    readme = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    text = readme.read_text()
    for name, make in (("page", page_block), ("start", start_block), ("stability", stability_block),
                       ("cluster", cluster_block), ("serve", serve_block), ("backend", backend_block),
                       ("suite", suite_block), ("dist", dist_block), ("bundle-parts", bundle_parts_block), ("pool", pool_block),
                       ("throughput", lambda: throughput_block(RESULTS)),
                       ("supernet", lambda: supernet_block(ROOT, RESULTS)),
                       ("methods", methods_block), ("compare", compare_block)):
        block = make()
        if block is None:
            continue
        pattern = re.compile(rf"(<!-- figures:{name} -->\n).*?(<!-- /figures:{name} -->)", re.S)
        if not pattern.search(text):
            print(f"README has no figures:{name} block", file=sys.stderr)
            continue
        text = pattern.sub(lambda m: m.group(1) + block + m.group(2), text)
    readme.write_text(text)


if __name__ == "__main__":
    main()
