// Full browser storage never loses a finished evaluation silently. The origin's real
// localStorage quota is filled with keys that are not the app's (`filler.*`), so the
// browser itself refuses the writes, as it would on a visitor's machine:
// - squeezed mid-search: the run is still saved (exit caches make room, lowest candidate
//   first); after a reload every finished evaluation is back, and the page names the
//   candidates whose per-image confidences were not kept;
// - no room at all: every failed run save is shown (it comes back after a dismissal, with
//   the count of evaluations not saved) and offers the run as a download; an imported
//   run that does not fit leaves the stored run in place, and one that fits replaces it.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const name = 'storage';

const tid = (id) => `[data-testid="${id}"]`;
const RUN_KEY = 'aebnas.v1.run';
const CLI_RUN = resolve('tests/fixtures/cli-run.json');
/**
 * A short search on the CPU: `doe` candidates, 64 training images, no iterations, on one
 * search worker (the cases fill the quota between one candidate's save and the next, so
 * the candidates must arrive one at a time, not as a pool's batch).
 */
const search = (doe) => `/#v=1&backend=cpu&doe=${doe}&iters=0&train=64&workers=1`;

/**
 * Fills the origin's localStorage with `filler.*` keys until the browser refuses, then
 * frees `leave` characters. Returns the characters the filler holds.
 */
async function fillStorage(page, leave = 0) {
  return page.evaluate((leave) => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler.')) localStorage.removeItem(k);
    let n = 0, total = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler.${n}`, chunk);
        } catch (e) {
          break;
        }
        n += 1;
        total += size;
      }
    }
    if (leave > 0) {
      localStorage.setItem('filler.0', 'x'.repeat(localStorage.getItem('filler.0').length - leave));
      total -= leave;
    }
    return total;
  }, leave);
}

async function removeFiller(page) {
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler.')) localStorage.removeItem(k);
  });
}

/** What the app stored: the run's evaluations (null: no run) and the cached candidates. */
async function stored(page) {
  return page.evaluate((runKey) => {
    const run = localStorage.getItem(runKey);
    const caches = Object.keys(localStorage)
      .map((k) => k.match(/^aebnas\.v1\.cache\.(\d+)$/)?.[1])
      .filter((i) => i !== undefined).map(Number).sort((a, b) => a - b);
    return { evaluations: run === null ? null : JSON.parse(run).archive.length, caches };
  }, RUN_KEY);
}

async function banners(page) {
  return page.$$eval('[data-testid="error-banner"]', (bs) => bs.map((b) => b.innerText.replace(/\s+/g, ' ').trim()));
}

const points = (page) => page.locator(tid('pareto-point')).count();

async function waitForPoints(page, n, timeout = 30_000) {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length === n,
    n, { timeout, polling: 200 });
}

async function startSearch(page) {
  await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 120_000 });
  await page.click(tid('run-search'));
  await page.waitForSelector(`${tid('progress')}[data-state="running"]`, { timeout: 60_000 });
}

/** Candidate numbers as the page writes them (index + 1, runs joined by an en dash). */
function candidateList(indices) {
  const s = [...new Set(indices)].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j += 1;
    parts.push(j === i ? `${s[i] + 1}` : j === i + 1 ? `${s[i] + 1}, ${s[j] + 1}` : `${s[i] + 1}–${s[j] + 1}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Waits for the "not saved" note that says `count` of `total` evaluations are not saved. */
async function waitForUnsaved(page, count, total) {
  const evals = total === 1 ? 'finished evaluation is' : 'finished evaluations are';
  const want = `${count} of this run's ${total} ${evals} not saved`;
  await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="error-banner"]')]
    .some((b) => b.innerText.includes(want) && b.querySelector('[data-testid="error-download-run"]')),
  want, { timeout: 5 * 60_000, polling: 200 });
  return want;
}

