// The playground (issue 6): run the default search in the web worker, watch candidates
// arrive on the Pareto plot, select one, move a threshold slider (re-scored from cached
// confidences: rates sum to 100%, a higher threshold never lets more images leave at that
// exit, avg MACs never falls), pause, reload and find the run restored. Long tasks on the
// main thread during the search are measured with a PerformanceObserver: none may reach
// 50 ms. A small seeded CPU search on 1 and on 2 search workers (and on 2, paused,
// reloaded and resumed; and one with a supernet on 1 and 2) must give the same archive.
//   E2E_SEARCH_EVALS=8   wait for this many evaluations instead of 2 (reports the time)
//   E2E_SCREENSHOT=path  also save the screenshot there (docs/screenshot.png)
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { observeLongTasks, readout, setSlider } from '../page-helpers.mjs';

export const name = 'search';

const tid = (id) => `[data-testid="${id}"]`;
const WANT = Number(process.env.E2E_SEARCH_EVALS ?? 2);
/** Regression guard: twice the 50 ms goal, so that scheduling noise cannot fail a run. */
const LONG_TASK_GUARD_MS = 100;

/** The comparable part of a stored run: everything but timings. */
function archiveOf(run) {
  const strip = ({ train_seconds, ...rest }) => rest;
  return {
    archive: run.archive.map(strip),
    failed: run.failed ?? [],
    pareto_front: run.pareto_front,
    iterations: run.iterations,
    reference_point: run.reference_point,
  };
}

/**
 * Runs the small seeded CPU search of `hash` with the "workers" setting `workers` to the
 * end (`pause`: pauses after the first candidate, reloads the page and resumes); returns
 * the stored run, the wall time and the longest main-thread task (from the last click).
 */
async function pooledSearch(t, hash, workers, { pause = false } = {}) {
  const page = await t.open(`/#${hash}&workers=${workers}`, { beforeGoto: observeLongTasks, fresh: true });
  await page.waitForSelector(`${tid('smoke-train')}:not([disabled])`, { timeout: 120_000 });
  await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 30_000 });
  const shown = await page.locator(tid('pool-workers')).getAttribute('data-workers');
  t.assert(shown === String(workers), `the compute panel shows ${shown} workers, the link asks for ${workers}`);
  let t0 = await page.evaluate(() => performance.now());
  const wall0 = Date.now();
  await page.click(tid('run-search'));
  if (pause) {
    await page.waitForSelector(tid('pareto-point'), { timeout: 10 * 60_000 });
    await page.click(tid('stop-search'));
    await page.waitForSelector(`${tid('progress')}[data-state="paused"]`, { timeout: 60_000 });
    const count = await page.locator(tid('pareto-point')).count();
    const done = await page.locator(tid('progress')).getAttribute('data-done');
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length === n,
      count, { timeout: 30_000 });
    await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 60_000 });
    const label = (await page.locator(tid('run-search')).textContent()).trim();
    t.assert(label === 'Resume search', `after the reload the button says "${label}"`);
    t.log(`paused after ${done} evaluations on ${workers} workers, reloaded, resumed`);
    t0 = await page.evaluate(() => performance.now());
    await page.click(tid('run-search'));
  }
  await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 12 * 60_000, polling: 500 });
  const wall = Date.now() - wall0;
  const total = Number(await page.locator(tid('progress')).getAttribute('data-total'));
  // The run is saved in a task after the last message.
  await page.waitForFunction((n) => {
    const run = JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null');
    return run && run.archive.length + (run.failed?.length ?? 0) === n;
  }, total, { timeout: 30_000, polling: 200 });
  const run = await page.evaluate(() => JSON.parse(localStorage.getItem('aebnas.v1.run')));
  const tasks = await page.evaluate((t0) => window.__longTasks?.filter((e) => e.start >= t0) ?? null, t0);
  t.assert(tasks !== null, 'this browser has no Long Tasks API (PerformanceObserver "longtask")');
  const longest = tasks.reduce((m, e) => Math.max(m, e.ms), 0);
  await page.close();
  return { run, wall, longest, total };
}

