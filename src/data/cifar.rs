//! CIFAR-10 / CIFAR-100 binary files and the distributed `.tar.gz` archives.
//!
//! A CIFAR-10 record is `<label byte><3,072 pixel bytes>` (R, G, B planes of 32×32, row
//! major); a CIFAR-100 record is `<coarse byte><fine byte><3,072 pixel bytes>`. The files
//! are `data_batch_{1..5}.bin` + `test_batch.bin` (CIFAR-10) and `train.bin` + `test.bin`
//! (CIFAR-100), distributed in `cifar-10-binary.tar.gz` (`cifar-10-batches-bin/…`) and
//! `cifar-100-binary.tar.gz` (`cifar-100-binary/…`). Archives are read as a stream
//! (gzip → a minimal ustar reader) keeping only the entries needed.

use super::{bad, check_input_size, DataError, Dataset, MAX_DECODED_BYTES};
use std::io::Read;

/// Pixel bytes per record (3×32×32).
pub const IMAGE_BYTES: usize = 3 * 32 * 32;

/// CIFAR-10 class names.
#[rustfmt::skip]
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
];

/// CIFAR-100 fine class names (label order).
#[rustfmt::skip]
pub const CIFAR100_FINE: [&str; 100] = [
    "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle",
    "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel",
    "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud",
    "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant",
    "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
    "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree",
    "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter",
    "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine",
    "possum", "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea",
    "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
    "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television",
    "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale",
    "willow_tree", "wolf", "woman", "worm",
];

/// CIFAR-100 coarse (superclass) names (label order).
#[rustfmt::skip]
pub const CIFAR100_COARSE: [&str; 20] = [
    "aquatic_mammals", "fish", "flowers", "food_containers",
    "fruit_and_vegetables", "household_electrical_devices", "household_furniture", "insects",
    "large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
    "medium_mammals", "non-insect_invertebrates", "people", "reptiles",
    "small_mammals", "trees", "vehicles_1", "vehicles_2",
];

/// The standard CIFAR-100 map from fine label to coarse label.
#[rustfmt::skip]
pub const CIFAR100_FINE_TO_COARSE: [u8; 100] = [
    4, 1, 14, 8, 0, 6, 7, 7, 18, 3, 3, 14, 9, 18, 7, 11, 3, 9, 7, 11, 6, 11, 5, 10, 7, 6, 13, 15,
    3, 15, 0, 11, 1, 10, 12, 14, 16, 9, 11, 5, 5, 19, 8, 8, 15, 13, 14, 17, 18, 10, 16, 4, 17, 4, 2, 0,
    17, 4, 18, 17, 10, 3, 2, 12, 12, 16, 12, 1, 9, 19, 2, 10, 0, 1, 16, 12, 9, 13, 15, 13, 16, 19, 2, 4,
    6, 19, 5, 5, 8, 19, 18, 1, 2, 15, 6, 0, 17, 8, 14, 13,
];

/// Which CIFAR variant a binary file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CifarKind {
    /// CIFAR-10: 1 label byte per record.
    Cifar10,
    /// CIFAR-100: coarse + fine label bytes per record.
    Cifar100,
}

/// Which CIFAR-100 labels to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cifar100Labels {
    /// The 100 fine classes (default).
    #[default]
    Fine,
    /// The 20 coarse superclasses.
    Coarse,
}

impl CifarKind {
    /// Bytes per record.
    pub fn record_len(self) -> usize {
        match self {
            Self::Cifar10 => 1 + IMAGE_BYTES,
            Self::Cifar100 => 2 + IMAGE_BYTES,
        }
    }

    /// Class names for this kind.
    pub fn classes(self, labels: Cifar100Labels) -> Vec<String> {
        let names: &[&str] = match (self, labels) {
            (Self::Cifar10, _) => &CIFAR10_CLASSES,
            (Self::Cifar100, Cifar100Labels::Fine) => &CIFAR100_FINE,
            (Self::Cifar100, Cifar100Labels::Coarse) => &CIFAR100_COARSE,
        };
        names.iter().map(|s| s.to_string()).collect()
    }
}

