//! Dataset readers against real-format fixtures (`tests/fixtures/`, built by
//! `scripts/make-fixtures`): pixels and labels are checked against the source PNGs, the
//! CLI's `data inspect` is run on each fixture and on truncated copies, and a seeded
//! mutation fuzzer runs ≥ 10,000 cases per format checking for no panic and bounded
//! memory (a counting global allocator tracks the peak per thread).
#![cfg(not(target_arch = "wasm32"))]

use aebnas::data::cifar::{self, Cifar100Labels, CifarKind};
use aebnas::data::detect::{load_with, Format, Input, LoadOptions};
use aebnas::data::folder::{self, FolderOptions};
use aebnas::data::{idx, load_any, svhn, Dataset};
use aebnas::engine::rng::Rng;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Command;

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

// ---- readers vs sources ---------------------------------------------------------------

#[test]
fn cifar10_binary_and_archive_match_pngs() {
    let src = sources("cifar10");
    let l = aebnas::data::load_path(&fx("cifar10/test_batch.bin")).unwrap();
    assert_eq!(l.format, Format::Cifar10);
    assert_eq!(
        (l.train.channels, l.train.height, l.train.width),
        (3, 32, 32)
    );
    assert_matches(&l.train, &src, |x| x);
    assert_eq!(l.train.classes[3], "cat");
    let a =
        cifar::parse_archive(&read("cifar-10-binary.tar.gz"), Cifar100Labels::Fine, "a").unwrap();
    assert_eq!(a.kind, CifarKind::Cifar10);
    assert_matches(&a.train, &src[..10], |x| x);
    assert_matches(&a.test, &src[10..], |x| x);
}

#[test]
fn cifar100_binary_and_archive_match_pngs() {
    let src = sources("cifar100");
    let l = aebnas::data::load_path(&fx("cifar100/test.bin")).unwrap();
    assert_eq!(l.format, Format::Cifar100);
    assert_eq!(l.train.num_classes(), 100);
    assert_matches(&l.train, &src, |x| x);
    let opts = LoadOptions {
        cifar100_labels: Cifar100Labels::Coarse,
        ..Default::default()
    };
    let c = load_with(Input::Path(&fx("cifar100/test.bin")), opts).unwrap();
    assert_eq!(c.train.num_classes(), 20);
    assert_matches(&c.train, &src, |f| {
        cifar::CIFAR100_FINE_TO_COARSE[f as usize] as u16
    });
    let a = load_any(Input::Bytes {
        name: "cifar-100-binary.tar.gz",
        bytes: &read("cifar-100-binary.tar.gz"),
    })
    .unwrap();
    assert_eq!(a.format, Format::Cifar100Archive);
    assert_matches(&a.train, &src[..10], |x| x);
    assert_matches(a.test.as_ref().unwrap(), &src[10..], |x| x);
}

#[test]
fn svhn_mat_compressed_and_plain_match_sources() {
    let mut src = Vec::new();
    for i in 0..20 {
        let name = format!("svhn/source/{i:02}_{}.png", i % 10);
        let (w, h, c, px) = folder::decode(&read(&name), &name).unwrap();
        src.push(((i % 10) as u16, planar(w, h, c, &px)));
    }
    for f in ["svhn/test_32x32.mat", "svhn/train_32x32.mat"] {
        let d = svhn::parse_svhn(&read(f), f).unwrap();
        assert_eq!(d.shape_string(), "20×3×32×32");
        assert_matches(&d, &src, |x| x);
    }
    let both = aebnas::data::load_path(&fx("svhn")).unwrap();
    assert_eq!(both.format, Format::SvhnMat);
    assert_eq!(both.test.map(|t| t.len()), Some(20));
}

