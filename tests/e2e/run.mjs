// End-to-end tests of the built web app in the system's headless Chromium.
// Usage: node tests/e2e/run.mjs <dist-dir>
//   E2E_MODES=webgpu,cpu   which browser set-ups to run (default: both)
//   E2E_ARTIFACTS=/tmp/... where screenshots go (default: the OS temp dir)
//   E2E_GROUPS=search     only these case groups (default: all)
// Serves <dist-dir> on 127.0.0.1 (serve.mjs), then runs every case group in cases/ once
// with WebGPU exposed (--enable-unsafe-webgpu: SwiftShader) and once without (CPU
// fallback). Exits non-zero if any case fails.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from './serve.mjs';
import { launchBrowser, probeWebGpu, runCases } from './harness.mjs';
import * as shell from './cases/shell.mjs';
import * as search from './cases/search.mjs';
import * as link from './cases/link.mjs';
import * as userData from './cases/user_data.mjs';
import * as policy from './cases/policy.mjs';
import * as storage from './cases/storage.mjs';
import * as backend from './cases/backend.mjs';
import * as hostile from './cases/hostile.mjs';
import * as example from './cases/example.mjs';
import * as compare from './cases/compare.mjs';

// E2E_GROUPS=search runs only the named case groups.
const only = process.env.E2E_GROUPS?.split(',').map((g) => g.trim());
const GROUPS = [shell, backend, policy, example, link, search, compare, userData, storage, hostile].filter((g) => !only || only.includes(g.name));

const dist = process.argv[2];
if (!dist || !existsSync(join(dist, 'index.html'))) {
  console.error('usage: node tests/e2e/run.mjs <dist-dir>   (a trunk build with index.html)');
  process.exit(2);
}
const modes = (process.env.E2E_MODES ?? 'webgpu,cpu').split(',').map((m) => m.trim()).filter(Boolean);
const artifacts = process.env.E2E_ARTIFACTS ?? tmpdir();

const server = await serve(resolve(dist), 0);
const origin = `http://127.0.0.1:${server.address().port}`;
console.log(`e2e: serving ${dist} at ${origin}; modes: ${modes.join(', ')}; artifacts in ${artifacts}`);

let passed = 0, failed = 0;
const failures = [], timings = [];
const t0 = Date.now();
try {
  for (const mode of modes) {
    const browser = await launchBrowser(mode);
    try {
      const webgpu = await probeWebGpu(browser.context, origin);
      console.log(`\n${mode}: WebGPU adapter ${webgpu.available ? 'available' : 'not available'} (${webgpu.reason})`);
      const r = await runCases(GROUPS, { mode, origin, context: browser.context, webgpu, artifacts });
      passed += r.passed; failed += r.failed;
      failures.push(...r.failures); timings.push(...r.timings);
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}

console.log('\ntimings:');
for (const { mode, name, ms } of timings) console.log(`  [${mode}] ${name}: ${Math.round(ms)} ms`);
console.log(`\n${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (failed) {
  for (const f of failures) console.log(`  failed: ${f}`);
  process.exit(1);
}
