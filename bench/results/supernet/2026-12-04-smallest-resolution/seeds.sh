#!/bin/bash
# The page's default search (as the example run), seeds 1-3, and the CLI goal's search (seed 1), with the old and the new supernet.
cd /work/main
BIN=/root/.cache/aebnas/target/debug/aebnas
mkdir -p /tmp/seeds
run() { # sn kind seed args...
  local sn=$1 kind=$2 seed=$3; shift 3
  rm -f /tmp/seeds/run-$sn-$kind-$seed.json
  $BIN search --dataset fashion-mnist --supernet /tmp/$sn-fashion.bpk --mac-target 1M --doe 8 --iterations 3 --seed $seed --out /tmp/seeds/run-$sn-$kind-$seed.json --json "$@" > /tmp/seeds/$sn-$kind-$seed.json 2>/dev/null
  python3 -c "import json; d=json.load(open('/tmp/seeds/$sn-$kind-$seed.json')); c=d['chosen_under_target']; print('$sn $kind seed $seed', d['distinct_networks'], round(d['wall_seconds']), c['test_accuracy'], c['val_accuracy'], c['test_avg_macs'])"
}
for seed in 1 2 3; do for sn in old new; do run $sn page $seed --per-iter 8 --epochs 1 --train-samples 2048; done; done
for sn in old new; do run $sn cli 1 --per-iter 4; done
echo seeds-done
