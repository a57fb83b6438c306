// Tests of serve.mjs (node --test tests/e2e/serve.test.mjs; scripts/test runs it): the
// path check keeps every request inside the served folder, and every response carries
// the security headers with the app's policy plus frame-ancestors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { policyFor, resolveInside, serve } from './serve.mjs';

const META = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
let base, root, server, port;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'aebnas-serve-test-'));
  root = join(base, 'dist');
  await mkdir(root);
  await mkdir(join(base, 'dist-other'));
  await mkdir(join(root, 'sub'));
  await writeFile(join(root, 'index.html'),
    `<html><head><meta http-equiv="Content-Security-Policy" content="${META}" /></head></html>`);
  await writeFile(join(root, 'app.js'), 'ok');
  await writeFile(join(root, 'sub', 'a.json'), '{}');
  await writeFile(join(base, 'dist-other', 'x'), 'secret of a sibling folder');
  await writeFile(join(base, 'x'), 'secret of the parent folder');
  server = await serve(root, 0);
  port = server.address().port;
});

after(async () => {
  server?.close();
  await rm(base, { recursive: true, force: true });
});

/** GET `path` sent verbatim (no client-side normalisation of `..`). */
function get(path) {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('paths that leave the served folder are refused', async () => {
  for (const path of ['/..%2fdist-other/x', '/../dist-other/x', '/%2e%2e/x', '/..%2f..%2fetc/passwd',
    '/sub/..%2f..%2fdist-other/x', '/%2e%2e%5cx', '/%00', '/%E0%A4%A']) {
    const r = await get(path);
    assert.ok(r.status === 403 || r.status === 404, `${path}: status ${r.status}`);
    assert.doesNotMatch(r.body, /secret/, `${path} served a file outside the folder`);
  }
  assert.equal(resolveInside(root, '/..%2fdist-other/x'), null);
  assert.equal(resolveInside(root, '/%2e%2e/x'), null);
  assert.equal(resolveInside(root, '/sub/../app.js'), join(root, 'app.js'));
  assert.equal(resolveInside(root, '/'), root);
});

test('files inside the folder are served, a directory serves its index.html', async () => {
  assert.equal((await get('/app.js')).body, 'ok');
  assert.equal((await get('/sub/%2e%2e/app.js')).body, 'ok');
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type'], /text\/html/);
});

test('every response carries the policy headers', async () => {
  const expected = `${META}; frame-ancestors 'none'`;
  assert.equal(policyFor(root), expected);
  for (const path of ['/', '/app.js', '/missing', '/..%2fdist-other/x']) {
    const { headers } = await get(path);
    assert.equal(headers['content-security-policy'], expected, path);
    assert.equal(headers['x-content-type-options'], 'nosniff', path);
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin', path);
  }
});

test('a folder without a meta policy still gets a same-origin policy with frame-ancestors', () => {
  assert.match(policyFor(base), /^default-src 'self';.*frame-ancestors 'none'$/);
});
