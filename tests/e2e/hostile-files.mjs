// A representative subset of the hostile corpus (tests/data_formats/corpus.rs, which
// `scripts/hostile-corpus` writes out), built the same way here in a few milliseconds so
// that the e2e suite needs no native build and no checked-in blobs; plus a large valid
// CIFAR-10 binary for the long-task measurement. Each builder mirrors the corpus
// function of the same name.
import { deflateRawSync, gzipSync, deflateSync } from 'node:zlib';

/** Bytes a bomb expands to (the corpus's `BOMB`: twice the smallest decode budget). */
export const BOMB = 32 << 20;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(...parts) {
  let c = 0xffffffff;
  for (const p of parts) for (const b of p) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u16le = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32le = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const u32be = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };

/** An IDX (unsigned bytes) header declaring `dims`. */
export function idxHeader(dims) {
  return Buffer.concat([Buffer.from([0, 0, 0x08, dims.length]), ...dims.map(u32be)]);
}

function pngChunk(kind, data) {
  const k = Buffer.from(kind, 'latin1');
  return Buffer.concat([u32be(data.length), k, data, u32be(crc32(k, data))]);
}

/** A PNG declaring `w × h` RGB pixels, with one small IDAT of zeros. */
export function png(w, h) {
  const ihdr = Buffer.concat([u32be(w), u32be(h), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A zip of `entries` [name, method, data, size, crc = 0]; `shared`: every directory
 * entry points at the first local header. */
export function zip(entries, shared) {
  const out = [], offsets = [];
  let at = 0;
  entries.forEach(([name, method, data, size, crc = 0], i) => {
    if (shared && i > 0) { offsets.push(0); return; }
    offsets.push(at);
    const n = Buffer.from(name);
    const local = Buffer.concat([u32le(0x04034b50), Buffer.from([20, 0, 0, 0]), u16le(method), Buffer.alloc(4), u32le(crc),
      u32le(data.length), u32le(size), u16le(n.length), Buffer.from([0, 0]), n, data]);
    out.push(local);
    at += local.length;
  });
  const cd = at;
  entries.forEach(([name, method, data, size, crc = 0], i) => {
    const n = Buffer.from(name);
    const central = Buffer.concat([u32le(0x02014b50), Buffer.from([20, 0, 20, 0, 0, 0]), u16le(method), Buffer.alloc(4), u32le(crc),
      u32le(data.length), u32le(size), u16le(n.length), Buffer.alloc(12), u32le(offsets[i]), n]);
    out.push(central);
    at += central.length;
  });
  out.push(Buffer.concat([u32le(0x06054b50), Buffer.alloc(4), u16le(entries.length), u16le(entries.length),
    u32le(at - cd), u32le(cd), Buffer.from([0, 0])]));
  return Buffer.concat(out);
}

/** A ustar header block for `name` of `size` bytes (checksum filled in). */
export function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write('0000644', 100, 'latin1');
  h.write(size.toString(8).padStart(11, '0'), 124, 'latin1');
  h[156] = 0x30;
  h.write('ustar', 257, 'latin1');
  h.write('        ', 148, 'latin1');
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0`, 148, 'latin1');
  return h;
}

/** An IDX images + labels pair (`stem`-images-idx3-ubyte, `stem`-labels-idx1-ubyte). */
function idxPair(stem, images, labels) {
  return [[`${stem}-images-idx3-ubyte`, images], [`${stem}-labels-idx1-ubyte`, labels]];
}

/** The hostile data inputs: { name, files: [[file name, bytes], …], what }. */
export function hostileDataFiles() {
  const zeros = Buffer.alloc(BOMB);
  const small = png(8, 8);
  const one = deflateRawSync(small, { level: 9 });
  const many = Array.from({ length: 400 }, (_, i) => [`c/${i}.png`, 8, one, small.length]);
  const huge = png(100_000, 100_000);
  const bomb = [['bomb-images-idx3-ubyte.gz', gzipSync(Buffer.concat([idxHeader([40_000, 28, 28]), zeros]), { level: 9 })],
    ['bomb-labels-idx1-ubyte', Buffer.concat([idxHeader([40_000]), Buffer.alloc(40_000)])]];
  return [
    { name: 'gzip bomb', files: bomb, what: '32 MiB of zeros, gzip\'d, behind an IDX header declaring 40,000 images' },
    { name: 'tar bomb', files: [['bomb-skipped.tar.gz',
      gzipSync(Buffer.concat([tarHeader('cifar-10-batches-bin/skip.bin', BOMB), zeros, Buffer.alloc(1024)]), { level: 9 })]],
    what: 'a CIFAR archive whose skipped entry is 32 MiB' },
    { name: 'zip bomb', files: [['bomb.zip', zip([['c/x.png', 8, deflateRawSync(zeros, { level: 9 }), BOMB]], false)]],
      what: 'one zip entry inflating to 32 MiB' },
    { name: 'overlapping zip', files: [['overlapping.zip', zip(many, true)]],
      what: '400 zip directory entries sharing one local header' },
    { name: 'huge IDX image', files: idxPair('huge-side', idxHeader([1, 5000, 5000]), Buffer.concat([idxHeader([1]), Buffer.alloc(1)])),
      what: 'an IDX pair declaring one image of 5,000 × 5,000 pixels' },
    { name: 'huge IDX count', files: idxPair('huge-count', idxHeader([0xffffffff, 28, 28]), idxHeader([0xffffffff])),
      what: 'an IDX pair declaring 4,294,967,295 images' },
    { name: 'huge PNG', files: [['huge-png.zip', zip([['c/huge.png', 0, huge, huge.length, crc32(huge)]], false)]],
      what: 'an image folder zip with a PNG declaring 100,000 × 100,000 pixels' },
  ];
}

/** The import files (`run` is a valid run file's text): [name, text, what it tries]. */
export function hostileImports(run) {
  const injected = JSON.stringify({
    format: 'aebnas-candidate', version: 1, dataset: 'mnist', method: 'aebnas', genome: '1,2&seed=5&data=evil',
    exit_rule: 'margin', thresholds: [0.5], seed: 1, epochs: 1, train_samples: 512, accuracy: null, avg_macs: null,
  });
  return [
    ['threshold-1e39.json', run.replace('"thresholds": [', '"thresholds": [1e39, '), 'run with a threshold of 1e39 (+∞ as f32)'],
    ['overflow-1e400.json', run.replace('"wall_seconds":', '"wall_seconds": 1e400, "x":'), 'run with a number past f64'],
    ['genome-injection.json', injected, 'candidate whose genome text tries to set other link keys'],
  ];
}

/** A CIFAR-10 binary batch of `n` random images (label byte + 3,072 pixel bytes each). */
export function cifarBatch(n, seed = 1) {
  const b = Buffer.alloc(n * 3073);
  let s = seed >>> 0;
  for (let i = 0; i < b.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  for (let i = 0; i < n; i++) b[i * 3073] = i % 10;
  return b;
}
