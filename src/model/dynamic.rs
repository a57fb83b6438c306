//! Weight-sharing ("elastic") layers of the supernet (Once-for-All; see docs/method.md,
//! § Supernet and weight sharing).
//!
//! Each layer holds the weights of its *largest* configuration; a forward pass for a
//! smaller subnet slices them:
//! - elastic width / expansion: the first `c_out` output and first `c_in` input channels;
//! - elastic kernel: the centre `k×k` crop of the largest (e.g. 7×7) depthwise kernel.
//!
//! The conv is computed with burn's functional `conv2d` on the sliced weight, so the MACs
//! of a forward pass are exactly those of the subnet the engine's cost model counts
//! (`K_h·K_w·(C_in/groups)·C_out·H_out·W_out`).

// burn's `slice` takes one range per dimension: `[0..c]` is a 1-D slice, not a vec.
#![allow(clippy::single_range_in_vec_init)]

use burn::backend::DispatchDevice;
use burn::module::{Module, Param, RunningState};
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};

use super::batch_norm::batch_norm_train;
use super::depthwise::depthwise_conv2d;
pub use super::hard_swish::hard_swish;
use super::init::{constant, kaiming};
use crate::engine::arch::ConvSpec;
use crate::engine::rng::Rng;

/// A conv layer whose weight is sliced to the requested shape at every call.
#[derive(Module, Debug)]
pub struct DynConv {
    /// `[c_out_max, c_in_max / groups, k_max, k_max]`.
    pub weight: Param<Tensor<4>>,
    /// `[c_out_max]`, when the layer has a bias.
    pub bias: Option<Param<Tensor<1>>>,
}

impl DynConv {
    /// Largest shape: `c_out` outputs, `c_in_per_group` inputs per group, `k×k` kernel.
    pub fn new(
        c_out: usize,
        c_in_per_group: usize,
        k: usize,
        bias: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let fan_in = c_in_per_group * k * k;
        let weight = kaiming([c_out, c_in_per_group, k, k], fan_in, rng, device);
        let bias = bias.then(|| constant([c_out], 0.0, device));
        Self { weight, bias }
    }

    /// Runs the conv described by `spec` (its channels, kernel, stride, padding, groups).
    ///
    /// `x`: `[batch, spec.c_in, h_in, w_in]` → `[batch, spec.c_out, h_out, w_out]`.
    pub fn forward(&self, x: Tensor<4>, spec: &ConvSpec) -> Tensor<4> {
        let w = self.weight.val();
        let [c_out_max, cin_g_max, k_max, _] = w.dims();
        let cin_g = spec.c_in / spec.groups;
        let (k, off) = (spec.kernel, (k_max - spec.kernel) / 2);
        let w = if spec.c_out == c_out_max && cin_g == cin_g_max && k == k_max {
            w
        } else {
            w.slice([0..spec.c_out, 0..cin_g, off..off + k, off..off + k])
        };
        let bias = self.bias.as_ref().map(|b| {
            let b = b.val();
            if b.dims()[0] == spec.c_out {
                b
            } else {
                b.slice([0..spec.c_out])
            }
        });
        let one_by_one = spec.kernel == 1 && spec.groups == 1 && spec.stride == 1;
        if one_by_one && spec.padding == 0 && on_cpu(&x.device()) {
            return pointwise(x, w, bias);
        }
        if spec.groups > 1 && spec.groups == spec.c_in && spec.groups == spec.c_out {
            let y = depthwise_conv2d(x, w, spec.stride, spec.padding);
            return match bias {
                Some(bias) => y + bias.reshape([1, spec.c_out, 1, 1]),
                None => y,
            };
        }
        let options = ConvOptions::new(
            [spec.stride, spec.stride],
            [spec.padding, spec.padding],
            [1, 1],
            spec.groups,
        );
        conv2d(x, w, bias, options)
    }
}

/// Whether `device` is the CPU backend (flex), with or without autodiff.
pub fn on_cpu(device: &Device) -> bool {
    // Without a GPU backend compiled in (the native tests), `_` matches nothing.
    #[allow(unreachable_patterns)]
    match device.as_dispatch() {
        DispatchDevice::Flex(_) => true,
        DispatchDevice::Autodiff(inner) => matches!(&**inner, DispatchDevice::Flex(_)),
        _ => false,
    }
}

