// The backend chosen by measurement: a first visit times a few training steps on each
// backend and trains on the faster (on the software WebGPU adapter, SwiftShader, the
// CPU), the badge shows both figures, a reload reuses the remembered measurement, the
// user's choice overrides it, a link can force a backend, and "Measure again" measures anew;
// the page fetches the WebGPU build of the search worker only when WebGPU may be picked.

export const name = 'backend';

const tid = (id) => `[data-testid="${id}"]`;
const KEY = 'aebnas.backend.v1';
// SwiftShader's first WebGPU step compiles every kernel: it can take a while.
const MEASURE_MS = 180_000;

/** Waits until the badge names a backend; returns what it shows. */
async function badge(page, timeout = MEASURE_MS) {
  await page.waitForSelector(`${tid('backend-badge')}:not([data-backend="pending"])`, { timeout });
  return page.evaluate(() => {
    const b = document.querySelector('[data-testid="backend-badge"]');
    return {
      kind: b.getAttribute('data-backend'),
      label: b.querySelector('[data-testid="backend-label"]')?.textContent.trim(),
      figures: b.querySelector('[data-testid="backend-figures"]')?.textContent.trim() ?? null,
      title: b.getAttribute('title'),
    };
  });
}

const stored = (page) => page.evaluate((key) => localStorage.getItem(key), KEY);

async function choose(page, value) {
  const select = page.locator('[data-setting="backend"]');
  await select.selectOption(value);
  await select.dispatchEvent('change');
}

