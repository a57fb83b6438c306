//! Reference tests: the fused batch-norm against burn's own `batch_norm_train` (output,
//! batch statistics, and the gradients of `x`, `γ`, `β`), relative tolerance 1e-4, on
//! shapes drawn from a seeded generator.

use super::*;
use crate::engine::rng::Rng;
use crate::model::reference::{assert_close, values};
use burn::tensor::Device;

/// `[y, μ, σ², ∂x, ∂γ, ∂β]` of `Σ(bn(x)·g)`, ours or burn's.
fn run(
    ours: bool,
    x: &TensorData,
    gamma: &TensorData,
    beta: &TensorData,
    g: &TensorData,
) -> [Vec<f32>; 6] {
    let device = Device::flex().autodiff();
    let x = Tensor::<4>::from_data(x.clone(), &device).require_grad();
    let gamma = Tensor::<1>::from_data(gamma.clone(), &device).require_grad();
    let beta = Tensor::<1>::from_data(beta.clone(), &device).require_grad();
    let (y, mean, var) = if ours {
        batch_norm_train(x.clone(), gamma.clone(), beta.clone(), 1e-5)
    } else {
        let r =
            burn::tensor::module::batch_norm_train(x.clone(), gamma.clone(), beta.clone(), 1e-5);
        (r.output, r.mean, r.variance)
    };
    let grads = (y.clone() * Tensor::<4>::from_data(g.clone(), &device))
        .sum()
        .backward();
    [
        values(y.inner()),
        values(mean.inner()),
        values(var.inner()),
        values(x.grad(&grads).unwrap()),
        values(gamma.grad(&grads).unwrap()),
        values(beta.grad(&grads).unwrap()),
    ]
}

#[test]
fn forward_statistics_and_gradients_equal_burns_batch_norm() {
    let mut rng = Rng::new(11);
    let mut noise = |len: usize, scale: f32, shift: f32| -> Vec<f32> {
        (0..len)
            .map(|_| (rng.next_f32() * 2.0 - 1.0) * scale + shift)
            .collect()
    };
    for (case, (b, c, h, w)) in [
        (4, 3, 5, 5),
        (2, 16, 14, 14),
        (8, 7, 1, 1),
        (1, 5, 3, 4),
        (3, 40, 4, 4),
    ]
    .into_iter()
    .enumerate()
    {
        let x = TensorData::new(noise(b * c * h * w, 3.0, 0.5), [b, c, h, w]);
        let gamma = TensorData::new(noise(c, 1.0, 1.0), [c]);
        let beta = TensorData::new(noise(c, 1.0, 0.0), [c]);
        let g = TensorData::new(noise(b * c * h * w, 1.0, 0.0), [b, c, h, w]);
        let ours = run(true, &x, &gamma, &beta, &g);
        let theirs = run(false, &x, &gamma, &beta, &g);
        for (i, name) in ["output", "mean", "variance", "∂x", "∂γ", "∂β"]
            .iter()
            .enumerate()
        {
            assert_close(
                &ours[i],
                &theirs[i],
                1e-4,
                &format!("case {case} ({b}×{c}×{h}×{w}) {name}"),
            );
        }
    }
}
