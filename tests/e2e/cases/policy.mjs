// The security policy as the server sends it (serve.mjs): every response carries the
// Content-Security-Policy header (the index.html `<meta>` policy plus frame-ancestors),
// nosniff and Cross-Origin-Opener-Policy; the app's worker, whose policy comes from its
// script's response, cannot fetch another origin; a page on another origin cannot frame
// the app.
import { createServer } from 'node:http';

export const name = 'policy';

const tid = (id) => `[data-testid="${id}"]`;
const CSP_CONSOLE = /Content Security Policy|Refused to (connect|frame|display)|frame-ancestors/;

/** Starts a server on another port of 127.0.0.1 (another origin) that counts its hits. */
async function otherOrigin(body = 'off-origin answer', type = 'text/plain') {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' }).end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, hits, origin: `http://127.0.0.1:${server.address().port}` };
}

/** The directives of a policy header as a map: name → source list. */
function directives(policy) {
  return new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [key, ...rest] = d.split(/\s+/);
    return [key, rest.join(' ')];
  }));
}

export const cases = [
  {
    name: 'every response of the server carries the policy headers, the worker script included',
    modes: ['cpu'],
    timeoutMs: 60_000,
    async run(t) {
      const page = await t.open('/', {
        async beforeGoto(p) { p.__worker = p.waitForEvent('worker', { timeout: 30_000 }); },
      });
      const worker = await page.__worker;
      const paths = ['/', new URL(worker.url()).pathname, '/data/datasets.json', '/no-such-file'];
      const wasm = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).find((p) => p.endsWith('.wasm')));
      if (wasm) paths.push(wasm);
      const meta = await page.evaluate(() =>
        document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
      t.assert(meta.includes("connect-src 'self'"), `the page's <meta> policy lacks connect-src 'self': ${meta}`);
      for (const path of paths) {
        const res = await fetch(t.origin + path);
        const csp = res.headers.get('content-security-policy') ?? '';
        const d = directives(csp);
        t.assert(d.get('frame-ancestors') === "'none'", `${path}: no frame-ancestors 'none' in "${csp}"`);
        t.assert(d.get('connect-src') === "'self'", `${path}: connect-src is not 'self' in "${csp}"`);
        t.assert(d.get('script-src') === directives(meta).get('script-src'),
          `${path}: script-src differs from the page's <meta> policy`);
        t.assert(csp.startsWith(meta.trim().replace(/;\s*$/, '')), `${path}: the header is not the <meta> policy: "${csp}"`);
        t.assert(res.headers.get('x-content-type-options') === 'nosniff', `${path}: no X-Content-Type-Options: nosniff`);
        t.assert(res.headers.get('cross-origin-opener-policy') === 'same-origin', `${path}: no Cross-Origin-Opener-Policy: same-origin`);
      }
      t.log(`checked ${paths.join(', ')}; worker script ${worker.url().replace(t.origin, '')}`);
    },
  },
  {
    name: "the app's worker cannot fetch another origin",
    modes: ['cpu'],
    timeoutMs: 60_000,
    async run(t) {
      const other = await otherOrigin();
      try {
        const page = await t.open('/', {
          allowConsoleError: (text) => CSP_CONSOLE.test(text),
          async beforeGoto(p) { p.__worker = p.waitForEvent('worker', { timeout: 30_000 }); },
        });
        const worker = await page.__worker;
        const result = await worker.evaluate(async (url) => {
          const violations = [];
          self.addEventListener('securitypolicyviolation', (e) =>
            violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, policy: e.originalPolicy }));
          let outcome;
          try {
            const res = await fetch(url);
            outcome = `fetched: ${res.status} ${await res.text()}`;
          } catch (e) {
            outcome = `rejected: ${e.name}: ${e.message}`;
          }
          await new Promise((r) => setTimeout(r, 100)); // the violation event is queued
          return { outcome, violations };
        }, `${other.origin}/probe`);
        t.log(`worker ${worker.url().replace(t.origin, '')}: ${result.outcome}`);
        t.assert(result.outcome.startsWith('rejected'), `the worker fetched another origin: ${result.outcome}`);
        t.assert(other.hits.length === 0, `the other origin was reached: ${other.hits.join(', ')}`);
        const v = result.violations[0];
        t.assert(v && v.directive === 'connect-src', `no connect-src violation reported: ${JSON.stringify(result.violations)}`);
        // frame-ancestors only exists in the header: the worker enforces the header's policy.
        t.assert(/frame-ancestors 'none'/.test(v.policy), `the worker's policy is not the header's: ${v.policy}`);
        t.log(`violation: ${v.directive} blocked ${v.blocked}`);
        // The app itself still works within the policy: the worker answered the page.
        await page.waitForSelector(`${tid('backend-badge')}:not([data-backend="pending"])`, { timeout: 60_000 });
      } finally {
        other.server.close();
      }
    },
  },
  {
    name: 'a page on another origin cannot frame the app',
    modes: ['cpu'],
    timeoutMs: 60_000,
    async run(t) {
      const other = await otherOrigin(
        `<!doctype html><title>framer</title><iframe id="app" src="${t.origin}/"></iframe>`, 'text/html');
      const page = await t.context.newPage();
      try {
        const requests = [];
        page.on('request', (r) => requests.push(r.url()));
        page.on('console', () => {}); // the refusal is logged on the framer's console: expected
        await page.goto(`${other.origin}/framer.html`, { waitUntil: 'load' });
        await page.waitForTimeout(500);
        const frame = page.frames().find((f) => f !== page.mainFrame());
        const frameUrl = frame?.url() ?? '(no frame)';
        const appLoaded = frame ? await frame.evaluate(() => !!document.querySelector('[data-testid]')).catch(() => false) : false;
        const assets = requests.filter((u) => u.startsWith(t.origin) && /\.(js|wasm|css)$/.test(new URL(u).pathname));
        t.log(`frame url: ${frameUrl}; app asset requests: ${assets.length}`);
        t.assert(requests.includes(`${t.origin}/`), `the framer never asked for the app (requests: ${requests.join(', ')})`);
        t.assert(!appLoaded, 'the app rendered inside a frame of another origin');
        t.assert(assets.length === 0, `the framed app loaded its scripts: ${assets.join(', ')}`);
        t.assert(frameUrl !== `${t.origin}/`, `the frame shows the app: ${frameUrl}`);
      } finally {
        await page.close();
        other.server.close();
      }
    },
  },
];
