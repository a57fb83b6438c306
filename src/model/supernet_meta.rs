//! What a supernet file (`.bpk`) says about itself, read without tensors or a burn backend
//! (so the page, which holds no burn, checks an imported file itself): the [`SupernetMeta`]
//! JSON under the burnpack metadata key [`SUPERNET_META_KEY`], and the errors of supernet
//! files. `supernet_file.rs` writes and loads the tensors.

use serde::{Deserialize, Serialize};

use super::meta::MAX_WEIGHTS_BYTES;

/// The burnpack metadata key holding [`SupernetMeta`].
pub const SUPERNET_META_KEY: &str = "aebnas-supernet";
/// Version of [`SupernetMeta`].
pub const SUPERNET_VERSION: u32 = 1;

/// What a supernet file says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupernetMeta {
    /// [`SUPERNET_VERSION`].
    pub version: u32,
    /// Dataset id (or file name) it was trained on.
    pub dataset: String,
    /// Input `(channels, height, width)` of the search space.
    pub input: (usize, usize, usize),
    /// Number of classes.
    pub classes: usize,
    /// Epochs of sandwich training.
    pub epochs: usize,
    /// Seed of the training run.
    pub seed: u64,
    /// Training images per epoch.
    pub train_images: usize,
}

/// Why a supernet file cannot be written or used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SupernetFileError {
    /// Bigger than any supernet of this playground.
    #[error("the supernet file is {0} bytes; at most {MAX_WEIGHTS_BYTES} are accepted")]
    TooLarge(usize),
    /// Not a burnpack record.
    #[error("not a burn record (.bpk): {0}")]
    NotARecord(String),
    /// A burn record without the supernet description.
    #[error("this burn record is not an AEBNAS supernet (no `{SUPERNET_META_KEY}` description)")]
    NoDescription,
    /// The description does not parse or is newer than this build.
    #[error("bad supernet description: {0}")]
    BadDescription(String),
    /// Trained for other images or classes than the data at hand.
    #[error("the supernet takes {have:?} images of {have_classes} classes; the data has {want:?} and {want_classes}")]
    WrongData {
        /// The file's input shape.
        have: (usize, usize, usize),
        /// The file's classes.
        have_classes: usize,
        /// The data's input shape.
        want: (usize, usize, usize),
        /// The data's classes.
        want_classes: usize,
    },
    /// The tensors do not fit the search space's supernet.
    #[error("the supernet's weights do not fit this search space: {0}")]
    DoesNotFit(String),
    /// Writing failed.
    #[error("could not write the supernet record: {0}")]
    Write(String),
}

/// Reads the description of a supernet file (size-checked before anything is parsed).
pub fn read_supernet_meta(bytes: &[u8]) -> Result<SupernetMeta, SupernetFileError> {
    if bytes.len() > MAX_WEIGHTS_BYTES {
        return Err(SupernetFileError::TooLarge(bytes.len()));
    }
    let reader = burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| SupernetFileError::NotARecord(e.to_string()))?;
    let json =
        (reader.metadata().get(SUPERNET_META_KEY)).ok_or(SupernetFileError::NoDescription)?;
    let meta: SupernetMeta =
        serde_json::from_str(json).map_err(|e| SupernetFileError::BadDescription(e.to_string()))?;
    if meta.version > SUPERNET_VERSION {
        return Err(SupernetFileError::BadDescription(format!(
            "version {} is newer than this build understands ({SUPERNET_VERSION})",
            meta.version
        )));
    }
    Ok(meta)
}

/// Whether a supernet described by `meta` takes `input` images of `classes` classes.
pub fn check_fits(
    meta: &SupernetMeta,
    input: (usize, usize, usize),
    classes: usize,
) -> Result<(), SupernetFileError> {
    if meta.input != input || meta.classes != classes {
        return Err(SupernetFileError::WrongData {
            have: meta.input,
            have_classes: meta.classes,
            want: input,
            want_classes: classes,
        });
    }
    Ok(())
}
