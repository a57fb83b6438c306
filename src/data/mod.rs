//! Datasets: readers for standard file formats, the shipped subsets, and seeded splits.
//!
//! Everything here is shared by the web app (wasm32) and the native CLI:
//! - [`idx`]: gzip-aware IDX reader (MNIST, Fashion-MNIST — the shipped data);
//! - [`cifar`]: CIFAR-10/100 binary batches and the distributed `.tar.gz` archives;
//! - [`svhn`]: SVHN cropped digits (`*_32x32.mat`, MATLAB v5, plain or zlib-compressed);
//! - [`folder`]: "ImageFolder" trees (one sub-folder per class) of PNG/JPEG, from a
//!   directory, a list of files or a zip archive, resized to a chosen resolution;
//! - [`image`]: one PNG/JPEG decoded within caps, converted to a channel count and size;
//! - [`zip`]: a zip archive's directory and entries (stored or deflated, CRC-checked);
//! - [`detect`]: format detection from file names and magic bytes, and `load_any`;
//! - [`dataset`]: the in-memory [`Dataset`] (channel-planar `u8` pixels) and the
//!   [`Shipped`] registry;
//! - [`split`]: seeded, class-stratified train/validation splits.
//!
//! Every reader validates what it reads against the input length *before* allocating,
//! caps memory at [`MAX_INPUT_BYTES`] / [`MAX_DECODED_BYTES`], and returns a typed
//! [`DataError`] with a one-line message instead of panicking. Budgets are checked
//! against what headers declare, before anything is allocated or decompressed:
//! - compressed input (gzip, zlib, deflate in zip, tar.gz) may expand to at most
//!   [`decode_budget`] bytes: `MAX_RATIO ×` its compressed size (at least
//!   [`MIN_DECODE_BUDGET`]), never more than [`MAX_DECODED_BYTES`]; skipped tar entries
//!   count too;
//! - dataset images are at most [`MAX_IMAGE_SIDE`] pixels a side (IDX dimensions, image
//!   folders' output), source images at most [`image::MAX_SOURCE_SIDE`] a side and
//!   [`folder::MAX_SOURCE_PIXELS`] decoded pixels in all;
//! - a zip lists at most [`zip::MAX_ENTRIES`] entries, no two with the same name or
//!   overlapping data.

mod capped;
pub mod cifar;
pub mod dataset;
pub mod detect;
pub mod folder;
pub mod idx;
pub mod image;
pub mod split;
pub mod svhn;
pub mod tar;
pub mod zip;

pub(crate) use capped::read_capped;
pub use capped::{gunzip_in_steps, maybe_gunzip, CappedRead};
pub use dataset::{Dataset, Shipped};
pub use detect::{load_any, Format, Input, Loaded};
#[cfg(not(target_arch = "wasm32"))]
pub use detect::{load_dataset_arg, load_path, shipped_dir};
pub use split::{stratified_split, Split};

use std::io::Read;

/// Largest input file (compressed or not) any reader accepts: 512 MiB.
pub const MAX_INPUT_BYTES: u64 = 512 << 20;
/// Largest decompressed / decoded payload any reader produces: 512 MiB.
pub const MAX_DECODED_BYTES: u64 = 512 << 20;
/// Largest expansion of compressed data: real datasets compress 1–10×, bombs 1000×.
pub const MAX_RATIO: u64 = 100;
/// Compressed input may always expand to this much (small files, sparse images): 16 MiB.
pub const MIN_DECODE_BUDGET: u64 = 16 << 20;
/// Largest side of a dataset image, in pixels (the networks train on small images).
pub const MAX_IMAGE_SIDE: usize = 256;

/// The most bytes `compressed` bytes of gzip / zlib / deflate may expand to.
pub fn decode_budget(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_RATIO)
        .clamp(MIN_DECODE_BUDGET, MAX_DECODED_BYTES)
}

/// Why a dataset could not be read. Every message is one line.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DataError {
    /// The file system refused (native only).
    #[error("{path}: {reason}")]
    Io {
        /// The path that was read.
        path: String,
        /// The OS error, as text.
        reason: String,
    },
    /// Input or decoded size above a cap.
    #[error("{what} is {size} bytes, over the limit of {limit} bytes ({} MiB)", limit >> 20)]
    TooLarge {
        /// What was measured.
        what: String,
        /// Its (declared or actual) size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// The input ends before the declared contents.
    #[error("{what} is truncated: needs {needed} bytes, has {available}")]
    Truncated {
        /// What was being read.
        what: String,
        /// Bytes required by the header.
        needed: u64,
        /// Bytes present.
        available: u64,
    },
    /// A header field (magic number, type code, dimension, ...) is invalid.
    #[error("{what}: {reason}")]
    BadHeader {
        /// What was being read.
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Parts that must agree do not (image/label counts, shapes, label ranges, ...).
    #[error("{0}")]
    Mismatch(String),
    /// gzip / zlib / deflate stream is corrupt.
    #[error("{what}: corrupt compressed data ({reason})")]
    Decompress {
        /// What was being decompressed.
        what: String,
        /// The decoder's message.
        reason: String,
    },
    /// A valid file of a kind this reader does not handle.
    #[error("{0}")]
    Unsupported(String),
}

/// Builds a [`DataError::BadHeader`].
pub(crate) fn bad(what: &str, reason: impl Into<String>) -> DataError {
    DataError::BadHeader {
        what: what.to_string(),
        reason: reason.into(),
    }
}

/// Refuses inputs over [`MAX_INPUT_BYTES`].
pub(crate) fn check_input_size(what: &str, len: u64) -> Result<(), DataError> {
    if len > MAX_INPUT_BYTES {
        return Err(DataError::TooLarge {
            what: what.to_string(),
            size: len,
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

/// Reads until `buf` is full or the stream ends; returns how many bytes were read.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// True when `bytes` start with the gzip magic `1f 8b`.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decode_budget_scales_with_the_compressed_size_within_bounds() {
        assert_eq!(decode_budget(0), MIN_DECODE_BUDGET);
        assert_eq!(decode_budget(1 << 20), 100 << 20);
        assert_eq!(decode_budget(u64::MAX), MAX_DECODED_BYTES);
    }
}
