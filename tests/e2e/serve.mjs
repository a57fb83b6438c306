// A small static file server for dist/ (trunk writes absolute URLs: serve it at the root).
// Usage: node serve.mjs <dir> <port>. Also imported by the e2e tests; `scripts/serve` runs it.
//
// Every response carries the page's security policy as HTTP headers: a `<meta>` policy
// governs neither the worker (a worker's policy comes from its script's response) nor
// `frame-ancestors`, so the headers are what enforce it. The policy text is the one in the
// served index.html's `<meta http-equiv="Content-Security-Policy">`, plus
// `frame-ancestors 'none'` (only honoured in a header).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.gz': 'application/gzip', '.png': 'image/png', '.md': 'text/plain',
};

/** The policy for a folder without an index.html `<meta>` policy: same-origin only. */
export const FALLBACK_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'";

/** The Content-Security-Policy header for the app in `root`: its `<meta>` policy + frame-ancestors. */
export function policyFor(root) {
  let html = '';
  try { html = readFileSync(join(root, 'index.html'), 'utf8'); } catch { /* no index.html */ }
  const meta = /<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*content="([^"]*)"/is.exec(html)
    ?? /<meta\s[^>]*content="([^"]*)"[^>]*http-equiv="Content-Security-Policy"/is.exec(html);
  const policy = (meta?.[1] ?? FALLBACK_POLICY).trim().replace(/;\s*$/, '');
  return /frame-ancestors/.test(policy) ? policy : `${policy}; frame-ancestors 'none'`;
}

/** The headers every response carries (the policy of `root`'s app). */
export function securityHeaders(root) {
  return {
    'Content-Security-Policy': policyFor(root),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * The file under `root` that the URL path `pathname` names, or null when it names
 * something outside `root` (`..` segments, encoded or not, a sibling folder whose name
 * starts with root's) or cannot be decoded.
 */
export function resolveInside(root, pathname) {
  let decoded;
  try { decoded = decodeURIComponent(pathname); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const path = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  const rel = relative(root, path);
  if (rel === '') return path;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return path;
}

export function serve(dir, port = 0) {
  const root = resolve(dir);
  const headers = securityHeaders(root);
  const reply = (res, status, extra = {}, body = undefined) => {
    res.writeHead(status, { ...headers, ...extra });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = resolveInside(root, url.pathname);
      if (!path) { reply(res, 403, { 'Content-Type': 'text/plain' }, 'forbidden'); return; }
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path).catch(() => null);
      if (!body) { reply(res, 404, { 'Content-Type': 'text/plain' }, 'not found'); return; }
      reply(res, 200, {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      }, body);
    } catch (e) {
      reply(res, 500, { 'Content-Type': 'text/plain' }, String(e));
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const server = await serve(dir, Number(port));
  console.log(`serving ${dir} on http://127.0.0.1:${server.address().port}`);
}
