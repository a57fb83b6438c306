// Prints the numbers of a built bundle (the release one by default): the size of every
// wasm file (raw and gzip -9), and what a fresh headless Chromium sees when it opens the
// page — first contentful paint, when real samples are painted, when the backend badge
// knows the worker's backend — and every request, failing when one leaves the origin.
// Usage: node tests/e2e/serve-check.mjs [dist-dir=dist] [cpu|webgpu] [runs=3]
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from './serve.mjs';
import { launchBrowser } from './harness.mjs';

const dist = resolve(process.argv[2] ?? 'dist');
const mode = process.argv[3] ?? 'cpu';
const runs = Number(process.argv[4] ?? 3);
const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;

let total = 0, totalGz = 0;
for (const name of (await readdir(dist)).filter((f) => f.endsWith('.wasm')).sort()) {
  const bytes = await readFile(join(dist, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += bytes.length; totalGz += gz;
  console.log(`${name}: ${MB(bytes.length)} raw, ${MB(gz)} gzip`);
}
console.log(`all wasm: ${MB(total)} raw, ${MB(totalGz)} gzip`);

const server = await serve(dist, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const offOrigin = [];
let failed = false;
try {
  for (let run = 1; run <= runs; run++) {
    const browser = await launchBrowser(mode);
    try {
      const page = await browser.context.newPage();
      const requests = [];
      page.on('request', (r) => {
        requests.push(r.url());
        if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) offOrigin.push(r.url());
      });
      const t0 = Date.now();
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid="sample-grid"][data-painted-ms]', { timeout: 60_000 });
      const samples = Date.now() - t0;
      await page.waitForSelector('[data-testid="backend-badge"]:not([data-backend="pending"])', { timeout: 120_000 });
      const badge = Date.now() - t0;
      const fcp = await page.evaluate(() =>
        performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime);
      const painted = await page.locator('[data-testid="sample-grid"] canvas').count();
      const kind = await page.locator('[data-testid="backend-badge"]').getAttribute('data-backend');
      console.log(`run ${run} (${mode}): first contentful paint ${Math.round(fcp)} ms; ` +
        `${painted} samples painted at ${samples} ms; backend badge "${kind}" at ${badge} ms; ` +
        `${requests.length} requests`);
      if (run === 1) for (const url of requests) console.log(`  request ${url.replace(origin, '')}`);
    } catch (e) {
      failed = true;
      console.error(`run ${run}: ${e.message}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
if (offOrigin.length) {
  console.error(`requests off the origin:\n  ${offOrigin.join('\n  ')}`);
  process.exit(1);
}
console.log('no request off the origin');
process.exit(failed ? 1 : 0);
