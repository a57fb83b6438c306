//! An early-exit network: a subnet of the supernet (inherited backbone weights) plus new
//! exit heads, trained jointly (see docs/method.md, § Training) and run either through all
//! exits (for the caches of [`super::evaluate`]) or with true early exits
//! ([`super::early_exit`]).

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Device, Int, Tensor};

use super::evaluate::ExitModel;
use super::heads::HeadNet;
use super::layers::{Trace, Traced};
use super::supernet::Supernet;
use super::train::LossModel;
use crate::engine::arch::{Architecture, ExitArch};
use crate::engine::rng::Rng;

/// Backbone (supernet weights, run as `arch`'s subnet) + one head per enabled exit.
#[derive(Module, Debug)]
pub struct EarlyExitNet {
    /// Backbone and final classifier.
    pub backbone: Supernet,
    /// Heads of the enabled exits, in order.
    pub heads: Vec<HeadNet>,
    /// The architecture this network runs.
    #[module(skip)]
    pub arch: Architecture,
}

impl EarlyExitNet {
    /// A network for `arch` that inherits `backbone` and gets fresh heads (seeded).
    pub fn new(arch: &Architecture, backbone: Supernet, seed: u64, device: &Device) -> Self {
        let mut rng = Rng::derive(seed, 0x4EAD);
        let heads = arch
            .exits
            .iter()
            .filter(|e| e.enabled)
            .map(|e| HeadNet::new(&e.head, &mut rng, device))
            .collect();
        Self {
            backbone,
            heads,
            arch: arch.clone(),
        }
    }

    /// A network trained from scratch: a fresh supernet as its backbone.
    pub fn from_scratch(
        arch: &Architecture,
        seed: u64,
        device: &Device,
    ) -> Result<Self, super::error::ModelError> {
        let backbone = Supernet::new(&arch.space, seed, device)?;
        Ok(Self::new(arch, backbone, seed, device))
    }

    /// Logits of every enabled exit then the final classifier, recording executed layers.
    pub fn forward_traced(&self, x: Tensor<4>, trace: &mut Trace) -> Vec<Tensor<2>> {
        let mut outputs = Vec::with_capacity(self.heads.len() + 1);
        let mut heads = self.heads.iter();
        let last = run_backbone(&self.backbone, &self.arch, x, trace, |j, exit, h, trace| {
            if let Some(head) = heads.next() {
                outputs.push(head.forward(h, &exit.head, &format!("exit{}", j + 1), trace));
            }
        });
        outputs.push(last);
        outputs
    }

    /// The executed layers of one forward pass on a `[1, c, r, r]` input.
    pub fn trace_layers(&self, device: &Device) -> Vec<Traced> {
        let (c, h, w) = self.arch.input;
        let mut rows = Vec::new();
        let _ = self.forward_traced(Tensor::zeros([1, c, h, w], device), &mut Some(&mut rows));
        rows
    }
}

impl ExitModel for EarlyExitNet {
    fn forward_exits(&self, x: Tensor<4>) -> Vec<Tensor<2>> {
        self.forward_traced(x, &mut None)
    }
}

impl LossModel for EarlyExitNet {
    /// Plain sum of the cross-entropies of every enabled exit and the final classifier.
    fn loss(&self, x: Tensor<4>, y: Tensor<1, Int>, _step: usize) -> Tensor<1> {
        let ce = CrossEntropyLossConfig::new().init(&x.device());
        let mut total: Option<Tensor<1>> = None;
        for logits in self.forward_exits(x) {
            let l = ce.forward(logits, y.clone());
            total = Some(match total {
                Some(t) => t + l,
                None => l,
            });
        }
        total.expect("a network always has its final exit")
    }
}

/// Runs `backbone` as `arch`'s subnet on `x` (`[n, c, r, r]`), handing the features after
/// the stage of each enabled exit `j` to `at_exit(j, exit, features, trace)` in order;
/// returns the final classifier's logits `[n, classes]`.
pub fn run_backbone(
    backbone: &Supernet,
    arch: &Architecture,
    x: Tensor<4>,
    trace: &mut Trace,
    mut at_exit: impl FnMut(usize, &ExitArch, Tensor<4>, &mut Trace),
) -> Tensor<2> {
    let mut h = backbone.forward_stem(x, arch, trace);
    for s in 0..arch.stages.len() {
        h = backbone.forward_stage(h, arch, s, trace);
        for (j, exit) in arch.exits.iter().enumerate() {
            if exit.enabled && exit.position == s {
                at_exit(j, exit, h.clone(), trace);
            }
        }
    }
    backbone.forward_final(h, &arch.final_head, trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::genome::Genome;
    use crate::engine::space::{Method, SearchSpace};

    type Shape = ([usize; 4], [usize; 3], [usize; 3]);

    fn engine_shapes(arch: &Architecture) -> Vec<Shape> {
        let mut v: Vec<Shape> = arch
            .layers()
            .iter()
            .map(|r| {
                let w = [r.c_out, r.c_in / r.groups.max(1), r.kernel, r.kernel];
                (w, [r.c_in, r.h_in, r.w_in], [r.c_out, r.h_out, r.w_out])
            })
            .collect();
        v.sort();
        v
    }

    fn traced_shapes(rows: &[Traced]) -> Vec<Shape> {
        let mut v: Vec<Shape> = rows.iter().map(|t| (t.weight, t.input, t.output)).collect();
        v.sort();
        v
    }

    /// The layers the network really runs are the layers the cost model counts, for many
    /// random genomes of every method: so the MACs we report are the MACs of what we run.
    #[test]
    fn executed_layers_match_the_cost_model_table() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let mut rng = Rng::new(11);
        for method in [Method::Aebnas, Method::Edanas, Method::Nachos, Method::Sdn] {
            for _ in 0..6 {
                let genome = Genome::sample(&space, method, &mut rng);
                let arch =
                    Architecture::decode(&space, method, &genome).expect("sampled genomes decode");
                let net = EarlyExitNet::from_scratch(&arch, 3, &device).expect("net builds");
                let traced = net.trace_layers(&device);
                assert_eq!(
                    traced_shapes(&traced),
                    engine_shapes(&arch),
                    "{method:?} {genome}"
                );
                let ran: u64 = traced.iter().map(Traced::macs).sum();
                let counted: u64 = arch.layers().iter().map(|r| r.macs).sum();
                assert_eq!(ran, counted);
            }
        }
    }

    #[test]
    fn forward_gives_one_logit_tensor_per_enabled_exit_plus_final() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let genome = crate::engine::genome::default_genome(&space);
        let arch = Architecture::decode(&space, Method::Aebnas, &genome).unwrap();
        let net = EarlyExitNet::from_scratch(&arch, 1, &device).unwrap();
        let (c, h, w) = arch.input;
        let out = net.forward_exits(Tensor::zeros([3, c, h, w], &device));
        assert_eq!(
            out.len(),
            arch.exits.iter().filter(|e| e.enabled).count() + 1
        );
        for o in out {
            assert_eq!(o.dims(), [3, 10]);
        }
    }
}
