// "Compare methods" at the page's default budget, in headless Chromium: a first visit
// shows the shipped example run (the default search, 32 networks); a click on "Compare
// methods" runs the four other methods on its problem. Records the wall time from the
// click, the longest main-thread task (Long Tasks API), every row of the comparison (HV,
// ratio, chosen network), the summary sentence, and screenshots of the Pareto plot with
// the fronts and of the comparison card.
//
//   node bench/page-compare.mjs DIST [--hash 'v=1&…'] [--out FILE] [--img DIR]
//
// Raw figures go to --out (default bench/results/page-compare.json), the screenshots to
// --img (default docs/img); bench/readme-figures.py puts the figures in the README.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { serve } from '../tests/e2e/serve.mjs';
import { commandLine, freshObservedPage } from './page-lib.mjs';

const { dist, opt } = commandLine();
if (!dist) {
  console.error('usage: node bench/page-compare.mjs DIST [--hash HASH] [--out FILE] [--img DIR]');
  process.exit(2);
}
// The shipped example run, compared on the CPU backend.
const HASH = opt('hash', 'v=1&backend=cpu&run=example');
const OUT = opt('out', 'bench/results/page-compare.json');
const IMG = opt('img', 'docs/img');
const tid = (id) => `[data-testid="${id}"]`;

const server = await serve(resolve(dist), 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser('cpu');
const loadBefore = loadavg();
try {
  const page = await freshObservedPage(browser.context, origin);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`${origin}/#${HASH}`, { waitUntil: 'load' });
  await page.waitForSelector(`${tid('compare-methods')}:not([disabled])`, { timeout: 180_000 });
  const t0 = await page.evaluate(() => performance.now());
  const wall0 = Date.now();
  await page.click(tid('compare-methods'));
  await page.waitForSelector(`${tid('compare-panel')}[data-state="complete"]`, { timeout: 120 * 60_000, polling: 1000 });
  const seconds = (Date.now() - wall0) / 1000;
  const longest = await page.evaluate((t0) => window.__longTasks
    .filter((e) => e.start >= t0).reduce((m, e) => Math.max(m, e.ms), 0), t0);
  const rows = await page.$$eval(tid('compare-row'), (rs) => rs.map((r) => ({
    method: r.dataset.method, networks: Number(r.dataset.done), hv: Number(r.dataset.hv),
    ratio: r.dataset.ratio === '' ? null : Number(r.dataset.ratio),
    chosen: r.querySelector('td:last-child').textContent.trim(),
  })));
  const summary = (await page.locator(tid('compare-summary')).textContent()).trim();
  await page.locator(tid('pareto-panel')).screenshot({ path: join(IMG, 'compare-plot.png') });
  await page.locator(tid('compare-panel')).screenshot({ path: join(IMG, 'compare-panel.png') });
  const out = {
    when: new Date().toISOString(), cores: cpus().length, hash: HASH,
    load_before: loadBefore, load_after: loadavg(),
    seconds, longest_task_ms: longest, rows, summary,
  };
  await writeFile(OUT, JSON.stringify(out, null, 1) + '\n');
  console.log(`${seconds.toFixed(0)} s, longest task ${longest.toFixed(0)} ms`);
  for (const r of rows) console.log(`  ${r.method}: ${r.networks} networks, HV ${r.hv.toFixed(4)}, ratio ${r.ratio}, ${r.chosen}`);
  console.log(summary);
} finally {
  await browser.close();
  server.close();
}
