//! A compact, exact text form of an [`ExitCache`] for the worker's messages, browser
//! storage and run files: every array is its little-endian bytes in base64 (RFC 4648, with
//! padding), so an `f32` costs 5⅓ characters instead of ~11 in JSON and round-trips bit for
//! bit. Decoding validates everything through [`ExitCache::from_parts`] and never panics.
//!
//! A *run file* ([`run_file`]) is a results document plus the test caches of its candidates
//! under [`PAGE_CACHES_KEY`]: the page's export and import, the CLI's `search --page-run`,
//! and the shipped example runs. Readers of plain results ignore the extra key.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::exits::{ExitCache, ExitCacheError};
use crate::engine::results::RunResults;

/// Key of a run file's caches: archive position → [`CompactCache`] of the test split.
pub const PAGE_CACHES_KEY: &str = "page_caches";

/// The run file of `run`: its results document with `caches` under [`PAGE_CACHES_KEY`].
pub fn run_file(run: &RunResults, caches: &BTreeMap<usize, CompactCache>) -> String {
    let mut value = serde_json::to_value(run).unwrap_or_default();
    if let (Some(obj), Ok(c)) = (value.as_object_mut(), serde_json::to_value(caches)) {
        obj.insert(PAGE_CACHES_KEY.into(), c);
    }
    serde_json::to_string(&value).unwrap_or_default()
}

/// Version of the compact form; readers refuse other versions.
pub const COMPACT_CACHE_VERSION: u32 = 1;

/// An [`ExitCache`] with its arrays as base64 text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompactCache {
    /// [`COMPACT_CACHE_VERSION`].
    pub v: u32,
    /// Exits `E` (enabled early exits + final).
    pub exits: usize,
    /// Classes `K`.
    pub classes: usize,
    /// Score-margin confidences, `f32` LE, exit-major.
    pub margin: String,
    /// Max-softmax confidences, `f32` LE, exit-major.
    pub max_softmax: String,
    /// Entropy confidences, `f32` LE, exit-major.
    pub entropy: String,
    /// Predictions, `u16` LE, exit-major.
    pub predicted: String,
    /// Labels, `u16` LE.
    pub labels: String,
}

impl CompactCache {
    /// Encodes `cache`.
    pub fn encode(cache: &ExitCache) -> Self {
        let f32s =
            |v: &[f32]| base64_encode(&v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>());
        let u16s =
            |v: &[u16]| base64_encode(&v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>());
        Self {
            v: COMPACT_CACHE_VERSION,
            exits: cache.num_exits,
            classes: cache.num_classes,
            margin: f32s(&cache.margin),
            max_softmax: f32s(&cache.max_softmax),
            entropy: f32s(&cache.entropy),
            predicted: u16s(&cache.predicted),
            labels: u16s(&cache.labels),
        }
    }

    /// Decodes and validates.
    pub fn decode(&self) -> Result<ExitCache, CacheCodecError> {
        if self.v != COMPACT_CACHE_VERSION {
            return Err(CacheCodecError::Version(self.v));
        }
        let bytes = |field: &'static str, text: &str, width: usize| {
            let b = base64_decode(text).ok_or(CacheCodecError::NotBase64(field))?;
            if !b.len().is_multiple_of(width) {
                return Err(CacheCodecError::Length {
                    field,
                    bytes: b.len(),
                    width,
                });
            }
            Ok(b)
        };
        let f32s = |field, text| -> Result<Vec<f32>, CacheCodecError> {
            Ok(bytes(field, text, 4)?
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let u16s = |field, text| -> Result<Vec<u16>, CacheCodecError> {
            Ok(bytes(field, text, 2)?
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect())
        };
        Ok(ExitCache::from_parts(
            self.exits,
            self.classes,
            f32s("margin", &self.margin)?,
            f32s("max_softmax", &self.max_softmax)?,
            f32s("entropy", &self.entropy)?,
            u16s("predicted", &self.predicted)?,
            u16s("labels", &self.labels)?,
        )?)
    }
}

/// Why a compact cache could not be decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CacheCodecError {
    /// A format version this build does not read.
    #[error("cache format {0} is not {COMPACT_CACHE_VERSION}")]
    Version(u32),
    /// A field is not base64.
    #[error("{0}: not base64")]
    NotBase64(&'static str),
    /// A field's byte count is not a whole number of its values.
    #[error("{field}: {bytes} bytes is not a whole number of {width}-byte values")]
    Length {
        /// The field.
        field: &'static str,
        /// Its decoded length.
        bytes: usize,
        /// Bytes per value.
        width: usize,
    },
    /// The decoded parts do not form a valid cache.
    #[error(transparent)]
    Cache(#[from] ExitCacheError),
}

/// Standard base64 with `=` padding (RFC 4648).
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard base64 with padding; `None` on any malformed input.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), coded);
            assert_eq!(base64_decode(coded).as_deref(), Some(plain.as_bytes()));
        }
        for bad in ["Zg=", "Z===", "Zg==Zg==", "Zm9*"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn cache_round_trips_exactly() {
        let probs = vec![
            vec![0.7, 0.2, 0.1, 0.4, 0.35, 0.25],
            vec![0.1, 0.8, 0.1, 0.05, 0.05, 0.9],
        ];
        let cache = ExitCache::from_probs(&probs, &[0, 2], 3).unwrap();
        let text = serde_json::to_string(&CompactCache::encode(&cache)).unwrap();
        let back: CompactCache = serde_json::from_str(&text).unwrap();
        assert_eq!(back.decode().unwrap(), cache);
        let mut broken = back.clone();
        broken.labels = base64_encode(&[9, 0, 0, 0]);
        assert!(
            broken.decode().is_err(),
            "a label outside the classes is refused"
        );
    }
}
