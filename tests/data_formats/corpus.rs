//! A structure-aware hostile corpus, generated (never checked in): decompression bombs
//! for gzip, zlib (.mat), tar.gz and zip; zip directories with overlapping or duplicate
//! entries; IDX, PNG and JPEG headers declaring huge sizes and counts; a progressive JPEG
//! of garbage scans; non-finite and overflowing run JSON; a candidate file with genome
//! text that tries to set other link keys; crafted `.bpk` weights metadata.
//! `scripts/hostile-corpus <dir>` writes it out.

use std::io::Write;

use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use flate2::Compression;

/// One hostile file and the readers that must refuse it (besides `load_any`, which must
/// refuse every file).
pub struct Hostile {
    /// File name (its extension steers format detection).
    pub name: &'static str,
    /// Contents.
    pub bytes: Vec<u8>,
    /// Names of the readers (see `hostile.rs`) that must refuse it.
    pub refused_by: &'static [&'static str],
}

/// Bytes a bomb expands to: twice the smallest decode budget.
const BOMB: usize = 32 << 20;

fn compress<W: Write>(mut enc: W, data: &[u8], finish: impl FnOnce(W) -> Vec<u8>) -> Vec<u8> {
    enc.write_all(data).unwrap();
    finish(enc)
}
fn gz(data: &[u8]) -> Vec<u8> {
    let e = GzEncoder::new(Vec::new(), Compression::best());
    compress(e, data, |e| e.finish().unwrap())
}
fn zlib(data: &[u8]) -> Vec<u8> {
    let e = ZlibEncoder::new(Vec::new(), Compression::best());
    compress(e, data, |e| e.finish().unwrap())
}
fn deflate(data: &[u8]) -> Vec<u8> {
    let e = DeflateEncoder::new(Vec::new(), Compression::best());
    compress(e, data, |e| e.finish().unwrap())
}

fn idx_header(dims: &[u32]) -> Vec<u8> {
    let mut h = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        h.extend_from_slice(&d.to_be_bytes());
    }
    h
}

/// A tar header block for `name` of `size` bytes (ustar, checksum filled in).
fn tar_header(name: &str, size: u64) -> Vec<u8> {
    let mut h = vec![0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[156] = b'0';
    h[257..262].copy_from_slice(b"ustar");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h
}

/// A zip of `entries` `(name, method, data, uncompressed size)`; when `shared`, one
/// local header (the first entry's) and every directory entry pointing at it.
fn zip(entries: &[(String, u16, Vec<u8>, u32)], shared: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for (i, (name, method, data, size)) in entries.iter().enumerate() {
        if shared && i > 0 {
            offsets.push(0);
            continue;
        }
        offsets.push(out.len() as u32);
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 8]); // time, date, crc
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
    }
    let cd = out.len() as u32;
    for ((name, method, data, size), off) in entries.iter().zip(&offsets) {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&off.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
    }
    let cd_len = out.len() as u32 - cd;
    eocd(&mut out, entries.len() as u16, cd_len, cd);
    out
}