#[test]
fn idx_matches_pngs() {
    let src = sources("fashionMNIST");
    let l = aebnas::data::load_path(&fx("idx/t10k-images-idx3-ubyte.gz")).unwrap();
    assert_eq!(l.format, Format::Idx);
    assert_eq!(l.train.shape_string(), "20×1×28×28");
    assert_matches(&l.train, &src, |x| x);
    // A gzip'd IDX under an arbitrary name is still recognised (by the inner magic).
    let e = load_any(Input::Bytes {
        name: "upload.gz",
        bytes: &read("idx/t10k-images-idx3-ubyte.gz"),
    })
    .unwrap_err();
    assert!(e.to_string().contains("labels file"), "{e}");
    let a = idx::parse_idx(&read("idx/t10k-labels-idx1-ubyte.gz"), "l").unwrap();
    assert_eq!(a.dims, vec![20]);
}

#[test]
fn image_folder_dir_and_zip() {
    let src = sources("cifar10");
    let opts = FolderOptions::default();
    let d = folder::from_dir(&fx("imagefolder"), opts).unwrap();
    let z = folder::from_zip("z", &read("imagefolder.zip"), opts).unwrap();
    assert_eq!(d.images, z.images);
    assert_eq!(d.labels, z.labels);
    assert_eq!(d.classes, z.classes);
    assert_eq!(d.len(), 20);
    let names = [
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    ];
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| src.iter().any(|(l, _)| names[*l as usize] == *n))
        .collect();
    assert_eq!(d.classes, present);
    // Images in path order: class folders sorted, then file names; PNGs are exact.
    let mut k = 0;
    for class in &d.classes {
        let mut files: Vec<String> = std::fs::read_dir(fx(&format!("imagefolder/{class}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        for f in files {
            let i: usize = f[..2].parse().unwrap();
            assert_eq!(d.classes[d.labels[k] as usize], names[src[i].0 as usize]);
            if f.ends_with(".png") {
                assert_eq!(d.image(k), &src[i].1[..], "{class}/{f}");
            } else {
                let diff: u64 = d
                    .image(k)
                    .iter()
                    .zip(&src[i].1)
                    .map(|(a, b)| a.abs_diff(*b) as u64)
                    .sum();
                assert!(
                    diff / 3072 < 12,
                    "JPEG {class}/{f} too far from source: {}",
                    diff / 3072
                );
            }
            k += 1;
        }
    }
    // Resizing and grey conversion.
    let small = folder::from_zip(
        "z",
        &read("imagefolder.zip"),
        FolderOptions {
            channels: 1,
            height: 16,
            width: 12,
        },
    )
    .unwrap();
    assert_eq!(small.shape_string(), "20×1×16×12");
}

#[test]
fn shipped_datasets_resolve() {
    let (train, test) = aebnas::data::load_dataset_arg("fashion-mnist").unwrap();
    assert_eq!((train.len(), test.len()), (10_000, 2_000));
    assert_eq!(train.classes[9], "Ankle boot");
    let (train, test) =
        aebnas::data::load_dataset_arg(fx("cifar10/test_batch.bin").to_str().unwrap()).unwrap();
    assert_eq!((train.len(), test.len()), (16, 4));
    assert!(aebnas::data::load_dataset_arg("no-such-dataset").is_err());
}

// ---- the CLI ---------------------------------------------------------------------------

fn inspect(p: &Path) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_aebnas"))
        .args(["data", "inspect"])
        .arg(p)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_inspect_fixtures() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "cifar10/test_batch.bin",
            "CIFAR-10 binary",
            &["N×C×H×W = 20×3×32×32", "classes: 10", "cat: 2"],
        ),
        (
            "cifar100/test.bin",
            "CIFAR-100 binary",
            &["20×3×32×32", "classes: 100"],
        ),
        (
            "cifar-10-binary.tar.gz",
            "CIFAR-10 binary archive",
            &[
                "train: CIFAR-10 (train) (10, N×C×H×W = 10×3×32×32)",
                "test: CIFAR-10 (test) (10",
            ],
        ),
        (
            "cifar-100-binary.tar.gz",
            "CIFAR-100 binary archive",
            &["10×3×32×32"],
        ),
        (
            "svhn/test_32x32.mat",
            "SVHN",
            &["20×3×32×32", "classes: 10", "0: 2"],
        ),
        ("svhn/train_32x32.mat", "SVHN", &["20×3×32×32"]),
        ("idx/t10k-images-idx3-ubyte.gz", "IDX", &["20×1×28×28"]),
        (
            "imagefolder",
            "image folder",
            &["20×3×32×32", "classes: 8", "frog: 4"],
        ),
        (
            "imagefolder.zip",
            "image folder in a zip archive",
            &["20×3×32×32"],
        ),
    ];
    for (path, format, needles) in cases {
        let (ok, out, err) = inspect(&fx(path));
        assert!(ok, "{path}: {err}");
        assert!(out.contains(&format!("format: {format}")), "{path}: {out}");
        for n in *needles {
            assert!(out.contains(n), "{path}: missing {n:?} in\n{out}");
        }
    }
}

