#!/usr/bin/env bash
# The README's two commands one after the other, as on a fresh machine: `scripts/serve`
# (bench/serve-times.sh with FRESH_TOOLS=1: empty build directories, trunk and
# wasm-bindgen built by serve), then `scripts/test` on the same build directories, with an
# empty native build directory and a new Ray environment. Run it in a clean clone (no
# tests/e2e/node_modules: the npm packages are installed fresh as well). What it cannot make
# fresh here: the Debian packages (Chromium) and cargo's registry cache, both already on
# the machine.
#
#   bench/fresh-both.sh [COLD_ROOT]     (default /tmp/aebnas-fresh, deleted first)
#
# Writes bench/results/serve-times.json (and its logs), the suite's log as
# bench/results/suite/DATE-COMMIT-after-fresh-serve.log and bench/results/fresh-both.json
# (seconds of each command and their sum).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
COLD="${1:-/tmp/aebnas-fresh}"
rm -rf "$COLD"
mkdir -p "$COLD"
commit=$(git rev-parse --short HEAD)
suite_log="bench/results/suite/$(date -u +%F)-$commit-after-fresh-serve.log"

# serve-times builds the tools in "$COLD/target-wasm-native" (an empty CARGO_TARGET_DIR).
FRESH_TOOLS=1 bench/serve-times.sh "$COLD/target-wasm"

start=$(date +%s)
rc=0
CARGO_TARGET_DIR="$COLD/target" WASM_TARGET_DIR="$COLD/target-wasm" RAY_VENV="$COLD/ray-venv" \
  scripts/test > "$suite_log" 2>&1 || rc=$?
secs=$(( $(date +%s) - start ))
echo "rc=$rc secs=$secs" >> "$suite_log"

python3 - "$suite_log" "$rc" "$secs" <<'EOF'
import json, pathlib, sys
serve = json.loads(pathlib.Path("bench/results/serve-times.json").read_text())
at = lambda prefix: next(x["at_s"] for x in serve["cold"] if x["step"].startswith(prefix))
address, webgpu = at("serving"), at("the WebGPU worker is in place")
suite_log, rc, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = {
    "serve_address_s": address,
    "serve_webgpu_worker_s": webgpu,
    "test_s": secs,
    "test_rc": rc,
    "test_log": suite_log,
    "total_s": webgpu + secs,
    "note": "scripts/serve until its background WebGPU build was in place, then scripts/test; "
            "fresh: build directories, trunk, wasm-bindgen, npm packages, Ray environment; "
            "already there: Debian packages (Chromium), cargo's registry cache",
}
pathlib.Path("bench/results/fresh-both.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out, indent=1))
EOF
exit "$rc"
