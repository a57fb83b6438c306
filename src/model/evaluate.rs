//! Evaluation: the per-sample, per-exit cache that threshold tuning and the UI's sliders
//! re-score without re-running the network (see docs/method.md, § Exit caches and
//! threshold tuning).
//!
//! One batched forward pass through *all* enabled exits; every exit's softmax is read back
//! with the async API and turned into the three confidences (margin, max softmax,
//! normalised entropy; docs/method.md, § Exit rules) and the predicted class by
//! [`ExitCache::from_probs`].

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor};

use super::batch::make_batch;
use super::clock::yield_now;
use super::error::ModelError;
use crate::data::Dataset;
use crate::engine::exits::ExitCache;

/// A network with early exits.
pub trait ExitModel {
    /// Logits of every enabled exit in order, then the final classifier:
    /// `[n, c, r, r]` → `E × [n, classes]`.
    fn forward_exits(&self, x: Tensor<4>) -> Vec<Tensor<2>>;
}

/// Reads a tensor back to the host as `f32`s (async: safe on wasm and WebGPU).
pub async fn read_f32<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, ModelError> {
    let data = t
        .into_data_async()
        .await
        .map_err(|e| ModelError::TensorRead(format!("{e:?}")))?;
    data.try_into_vec::<f32>()
        .map_err(|e| ModelError::TensorRead(format!("{e:?}")))
}

/// Runs `model` over every sample of `data` (in order, no augmentation) and caches each
/// exit's confidences and predictions.
pub async fn exit_cache<M: ExitModel>(
    model: &M,
    data: &Dataset,
    resolution: usize,
    batch_size: usize,
    device: &Device,
) -> Result<ExitCache, ModelError> {
    let classes = data.classes.len();
    let mut probs: Vec<Vec<f32>> = Vec::new();
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(batch_size.max(1)) {
        let (x, _) = make_batch(data, chunk, resolution, None, device);
        let logits = model.forward_exits(x);
        if probs.is_empty() {
            probs = vec![Vec::with_capacity(data.len() * classes); logits.len()];
        }
        for (e, l) in logits.into_iter().enumerate() {
            probs[e].extend(read_f32(softmax(l, 1)).await?);
        }
        yield_now().await;
    }
    let labels: Vec<u16> = data.labels.clone();
    Ok(ExitCache::from_probs(&probs, &labels, classes)?)
}
