//! Hard swish, `x · relu6(x + 3) / 6` (Howard et al. 2019, MobileNetV3), as a burn backend
//! extension: one pass forward and one backward on the CPU backend, where the composed
//! version makes four element-wise passes forward, about ten backward, and a mask per
//! clamp. Derivative: `0` for `x < −3`, `1` for `x > 3`, `(2x + 3)/6` between.
//! WebGPU composes it from burn's operations (the trait's default bodies). Reference test
//! against the composed form, forward and gradient.

use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::Autodiff;
#[cfg(feature = "wgpu")]
use burn::backend::Cube;
use burn::backend::{
    backend_extension, get_or_init_device_settings, tensor::FloatTensor, Backend, Dispatch, Flex,
    Scalar, TensorMetadata,
};
use burn::tensor::{DType, Tensor, TensorData};

use super::parallel::for_each_chunk;

/// Elements per parallel chunk on the CPU.
const CHUNK: usize = 1 << 14;

/// Hard swish as a backend operation.
#[backend_extension(Flex, Cube: cfg(feature = "wgpu"), Autodiff)]
pub trait HardSwishBackend: Backend {
    /// `x · clamp(x + 3, 0, 6) / 6`, element-wise.
    fn hard_swish(x: FloatTensor<Self>) -> FloatTensor<Self> {
        composed::<Self>(x)
    }

    /// `grad ·` the derivative at `x`.
    fn hard_swish_backward(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        composed_backward::<Self>(x, grad)
    }
}

/// The forward pass from burn's element-wise operations.
fn composed<B: Backend>(x: FloatTensor<B>) -> FloatTensor<B> {
    let three = B::float_add_scalar(x.clone(), Scalar::Float(3.0));
    let s = B::float_clamp(three, Scalar::Float(0.0), Scalar::Float(6.0));
    B::float_div_scalar(B::float_mul(x, s), Scalar::Float(6.0))
}

/// The backward pass from burn's element-wise operations and two masks.
fn composed_backward<B: Backend>(x: FloatTensor<B>, grad: FloatTensor<B>) -> FloatTensor<B> {
    let bool_dtype = get_or_init_device_settings::<B>(&x.device()).bool_dtype;
    let twice = B::float_mul_scalar(x.clone(), Scalar::Float(2.0));
    let inner = B::float_div_scalar(
        B::float_add_scalar(twice, Scalar::Float(3.0)),
        Scalar::Float(6.0),
    );
    let below = B::float_lower_elem(x.clone(), Scalar::Float(-3.0), bool_dtype);
    let above = B::float_greater_elem(x, Scalar::Float(3.0), bool_dtype);
    let d = B::float_mask_fill(inner, below, Scalar::Float(0.0));
    B::float_mul(grad, B::float_mask_fill(d, above, Scalar::Float(1.0)))
}

impl HardSwishBackend for Flex {
    fn hard_swish(x: FloatTensor<Self>) -> FloatTensor<Self> {
        if x.dtype() != DType::F32 {
            return composed::<Self>(x);
        }
        let shape = x.shape();
        let x = x.to_contiguous();
        let xs = x.storage::<f32>();
        let mut y = vec![0.0f32; xs.len()];
        for_each_chunk(&mut y, CHUNK, |i, out| {
            for (o, &v) in out.iter_mut().zip(&xs[i * CHUNK..]) {
                *o = v * (v + 3.0).clamp(0.0, 6.0) * (1.0 / 6.0);
            }
        });
        FloatTensor::<Flex>::from_data(TensorData::new(y, shape))
    }

    fn hard_swish_backward(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        if x.dtype() != DType::F32 {
            return composed_backward::<Self>(x, grad);
        }
        let shape = x.shape();
        let (x, grad) = (x.to_contiguous(), grad.to_contiguous());
        let (xs, gs) = (x.storage::<f32>(), grad.storage::<f32>());
        let mut dx = vec![0.0f32; xs.len()];
        for_each_chunk(&mut dx, CHUNK, |i, out| {
            let (xc, gc) = (&xs[i * CHUNK..], &gs[i * CHUNK..]);
            for ((o, &v), &g) in out.iter_mut().zip(xc).zip(gc) {
                let d = if v < -3.0 {
                    0.0
                } else if v > 3.0 {
                    1.0
                } else {
                    (2.0 * v + 3.0) * (1.0 / 6.0)
                };
                *o = g * d;
            }
        });
        FloatTensor::<Flex>::from_data(TensorData::new(dx, shape))
    }
}

#[cfg(feature = "wgpu")]
impl HardSwishBackend for Cube {}

/// The autodiff node: keeps `x`.
#[derive(Debug)]
struct HardSwishBackward;

impl<B: HardSwishBackend> Backward<B, 1> for HardSwishBackward {
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::hard_swish_backward(ops.state, grad));
        }
    }
}

impl<B: HardSwishBackend, C: CheckpointStrategy> HardSwishBackend for Autodiff<B, C> {
    fn hard_swish(x: FloatTensor<Self>) -> FloatTensor<Self> {
        let nodes = [x.node()];
        let x = x.into_primitive();
        match HardSwishBackward
            .prepare::<C>(nodes)
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let y = B::hard_swish(x.clone());
                prep.finish(x, y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::hard_swish(x)),
        }
    }
}

/// Hard swish on any backend and rank.
pub fn hard_swish<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    Tensor::from_dispatch(Dispatch::hard_swish(x.into_dispatch()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::Rng;
    use crate::model::reference::{assert_close, values};
    use burn::tensor::Device;

    /// Ours against the composed form `x · clamp(x + 3, 0, 6) / 6` on burn's autodiff:
    /// output and gradient, values spread over all three pieces, tolerance 1e-5.
    #[test]
    fn forward_and_gradient_equal_the_composed_form() {
        let device = Device::flex().autodiff();
        let mut rng = Rng::new(5);
        let inputs: Vec<f32> = (0..2 * 3 * 7 * 5)
            .map(|_| rng.next_f32() * 12.0 - 6.0)
            .collect();
        let upstream: Vec<f32> = (0..inputs.len())
            .map(|_| rng.next_f32() * 2.0 - 1.0)
            .collect();
        let run = |ours: bool| {
            let x = Tensor::<4>::from_data(TensorData::new(inputs.clone(), [2, 3, 7, 5]), &device)
                .require_grad();
            let y = if ours {
                hard_swish(x.clone())
            } else {
                x.clone() * (x.clone() + 3.0).clamp(0.0, 6.0) / 6.0
            };
            let g =
                Tensor::<4>::from_data(TensorData::new(upstream.clone(), [2, 3, 7, 5]), &device);
            let grads = (y.clone() * g).sum().backward();
            (values(y.inner()), values(x.grad(&grads).unwrap()))
        };
        let ((y1, g1), (y2, g2)) = (run(true), run(false));
        assert_close(&y1, &y2, 1e-5, "output");
        assert_close(&g1, &g2, 1e-5, "gradient");
    }
}
