#!/usr/bin/env bash
# Lists the compilation units the page (`aebnas-web`, built without `train`) does not share
# with each build of the search worker (CPU-only, then WebGPU) in the wasm build directory,
# i.e. what trunk compiles twice.
# Expected output: nothing. Anything listed is a crate whose features differ between the
# two graphs: give the page the worker's features for it in Cargo.toml's wasm32 (or
# build-) dependencies (see the build-cache note there). Builds both binaries (dev profile).
set -euo pipefail
source "$(dirname "$0")/tools.sh"
cd "$ROOT"
units() {
  CARGO_TARGET_DIR="$WASM_TARGET_DIR" cargo build -q --target wasm32-unknown-unknown "$@" \
    --message-format=json | python3 -c '
import json, os, re, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] != "aebnas":
        for f in m["filenames"]:
            h = re.search(r"-([0-9a-f]{16})\.", os.path.basename(f))
            if h:
                print(m["package_id"].split("#")[-1], h[1])
                break' | sort -u
}
units --bin aebnas-web --no-default-features > "$WASM_TARGET_DIR/page-units.txt"
comm -13 <(units --bin aebnas-worker --no-default-features --features train,simd) "$WASM_TARGET_DIR/page-units.txt"
comm -13 <(units --bin aebnas-worker-webgpu) "$WASM_TARGET_DIR/page-units.txt"