export const cases = [
  {
    name: 'storage squeezed mid-search: the run is saved, caches make room, reload names what is missing',
    timeoutMs: 10 * 60_000,
    async run(t) {
      const page = await t.open(search(3), { fresh: true });
      page.on('dialog', (d) => d.accept());
      await startSearch(page);
      // Once the first candidate's cache is stored, the origin's quota is filled: the next
      // run save can only fit by deleting that cache.
      await page.waitForFunction(() => localStorage.getItem('aebnas.v1.cache.0') !== null, null,
        { timeout: 5 * 60_000, polling: 50 });
      const filler = await fillStorage(page, 0);
      t.log(`quota filled with ${(filler / 1e6).toFixed(2)} M characters of filler after candidate 1's cache`);
      await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 8 * 60_000 });
      const n = await points(page);
      t.assert(n === 3, `${n} candidates evaluated, want 3`);
      const before = await stored(page);
      t.log(`stored: run with ${before.evaluations} evaluations, caches of candidates ${candidateList(before.caches) || 'none'}`);
      t.assert(before.evaluations === 3, `the stored run holds ${before.evaluations} evaluations, want 3`);
      t.assert(!before.caches.includes(0), "candidate 1's cache was not deleted to make room for the run");
      const full = (await banners(page)).find((b) => b.includes('Browser storage is full'));
      t.assert(full && full.includes('candidate'), `no note about confidences not kept: ${JSON.stringify(await banners(page))}`);
      t.assert(!(await banners(page)).some((b) => b.includes('not saved in the browser')), 'a run save failed');

      await page.reload({ waitUntil: 'load' });
      await waitForPoints(page, 3);
      const missing = [0, 1, 2].filter((i) => !before.caches.includes(i));
      const word = missing.length === 1 ? 'candidate' : 'candidates';
      const want = `${word} ${candidateList(missing)}: no per-image confidences in browser storage`;
      await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="error-banner"]')]
        .some((b) => b.innerText.includes(want)), want, { timeout: 10_000 });
      t.log(`after reload: 3 candidates restored; the page says "${want}"`);
      await removeFiller(page);
    },
  },
  {
    name: 'no room for the run: every failed save is shown with a download; an import that does not fit keeps the stored run',
    timeoutMs: 10 * 60_000,
    async run(t) {
      const page = await t.open(search(2), { fresh: true, beforeGoto: (p) => fillStorage(p, 0) });
      page.on('dialog', (d) => d.accept());
      await startSearch(page);
      await waitForUnsaved(page, 1, 1);
      // Dismissed, the note comes back with the next failed save.
      await page.click(`${tid('error-banner')}:has(${tid('error-download-run')}) ${tid('error-dismiss')}`);
      const want = await waitForUnsaved(page, 2, 2);
      await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 5 * 60_000 });
      t.assert(await page.locator(tid('error-download-run')).count() === 1, 'the "not saved" notes piled up instead of replacing each other');
      t.assert((await stored(page)).evaluations === null, 'a run was stored although the quota was full');
      t.log(`shown after each failed save: "${want}"`);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('error-download-run'))]);
      const dir = await mkdtemp(join(tmpdir(), 'aebnas-e2e-storage-'));
      const file = join(dir, 'run.json');
      await download.saveAs(file);
      const run = JSON.parse(await readFile(file, 'utf8'));
      t.assert(run.archive.length === 2, `the downloaded run holds ${run.archive.length} evaluations, want 2`);

      // A stored run (the downloaded one, without caches), then no room again: importing a
      // larger run (the CLI's, 5 candidates) is shown but leaves the stored run in place.
      delete run.page_caches;
      await removeFiller(page);
      await page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [RUN_KEY, JSON.stringify(run)]);
      await fillStorage(page, 0);
      await page.reload({ waitUntil: 'load' });
      await waitForPoints(page, 2);
      await page.setInputFiles(tid('import-file'), CLI_RUN);
      await waitForPoints(page, 5);
      await waitForUnsaved(page, 5, 5);
      const title = (await banners(page)).find((b) => b.includes('The imported run is shown but not saved'));
      t.assert(title, `no note on the import: ${JSON.stringify(await banners(page))}`);
      t.assert((await stored(page)).evaluations === 2, 'the stored run changed although the import did not fit');
      await page.reload({ waitUntil: 'load' });
      await waitForPoints(page, 2);
      t.log('an import that does not fit: shown, stored run (2 candidates) kept over a reload');

      // With room, the import replaces it.
      await removeFiller(page);
      await page.setInputFiles(tid('import-file'), CLI_RUN);
      await waitForPoints(page, 5);
      await page.waitForFunction(() => localStorage.getItem('aebnas.v1.run')?.includes('"archive"')
        && JSON.parse(localStorage.getItem('aebnas.v1.run')).archive.length === 5, null, { timeout: 10_000 });
      t.assert(await page.locator(tid('error-download-run')).count() === 0, 'a "not saved" note stayed after the run was saved');
      await page.reload({ waitUntil: 'load' });
      await waitForPoints(page, 5);
      t.log('an import that fits replaces the stored run (5 candidates after a reload)');
    },
  },
];
