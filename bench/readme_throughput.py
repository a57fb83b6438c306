"""The README's `throughput` block (bench/readme-figures.py), from the raw files in
bench/results/throughput/: native runs of bench/compare-pytorch (`<date>-<commit>/` with
cpu.json, torch.json and, when run with BEFORE=REV, before.json), runs of
bench/worker-throughput (`worker-<date>-<commit>/<rev>.json`, first revision = before) and
profiles from bench/profile-native (`profile-<rev>.txt`) and bench/worker-profile.mjs
(`worker-profile-<rev>.txt`). The goals of the throughput
issue are checked against the newest runs, and the verdict is written from the data."""
import json
import pathlib
import subprocess

GOALS = {"train": 0.6, "infer": 0.8, "eval_s": 4.0, "worker_train": 2.0}
# Training images/s in the page's worker when the throughput issue was written (its text).
ISSUE_PAGE_RATE = 38


def _commit_time(rev):
    """Seconds since the epoch of commit `rev` (0 when git does not know it)."""
    out = subprocess.run(["git", "log", "-1", "--format=%ct", rev], capture_output=True, text=True,
                         cwd=pathlib.Path(__file__).parent)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def _order(p):
    """A run's place in time: the date in its name, then its commit's time (a clone gives
    every file the same modification time, so file times cannot order runs)."""
    name = p.stem.removeprefix("worker-profile-").removeprefix("profile-").removeprefix("worker-")
    date, _, rev = name.rpartition("-") if name[:2] == "20" else ("", "", name)
    return (date, _commit_time(rev))


def _newest(paths):
    paths = sorted(paths, key=_order)
    return paths[-1] if paths else None


def _native(d):
    cpu = json.loads((d / "cpu.json").read_text())
    torch = json.loads((d / "torch.json").read_text())
    before = json.loads((d / "before.json").read_text()) if (d / "before.json").exists() else None
    head = (d / "table.txt").read_text().splitlines()[0] if (d / "table.txt").exists() else ""
    train = cpu["samples_per_sec"] / torch["samples_per_sec"]
    infer = cpu["infer_images_per_sec"] / torch["infer_images_per_sec"]
    rows = [
        "| | ours (CPU) | PyTorch | ours/PyTorch | goal |",
        "|---|---|---|---|---|",
        f"| training, samples/s (batch {cpu['batch']}) | {cpu['samples_per_sec']:.1f} | "
        f"{torch['samples_per_sec']:.1f} | **{train:.2f}** | ≥ {GOALS['train']} "
        f"({'met' if train >= GOALS['train'] else 'not met'}) |",
        f"| inference, images/s ({cpu['infer_images']} test images, every exit's softmax, batches of "
        f"{cpu['infer_batch']}) | {cpu['infer_images_per_sec']:.1f} | {torch['infer_images_per_sec']:.1f} | "
        f"**{infer:.2f}** | ≥ {GOALS['infer']} ({'met' if infer >= GOALS['infer'] else 'not met'}) |",
    ]
    if before:
        rows.append(f"| training before (`{head.split('before ')[1].split()[0] if 'before ' in head else '?'}`), "
                    f"samples/s | {before['samples_per_sec']:.1f} | | {before['samples_per_sec'] / torch['samples_per_sec']:.2f} "
                    f"| after/before **{cpu['samples_per_sec'] / before['samples_per_sec']:.2f}** |")
    return (f"Native, one run of `bench/compare-pytorch` ({head}; raw JSON in "
            f"`bench/results/throughput/{d.name}/`), default genome, 2 threads, PyTorch "
            f"{torch.get('torch', '?')}:\n\n" + "\n".join(rows) + "\n")


def _worker_rows(d, backend):
    """`[(rev, figures)]` of one backend, the first revision (the before) first."""
    files = list(d.glob(f"*-{backend}.json"))
    if not files and backend == "cpu":
        files = [p for p in d.glob("*.json") if not p.stem.endswith(("-cpu", "-webgpu"))]
    rows = []
    for p in files:
        x = json.loads(p.read_text() or "{}")
        if x and "skipped" not in x:
            rows.append((p.stem.removesuffix(f"-{backend}"), x))
    return sorted(rows, key=lambda r: (r[0] == "HEAD", r[0]))


