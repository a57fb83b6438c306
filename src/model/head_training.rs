//! Training the exit heads of an inherited subnet with its backbone frozen: the backbone
//! (recalibrated supernet weights, final classifier included) runs as an inference module,
//! only the heads carry gradients. One step costs a backbone inference plus the heads'
//! forward and backward, which is what makes an inherited candidate cheap to score.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::{Int, Tensor};

use super::heads::HeadNet;
use super::network::{run_backbone, EarlyExitNet};
use super::supernet::Supernet;
use super::train::LossModel;
use crate::engine::arch::Architecture;

/// The heads of an early-exit network (trained) beside its frozen backbone.
#[derive(Module, Debug)]
pub struct HeadTraining {
    /// Heads of the enabled exits, in order (on an autodiff device).
    pub heads: Vec<HeadNet>,
    /// The frozen backbone (an inference module).
    #[module(skip)]
    pub backbone: Supernet,
    /// The architecture the network runs.
    #[module(skip)]
    pub arch: Architecture,
}

impl HeadTraining {
    /// Splits `net` (heads on an autodiff device) from `backbone` (inference).
    pub fn new(net: EarlyExitNet) -> Self {
        Self {
            heads: net.heads,
            backbone: net.backbone.valid(),
            arch: net.arch,
        }
    }

    /// The whole network again.
    pub fn into_network(self) -> EarlyExitNet {
        EarlyExitNet {
            backbone: self.backbone,
            heads: self.heads,
            arch: self.arch,
        }
    }
}

impl LossModel for HeadTraining {
    /// Sum of the heads' cross-entropies (the final classifier is frozen: no term).
    fn loss(&self, x: Tensor<4>, y: Tensor<1, Int>, _step: usize) -> Tensor<1> {
        let ce = CrossEntropyLossConfig::new().init(&y.device());
        let mut total: Option<Tensor<1>> = None;
        let mut heads = self.heads.iter();
        let _ = run_backbone(
            &self.backbone,
            &self.arch,
            x.inner(),
            &mut None,
            |j, exit, h, t| {
                if let Some(head) = heads.next() {
                    let logits =
                        head.forward(h.autodiff(), &exit.head, &format!("exit{}", j + 1), t);
                    let l = ce.forward(logits, y.clone());
                    total = Some(match total.take() {
                        Some(s) => s + l,
                        None => l,
                    });
                }
            },
        );
        total.unwrap_or_else(|| Tensor::zeros([1], &y.device()).require_grad())
    }
}
