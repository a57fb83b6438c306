//! CIFAR-10 / CIFAR-100 binary files and the distributed `.tar.gz` archives.
//!
//! A CIFAR-10 record is `<label byte><3,072 pixel bytes>` (R, G, B planes of 32×32, row
//! major); a CIFAR-100 record is `<coarse byte><fine byte><3,072 pixel bytes>`. The files
//! are `data_batch_{1..5}.bin` + `test_batch.bin` (CIFAR-10) and `train.bin` + `test.bin`
//! (CIFAR-100), distributed in `cifar-10-binary.tar.gz` (`cifar-10-batches-bin/…`) and
//! `cifar-100-binary.tar.gz` (`cifar-100-binary/…`). Archives are read as a stream
//! (gzip → a minimal ustar reader) keeping only the entries needed.

use super::tar::{io_err, walk_tar};
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
    let (kind, train, test) = split_batches(&kept, what)?;
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

/// Batch files by name.
type Batches<'a> = Vec<(&'a str, &'a [u8])>;

/// Which CIFAR the kept batch files are, and its train and test batches (in name order).
fn split_batches<'a>(
    kept: &'a [(String, Vec<u8>)],
    what: &str,
) -> Result<(CifarKind, Batches<'a>, Batches<'a>), DataError> {
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
    Ok((kind, train, test))
}
