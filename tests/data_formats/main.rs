//! Dataset readers against real-format fixtures (`tests/fixtures/`, built by
//! `scripts/make-fixtures`): pixels and labels are checked against the source PNGs, the
//! CLI's `data inspect` is run on each fixture and on truncated copies, and a seeded
//! mutation fuzzer runs ≥ 10,000 cases per format checking for no panic and bounded
//! memory (a counting global allocator tracks the peak per thread).
//!
//! One test binary: `readers.rs` (readers vs sources), `cli.rs` (`aebnas data inspect`),
//! `fuzz.rs` (mutation fuzzing) and `hostile.rs` (the generated hostile corpus of
//! `corpus.rs`); the helpers they share are here.

#![cfg(not(target_arch = "wasm32"))]

mod cli;
mod corpus;
mod fuzz;
mod hostile;
mod readers;

use aebnas::data::{folder, Dataset};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;

// ---- a per-thread peak-memory counter -------------------------------------------------

struct Counting;
thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}
fn track(delta: isize) {
    let _ = CURRENT.try_with(|c| {
        let v = c.get() + delta;
        c.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        track(l.size() as isize);
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        track(l.size() as isize);
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        track(-(l.size() as isize));
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        track(n as isize - l.size() as isize);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns the peak extra bytes this thread held during it.
fn peak_of(f: impl FnOnce()) -> usize {
    let base = CURRENT.with(|c| c.get());
    PEAK.with(|p| p.set(base));
    f();
    (PEAK.with(|p| p.get()) - base).max(0) as usize
}

// ---- fixtures and sources --------------------------------------------------------------

/// The crate root, read at run time (cargo sets it): a build cache shared by clones at
/// other paths keeps the compile-time value of the clone that built it.
fn crate_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn fx(p: &str) -> PathBuf {
    crate_root().join("tests/fixtures").join(p)
}
fn read(p: &str) -> Vec<u8> {
    std::fs::read(fx(p)).unwrap_or_else(|e| panic!("{p}: {e} (run scripts/make-fixtures)"))
}

/// Source PNGs `foolbox/<prefix>_<idx>_<label>.png` as (label, planar pixels), by index.
fn sources(prefix: &str) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    for i in 0..20 {
        let name = std::fs::read_dir(fx("foolbox"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|n| n.starts_with(&format!("{prefix}_{i:02}_")))
            .unwrap();
        let label: u16 = name
            .trim_end_matches(".png")
            .rsplit('_')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (w, h, c, px) = folder::decode(&read(&format!("foolbox/{name}")), &name).unwrap();
        out.push((label, planar(w, h, c, &px)));
    }
    out
}

fn planar(w: usize, h: usize, c: usize, px: &[u8]) -> Vec<u8> {
    let mut out = vec![0; px.len()];
    for (i, p) in px.chunks_exact(c).enumerate() {
        for (k, &v) in p.iter().enumerate() {
            out[k * w * h + i] = v;
        }
    }
    out
}

fn assert_matches(d: &Dataset, src: &[(u16, Vec<u8>)], labels: impl Fn(u16) -> u16) {
    assert_eq!(d.len(), src.len(), "{}", d.name);
    for (i, (label, px)) in src.iter().enumerate() {
        assert_eq!(d.labels[i], labels(*label), "{} label {i}", d.name);
        assert_eq!(d.image(i), &px[..], "{} pixels {i}", d.name);
    }
}
