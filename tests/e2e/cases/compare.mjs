// "Compare methods" (issue 18, item 5): after a small seeded CPU search, the other four
// methods run on its problem in a worker of their own, are stopped and continued, and the
// page shows each method's row (networks, hypervolume, ratio to the current run), its
// front on the Pareto plot and its anytime curve, and a summary sentence. The downloaded
// runs are checked against the page: same seed and budget, each method's own rule, and
// every hypervolume recomputed here from the run files (test figures of the validation
// front, MACs in units of 4 × target, reference (1, 1)). The compared random search must
// equal the page's own random search with the same link (same genomes and figures).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeLongTasks } from '../page-helpers.mjs';

export const name = 'compare';

const tid = (id) => `[data-testid="${id}"]`;
/** Regression guard: twice the 50 ms goal (see search.mjs). */
const LONG_TASK_GUARD_MS = 100;
const HASH = 'v=1&data=fashion-mnist&backend=cpu&doe=2&iters=1&k=1&epochs=1&train=128&seed=5&workers=1';
const LABELS = { aebnas: 'AEBNAS', edanas: 'EDANAS-like', nachos: 'NACHOS-like', sdn: 'SDN-like', random: 'random search' };

/** Exact 2-D hypervolume of minimised points against `ref`. */
function hypervolume(points, ref) {
  const pts = points.filter(([a, b]) => a < ref[0] && b < ref[1]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let hv = 0, best = ref[1];
  for (const [a, b] of pts) {
    if (b < best) { hv += (ref[0] - a) * (best - b); best = b; }
  }
  return hv;
}

/** HV of the test figures of the validation front, as docs/results.md scores a run. */
function runHv(run) {
  const c = run.archive;
  const scale = 4 * run.settings.mac_target;
  const dominated = (i) => c.some((o, j) => j !== i
    && o.val_accuracy >= c[i].val_accuracy && o.val_avg_macs <= c[i].val_avg_macs
    && (o.val_accuracy > c[i].val_accuracy || o.val_avg_macs < c[i].val_avg_macs));
  const front = c.filter((_, i) => !dominated(i));
  return hypervolume(front.map((x) => [1 - x.test_accuracy, x.test_avg_macs / scale]), [1, 1]);
}

/** JSON with sorted keys (two writers may order an object's keys differently). */
const canonical = (v) => JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
const strip = (run) => canonical(run.archive.map(({ train_seconds, ...rest }) => rest));

async function finishedSearch(t, hash) {
  const page = await t.open(`/#${hash}`, { beforeGoto: observeLongTasks, fresh: true });
  await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 120_000 });
  await page.click(tid('run-search'));
  await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 10 * 60_000, polling: 500 });
  return page;
}

