//! The weight-sharing supernet (Once-for-All at browser scale; see docs/method.md,
//! § Supernet and weight sharing): stem, elastic stages and the final classifier, holding
//! the weights of the largest configuration.
//!
//! A subnet for any genome runs on slices of these weights: elastic depth = the first `d`
//! layers of a stage, elastic kernel = the centre crop of the largest depthwise kernel,
//! elastic expansion = the first channels. Exit heads are *not* part of the supernet: a
//! candidate inherits the backbone and gets new heads ([`super::network::EarlyExitNet`]).

use burn::module::Module;
use burn::tensor::{Device, Tensor};

use super::dynamic::DynConv;
use super::layers::{activate, global_pool, ConvBn, Dense, MbConv, Trace};
use crate::engine::arch::{Architecture, FinalHead};
use crate::engine::genome::{default_genome, Genome, GenomeLayout};
use crate::engine::rng::Rng;
use crate::engine::space::{Method, SearchSpace};

/// Backbone + final classifier at the largest configuration of a search space.
#[derive(Module, Debug)]
pub struct Supernet {
    /// Stem conv + BN.
    pub stem: ConvBn,
    /// Fixed first block (paper preset).
    pub first_block: Option<MbConv>,
    /// `stages[s][l]`: layer `l` of stage `s`, for the largest depth.
    pub stages: Vec<Vec<MbConv>>,
    /// Final 1×1 expand + BN.
    pub final_expand: Option<ConvBn>,
    /// Final 1×1 feature mix (after pooling, no BN).
    pub final_mix: Option<DynConv>,
    /// Final linear classifier.
    pub classifier: Dense,
}

/// The genome with every depth, kernel and expansion gene at its largest choice.
pub fn largest_genome(space: &SearchSpace) -> Genome {
    let layout = GenomeLayout::of(space);
    let card = layout.cardinalities(space);
    let mut g = default_genome(space);
    for s in 0..layout.stages {
        let d = layout.depth(s);
        g.0[d] = card[d] - 1;
        for l in 0..layout.max_depth {
            g.0[layout.kernel(s, l)] = card[layout.kernel(s, l)] - 1;
            g.0[layout.expansion(s, l)] = card[layout.expansion(s, l)] - 1;
        }
    }
    g
}

/// The genome with every depth, kernel and expansion gene at its smallest choice.
pub fn smallest_genome(space: &SearchSpace) -> Genome {
    let layout = GenomeLayout::of(space);
    let mut g = default_genome(space);
    for s in 0..layout.stages {
        g.0[layout.depth(s)] = 0;
        for l in 0..layout.max_depth {
            g.0[layout.kernel(s, l)] = 0;
            g.0[layout.expansion(s, l)] = 0;
        }
    }
    g
}

impl Supernet {
    /// A supernet for `space`, initialised from `seed`.
    pub fn new(
        space: &SearchSpace,
        seed: u64,
        device: &Device,
    ) -> Result<Self, super::error::ModelError> {
        let largest = Architecture::decode(space, Method::Aebnas, &largest_genome(space))?;
        let mut rng = Rng::derive(seed, 0x5EED);
        let rng = &mut rng;
        Ok(Self {
            stem: ConvBn::new(&largest.stem, rng, device),
            first_block: largest
                .first_block
                .as_ref()
                .map(|b| MbConv::new(b, rng, device)),
            stages: largest
                .stages
                .iter()
                .map(|st| {
                    st.layers
                        .iter()
                        .map(|l| MbConv::new(l, rng, device))
                        .collect()
                })
                .collect(),
            final_expand: largest
                .final_head
                .expand
                .as_ref()
                .map(|s| ConvBn::new(s, rng, device)),
            final_mix: largest
                .final_head
                .feature_mix
                .as_ref()
                .map(|s| DynConv::new(s.c_out, s.c_in, 1, s.bias, rng, device)),
            classifier: Dense::new(&largest.final_head.classifier, rng, device),
        })
    }

    /// A copy that shares no state with `self`, for a candidate to inherit. A plain
    /// `clone` shares the batch-norm running statistics, so every candidate trained from
    /// one would change them for the next: a candidate's record would depend on which
    /// candidates the same worker trained before it (and a pool, a resumed run or
    /// `--jobs` would not give the run of one worker).
    pub fn detached(&self) -> Self {
        Self {
            stem: self.stem.detached(),
            first_block: self.first_block.as_ref().map(MbConv::detached),
            stages: (self.stages.iter())
                .map(|st| st.iter().map(MbConv::detached).collect())
                .collect(),
            final_expand: self.final_expand.as_ref().map(ConvBn::detached),
            final_mix: self.final_mix.clone(),
            classifier: self.classifier.clone(),
        }
    }

    /// Stem (and first block): `[n, c, r, r]` → `[n, c0, h0, w0]`.
    pub fn forward_stem(&self, x: Tensor<4>, arch: &Architecture, trace: &mut Trace) -> Tensor<4> {
        let mut h = activate(
            self.stem.forward(x, &arch.stem, "stem", trace),
            arch.stem_act,
        );
        if let (Some(m), Some(s)) = (&self.first_block, &arch.first_block) {
            h = m.forward(h, s, "first_block", trace);
        }
        h
    }

    /// Stage `s` of the subnet `arch` (its first `d` layers).
    pub fn forward_stage(
        &self,
        x: Tensor<4>,
        arch: &Architecture,
        s: usize,
        trace: &mut Trace,
    ) -> Tensor<4> {
        let mut h = x;
        for (l, spec) in arch.stages[s].layers.iter().enumerate() {
            h = self.stages[s][l].forward(h, spec, &format!("stage{}.layer{l}", s + 1), trace);
        }
        h
    }

    /// Final classifier: `[n, c_last, h, w]` → logits `[n, classes]`.
    pub fn forward_final(&self, x: Tensor<4>, head: &FinalHead, trace: &mut Trace) -> Tensor<2> {
        let mut h = x;
        if let (Some(m), Some(s)) = (&self.final_expand, &head.expand) {
            h = activate(m.forward(h, s, "final.expand", trace), head.act);
        }
        let [n, c, _, _] = h.dims();
        let mut v = global_pool(h).reshape([n, c, 1, 1]);
        if let (Some(m), Some(s)) = (&self.final_mix, &head.feature_mix) {
            v = activate(m.forward(v, s), head.act);
            let d = v.dims();
            super::layers::record(
                trace,
                "final.feature_mix",
                [s.c_out, s.c_in, 1, 1],
                [n, c, 1, 1],
                d,
                [1, 0, 1],
            );
        }
        let [n, c, _, _] = v.dims();
        self.classifier
            .forward(v.reshape([n, c]), &head.classifier, "final.linear", trace)
    }

    /// The whole subnet without exits: `[n, c, r, r]` → final logits `[n, classes]`.
    pub fn forward(&self, x: Tensor<4>, arch: &Architecture) -> Tensor<2> {
        let mut h = self.forward_stem(x, arch, &mut None);
        for s in 0..arch.stages.len() {
            h = self.forward_stage(h, arch, s, &mut None);
        }
        self.forward_final(h, &arch.final_head, &mut None)
    }
}
