// Main-thread long tasks while "Use your own data" reads a large valid file: a generated
// CIFAR-10 batch of N images (3,073 bytes each) is picked in a fresh page of each given
// build, RUNS times, and the load time and the tasks of 50 ms or more (the Long Tasks
// API) are printed, then the same for "Use this dataset" (stored, selected, its test part
// read back and shown). A diagnostic, not a test (the hostile e2e group guards 4,000
// images).
//   node tests/e2e/measure-reader.mjs <dist-dir>...   env N=80000 (≈ 246 MB) RUNS=2
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from './serve.mjs';
import { launchBrowser } from './harness.mjs';
import { cifarBatch } from './hostile-files.mjs';

const N = Number(process.env.N ?? 4000);
const RUNS = Number(process.env.RUNS ?? 2);
const dists = process.argv.slice(2);
if (!dists.length) {
  console.error('usage: node tests/e2e/measure-reader.mjs <dist-dir>...');
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'aebnas-measure-reader-'));
const path = join(dir, 'data_batch_1.bin');
await writeFile(path, cifarBatch(N));
console.log(`${N} CIFAR-10 images, ${(N * 3073 / 1e6).toFixed(1)} MB`);
try {
  for (const dist of dists) {
    const server = await serve(resolve(dist), 0);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const browser = await launchBrowser('cpu');
    try {
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.context.newPage();
        const memory = [];
        page.on('console', (m) => {
          const hit = /^file reader: WebAssembly memory ([\d.]+) MiB/.exec(m.text());
          if (hit) memory.push(Number(hit[1]));
        });
        await page.addInitScript(() => {
          window.__longTasks = [];
          new PerformanceObserver((l) => {
            for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
          }).observe({ entryTypes: ['longtask'] });
        });
        await page.goto(`${origin}/#v=1&backend=cpu`);
        await page.waitForSelector('[data-testid="dataset-status"] .status-ok', { timeout: 60_000 });
        await page.waitForTimeout(2_000);
        const t0 = await page.evaluate(() => performance.now());
        const wall = Date.now();
        await page.setInputFiles('[data-testid="user-data-input"]', path);
        await page.waitForSelector('[data-testid="user-data-summary"]', { timeout: 120_000 });
        const loaded = Date.now() - wall;
        await page.waitForTimeout(300);
        const tasks = await page.evaluate((t0) => window.__longTasks.filter((e) => e.start >= t0), t0);
        const longest = Math.round(Math.max(0, ...tasks.map((e) => e.ms)));
        console.log(`${dist} run ${run + 1}: summary after ${loaded} ms; ${tasks.length} long task(s), longest ${longest} ms`
          + tasks.map((e) => ` · ${Math.round(e.ms)} ms at ${Math.round(e.start - t0)} ms`).join(''));
        const t1 = await page.evaluate(() => performance.now());
        const wall1 = Date.now();
        await page.click('[data-testid="user-data-use"]');
        await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="dataset-status"] .status-ok')]
          .some((e) => e.innerText.includes(`${n} test images`)), N - Math.round(N * 0.8), { timeout: 300_000 });
        const used = Date.now() - wall1;
        await page.waitForTimeout(300);
        const useTasks = await page.evaluate((t1) => window.__longTasks.filter((e) => e.start >= t1), t1);
        console.log(`${dist} run ${run + 1}: "Use this dataset" shown after ${used} ms; ${useTasks.length} long task(s), longest `
          + `${Math.round(Math.max(0, ...useTasks.map((e) => e.ms)))} ms`
          + useTasks.map((e) => ` · ${Math.round(e.ms)} ms at ${Math.round(e.start - t1)} ms`).join(''));
        console.log(`${dist} run ${run + 1}: reader WebAssembly memory (MiB) at each answer (read, save, load): ${memory.join(', ')}`);
        await page.evaluate(async () => { for (const k of await caches.keys()) await caches.delete(k); });
        await page.close();
      }
    } finally {
      await browser.close();
      server.close();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
