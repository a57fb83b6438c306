//! "Smoke train": a few steps of the real training loop on the default genome, to prove
//! the compute path of a backend (the app's start-up check and button).

use burn::tensor::Device;

use super::network::EarlyExitNet;
use super::train::{train, Control, TrainConfig};
use crate::data::Dataset;
use crate::engine::arch::Architecture;
use crate::engine::genome::default_genome;
use crate::engine::space::{Method, SearchSpace};

/// Samples per smoke step.
pub const SMOKE_BATCH: usize = 32;

/// Trains the browser space's default genome for `steps` steps of [`SMOKE_BATCH`] samples
/// on `data` (on `device.autodiff()`), calling `on_step(step, loss)`; returns the losses.
pub async fn smoke_train(
    device: &Device,
    data: &Dataset,
    steps: usize,
    seed: u64,
    mut on_step: impl FnMut(usize, f32),
) -> Result<Vec<f32>, super::error::ModelError> {
    let space = SearchSpace::browser(data.channels, data.height, data.classes.len());
    let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space))?;
    let ad = device.clone().autodiff();
    let net = EarlyExitNet::from_scratch(&arch, seed, &ad)?;
    let config = TrainConfig {
        epochs: 1,
        batch_size: SMOKE_BATCH,
        lr: 0.05,
        seed,
        augment: false,
        max_samples: Some(steps * SMOKE_BATCH),
        resolution: data.height,
        ..TrainConfig::default()
    };
    let mut callback = |p: &super::train::Progress| {
        on_step(p.step, p.loss);
        Control::Continue
    };
    let (_, stats) = train(net, data, &config, &ad, &mut callback).await?;
    Ok(stats.losses)
}
