//! What a weights file (`.bpk`, a burn record in the burnpack format) says about its
//! network: the [`WeightsMeta`] JSON under the metadata key [`META_KEY`] — genome, method,
//! dataset, input shape, thresholds. Reading it needs no tensors and no burn backend, so
//! the page (which holds no burn) checks a dropped file itself; `weights.rs` writes and
//! loads the tensors.

use serde::{Deserialize, Serialize};

use crate::data::MAX_IMAGE_SIDE;
use crate::engine::exits::ExitRule;
use crate::engine::space::Method;

/// The burnpack metadata key holding [`WeightsMeta`].
pub const META_KEY: &str = "aebnas";
/// Version of [`WeightsMeta`].
pub const WEIGHTS_VERSION: u32 = 1;
/// Longest genome text accepted (a genome is a few dozen small numbers).
const MAX_GENOME_CHARS: usize = 1024;
/// Largest weights file accepted (the browser search space's networks are well under 16 MB).
pub const MAX_WEIGHTS_BYTES: usize = 64 << 20;

/// What a weights file says about its network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightsMeta {
    /// [`WEIGHTS_VERSION`].
    pub version: u32,
    /// The genome, as text.
    pub genome: String,
    /// The method whose exit heads the network uses.
    pub method: Method,
    /// Dataset id it was trained on.
    pub dataset: String,
    /// Input `(channels, height, width)`.
    pub input: (usize, usize, usize),
    /// Number of classes.
    pub classes: usize,
    /// Seed of the run that trained it.
    pub seed: u64,
    /// Confidence rule of the thresholds.
    pub exit_rule: ExitRule,
    /// Per-exit thresholds at export time.
    pub thresholds: Vec<f32>,
}

impl WeightsMeta {
    /// Whether the network takes `input` `(channels, height, width)` images of `classes`
    /// classes (the data it is about to run on, named `dataset` in the message).
    pub fn check_fits(
        &self,
        input: (usize, usize, usize),
        classes: usize,
        dataset: &str,
    ) -> Result<(), String> {
        if self.input != input || self.classes != classes {
            return Err(format!(
                "the network takes {:?} images of {} classes; dataset {dataset} has {input:?} and {classes}",
                self.input, self.classes
            ));
        }
        Ok(())
    }
}

/// `bytes` as burnpack bytes, after the size check.
pub(crate) fn to_bytes(bytes: &[u8]) -> Result<burn_pack::Bytes, String> {
    if bytes.len() > MAX_WEIGHTS_BYTES {
        return Err(format!(
            "the weights file is {:.1} MB; at most {} MB are accepted",
            bytes.len() as f64 / 1e6,
            MAX_WEIGHTS_BYTES >> 20
        ));
    }
    Ok(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
}

/// Reads the [`WeightsMeta`] of a `.bpk` file (without reading its tensors).
pub fn read_meta(bytes: &[u8]) -> Result<WeightsMeta, String> {
    let reader = burn_pack::Reader::from_bytes(to_bytes(bytes)?)
        .map_err(|e| format!("not a burn record (.bpk): {e}"))?;
    let json = reader.metadata().get(META_KEY).ok_or_else(|| {
        "this burn record has no AEBNAS description (genome, dataset); export weights from the playground or `aebnas train --save-weights`".to_string()
    })?;
    let meta: WeightsMeta =
        serde_json::from_str(json).map_err(|e| format!("bad AEBNAS description: {e}"))?;
    if meta.version > WEIGHTS_VERSION {
        return Err(format!(
            "weights file version {} is newer than this playground understands ({WEIGHTS_VERSION})",
            meta.version
        ));
    }
    meta.check_values()?;
    Ok(meta)
}

impl WeightsMeta {
    /// Refuses values no network of this playground has: non-finite thresholds, an input
    /// past [`MAX_IMAGE_SIDE`] a side or not 1 or 3 channels, more classes than labels
    /// hold, a genome text longer than any genome.
    fn check_values(&self) -> Result<(), String> {
        let (c, h, w) = self.input;
        if !(c == 1 || c == 3) || h == 0 || w == 0 || h > MAX_IMAGE_SIDE || w > MAX_IMAGE_SIDE {
            return Err(format!(
                "bad AEBNAS description: input {c}×{h}×{w} (1 or 3 channels, at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE})"
            ));
        }
        if self.classes == 0 || self.classes > u16::MAX as usize {
            return Err(format!("bad AEBNAS description: {} classes", self.classes));
        }
        if self.thresholds.iter().any(|t| !t.is_finite()) {
            return Err("bad AEBNAS description: a threshold is not a finite number".into());
        }
        if self.genome.len() > MAX_GENOME_CHARS {
            return Err(format!(
                "bad AEBNAS description: a genome of {} characters (at most {MAX_GENOME_CHARS})",
                self.genome.len()
            ));
        }
        Ok(())
    }
}
