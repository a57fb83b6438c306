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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::genome::default_genome;
    use crate::engine::space::{Method, SearchSpace};
    use crate::model::train::{train, Control, TrainConfig};
    use burn::tensor::Device;

    fn flat<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().iter::<f32>().collect()
    }

    /// Training moves the heads and nothing of the backbone (weights and running
    /// statistics alike), and lowers the heads' loss.
    #[test]
    fn only_the_heads_learn() {
        let device = Device::flex();
        let ad = device.clone().autodiff();
        let space = SearchSpace::browser(1, 28, 10);
        let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
        let backbone = Supernet::new(&space, 2, &device).unwrap();
        let net = EarlyExitNet::new(&arch, backbone, 2, &ad);
        assert!(!net.heads.is_empty());
        let stem_before = flat(net.backbone.stem.conv.weight.val());
        let stats_before = flat(net.backbone.stem.bn.running().0);
        let head_before = flat(net.heads[0].classifier.weight.val().inner());
        let (data, _) = crate::data::load_dataset_arg("fashion-mnist").unwrap();
        let config = TrainConfig {
            epochs: 2,
            max_samples: Some(256),
            batch_size: 64,
            lr: 0.1,
            augment: false,
            ..TrainConfig::default()
        };
        let mut go_on = |_: &crate::model::train::Progress| Control::Continue;
        let (trained, stats) = pollster::block_on(train(
            HeadTraining::new(net),
            &data,
            &config,
            &ad,
            &mut go_on,
        ))
        .unwrap();
        let net = trained.into_network();
        assert_eq!(flat(net.backbone.stem.conv.weight.val()), stem_before);
        assert_eq!(flat(net.backbone.stem.bn.running().0), stats_before);
        assert_ne!(
            flat(net.heads[0].classifier.weight.val().inner()),
            head_before
        );
        let (first, last) = (
            stats.losses[..4].iter().sum::<f32>(),
            stats.losses[4..].iter().sum::<f32>(),
        );
        assert!(last < first, "losses {:?}", stats.losses);
    }
}
