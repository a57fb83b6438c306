//! Batch-norm recalibration of an inherited subnet. A supernet's running statistics are
//! averages over every subnet its training drew (largest, smallest, random), so one
//! subnet's activations have other means and variances than those stored; Once-for-All
//! (Cai et al., 2020, § 3.2) therefore recomputes them for each subnet on a few training
//! images before it is measured. Here: the mean over [`RECALIBRATION_BATCH`]-image
//! batches of each batch's per-channel mean and variance, on the first
//! [`RECALIBRATION_IMAGES`] images of the training split (a fixed set: the same subnet
//! always gets the same statistics).

use burn::module::Module;
use burn::tensor::{Device, Tensor};

use super::batch::make_batch;
use super::dynamic::{DynBatchNorm, BN_MOMENTUM};
use super::layers::{ConvBn, MbConv};
use super::supernet::Supernet;
use crate::data::Dataset;
use crate::engine::arch::Architecture;

/// Training images the statistics are computed on.
pub const RECALIBRATION_IMAGES: usize = 512;
/// Images per forward pass while recalibrating.
pub const RECALIBRATION_BATCH: usize = 128;

/// Every batch-norm of the backbone, in a fixed order.
pub(crate) fn batch_norms(s: &Supernet) -> Vec<&DynBatchNorm> {
    fn block(m: &MbConv) -> impl Iterator<Item = &DynBatchNorm> {
        (m.expand.iter().map(|c: &ConvBn| &c.bn)).chain([&m.depthwise.bn, &m.project.bn])
    }
    let mut all = vec![&s.stem.bn];
    all.extend(s.first_block.iter().flat_map(block));
    all.extend(s.stages.iter().flatten().flat_map(block));
    all.extend(s.final_expand.iter().map(|c| &c.bn));
    all
}

/// `backbone` with the running statistics of `arch`'s subnet recomputed on `train`'s first
/// images, as an inference module on `device` (the statistics of channels and layers the
/// subnet does not run are left at zero: the copy serves this subnet only).
pub fn recalibrate(
    backbone: &Supernet,
    arch: &Architecture,
    train: &Dataset,
    device: &Device,
) -> Supernet {
    // Train mode (an autodiff device) makes each batch-norm use and record its batch's
    // statistics; no parameter needs a gradient, so no graph is kept.
    let net = backbone.valid().to_device(device).train().no_grad();
    let ad = device.clone().autodiff();
    let bns = batch_norms(&net);
    let n = RECALIBRATION_IMAGES.min(train.len());
    let indices: Vec<usize> = (0..n).collect();
    let mut sums: Vec<Option<(Tensor<1>, Tensor<1>)>> = vec![None; bns.len()];
    let mut batches = 0usize;
    for chunk in indices.chunks(RECALIBRATION_BATCH) {
        for bn in &bns {
            let (m, v) = bn.running();
            bn.set_running(m.zeros_like(), v.zeros_like());
        }
        let (x, _) = make_batch(train, chunk, arch.input.1, None, &ad);
        let _ = net.forward(x, arch);
        // From zero, one update leaves `BN_MOMENTUM × batch statistics`.
        for (bn, sum) in bns.iter().zip(&mut sums) {
            let (m, v) = bn.running();
            let (m, v) = (m.div_scalar(BN_MOMENTUM), v.div_scalar(BN_MOMENTUM));
            *sum = Some(match sum.take() {
                Some((sm, sv)) => (sm + m, sv + v),
                None => (m, v),
            });
        }
        batches += 1;
    }
    for (bn, sum) in bns.iter().zip(sums) {
        if let Some((m, v)) = sum {
            bn.set_running(m.div_scalar(batches as f64), v.div_scalar(batches as f64));
        }
    }
    net.valid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::genome::default_genome;
    use crate::engine::space::{Method, SearchSpace};

    fn values(t: Tensor<1>) -> Vec<f32> {
        t.into_data().try_to_vec::<f32>().unwrap()
    }

    /// On a fresh supernet the recomputed statistics are those of the images: the stem's
    /// batch-norm gets the per-channel mean and variance of its conv's output over all
    /// recalibration images (hand-computed from the conv output here).
    #[test]
    fn stem_statistics_are_the_batch_statistics_of_the_images() {
        let device = Device::flex();
        let space = SearchSpace::browser(1, 28, 10);
        let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
        let supernet = Supernet::new(&space, 3, &device).unwrap();
        let (train, _) = crate::data::load_dataset_arg("fashion-mnist").unwrap();
        let data = train
            .subset(&(0..RECALIBRATION_BATCH).collect::<Vec<_>>())
            .unwrap();
        let out = recalibrate(&supernet, &arch, &data, &device);
        let (mean, var) = out.stem.bn.running();
        let idx: Vec<usize> = (0..data.len()).collect();
        let (x, _) = make_batch(&data, &idx, 28, None, &device);
        let y = supernet.stem.conv.forward(x, &arch.stem); // [n, c, h, w]
        let c = arch.stem.c_out;
        let per_channel = y.swap_dims(0, 1).reshape([c as i32, -1]);
        let m = per_channel.clone().mean_dim(1).reshape([c]);
        let v = (per_channel - m.clone().reshape([c, 1]))
            .powi_scalar(2)
            .mean_dim(1)
            .reshape([c]);
        let (got_m, got_v) = (values(mean), values(var));
        for (i, (a, b)) in values(m).iter().zip(&got_m[..c]).enumerate() {
            assert!(
                (a - b).abs() < 1e-4 * (1.0 + a.abs()),
                "mean {i}: {a} vs {b}"
            );
        }
        for (i, (a, b)) in values(v).iter().zip(&got_v[..c]).enumerate() {
            assert!(
                (a - b).abs() < 1e-3 * (1.0 + a.abs()),
                "var {i}: {a} vs {b}"
            );
        }
        // The original keeps its statistics (a recalibrated copy shares nothing).
        let (orig_m, _) = supernet.stem.bn.running();
        assert!(values(orig_m).iter().all(|v| *v == 0.0));
    }
}
