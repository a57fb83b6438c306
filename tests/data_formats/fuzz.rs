//! Seeded mutation fuzzing, ≥ 10,000 cases per format (`AEBNAS_FUZZ_CASES`): no panic, and
//! the peak memory per case stays bounded by the input's size.

use super::{peak_of, read};
use aebnas::data::cifar::{self, Cifar100Labels, CifarKind};
use aebnas::data::folder::{self, FolderOptions};
use aebnas::data::{idx, load_any, svhn, Input};
use aebnas::engine::rng::Rng;

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