export const cases = [
  {
    name: 'search in a worker, Pareto view, threshold sliders, reload restores the run',
    timeoutMs: 15 * 60_000,
    async run(t) {
      // SwiftShader's software WebGPU needs minutes per training step of a candidate, so in
      // the WebGPU browser the search is asked (through the link) to train on the CPU; the
      // WebGPU training path is covered by the wasm tests and the shell case.
      const start = t.mode === 'webgpu' ? '/#v=1&backend=cpu' : '/';
      let page = await t.open(start, { beforeGoto: observeLongTasks, fresh: true });
      // Everything the page loads by itself is done before the search starts.
      await page.waitForSelector(`${tid('smoke-train')}:not([disabled])`, { timeout: 120_000 });
      await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 30_000 });
      const t0 = await page.evaluate(() => performance.now());
      const wall0 = Date.now();
      await page.click(tid('run-search'));
      await page.waitForSelector(`${tid('progress')}[data-state="running"]`, { timeout: 60_000 });
      await page.waitForSelector(tid('pareto-point'), { timeout: 5 * 60_000 });
      t.timing('time to first evaluated candidate (from the click)', Date.now() - wall0);
      const tFirst = await page.evaluate(() => performance.now());
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length >= n,
        WANT, { timeout: 12 * 60_000, polling: 500 });
      t.timing(`time to ${WANT} evaluated candidates`, Date.now() - wall0);
      const progress = await page.locator(tid('progress')).getAttribute('data-total');
      t.log(`evaluations planned by the default settings: ${progress}`);
      const backend = await page.locator(tid('progress')).getAttribute('data-state');
      t.assert(backend === 'running' || backend === 'finished', `search state ${backend}`);

      // Long tasks while the search ran (measured before touching the page).
      const tasks = await page.evaluate((t0) => window.__longTasks?.filter((e) => e.start >= t0) ?? null, t0);
      t.assert(tasks !== null, 'this browser has no Long Tasks API (PerformanceObserver "longtask")');
      const longest = tasks.reduce((m, e) => Math.max(m, e.ms), 0);
      t.log(`main-thread tasks of 50 ms or more during the search: ${tasks.length}`
        + (tasks.length ? `, longest ${longest.toFixed(0)} ms` : ' (every task under 50 ms)')
        + tasks.map((e) => ` · ${e.ms.toFixed(0)} ms at ${((e.start - t0) / 1000).toFixed(1)} s after the click`
          + ` (${((e.start - tFirst) / 1000).toFixed(1)} s from the first candidate)`).join(''));
      t.timing('longest main-thread task during the search', longest);
      // The Long Tasks API reports the tasks of 50 ms or more; those are printed above (the
      // goal is none), and a task of LONG_TASK_GUARD_MS or more fails the case.
      // (tests/e2e/trace-search.mjs shows what a task is made of.)
      const over = tasks.filter((e) => e.ms >= LONG_TASK_GUARD_MS);
      t.assert(over.length === 0,
        `${over.length} main-thread task(s) of ${LONG_TASK_GUARD_MS} ms or more during the search (longest ${longest.toFixed(0)} ms)`);

      // Select the second candidate by clicking its point. The search goes on meanwhile: a
      // candidate that arrives between finding the point and the click can rescale the plot
      // and move the point from under the pointer (the click then selects another), so a
      // missed click is tried again, up to three times.
      for (let attempt = 1; ; attempt++) {
        await page.click(`${tid('pareto-point')}[data-index="1"]`);
        try {
          await page.waitForSelector(`${tid('candidate-panel')}[data-index="1"]`, { timeout: 5_000 });
          break;
        } catch (e) {
          const shown = await page.locator(tid('candidate-panel')).getAttribute('data-index').catch(() => null);
          if (attempt === 3) throw e;
          t.log(`click ${attempt} on candidate 1's point selected candidate ${shown} (the plot moved?); again`);
        }
      }
      // The panel renders in stages (the sample grid 200 ms after the rest, so that no task
      // is long): each part is waited for, not expected in the same frame as the panel.
      for (const id of ['arch-diagram', 'exit-rates', 'accuracy', 'avg-macs', 'sample-exit-grid', 'hv-chart']) {
        const shown = await page.waitForSelector(tid(id), { timeout: 10_000 }).then(() => true, () => false);
        t.assert(shown, `${id} missing`);
      }
      await page.waitForSelector(`${tid('exit-sample')} canvas`, { timeout: 10_000 });
      t.assert(await page.locator(tid('threshold-slider-0')).count() === 1, 'no threshold slider for exit 0');

      // Keyboard: a focused slider moves by its step.
      const before = await page.locator(tid('threshold-slider-0')).inputValue();
      await page.focus(tid('threshold-slider-0'));
      await page.keyboard.press('ArrowRight');
      const after = await page.locator(tid('threshold-slider-0')).inputValue();
      t.assert(Math.abs(Number(after) - Math.min(1, Number(before) + 0.01)) < 1e-6,
        `ArrowRight moved the slider from ${before} to ${after}`);

      // Sweep exit 0's threshold upwards.
      const started = Date.now();
      let prev = null;
      for (let v = 0; v <= 1.0001; v += 0.05) {
        const r = await setSlider(page, 0, v.toFixed(2));
        const sum = r.rates.reduce((a, b) => a + b, 0);
        t.assert(Math.abs(sum - 1) < 1e-9, `exit rates sum to ${(100 * sum).toFixed(3)}% at t=${v.toFixed(2)}`);
        if (prev) {
          t.assert(r.rates[0] <= prev.rates[0] + 1e-12,
            `raising exit 1's threshold to ${v.toFixed(2)} increased its share ${prev.rates[0]} → ${r.rates[0]}`);
          t.assert(r.macs >= prev.macs - 1e-6, `raising a threshold lowered avg MACs ${prev.macs} → ${r.macs}`);
        }
        prev = r;
      }
      const first = await setSlider(page, 0, '0.00');
      t.assert(prev.macs > first.macs || prev.rates[0] === first.rates[0], 'the sweep changed nothing');
      t.timing('21 slider moves re-scored and rendered', Date.now() - started);
      t.log(`exit 1 share ${(100 * first.rates[0]).toFixed(1)}% at t=0 → ${(100 * prev.rates[0]).toFixed(1)}% at t=1; avg MACs ${first.macs.toFixed(0)} → ${prev.macs.toFixed(0)}`);
      await setSlider(page, 0, '0.35');

      // Tuning buttons set the sliders.
      await page.click(tid('tune-max-accuracy'));
      await page.waitForTimeout(200);
      const tuned = await readout(page);
      t.log(`best accuracy under the target: ${(100 * tuned.accuracy).toFixed(1)}% at ${tuned.macs.toFixed(0)} MACs`);

      const shot = join(t.artifacts, `search-${t.mode}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      if (process.env.E2E_SCREENSHOT) await copyFile(shot, process.env.E2E_SCREENSHOT);
      t.log(`screenshot: ${shot}`);

      // Pause, then reload: the run, the selection and the sliders come back.
      const state = await page.locator(tid('progress')).getAttribute('data-state');
      if (state !== 'finished') {
        await page.click(tid('stop-search'));
        await page.waitForSelector(`${tid('progress')}[data-state="paused"]`, { timeout: 60_000 });
      }
      const count = await page.locator(tid('pareto-point')).count();
      const slider = await page.locator(tid('threshold-slider-0')).inputValue();
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length === n,
        count, { timeout: 30_000 });
      await page.waitForSelector(`${tid('candidate-panel')}[data-index="1"]`, { timeout: 10_000 });
      const restored = await page.locator(tid('threshold-slider-0')).inputValue();
      t.assert(restored === slider, `slider restored as ${restored}, was ${slider}`);
      const resumable = await page.locator(tid('run-search')).textContent();
      t.log(`after reload: ${count} candidates, selection and sliders restored; button says "${resumable.trim()}"`);
    },
  },
  {
    name: 'a search on 2 workers (also paused, reloaded, resumed; also with a supernet) gives the archive of 1 worker (CPU, same seed)',
    modes: ['cpu'],
    timeoutMs: 25 * 60_000,
    async run(t) {
      // Small and seeded: 3 initial networks and one iteration of 3, 128 images per epoch.
      const hash = 'v=1&data=fashion-mnist&backend=cpu&doe=3&iters=1&k=3&epochs=1&train=128&seed=5';
      const one = await pooledSearch(t, hash, 1);
      const two = await pooledSearch(t, hash, 2);
      const resumed = await pooledSearch(t, hash, 2, { pause: true });
      // With a weight-sharing supernet: every pool worker trains its own (the same one).
      const sn = 'v=1&data=fashion-mnist&backend=cpu&doe=2&iters=1&k=2&epochs=1&supernet=1&train=128&seed=5';
      const snOne = await pooledSearch(t, sn, 1);
      const snTwo = await pooledSearch(t, sn, 2);
      t.timing('small search on 1 worker', one.wall);
      t.timing('small search on 2 workers', two.wall);
      t.log(`wall time 1 worker / 2 workers: ${(one.wall / two.wall).toFixed(2)} (${one.total} evaluations)`);
      t.assert(one.total === 6 && one.run.archive.length + (one.run.failed?.length ?? 0) === 6,
        `the search made ${one.run.archive.length} evaluations, not 6`);
      const runs = [['2 workers', one, two], ['2 workers, paused, reloaded and resumed', one, resumed],
        ['2 workers with a supernet', snOne, snTwo]];
      for (const [what, base, r] of runs) {
        const a = JSON.stringify(archiveOf(base.run));
        const b = JSON.stringify(archiveOf(r.run));
        if (a !== b) {
          const first = [...a].findIndex((c, i) => c !== b[i]);
          t.assert(false, `the archives differ from character ${first}: 1 worker …${a.slice(first - 80, first + 80)}… `
            + `${what} …${b.slice(first - 80, first + 80)}…`);
        }
      }
      t.log(`same archives: ${one.run.archive.length} candidates, val accuracy `
        + `${one.run.archive.map((c) => c.val_accuracy.toFixed(4)).join(', ')}; with a supernet `
        + `${snOne.run.archive.map((c) => c.val_accuracy.toFixed(4)).join(', ')}`);
      t.assert(snOne.run.archive.length === 4, `the supernet search made ${snOne.run.archive.length} evaluations, not 4`);
      // The guard holds for the runs without a supernet (the pool's page side is the same
      // with one); the supernet pair's longest tasks are reported.
      const guarded = [['1 worker', one], ['2 workers', two], ['2 workers, resumed', resumed]];
      for (const [what, r] of guarded) {
        t.timing(`longest main-thread task, ${what}`, r.longest);
        t.assert(r.longest < LONG_TASK_GUARD_MS,
          `a main-thread task of ${r.longest.toFixed(0)} ms (guard ${LONG_TASK_GUARD_MS} ms), ${what}`);
      }
      for (const [what, r] of [['1 worker, supernet', snOne], ['2 workers, supernet', snTwo]]) {
        t.timing(`longest main-thread task, ${what}`, r.longest);
      }
    },
  },
];