/// Parses one or more concatenated CIFAR binary files into a 3×32×32 dataset.
pub fn parse_bin(
    files: &[(&str, &[u8])],
    kind: CifarKind,
    labels: Cifar100Labels,
    name: &str,
) -> Result<Dataset, DataError> {
    let rec = kind.record_len();
    let classes = kind.classes(labels);
    let mut total: u64 = 0;
    for (what, bytes) in files {
        check_input_size(what, bytes.len() as u64)?;
        if bytes.is_empty() || bytes.len() % rec != 0 {
            return Err(bad(
                what,
                format!(
                    "{} bytes is not a whole number of {rec}-byte {kind:?} records (truncated or not CIFAR)",
                    bytes.len()
                ),
            ));
        }
        total += bytes.len() as u64;
    }
    if total > MAX_DECODED_BYTES {
        return Err(DataError::TooLarge {
            what: name.to_string(),
            size: total,
            limit: MAX_DECODED_BYTES,
        });
    }
    let n = (total / rec as u64) as usize;
    let mut images = Vec::with_capacity(n * IMAGE_BYTES);
    let mut out_labels = Vec::with_capacity(n);
    for (what, bytes) in files {
        for (i, r) in bytes.chunks_exact(rec).enumerate() {
            let label = match (kind, labels) {
                (CifarKind::Cifar10, _) | (CifarKind::Cifar100, Cifar100Labels::Coarse) => r[0],
                (CifarKind::Cifar100, Cifar100Labels::Fine) => r[1],
            };
            if label as usize >= classes.len() {
                return Err(DataError::Mismatch(format!(
                    "{what}: record {i} has label {label}, but {kind:?} has {} classes",
                    classes.len()
                )));
            }
            out_labels.push(label as u16);
            images.extend_from_slice(&r[rec - IMAGE_BYTES..]);
        }
    }
    Dataset::new(name, classes, (3, 32, 32), images, out_labels)
}

/// Guesses the kind of a single binary file from its name, then its length.
pub fn kind_for(name: &str, len: usize) -> Option<CifarKind> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base.starts_with("data_batch") || base.starts_with("test_batch") {
        return Some(CifarKind::Cifar10);
    }
    if base == "train.bin" || base == "test.bin" {
        return Some(CifarKind::Cifar100);
    }
    match (len % (1 + IMAGE_BYTES), len % (2 + IMAGE_BYTES)) {
        (0, r) if r != 0 && len > 0 => Some(CifarKind::Cifar10),
        (r, 0) if r != 0 && len > 0 => Some(CifarKind::Cifar100),
        _ => None,
    }
}

/// Train and test parts of a CIFAR archive.
#[derive(Clone, Debug)]
pub struct Archive {
    /// Which variant it was.
    pub kind: CifarKind,
    /// `data_batch_1..5.bin` or `train.bin`.
    pub train: Dataset,
    /// `test_batch.bin` or `test.bin`.
    pub test: Dataset,
}

/// Reads `cifar-10-binary.tar.gz` or `cifar-100-binary.tar.gz` (or the same tar
/// uncompressed) as distributed, as a stream: only the batch files are kept in memory.
pub fn parse_archive(
    bytes: &[u8],
    labels: Cifar100Labels,
    what: &str,
) -> Result<Archive, DataError> {
    check_input_size(what, bytes.len() as u64)?;
    let mut kept: Vec<(String, Vec<u8>)> = Vec::new();
    let want = |base: &str| {
        base.starts_with("data_batch_") && base.ends_with(".bin")
            || matches!(base, "test_batch.bin" | "train.bin" | "test.bin")
    };
    let mut budget = MAX_DECODED_BYTES;
    let mut visit = |name: &str, size: u64, r: &mut dyn Read| -> Result<bool, DataError> {
        let base = name.rsplit('/').next().unwrap_or(name);
        if !want(base) {
            return Ok(false);
        }
        if size > budget {
            return Err(DataError::TooLarge {
                what: format!("{what}: {name}"),
                size,
                limit: MAX_DECODED_BYTES,
            });
        }
        budget -= size;
        let mut buf = Vec::new();
        r.take(size)
            .read_to_end(&mut buf)
            .map_err(|e| io_err(what, e))?;
        if (buf.len() as u64) < size {
            return Err(DataError::Truncated {
                what: format!("{what}: {name}"),
                needed: size,
                available: buf.len() as u64,
            });
        }
        kept.push((name.to_string(), buf));
        Ok(true)
    };
    if super::is_gzip(bytes) {
        let limit = super::decode_budget(bytes.len() as u64);
        walk_tar(
            flate2::read::MultiGzDecoder::new(bytes),
            what,
            limit,
            &mut visit,
        )?;
    } else {
        walk_tar(bytes, what, bytes.len() as u64, &mut visit)?;
    }
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let base = |n: &str| n.rsplit('/').next().unwrap_or("").to_string();
    let pick = |f: &dyn Fn(&str) -> bool| -> Vec<(&str, &[u8])> {
        kept.iter()
            .filter(|(n, _)| f(&base(n)))
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect()
    };
    let (kind, train, test) = if kept.iter().any(|(n, _)| base(n).starts_with("data_batch_")) {
        let train = pick(&|b| b.starts_with("data_batch_"));
        (CifarKind::Cifar10, train, pick(&|b| b == "test_batch.bin"))
    } else {
        (
            CifarKind::Cifar100,
            pick(&|b| b == "train.bin"),
            pick(&|b| b == "test.bin"),
        )
    };
    if train.is_empty() || test.is_empty() {
        return Err(DataError::Mismatch(format!(
            "{what}: no CIFAR train and test batches found (expected cifar-10-batches-bin/data_batch_*.bin + test_batch.bin or cifar-100-binary/train.bin + test.bin)"
        )));
    }
    let label = match kind {
        CifarKind::Cifar10 => "CIFAR-10",
        CifarKind::Cifar100 => "CIFAR-100",
    };
    Ok(Archive {
        kind,
        train: parse_bin(&train, kind, labels, &format!("{label} (train)"))?,
        test: parse_bin(&test, kind, labels, &format!("{label} (test)"))?,
    })
}

