// What happens while the page starts, and what each long main-thread task is made of.
// Used by bench/page-responsiveness.mjs (phase 1) and tests/e2e/trace-search.mjs.
//
// - `recordStart` (an init script) records in the page: the Long Tasks API's entries
//   (start, duration, attribution), the Long Animation Frames API's frames with their
//   scripts (which callback ran: a promise's `.then`, a timer, a microtask), and when
//   trunk's loader finished (`TrunkApplicationStarted`: the wasm is compiled, instantiated
//   and `main` has run) and the fonts settled.
// - `startTimeline(page)` reads those back with the resource timings (wasm, scripts, CSS,
//   dataset files) and the paint timings, all in the page's clock (ms since navigation).
// - `START_CATEGORIES` are the trace categories that name a task's parts (style, layout,
//   paint, script calls, wasm streaming compile / lazy compile / instantiate, user timing,
//   and the DevTools commands of the test driver, whose tasks are not the page's).
// - `attribute(events, timeline, tasks)` lines the trace up with the page's clock (by the
//   `bench:from` mark, present in both) and breaks each given task into those parts.
import { onMainThread, taskEventName } from '../tests/e2e/trace-events.mjs';

export const START_CATEGORIES = ['toplevel', 'devtools.timeline', 'v8.wasm', 'blink.user_timing', 'devtools', '__metadata'];

/** Runs in the page before its scripts (page.addInitScript): records the start. */
export function recordStart() {
  performance.mark('bench:from');
  const keep = (list, map) => (entries) => { for (const e of entries.getEntries()) list.push(map(e)); };
  window.__start = { longTasks: [], frames: [], marks: [] };
  const s = window.__start;
  new PerformanceObserver(keep(s.longTasks, (e) => ({
    start: e.startTime, ms: e.duration,
    attribution: (e.attribution ?? []).map((a) => `${a.name}/${a.containerType}${a.containerSrc ? ` ${a.containerSrc}` : ''}`),
  }))).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver(keep(s.frames, (e) => ({
      start: e.startTime, ms: e.duration, render_start: e.renderStart,
      style_layout_start: e.styleAndLayoutStart, blocking_ms: e.blockingDuration,
      scripts: e.scripts.map((x) => ({
        invoker: x.invoker, type: x.invokerType, start: x.startTime, ms: x.duration,
        forced_layout_ms: x.forcedStyleAndLayoutDuration,
        source: `${x.sourceURL.split('/').pop()} ${x.sourceFunctionName}`.trim(),
      })),
    }))).observe({ type: 'long-animation-frame', buffered: true });
  } catch { /* a browser without the Long Animation Frames API */ }
  const at = (name) => s.marks.push({ name, at: performance.now() });
  addEventListener('TrunkApplicationStarted', () => at('wasm started (main ran)'));
  addEventListener('DOMContentLoaded', () => at('DOMContentLoaded'));
  document.fonts?.ready.then(() => at('fonts ready'));
}

/** The page's record of its start (see `recordStart`), in ms since navigation. */
export function startTimeline(page) {
  return page.evaluate(() => {
    const s = window.__start;
    const short = (url) => new URL(url).pathname.replace(/-[0-9a-f]{16}/, '');
    const r1 = (x) => Math.round(x * 10) / 10;
    return {
      long_tasks: s.longTasks.map((t) => ({ ...t, start: r1(t.start), ms: r1(t.ms) })),
      frames: s.frames.filter((f) => f.ms >= 50),
      marks: [
        ...s.marks,
        ...performance.getEntriesByType('paint').map((p) => ({ name: p.name, at: p.startTime })),
        ...performance.getEntriesByType('resource').filter((r) => /\.(wasm|js|css|gz|json)$/.test(r.name))
          .flatMap((r) => [{ name: `fetch ${short(r.name)} start`, at: r.startTime },
            { name: `fetch ${short(r.name)} end`, at: r.responseEnd }]),
      ].map((m) => ({ ...m, at: r1(m.at) })).sort((a, b) => a.at - b.at),
      from_mark: performance.getEntriesByName('bench:from')[0]?.startTime,
    };
  });
}

