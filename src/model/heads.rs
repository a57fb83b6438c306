//! Exit heads built from the engine's [`ExitHead`] description: the AEBNAS exit branch
//! (1–2 modules of resize → conv (or depthwise-separable conv), stride 2, padding 0 → BN →
//! ReLU → optional 2×2 max-pool; then GAP → linear) and the fixed heads of the baselines
//! (EDANAS-like, NACHOS-like, SDN-like; see docs/method.md, § Baselines).

use burn::module::Module;
use burn::tensor::activation::relu;
use burn::tensor::module::{adaptive_avg_pool2d, max_pool2d};
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Device, Tensor};

use super::dynamic::{hard_swish, DynConv};
use super::layers::{global_pool, record, ConvBn, Dense, Trace};
use super::resize::resize_bilinear;
use crate::engine::arch::{ConvSpec, ExitHead, ExitModuleSpec, LinearSpec};
use crate::engine::rng::Rng;

/// The weights of one exit head.
#[derive(Module, Debug)]
pub struct HeadNet {
    /// Every conv of the head in order (each followed by BN).
    pub convs: Vec<ConvBn>,
    /// EDANAS-like 1×1 mix conv after pooling (no BN).
    pub mix: Option<DynConv>,
    /// The linear classifier.
    pub classifier: Dense,
}

fn resize(x: Tensor<4>, side: usize) -> Tensor<4> {
    resize_bilinear(x, side)
}

impl HeadNet {
    /// New, randomly initialised weights for `head`.
    pub fn new(head: &ExitHead, rng: &mut Rng, device: &Device) -> Self {
        let convs = match head {
            ExitHead::Branch { modules, .. } => {
                modules.iter().flat_map(|m| m.convs.iter()).collect()
            }
            ExitHead::Edanas { expand, .. } => vec![expand],
            ExitHead::Nachos { convs, .. } => convs.iter().collect(),
            ExitHead::Sdn { .. } => vec![],
        };
        let classifier = match head {
            ExitHead::Branch { classifier, .. }
            | ExitHead::Edanas { classifier, .. }
            | ExitHead::Nachos { classifier, .. }
            | ExitHead::Sdn { classifier, .. } => classifier,
        };
        Self {
            convs: convs
                .into_iter()
                .map(|c| ConvBn::new(c, rng, device))
                .collect(),
            mix: match head {
                ExitHead::Edanas { mix, .. } => {
                    Some(DynConv::new(mix.c_out, mix.c_in, 1, mix.bias, rng, device))
                }
                _ => None,
            },
            classifier: Dense::new(classifier, rng, device),
        }
    }

    /// Logits of the exit: stage output `[n, c, h, w]` → `[n, classes]`.
    pub fn forward(
        &self,
        x: Tensor<4>,
        head: &ExitHead,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<2> {
        match head {
            ExitHead::Branch {
                modules,
                classifier,
            } => self.branch(x, modules, classifier, name, trace),
            ExitHead::Edanas {
                expand,
                mix,
                classifier,
            } => self.edanas(x, (expand, mix), classifier, name, trace),
            ExitHead::Nachos { convs, classifier } => {
                let mut h = x;
                for (c, spec) in convs.iter().enumerate() {
                    h = relu(self.convs[c].forward(h, spec, &format!("{name}.conv{c}"), trace));
                }
                self.classifier.forward(
                    global_pool(h),
                    classifier,
                    &format!("{name}.linear"),
                    trace,
                )
            }
            ExitHead::Sdn { pool, classifier } => {
                let h = adaptive_avg_pool2d(x, [*pool, *pool]);
                let [n, c, p, q] = h.dims();
                self.classifier.forward(
                    h.reshape([n, c * p * q]),
                    classifier,
                    &format!("{name}.linear"),
                    trace,
                )
            }
        }
    }

    /// The searched branch: per module resize, conv(s) + ReLU, optional 2×2 max-pool;
    /// then global pool and the linear classifier. `[n, c, h, w]` → `[n, classes]`.
    fn branch(
        &self,
        x: Tensor<4>,
        modules: &[ExitModuleSpec],
        classifier: &LinearSpec,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<2> {
        let mut h = x;
        let mut i = 0;
        for (m, module) in modules.iter().enumerate() {
            h = resize(h, module.resize);
            for (c, spec) in module.convs.iter().enumerate() {
                let label = format!("{name}.module{m}.conv{c}");
                h = relu(self.convs[i].forward(h, spec, &label, trace));
                i += 1;
            }
            if module.max_pool {
                h = max_pool2d(h, MaxPoolOptions::new([2, 2]));
            }
        }
        self.classifier
            .forward(global_pool(h), classifier, &format!("{name}.linear"), trace)
    }

    /// EDANAS's head: `1×1` expand + h-swish, global pool, `1×1` mix + h-swish, linear.
    /// `[n, c, h, w]` → `[n, classes]`.
    fn edanas(
        &self,
        x: Tensor<4>,
        (expand, mix): (&ConvSpec, &ConvSpec),
        classifier: &LinearSpec,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<2> {
        let n = x.dims()[0];
        let h = hard_swish(self.convs[0].forward(x, expand, &format!("{name}.expand"), trace));
        let c = h.dims()[1];
        let v = global_pool(h).reshape([n, c, 1, 1]);
        let m = self
            .mix
            .as_ref()
            .map(|m| m.forward(v.clone(), mix))
            .unwrap_or(v);
        record(
            trace,
            &format!("{name}.mix"),
            [mix.c_out, mix.c_in, 1, 1],
            [n, c, 1, 1],
            m.dims(),
            [1, 0, 1],
        );
        let m = hard_swish(m).reshape([n, mix.c_out]);
        self.classifier
            .forward(m, classifier, &format!("{name}.linear"), trace)
    }
}
