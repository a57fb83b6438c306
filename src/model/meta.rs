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

/// Why a weights file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsFileError {
    /// Larger than [`MAX_WEIGHTS_BYTES`].
    #[error("the weights file is {:.1} MB; at most {} MB are accepted", *.0 as f64 / 1e6, MAX_WEIGHTS_BYTES >> 20)]
    TooLarge(usize),
    /// Not a burnpack record.
    #[error("not a burn record (.bpk): {0}")]
    NotRecord(String),
    /// A burn record without the AEBNAS description.
    #[error("this burn record has no AEBNAS description (genome, dataset); export weights from the playground or `aebnas train --save-weights`")]
    NoDescription,
    /// The description cannot be read or holds values no network here has.
    #[error("bad AEBNAS description: {0}")]
    BadDescription(String),
    /// Written by a newer version.
    #[error(
        "weights file version {0} is newer than this playground understands ({WEIGHTS_VERSION})"
    )]
    Newer(u32),
    /// The network's input or classes differ from the data's.
    #[error("the network takes {network_input:?} images of {network_classes} classes; dataset {dataset} has {data_input:?} and {data_classes}")]
    DoesNotFit {
        /// The network's input `(c, h, w)`.
        network_input: (usize, usize, usize),
        /// The network's classes.
        network_classes: usize,
        /// The data's name.
        dataset: String,
        /// The data's input.
        data_input: (usize, usize, usize),
        /// The data's classes.
        data_classes: usize,
    },
}

impl WeightsMeta {
    /// Whether the network takes `input` `(channels, height, width)` images of `classes`
    /// classes (the data it is about to run on, named `dataset` in the message).
    pub fn check_fits(
        &self,
        input: (usize, usize, usize),
        classes: usize,
        dataset: &str,
    ) -> Result<(), WeightsFileError> {
        if self.input != input || self.classes != classes {
            return Err(WeightsFileError::DoesNotFit {
                network_input: self.input,
                network_classes: self.classes,
                dataset: dataset.to_string(),
                data_input: input,
                data_classes: classes,
            });
        }
        Ok(())
    }
}

/// `bytes` as burnpack bytes, after the size check.
pub(crate) fn to_bytes(bytes: &[u8]) -> Result<burn_pack::Bytes, WeightsFileError> {
    if bytes.len() > MAX_WEIGHTS_BYTES {
        return Err(WeightsFileError::TooLarge(bytes.len()));
    }
    Ok(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
}

/// Reads the [`WeightsMeta`] of a `.bpk` file (without reading its tensors).
pub fn read_meta(bytes: &[u8]) -> Result<WeightsMeta, WeightsFileError> {
    let reader = burn_pack::Reader::from_bytes(to_bytes(bytes)?)
        .map_err(|e| WeightsFileError::NotRecord(e.to_string()))?;
    let json = reader
        .metadata()
        .get(META_KEY)
        .ok_or(WeightsFileError::NoDescription)?;
    let meta: WeightsMeta =
        serde_json::from_str(json).map_err(|e| WeightsFileError::BadDescription(e.to_string()))?;
    if meta.version > WEIGHTS_VERSION {
        return Err(WeightsFileError::Newer(meta.version));
    }
    meta.check_values()?;
    Ok(meta)
}

impl WeightsMeta {
    /// Refuses values no network of this playground has: non-finite thresholds, an input
    /// past [`MAX_IMAGE_SIDE`] a side or not 1 or 3 channels, more classes than labels
    /// hold, a genome text longer than any genome.
    fn check_values(&self) -> Result<(), WeightsFileError> {
        let bad = |why: String| Err(WeightsFileError::BadDescription(why));
        let (c, h, w) = self.input;
        if !(c == 1 || c == 3) || h == 0 || w == 0 || h > MAX_IMAGE_SIDE || w > MAX_IMAGE_SIDE {
            return bad(format!(
                "input {c}×{h}×{w} (1 or 3 channels, at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE})"
            ));
        }
        if self.classes == 0 || self.classes > u16::MAX as usize {
            return bad(format!("{} classes", self.classes));
        }
        if self.thresholds.iter().any(|t| !t.is_finite()) {
            return bad("a threshold is not a finite number".into());
        }
        if self.genome.len() > MAX_GENOME_CHARS {
            return bad(format!(
                "a genome of {} characters (at most {MAX_GENOME_CHARS})",
                self.genome.len()
            ));
        }
        Ok(())
    }
}
