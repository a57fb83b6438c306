// The page's default search in headless Chromium (CPU backend, the default worker count),
// timed: wall time from the click to "finished", the time of each evaluation (between
// successive changes of the progress bar's `data-done`, sampled every 100 ms), the
// longest main-thread task (Long Tasks API), and the run itself: distinct networks, and
// the candidate the search chooses (best validation accuracy with validation avg MACs
// under the target) with its test figures.
//
//   node bench/page-search.mjs DIST [--hash 'v=1&…'] [--out FILE]
//
// Raw figures go to --out (default bench/results/supernet/page-search.json);
// bench/readme-figures.py puts them in the README.
import { writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { commandLine, openSearchPage } from './page-lib.mjs';

const { dist, opt } = commandLine();
if (!dist) {
  console.error('usage: node bench/page-search.mjs DIST [--hash HASH] [--out FILE]');
  process.exit(2);
}
const HASH = opt('hash', 'v=1&backend=cpu');
const OUT = opt('out', 'bench/results/supernet/page-search.json');
const tid = (id) => `[data-testid="${id}"]`;

const load_before = loadavg();
const { page, close } = await openSearchPage(dist, HASH);
let out;
try {
  const t0 = await page.evaluate(() => performance.now());
  const wall0 = Date.now();
  await page.click(tid('run-search'));
  // Each evaluation's end, from the progress bar, sampled in the page.
  const marks = await page.evaluate(() => new Promise((done) => {
    const seen = [];
    let last = -1;
    const timer = setInterval(() => {
      const p = document.querySelector('[data-testid="progress"]');
      if (!p) return;
      const n = Number(p.getAttribute('data-done'));
      if (n !== last) { seen.push({ done: n, ms: performance.now() }); last = n; }
      if (p.getAttribute('data-state') === 'finished' || p.getAttribute('data-state') === 'failed') {
        clearInterval(timer);
        done(seen);
      }
    }, 100);
  }));
  const seconds = (Date.now() - wall0) / 1000;
  const total = Number(await page.locator(tid('progress')).getAttribute('data-total'));
  await page.waitForFunction((n) => {
    const run = JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null');
    return run && run.archive.length + (run.failed?.length ?? 0) === n;
  }, total, { timeout: 60_000, polling: 200 });
  const run = await page.evaluate(() => JSON.parse(localStorage.getItem('aebnas.v1.run')));
  const longest = await page.evaluate((t0) => window.__longTasks
    .filter((e) => e.start >= t0).reduce((m, e) => Math.max(m, e.ms), 0), t0);
  const evals = [];
  for (let i = 1; i < marks.length; i += 1) {
    if (marks[i].done > marks[i - 1].done && marks[i - 1].done >= 1) {
      evals.push((marks[i].ms - marks[i - 1].ms) / 1000 / (marks[i].done - marks[i - 1].done));
    }
  }
  const first = marks.find((m) => m.done >= 1);
  const target = run.settings.mac_target;
  const ok = run.archive.filter((c) => c.val_avg_macs <= target);
  const chosen = ok.reduce((b, c) => (!b || c.val_accuracy > b.val_accuracy ? c : b), null);
  out = {
    when: new Date().toISOString(),
    dist,
    hash: HASH,
    cores: cpus().length,
    load_before,
    load_after: loadavg(),
    seconds,
    evaluations: total,
    archive: run.archive.length,
    failed: (run.failed ?? []).length,
    distinct_genomes: new Set(run.archive.map((c) => JSON.stringify(c.genome))).size,
    first_evaluation_s: first ? (first.ms - t0) / 1000 : null,
    evaluation_s: evals,
    longest_task_ms: longest,
    settings: run.settings,
    chosen: chosen && {
      genome: chosen.genome, val_accuracy: chosen.val_accuracy, val_avg_macs: chosen.val_avg_macs,
      test_accuracy: chosen.test_accuracy, test_avg_macs: chosen.test_avg_macs,
    },
  };
  await page.close();
} finally {
  await close();
}
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, `${JSON.stringify(out, null, 2)}\n`);
const med = [...out.evaluation_s].sort((a, b) => a - b)[Math.floor(out.evaluation_s.length / 2)];
console.log(`default search: ${out.seconds.toFixed(1)} s, ${out.archive} networks (${out.distinct_genomes} distinct), `
  + `median evaluation ${med?.toFixed(2)} s, chosen: test ${(100 * (out.chosen?.test_accuracy ?? 0)).toFixed(2)} % at `
  + `${out.chosen?.test_avg_macs?.toFixed(0)} MACs; longest main-thread task ${out.longest_task_ms.toFixed(0)} ms; wrote ${OUT}`);
