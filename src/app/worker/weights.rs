//! Trained weights in the search worker: the networks of the current run are kept (in
//! the worker's memory, by archive position) so the page can download any of them as a
//! `.bpk` file, and a `.bpk` file from the page is loaded and evaluated as a one-candidate
//! run without training. The file format is the model module's [`crate::model::weights`].

use std::cell::RefCell;
use std::collections::BTreeMap;

use burn::tensor::Device;

use super::context::post;
use super::data::Splits;
use super::protocol::FromWorker;
use crate::engine::arch::Architecture;
use crate::engine::cache_codec::{base64_decode, base64_encode};
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::results::{CandidateRecord, SearchSettings};
use crate::model::candidate::evaluate_network;
use crate::model::error::ModelError;
use crate::model::meta::WeightsFileError;
use crate::model::network::EarlyExitNet;
use crate::model::weights::{
    export_weights, load_weights, read_meta, WeightsMeta, MAX_WEIGHTS_BYTES, WEIGHTS_VERSION,
};

/// Why weights could not be kept, exported, decoded or evaluated in the worker.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WeightsError {
    /// A pool worker's file is not valid base64.
    #[error("a pool worker's weights arrived damaged")]
    PoolFileDamaged,
    /// The page's file is over the weights size limit (checked on its base64 length).
    #[error("the weights file is too large")]
    TooLarge,
    /// The page's file is not valid base64.
    #[error("the weights file arrived damaged (not base64)")]
    NotBase64,
    /// The file's header is refused or does not fit the data.
    #[error(transparent)]
    File(#[from] WeightsFileError),
    /// Loading, exporting or evaluating the network failed.
    #[error(transparent)]
    Model(#[from] ModelError),
}

thread_local! {
    static NETS: RefCell<BTreeMap<usize, (EarlyExitNet, WeightsMeta)>> =
        const { RefCell::new(BTreeMap::new()) };
}

/// Forgets the kept networks (a new run starts).
pub fn clear() {
    NETS.with_borrow_mut(|n| n.clear());
}

/// Keeps candidate `index`'s trained (inference) network of a run with `settings` on
/// `data`.
pub fn keep(index: usize, net: EarlyExitNet, settings: &SearchSettings, data: &Splits) {
    let meta = meta_of(&net, settings, data);
    NETS.with_borrow_mut(|n| n.insert(index, (net, meta)));
}

/// Keeps candidate `index`'s network from the `.bpk` file (base64) a pool worker sent.
pub fn keep_file(
    index: usize,
    base64: &str,
    arch: &Architecture,
    settings: &SearchSettings,
    data: &Splits,
    device: &Device,
) -> Result<(), WeightsError> {
    let bytes = base64_decode(base64).ok_or(WeightsError::PoolFileDamaged)?;
    let net = load_weights(arch, &bytes, device)?;
    keep(index, net, settings, data);
    Ok(())
}

/// `net` as a `.bpk` file, base64 (a pool worker sends it with its result).
pub async fn to_base64(
    net: &EarlyExitNet,
    settings: &SearchSettings,
    data: &Splits,
) -> Result<String, WeightsError> {
    let bytes = export_weights(net, &meta_of(net, settings, data)).await?;
    Ok(base64_encode(&bytes))
}

/// The file header of `net` trained in a run with `settings` on `data` (no thresholds).
fn meta_of(net: &EarlyExitNet, settings: &SearchSettings, data: &Splits) -> WeightsMeta {
    let t = &data.train;
    WeightsMeta {
        version: WEIGHTS_VERSION,
        genome: net.arch.encode().to_string(),
        method: net.arch.method,
        dataset: settings.dataset.clone(),
        input: (t.channels, t.height, t.width),
        classes: net.arch.space.classes,
        seed: settings.seed,
        exit_rule: settings.exit_rule,
        thresholds: Vec::new(),
    }
}

/// Posts candidate `index`'s weights (`Weights`), or why they are not here
/// (`WeightsUnavailable`), with the page's current rule and thresholds in the file.
pub async fn export(index: usize, exit_rule: ExitRule, thresholds: Vec<f32>) {
    let kept = NETS.with_borrow(|n| n.get(&index).cloned());
    let Some((net, mut meta)) = kept else {
        return post(&FromWorker::WeightsUnavailable {
            index,
            reason: "this tab's search worker no longer holds this network (it was trained before the page was reloaded, or in another run): open its link or re-run it to train it again".into(),
        });
    };
    (meta.exit_rule, meta.thresholds) = (exit_rule, thresholds);
    match export_weights(&net, &meta).await {
        Ok(bytes) => post(&FromWorker::Weights {
            index,
            file_name: format!("aebnas-{}-candidate-{}.bpk", meta.dataset, index + 1),
            bytes: base64_encode(&bytes),
        }),
        Err(e) => post(&FromWorker::WeightsUnavailable {
            index,
            reason: e.to_string(),
        }),
    }
}

/// Decodes a weights file sent by the page and checks it against the data it will run on.
pub fn decode(base64: &str, data: &Splits) -> Result<(WeightsMeta, Vec<u8>), WeightsError> {
    if base64.len() > MAX_WEIGHTS_BYTES / 3 * 4 + 4 {
        return Err(WeightsError::TooLarge);
    }
    let bytes = base64_decode(base64).ok_or(WeightsError::NotBase64)?;
    let meta = read_meta(&bytes)?;
    let t = &data.train;
    meta.check_fits((t.channels, t.height, t.width), t.classes.len(), &data.id)?;
    Ok((meta, bytes))
}

/// Loads `bytes` into `arch`'s network and evaluates it on the validation and test
/// splits (no training); returns the record, the test cache and the network.
pub async fn evaluate_imported(
    arch: &Architecture,
    bytes: &[u8],
    settings: &SearchSettings,
    data: &Splits,
    device: &Device,
) -> Result<(CandidateRecord, ExitCache, EarlyExitNet), WeightsError> {
    let net = load_weights(arch, bytes, device)?;
    let (record, _, test_cache) =
        evaluate_network(&net, settings, (&data.val, &data.test), device, 0.0).await?;
    Ok((record, test_cache, net))
}
