// Where the page's search worker spends its time: a V8 CPU profile of the worker
// thread(s) while the default search trains and evaluates its first candidate(s), recorded
// through Chromium's tracing (category `disabled-by-default-v8.cpu_profiler`, which samples
// every thread, workers included), summarised as the functions with the most self time.
//
//   node bench/worker-profile.mjs DIST [candidates=1] [OUT.txt]
//
// DIST is a built app (e.g. target/e2e-dist from scripts/test; its wasm keeps function
// names). CPU backend. A benchmark diagnostic, not a test.
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { serve } from '../tests/e2e/serve.mjs';

const [dist, want = '1', outFile] = process.argv.slice(2);
if (!dist) {
  console.error('usage: node bench/worker-profile.mjs DIST [candidates] [OUT.txt]');
  process.exit(2);
}
const server = await serve(dist, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser('cpu');
const page = await browser.context.newPage();
await page.goto(origin + '/');
await page.evaluate(() => localStorage.clear());
await page.reload({ waitUntil: 'load' });
await page.waitForSelector('[data-testid="run-search"]:not([disabled])', { timeout: 120_000 });

const cdp = await browser.context.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', {
  traceConfig: { includedCategories: ['__metadata', 'disabled-by-default-v8.cpu_profiler'] },
  transferMode: 'ReportEvents',
});
const wall0 = Date.now();
await page.click('[data-testid="run-search"]');
await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pareto-point"]').length >= n,
  Number(want), { timeout: 15 * 60_000, polling: 500 });
const seconds = (Date.now() - wall0) / 1000;
await cdp.send('Tracing.end');
await done;
await browser.close();
server.close();

// Threads named like a dedicated worker.
const workers = new Set(events
  .filter((e) => e.ph === 'M' && e.name === 'thread_name' && /Worker/i.test(e.args?.name ?? ''))
  .map((e) => `${e.pid}:${e.tid}`));
// Profile chunks carry the call tree's new nodes and the samples (node ids) with time deltas.
const nodes = new Map();
const parents = new Map();
const self = new Map();
const inclusive = new Map();
// burn operations (forward on the autodiff backend, and its backward steps) and our model's
// layers, by the names their wasm functions carry.
function operation(raw) {
  const name = raw.replace(/::h[0-9a-f]{16}$/, '');
  const back = name.match(/Autodiff<B,C>>::(\w+)::\w+ as burn_autodiff::ops::backward::Backward/);
  if (back) return `${back[1]} (backward)`;
  const fwd = name.match(/for burn_autodiff::backend::Autodiff<B,C>>::(\w+)$/);
  if (fwd) return fwd[1];
  const ours = name.match(/aebnas::model::(\w+)::(?:[\w<>]+::)*(\w+)$/);
  if (ours && !/closure|for_each_chunk/.test(name)) return `${ours[1]}::${ours[2]}`;
  const optim = name.match(/burn_optim::optim::(\w+)/);
  return optim ? `optimizer (${optim[1]})` : null;
}
let total = 0;
// Each thread's profile starts with a `Profile` event on that thread; its chunks come from
// V8's profiler thread with the same id.
const workerProfiles = new Set(events
  .filter((e) => e.name === 'Profile' && workers.has(`${e.pid}:${e.tid}`)).map((e) => e.id));
for (const e of events.filter((e) => e.name === 'ProfileChunk' && workerProfiles.has(e.id))) {
  const p = e.args?.data?.cpuProfile ?? {};
  for (const n of p.nodes ?? []) nodes.set(`${e.id}:${n.id}`, n.callFrame);
  const deltas = e.args?.data?.timeDeltas ?? [];
  for (const n of p.nodes ?? []) if (n.parent !== undefined) parents.set(`${e.id}:${n.id}`, `${e.id}:${n.parent}`);
  (p.samples ?? []).forEach((id, i) => {
    const frame = nodes.get(`${e.id}:${id}`);
    const name = frame ? (frame.functionName || `(${frame.url || 'anonymous'})`) : '?';
    const dt = deltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
    // Inclusive: every distinct operation on the sample's stack.
    const seen = new Set();
    for (let key = `${e.id}:${id}`; key; key = parents.get(key)) {
      const op = operation(nodes.get(key)?.functionName ?? '');
      if (op && !seen.has(op)) {
        seen.add(op);
        inclusive.set(op, (inclusive.get(op) ?? 0) + dt);
      }
    }
  });
}
const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
const busy = [...self].filter(([k]) => !idle.has(k)).reduce((s, [, v]) => s + v, 0);
const lines = [`${want} candidate(s) after ${seconds.toFixed(1)} s; worker samples ${(total / 1e6).toFixed(1)} s, `
  + `busy ${(busy / 1e6).toFixed(1)} s (load ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')})`,
  '## worker functions by self time (share of busy samples)'];
for (const [name, us] of [...self].filter(([k]) => !idle.has(k)).sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  lines.push(`${(100 * us / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  `
    + name.replace(/::h[0-9a-f]{16}/g, '').slice(0, 120));
}
lines.push('## operations and model functions by inclusive time (share of busy samples)');
for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  lines.push(`${(100 * us / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}
console.log(lines.join('\n'));
if (outFile) writeFileSync(outFile, lines.join('\n') + '\n');
