// Sharing (issue 7): the URL hash holds the configuration. A hand-broken link opens with
// clamped values and a notice; a newer format version is refused; controls set on one
// page come back in a fresh page from the copied link, with the linked network trained
// and shown at the link's thresholds; export → import restores the run (and the trained
// weights, as a .bpk file, reopen the same network); the CLI's
// results file imports; a malformed file changes nothing.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const name = 'link';

const tid = (id) => `[data-testid="${id}"]`;
const setting = (field) => `[data-setting="${field}"]`;
const CLI_RUN = resolve('tests/fixtures/cli-run.json');

async function fresh(t, hash = '') {
  const page = await t.open(`/${hash}`, { fresh: true });
  await page.waitForSelector(tid('search-panel'), { timeout: 60_000 });
  return page;
}

async function controls(page) {
  return page.evaluate(() => {
    const v = (f) => document.querySelector(`[data-setting="${f}"]`)?.value;
    return {
      method: v('method'), target: v('mac-target'), rule: v('exit-rule'), cost: v('cost-convention'),
      backend: v('backend'), doe: v('doe'), iterations: v('iterations'), perIter: v('per-iter'),
      epochs: v('epochs'), supernet: v('supernet-epochs'), backbone: v('backbone'), train: v('train-samples'), seed: v('seed'),
    };
  });
}

async function setValue(page, field, value) {
  const el = page.locator(setting(field));
  if (await el.evaluate((e) => e.tagName) === 'SELECT') await el.selectOption(value);
  else await el.fill(String(value));
  await el.dispatchEvent('change');
}

