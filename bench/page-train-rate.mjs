// Training speed as the page shows it: the "N images/s" figure of the search progress
// (the worker's own count of training images per second of its training steps), read
// while a search trains its first networks from scratch (`backbone=own&supernet=0`: no
// shipped supernet and none of its own, every candidate trained from scratch, as when the
// issue was written; one worker), in headless Chromium on the CPU backend. The same figure as the throughput issue's "training
// ≈ 38 images/s in the page's worker", measured the same way.
//
//   node bench/page-train-rate.mjs DIST [--seconds 60] [--hash 'v=1&…'] [--out FILE]
//
// Prints the median and the highest figure shown; raw samples go to --out (default
// bench/results/throughput/page-train-rate.json). Not part of the tests.
import { writeFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { execSync } from 'node:child_process';
import { commandLine, openSearchPage } from './page-lib.mjs';

const { dist, opt } = commandLine();
if (!dist) {
  console.error('usage: node bench/page-train-rate.mjs DIST [--seconds 60] [--hash HASH] [--out FILE]');
  process.exit(2);
}
const SECONDS = Number(opt('seconds', '60'));
const HASH = opt('hash', 'v=1&backend=cpu&backbone=own&supernet=0&workers=1');
const OUT = opt('out', 'bench/results/throughput/page-train-rate.json');
const tid = (id) => `[data-testid="${id}"]`;

const load_before = loadavg();
const { page, close } = await openSearchPage(dist, HASH);
let out;
try {
  await page.click(tid('run-search'));
  // Every distinct "N images/s" text shown, sampled in the page every 250 ms.
  const samples = await page.evaluate((seconds) => new Promise((done) => {
    const seen = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      const facts = [...document.querySelectorAll(`[data-testid="progress"] .progress-facts span`)];
      const shown = facts.map((s) => s.textContent.match(/^(\d+) images\/s$/)).find(Boolean);
      if (shown) seen.push({ s: (performance.now() - t0) / 1000, images_per_sec: Number(shown[1]) });
      if (performance.now() - t0 > seconds * 1000) {
        clearInterval(timer);
        done(seen);
      }
    }, 250);
  }), SECONDS);
  const rates = samples.map((x) => x.images_per_sec).sort((a, b) => a - b);
  if (!rates.length) throw new Error(`no "images/s" figure shown in ${SECONDS} s`);
  const median = rates[Math.floor(rates.length / 2)];
  out = {
    dist,
    hash: HASH,
    commit: execSync('git rev-parse --short HEAD').toString().trim(),
    when: new Date().toISOString(),
    loadavg_before: load_before,
    loadavg_after: loadavg(),
    seconds: SECONDS,
    median_images_per_sec: median,
    max_images_per_sec: rates[rates.length - 1],
    samples,
  };
  console.log(`page training rate (${HASH}): median ${median} images/s, highest ${rates[rates.length - 1]} over ${samples.length} samples in ${SECONDS} s`);
} finally {
  await close();
}
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(out, null, 1) + '\n');
