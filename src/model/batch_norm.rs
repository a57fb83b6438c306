//! Training-mode batch-norm as a burn backend extension, fused on the CPU backend.
//!
//! burn's generic `batch_norm_train` and its backward transpose the activation to
//! `[c, b·h·w]` twice each way (a full copy every time) and make about ten element-wise
//! passes; profiled on the default network, batch-norm was ~12 % of a training step and
//! the transposes the largest single kernel (README, throughput). Here, per channel over
//! its `N = b·h·w` values (Ioffe & Szegedy 2015; biased variance, as burn's):
//!
//! - forward: `μ = Σx/N`, `σ² = Σ(x−μ)²/N`, `x̂ = (x−μ)/√(σ²+ε)`, `y = γ·x̂ + β`;
//! - backward: `∂β = Σg`, `∂γ = Σg·x̂`, `∂x = γ/√(σ²+ε) · (g − ∂β/N − x̂·∂γ/N)`;
//!
//! two passes over the data forward and two backward, no copies. WebGPU keeps burn's
//! generic version (the trait's default bodies). Reference tests against burn's own
//! batch-norm, forward and the three gradients, in `batch_norm_tests.rs`.

use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::Autodiff;
#[cfg(feature = "wgpu")]
use burn::backend::Cube;
use burn::backend::{
    backend_extension, tensor::FloatTensor, AutodiffBackend, Backend, Dispatch, Flex,
    TensorMetadata,
};
use burn::tensor::{DType, Shape, Tensor, TensorData};

use super::parallel::for_each_chunk;

/// `(output, mean, variance)` of a training-mode batch-norm.
pub type Normalised<B> = (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>);

/// Training-mode batch-norm as a backend operation.
#[backend_extension(Flex, Cube: cfg(feature = "wgpu"), Autodiff)]
pub trait BatchNormBackend: Backend {
    /// `x`: `[b, c, h, w]`, `gamma`, `beta`: `[c]` → `(y, μ, σ²)`.
    fn bn_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        generic_train::<Self>(x, gamma, beta, epsilon)
    }

    /// `(∂x, ∂γ, ∂β)` given the output's gradient `grad`.
    fn bn_train_backward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
        grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        generic_train_backward::<Self>(x, gamma, mean, variance, epsilon, grad)
    }
}

/// burn's own training batch-norm: WebGPU, and dtypes other than f32 on the CPU.
fn generic_train<B: Backend>(
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    beta: FloatTensor<B>,
    epsilon: f64,
) -> Normalised<B> {
    let r = B::batch_norm_train(x, gamma, beta, epsilon);
    (r.output, r.mean, r.variance)
}

/// burn's own batch-norm backward.
fn generic_train_backward<B: Backend>(
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    mean: FloatTensor<B>,
    variance: FloatTensor<B>,
    epsilon: f64,
    grad: FloatTensor<B>,
) -> Normalised<B> {
    let r = B::batch_norm_train_backward(x, gamma, mean, variance, epsilon, grad);
    (r.x_grad, r.gamma_grad, r.beta_grad)
}

fn tensor(values: Vec<f32>, shape: Shape) -> FloatTensor<Flex> {
    FloatTensor::<Flex>::from_data(TensorData::new(values, shape))
}

impl BatchNormBackend for Flex {
    fn bn_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> Normalised<Self> {
        if x.dtype() != DType::F32 {
            return generic_train::<Self>(x, gamma, beta, epsilon);
        }
        let shape = x.shape();
        let (x, gamma, beta) = (
            x.to_contiguous(),
            gamma.to_contiguous(),
            beta.to_contiguous(),
        );
        let p = Planes::of(&shape);
        let xs = x.storage::<f32>();
        let (mean, var) = p.statistics(xs);
        let (g, b) = (gamma.storage::<f32>(), beta.storage::<f32>());
        let scale: Vec<f32> = (0..p.c)
            .map(|c| g[c] / (var[c] + epsilon as f32).sqrt())
            .collect();
        let mut y = vec![0.0f32; xs.len()];
        for_each_chunk(&mut y, p.hw, |bc, out| {
            let c = bc % p.c;
            let (m, s, sh) = (mean[c], scale[c], b[c]);
            for (o, &v) in out.iter_mut().zip(&xs[bc * p.hw..][..p.hw]) {
                *o = (v - m) * s + sh;
            }
        });
        let channels = Shape::new([p.c]);
        (
            tensor(y, shape),
            tensor(mean, channels.clone()),
            tensor(var, channels),
        )
    }

