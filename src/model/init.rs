//! Deterministic weight initialisation from the project's seeded [`Rng`].
//!
//! burn's own random initialisers draw from a backend RNG whose stream depends on the
//! backend and on threading; drawing on the host instead makes a seed reproduce the same
//! weights on every backend, natively and in wasm.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};

use crate::engine::rng::Rng;

/// Kaiming-normal weights, `std = sqrt(2 / fan_in)` (He et al. 2015), for ReLU-like nets.
pub fn kaiming<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    scaled_normal(shape, (2.0 / fan_in.max(1) as f64).sqrt(), rng, device)
}

/// Normal weights with a given standard deviation, drawn on the host.
pub fn scaled_normal<const D: usize>(
    shape: [usize; D],
    std: f64,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n).map(|_| (rng.normal() * std) as f32).collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// A parameter filled with one value.
pub fn constant<const D: usize>(
    shape: [usize; D],
    value: f32,
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::full(shape, value, device))
}
