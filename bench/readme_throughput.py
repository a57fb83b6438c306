"""The README's `throughput` block (bench/readme-figures.py), from the raw files in
bench/results/throughput/: native runs of bench/compare-pytorch (`<date>-<commit>/` with
cpu.json, torch.json and, when run with BEFORE=REV, before.json), runs of
bench/worker-throughput (`worker-<date>-<commit>/<rev>.json`, first revision = before) and
profiles from bench/profile-native (`profile-<rev>.txt`). The goals of the throughput
issue are checked against the newest runs, and the verdict is written from the data."""
import json
import pathlib

GOALS = {"train": 0.6, "infer": 0.8, "eval_s": 4.0, "worker_train": 2.0}


def _newest(paths):
    paths = sorted(paths, key=lambda p: p.stat().st_mtime)
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


def _worker(d):
    runs = sorted(d.glob("*.json"), key=lambda p: (p.stem == "HEAD", p.stem))
    if len(runs) < 1:
        return ""
    data = [(p.stem, json.loads(p.read_text())) for p in runs]
    base = data[0][1]
    rows = ["| revision | training, images/s | × first | evaluation of 1,000 + 2,000 images | speed-up |",
            "|---|---|---|---|---|"]
    for rev, x in data:
        rows.append(f"| `{rev}` | {x['train_images_per_sec']:.1f} | {x['train_images_per_sec'] / base['train_images_per_sec']:.2f} "
                    f"| {x['eval_seconds']:.2f} s | {base['eval_seconds'] / x['eval_seconds']:.2f} |")
    last = data[-1][1]
    train_ok = last["train_images_per_sec"] / base["train_images_per_sec"] >= GOALS["worker_train"]
    eval_ok = last["eval_seconds"] <= GOALS["eval_s"]
    verdict = (f"Goals: evaluation ≤ {GOALS['eval_s']:.0f} s — {'met' if eval_ok else 'not met'} "
               f"({last['eval_seconds']:.2f} s); training ≥ {GOALS['worker_train']:.0f}× the first revision — "
               f"{'met' if train_ok else 'not met'}.")
    return (f"\nWorker (WebAssembly, CPU backend, one thread, a dedicated worker of headless Chromium), "
            f"`bench/worker-throughput` (raw lines in `bench/results/throughput/{d.name}/`):\n\n"
            + "\n".join(rows) + "\n\n" + verdict + "\n")


def _profiles(d):
    out = []
    for p in sorted(d.glob("profile-*.txt"), key=lambda p: p.stat().st_mtime):
        lines = p.read_text().splitlines()
        sections, current = {}, None
        for line in lines:
            if line.startswith("## "):
                current = line
                sections[current] = []
            elif current:
                sections[current].append(line.strip())
        kernels = next((v for k, v in sections.items() if "kernels" in k), [])[:8]
        ops = next((v for k, v in sections.items() if "operations" in k), [])[:4]
        out.append(f"- `{p.stem.removeprefix('profile-')}` ({lines[1] if len(lines) > 1 else ''}): kernels "
                   + "; ".join(kernels) + (". Operations (inclusive, calling thread): " + "; ".join(ops) if ops else ""))
    if not out:
        return ""
    return ("\nWhere native training time goes (`bench/profile-native`, perf with DWARF call graphs, top "
            "kernels by exclusive share of samples; full lists in `bench/results/throughput/profile-*.txt`):\n\n"
            + "\n".join(out) + "\n")


def throughput_block(results):
    d = results / "throughput"
    if not d.exists():
        return None
    native = _newest([p for p in d.glob("20*") if (p / "torch.json").exists()])
    worker = _newest([p for p in d.glob("worker-*") if any(p.glob("*.json"))])
    text = _native(native) if native else ""
    text += _worker(worker) if worker else ""
    text += _profiles(d)
    return text or None
