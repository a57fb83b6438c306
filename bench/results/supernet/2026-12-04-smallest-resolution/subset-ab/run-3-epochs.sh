#!/bin/bash
cd /work/main
export RAYON_NUM_THREADS=2
NEW=/root/.cache/aebnas/target/debug/aebnas
cp $NEW /tmp/aebnas-new
for v in old new; do
  start=$(date +%s)
  /tmp/aebnas-$v supernet --dataset fashion-mnist --epochs 3 --seed 1 --out /tmp/ab/$v.bpk > /tmp/ab/$v-train.log 2>&1
  echo "train secs=$(( $(date +%s) - start ))" >> /tmp/ab/$v-train.log
  /tmp/aebnas-$v supernet --dataset fashion-mnist --check /tmp/ab/$v.bpk > /tmp/ab/$v-check.json 2>&1
done
echo done > /tmp/ab/finished