/// A 1×1 conv (stride 1, no padding, one group) as one batched matrix product,
/// `y_b = W · x_b (+ bias)` with `x_b` the `[c_in, h·w]` view of sample `b`.
///
/// Same result as `conv2d`. Used on the CPU backend only, where its gradients are two matrix products
/// (`Wᵀ·G`, `Σ_b G_b·x_bᵀ`), where `conv2d`'s are a transposed convolution and a
/// convolution with an `h×w` kernel over swapped axes (several times slower, profiled in
/// the README's throughput section); on WebGPU burn's conv was faster (SwiftShader:
/// training 2.7× slower with this form, `bench/worker-throughput`).
///
/// `x`: `[b, c_in, h, w]`, `w`: `[c_out, c_in, 1, 1]`, `bias`: `[c_out]` → `[b, c_out, h, w]`.
pub fn pointwise(x: Tensor<4>, w: Tensor<4>, bias: Option<Tensor<1>>) -> Tensor<4> {
    let [b, c_in, h, wd] = x.dims();
    let c_out = w.dims()[0];
    let y = w
        .reshape([1, c_out, c_in])
        .matmul(x.reshape([b, c_in, h * wd])); // [b, c_out, h·w]
    let y = match bias {
        Some(bias) => y + bias.reshape([1, c_out, 1]),
        None => y,
    };
    y.reshape([b, c_out, h, wd])
}

/// Batch-norm over the first `c` channels of its largest configuration.
///
/// Training (autodiff device): normalise with the batch statistics and update the running
/// statistics of the used channels (momentum 0.1). Inference: the running statistics.
#[derive(Module, Debug)]
pub struct DynBatchNorm {
    /// Scale, `[c_max]`.
    pub gamma: Param<Tensor<1>>,
    /// Shift, `[c_max]`.
    pub beta: Param<Tensor<1>>,
    /// Running mean, `[c_max]`.
    pub running_mean: RunningState<Tensor<1>>,
    /// Running variance, `[c_max]`.
    pub running_var: RunningState<Tensor<1>>,
}

const BN_EPS: f64 = 1e-5;
/// Weight of a batch's statistics in the running ones (`running ← (1 − m)·running + m·batch`).
pub const BN_MOMENTUM: f64 = 0.1;

impl DynBatchNorm {
    /// A batch-norm for at most `c_max` channels.
    pub fn new(c_max: usize, device: &Device) -> Self {
        Self {
            gamma: constant([c_max], 1.0, device),
            beta: constant([c_max], 0.0, device),
            running_mean: RunningState::new(Tensor::zeros([c_max], device)),
            running_var: RunningState::new(Tensor::ones([c_max], device)),
        }
    }

    /// A copy with running statistics of its own. burn's `clone` shares them (a
    /// `RunningState` is behind an `Arc`), so training a clone would change the original's.
    pub fn detached(&self) -> Self {
        Self {
            gamma: self.gamma.clone(),
            beta: self.beta.clone(),
            running_mean: RunningState::new(self.running_mean.value_sync()),
            running_var: RunningState::new(self.running_var.value_sync()),
        }
    }

    /// The running mean and variance, `[c_max]` each.
    pub fn running(&self) -> (Tensor<1>, Tensor<1>) {
        (
            self.running_mean.value_sync(),
            self.running_var.value_sync(),
        )
    }

    /// Replaces the running mean and variance (`[c_max]` each).
    pub fn set_running(&self, mean: Tensor<1>, var: Tensor<1>) {
        self.running_mean.update(mean.detach());
        self.running_var.update(var.detach());
        let _ = self.running();
    }