/** The parts of one task, by trace event name: total ms, count, and a detail for some. */
function parts(events, onMain, task, TASK) {
  const inside = events.filter((e) => onMain(e) && e.ph === 'X' && e.ts >= task.ts
    && e.ts < task.ts + task.dur && e.name !== TASK && e.name !== 'BlinkScheduler_PerformMicrotaskCheckpoint');
  const by = new Map();
  for (const e of inside) {
    const d = e.args?.data ?? {};
    const b = e.args?.beginData ?? {};
    const detail = e.name === 'Layout' ? `${b.dirtyObjects}/${b.totalObjects} objects`
      : e.name === 'FunctionCall' ? `${(d.url ?? '').split('/').pop()} ${d.functionName ?? ''}`.trim()
        : e.name === 'EvaluateScript' || e.name === 'v8.compileModule' ? (d.url ?? '').split('/').pop()
          : e.name === 'TimerFire' ? `timer ${d.timerId}` : '';
    const key = detail ? `${e.name} (${detail})` : e.name;
    const p = by.get(key) ?? { ms: 0, n: 0 };
    p.ms += (e.dur ?? 0) / 1000;
    p.n += 1;
    by.set(key, p);
  }
  // User Timing measures (debug builds wrap suspect work in `browser::measured`).
  const opened = new Map();
  for (const e of events.filter((e) => e.cat?.includes('blink.user_timing') && (e.ph === 'b' || e.ph === 'e'))) {
    const key = `${e.name}:${e.id ?? e.id2?.local}`;
    if (e.ph === 'b') opened.set(key, e.ts);
    else if (opened.has(key)) {
      const t0 = opened.get(key);
      opened.delete(key);
      if (t0 >= task.ts && t0 < task.ts + task.dur) {
        const name = `measure ${e.name}`;
        const p = by.get(name) ?? { ms: 0, n: 0 };
        p.ms += (e.ts - t0) / 1000;
        p.n += 1;
        by.set(name, p);
      }
    }
  }
  return [...by.entries()].filter(([, p]) => p.ms >= 0.5)
    .sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)
    .map(([name, p]) => ({ name, ms: Math.round(p.ms * 10) / 10, n: p.n }));
}

/**
 * Each task of `tasks` (trace µs `{ ts, dur, cpu }`) in the page's clock, its CPU time, its parts and the
 * page's last six marks of the 300 ms before it and during it ("what happened around it").
 */
export function attribute(events, timeline, tasks) {
  const onMain = onMainThread(events);
  const TASK = taskEventName(events);
  const mark = events.find((e) => e.name === 'bench:from' && e.cat?.includes('blink.user_timing'));
  const offset = mark && timeline.from_mark !== undefined ? mark.ts / 1000 - timeline.from_mark : null;
  return tasks.map((t) => {
    const start = offset === null ? null : Math.round((t.ts / 1000 - offset) * 10) / 10;
    return {
      start, ms: Math.round(t.dur / 100) / 10, cpu_ms: t.cpu === null ? null : Math.round(t.cpu / 100) / 10,
      before: start === null ? [] : timeline.marks.filter((m) => m.at <= start + t.dur / 1000 && m.at >= start - 300)
        .slice(-6).map((m) => `${m.name} @${m.at}`),
      parts: parts(events, onMain, t, TASK),
    };
  });
}

/** The trace task (µs) that overlaps a Long Tasks API entry (page ms) most, if any. */
export function traceTaskOf(events, timeline, tasks, entry) {
  const mark = events.find((e) => e.name === 'bench:from' && e.cat?.includes('blink.user_timing'));
  if (!mark || timeline.from_mark === undefined) return null;
  const from = (entry.start + mark.ts / 1000 - timeline.from_mark) * 1000;
  const to = from + entry.ms * 1000;
  const overlap = (t) => Math.min(to, t.ts + t.dur) - Math.max(from, t.ts);
  const best = tasks.reduce((a, t) => (a === null || overlap(t) > overlap(a) ? t : a), null);
  return best && overlap(best) > 0 ? best : null;
}
