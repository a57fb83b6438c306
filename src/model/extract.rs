//! A subnet taken out of the supernet as a network of its own: only its layers, each
//! weight cut to the subnet's shape (first `d` layers of a stage, the centre `k×k` crop of
//! a depthwise kernel, the first channels) and batch-norm statistics cut alike. The
//! compact copy runs the same function as the subnet on the shared weights (tested), with
//! no slicing left at run time: what a deployed candidate would ship.

// burn's `slice` takes one range per dimension: `[0..c]` is a 1-D slice, not a vec.
#![allow(clippy::single_range_in_vec_init)]

use burn::module::{Param, RunningState};

use super::dynamic::{DynBatchNorm, DynConv};
use super::layers::{ConvBn, Dense, MbConv};
use super::supernet::Supernet;
use crate::engine::arch::{Architecture, ConvSpec, LinearSpec, MbConvSpec};

fn conv(c: &DynConv, spec: &ConvSpec) -> DynConv {
    let w = c.weight.val();
    let k_max = w.dims()[2];
    let (k, off) = (spec.kernel, (k_max - spec.kernel) / 2);
    let w = w.slice([
        0..spec.c_out,
        0..spec.c_in / spec.groups,
        off..off + k,
        off..off + k,
    ]);
    DynConv {
        weight: Param::from_tensor(w),
        bias: (c.bias.as_ref()).map(|b| Param::from_tensor(b.val().slice([0..spec.c_out]))),
    }
}

fn batch_norm(bn: &DynBatchNorm, c: usize) -> DynBatchNorm {
    let (mean, var) = bn.running();
    DynBatchNorm {
        gamma: Param::from_tensor(bn.gamma.val().slice([0..c])),
        beta: Param::from_tensor(bn.beta.val().slice([0..c])),
        running_mean: RunningState::new(mean.slice([0..c])),
        running_var: RunningState::new(var.slice([0..c])),
    }
}

fn conv_bn(m: &ConvBn, spec: &ConvSpec) -> ConvBn {
    ConvBn {
        conv: conv(&m.conv, spec),
        bn: batch_norm(&m.bn, spec.c_out),
    }
}

fn block(m: &MbConv, spec: &MbConvSpec) -> MbConv {
    MbConv {
        expand: (m.expand.as_ref().zip(spec.expand.as_ref())).map(|(m, s)| conv_bn(m, s)),
        depthwise: conv_bn(&m.depthwise, &spec.depthwise),
        se: (m.se.as_ref().zip(spec.se.as_ref()))
            .map(|((r, e), (rs, es))| (conv(r, rs), conv(e, es))),
        project: conv_bn(&m.project, &spec.project),
    }
}

fn dense(d: &Dense, spec: &LinearSpec) -> Dense {
    let (i, o) = (spec.in_features, spec.out_features);
    Dense {
        weight: Param::from_tensor(d.weight.val().slice([0..i, 0..o])),
        bias: Param::from_tensor(d.bias.val().slice([0..o])),
    }
}

/// The compact network of `arch`'s subnet of `s` (an inference module).
pub fn extract(s: &Supernet, arch: &Architecture) -> Supernet {
    let head = &arch.final_head;
    Supernet {
        stem: conv_bn(&s.stem, &arch.stem),
        first_block: (s.first_block.as_ref().zip(arch.first_block.as_ref()))
            .map(|(m, spec)| block(m, spec)),
        stages: (s.stages.iter().zip(&arch.stages))
            .map(|(layers, st)| {
                (layers.iter().zip(&st.layers))
                    .map(|(m, l)| block(m, l))
                    .collect()
            })
            .collect(),
        final_expand: (s.final_expand.as_ref().zip(head.expand.as_ref()))
            .map(|(m, spec)| conv_bn(m, spec)),
        final_mix: (s.final_mix.as_ref().zip(head.feature_mix.as_ref()))
            .map(|(m, spec)| conv(m, spec)),
        classifier: dense(&s.classifier, &head.classifier),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::genome::Genome;
    use crate::engine::rng::Rng;
    use crate::engine::space::{Method, SearchSpace};
    use crate::model::reference::{assert_close, values};
    use burn::module::Module;
    use burn::tensor::{Device, Distribution, Tensor};

    /// For random genomes of every resolution, the subnet on the shared (sliced) weights and
    /// its compact copy give the same logits; the compact copy holds exactly the subnet's
    /// parameters (fewer than the supernet's unless the subnet is the largest).
    #[test]
    fn a_subnet_equals_its_compact_copy() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        // Trained-looking batch-norm statistics, so slicing them matters.
        let s = Supernet::new(&space, 9, &device).unwrap();
        let mut rng = Rng::new(4);
        for bn in crate::model::recalibrate::batch_norms(&s) {
            let c = bn.gamma.dims()[0];
            let m = Tensor::<1>::random([c], Distribution::Uniform(-0.5, 0.5), &device);
            let v = Tensor::<1>::random([c], Distribution::Uniform(0.5, 2.0), &device);
            bn.set_running(m, v);
        }
        let full = s.num_params();
        for _ in 0..8 {
            let genome = Genome::sample(&space, Method::Aebnas, &mut rng);
            let arch = Architecture::decode(&space, Method::Aebnas, &genome).unwrap();
            let r = arch.input.1;
            let x = Tensor::<4>::random([3, 1, r, r], Distribution::Normal(0.0, 1.0), &device);
            let compact = extract(&s, &arch);
            assert!(compact.num_params() <= full);
            let (want, got) = (s.forward(x.clone(), &arch), compact.forward(x, &arch));
            assert_close(&values(got), &values(want), 1e-5, &format!("{genome}"));
        }
    }
}
