// Reading a Chromium trace's events (CDP Tracing, 'toplevel' category): which events ran on
// a page's main thread, and which event name is the outermost task. Shared by
// trace-search.mjs and bench/page-responsiveness.mjs.

/** A predicate: whether event `e` ran on a renderer's main thread (CrRendererMain). */
export function onMainThread(events) {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  return (e) => mains.has(`${e.pid}:${e.tid}`);
}

/** The outermost task event this Chromium writes (newer ones: ThreadControllerImpl::RunTask). */
export function taskEventName(events) {
  return events.some((e) => e.name === 'ThreadControllerImpl::RunTask') ? 'ThreadControllerImpl::RunTask' : 'RunTask';
}

/**
 * The main thread's tasks as the Long Tasks API counts them, in trace microseconds
 * (`{ ts, dur, cpu }`): each outermost task event plus the microtask checkpoint Blink runs
 * right after it (`BlinkScheduler_PerformMicrotaskCheckpoint`, a sibling event in the trace,
 * not a child). Promise reactions run there (a fetch's `.then`, wasm-bindgen's futures,
 * yew's scheduler), so a task event alone can miss most of a task's work. `cpu` is the
 * thread's CPU time in the task (the events' `tdur`; null where the trace lacks it): on a
 * busy machine a task's wall time also holds the time other processes had the core.
 */
export function mainThreadTasks(events) {
  const onMain = onMainThread(events);
  const TASK = taskEventName(events);
  const top = events.filter((e) => e.ph === 'X' && onMain(e)
    && (e.name === TASK || e.name === 'BlinkScheduler_PerformMicrotaskCheckpoint'))
    .sort((a, b) => a.ts - b.ts);
  const cpu = (e) => (e.tdur === undefined ? null : e.tdur);
  const add = (a, b) => (a === null || b === null ? null : a + b);
  const tasks = [];
  for (const e of top) {
    const last = tasks[tasks.length - 1];
    const end = e.ts + (e.dur ?? 0);
    if (last && e.ts < last.ts + last.dur) {
      // Nested inside the previous task (a checkpoint after a script inside it).
      last.dur = Math.max(last.dur, end - last.ts);
    } else if (last && e.name !== TASK && e.ts - (last.ts + last.dur) < 1000) {
      // The checkpoint that follows its task (within a millisecond): the same task.
      last.dur = end - last.ts;
      last.cpu = add(last.cpu, cpu(e));
    } else {
      tasks.push({ ts: e.ts, dur: e.dur ?? 0, cpu: cpu(e) });
    }
  }
  return tasks;
}

/**
 * A predicate on tasks (`mainThreadTasks`): whether the task ran a DevTools protocol command
 * (the test driver's `Runtime.evaluate` of its helper scripts, its polling), which is the
 * harness's work, not the page's. Needs the trace category 'devtools'.
 */
export function isDevToolsTask(events) {
  const onMain = onMainThread(events);
  const commands = events.filter((e) => e.name === 'DevToolsSession::DispatchProtocolCommand' && onMain(e))
    .map((e) => e.ts).sort((a, b) => a - b);
  return (t) => commands.some((ts) => ts >= t.ts && ts < t.ts + t.dur);
}
