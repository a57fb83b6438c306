#!/usr/bin/env python3
"""Code size of a WebAssembly binary by the crate each function comes from.

    python3 bench/wasm-size-by-crate.py FILE.wasm [--top 25] [--json OUT]

Reads the code section (each function body's size) and the `name` custom section
(function names: the test build keeps them; `wasm-opt` without `-g` drops them, so run
it on `target/e2e-dist/*_bg.wasm`, not on a release bundle). A function is counted
under the crate that leads its (mangled or demangled) Rust path; a generic function
instantiated for another crate's types counts where its code lives (`burn_flex::…`
instantiated by `aebnas` counts as `burn_flex`). Groups: the crate families that a
feature brings (cubecl/wgpu: WebGPU; burn_flex/macerator/gemm: the CPU backend), then
the rest. Not part of the tests.
"""
import json
import pathlib
import re
import sys
from collections import defaultdict

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts" / "lib"))
from wasm_sections import custom, leb128 as leb, sections  # noqa: E402

# Crate-name prefixes → the part of the build that brings them.
FAMILIES = [
    ("WebGPU backend (cubecl: kernels, their compiler and IR with pliron and rustc_apfloat; wgpu, naga)",
     ("cubecl", "cubek", "burn_cubecl", "burn_wgpu", "wgpu", "naga", "burn_fusion", "burn_ir", "pliron",
      "combine", "rustc_apfloat")),
    ("CPU backend (burn-flex, its SIMD and matmul kernels)", ("burn_flex", "macerator", "gemm", "seq_macro", "pulp")),
    ("autodiff", ("burn_autodiff",)),
    ("burn core, nn, optim, record, dispatch", ("burn", "burn_core", "burn_nn", "burn_optim", "burn_tensor", "burn_backend", "burn_std", "burn_dispatch", "burn_store", "burn_pack")),
    ("this crate (aebnas)", ("aebnas",)),
    ("serde, serde_json", ("serde", "serde_json")),
    ("Rust std, core, alloc", ("std", "core", "alloc", "dlmalloc", "hashbrown", "compiler_builtins")),
    ("wasm-bindgen, js-sys, web-sys", ("wasm_bindgen", "js_sys", "web_sys", "wasm_bindgen_futures")),
]


def function_sizes(b):
    """`(imported function count, [body size of each defined function], {index: name})`."""
    imports, bodies, names = 0, [], {}
    for sid, data in sections(b):
        if sid == 2:  # imports: count the functions
            n, j = leb(data, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(data, j)
                    j += ln
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imports += 1
                elif kind == 1:
                    j += 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
                else:
                    _, j = leb(data, j + 1)
        elif sid == 10:
            n, j = leb(data, 0)
            for _ in range(n):
                size, j = leb(data, j)
                bodies.append(size)
                j += size
        elif sid == 0:
            name, data = custom(data)
            if name != b"name":
                continue
            j = 0
            while j < len(data):
                kind = data[j]
                size, j = leb(data, j + 1)
                sub = data[j:j + size]
                j += size
                if kind != 1:
                    continue
                n, k = leb(sub, 0)
                for _ in range(n):
                    idx, k = leb(sub, k)
                    ln, k = leb(sub, k)
                    names[idx] = sub[k:k + ln].decode("utf-8", "replace")
                    k += ln
    return imports, bodies, names


def crate_of(name):
    """The leading crate of a Rust symbol, mangled (`_ZN4core3fmt…`) or demangled."""
    m = re.match(r"_ZN(\d+)", name)
    if m:
        n = int(m.group(1))
        return name[len(m.group(0)):len(m.group(0)) + n]
    name = name.lstrip("<&*( ")
    name = re.sub(r"^(dyn |impl |mut |const )", "", name)
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::", name)
    return m.group(1) if m else "(other)"


def family_of(crate):
    for label, prefixes in FAMILIES:
        if any(crate == p or crate.startswith(p + "_") for p in prefixes):
            return label
    return "other crates"


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    top = int(args[args.index("--top") + 1]) if "--top" in args else 25
    b = open(args[0], "rb").read()
    imports, bodies, names = function_sizes(b)
    if not names:
        sys.exit(f"{args[0]}: no function names (a wasm-opt'd release build drops them; use the test build)")
    crates, families = defaultdict(int), defaultdict(int)
    for i, size in enumerate(bodies):
        crate = crate_of(names.get(imports + i, "(unnamed)"))
        crates[crate] += size
        families[family_of(crate)] += size
    total = sum(bodies)
    print(f"{args[0]}: {len(b) / 1e6:.2f} MB, code {total / 1e6:.2f} MB in {len(bodies)} functions")
    print("\nby part of the build:")
    for label, size in sorted(families.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * size / total:5.1f}%  {size / 1e6:6.2f} MB  {label}")
    print(f"\nby crate (top {top}):")
    for crate, size in sorted(crates.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {100 * size / total:5.1f}%  {size / 1e6:6.2f} MB  {crate}")
    if "--json" in args:
        out = {"file": args[0], "bytes": len(b), "code_bytes": total, "functions": len(bodies),
               "families": dict(families), "crates": dict(crates)}
        with open(args[args.index("--json") + 1], "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