fn eocd(out: &mut Vec<u8>, count: u16, cd_len: u32, cd: u32) {
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG declaring `w × h` RGB pixels, with one small IDAT of zeros.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &zlib(&[0; 4096]));
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG with a `sof` frame (0xC0 baseline, 0xC2 progressive) of `w × h`, then `scans`
/// start-of-scan segments each followed by garbage entropy data.
fn jpeg(sof: u8, w: u16, h: u16, scans: usize) -> Vec<u8> {
    let mut out = vec![0xff, 0xd8];
    out.extend_from_slice(&[0xff, sof, 0, 17, 8]);
    out.extend_from_slice(&h.to_be_bytes());
    out.extend_from_slice(&w.to_be_bytes());
    out.extend_from_slice(&[3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    for i in 0..scans {
        out.extend_from_slice(&[0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, (i % 14) as u8]);
        out.extend((0..64).map(|k| ((k * 37 + i) % 255) as u8));
    }
    out.extend_from_slice(&[0xff, 0xd9]);
    out
}

/// A MAT v5 file whose one element is a zlib-compressed `payload`.
fn mat_compressed(payload: &[u8]) -> Vec<u8> {
    let mut out = b"MATLAB 5.0 MAT-file, hostile corpus".to_vec();
    out.resize(116, b' ');
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&[0x00, 0x01]);
    out.extend_from_slice(b"IM");
    let z = zlib(payload);
    out.extend_from_slice(&15u32.to_le_bytes());
    out.extend_from_slice(&(z.len() as u32).to_le_bytes());
    out.extend_from_slice(&z);
    out
}

/// A `.bpk` whose AEBNAS metadata is `json`.
fn bpk(json: &str) -> Vec<u8> {
    let w = burn_pack::Writer::new(Vec::new()).with_metadata("aebnas", json);
    w.into_bytes().unwrap().to_vec()
}

/// The whole corpus; `run` is a valid results file (the CLI's fixture) to corrupt.
pub fn corpus(run: &str) -> Vec<Hostile> {
    let zeros = vec![0u8; BOMB];
    let mut v = Vec::new();
    let mut add = |name, bytes, refused_by| {
        v.push(Hostile {
            name,
            bytes,
            refused_by,
        })
    };

    let mut bomb_idx = idx_header(&[40_000, 28, 28]);
    bomb_idx.extend_from_slice(&zeros);
    add(
        "bomb-declared.idx.gz",
        gz(&bomb_idx),
        &["idx", "idx-images"],
    );
    let mut trailing = idx_header(&[10, 28, 28]);
    trailing.extend_from_slice(&zeros);
    add(
        "bomb-trailing.idx.gz",
        gz(&trailing),
        &["idx", "idx-images"],
    );
    add("zeros.gz", gz(&zeros), &["idx", "idx-images"]);
    add(
        "huge-side.idx",
        idx_header(&[1, 5000, 5000]),
        &["idx", "idx-images"],
    );
    add(
        "huge-count.idx",
        idx_header(&[u32::MAX, 28, 28]),
        &["idx", "idx-images"],
    );
    let mut tall = idx_header(&[2, 300, 28]);
    tall.extend_from_slice(&[7; 2 * 300 * 28]);
    add("tall.idx", tall, &["idx", "idx-images"]);

    add("bomb.mat", mat_compressed(&zeros), &["mat", "svhn"]);

    let mut tar = tar_header("cifar-10-batches-bin/skip.bin", BOMB as u64);
    tar.extend_from_slice(&zeros);
    tar.extend_from_slice(&[0; 1024]);
    add("bomb-skipped.tar.gz", gz(&tar), &["cifar-archive"]);
    let mut huge = tar_header("cifar-10-batches-bin/data_batch_1.bin", 0o77_777_777_777);
    huge.extend_from_slice(&[0; 1024]);
    add("huge-entry.tar", huge, &["cifar-archive"]);

    let bomb = vec![("c/x.png".to_string(), 8, deflate(&zeros), BOMB as u32)];
    add("bomb.zip", zip(&bomb, false), &["zip", "zip-folder"]);
    let small = png(8, 8);
    let one = deflate(&small);
    let many: Vec<_> = (0..400)
        .map(|i| (format!("c/{i}.png"), 8, one.clone(), small.len() as u32))
        .collect();
    add("overlapping.zip", zip(&many, true), &["zip", "zip-folder"]);
    let dup = vec![("c/a.png".to_string(), 0, small.clone(), small.len() as u32); 2];
    add("duplicate.zip", zip(&dup, false), &["zip", "zip-folder"]);
    let mut fake = Vec::new();
    eocd(&mut fake, 65_000, 46 * 65_000, 0);
    add("many-entries.zip", fake, &["zip", "zip-folder"]);

    add("huge.png", png(100_000, 100_000), &["image"]);
    add("wide.png", png(5_000, 1), &["image"]);
    add("huge.jpg", jpeg(0xc0, 65_500, 65_500, 1), &["image"]);
    // Within the size limit: the 4,000 garbage scans reach the decoder (which may refuse
    // them or decode noise; either way bounded, and no dataset comes of it).
    add("progressive-scans.jpg", jpeg(0xc2, 1024, 1024, 4000), &[]);

    let mut labels = vec![200u8; 3 * 3073];
    labels[3073] = 250;
    add("data_batch_1.bin", labels, &["cifar-bin"]);

    let bad_threshold = run.replacen("\"thresholds\": [", "\"thresholds\": [1e39, ", 1);
    add(
        "threshold-1e39.json",
        bad_threshold.into_bytes(),
        &["run-json"],
    );
    let overflow = run.replacen("\"wall_seconds\":", "\"wall_seconds\": 1e400, \"x\":", 1);
    add("overflow-1e400.json", overflow.into_bytes(), &["run-json"]);
    let doe = run.replacen("\"n_doe\": ", "\"n_doe\": 18446744073709551616, \"y\": ", 1);
    add("doe-past-u64.json", doe.into_bytes(), &["run-json"]);
    let injected = r#"{"format":"aebnas-candidate","version":1,"dataset":"mnist","method":"aebnas","genome":"1,2&seed=5&data=evil","exit_rule":"margin","thresholds":[0.5],"seed":1,"epochs":1,"train_samples":512,"accuracy":null,"avg_macs":null}"#;
    add(
        "genome-injection.json",
        injected.as_bytes().to_vec(),
        &["run-json"],
    );

    let mut meta_size = 0x4255_524Eu32.to_le_bytes().to_vec();
    meta_size.extend_from_slice(&[1, 0]);
    meta_size.extend_from_slice(&u32::MAX.to_le_bytes());
    meta_size.extend_from_slice(&[0xa1; 64]);
    add("metadata-size.bpk", meta_size, &["bpk"]);
    let hostile = r#"{"version":1,"genome":"1&seed=5","method":"aebnas","dataset":"x","input":[1,100000,100000],"classes":4000000000,"seed":1,"exit_rule":"margin","thresholds":[1e39]}"#;
    add("hostile-meta.bpk", bpk(hostile), &["bpk"]);
    add("not-json-meta.bpk", bpk("{\"version\": 1e999"), &["bpk"]);
    v
}
