// "Use your own data" (issue 8): a truncated file shows one-line error and changes
// nothing; the CIFAR-10 fixture is detected (format, 10 classes with the fixture's
// counts, real pixels), used, kept over a reload (still listed and selected), searched
// on in the worker (cancelled after the first training step); a fresh browser opening
// the link is told which files to load and falls back to the shipped default; removing
// asks first and deletes it.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchBrowser } from '../harness.mjs';

export const name = 'user_data';

const tid = (id) => `[data-testid="${id}"]`;
const CIFAR = resolve('tests/fixtures/cifar10/test_batch.bin');
const TRUNCATED = resolve('tests/fixtures/truncated/test_batch.bin');
const FASHION = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 'test-images-idx3-ubyte.gz',
  'test-labels-idx1-ubyte.gz'].map((f) => resolve(`www/data/fashion-mnist-${f}`));
const SUPERNET = resolve('www/data/fashion-mnist-supernet.bpk');
const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

async function picker(page) {
  return page.locator(tid('dataset-picker')).inputValue();
}

/** Whether every canvas under `selector` holds more than one colour. */
async function canvasesPainted(page, selector) {
  return page.$$eval(`${selector} canvas`, (cs) => cs.length > 0 && cs.every((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return true;
    return false;
  }));
}

export const cases = [
  {
    name: 'load CIFAR-10 files, use them, reload, search, link elsewhere, remove',
    timeoutMs: 5 * 60_000,
    async run(t) {
      const bytes = await readFile(CIFAR);
      const want = new Array(10).fill(0);
      for (let i = 0; i < bytes.length; i += 3073) want[bytes[i]] += 1;

      const page = await t.open('/#v=1&backend=cpu', { fresh: true });
      await page.waitForSelector(tid('user-data-panel'), { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="dataset-status"] .status-ok'), null, { timeout: 60_000 });
      t.assert(await page.locator(tid('user-data-panel')).innerText().then((s) => s.includes('256 MB')), 'the size limit is not stated');

      // A truncated file: one line, nothing changes.
      await page.setInputFiles(tid('user-data-input'), TRUNCATED);
      const error = await page.waitForSelector(tid('user-data-error'), { timeout: 30_000 });
      const message = (await error.innerText()).trim();
      t.assert(/truncated|needs|bytes/i.test(message) && !message.includes('\n'), `error message: ${message}`);
      t.assert(await page.locator(tid('user-data-summary')).count() === 0, 'a summary appeared for a broken file');
      t.assert(await picker(page) === 'fashion-mnist', 'the selection changed after an error');
      t.assert(await page.locator(`${tid('dataset-picker')} optgroup`).count() === 0, 'a broken file was stored');

      // The CIFAR-10 fixture: format, classes with counts, real pixels.
      const t0 = Date.now();
      await page.setInputFiles(tid('user-data-input'), CIFAR);
      await page.waitForSelector(tid('user-data-summary'), { timeout: 30_000 });
      t.timing('files read and converted', Date.now() - t0);
      t.assert(await page.locator(tid('user-data-error')).count() === 0, 'the error stayed after a good file');
      const format = await page.locator(tid('user-data-format')).innerText();
      t.assert(format.includes('CIFAR-10'), `format ${format}`);
      const shape = await page.locator(tid('user-data-shape')).innerText();
      const [train, test] = (shape.match(/(\d+) train \+ (\d+) test/) ?? []).slice(1).map(Number);
      t.assert(shape.includes('3×32×32') && train + test === 20 && test > 0, `shape ${shape}`);
      const rows = await page.$$eval(`${tid('user-data-classes')} tbody tr`,
        (tr) => tr.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent)]));
      t.assert(JSON.stringify(rows) === JSON.stringify(CLASSES.map((c, i) => [c, want[i]])),
        `classes/counts ${JSON.stringify(rows)}, want ${JSON.stringify(want)}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-data-samples"] canvas').length > 0);
      t.assert(await canvasesPainted(page, tid('user-data-samples')), 'a preview canvas is blank');

      // Use it: stored, selected, loaded; the link names the files.
      await page.click(tid('user-data-use'));
      await page.waitForFunction(() => document.querySelector('[data-testid="dataset-picker"]').value.startsWith('user-'), null, { timeout: 30_000 });
      const id = await picker(page);
      await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 30_000 });
      await page.waitForSelector(`${tid('sample-grid')}[data-painted-ms] canvas`, { timeout: 30_000 });
      t.assert(await canvasesPainted(page, tid('sample-grid')), 'a test-image canvas is blank');
      await page.waitForFunction((id) => location.hash.includes(`data=${id}`), id, { timeout: 5_000 }).catch(() => {});
      const hash = await page.evaluate(() => location.hash);
      t.assert(hash.includes(`data=${id}`) && hash.includes('files=test_batch.bin'), `hash ${hash}`);

      // Reload: still listed and selected.
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
      t.assert(await picker(page) === id, `after the reload the picker shows ${await picker(page)}`);
      t.assert(await page.locator(`${tid('user-data-panel')} li[data-id="${id}"]`).count() === 1, 'not listed after the reload');

      // A search on it runs in the worker (which reads the stored files); stop at the first step.
      const s0 = Date.now();
      await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 30_000 });
      await page.click(tid('run-search'));
      await page.waitForFunction(() => /Candidate|supernet/i.test(document.querySelector('[data-testid="progress"] .progress-phase')?.textContent ?? ''),
        null, { timeout: 120_000 });
      t.timing('search on the user data: first training step', Date.now() - s0);
      await page.click(tid('stop-search'));
      await page.waitForFunction(() => !['running', 'pausing'].includes(document.querySelector('[data-testid="progress"]').dataset.state),
        null, { timeout: 60_000 });

      // A fresh browser opening the link: told which files to load, default dataset shown.
      const other = await launchBrowser(t.mode);
      try {
        const p2 = await other.context.newPage();
        const problems = [];
        p2.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
        p2.on('pageerror', (e) => problems.push(e.message));
        await p2.goto(`${t.origin}/${hash}`, { waitUntil: 'load' });
        const notice = await p2.waitForSelector(tid('user-data-missing'), { timeout: 60_000 });
        const files = await p2.$$eval(tid('user-data-missing-file'), (c) => c.map((x) => x.textContent));
        t.assert(JSON.stringify(files) === '["test_batch.bin"]', `the notice names ${files}: ${await notice.innerText()}`);
        await p2.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
        t.assert(await picker(p2) === 'fashion-mnist', `the fresh browser shows ${await picker(p2)}`);
        t.assert(problems.length === 0, `fresh browser: ${problems.join('; ')}`);
      } finally {
        await other.close();
      }

      // Remove (asks first): gone from the list and the picker; the default is selected.
      page.once('dialog', (d) => d.accept());
      await page.click(`${tid('user-data-panel')} li[data-id="${id}"] ${tid('user-data-remove')}`);
      await page.waitForFunction(() => !document.querySelector('[data-testid="dataset-picker"] optgroup'), null, { timeout: 30_000 });
      t.assert(await picker(page) === 'fashion-mnist', `after removing, the picker shows ${await picker(page)}`);
    },
  },
  {
    name: 'a supernet for one\'s own data: a non-supernet file refused, a fitting one imported, inherited by a search, removed',
    modes: ['cpu'],
    timeoutMs: 5 * 60_000,
    async run(t) {
      const page = await t.open('/#v=1&backend=cpu&doe=1&iters=0&train=256', { fresh: true });
      await page.waitForSelector(`${tid('dataset-status')} .status-ok`, { timeout: 60_000 });
      // The shipped Fashion-MNIST IDX files, loaded as the user's own 1×28×28 dataset.
      await page.setInputFiles(tid('user-data-input'), FASHION);
      await page.waitForSelector(tid('user-data-summary'), { timeout: 60_000 });
      await page.click(tid('user-data-use'));
      await page.waitForFunction(() => document.querySelector('[data-testid="dataset-picker"]').value.startsWith('user-'), null, { timeout: 60_000 });
      const id = await picker(page);
      const item = `${tid('user-data-panel')} li[data-id="${id}"]`;
      t.assert(await page.locator(`${item} ${tid('user-supernet')}`).getAttribute('data-state') === 'none', 'a supernet before any import');

      // A file that is not a supernet: one line, nothing stored.
      await page.setInputFiles(`${item} ${tid('user-supernet-input')}`, { name: 'junk.bpk', mimeType: 'application/octet-stream', buffer: Buffer.from('not a burn record') });
      const error = (await (await page.waitForSelector(tid('user-data-error'), { timeout: 30_000 })).innerText()).trim();
      t.assert(/not imported.*not a burn record/.test(error), `error: ${error}`);
      t.assert(await page.locator(`${item} ${tid('user-supernet')}`).getAttribute('data-state') === 'none', 'a junk file was kept');

      // The shipped Fashion-MNIST supernet fits (1×28×28, 10 classes): imported and listed.
      await page.setInputFiles(`${item} ${tid('user-supernet-input')}`, SUPERNET);
      await page.waitForSelector(`${item} ${tid('user-supernet')}[data-state="imported"]`, { timeout: 30_000 });
      const note = await page.locator(`${item} ${tid('user-supernet')}`).innerText();
      t.assert(/10 epochs on 50000 images/.test(note), `supernet note: ${note}`);
      t.log(note.split('\n')[0]);

      // A search on the dataset inherits it: the stored run names the imported supernet.
      await page.waitForSelector(`${tid('run-search')}:not([disabled])`, { timeout: 30_000 });
      await page.click(tid('run-search'));
      await page.waitForSelector(`${tid('progress')}[data-state="finished"]`, { timeout: 4 * 60_000, polling: 500 });
      await page.waitForFunction(() => JSON.parse(localStorage.getItem('aebnas.v1.run') ?? 'null')?.archive?.length === 1,
        null, { timeout: 30_000 });
      const run = await page.evaluate(() => JSON.parse(localStorage.getItem('aebnas.v1.run')));
      t.assert(JSON.stringify(run.settings.supernet) === '{"file":"supernet.bpk"}', `the run's backbone source: ${JSON.stringify(run.settings.supernet)}`);
      const acc = run.archive[0].test_accuracy;
      t.assert(acc > 0.5, `the inherited candidate scores ${acc} on test`);
      t.log(`one inherited candidate on the user's copy of Fashion-MNIST: ${(100 * acc).toFixed(1)} % test accuracy`);

      // Removing the supernet keeps the dataset.
      await page.click(`${item} ${tid('user-supernet-remove')}`);
      await page.waitForSelector(`${item} ${tid('user-supernet')}[data-state="none"]`, { timeout: 30_000 });
      t.assert(await picker(page) === id, 'the dataset went with its supernet');
      await page.close();
    },
  },
];
