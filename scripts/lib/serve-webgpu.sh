#!/usr/bin/env bash
# Run by `scripts/serve` after it serves $1 (its dist directory, with the CPU-only search
# worker standing in for the WebGPU one): builds the whole bundle, the WebGPU worker
# included, in $1.webgpu/ and moves the WebGPU worker's files into $1, its loader shim last
# (a page that starts in between still gets a whole worker). Prints when it is done.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
cd "$ROOT"
DIST="$1"
start=$(date +%s)
CARGO_TARGET_DIR="$WASM_TARGET_DIR" trunk build --dist "$DIST.webgpu"
for f in "$DIST.webgpu"/aebnas-worker-webgpu*; do
  [ "$(basename "$f")" = aebnas-worker-webgpu_loader.js ] || cp "$f" "$DIST/"
done
cp "$DIST.webgpu/aebnas-worker-webgpu_loader.js" "$DIST/.loader.tmp"
mv "$DIST/.loader.tmp" "$DIST/aebnas-worker-webgpu_loader.js"
rm -rf "$DIST.webgpu"
log "the WebGPU worker is ready after $(( $(date +%s) - start )) s: reload the page to use it"
