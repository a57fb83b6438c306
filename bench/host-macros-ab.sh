#!/usr/bin/env bash
# A/B of the host proc-macro crates' opt-level on cold builds (each variant in its own
# empty target directory, one after the other, machine otherwise idle):
#   A  the profile as it was (dependencies at opt-level 3, a few macro crates at 1);
#   B  also syn, proc-macro2, quote, prettyplease and the lighter derive crates at 1;
#   C  only the lighter derive crates at 1 (syn, proc-macro2, quote at 3).
# Builds: the page (wasm, no default features), then cubecl-std on top of it (A and B: the
# crates that expand cubecl's kernel macros, which run on syn). CPU seconds from /proc/stat.
# Writes bench/results/host-macros/{runs.txt,units.txt}.
#   bench/host-macros-ab.sh        # ~15 min on 2 cores
set -uo pipefail
source "$(dirname "$0")/../scripts/lib/tools.sh"
cd "$ROOT"
out=bench/results/host-macros
mkdir -p "$out"
cpu() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
light=(zerocopy-derive tracing-attributes pin-project-internal futures-macro gloo-worker-macros
  derive-new implicit-clone-derive)
flags() { local p; for p in "$@"; do printf -- '--config\nprofile.dev.package.%s.opt-level=1\n' "$p"; done; }
build() { # variant, what (page|cubecl), extra cargo flags…
  local v="$1" what="$2"; shift 2
  local sel=(--no-default-features --bin aebnas-web)
  [ "$what" = cubecl ] && sel=(-p cubecl-std)
  local a t; a=$(cpu); t=$(date +%s)
  CARGO_TARGET_DIR="/tmp/host-macros-$v" cargo build "$@" --target wasm32-unknown-unknown \
    "${sel[@]}" --timings > "/tmp/host-macros-$v-$what.log" 2>&1
  echo "$v $what rc=$? cpu_s=$(( ($(cpu) - a) / 100 )) wall_s=$(( $(date +%s) - t ))" | tee -a "$out/runs.txt"
  cp "$(ls -t /tmp/host-macros-$v/cargo-timings/cargo-timing-2*.html | head -1)" "/tmp/host-macros-$v-$what.html"
}
: > "$out/runs.txt"
mapfile -t B < <(flags syn proc-macro2 quote prettyplease "${light[@]}")
mapfile -t C < <(flags "${light[@]}")
rm -rf /tmp/host-macros-{A,B,C}
build A page; build B page "${B[@]}"; build C page "${C[@]}"
build A cubecl; build B cubecl "${B[@]}"
python3 - /tmp/host-macros-{A,B,C}-page.html /tmp/host-macros-{A,B}-cubecl.html > "$out/units.txt" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("build_costs", "scripts/lib/build-costs.py")
build_costs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_costs)
def units(f):  # seconds per crate version (syn 2 and syn 3 apart), summed over its units
    r = {}
    for u in build_costs.units(f):
        k = f"{u['name']} {u['version']}"
        r[k] = r.get(k, 0) + u['duration']
    return r
a, b, c, ca, cb = map(units, sys.argv[1:])
for title, x, y in (("page: A -> B", a, b), ("page: A -> C", a, c), ("cubecl-std: A -> B", ca, cb)):
    print(f"{title}: sum of unit times {sum(x.values()):.0f} -> {sum(y.values()):.0f} s")
    for d, k in sorted((y.get(k, 0) - x.get(k, 0), k) for k in set(x) | set(y)):
        if abs(d) >= 1.0:
            print(f"  {d:+6.1f}  {x.get(k, 0):6.1f} -> {y.get(k, 0):6.1f}  {k}")
PY
cat "$out/units.txt"