    fn bn_train_backward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
        grad: FloatTensor<Self>,
    ) -> Normalised<Self> {
        if x.dtype() != DType::F32 {
            return generic_train_backward::<Self>(x, gamma, mean, variance, epsilon, grad);
        }
        let shape = x.shape();
        let p = Planes::of(&shape);
        let (x, gamma, grad) = (
            x.to_contiguous(),
            gamma.to_contiguous(),
            grad.to_contiguous(),
        );
        let (mean, variance) = (mean.to_contiguous(), variance.to_contiguous());
        let (xs, gs) = (x.storage::<f32>(), grad.storage::<f32>());
        let (ms, vs, gam) = (
            mean.storage::<f32>(),
            variance.storage::<f32>(),
            gamma.storage::<f32>(),
        );
        let inv_std: Vec<f32> = vs
            .iter()
            .map(|v| 1.0 / (v + epsilon as f32).sqrt())
            .collect();
        // Per channel: Σg and Σg·x̂.
        let mut sums = vec![0.0f32; 2 * p.c];
        for_each_chunk(&mut sums, 2, |c, out| {
            let (mut sg, mut sgx) = (0.0f64, 0.0f64);
            for b in 0..p.b {
                let at = (b * p.c + c) * p.hw;
                let (xp, gp) = (&xs[at..][..p.hw], &gs[at..][..p.hw]);
                let (mut a, mut bb) = (0.0f32, 0.0f32);
                for (&v, &g) in xp.iter().zip(gp) {
                    a += g;
                    bb += g * (v - ms[c]);
                }
                sg += a as f64;
                sgx += bb as f64;
            }
            out[0] = sg as f32;
            out[1] = (sgx * inv_std[c] as f64) as f32;
        });
        let n = (p.b * p.hw) as f32;
        let mut dx = vec![0.0f32; xs.len()];
        for_each_chunk(&mut dx, p.hw, |bc, out| {
            let c = bc % p.c;
            let (sg, sgx, is) = (sums[2 * c], sums[2 * c + 1], inv_std[c]);
            let (k, mg, mgx) = (gam[c] * is, sg / n, sgx / n);
            let (xp, gp) = (&xs[bc * p.hw..][..p.hw], &gs[bc * p.hw..][..p.hw]);
            for ((o, &v), &g) in out.iter_mut().zip(xp).zip(gp) {
                *o = k * (g - mg - (v - ms[c]) * is * mgx);
            }
        });
        let gamma_grad = (0..p.c).map(|c| sums[2 * c + 1]).collect();
        let beta_grad = (0..p.c).map(|c| sums[2 * c]).collect();
        let channels = Shape::new([p.c]);
        (
            tensor(dx, shape),
            tensor(gamma_grad, channels.clone()),
            tensor(beta_grad, channels),
        )
    }
}

#[cfg(feature = "wgpu")]
impl BatchNormBackend for Cube {}

/// The autodiff node: keeps `x`, `γ` and the batch statistics.
#[derive(Debug)]
struct BatchNormBackward;

impl<B: BatchNormBackend> Backward<B, 3> for BatchNormBackward {
    type State = (
        FloatTensor<B>,
        FloatTensor<B>,
        FloatTensor<B>,
        FloatTensor<B>,
        f64,
    );

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_gamma, node_beta] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x, gamma, mean, variance, epsilon) = ops.state;
        let (dx, dgamma, dbeta) = B::bn_train_backward(x, gamma, mean, variance, epsilon, grad);
        for (node, g) in [(node_x, dx), (node_gamma, dgamma), (node_beta, dbeta)] {
            if let Some(node) = node {
                grads.register::<B>(node.id, g);
            }
        }
    }
}

impl<B: BatchNormBackend, C: CheckpointStrategy> BatchNormBackend for Autodiff<B, C> {
    fn bn_train(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> Normalised<Self> {
        let nodes = [x.node(), gamma.node(), beta.node()];
        let (x, gamma, beta) = (
            x.into_primitive(),
            gamma.into_primitive(),
            beta.into_primitive(),
        );
        let (y, mean, var) = B::bn_train(x.clone(), gamma.clone(), beta, epsilon);
        let stats = (
            <Self as AutodiffBackend>::from_inner(mean.clone()),
            <Self as AutodiffBackend>::from_inner(var.clone()),
        );
        let y = match BatchNormBackward
            .prepare::<C>(nodes)
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => prep.finish((x, gamma, mean, var, epsilon), y),
            OpsKind::UnTracked(prep) => prep.finish(y),
        };
        (y, stats.0, stats.1)
    }
}

/// Training-mode batch-norm on any backend: `x` `[b, c, h, w]`, `gamma`, `beta` `[c]` →
/// `(y, μ, σ²)`; gradients flow to `x`, `gamma` and `beta` through `y`.
pub fn batch_norm_train(
    x: Tensor<4>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    epsilon: f64,
) -> (Tensor<4>, Tensor<1>, Tensor<1>) {
    let (y, mean, var) = Dispatch::bn_train(
        x.into_dispatch(),
        gamma.into_dispatch(),
        beta.into_dispatch(),
        epsilon,
    );
    (
        Tensor::from_dispatch(y),
        Tensor::from_dispatch(mean),
        Tensor::from_dispatch(var),
    )
}

/// A `[b, c, h·w]` view's sizes.
struct Planes {
    b: usize,
    c: usize,
    hw: usize,
}

impl Planes {
    fn of(shape: &Shape) -> Self {
        let dims = shape.dims::<4>();
        Planes {
            b: dims[0],
            c: dims[1],
            hw: dims[2] * dims[3],
        }
    }

    /// Per-channel mean and biased variance (two passes, sums in f64 per plane).
    fn statistics(&self, xs: &[f32]) -> (Vec<f32>, Vec<f32>) {
        let n = (self.b * self.hw) as f64;
        let mut stats = vec![0.0f32; 2 * self.c];
        for_each_chunk(&mut stats, 2, |c, out| {
            let planes = (0..self.b).map(|b| &xs[(b * self.c + c) * self.hw..][..self.hw]);
            let mean = planes
                .clone()
                .map(|p| p.iter().sum::<f32>() as f64)
                .sum::<f64>()
                / n;
            let m = mean as f32;
            let var = planes
                .map(|p| p.iter().map(|&v| (v - m) * (v - m)).sum::<f32>() as f64)
                .sum::<f64>()
                / n;
            out[0] = m;
            out[1] = var as f32;
        });
        let mean = stats.iter().step_by(2).copied().collect();
        let var = stats.iter().skip(1).step_by(2).copied().collect();
        (mean, var)
    }
}

#[cfg(test)]
#[path = "batch_norm_tests.rs"]
mod tests;