export const cases = [
  {
    name: 'compare methods: four baselines on the run\'s problem, stopped and continued, fronts, curves and checked figures',
    modes: ['cpu'],
    timeoutMs: 25 * 60_000,
    async run(t) {
      const page = await finishedSearch(t, HASH);
      const blockedBefore = await page.locator(tid('compare-methods')).isDisabled();
      t.assert(!blockedBefore, 'compare-methods is disabled after a finished search');
      const t0 = await page.evaluate(() => performance.now());
      const wall0 = Date.now();
      await page.click(tid('compare-methods'));
      await page.waitForSelector(`${tid('compare-panel')}[data-state="running"]`, { timeout: 10_000 });
      // Stop once the first compared method has evaluated a network, then continue.
      await page.waitForSelector(`${tid('compare-row')}[data-state="running"]:not([data-done="0"])`, { timeout: 5 * 60_000 });
      await page.click(tid('stop-compare'));
      await page.waitForSelector(`${tid('compare-panel')}[data-state="stopped"]`, { timeout: 10_000 });
      const stopped = await page.locator(`${tid('compare-row')}[data-state="stopped"]`).getAttribute('data-method');
      const label = (await page.locator(tid('compare-methods')).textContent()).trim();
      t.assert(label === 'Continue the comparison', `after a stop the button says "${label}"`);
      t.log(`stopped during ${stopped}, continued`);
      await page.click(tid('compare-methods'));
      await page.waitForSelector(`${tid('compare-panel')}[data-state="complete"]`, { timeout: 15 * 60_000, polling: 500 });
      t.timing('comparison of 4 methods × 3 networks (from the click)', Date.now() - wall0);

      const tasks = await page.evaluate((t0) => window.__longTasks?.filter((e) => e.start >= t0) ?? null, t0);
      t.assert(tasks !== null, 'this browser has no Long Tasks API');
      const longest = tasks.reduce((m, e) => Math.max(m, e.ms), 0);
      t.timing('longest main-thread task during the comparison', longest);
      t.assert(longest < LONG_TASK_GUARD_MS, `a main-thread task of ${longest.toFixed(0)} ms (guard ${LONG_TASK_GUARD_MS} ms)`);

      const rows = await page.$$eval(tid('compare-row'), (rs) => rs.map((r) => ({ ...r.dataset })));
      t.assert(rows.map((r) => r.method).join() === 'aebnas,edanas,nachos,sdn,random', `rows ${rows.map((r) => r.method)}`);
      t.assert(rows.every((r) => r.done === '3'), `networks per method: ${rows.map((r) => r.done)}`);
      const own = Number(rows[0].hv);
      for (const r of rows) {
        const hv = Number(r.hv);
        t.assert(hv >= 0 && hv <= 1, `${r.method} HV ${r.hv} outside [0, 1]`);
        t.assert(Math.abs(Number(r.ratio) - hv / own) < 1e-9, `${r.method} ratio ${r.ratio} vs ${hv / own}`);
      }
      const fronts = await page.$$eval(tid('compare-front'), (gs) => gs.map((g) => g.dataset.method));
      t.assert(fronts.join() === 'edanas,nachos,sdn,random', `fronts on the plot: ${fronts}`);
      const curves = await page.$$eval(tid('compare-curve'), (ls) => ls.map((l) => Number(l.dataset.points)));
      t.assert(curves.length === 5 && curves.every((n) => n === 3), `anytime curves ${curves}`);
      const summary = await page.locator(tid('compare-summary')).textContent();
      const best = rows.slice(1).reduce((a, b) => (Number(b.hv) > Number(a.hv) ? b : a));
      t.assert(summary.includes(LABELS[best.method]), `the summary does not name ${best.method}: ${summary}`);
      t.log(`HV: ${rows.map((r) => `${r.method} ${Number(r.hv).toFixed(4)}`).join(', ')}. ${summary}`);

      const shot = join(t.artifacts, `compare-${t.mode}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await page.locator(tid('compare-panel')).screenshot({ path: join(t.artifacts, `compare-panel-${t.mode}.png`) });
      await page.locator(tid('pareto-panel')).screenshot({ path: join(t.artifacts, `compare-plot-${t.mode}.png`) });
      t.log(`screenshot: ${shot}`);

      // The downloaded runs agree with the page, and every HV is recomputed here.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('download-compare'))]);
      const file = join(await mkdtemp(join(tmpdir(), 'aebnas-e2e-compare-')), 'compare.json');
      await download.saveAs(file);
      const json = JSON.parse(await readFile(file, 'utf8'));
      t.assert(json.compared.length === 4, `${json.compared.length} compared runs`);
      for (const [i, run] of [json.current, ...json.compared].entries()) {
        const s = run.settings;
        t.assert(s.method === rows[i].method && s.seed === 5 && s.n_doe === 2 && s.iterations === 1 && s.per_iter === 1
          && s.mac_target === json.current.settings.mac_target, `run ${i} settings ${JSON.stringify(s)}`);
        const hv = runHv(run);
        t.assert(Math.abs(hv - Number(rows[i].hv)) < 1e-9, `${s.method}: page HV ${rows[i].hv}, recomputed ${hv}`);
      }
      const sdn = json.compared.find((r) => r.settings.method === 'sdn');
      t.assert(sdn.settings.exit_rule === 'max_softmax', `SDN runs with ${sdn.settings.exit_rule}`);
      await page.close();

      // The compared random search is the page's own random search on the same link.
      const own2 = await finishedSearch(t, `${HASH}&method=random`);
      await own2.waitForFunction(() => JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null')?.archive.length === 3,
        null, { timeout: 30_000, polling: 200 });
      const random = await own2.evaluate(() => JSON.parse(localStorage.getItem('aebnas.v1.run')));
      const compared = json.compared.find((r) => r.settings.method === 'random');
      const settingsOf = (r) => canonical({ ...r.settings, backend: '' });
      t.assert(settingsOf(random) === settingsOf(compared),
        `settings differ: own ${settingsOf(random)} compared ${settingsOf(compared)}`);
      const [a, b] = [strip(random), strip(compared)];
      const at = [...a].findIndex((c, i) => c !== b[i]);
      t.assert(a === b, `the compared random search differs from the page's own from character ${at}: `
        + `own …${a.slice(Math.max(0, at - 120), at + 80)}… compared …${b.slice(Math.max(0, at - 120), at + 80)}…`);
      t.log(`compared random search = the page's own: val accuracy ${random.archive.map((c) => c.val_accuracy.toFixed(4)).join(', ')}`);
      await own2.close();
    },
  },
];
