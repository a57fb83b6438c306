//! A trained supernet as a file: a burn record (burnpack, `.bpk`) of
//! [`Supernet`](super::supernet::Supernet) whose metadata key [`SUPERNET_META_KEY`] holds
//! the [`SupernetMeta`] JSON (dataset, input shape, classes, how it was trained).
//!
//! The bytes are a function of the weights and the description only: burn gives every
//! parameter a random identity, which the record would carry, so writing drops them (a
//! supernet is loaded for inference and fine-tuning, never to resume its optimiser).
//! That is what lets `scripts/train-supernets` rebuild the shipped files byte for byte.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::meta::MAX_WEIGHTS_BYTES;
use super::supernet::Supernet;
use crate::engine::space::SearchSpace;

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

/// `supernet` (an inference module on the CPU device) and `meta` as `.bpk` bytes.
pub fn supernet_to_bytes(
    supernet: &Supernet,
    meta: &SupernetMeta,
) -> Result<Vec<u8>, SupernetFileError> {
    let write = |e: String| SupernetFileError::Write(e);
    let record = supernet
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| write(e.to_string()))?;
    let mut tensors = burn_pack::Reader::from_bytes(record)
        .and_then(|r| r.into_tensors())
        .map_err(|e| write(e.to_string()))?;
    for t in &mut tensors {
        t.param_id = None;
    }
    let json = serde_json::to_string(meta).map_err(|e| write(e.to_string()))?;
    let bytes = burn_pack::Writer::new(tensors)
        .with_metadata(SUPERNET_META_KEY, &json)
        .into_bytes()
        .map_err(|e| write(e.to_string()))?;
    Ok(bytes.to_vec())
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

/// Loads a supernet file for `space` on `device`, after checking it was trained for
/// `input` images of `classes` classes.
pub fn supernet_from_bytes(
    bytes: &[u8],
    space: &SearchSpace,
    (input, classes): ((usize, usize, usize), usize),
    device: &Device,
) -> Result<(Supernet, SupernetMeta), SupernetFileError> {
    let meta = read_supernet_meta(bytes)?;
    if meta.input != input || meta.classes != classes {
        return Err(SupernetFileError::WrongData {
            have: meta.input,
            have_classes: meta.classes,
            want: input,
            want_classes: classes,
        });
    }
    let record = ModuleRecord::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| SupernetFileError::NotARecord(e.to_string()))?;
    let supernet = Supernet::new(space, 0, device)
        .map_err(SupernetFileError::DoesNotFit)?
        .try_load_record(record)
        .map_err(|e| SupernetFileError::DoesNotFit(format!("{e:?}")))?;
    Ok((supernet, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> SupernetMeta {
        SupernetMeta {
            version: SUPERNET_VERSION,
            dataset: "fashion-mnist".into(),
            input: (1, 28, 28),
            classes: 10,
            epochs: 1,
            seed: 3,
            train_images: 64,
        }
    }

    #[test]
    fn bytes_depend_on_the_weights_only_and_load_back() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let a = Supernet::new(&space, 5, &device).unwrap();
        let b = Supernet::new(&space, 5, &device).unwrap();
        let (ba, bb) = (
            supernet_to_bytes(&a, &meta()).unwrap(),
            supernet_to_bytes(&b, &meta()).unwrap(),
        );
        assert_eq!(ba, bb, "same weights, different parameter ids: same bytes");
        let (back, m) = supernet_from_bytes(&ba, &space, ((1, 28, 28), 10), &device).unwrap();
        assert_eq!(m, meta());
        assert_eq!(supernet_to_bytes(&back, &meta()).unwrap(), ba);
        let other = Supernet::new(&space, 6, &device).unwrap();
        assert_ne!(supernet_to_bytes(&other, &meta()).unwrap(), ba);
    }

    #[test]
    fn refuses_other_data_and_other_files() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let bytes =
            supernet_to_bytes(&Supernet::new(&space, 5, &device).unwrap(), &meta()).unwrap();
        let wrong = supernet_from_bytes(&bytes, &space, ((3, 32, 32), 10), &device);
        assert!(matches!(wrong, Err(SupernetFileError::WrongData { .. })));
        assert!(matches!(
            read_supernet_meta(b"not a record"),
            Err(SupernetFileError::NotARecord(_))
        ));
        let space3 = SearchSpace::browser(3, 32, 10);
        let mut m = meta();
        m.input = (3, 32, 32);
        let e = supernet_from_bytes(&bytes_with(&bytes, &m), &space3, ((3, 32, 32), 10), &device);
        assert!(matches!(e, Err(SupernetFileError::DoesNotFit(_))), "{e:?}");
    }

    /// The same tensors under another description.
    fn bytes_with(bytes: &[u8], m: &SupernetMeta) -> Vec<u8> {
        let tensors =
            burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
                .and_then(|r| r.into_tensors())
                .unwrap();
        let json = serde_json::to_string(m).unwrap();
        (burn_pack::Writer::new(tensors).with_metadata(SUPERNET_META_KEY, &json))
            .into_bytes()
            .unwrap()
            .to_vec()
    }
}
