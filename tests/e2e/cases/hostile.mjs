// Hostile files dropped into the page (a representative subset of the hostile corpus,
// built by tests/e2e/hostile-files.mjs): every data file is refused by the file reader
// worker with one error line, every hostile import with an error banner, and so is the
// reader itself panicking, running out of memory or never starting; the page stays live
// (the reader still reads a good file, the buttons work) and the stored run is the same
// before and after. A large valid CIFAR-10 batch then loads while the page's main
// thread is watched for long tasks (the goal is none of 50 ms; 100 ms or more fails),
// also while "Use this dataset" stores and shows it, and "Cancel" stops a read. Each
// reader's WebAssembly memory at its answer is logged and bounded.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { observeLongTasks } from '../page-helpers.mjs';
import { cifarBatch, hostileDataFiles, hostileImports } from '../hostile-files.mjs';

export const name = 'hostile';

const tid = (id) => `[data-testid="${id}"]`;
const CLI_RUN = resolve('tests/fixtures/cli-run.json');
const CIFAR = resolve('tests/fixtures/cifar10/test_batch.bin');
/** Images in the large valid file (3,073 bytes each: ≈ 12 MB). */
const LARGE_IMAGES = 4000;
/** Regression guard: twice the 50 ms goal (as in the search case). */
const LONG_TASK_GUARD_MS = 100;
/**
 * Most WebAssembly memory a reader may hold when it refuses a hostile file: the decode
 * budgets refuse before allocating, so a refusal costs the file's bytes and the reader's
 * own start-up memory, not what the file declares (measured: see the case's log).
 */
const READER_MEMORY_LIMIT_MIB = 64;

/** The stored run and its caches (what must not change). */
async function storedRun(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => /^aebnas\.v1\.(run$|cache\.)/.test(k)).sort()
    .map((k) => [k, localStorage.getItem(k)]));
}

/** Picks `path` (one or a list) in the data panel and waits for the read to end: { error, summary }. */
async function pickFile(page, path) {
  await page.evaluate(() => {
    window.__sawBusy = false;
    const panel = document.querySelector('[data-testid="user-data-panel"]');
    window.__busyObserver?.disconnect();
    window.__busyObserver = new MutationObserver(() => {
      if (panel.querySelector('[data-testid="user-data-busy"]')) window.__sawBusy = true;
    });
    window.__busyObserver.observe(panel, { childList: true, subtree: true });
  });
  await page.setInputFiles(tid('user-data-input'), path);
  await page.waitForFunction(() => window.__sawBusy && !document.querySelector('[data-testid="user-data-busy"]')
    && (document.querySelector('[data-testid="user-data-error"]') || document.querySelector('[data-testid="user-data-summary"]')),
  null, { timeout: 60_000 });
  return page.evaluate(() => ({
    error: document.querySelector('[data-testid="user-data-error"]')?.innerText.trim() ?? null,
    summary: !!document.querySelector('[data-testid="user-data-summary"]'),
  }));
}

/** The reader's WebAssembly memory figures (MiB) logged by the page, in order. */
function watchReaderMemory(page) {
  const figures = [];
  page.on('console', (m) => {
    const hit = /^file reader: WebAssembly memory ([\d.]+) MiB/.exec(m.text());
    if (hit) figures.push(Number(hit[1]));
  });
  return figures;
}

/** The next reader memory figure after `seen` figures (null when none arrives in 2 s). */
async function nextFigure(figures, seen) {
  for (let i = 0; i < 40 && figures.length <= seen; i++) await new Promise((r) => setTimeout(r, 50));
  return figures.length > seen ? figures.at(-1) : null;
}

async function bannerTexts(page) {
  return page.$$eval('[data-testid="error-banner"]', (bs) => bs.map((b) => b.innerText.replace(/\s+/g, ' ').trim()));
}

