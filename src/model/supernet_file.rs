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

use super::supernet::Supernet;
pub use super::supernet_meta::{
    check_fits, read_supernet_meta, SupernetFileError, SupernetMeta, SUPERNET_META_KEY,
    SUPERNET_VERSION,
};
use crate::engine::space::SearchSpace;

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

/// Loads a supernet file for `space` on `device`, after checking it was trained for
/// `input` images of `classes` classes.
pub fn supernet_from_bytes(
    bytes: &[u8],
    space: &SearchSpace,
    (input, classes): ((usize, usize, usize), usize),
    device: &Device,
) -> Result<(Supernet, SupernetMeta), SupernetFileError> {
    let meta = read_supernet_meta(bytes)?;
    check_fits(&meta, input, classes)?;
    let record = ModuleRecord::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| SupernetFileError::NotARecord(e.to_string()))?;
    let supernet = Supernet::new(space, 0, device)
        .map_err(|e| SupernetFileError::DoesNotFit(e.to_string()))?
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