fn io_err(what: &str, e: std::io::Error) -> DataError {
    DataError::Decompress {
        what: what.to_string(),
        reason: e.to_string(),
    }
}

/// Callback of [`walk_tar`]: `(entry name, size, entry reader) -> consumed?`.
pub type TarVisitor<'a> = dyn FnMut(&str, u64, &mut dyn Read) -> Result<bool, DataError> + 'a;

/// Walks a ustar / GNU tar stream; `visit(name, size, reader)` may consume the entry
/// (returns `true`) or not; the rest of the entry and its padding are skipped. At most
/// `limit` bytes of the stream are read, headers and skipped entries included: an entry
/// whose declared size would pass it is refused before any of it is read.
pub fn walk_tar<R: Read>(
    mut r: R,
    what: &str,
    limit: u64,
    visit: &mut TarVisitor<'_>,
) -> Result<(), DataError> {
    let mut consumed: u64 = 0;
    let mut header = [0u8; 512];
    let mut long_name: Option<String> = None;
    let mut entries = 0usize;
    loop {
        let got = super::read_full(&mut r, &mut header).map_err(|e| io_err(what, e))?;
        if got == 0 {
            return Ok(()); // end of stream without the zero blocks: tolerated
        }
        if got < 512 {
            return Err(DataError::Truncated {
                what: format!("{what} (tar header)"),
                needed: 512,
                available: got as u64,
            });
        }
        if header.iter().all(|&b| b == 0) {
            return Ok(());
        }
        entries += 1;
        if entries > 1_000_000 {
            return Err(bad(what, "more than 1,000,000 tar entries"));
        }
        let stored: u64 = header[..148]
            .iter()
            .chain([b' '; 8].iter())
            .chain(&header[156..])
            .map(|&b| b as u64)
            .sum();
        if parse_octal(&header[148..156]) != Some(stored) {
            return Err(bad(
                what,
                "tar header checksum mismatch (not a tar archive, or corrupt)",
            ));
        }
        let size =
            parse_size(&header[124..136]).ok_or_else(|| bad(what, "invalid tar entry size"))?;
        let padded = size
            .checked_add(511)
            .map(|s| s / 512 * 512)
            .ok_or_else(|| bad(what, "tar entry too large"))?;
        consumed = consumed.saturating_add(512).saturating_add(padded);
        if consumed > limit {
            return Err(DataError::TooLarge {
                what: format!("{what} (tar stream, read through entries and skipped ones)"),
                size: consumed,
                limit,
            });
        }
        let cstr = |b: &[u8]| {
            String::from_utf8_lossy(b.split(|&c| c == 0).next().unwrap_or(&[])).into_owned()
        };
        let mut name = cstr(&header[..100]);
        if &header[257..262] == b"ustar" {
            let prefix = cstr(&header[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        if let Some(l) = long_name.take() {
            name = l;
        }
        let typeflag = header[156];
        let mut entry = (&mut r).take(padded);
        match typeflag {
            b'L' if size <= 4096 => {
                let mut buf = Vec::new();
                entry.read_to_end(&mut buf).map_err(|e| io_err(what, e))?;
                let n = (size as usize).min(buf.len());
                long_name = Some(cstr(&buf[..n]));
            }
            b'0' | 0 | b'7' => {
                let mut data = (&mut entry).take(size);
                visit(&name, size, &mut data)?;
            }
            _ => {}
        }
        std::io::copy(&mut entry, &mut std::io::sink()).map_err(|e| io_err(what, e))?;
        if entry.limit() > 0 {
            return Err(DataError::Truncated {
                what: format!("{what}: {name}"),
                needed: padded,
                available: padded - entry.limit(),
            });
        }
    }
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let s = field
        .iter()
        .skip_while(|&&b| b == b' ')
        .take_while(|&&b| (b'0'..=b'7').contains(&b));
    let mut v: u64 = 0;
    let mut any = false;
    for &b in s {
        v = v.checked_mul(8)?.checked_add((b - b'0') as u64)?;
        any = true;
    }
    any.then_some(v)
}

fn parse_size(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        // GNU base-256
        let mut v: u64 = (field[0] & 0x7f) as u64;
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(b as u64)?;
        }
        return Some(v);
    }
    parse_octal(field)
}