export const cases = [
  {
    name: 'hostile data files and imports: one error line each, a live page, the stored run unchanged',
    timeoutMs: 4 * 60_000,
    async run(t) {
      const dir = await mkdtemp(join(tmpdir(), 'aebnas-e2e-hostile-'));
      try {
        // The reader's crash tests log their panic and abort in the worker's console.
        const page = await t.open('/#v=1&backend=cpu', {
          fresh: true, allowConsoleError: (text) => /aebnas-reader-test|unreachable|memory allocation/.test(text),
        });
        page.on('dialog', (d) => d.dismiss());
        const memory = watchReaderMemory(page);
        await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
        // A stored run to protect: the CLI's (5 candidates), imported.
        await page.setInputFiles(tid('import-file'), CLI_RUN);
        await page.waitForFunction(() => JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null')?.archive?.length === 5,
          null, { timeout: 30_000 });
        const before = await storedRun(page);

        for (const { name: label, files, what } of hostileDataFiles()) {
          const paths = [];
          for (const [file, bytes] of files) {
            paths.push(join(dir, file));
            await writeFile(paths.at(-1), bytes);
          }
          const size = files.reduce((a, [, b]) => a + b.length, 0);
          const t0 = Date.now();
          const seen = memory.length;
          const r = await pickFile(page, paths);
          const ms = Date.now() - t0;
          t.assert(r.error && !r.error.includes('\n') && !r.summary, `${label} (${what}): error ${JSON.stringify(r.error)}, summary ${r.summary}`);
          t.assert(await page.locator(tid('user-data-input')).isEnabled(), `${label}: the file input stayed disabled`);
          const mib = await nextFigure(memory, seen);
          t.assert(mib !== null && mib <= READER_MEMORY_LIMIT_MIB,
            `${label}: the reader's WebAssembly memory was ${mib} MiB (limit ${READER_MEMORY_LIMIT_MIB} MiB)`);
          t.log(`${label} (${what}; ${size} bytes): refused in ${ms} ms, reader memory ${mib} MiB: ${r.error}`);
        }

        const run = await readFile(CLI_RUN, 'utf8');
        for (const [file, text, what] of hostileImports(run)) {
          const path = join(dir, file);
          await writeFile(path, text);
          const seen = (await bannerTexts(page)).length;
          await page.setInputFiles(tid('import-file'), path);
          await page.waitForFunction((n) => document.querySelectorAll('[data-testid="error-banner"]').length > n, seen, { timeout: 10_000 });
          const banner = (await bannerTexts(page)).at(-1);
          const hash = await page.evaluate(() => location.hash);
          t.assert(!/[#&](seed=5|data=evil)(&|$)/.test(hash), `${file}: the link gained injected keys: ${hash}`);
          t.log(`${file} (${what}): ${banner}`);
          for (const b of await page.$$(tid('error-dismiss'))) await b.click();
        }

        // The reader itself failing (development-build hooks in src/app/reader/run.rs):
        // a panic, and running out of memory (an abort of the worker's WebAssembly).
        for (const file of ['aebnas-reader-test-panic', 'aebnas-reader-test-oom']) {
          const path = join(dir, file);
          await writeFile(path, 'x');
          const t0 = Date.now();
          const r = await pickFile(page, path);
          t.assert(r.error && /^the file reader stopped \(.+\); nothing was changed$/.test(r.error) && !r.summary,
            `${file}: error ${JSON.stringify(r.error)}, summary ${r.summary}`);
          t.log(`${file}: shown in ${Date.now() - t0} ms: ${r.error}`);
        }

        // A reader whose WebAssembly never starts (as when it fails to load: no error
        // reaches the page) is given up after its start limit, shortened here through
        // the development build's test key.
        await page.evaluate(() => {
          localStorage.setItem('aebnas.test.reader-start-ms', '3000');
          window.__RealWorker = window.Worker;
          window.Worker = function (url, options) {
            const swapped = String(url).includes('aebnas-reader_loader') ? 'aebnas-reader.js' : url;
            return new window.__RealWorker(swapped, options);
          };
        });
        {
          const path = join(dir, 'never-starts.bin');
          await writeFile(path, 'x');
          const t0 = Date.now();
          const r = await pickFile(page, path);
          t.assert(r.error === 'the file reader stopped (it did not start within 3 s); nothing was changed' && !r.summary,
            `a reader that never starts: error ${JSON.stringify(r.error)}, summary ${r.summary}`);
          t.log(`a reader that never starts: shown in ${Date.now() - t0} ms: ${r.error}`);
        }
        await page.evaluate(() => {
          localStorage.removeItem('aebnas.test.reader-start-ms');
          window.Worker = window.__RealWorker;
        });

        // The stored run is the one imported first.
        t.assert(JSON.stringify(await storedRun(page)) === JSON.stringify(before), 'the stored run changed');
        t.assert(await page.locator(`${tid('dataset-picker')} optgroup`).count() === 0, 'a hostile file was stored as a dataset');

        // A live page: the reader still reads a good file; "Discard" works.
        const good = await pickFile(page, CIFAR);
        t.assert(good.summary && !good.error, `the CIFAR-10 fixture after the hostile files: ${JSON.stringify(good)}`);
        await page.click(tid('user-data-discard'));
        await page.waitForFunction(() => !document.querySelector('[data-testid="user-data-summary"]'), null, { timeout: 5_000 });
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
        t.assert(JSON.stringify(await storedRun(page)) === JSON.stringify(before), 'the stored run changed over a reload');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'a large file loads and is used with no long main-thread task; Cancel stops a read',
    timeoutMs: 3 * 60_000,
    async run(t) {
      const dir = await mkdtemp(join(tmpdir(), 'aebnas-e2e-large-'));
      try {
        const path = join(dir, 'data_batch_1.bin');
        await writeFile(path, cifarBatch(LARGE_IMAGES));
        const page = await t.open('/#v=1&backend=cpu', {
          fresh: true, beforeGoto: observeLongTasks,
        });
        await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
        // Let the page settle (its first paints and the search worker's start, which
        // with a WebGPU adapter keeps the cores busy for a while, are not what is measured).
        await page.waitForSelector(`${tid('backend-badge')}:not([data-backend="pending"])`, { timeout: 120_000 });
        await page.waitForTimeout(2_000);

        // Cancel: the read stops, nothing is shown, the next read works. The read takes a
        // few hundred ms, less than a click from here may need, so the page itself clicks
        // "Cancel" the moment it appears (while the read runs).
        await page.evaluate(() => {
          window.__cancelled = false;
          const click = () => {
            const button = document.querySelector('[data-testid="user-data-cancel"]');
            if (button && !window.__cancelled) {
              window.__cancelled = true;
              button.click();
            }
            return window.__cancelled;
          };
          if (!click()) {
            const watch = new MutationObserver(() => click() && watch.disconnect());
            watch.observe(document.body, { childList: true, subtree: true });
          }
        });
        await page.setInputFiles(tid('user-data-input'), path);
        await page.waitForFunction(() => window.__cancelled, null, { timeout: 10_000 });
        await page.waitForFunction(() => !document.querySelector('[data-testid="user-data-busy"]'), null, { timeout: 5_000 });
        await page.waitForTimeout(1_000);
        t.assert(await page.locator(tid('user-data-summary')).count() === 0, 'a cancelled read showed its summary');
        t.assert(await page.locator(tid('user-data-error')).count() === 0, 'a cancelled read showed an error');

        const t0 = await page.evaluate(() => performance.now());
        const wall = Date.now();
        await page.setInputFiles(tid('user-data-input'), path);
        await page.waitForSelector(tid('user-data-summary'), { timeout: 60_000 });
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-data-samples"] canvas').length > 0);
        await page.waitForTimeout(300);
        t.timing(`${LARGE_IMAGES} CIFAR-10 images (${(LARGE_IMAGES * 3073 / 1e6).toFixed(1)} MB) read and converted`, Date.now() - wall);
        const shape = await page.locator(tid('user-data-shape')).innerText();
        t.assert(shape.includes(`${LARGE_IMAGES * 0.8} train + ${LARGE_IMAGES * 0.2} test`), `shape ${shape}`);

        const tasks = await page.evaluate((t0) => window.__longTasks?.filter((e) => e.start >= t0) ?? null, t0);
        t.assert(tasks !== null, 'this browser has no Long Tasks API (PerformanceObserver "longtask")');
        const longest = tasks.reduce((m, e) => Math.max(m, e.ms), 0);
        t.log(`main-thread tasks of 50 ms or more while the file loaded: ${tasks.length}`
          + (tasks.length ? `, longest ${longest.toFixed(0)} ms` : ' (every task under 50 ms)')
          + tasks.map((e) => ` · ${e.ms.toFixed(0)} ms at ${((e.start - t0) / 1000).toFixed(2)} s`).join(''));
        t.timing('longest main-thread task while a large file loads', longest);
        const over = tasks.filter((e) => e.ms >= LONG_TASK_GUARD_MS);
        t.assert(over.length === 0,
          `${over.length} main-thread task(s) of ${LONG_TASK_GUARD_MS} ms or more while the file loaded (longest ${longest.toFixed(0)} ms)`);

        // "Use this dataset": stored (the browser compresses it off the thread), selected,
        // and its test part read back from storage (inflated a slice per task) and shown.
        const t1 = await page.evaluate(() => performance.now());
        const wall1 = Date.now();
        await page.click(tid('user-data-use'));
        await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="dataset-status"] .status-ok')]
          .some((e) => e.innerText.includes(`${n} test images`)), LARGE_IMAGES * 0.2, { timeout: 60_000 });
        await page.waitForTimeout(300);
        t.timing('"Use this dataset": stored, selected, test images shown', Date.now() - wall1);
        const useTasks = await page.evaluate((t1) => window.__longTasks.filter((e) => e.start >= t1), t1);
        const useLongest = useTasks.reduce((m, e) => Math.max(m, e.ms), 0);
        t.log(`main-thread tasks of 50 ms or more after "Use this dataset": ${useTasks.length}`
          + (useTasks.length ? `, longest ${useLongest.toFixed(0)} ms` : ' (every task under 50 ms)'));
        t.timing('longest main-thread task after "Use this dataset"', useLongest);
        // Guarded in the CPU mode. The WebGPU mode's browser draws everything with
        // SwiftShader on the same two cores: on a busy machine its tasks here reached
        // 183–293 ms (load average 9), so there the figure is reported, not guarded.
        const useOver = useTasks.filter((e) => e.ms >= LONG_TASK_GUARD_MS && t.mode === 'cpu');
        t.assert(useOver.length === 0,
          `${useOver.length} main-thread task(s) of ${LONG_TASK_GUARD_MS} ms or more after "Use this dataset" (longest ${useLongest.toFixed(0)} ms)`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
