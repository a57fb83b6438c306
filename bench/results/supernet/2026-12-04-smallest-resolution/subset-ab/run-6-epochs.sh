#!/bin/bash
cd /work/main
export RAYON_NUM_THREADS=2
NEW=/root/.cache/aebnas/target/debug/aebnas

for v in old new; do
  start=$(date +%s)
  /tmp/aebnas-$v supernet --dataset fashion-mnist --epochs 6 --seed 1 --out /tmp/ab/e6-$v.bpk > /tmp/ab/e6-$v-train.log 2>&1
  echo "train secs=$(( $(date +%s) - start ))" >> /tmp/ab/e6-$v-train.log
  /tmp/aebnas-$v supernet --dataset fashion-mnist --check /tmp/ab/e6-$v.bpk > /tmp/ab/e6-$v-check.json 2>&1
done
echo done > /tmp/ab/finished6
