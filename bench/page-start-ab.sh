#!/usr/bin/env bash
# The page's start alone (bench/page-responsiveness.mjs --load-only), two builds taking
# turns run by run (so that a busy machine weighs on both alike), one fresh browser a run:
#
#   bench/page-start-ab.sh BEFORE_DIST AFTER_DIST OUT [RUNS=10]   (OUT: bench/results/page-start/SERIES)
#
# writes OUT/before/run-N.json and OUT/after/run-N.json (raw figures, with the machine's load
# average at each run's start); `bench/readme-figures.py` summarises them in the README.
set -euo pipefail
before="$1" after="$2" out="$3" runs="${4:-10}"
bench="$(dirname "$0")/page-responsiveness.mjs"
mkdir -p "$out/before" "$out/after"
for i in $(seq 1 "$runs"); do
  for side in before after; do
    dist=$before
    [ "$side" = after ] && dist=$after
    printf '%s %s: ' "$side" "$i"
    node "$bench" "$dist" --load-only --out "$out/$side/run-$i.json" | sed -n 1p | cut -c1-170
  done
done
