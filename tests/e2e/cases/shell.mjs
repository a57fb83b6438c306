// The app shell (issue 2): real sample images, the backend badge, smoke training on the
// selected backend, the dataset picker, and an error banner for a corrupt data file.
import { join } from 'node:path';

export const name = 'shell';

const tid = (id) => `[data-testid="${id}"]`;

/** Waits for the sample grid to be painted; returns per-canvas pixel statistics. */
async function paintedSamples(page, timeout = 60_000) {
  await page.waitForSelector(`${tid('sample-grid')}[data-painted-ms]`, { timeout });
  return page.evaluate(() => {
    const grid = document.querySelector('[data-testid="sample-grid"]');
    const canvases = [...grid.querySelectorAll('canvas')];
    return {
      paintedMs: Number(grid.getAttribute('data-painted-ms')),
      captions: [...grid.querySelectorAll('figcaption')].map((f) => f.textContent),
      canvases: canvases.map((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let lit = 0, min = 255, max = 0, opaque = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i] > 0 || data[i + 1] > 0 || data[i + 2] > 0) lit += 1;
          if (data[i + 3] === 255) opaque += 1;
          min = Math.min(min, data[i]); max = Math.max(max, data[i]);
        }
        return { w: c.width, h: c.height, lit, min, max, opaque, pixels: data.length / 4 };
      }),
    };
  });
}

function checkNonBlank(t, stats, minCount) {
  t.assert(stats.canvases.length >= minCount,
    `expected at least ${minCount} sample canvases, found ${stats.canvases.length}`);
  stats.canvases.forEach((c, i) => {
    t.assert(c.opaque === c.pixels, `sample ${i}: canvas not fully drawn (${c.opaque}/${c.pixels} opaque pixels)`);
    t.assert(c.lit > 0 && c.max > c.min, `sample ${i}: canvas is blank (lit=${c.lit}, min=${c.min}, max=${c.max})`);
  });
}

async function badge(page) {
  const el = page.locator(tid('backend-badge'));
  // A first visit times both backends (SwiftShader's first WebGPU step is slow).
  await page.waitForSelector(`${tid('backend-badge')}:not([data-backend="pending"])`, { timeout: 180_000 });
  return {
    text: (await el.locator(tid('backend-label')).textContent()).trim(),
    kind: await el.getAttribute('data-backend'),
    title: await el.getAttribute('title'),
  };
}

