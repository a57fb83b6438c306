// A small end-to-end test harness around playwright-core and the system Chromium.
//
// - `launchBrowser(mode)` starts headless Chromium with a fresh profile; mode 'webgpu'
//   adds the flags that expose SwiftShader's WebGPU adapter, mode 'cpu' does not.
// - `runCases(groups, env)` runs named cases; each case gets a context `t` with
//   `t.open(path, { fresh })` (a new page with guards; `fresh` empties the origin's storage first: console errors, page exceptions and
//   requests to any other origin fail the case), `t.assert`, `t.log`, `t.timing`.
// Case groups live in `cases/*.mjs` and export `name` and `cases: [{ name, timeoutMs, run }]`.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless=new', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
];
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/** Launches Chromium ('webgpu' or 'cpu' mode) with a fresh profile directory. */
export async function launchBrowser(mode) {
  const profile = await mkdtemp(join(tmpdir(), `aebnas-e2e-${mode}-`));
  const args = [...BASE_ARGS, ...(mode === 'webgpu' ? WEBGPU_ARGS : [])];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/** Whether this browser hands out a WebGPU adapter (probed on a page of `origin`). */
export async function probeWebGpu(context, origin) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/data/datasets.json`);
    return await page.evaluate(async () => {
      if (!navigator.gpu) return { available: false, reason: 'navigator.gpu is missing' };
      const adapter = await navigator.gpu.requestAdapter().catch((e) => null);
      if (!adapter) return { available: false, reason: 'requestAdapter() returned null' };
      const info = adapter.info ?? {};
      return { available: true, reason: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') };
    });
  } finally {
    await page.close();
  }
}

export class CaseFailure extends Error {}

/** Opens `origin + path` in a new page of `context`, recording what must not happen. */
async function openGuarded(context, origin, path, problems, opts = {}) {
  const page = await context.newPage();
  if (opts.fresh) {
    // Empty this origin's storage from a page that is not the app (a running app could
    // save its state again, or rewrite the address, before the next load). The browser
    // asks for /favicon.ico for such a page: answered here, not a 404 on the console.
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    await page.goto(`${origin}/data/datasets.json`);
    // The backend measurement is per browser, not per run: kept unless `forgetBackend`
    // (a fresh page would otherwise time the software WebGPU adapter again).
    await page.evaluate(async (keep) => {
      const measured = keep ? localStorage.getItem('aebnas.backend.v1') : null;
      localStorage.clear();
      if (measured !== null) localStorage.setItem('aebnas.backend.v1', measured);
      for (const key of await caches.keys()) await caches.delete(key);
    }, !opts.forgetBackend);
  }
  const allowedOrigin = new URL(origin).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(opts.allowConsoleError?.(msg.text()))) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page exception: ${err.message}`));
  page.on('crash', () => problems.push('page crashed'));
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    let o;
    try { o = new URL(url).origin; } catch { o = url; }
    if (o !== allowedOrigin) problems.push(`request off the page's origin: ${url}`);
  });
  if (opts.beforeGoto) await opts.beforeGoto(page);
  const started = Date.now();
  await page.goto(origin + path, { waitUntil: 'load' });
  page.__openedAt = started;
  return page;
}

function fmtMs(ms) {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Runs every case of every group in `env.mode`; returns { passed, failed, timings }.
 * env: { mode, origin, context, webgpu: { available, reason }, artifacts }
 */
export async function runCases(groups, env) {
  const results = { passed: 0, failed: 0, failures: [], timings: [] };
  for (const group of groups) {
    for (const c of group.cases) {
      if (c.modes && !c.modes.includes(env.mode)) continue;
      const label = `[${env.mode}] ${group.name} › ${c.name}`;
      const problems = [];
      const pages = [];
      const notes = [];
      const t = {
        ...env,
        async open(path = '/', opts) {
          const page = await openGuarded(env.context, env.origin, path, problems, opts);
          pages.push(page);
          return page;
        },
        assert(cond, message) {
          if (!cond) throw new CaseFailure(message);
        },
        log(message) {
          notes.push(message);
        },
        timing(name, ms) {
          results.timings.push({ mode: env.mode, name, ms });
          notes.push(`${name}: ${fmtMs(ms)}`);
        },
        problems,
      };
      const started = Date.now();
      let error = null;
      try {
        await withTimeout(c.run(t), c.timeoutMs ?? 60_000, label);
        // Let late console errors and requests arrive before judging.
        await new Promise((r) => setTimeout(r, 200));
        if (problems.length && !c.expectProblems) throw new CaseFailure(problems.join('\n      '));
      } catch (e) {
        error = e;
      }
      if (error && pages[0] && env.artifacts) {
        const shot = join(env.artifacts, `failure-${env.mode}-${slug(group.name)}-${slug(c.name)}.png`);
        await pages[0].screenshot({ path: shot, fullPage: true }).catch(() => {});
        notes.push(`screenshot: ${shot}`);
      }
      for (const page of pages) await page.close().catch(() => {});
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (error) {
        results.failed += 1;
        results.failures.push(label);
        console.log(`  FAIL ${label} (${secs} s)\n      ${error instanceof CaseFailure ? error.message : error.stack}`);
      } else {
        results.passed += 1;
        console.log(`  ok   ${label} (${secs} s)`);
      }
      for (const note of notes) console.log(`         ${note}`);
    }
  }
  return results;
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function withTimeout(promise, ms, label) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new CaseFailure(`timed out after ${fmtMs(ms)}: ${label}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
