import { resolve } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { serve } from '../tests/e2e/serve.mjs';

// What the page benchmarks share: their command line (`DIST [--name value]…`), a served
// page ready to search (openSearchPage) and a fresh
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

/**
 * Serves `dist`, launches headless Chromium (CPU set-up) and opens a fresh observed page on
 * `#hash`, waiting until "Run search" is enabled. `close()` ends the browser and the server.
 */
export async function openSearchPage(dist, hash) {
  const server = await serve(resolve(dist), 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser('cpu');
  const close = async () => {
    await browser.close();
    server.close();
  };
  try {
    const page = await freshObservedPage(browser.context, origin);
    await page.goto(`${origin}/#${hash}`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="run-search"]:not([disabled])', { timeout: 120_000 });
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