export const cases = [
  {
    name: 'a hand-broken link opens with clamped values, defaults and a notice',
    timeoutMs: 120_000,
    async run(t) {
      const page = await fresh(t, '#v=1&target=1000000000000&iters=50&epochs=1000000&method=magic&seed=abc&th=7&genome=1,2,x&zzz=1');
      await page.waitForSelector(tid('url-notice'), { timeout: 10_000 });
      const c = await controls(page);
      t.assert(c.target === '1.00G', `MAC target ${c.target}, want the 1.00G maximum`);
      t.assert(c.iterations === '30' && c.epochs === '20', `iterations ${c.iterations}, epochs ${c.epochs}`);
      t.assert(c.method === 'aebnas' && c.seed === '1', `method ${c.method}, seed ${c.seed} (defaults)`);
      const keys = await page.$$eval(`${tid('url-notice')} li`, (li) => li.map((l) => l.dataset.key));
      for (const k of ['target', 'iters', 'epochs', 'method', 'seed', 'genome']) {
        t.assert(keys.includes(k), `the notice does not list ${k}: ${keys}`);
      }
      t.assert(!keys.includes('zzz'), 'unknown keys are ignored silently');
      // The hash is rewritten to what the page uses (after the next frame).
      await page.waitForFunction(() => location.hash.includes('target=1000M'), null, { timeout: 5_000 }).catch(() => {});
      const hash = await page.evaluate(() => location.hash);
      t.assert(hash.includes('target=1000M') && hash.includes('iters=30'), `hash now ${hash}`);
      t.log(`notice lists: ${keys.join(', ')}`);
    },
  },
  {
    name: 'a link of a newer format version is refused with a notice',
    timeoutMs: 60_000,
    async run(t) {
      const page = await fresh(t, '#v=9&seed=5&doe=9');
      await page.waitForSelector(tid('url-notice'), { timeout: 10_000 });
      const text = await page.locator(tid('url-notice')).textContent();
      t.assert(/version 9/.test(text), `notice: ${text}`);
      const c = await controls(page);
      t.assert(c.seed === '1' && c.doe === '8', `seed ${c.seed}, doe ${c.doe}: the defaults`);
    },
  },
  {
    name: 'controls → copy link → fresh page: same controls, same network and thresholds; export/import',
    modes: ['cpu'],
    timeoutMs: 12 * 60_000,
    async run(t) {
      let page = await fresh(t);
      page.on('dialog', (d) => d.accept());
      await setValue(page, 'seed', 7);
      await setValue(page, 'train-samples', 512);
      await setValue(page, 'mac-target', '600k');
      await setValue(page, 'cost-convention', 'taken_head');
      await setValue(page, 'doe', 3);
      // From scratch (not the shipped supernet): the link carries the backbone choice too.
      await setValue(page, 'backbone', 'own');
      // The lesson's first step selects a network (every exit off) and trains it.
      await page.click('details.classroom > summary');
      await page.click(tid('start-lesson'));
      await page.waitForSelector(`${tid('lesson')}[data-step="1"]`, { timeout: 5_000 });
      await page.click(tid('lesson-next'));
      await page.waitForSelector(`${tid('lesson')}[data-step="2"]`, { timeout: 5_000 });
      const wall0 = Date.now();
      // The linked network replaces the example the first visit opened on: a run of one.
      await page.waitForSelector(`${tid('progress')}[data-total="1"][data-state="finished"]`, { timeout: 5 * 60_000 });
      await page.waitForSelector(tid('candidate-panel'), { timeout: 5 * 60_000 });
      t.timing('linked network trained (CPU, 512 images)', Date.now() - wall0);
      await page.click(`${tid('hide-hv')}`);
      const v0 = await page.locator(tid('threshold-slider-0')).inputValue();
      t.assert(Number(v0) === 0.5, `lesson step 2 sets exit 1 to 0.50, slider says ${v0}`);
      await page.evaluate(() => {
        const s = document.querySelector('[data-testid="threshold-slider-0"]');
        s.value = '0.42';
        s.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(() => location.hash.includes('th=0.42'), null, { timeout: 5_000 });
      const before = await controls(page);
      const genome = await page.locator(tid('candidate-panel')).getAttribute('data-genome');
      await page.click(tid('copy-link'));
      const url = await page.locator(tid('share-url')).inputValue();
      t.assert(url.length < 2000, `link of ${url.length} characters`);
      for (const kv of ['seed=7', 'train=512', 'target=600k', 'cost=taken_head', 'doe=3', 'backbone=own', 'hide=hv', 'th=0.42,off']) {
        t.assert(url.includes(kv), `the link lacks ${kv}: ${url}`);
      }
      t.log(`link (${url.length} chars): ${url}`);

      // Export the run before leaving.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-run'))]);
      const dir = await mkdtemp(join(tmpdir(), 'aebnas-e2e-export-'));
      const exported = join(dir, 'run.json');
      await download.saveAs(exported);
      const json = JSON.parse(await readFile(exported, 'utf8'));
      t.assert(json.version === 2 && json.archive.length === 1 && json.archive[0].val_accuracy >= 0 && json.archive[0].test_accuracy >= 0 && json.page_caches,
        `exported run (results version ${json.version}) has its candidate with validation and test figures, and caches`);
      // And the trained weights (a burn record with the network's description).
      const [wdl] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-weights'))]);
      const weights = join(dir, 'net.bpk');
      await wdl.saveAs(weights);
      const bpk = await readFile(weights);
      t.assert(bpk.length > 10_000 && bpk.subarray(0, 4).toString('latin1') === 'NRUB', `weights file of ${bpk.length} bytes`);
      const accuracy = await page.locator(tid('accuracy')).textContent();
      const avgMacs = await page.locator(tid('avg-macs')).textContent();

      // A fresh page (empty storage) opens the link.
      await page.close();
      page = await fresh(t, new URL(url).hash);
      page.on('dialog', (d) => d.accept());
      await page.waitForSelector(tid('candidate-panel'), { timeout: 5 * 60_000 });
      const after = await controls(page);
      t.assert(JSON.stringify(after) === JSON.stringify(before), `controls ${JSON.stringify(after)} ≠ ${JSON.stringify(before)}`);
      const genome2 = await page.locator(tid('candidate-panel')).getAttribute('data-genome');
      t.assert(genome2 === genome, `network ${genome2}, want ${genome}`);
      const v1 = await page.locator(tid('threshold-slider-0')).inputValue();
      t.assert(Number(v1) === 0.42, `slider restored as ${v1}`);
      t.assert(await page.locator(`${tid('lesson')}[data-step="2"]`).count() === 1, 'lesson step restored');
      t.assert(await page.locator(tid('hv-chart')).count() === 0, 'hidden hypervolume chart stays hidden');

      // Import the exported run: same candidate, sliders work (caches came along).
      await page.setInputFiles(tid('import-file'), exported);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="pareto-point"]').length === 1, null, { timeout: 10_000 });
      await page.waitForSelector(tid('exit-rates'), { timeout: 10_000 });
      // The CLI's results file imports.
      const cli = JSON.parse(await readFile(CLI_RUN, 'utf8'));
      await page.setInputFiles(tid('import-file'), CLI_RUN);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length === n,
        cli.archive.length, { timeout: 10_000 });
      // A malformed file: a clear error, nothing changes.
      await page.setInputFiles(tid('import-file'), { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "archive": [') });
      await page.waitForSelector(tid('error-banner'), { timeout: 5_000 });
      const err = await page.locator(tid('error-banner')).last().textContent();
      t.assert(/Import failed/.test(err), `error: ${err}`);
      const count = await page.locator(tid('pareto-point')).count();
      t.assert(count === cli.archive.length, `after a bad import: ${count} points`);
      t.log(`imported the page's export (1 candidate) and the CLI's run (${cli.archive.length} candidates)`);

      // The weights file opens the same network, evaluated without training: same
      // genome, thresholds, accuracy and avg MACs as on the first page.
      const w0 = Date.now();
      await page.setInputFiles(tid('import-file'), weights);
      await page.waitForFunction((g) => {
        const panel = document.querySelector('[data-testid="candidate-panel"]');
        return panel && panel.getAttribute('data-genome') === g
          && document.querySelectorAll('[data-testid="pareto-point"]').length === 1;
      }, genome, { timeout: 2 * 60_000 });
      await page.waitForSelector(tid('exit-rates'), { timeout: 10_000 });
      t.timing('imported weights evaluated (CPU)', Date.now() - w0);
      const v2 = await page.locator(tid('threshold-slider-0')).inputValue();
      t.assert(Number(v2) === 0.42, `weights file thresholds: slider ${v2}`);
      const accuracy2 = await page.locator(tid('accuracy')).textContent();
      const avgMacs2 = await page.locator(tid('avg-macs')).textContent();
      t.assert(accuracy2 === accuracy && avgMacs2 === avgMacs,
        `imported weights: ${accuracy2} / ${avgMacs2}, trained: ${accuracy} / ${avgMacs}`);
      // A damaged weights file: a clear error, the network stays.
      await page.setInputFiles(tid('import-file'), { name: 'broken.bpk', mimeType: 'application/octet-stream', buffer: bpk.subarray(0, 200) });
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="error-banner"]')]
        .some((e) => /Import failed/.test(e.textContent) && /record|bpk/.test(e.textContent)), null, { timeout: 5_000 });
      t.assert(await page.locator(tid('pareto-point')).count() === 1, 'a bad weights file changes nothing');
      t.log(`weights (${bpk.length} bytes) re-opened: ${accuracy2}, ${avgMacs2}`);
    },
  },
];
