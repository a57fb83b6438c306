// The backend badge after a first visit's measurement, as a picture for the docs.
//
//   node tests/e2e/badge-shot.mjs DIST [webgpu|cpu] [out-dir=docs/img]
//
// Opens the built app in headless Chromium (mode 'webgpu': SwiftShader's WebGPU adapter,
// as in the e2e tests) with empty storage, waits until the worker has timed both backends,
// and writes OUT/backend-badge.png (the page header with the badge) and
// OUT/backend-badge.json (the raw figures: the badge's text and tooltip, the measurement as
// the page stored it, the browser's version and the date) — the docs quote only these.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser } from './harness.mjs';
import { serve } from './serve.mjs';

const [dist, mode = 'webgpu', out = 'docs/img'] = process.argv.slice(2);
if (!dist) {
  console.error('usage: node tests/e2e/badge-shot.mjs DIST [webgpu|cpu] [out-dir]');
  process.exit(2);
}
const server = await serve(dist, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser(mode);
try {
  const page = await browser.context.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  const started = Date.now();
  await page.waitForSelector('[data-testid="backend-figures"]', { timeout: 300_000 });
  const seconds = (Date.now() - started) / 1000;
  const badge = page.locator('[data-testid="backend-badge"]');
  const raw = {
    mode,
    browser: browser.context.browser()?.version() ?? null,
    date: new Date().toISOString(),
    badge: {
      backend: await badge.getAttribute('data-backend'),
      text: (await badge.textContent()).trim().replace(/\s+/g, ' '),
      title: await badge.getAttribute('title'),
    },
    measurement: JSON.parse(await page.evaluate(() => localStorage.getItem('aebnas.backend.v1'))),
    seconds_until_figures: seconds,
  };
  await mkdir(out, { recursive: true });
  await page.locator('header.app-header').screenshot({ path: join(out, 'backend-badge.png') });
  await writeFile(join(out, 'backend-badge.json'), `${JSON.stringify(raw, null, 2)}\n`);
  console.log(`${raw.badge.text} — ${raw.badge.title}\nwrote ${join(out, 'backend-badge.png')} and backend-badge.json`);
} finally {
  await browser.close();
  server.close();
}