export const cases = [
  {
    name: 'measured once, remembered, overridden, forced by a link, measured again',
    timeoutMs: 600_000,
    async run(t) {
      const gpu = t.mode === 'webgpu' && t.webgpu.available;
      const started = Date.now();
      // Which builds of the search worker the page fetches (CPU-only or with WebGPU).
      const builds = [];
      const watchBuilds = (p) => p.on('request', (r) => {
        const m = /\/aebnas-worker(-webgpu)?_bg\.wasm$/.exec(r.url());
        if (m) builds.push(m[1] ? 'webgpu' : 'cpu');
      });
      const fetched = () => builds.splice(0).join(',');
      const hasApi = (p) => p.evaluate(() => !!navigator.gpu);
      const page = await t.open('/', { fresh: true, forgetBackend: true, beforeGoto: watchBuilds });
      const first = await badge(page);
      t.log(`navigator.gpu: ${await hasApi(page) ? 'present' : 'missing'}`);
      // A first visit measures: the WebGPU build where the browser gives the page an
      // adapter, else only the CPU-only build.
      let got = fetched();
      t.assert(got === (gpu ? 'webgpu' : 'cpu'), `first visit fetched worker builds [${got}]`);
      t.timing('first visit: backend measured', Date.now() - started);
      t.log(`badge: ${first.label} ${first.figures} — ${first.title}`);
      t.assert(first.figures !== null, 'the badge shows no measured figures');
      if (gpu) {
        // The software adapter is far slower than the CPU backend.
        t.assert(first.kind === 'cpu' && first.label === 'CPU', `SwiftShader should lose to the CPU, badge says ${first.label}`);
        t.assert(/^· WebGPU (\d+(\.\d)? ms\/step|over the \d+ s cap) vs CPU \d+(\.\d)? ms\/step$/.test(first.figures),
          `expected both figures, got "${first.figures}"`);
        t.assert(/WebGPU adapter: /.test(first.title), `the tooltip should name the adapter: ${first.title}`);
      } else {
        t.assert(first.kind === 'cpu', `no adapter: expected CPU, got ${first.kind}`);
        t.assert(/^· WebGPU unavailable vs CPU \d+(\.\d)? ms\/step$/.test(first.figures), `expected the CPU's figure, got "${first.figures}"`);
        t.assert(/WebGPU unavailable/.test(first.title), `the tooltip should say why WebGPU is out: ${first.title}`);
      }
      const remembered = await stored(page);
      t.assert(remembered && JSON.parse(remembered).cpu.outcome === 'measured', `nothing usable remembered: ${remembered}`);

      // A reload uses the remembered measurement: same figures, same stored value, fast.
      const reloaded = Date.now();
      await page.reload({ waitUntil: 'load' });
      const again = await badge(page, 60_000);
      t.timing('reload: remembered backend shown', Date.now() - reloaded);
      t.assert(again.figures === first.figures && again.kind === first.kind,
        `reload shows "${again.label} ${again.figures}", expected the remembered "${first.label} ${first.figures}"`);
      t.assert(await stored(page) === remembered, 'the reload measured again');
      // The CPU won (or WebGPU is out), so a later visit fetches only the CPU-only build.
      got = fetched();
      t.assert(got === 'cpu', `the reload fetched worker builds [${got}], expected only the CPU-only one`);

      // The user's choice overrides the measurement; "auto" brings it back unmeasured.
      await page.waitForSelector('[data-setting="backend"]', { timeout: 60_000 });
      await choose(page, 'cpu');
      await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.title === 'CPU chosen in the settings');
      const cpu = await badge(page);
      t.assert(cpu.kind === 'cpu' && cpu.figures === null, `CPU override: ${JSON.stringify(cpu)}`);
      if (gpu) {
        await choose(page, 'webgpu');
        await page.waitForSelector(`${tid('backend-badge')}[data-backend="webgpu"]`, { timeout: 60_000 });
        const forced = await badge(page);
        t.assert(forced.figures === null && /WebGPU adapter/.test(forced.title), `WebGPU override: ${JSON.stringify(forced)}`);
        got = fetched();
        t.assert(got === 'webgpu', `choosing WebGPU fetched worker builds [${got}]`);
      }
      await choose(page, 'auto');
      await page.waitForFunction((f) => document.querySelector('[data-testid="backend-figures"]')?.textContent.trim() === f, first.figures);
      t.assert(await stored(page) === remembered, 'choosing auto again measured again');

      // A link that forces a backend opens on it without measuring or looping.
      if (gpu) {
        const linked = await t.open('/#v=1&backend=webgpu');
        const l = await badge(linked, 60_000);
        t.assert(l.kind === 'webgpu' && l.figures === null, `a backend=webgpu link shows ${JSON.stringify(l)}`);
        t.assert(await stored(linked) === remembered, 'a link changed the remembered measurement');
        await linked.close();
      }

      // "Measure again" times both backends anew and remembers the new figures. A quiet
      // machine can give the same figures twice, so the case does not wait for a different
      // stored value: it watches the badge go through "measuring" and the measurement be
      // written to storage after it (setItem is wrapped: a page sees no storage event of
      // its own writes).
      await page.evaluate((key) => {
        const seen = { measuring: false, written: false };
        window.__measureAgain = seen;
        new MutationObserver(() => {
          const b = document.querySelector('[data-testid="backend-badge"]');
          if (b?.getAttribute('data-backend') === 'pending') seen.measuring = true;
        }).observe(document.body, { attributes: true, childList: true, subtree: true });
        const set = Storage.prototype.setItem;
        Storage.prototype.setItem = function (k, v) {
          if (k === key && seen.measuring) seen.written = true;
          return set.call(this, k, v);
        };
      }, KEY);
      const button = page.locator(tid('measure-backends'));
      const remeasured = Date.now();
      await button.click();
      await page.waitForFunction(() => window.__measureAgain.written
        && document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend') !== 'pending',
      null, { timeout: MEASURE_MS });
      t.log(`stored measurement ${await stored(page) === remembered ? 'the same as before' : 'changed'}`);
      const fresh = await badge(page);
      t.timing('measure again', Date.now() - remeasured);
      // Measuring again needs the WebGPU build where there is an adapter (the WebGPU
      // choice above fetched it already), else the CPU-only build that runs.
      got = fetched();
      t.assert(got === '', `measuring again fetched worker builds [${got}]`);
      t.log(`measured again: ${fresh.label} ${fresh.figures}`);
      t.assert(fresh.figures !== null && fresh.kind === first.kind, `after measuring again: ${JSON.stringify(fresh)}`);
    },
  },
  {
    name: 'the CPU-only worker standing in for the WebGPU one: the badge says why, and what the build lacks is not remembered',
    timeoutMs: 300_000,
    async run(t) {
      // What `scripts/serve` serves while it still builds the WebGPU worker: the CPU-only
      // build's loader under the WebGPU build's name.
      const standIn = (p) => p.route('**/aebnas-worker-webgpu_loader.js', (route) => route.fulfill({
        contentType: 'text/javascript',
        body: 'importScripts("./aebnas-worker.js");wasm_bindgen("./aebnas-worker_bg.wasm");',
      }));
      const page = await t.open('/', { fresh: true, forgetBackend: true, beforeGoto: standIn });
      const b = await badge(page);
      t.log(`badge: ${b.label} ${b.figures} — ${b.title}`);
      t.assert(b.kind === 'cpu' && /^· WebGPU unavailable vs CPU \d+(\.\d)? ms\/step$/.test(b.figures ?? ''),
        `expected the CPU's figure alone, got ${JSON.stringify(b)}`);
      if (t.mode === 'webgpu' && t.webgpu.available) {
        t.assert(/this worker is the CPU-only build/.test(b.title), `the tooltip should say why: ${b.title}`);
        t.assert(await stored(page) === null, 'a measurement without the WebGPU build was remembered');
      } else {
        // No adapter: the page fetches the CPU-only build, which says so; that answer is
        // about the browser, so it is remembered.
        t.assert(/offers no WebGPU adapter/.test(b.title), `the tooltip should say why: ${b.title}`);
        t.assert(await stored(page) !== null, 'the browser\'s "no adapter" was not remembered');
      }
    },
  },
];
