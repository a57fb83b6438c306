//! Supernet training with the "sandwich rule" (Yu & Huang 2019, used by Once-for-All at
//! small scale): every step sums the cross-entropy of the largest subnet, the smallest
//! subnet and one random subnet (seeded per step), so all shared weights learn to work at
//! every size.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Device, Int, Tensor};

use super::batch::resize_input;
use super::supernet::{largest_genome, smallest_genome, Supernet};
use super::train::{train, Control, LossModel, Progress, TrainConfig, TrainError, TrainStats};
use crate::data::Dataset;
use crate::engine::arch::Architecture;
use crate::engine::genome::{Genome, GenomeLayout};
use crate::engine::rng::Rng;
use crate::engine::space::{Method, SearchSpace};

/// A supernet with what it needs to draw the sandwich subnets of a step.
#[derive(Module, Debug)]
pub struct SandwichNet {
    /// The shared weights.
    pub supernet: Supernet,
    /// The search space.
    #[module(skip)]
    pub space: SearchSpace,
    /// Seed of the random subnets.
    #[module(skip)]
    pub seed: u64,
}

/// Sets the resolution gene to choice `choice` (the last is the native resolution).
fn at_resolution(space: &SearchSpace, mut g: Genome, choice: usize) -> Genome {
    let layout = GenomeLayout::of(space);
    g.0[layout.resolution()] = choice.min(space.resolutions.len().saturating_sub(1)) as u32;
    g
}

impl SandwichNet {
    /// The three subnets of step `step`: the largest (at the native resolution), the
    /// smallest (at the lowest resolution) and a random one (at its own resolution), as
    /// BigNAS's sandwich rule draws them: the shared weights learn every size and input
    /// resolution a candidate can have.
    pub fn subnets(&self, step: usize) -> Vec<Architecture> {
        let mut rng = Rng::derive(self.seed, 0x5A4D + step as u64);
        let random = Genome::sample(&self.space, Method::Aebnas, &mut rng);
        let native = self.space.resolutions.len().saturating_sub(1);
        [
            at_resolution(&self.space, largest_genome(&self.space), native),
            at_resolution(&self.space, smallest_genome(&self.space), 0),
            random,
        ]
        .into_iter()
        .filter_map(|g| Architecture::decode(&self.space, Method::Aebnas, &g).ok())
        .collect()
    }
}

impl LossModel for SandwichNet {
    fn loss(&self, x: Tensor<4>, y: Tensor<1, Int>, step: usize) -> Tensor<1> {
        let ce = CrossEntropyLossConfig::new().init(&x.device());
        self.subnets(step)
            .iter()
            .map(|arch| {
                let input = resize_input(x.clone(), arch.input.1);
                ce.forward(self.supernet.forward(input, arch), y.clone())
            })
            .reduce(|a, b| a + b)
            .expect("the largest subnet always decodes")
    }
}

/// Trains a fresh supernet for `space` on `data` with the sandwich rule (batches at the
/// native resolution, resized for each subnet by [`resize_input`]).
pub async fn train_supernet(
    space: &SearchSpace,
    data: &Dataset,
    config: &TrainConfig,
    device: &Device,
    on_progress: &mut dyn FnMut(&Progress) -> Control,
) -> Result<(Supernet, TrainStats), TrainError> {
    let ad = device.clone().autodiff();
    let supernet =
        Supernet::new(space, config.seed, &ad).map_err(|e| TrainError::Backend(e.to_string()))?;
    let net = SandwichNet {
        supernet,
        space: space.clone(),
        seed: config.seed,
    };
    let config = TrainConfig {
        resolution: space.native_res,
        ..config.clone()
    };
    let (net, stats) = train(net, data, &config, &ad, on_progress).await?;
    Ok((net.supernet, stats))
}
