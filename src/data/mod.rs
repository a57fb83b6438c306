//! Datasets: readers for standard file formats, the shipped subsets, and seeded splits.
//!
//! Everything here is shared by the web app (wasm32) and the native CLI:
//! - [`idx`]: gzip-aware IDX reader (MNIST, Fashion-MNIST — the shipped data);
//! - [`cifar`]: CIFAR-10/100 binary batches and the distributed `.tar.gz` archives;
//! - [`svhn`]: SVHN cropped digits (`*_32x32.mat`, MATLAB v5, plain or zlib-compressed);
//! - [`folder`]: "ImageFolder" trees (one sub-folder per class) of PNG/JPEG, from a
//!   directory, a list of files or a zip archive, resized to a chosen resolution;
//! - [`zip`]: a zip archive's directory and entries (stored or deflated, CRC-checked);
//! - [`detect`]: format detection from file names and magic bytes, and `load_any`;
//! - [`dataset`]: the in-memory [`Dataset`] (channel-planar `u8` pixels) and the
//!   [`Shipped`] registry;
//! - [`split`]: seeded, class-stratified train/validation splits.
//!
//! Every reader validates what it reads against the input length *before* allocating,
//! caps memory at [`MAX_INPUT_BYTES`] / [`MAX_DECODED_BYTES`], and returns a typed
//! [`DataError`] with a one-line message instead of panicking.

pub mod cifar;
pub mod dataset;
pub mod detect;
pub mod folder;
pub mod idx;
pub mod split;
pub mod svhn;
pub mod zip;

pub use dataset::{Dataset, Shipped};
pub use detect::{load_any, Format, Input, Loaded};
#[cfg(not(target_arch = "wasm32"))]
pub use detect::{load_dataset_arg, load_path};
pub use split::{stratified_split, Split};

use std::io::Read;

/// Largest input file (compressed or not) any reader accepts: 512 MiB.
pub const MAX_INPUT_BYTES: u64 = 512 << 20;
/// Largest decompressed / decoded payload any reader produces: 512 MiB.
pub const MAX_DECODED_BYTES: u64 = 512 << 20;

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

/// Reads at most `limit` bytes from `reader`; more is a [`DataError::TooLarge`].
pub(crate) fn read_capped(
    mut reader: impl Read,
    what: &str,
    limit: u64,
) -> Result<Vec<u8>, DataError> {
    let mut out = Vec::new();
    let read = (&mut reader)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DataError::Decompress {
            what: what.to_string(),
            reason: e.to_string(),
        })?;
    if read as u64 > limit {
        return Err(DataError::TooLarge {
            what: format!("{what} (decompressed)"),
            size: read as u64,
            limit,
        });
    }
    Ok(out)
}

/// True when `bytes` start with the gzip magic `1f 8b`.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

/// Decompresses gzip input (all members) up to [`MAX_DECODED_BYTES`]; other input is
/// returned as is.
pub fn maybe_gunzip<'a>(
    bytes: &'a [u8],
    what: &str,
) -> Result<std::borrow::Cow<'a, [u8]>, DataError> {
    check_input_size(what, bytes.len() as u64)?;
    if !is_gzip(bytes) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    read_capped(decoder, what, MAX_DECODED_BYTES).map(std::borrow::Cow::Owned)
}
