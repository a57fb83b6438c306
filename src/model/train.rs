//! The training loop (ours: burn-train's `Learner` does not run on wasm).
//!
//! Joint early-exit training (docs/method.md, § Training): the loss is the plain sum of the
//! cross-entropies of every enabled exit and of the final classifier. SGD with Nesterov
//! momentum 0.9, weight decay, per-tensor gradient-norm clipping, and a cosine schedule
//! `lr_t = lr · ½(1 + cos(π t / T))` (Loshchilov & Hutter 2017, without restarts).
//! Shuffling and augmentation are seeded. Every step reads the loss back with the async API
//! (safe on wasm/WebGPU), reports progress, yields to the event loop, and checks it: a NaN
//! or infinite loss stops the run with [`TrainError::NonFinite`].

use burn::module::Module;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{GradientsParams, SgdConfig};
use burn::tensor::{Device, Int, Tensor};

use super::batch::{epoch_order, make_batch};
use super::clock::{now_seconds, yield_now};
use crate::data::Dataset;
use crate::engine::rng::Rng;

/// A model the loop can train: it returns its training loss for a batch.
pub trait LossModel: Module + Clone {
    /// Scalar loss `[1]` of training step `step` for images `[n, c, r, r]` and labels `[n]`.
    fn loss(&self, x: Tensor<4>, y: Tensor<1, Int>, step: usize) -> Tensor<1>;
}

/// Settings of one training run.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Passes over the training set.
    pub epochs: usize,
    /// Samples per step.
    pub batch_size: usize,
    /// Peak learning rate of the cosine schedule (AEBNAS: 0.01; 0.05 for SVHN).
    pub lr: f64,
    /// Nesterov momentum.
    pub momentum: f64,
    /// L2 weight decay (AEBNAS: 4e-5).
    pub weight_decay: f64,
    /// Gradient-norm clip per parameter tensor (AEBNAS: 1).
    pub grad_clip: f32,
    /// Seed of shuffling and augmentation.
    pub seed: u64,
    /// Random shifts (and flips for RGB) of training images.
    pub augment: bool,
    /// Cap on the number of training samples used per epoch (`None` = all).
    pub max_samples: Option<usize>,
    /// Input resolution the network runs at.
    pub resolution: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 1,
            batch_size: 128,
            lr: 0.05,
            momentum: 0.9,
            weight_decay: 4e-5,
            grad_clip: 1.0,
            seed: 1,
            augment: true,
            max_samples: None,
            resolution: 28,
        }
    }
}

/// One progress event, after every step.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// Steps done (1-based).
    pub step: usize,
    /// Steps in the whole run.
    pub total_steps: usize,
    /// Current epoch (0-based).
    pub epoch: usize,
    /// Loss of this step.
    pub loss: f32,
    /// Training throughput since the start of the run.
    pub samples_per_sec: f64,
    /// Seconds since the start of the run.
    pub elapsed: f64,
}

/// What the progress callback asks the loop to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Keep training.
    Continue,
    /// Stop after this step (cancellation).
    Stop,
}

/// Why a run stopped early.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// The callback asked to stop.
    #[error("training cancelled at step {step}")]
    Cancelled {
        /// Steps done.
        step: usize,
    },
    /// The loss became NaN or infinite (diverged).
    #[error("training diverged: loss {loss} at step {step} (try a lower learning rate)")]
    NonFinite {
        /// Step at which it happened.
        step: usize,
        /// The loss value read back.
        loss: f32,
    },
    /// The backend failed to run or read a tensor.
    #[error("backend error: {0}")]
    Backend(String),
    /// The device is gone (burn reports it poisoned: the GPU device was lost); every later
    /// operation on it fails.
    #[error("the compute device was lost: {0}")]
    DeviceLost(String),
    /// Nothing to train on.
    #[error("empty training set")]
    Empty,
}

/// Summary of a finished run.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainStats {
    /// Loss of every step.
    pub losses: Vec<f32>,
    /// Wall time of the run.
    pub seconds: f64,
    /// Samples seen.
    pub samples: usize,
}

/// A failed read-back as a [`TrainError`]: a poisoned device is lost, the rest are errors.
fn execution_error(e: burn::tensor::ExecutionError) -> TrainError {
    match e {
        burn::tensor::ExecutionError::DevicePoisoned { reason } => TrainError::DeviceLost(reason),
        other => TrainError::Backend(format!("{other:?}")),
    }
}

/// Cosine-annealed learning rate at step `t` of `total`.
pub fn cosine_lr(base: f64, t: usize, total: usize) -> f64 {
    if total <= 1 {
        return base;
    }
    base * 0.5 * (1.0 + (std::f64::consts::PI * t as f64 / total as f64).cos())
}

/// Trains `model` (whose parameters live on an autodiff `device`) on `data`.
pub async fn train<M: LossModel>(
    mut model: M,
    data: &Dataset,
    config: &TrainConfig,
    device: &Device,
    on_progress: &mut dyn FnMut(&Progress) -> Control,
) -> Result<(M, TrainStats), TrainError> {
    let n = config.max_samples.map_or(data.len(), |m| m.min(data.len()));
    let batch = config.batch_size.max(1);
    if n == 0 {
        return Err(TrainError::Empty);
    }
    let steps_per_epoch = n.div_ceil(batch);
    let total_steps = steps_per_epoch * config.epochs.max(1);
    let mut optim = SgdConfig::new()
        .with_momentum(Some(MomentumConfig {
            momentum: config.momentum,
            dampening: 0.0,
            nesterov: true,
        }))
        .with_weight_decay(Some(WeightDecayConfig {
            penalty: config.weight_decay as f32,
        }))
        .with_gradient_clipping(Some(GradientClippingConfig::Norm(config.grad_clip)))
        .init();
    let mut aug_rng = Rng::derive(config.seed, 0xA06);
    let start = now_seconds();
    let mut losses = Vec::with_capacity(total_steps);
    let mut step = 0;
    for epoch in 0..config.epochs.max(1) {
        let order = epoch_order(data.len(), config.seed, epoch);
        for chunk in order[..n].chunks(batch) {
            let rng = config.augment.then_some(&mut aug_rng);
            let (x, y) = make_batch(data, chunk, config.resolution, rng, device);
            let loss = model.loss(x, y, step);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            let lr = cosine_lr(config.lr, step, total_steps);
            model = optim.step(lr, model, grads);
            let value: f32 = loss.into_scalar_async().await.map_err(execution_error)?;
            step += 1;
            if !value.is_finite() {
                return Err(TrainError::NonFinite { step, loss: value });
            }
            losses.push(value);
            let elapsed = now_seconds() - start;
            let progress = Progress {
                step,
                total_steps,
                epoch,
                loss: value,
                samples_per_sec: (step * batch).min(n * (epoch + 1)) as f64 / elapsed.max(1e-9),
                elapsed,
            };
            let control = on_progress(&progress);
            yield_now().await;
            if control == Control::Stop {
                return Err(TrainError::Cancelled { step });
            }
        }
    }
    let seconds = now_seconds() - start;
    Ok((
        model,
        TrainStats {
            losses,
            seconds,
            samples: n * config.epochs.max(1),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_schedule_starts_at_base_and_ends_near_zero() {
        assert_eq!(cosine_lr(0.1, 0, 100), 0.1);
        assert!((cosine_lr(0.1, 50, 100) - 0.05).abs() < 1e-12);
        assert!(cosine_lr(0.1, 99, 100) < 0.001);
    }
}
