// What the page benchmarks share: their command line (`DIST [--name value]…`) and a fresh
// page (empty storage) that records its main-thread tasks of 50 ms or more (Long Tasks
// API) in `window.__longTasks`.

/** `{ dist, args, opt(name, default) }` of this process's command line. */
export function commandLine() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  return { dist: args[0], args, opt };
}

/** A new page of `context` on `origin` with its storage cleared and long tasks recorded. */
export async function freshObservedPage(context, origin) {
  const page = await context.newPage();
  await page.goto(`${origin}/data/datasets.json`);
  await page.evaluate(() => localStorage.clear());
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ entryTypes: ['longtask'] });
  });
  return page;
}
