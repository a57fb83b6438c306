// Where the main thread spends its long tasks during a search (the 50 ms budget), or,
// with TRACE_LOAD=1, while the page starts.
//
//   node tests/e2e/trace-search.mjs DIST [cpu|webgpu] [candidates=2] [link-hash]
//
// Opens the built app like the e2e search case, records a Chromium trace from the click on
// "run search" until `candidates` points are on the Pareto plot, and prints every main-thread
// task over 20 ms with the trace events inside it (function calls, layout, paint, GC, …),
// then the long tasks the page's own PerformanceObserver saw. A diagnostic, not a test.
// (bench/page-responsiveness.mjs records the page start's long tasks and their parts too.)
import { launchBrowser } from './harness.mjs';
import { serve } from './serve.mjs';
import { mainThreadTasks, onMainThread, taskEventName } from './trace-events.mjs';

const [dist, mode = 'cpu', want = '2', hash] = process.argv.slice(2);
if (!dist) {
  console.error('usage: node tests/e2e/trace-search.mjs DIST [cpu|webgpu] [candidates] [hash]');
  process.exit(2);
}
const server = await serve(dist, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser(mode);
const page = await browser.context.newPage();
await page.addInitScript(() => {
  window.__lt = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ entryTypes: ['longtask'] });
});
const path = hash ?? (mode === 'webgpu' ? '/#v=1&backend=cpu' : '/');
await page.goto(origin + path);
await page.evaluate(() => localStorage.clear());
// TRACE_LOAD=1 traces the page's start (a reload until the page is ready) instead.
const LOAD = Boolean(process.env.TRACE_LOAD);
if (!LOAD) {
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="smoke-train"]:not([disabled])', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="run-search"]:not([disabled])', { timeout: 30_000 });
}
const t0 = LOAD ? 0 : await page.evaluate(() => performance.now());
const cdp = await browser.context.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', {
  // TRACE_DETAIL=1 adds Chromium's detailed timeline (slower: it inflates the tasks).
  traceConfig: {
    includedCategories: ['toplevel', 'devtools.timeline', 'blink.user_timing',
      ...(process.env.TRACE_DETAIL ? ['disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.stack', 'v8'] : [])],
  },
  transferMode: 'ReportEvents',
});
// PROFILE=1 also samples the main thread's JavaScript/wasm stacks and prints, for each
// long task, the functions (inclusive time) its samples fall in.
if (process.env.PROFILE) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
}
const wall0 = Date.now();
if (LOAD) {
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="smoke-train"]:not([disabled])', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="run-search"]:not([disabled])', { timeout: 30_000 });
  console.log(`page ready after ${((Date.now() - wall0) / 1000).toFixed(1)} s`);
} else {
  await page.click('[data-testid="run-search"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length >= n,
    Number(want), { timeout: 15 * 60_000, polling: 500 });
  console.log(`${want} candidate(s) after ${((Date.now() - wall0) / 1000).toFixed(1)} s`);
}
await page.waitForTimeout(2000);
const profile = process.env.PROFILE ? (await cdp.send('Profiler.stop')).profile : null;
await cdp.send('Tracing.end');
await done;

const onMain = onMainThread(events);
// User Timing measures (debug builds wrap suspect work in `browser::measured`): b/e pairs.
const opened = new Map();
const measures = [];
for (const e of events.filter((e) => e.cat?.includes('blink.user_timing'))) {
  const key = `${e.name}:${e.id ?? e.id2?.local}`;
  if (e.ph === 'b') opened.set(key, e.ts);
  else if (e.ph === 'e' && opened.has(key)) {
    measures.push({ name: e.name, ts: opened.get(key), dur: e.ts - opened.get(key) });
    opened.delete(key);
  }
}
const TASK = taskEventName(events);
// Tasks as the Long Tasks API counts them: a task event plus the microtask checkpoint after it.
const tasks = mainThreadTasks(events).filter((t) => t.dur > 20_000);
for (const t of tasks.sort((a, b) => b.dur - a.dur).slice(0, 12)) {
  console.log(`task ${(t.dur / 1000).toFixed(1)} ms at ${((t.ts - tasks[0].ts) / 1e6).toFixed(1)} s`);
  const inside = events.filter((e) => onMain(e) && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur
    && (e.dur ?? 0) > 1000 && e.name !== TASK && e.name !== 'RunTask');
  const named = measures.filter((m) => m.ts >= t.ts && m.ts <= t.ts + t.dur && m.dur > 500);
  for (const m of named.slice(0, 12)) console.log(`   measure ${m.name.padEnd(18)} ${(m.dur / 1000).toFixed(1).padStart(6)} ms`);
  if (profile) for (const [k, v] of stacksIn(profile, t.ts, t.ts + t.dur).slice(0, 14)) {
    console.log(`   js ${(v / 1000).toFixed(1).padStart(6)} ms  ${k.replace(/::h[0-9a-f]{16}/g, '').slice(0, 110)}`);
  }
  for (const e of inside.slice(0, 30)) {
    const d = e.args?.data ?? e.args?.beginData ?? {};
    const stack = e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace;
    const forced = stack ? ` forced by ${stack.slice(0, 3).map((f) => f.functionName || '?').join(' < ')}` : '';
    const objects = e.name === 'Layout' && e.args?.beginData?.totalObjects
      ? ` ${e.args.beginData.dirtyObjects}/${e.args.beginData.totalObjects} objects${e.args.beginData.partialLayout ? ' (partial)' : ''}` : '';
    const what = (d.functionName || d.url || d.type || d.message || d.name || '') + forced + objects;
    console.log(`   ${e.name.padEnd(26)} ${(e.dur / 1000).toFixed(1).padStart(6)} ms  ${String(what).slice(0, 90)}`);
  }
}
/** Inclusive time per app-level function of the profile samples in [from, to] (µs). */
function stacksIn(profile, from, to) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map();
  let ts = profile.startTime;
  profile.samples.forEach((id, i) => {
    ts += profile.timeDeltas[i] ?? 0;
    if (ts < from || ts > to) return;
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const f = byId.get(x).callFrame;
      const name = f.functionName || '(anonymous)';
      if (seen.has(name) || !/aebnas::|yew::dom_bundle|garbage|setAttribute|insertBefore|getContext|putImageData/.test(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 250));
    }
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

const lt = await page.evaluate((t0) => window.__lt.filter(([s]) => s >= t0), t0);
console.log(`PerformanceObserver long tasks (start ms, duration ms): ${JSON.stringify(lt)}`);
await browser.close();
server.close();