export const cases = [
  {
    name: 'real test images render on non-blank canvases',
    timeoutMs: 90_000,
    async run(t) {
      const page = await t.open('/');
      const stats = await paintedSamples(page);
      t.timing('time to first sample paint (performance.now at putImageData)', stats.paintedMs);
      t.timing('time to first sample paint (wall, from goto)', Date.now() - page.__openedAt);
      checkNonBlank(t, stats, 20);
      t.assert(stats.captions.includes('Ankle boot') && stats.captions.includes('T-shirt/top'),
        `Fashion-MNIST class names expected by default, got: ${[...new Set(stats.captions)].join(', ')}`);
      t.log(`${stats.canvases.length} samples, ${new Set(stats.captions).size} classes`);
    },
  },
  {
    name: 'backend badge shows the backend and why',
    timeoutMs: 240_000,
    async run(t) {
      const page = await t.open('/');
      const b = await badge(page);
      t.timing('backend selected', Date.now() - page.__openedAt);
      t.log(`badge: ${b.text} — ${b.title}`);
      t.assert(b.title && b.title.length > 0, 'badge has no title explaining the backend');
      // The default choice is the faster backend by measurement (the backend group checks
      // the figures): with an adapter either may win, without one it is the CPU.
      if (t.mode === 'webgpu' && t.webgpu.available) {
        t.assert(['WebGPU', 'CPU'].includes(b.text) && b.kind === b.text.toLowerCase(), `badge says ${b.text} (${b.kind})`);
        t.assert(/by measurement: WebGPU .* vs CPU /.test(b.title), `the badge should give both figures, got: ${b.title}`);
      } else {
        if (t.mode === 'webgpu') t.log(`NOTE: no WebGPU adapter in this browser (${t.webgpu.reason}); expecting CPU`);
        t.assert(b.text === 'CPU' && b.kind === 'cpu', `expected the CPU badge, got ${b.text}`);
        t.assert(/WebGPU unavailable/.test(b.title), `CPU badge should say why WebGPU is unavailable, got: ${b.title}`);
        t.assert(b.title.length < 160 && !b.title.includes('\n'), `the reason should be one short line, got: ${b.title}`);
      }
      const detail = (await page.locator(tid('backend-detail')).textContent()).trim();
      t.assert(detail === b.title, `backend detail "${detail}" differs from the badge title "${b.title}"`);
    },
  },
  {
    name: 'smoke train runs on the selected backend and the loss decreases',
    // SwiftShader (software WebGPU on 2 cores) compiles each new kernel on the page's
    // thread, so the first WebGPU steps block the page for many seconds: long timeouts.
    // It also takes ≈ 4 s a step, so the WebGPU browser trains 8 steps (set in the
    // steps input) instead of the default 20 the CPU browser trains. The measurement would
    // pick the CPU there, so the WebGPU browser asks for WebGPU (`backend=webgpu`).
    timeoutMs: 1_200_000,
    async run(t) {
      const page = await t.open(t.mode === 'webgpu' ? '/#v=1&backend=webgpu' : '/');
      const b = await badge(page);
      const button = page.locator(tid('smoke-train'));
      await page.waitForSelector(`${tid('smoke-train')}:not([disabled])`, { timeout: 120_000 });
      const stepsInput = page.locator(`${tid('smoke-steps')} input`);
      const shownSteps = Number(await stepsInput.inputValue());
      t.assert(shownSteps === 20, `the steps input shows ${shownSteps}, expected the default 20`);
      const steps = t.mode === 'webgpu' ? 8 : 20;
      if (steps !== shownSteps) {
        await stepsInput.fill(String(steps));
        await stepsInput.dispatchEvent('change');
        await page.waitForFunction((n) => document.querySelector('[data-testid="smoke-steps"] input').value === String(n), steps);
      }
      const started = Date.now();
      await button.click({ timeout: 300_000, noWaitAfter: true });
      await page.waitForSelector(`${tid('smoke-panel')}:is([data-state="running"], [data-state="done"], [data-state="failed"])`, { timeout: 300_000 });
      await page.waitForSelector(`${tid('smoke-panel')}:is([data-state="done"], [data-state="failed"])`, { timeout: 900_000 });
      const elapsed = Date.now() - started;
      const panel = page.locator(tid('smoke-panel'));
      const state = await panel.getAttribute('data-state');
      const errors = await page.locator(tid('error-banner')).allTextContents();
      t.assert(state === 'done', `smoke training failed: ${errors.join(' | ') || '(no message)'}`);
      const losses = JSON.parse(await panel.getAttribute('data-losses'));
      const shown = Number((await page.locator(tid('smoke-loss')).textContent()).trim());
      t.timing(`smoke train (${losses.length} steps on ${b.text})`, elapsed);
      t.log(`losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
      t.assert(losses.length === steps, `expected ${steps} losses (the steps input), got ${losses.length}`);
      t.assert(losses.every(Number.isFinite), `non-finite loss in ${JSON.stringify(losses)}`);
      t.assert(losses.at(-1) < losses[0], `loss did not decrease: first ${losses[0]}, last ${losses.at(-1)}`);
      t.assert(Number.isFinite(shown) && Math.abs(shown - losses.at(-1)) < 1e-3,
        `smoke-loss shows "${shown}", expected the last loss ${losses.at(-1)}`);
      const points = await page.locator(`${tid('smoke-sparkline')} polyline`).getAttribute('points');
      t.assert(points && points.trim().split(/\s+/).length === losses.length, 'sparkline does not plot every loss');
      if (t.artifacts) {
        const shot = join(t.artifacts, `aebnas-page-${t.mode}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        t.log(`screenshot: ${shot}`);
      }
    },
  },
  {
    name: 'a worker that cannot start: the badge says "No backend" and why',
    modes: ['cpu'],
    timeoutMs: 60_000,
    async run(t) {
      const page = await t.open('/', {
        allowConsoleError: (text) => /broken deploy/.test(text),
        async beforeGoto(p) {
          // A deploy whose worker script throws as it loads.
          await p.route('**/aebnas-worker*.js', (route) => route.fulfill({
            status: 200, contentType: 'text/javascript', body: 'throw new Error("broken deploy");',
          }));
        },
      });
      const b = await badge(page);
      t.log(`badge: ${b.text} — ${b.title}`);
      t.assert(b.kind === 'none' && b.text === 'No backend', `expected "No backend", got ${b.text} (${b.kind})`);
      t.assert(/broken deploy/.test(b.title), `the badge should say why, got: ${b.title}`);
      await paintedSamples(page);
      const banner = (await page.locator(tid('error-banner')).allTextContents()).join(' | ');
      t.assert(/broken deploy/.test(banner), `an error banner should say why, got: ${banner || '(none)'}`);
    },
  },
  {
    name: 'dataset picker switches to MNIST',
    modes: ['cpu'],
    timeoutMs: 90_000,
    async run(t) {
      const page = await t.open('/');
      await paintedSamples(page);
      await page.selectOption(tid('dataset-picker'), 'mnist');
      await page.waitForFunction(() => {
        const grid = document.querySelector('[data-testid="sample-grid"]');
        const caps = [...(grid?.querySelectorAll('figcaption') ?? [])].map((f) => f.textContent);
        return grid?.hasAttribute('data-painted-ms') && caps.length > 0 && caps.every((c) => /^\d$/.test(c));
      }, null, { timeout: 60_000 });
      const stats = await paintedSamples(page);
      checkNonBlank(t, stats, 20);
      t.assert(await page.locator(tid('error-banner')).count() === 0, 'an error banner appeared');
      await page.waitForSelector(`${tid('smoke-train')}:not([disabled])`, { timeout: 60_000 });
    },
  },
  {
    name: 'a corrupt data file shows an error banner, no panic',
    modes: ['cpu'],
    timeoutMs: 60_000,
    async run(t) {
      const page = await t.open('/', {
        async beforeGoto(p) {
          await p.route('**/data/fashion-mnist-test-images-idx3-ubyte.gz', async (route) => {
            const real = await route.fetch();
            const body = (await real.body()).subarray(0, 5000); // truncated gzip stream
            await route.fulfill({ status: 200, contentType: 'application/gzip', body });
          });
        },
      });
      await page.waitForSelector(tid('error-banner'), { timeout: 30_000 });
      const text = (await page.locator(tid('error-banner')).first().textContent()).trim();
      t.log(`banner: ${text}`);
      t.assert(/Could not load Fashion-MNIST/.test(text), `unexpected banner text: ${text}`);
      const status = (await page.locator(tid('dataset-status')).textContent()).trim();
      t.assert(/Failed/.test(status), `dataset status should say it failed, got: ${status}`);
      t.assert(await page.locator(`${tid('smoke-train')}[disabled]`).count() === 1, 'smoke train should be disabled without data');
      await page.click(tid('error-dismiss'));
      t.assert(await page.locator(tid('error-banner')).count() === 0, 'dismiss did not remove the banner');
    },
  },
];
