#!/usr/bin/env bash
# How long `scripts/serve` takes to print its address, and to have the WebGPU worker in
# place after it: once on a cold wasm build directory (nothing compiled), then again with
# nothing changed (warm). FRESH_TOOLS=1 also moves trunk and wasm-bindgen aside for the cold
# run (put back after), so that serve builds them as on a fresh machine (in an empty
# CARGO_TARGET_DIR, COLD_DIR-native). The cold run passes BUILD_TIMINGS=1, so it also rewrites
# scripts/lib/build-costs.tsv (the weights of serve's time-left estimate).
#
#   bench/serve-times.sh [COLD_DIR]     (default /tmp/aebnas-serve-cold, deleted first)
#
# Writes bench/results/serve-times.json (seconds to each step, the bundle's sizes raw and
# gzip) and the two logs beside it. `bench/readme-figures.py` puts them in the README.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
COLD_DIR="${1:-/tmp/aebnas-serve-cold}"
OUT=bench/results
mkdir -p "$OUT"
PORT="${PORT:-18093}"

# Runs scripts/serve with $1 as the log until it prints its address and its background
# build of the WebGPU worker is in place (appended to the log with the seconds since the
# start, as serve's own steps are), then stops it.
serve_until_address() {
  local log="$1"; shift
  : > "$log"
  local t0; t0=$(date +%s)
  ( env "$@" PORT="$PORT" scripts/serve > "$log" 2>&1 ) &
  local pid=$!
  until grep -q "serving target/e2e-dist/ on" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "scripts/serve stopped; see $log" >&2; exit 1; fi
    sleep 2
  done
  until grep -q "the WebGPU worker is ready" target/serve-webgpu.log 2>/dev/null; do
    if ! pgrep -f scripts/lib/serve-webgpu.sh >/dev/null; then
      echo "the WebGPU worker's build stopped; see target/serve-webgpu.log" >&2; exit 1
    fi
    sleep 2
  done
  echo "[setup] [$(( $(date +%s) - t0 ))s] the WebGPU worker is in place" >> "$log"
  pkill -f "tests/e2e/serve.mjs target/e2e-dist $PORT" || true
  wait "$pid" 2>/dev/null || true
}

rm -rf "$COLD_DIR"
NODE_MODULES_BEFORE=$([ -d tests/e2e/node_modules ] && echo 1 || echo "")
export NODE_MODULES_BEFORE
TOOLS=(trunk wasm-bindgen wasm-bindgen-test-runner wasm2es6js)
ASIDE="$HOME/.cargo/bin/aside-serve-times"
put_back() {
  for t in "${TOOLS[@]}"; do
    [ -e "$ASIDE/$t" ] && [ ! -e "$HOME/.cargo/bin/$t" ] && mv "$ASIDE/$t" "$HOME/.cargo/bin/$t"
  done
  rm -rf "$ASIDE"
}
FRESH_ENV=()
if [ -n "${FRESH_TOOLS:-}" ]; then
  # cargo install builds in CARGO_TARGET_DIR when it is set (tools.sh sets it): a warm one
  # would hand back the tools built before, so the cold run gets an empty one.
  rm -rf "$COLD_DIR-native"
  FRESH_ENV=(CARGO_TARGET_DIR="$COLD_DIR-native")
  mkdir -p "$ASIDE"
  for t in "${TOOLS[@]}"; do [ -e "$HOME/.cargo/bin/$t" ] && mv "$HOME/.cargo/bin/$t" "$ASIDE/"; done
fi
# Other work on the machine slows the build: sample the load average while it runs.
( while sleep 10; do cut -d' ' -f1 /proc/loadavg; done > "$OUT/serve-load.txt" ) &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true; put_back' EXIT
serve_until_address "$OUT/serve-cold.log" WASM_TARGET_DIR="$COLD_DIR" BUILD_TIMINGS=1 "${FRESH_ENV[@]}"
serve_until_address "$OUT/serve-warm.log" WASM_TARGET_DIR="$COLD_DIR"

python3 - "$OUT" <<'EOF'
import datetime, gzip, json, os, pathlib, re, sys
out = pathlib.Path(sys.argv[1])
def steps(log):
    # "[setup] [12s] what" lines of scripts/serve
    return [{"at_s": int(m[0]), "step": m[1]}
            for m in re.findall(r"\[(\d+)s\] (.*)", (out / log).read_text())]
load = [float(x) for x in (out / "serve-load.txt").read_text().split()]
bundle = []
for f in sorted(pathlib.Path("target/e2e-dist").iterdir()):
    if f.suffix in (".wasm", ".js"):
        raw = f.read_bytes()
        bundle.append({"file": f.name, "raw": len(raw), "gzip": len(gzip.compress(raw, 9))})
(out / "serve-times.json").write_text(json.dumps({
    "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "cores": os.cpu_count(),
    "note": ("cold = empty wasm build directory; trunk and wasm-bindgen built by serve as on "
             "a fresh machine; " + ("node packages and chromium already installed"
                                    if os.environ.get("NODE_MODULES_BEFORE") else
                                    "node packages installed by serve; chromium already installed")
             if os.environ.get("FRESH_TOOLS") else
             "tools (trunk, wasm-bindgen, node packages, chromium) already installed; "
             "cold = empty wasm build directory"),
    "fresh_tools": bool(os.environ.get("FRESH_TOOLS")),
    "cold": steps("serve-cold.log"),
    "warm": steps("serve-warm.log"),
    "bundle": bundle,
    "mean_load_average": round(sum(load) / max(len(load), 1), 2),
}, indent=1) + "\n")
print(open(out / "serve-times.json").read())
EOF
