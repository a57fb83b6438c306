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
