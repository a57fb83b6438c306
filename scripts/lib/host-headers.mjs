// Writes the security headers of a built bundle in the formats common static hosts read,
// from the same table the local server sends (tests/e2e/serve.mjs `securityHeaders`):
//   _headers      Netlify and Cloudflare Pages
//   vercel.json   Vercel
//   nginx.conf    an nginx `location` snippet (add_header lines and the wasm type)
// A `<meta>` policy governs neither the worker nor `frame-ancestors`: without these
// headers the page runs with a weaker policy than the one it declares.
//
//   node scripts/lib/host-headers.mjs DIST
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { securityHeaders } from '../../tests/e2e/serve.mjs';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node scripts/lib/host-headers.mjs DIST');
  process.exit(2);
}
const root = resolve(dist);
const headers = Object.entries(securityHeaders(root));

const netlify = ['/*', ...headers.map(([k, v]) => `  ${k}: ${v}`)].join('\n');
const vercel = {
  headers: [{ source: '/(.*)', headers: headers.map(([key, value]) => ({ key, value })) }],
};
const quote = (v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const nginx = [
  '# Inside the server block that serves this folder as its root.',
  'types { application/wasm wasm; }',
  'location / {',
  ...headers.map(([k, v]) => `    add_header ${k} ${quote(v)} always;`),
  '}',
].join('\n');

await writeFile(join(root, '_headers'), `${netlify}\n`);
await writeFile(join(root, 'vercel.json'), `${JSON.stringify(vercel, null, 2)}\n`);
await writeFile(join(root, 'nginx.conf'), `${nginx}\n`);
console.log(`wrote _headers, vercel.json and nginx.conf in ${dist} (${headers.length} headers)`);
