//! A compact, exact text form of an [`ExitCache`] for messages and browser storage:
//! every array is its little-endian bytes in base64 (RFC 4648, with padding), so an
//! `f32` costs 5⅓ characters instead of ~11 in JSON and round-trips bit for bit.
//! Decoding validates everything through [`ExitCache::from_parts`] and never panics.

use serde::{Deserialize, Serialize};

use crate::engine::exits::ExitCache;

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
    pub fn decode(&self) -> Result<ExitCache, String> {
        if self.v != COMPACT_CACHE_VERSION {
            return Err(format!(
                "cache format {} is not {COMPACT_CACHE_VERSION}",
                self.v
            ));
        }
        let f32s = |what: &str, text: &str| -> Result<Vec<f32>, String> {
            let bytes = base64_decode(text).ok_or_else(|| format!("{what}: not base64"))?;
            if bytes.len() % 4 != 0 {
                return Err(format!(
                    "{what}: {} bytes is not a whole number of f32",
                    bytes.len()
                ));
            }
            Ok(bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let u16s = |what: &str, text: &str| -> Result<Vec<u16>, String> {
            let bytes = base64_decode(text).ok_or_else(|| format!("{what}: not base64"))?;
            if bytes.len() % 2 != 0 {
                return Err(format!("{what}: odd byte count"));
            }
            Ok(bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect())
        };
        ExitCache::from_parts(
            self.exits,
            self.classes,
            f32s("margin", &self.margin)?,
            f32s("max_softmax", &self.max_softmax)?,
            f32s("entropy", &self.entropy)?,
            u16s("predicted", &self.predicted)?,
            u16s("labels", &self.labels)?,
        )
        .map_err(|e| e.to_string())
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 with padding; `None` on any malformed input.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let groups = bytes.len() / 4;
    for (g, quad) in bytes.chunks_exact(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && g + 1 != groups) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
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
