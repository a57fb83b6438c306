// Wall time of a page search (default: the default settings on the CPU backend) on 1 and on 2 search workers, in
// headless Chromium, and whether the runs are one run (same archive, timings aside):
//
//   node bench/page-pool.mjs DIST [--repeats N] [--hash 'v=1&…'] [--out FILE]
//
// Each run opens a fresh page with the link's settings and `workers=1` or `workers=2`,
// clicks "Run search" and waits until the search is finished; it records the wall time
// from the click, the longest main-thread task (Long Tasks API) and the stored run. The
// machine's load average is recorded before and after (other work on the machine slows
// either run). Raw figures go to --out (default bench/results/page-pool.json);
// bench/readme-figures.py puts them in the README. Run it on a quiet machine.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import { commandLine, freshObservedPage } from './page-lib.mjs';

const { dist, opt } = commandLine();
if (!dist) {
  console.error('usage: node bench/page-pool.mjs DIST [--repeats N] [--hash HASH] [--out FILE]');
  process.exit(2);
}
const REPEATS = Number(opt('repeats', 1));
// The page's default search, on the CPU backend.
const HASH = opt('hash', 'v=1&backend=cpu');
const OUT = opt('out', 'bench/results/page-pool.json');
const tid = (id) => `[data-testid="${id}"]`;

/** One search with `workers`; returns its figures and the comparable part of its run. */
async function once(context, origin, workers) {
  const page = await freshObservedPage(context, origin);
  await page.goto(`${origin}/#${HASH}&workers=${workers}`, { waitUntil: 'load' });
  await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 120_000 });
  const shown = await page.locator(tid('pool-workers')).getAttribute('data-workers');
  if (shown !== String(workers)) throw new Error(`the page shows ${shown} workers, asked for ${workers}`);
  const t0 = await page.evaluate(() => performance.now());
  const wall0 = Date.now();
  await page.click(tid('run-search'));
  await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 60 * 60_000, polling: 500 });
  const seconds = (Date.now() - wall0) / 1000;
  const total = Number(await page.locator(tid('progress')).getAttribute('data-total'));
  await page.waitForFunction((n) => {
    const run = JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null');
    return run && run.archive.length + (run.failed?.length ?? 0) === n;
  }, total, { timeout: 60_000, polling: 200 });
  const run = await page.evaluate(() => JSON.parse(localStorage.getItem('aebnas.v1.run')));
  const longest = await page.evaluate((t0) => window.__longTasks
    .filter((e) => e.start >= t0).reduce((m, e) => Math.max(m, e.ms), 0), t0);
  await page.close();
  const strip = ({ train_seconds, ...rest }) => rest;
  const comparable = JSON.stringify({
    archive: run.archive.map(strip), failed: run.failed ?? [], pareto_front: run.pareto_front,
    iterations: run.iterations, reference_point: run.reference_point,
  });
  return { workers, seconds, evaluations: total, longest_task_ms: longest, comparable };
}

const server = await serve(resolve(dist), 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser('cpu');
const load_before = loadavg();
const runs = [];
try {
  for (let r = 0; r < REPEATS; r += 1) {
    for (const workers of [1, 2]) {
      const run = await once(browser.context, origin, workers);
      console.log(`repeat ${r + 1}, ${workers} worker(s): ${run.seconds.toFixed(1)} s, `
        + `${run.evaluations} evaluations, longest main-thread task ${run.longest_task_ms.toFixed(0)} ms`);
      runs.push(run);
    }
  }
} finally {
  await browser.close();
  server.close();
}
const first = runs[0].comparable;
const out = {
  when: new Date().toISOString(),
  dist,
  hash: HASH,
  cores: cpus().length,
  load_before,
  load_after: loadavg(),
  runs: runs.map(({ comparable, ...r }) => ({ ...r, same_run_as_first: comparable === first })),
};
await writeFile(OUT, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${OUT}; same run in all: ${out.runs.every((r) => r.same_run_as_first)}`);
