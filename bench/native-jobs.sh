#!/usr/bin/env bash
# Wall time of one small search made four ways on this machine: `aebnas search --jobs 1`,
# `--jobs 2`, scripts/ray-search on a local Ray (one task per core) and, as the check that
# they are one run, whether the four results files are equal (times aside). Writes the raw
# figures to bench/results/native-jobs.json; bench/readme-figures.py puts them in the
# README. Run it on a quiet machine.
#
#   bench/native-jobs.sh [REPEATS]        (AEBNAS=path/to/aebnas; default: the tests' build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
AEBNAS="${AEBNAS:-$CARGO_TARGET_DIR/debug/aebnas}"
REPEATS="${1:-1}"
if [ ! -x "$AEBNAS" ]; then
  log "building $AEBNAS (the native tests' features: CPU backend, no SIMD kernels)"
  cargo build --no-default-features --features train --bin aebnas --quiet
fi
ensure_ray
SETTINGS=(--dataset fashion-mnist --seed 1 --epochs 1 --train-samples 512
          --doe 4 --iterations 2 --per-iter 2 --mac-target 1.5M)
work="$(mktemp -d /tmp/aebnas-bench-jobs-XXXXXX)"
rows=()
timed() { # NAME FILE CMD… : runs CMD, appends a row with its wall time
  local name="$1" file="$2"; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  local seconds; seconds="$(python3 -c "print(round($t1 - $t0, 3))")"
  rows+=("{\"mode\": \"$name\", \"seconds\": $seconds, \"file\": \"$file\"}")
  log "$name: $seconds s"
}
for r in $(seq 1 "$REPEATS"); do
  for jobs in 1 2; do
    timed "jobs$jobs" "$work/jobs$jobs-$r.json" \
      "$AEBNAS" search --jobs "$jobs" --out "$work/jobs$jobs-$r.json" "${SETTINGS[@]}"
  done
  timed ray "$work/ray-$r.json" \
    "$RAY_VENV/bin/python" scripts/ray-search --aebnas "$AEBNAS" --run "$work/ray-$r.json" -- "${SETTINGS[@]}"
done
mkdir -p bench/results
python3 - "$work" "$AEBNAS" "${SETTINGS[*]}" "${rows[@]}" >bench/results/native-jobs.json <<'EOF'
import datetime, json, os, sys
work, binary, settings, *rows = sys.argv[1:]
runs = [json.loads(r) for r in rows]
def untimed(path):
    run = json.load(open(path))
    run["wall_seconds"] = 0
    for c in run["archive"]:
        c["train_seconds"] = 0
    return run
first = untimed(runs[0]["file"])
for r in runs:
    r["same_run_as_first"] = untimed(r["file"]) == first
    r["evaluations"] = len(json.load(open(r["file"]))["archive"])
    del r["file"]
print(json.dumps({
    "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "cores": os.cpu_count(),
    "binary": binary,
    "settings": settings,
    "ray": "local Ray (ray.init() on this machine: one task per core)",
    "runs": runs,
}, indent=2))
EOF
log "wrote bench/results/native-jobs.json"
rm -rf "$work"