#[test]
fn cli_inspect_truncated_fails_with_one_line() {
    let dir = fx("truncated");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in names
        .iter()
        .filter(|n| !n.to_string_lossy().contains("labels"))
    {
        let (ok, out, err) = inspect(&dir.join(n));
        assert!(!ok, "{n:?} should fail: {out}");
        assert_eq!(err.lines().count(), 1, "{n:?}: {err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{n:?}: {err}"
        );
    }
    let (ok, _, err) = inspect(&fx("no/such/file.bin"));
    assert!(!ok && err.lines().count() == 1);
}

// ---- fuzz --------------------------------------------------------------------------------

fn cases() -> usize {
    std::env::var("AEBNAS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

/// One random mutation: truncation, byte flips, huge 32-bit values, insert/delete, garbage.
fn mutate(base: &[u8], rng: &mut Rng, header: usize) -> Vec<u8> {
    let mut b = base.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let n = b.len().max(1);
        let pos = if rng.below(2) == 0 {
            rng.below(header.min(n))
        } else {
            rng.below(n)
        };
        match rng.below(7) {
            0 => b.truncate(rng.below(n)),
            1 if !b.is_empty() => {
                let p = pos.min(b.len() - 1);
                b[p] ^= 1 << rng.below(8)
            }
            2 if !b.is_empty() => {
                let p = pos.min(b.len() - 1);
                b[p] = rng.below(256) as u8
            }
            3 if b.len() >= 4 => {
                let p = pos.min(b.len() - 4);
                let v: u32 = [
                    u32::MAX,
                    0x7fff_ffff,
                    0x1000_0000,
                    0,
                    1,
                    rng.next_u64() as u32,
                ][rng.below(6)];
                let bytes = if rng.below(2) == 0 {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                };
                b[p..p + 4].copy_from_slice(&bytes);
            }
            4 => {
                let k = rng.below(16);
                let p = pos.min(b.len());
                b.splice(p..p, (0..k).map(|_| rng.below(256) as u8));
            }
            5 if !b.is_empty() => {
                let p = pos.min(b.len() - 1);
                let k = rng.below(16).min(b.len() - p);
                b.drain(p..p + k);
            }
            _ => b.extend((0..rng.below(64)).map(|_| rng.below(256) as u8)),
        }
    }
    b
}

/// Fuzzes `parse` on mutations of `base`; checks no panic (the test would fail) and that
/// the peak memory stays within `bound(input_len)`.
fn fuzz(
    label: &str,
    base: &[u8],
    header: usize,
    seed: u64,
    bound: impl Fn(usize) -> usize,
    parse: impl Fn(&[u8]) -> bool,
) {
    assert!(parse(base), "{label}: the unmutated input must parse");
    let mut rng = Rng::new(seed);
    let (mut ok, mut worst) = (0, 0);
    for _ in 0..cases() {
        let m = mutate(base, &mut rng, header);
        let mut good = false;
        let peak = peak_of(|| good = parse(&m));
        assert!(
            peak <= bound(m.len()),
            "{label}: {peak} bytes for a {}-byte input",
            m.len()
        );
        worst = worst.max(peak);
        ok += good as usize;
    }
    eprintln!(
        "{label}: {} cases, {ok} still parsed, worst peak {worst} bytes",
        cases()
    );
}

const MIB: usize = 1 << 20;

#[test]
fn fuzz_idx() {
    let raw = aebnas::data::maybe_gunzip(&read("idx/t10k-images-idx3-ubyte.gz"), "x")
        .unwrap()
        .into_owned();
    let raw = raw[..16 + 784 * 4].to_vec();
    let mut raw = raw;
    raw[7] = 4; // 4 images
    fuzz(
        "idx raw",
        &raw,
        16,
        1,
        |n| 3 * n + MIB,
        |b| idx::read_images(b, "f").is_ok(),
    );
    let gz = read("idx/t10k-labels-idx1-ubyte.gz");
    fuzz(
        "idx gz",
        &gz,
        16,
        2,
        |_| 4 * MIB,
        |b| idx::read_labels(b, "f").is_ok(),
    );
}

#[test]
fn fuzz_cifar_bin() {
    let b = read("cifar10/test_batch.bin")[..3 * 3073].to_vec();
    fuzz(
        "cifar10 bin",
        &b,
        8,
        3,
        |n| 3 * n + MIB,
        |b| cifar::parse_bin(&[("f", b)], CifarKind::Cifar10, Cifar100Labels::Fine, "f").is_ok(),
    );
    let b = read("cifar100/test.bin")[..3 * 3074].to_vec();
    fuzz(
        "cifar100 bin",
        &b,
        8,
        4,
        |n| 3 * n + MIB,
        |b| {
            cifar::parse_bin(
                &[("f", b)],
                CifarKind::Cifar100,
                Cifar100Labels::Coarse,
                "f",
            )
            .is_ok()
        },
    );
}

#[test]
fn fuzz_cifar_archive() {
    let b = read("cifar-100-binary.tar.gz");
    fuzz(
        "cifar tar.gz",
        &b,
        64,
        5,
        |_| 16 * MIB,
        |b| cifar::parse_archive(b, Cifar100Labels::Fine, "f").is_ok(),
    );
}

#[test]
fn fuzz_svhn() {
    let plain = read("svhn/train_32x32.mat");
    fuzz(
        "svhn plain",
        &plain,
        256,
        6,
        |n| 4 * n + MIB,
        |b| svhn::parse_svhn(b, "f").is_ok(),
    );
    let packed = read("svhn/test_32x32.mat");
    fuzz(
        "svhn compressed",
        &packed,
        256,
        7,
        |_| 16 * MIB,
        |b| svhn::parse_svhn(b, "f").is_ok(),
    );
}

#[test]
fn fuzz_image_zip_and_detect() {
    let zip = read("imagefolder.zip");
    fuzz(
        "image zip",
        &zip,
        64,
        8,
        |_| 32 * MIB,
        |b| folder::from_zip("z", b, FolderOptions::default()).is_ok(),
    );
    let idx = read("idx/t10k-labels-idx1-ubyte.gz");
    fuzz(
        "load_any",
        &idx,
        16,
        9,
        |_| 8 * MIB,
        |b| {
            let _ = load_any(Input::Bytes {
                name: "t10k-labels-idx1-ubyte.gz",
                bytes: b,
            });
            let _ = load_any(Input::Bytes {
                name: "x.tar.gz",
                bytes: b,
            });
            let _ = load_any(Input::Bytes {
                name: "x.mat",
                bytes: b,
            });
            let _ = load_any(Input::Bytes {
                name: "data_batch_1.bin",
                bytes: b,
            });
            true
        },
    );
}
