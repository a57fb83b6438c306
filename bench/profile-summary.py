"""Summarises `perf report --children --sort symbol -g none --stdio` (stdin) of a training
benchmark: the top kernels by exclusive share, and the inclusive share of each burn
operation as seen from the thread that called it (work a kernel hands to rayon's worker
threads is counted under the kernel, not under the operation). Used by
bench/profile-native."""
import re
import sys

rows = []
for line in sys.stdin:
    m = re.match(r"\s+([\d.]+)%\s+([\d.]+)%\s+\[[.k]\]\s+(.*?)\s*$", line)
    if m:
        rows.append((float(m.group(1)), float(m.group(2)), m.group(3)))


def short(symbol):
    """`<… as burn_backend::…::ModuleOps<…>>::conv2d` → `conv2d` with its crate path kept short."""
    symbol = re.sub(r"<[^<>]*>", "", symbol)
    while re.search(r"<[^<>]*>", symbol):
        symbol = re.sub(r"<[^<>]*>", "", symbol)
    return symbol.replace("{{closure}}", "{closure}")[:110]


print("## top kernels (exclusive share of samples)")
for _, self_pct, sym in sorted(rows, key=lambda r: -r[1])[:15]:
    print(f"{self_pct:6.2f}%  {short(sym)}")

print("## burn operations (inclusive, on the calling thread)")
ops = {}
forward = re.compile(r"burn_autodiff::ops::(?:module|tensor)::<impl .* for burn_autodiff::backend::Autodiff<B,C>>::(\w+)$")
backward = re.compile(r"Autodiff<B,C>>::(\w+)::\w+ as burn_autodiff::ops::backward::Backward")
ours = re.compile(r"aebnas::model::(depthwise|batch_norm)::(\w+Backward|\w+Backend)")
for incl, _, sym in rows:
    name = None
    if m := backward.search(sym):
        name = f"{m.group(1)} (backward)"
    elif m := forward.search(sym):
        name = m.group(1)
    elif m := ours.search(sym):
        name = f"{m.group(1)}::{m.group(2)}"
    if name:
        ops[name] = max(ops.get(name, 0.0), incl)
for name, pct in sorted(ops.items(), key=lambda kv: -kv[1])[:20]:
    print(f"{pct:6.2f}%  {name}")
