# shellcheck shell=bash
# Installs, when missing, every tool the build and the tests need, at pinned versions.
# Sourced by scripts/serve and scripts/test. Idempotent; prints what it installs.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
# Build cache outside the clone so CI reruns are warm; override with CARGO_TARGET_DIR.
# The browser build (wasm32: wasm tests, trunk) has a directory of its own so that it can
# compile while the native tests build or run (cargo locks a whole target directory).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/aebnas/target}"
WASM_TARGET_DIR="${WASM_TARGET_DIR:-$CARGO_TARGET_DIR-wasm}"
# No incremental compilation in the scripts' builds: they compile our crate from scratch
# after most changes, and without the incremental caches (and with 16 codegen units, not
# 256) that takes ~10 % less CPU time (measured: the native lib test build 80.4 → 72.7
# CPU-s, the lib 71.0 → 67.0). Builds run by hand stay incremental.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
TRUNK_VERSION="0.21.14"
# Ray for scripts/ray-search and its test (the newest 2.x on PyPI when pinned).
RAY_VERSION="2.60.0"
RAY_VENV="${RAY_VENV:-$HOME/.cache/aebnas/ray-venv}"
BINARYEN_VERSION="132.0.0"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

wasm_bindgen_version() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  local want; want="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$" \
     || ! command -v wasm-bindgen-test-runner >/dev/null; then
    log "installing wasm-bindgen-cli $want"
    # Without --locked (its lock file pins crates that no longer build on this rustc).
    # No default features: no TLS stack (rustls, ring); the test runner only talks to
    # chromedriver on localhost. At opt-level 1 it compiles in 270 CPU-s instead of 342
    # and processes a 65 MB test binary in 5.1 s instead of 4.9.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      cargo install -q wasm-bindgen-cli@"$want" --no-default-features --force
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    log "installing trunk $TRUNK_VERSION"
    # No default features: no TLS stack and no update check (trunk never downloads here).
    # trunk's own release profile (fat LTO, one codegen unit) takes ~13 min on 2 cores;
    # trunk only drives cargo, wasm-bindgen and wasm-opt (and hashes and copies files), so
    # an unoptimised build serves as well and compiles in about half the time of opt-level 1.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false \
      cargo install -q trunk@"$TRUNK_VERSION" --locked --no-default-features --force
  fi
}

ensure_ray() {
  # A virtual environment of its own: Ray and its dependencies stay out of the system
  # Python. `$RAY_VENV/bin/python` runs scripts/ray-search and tests/ray/.
  if ! "$RAY_VENV/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
    log "installing ray $RAY_VERSION into $RAY_VENV"
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      # Debian splits venv out; wait for the dpkg lock (ensure_debs may run beside this).
      as_root apt-get install -y -qq -o DPkg::Lock::Timeout=600 python3-venv >/dev/null
    fi
    python3 -m venv "$RAY_VENV"
    "$RAY_VENV/bin/python" -m pip install -q --disable-pip-version-check "ray==$RAY_VERSION"
  fi
}

ensure_debs() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  [ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] \
    || missing+=(mesa-vulkan-drivers)
  command -v node >/dev/null || missing+=(nodejs npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/aebnas-xdg}"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
}

ensure_node_modules() {
  # playwright-core drives the system Chromium; binaryen provides wasm-opt 132.
  if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] \
     || [ ! -d "$ROOT/tests/e2e/node_modules/binaryen" ]; then
    log "installing npm packages for the e2e tests (playwright-core, binaryen)"
    (cd "$ROOT/tests/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
  export PATH="$ROOT/tests/e2e/node_modules/.bin:$PATH"
}

# Background steps: `bg NAME CMD…` runs CMD with its output in a log file; `bg_wait NAME`
# waits for it, prints the log, and fails when it failed.
export BG_LOGS="${BG_LOGS:-$(mktemp -d /tmp/aebnas-bg-XXXXXX)}"
declare -A BG_PIDS=()
export BG_T0="${BG_T0:-$(date +%s)}"
bg() {
  local name="$1"; shift
  # The log's last line says when the step ended (seconds since the first `bg`), so a
  # run's log shows where the time went.
  (
    set +e
    ( "$@" )
    rc=$?
    echo "[$name ended at $(( $(date +%s) - BG_T0 ))s, exit $rc]"
    exit "$rc"
  ) >"$BG_LOGS/$name.log" 2>&1 &
  BG_PIDS[$name]=$!
}
bg_wait() {
  local name="$1" rc=0
  wait "${BG_PIDS[$name]}" || rc=$?
  unset "BG_PIDS[$name]"
  # Printed when the step said something besides when it ended.
  if grep -qv "^\[$name ended at " "$BG_LOGS/$name.log"; then
    sed "s/^/  [$name] /" "$BG_LOGS/$name.log" >&2
  fi
  if [ "$rc" != 0 ]; then
    log "$name failed (exit $rc)"
    exit "$rc"
  fi
}

ensure_all() {
  ensure_rust
  ensure_debs
  ensure_node_modules
  ensure_wasm_bindgen
  ensure_trunk
}