def _worker(d):
    out = []
    for backend in ("cpu", "webgpu"):
        data = _worker_rows(d, backend)
        if not data:
            continue
        base = data[0][1]
        rows = [f"| {backend}: revision | training, images/s | × first | evaluation of 1,000 + 2,000 images | speed-up |",
                "|---|---|---|---|---|"]
        for rev, x in data:
            rows.append(f"| `{rev}` | {x['train_images_per_sec']:.1f} | {x['train_images_per_sec'] / base['train_images_per_sec']:.2f} "
                        f"| {x['eval_seconds']:.2f} s | {base['eval_seconds'] / x['eval_seconds']:.2f} |")
        out.append("\n".join(rows))
        if backend == "cpu":
            last = data[-1][1]
            train_ok = last["train_images_per_sec"] / base["train_images_per_sec"] >= GOALS["worker_train"]
            eval_ok = last["eval_seconds"] <= GOALS["eval_s"]
            out.append(f"Goals (CPU): evaluation ≤ {GOALS['eval_s']:.0f} s — {'met' if eval_ok else 'not met'} "
                       f"({last['eval_seconds']:.2f} s); training ≥ {GOALS['worker_train']:.0f}× the first revision — "
                       f"{'met' if train_ok else 'not met'} "
                       f"({last['train_images_per_sec'] / base['train_images_per_sec']:.2f}×).")
    if not out:
        return ""
    return (f"\nWorker (WebAssembly, one thread, a dedicated worker of headless Chromium; WebGPU is SwiftShader, "
            f"software, here), `bench/worker-throughput`, best of 3 windows on the CPU, one on WebGPU (raw lines in "
            f"`bench/results/throughput/{d.name}/`):\n\n" + "\n\n".join(out) + "\n")


def _profiles(d):
    out = []
    for p in sorted(d.glob("profile-*.txt"), key=_order):
        lines = p.read_text().splitlines()
        sections, current = {}, None
        for line in lines:
            if line.startswith("## "):
                current = line
                sections[current] = []
            elif current:
                sections[current].append(" ".join(line.split()))
        kernels = next((v for k, v in sections.items() if "kernels" in k), [])[:8]
        ops = next((v for k, v in sections.items() if "operations" in k), [])[:4]
        out.append(f"- `{p.stem.removeprefix('profile-')}` ({lines[1] if len(lines) > 1 else ''}): kernels "
                   + "; ".join(kernels) + (". Operations (inclusive, calling thread): " + "; ".join(ops) if ops else ""))
    if not out:
        return ""
    return ("\nWhere native training time goes (`bench/profile-native`, perf with DWARF call graphs, top "
            "kernels by exclusive share of samples; full lists in `bench/results/throughput/profile-*.txt`):\n\n"
            + "\n".join(out) + "\n")


def _worker_profile(d):
    p = _newest(list(d.glob("worker-profile-*.txt")))
    if not p:
        return ""
    lines = p.read_text().splitlines()
    incl = []
    take = False
    for line in lines:
        if line.startswith("## operations"):
            take = True
            continue
        if take and len(incl) < 10:
            incl.append(" ".join(line.split()))
    return (f"\nThe page's search worker under a V8 CPU profile (`node bench/worker-profile.mjs DIST 2`, "
            f"the test build of `{p.stem.removeprefix('worker-profile-')}`, default search, CPU backend): {lines[0]}. "
            "Inclusive time of operations and model functions: " + "; ".join(incl) + "\n")


def _page_rate(d):
    p = d / "page-train-rate.json"
    if not p.exists():
        return ""
    x = json.loads(p.read_text())
    ratio = x["median_images_per_sec"] / ISSUE_PAGE_RATE
    return (f"\nThe page's own training figure (`node bench/page-train-rate.mjs DIST`: the search progress's "
            f"\"images/s\" over {x['seconds']} s of a search training every candidate from scratch, `#{x['hash']}`, the test build "
            f"of `{x['commit']}`): median **{x['median_images_per_sec']} images/s** (highest "
            f"{x['max_images_per_sec']}), {ratio:.0f}× the ≈ {ISSUE_PAGE_RATE} images/s the throughput issue "
            f"recorded in the page's worker before this work — goal ≥ 2×: "
            f"{'met' if ratio >= GOALS['worker_train'] else 'not met'}.\n")


def throughput_block(results):
    d = results / "throughput"
    if not d.exists():
        return None
    native = _newest([p for p in d.glob("20*") if (p / "torch.json").exists()])
    worker = _newest([p for p in d.glob("worker-20*") if any(p.glob("*.json"))])
    text = _native(native) if native else ""
    text += _worker(worker) if worker else ""
    text += _page_rate(d)
    text += _profiles(d)
    text += _worker_profile(d)
    return text or None