    /// `x`: `[batch, c, h, w]` with `c ≤ c_max` → same shape.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let c = x.dims()[1];
        let c_max = self.gamma.dims()[0];
        let take = |t: Tensor<1>| if c == c_max { t } else { t.slice([0..c]) };
        let (gamma, beta) = (take(self.gamma.val()), take(self.beta.val()));
        let device = x.device();
        if !device.is_autodiff() {
            let mean = take(self.running_mean.value()).to_device(&device);
            let var = take(self.running_var.value()).to_device(&device);
            return burn::tensor::module::batch_norm(x, gamma, beta, mean, var, BN_EPS);
        }
        let (output, mean, variance) = batch_norm_train(x, gamma, beta, BN_EPS);
        let update = |state: &RunningState<Tensor<1>>, batch: Tensor<1>| {
            let old = state.value_sync().to_device(&device);
            let fresh = take(old.clone()).mul_scalar(1.0 - BN_MOMENTUM)
                + batch.detach().mul_scalar(BN_MOMENTUM);
            let new = if c == c_max {
                fresh
            } else {
                old.slice_assign([0..c], fresh)
            };
            state.update(new.detach());
        };
        update(&self.running_mean, mean);
        update(&self.running_var, variance);
        output
    }
}

/// Hard sigmoid, `relu6(x + 3) / 6` (the squeeze-excite gate of MobileNetV3).
pub fn hard_sigmoid<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    (x + 3.0).clamp(0.0, 6.0) / 6.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::reference::{assert_close, values};
    use burn::tensor::TensorData;

    /// The matrix-product 1×1 conv equals burn's `conv2d`: output and the gradients of
    /// input, weight and bias, on random shapes (relative tolerance 1e-4).
    #[test]
    fn pointwise_equals_burns_conv2d_forward_and_gradients() {
        let device = Device::flex().autodiff();
        for (b, c_in, c_out, h, w, bias) in [
            (3, 5, 7, 4, 6, true),
            (2, 16, 48, 14, 14, false),
            (4, 24, 10, 1, 1, true),
            (1, 3, 1, 5, 2, false),
        ] {
            let run = |ours: bool| {
                let n = |len: usize, seed: usize| -> Vec<f32> {
                    (0..len)
                        .map(|i| (((i * 7919 + seed * 104729) % 1000) as f32 / 500.0) - 1.0)
                        .collect()
                };
                let x = Tensor::<4>::from_data(
                    TensorData::new(n(b * c_in * h * w, 1), [b, c_in, h, w]),
                    &device,
                )
                .require_grad();
                let wt = Tensor::<4>::from_data(
                    TensorData::new(n(c_out * c_in, 2), [c_out, c_in, 1, 1]),
                    &device,
                )
                .require_grad();
                let bs = bias.then(|| {
                    Tensor::<1>::from_data(TensorData::new(n(c_out, 3), [c_out]), &device)
                        .require_grad()
                });
                let y = if ours {
                    pointwise(x.clone(), wt.clone(), bs.clone())
                } else {
                    conv2d(
                        x.clone(),
                        wt.clone(),
                        bs.clone(),
                        ConvOptions::new([1, 1], [0, 0], [1, 1], 1),
                    )
                };
                let g = Tensor::<4>::from_data(
                    TensorData::new(n(b * c_out * h * w, 4), [b, c_out, h, w]),
                    &device,
                );
                let grads = (y.clone() * g).sum().backward();
                let bias_grad = bs.map(|t| {
                    t.grad(&grads)
                        .unwrap()
                        .into_data()
                        .try_to_vec::<f32>()
                        .unwrap()
                });
                (
                    values(y.inner()),
                    x.grad(&grads)
                        .map(|t| t.into_data().try_to_vec::<f32>().unwrap())
                        .unwrap(),
                    wt.grad(&grads)
                        .map(|t| t.into_data().try_to_vec::<f32>().unwrap())
                        .unwrap(),
                    bias_grad,
                )
            };
            let (ours, theirs) = (run(true), run(false));
            let shape = format!("{b}×{c_in}→{c_out} {h}×{w}");
            assert_close(&ours.0, &theirs.0, 1e-4, &format!("{shape} output"));
            assert_close(&ours.1, &theirs.1, 1e-4, &format!("{shape} input grad"));
            assert_close(&ours.2, &theirs.2, 1e-4, &format!("{shape} weight grad"));
            if let (Some(a), Some(b)) = (&ours.3, &theirs.3) {
                assert_close(a, b, 1e-4, &format!("{shape} bias grad"));
            }
        }
    }
}
