#!/bin/bash
cd /work/main
export RAYON_NUM_THREADS=2
start=$(date +%s)
/tmp/aebnas-rres supernet --dataset fashion-mnist --epochs 6 --seed 1 --out /tmp/ab/e6-rres.bpk > /tmp/ab/e6-rres-train.log 2>&1
echo "train secs=$(( $(date +%s) - start ))" >> /tmp/ab/e6-rres-train.log
/tmp/aebnas-rres supernet --dataset fashion-mnist --check /tmp/ab/e6-rres.bpk > /tmp/ab/e6-rres-check.json 2>&1
echo done > /tmp/ab/finished-rres
