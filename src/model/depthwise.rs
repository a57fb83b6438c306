//! Depthwise convolution (`groups = c_in = c_out`) as a burn backend extension with a
//! hand-written backward pass on the CPU backend (the loops: `depthwise_kernels.rs`).
//!
//! burn's generic conv backward computes a depthwise layer's weight gradient with one
//! convolution per channel (plus a copy of the whole weight gradient per channel) and its
//! input gradient with a grouped transposed convolution; profiled on the default network
//! this was a quarter of a training step (README, throughput). Both gradients are direct
//! sums here, per channel plane, for stride `s`, padding `p` and a `k×k` kernel:
//!
//! - input:  `∂x[b,c,s·i−p+u, s·j−p+v] += g[b,c,i,j] · w[c,u,v]`
//! - weight: `∂w[c,u,v] = Σ_{b,i,j} g[b,c,i,j] · x[b,c,s·i−p+u, s·j−p+v]`
//!
//! (positions outside the input are the zero padding and are skipped). The forward pass
//! is written the same way (channels-last; in WebAssembly burn's direct depthwise path was
//! the worker's largest cost). WebGPU keeps burn's generic conv and backward (the trait's
//! default bodies). Reference tests compare both gradients
//! with burn's own on random shapes.

use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::Autodiff;
#[cfg(feature = "wgpu")]
use burn::backend::Cube;
use burn::backend::{
    backend_extension, tensor::FloatTensor, Backend, Dispatch, Flex, TensorMetadata,
};
use burn::tensor::ops::ConvOptions;
use burn::tensor::{DType, Shape, Tensor, TensorData};

/// Stride/padding options of a square depthwise conv with `channels` groups.
fn options(stride: usize, padding: usize, channels: usize) -> ConvOptions<2> {
    ConvOptions::new([stride, stride], [padding, padding], [1, 1], channels)
}

/// The depthwise convolution as a backend operation.
#[backend_extension(Flex, Cube: cfg(feature = "wgpu"), Autodiff)]
pub trait DepthwiseBackend: Backend {
    /// `x`: `[b, c, h, w]`, `weight`: `[c, 1, k, k]` → `[b, c, h_out, w_out]`.
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        generic_forward::<Self>(x, weight, stride, padding)
    }

    /// The gradients of `x` and `weight` given the output's gradient `grad`.
    fn depthwise_conv2d_backward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        generic_backward::<Self>(x, weight, grad, stride, padding)
    }
}

/// burn's own grouped conv: WebGPU, and dtypes other than f32 on the CPU.
fn generic_forward<B: Backend>(
    x: FloatTensor<B>,
    weight: FloatTensor<B>,
    stride: usize,
    padding: usize,
) -> FloatTensor<B> {
    let channels = weight.shape()[0];
    B::conv2d(x, weight, None, options(stride, padding, channels))
}

/// burn's own conv backward (input and weight gradients).
fn generic_backward<B: Backend>(
    x: FloatTensor<B>,
    weight: FloatTensor<B>,
    grad: FloatTensor<B>,
    stride: usize,
    padding: usize,
) -> (FloatTensor<B>, FloatTensor<B>) {
    let opts = options(stride, padding, weight.shape()[0]);
    let grad_x = B::conv2d_x_backward(x.clone(), weight.clone(), grad.clone(), opts.clone());
    (grad_x, B::conv2d_weight_backward(x, weight, grad, opts))
}

impl DepthwiseBackend for Flex {
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        if x.dtype() != DType::F32 {
            return generic_forward::<Self>(x, weight, stride, padding);
        }
        let (x, weight) = (x.to_contiguous(), weight.to_contiguous());
        let dims = kernels::Dims::forward(&x.shape(), &weight.shape(), stride, padding);
        let y = kernels::forward(x.storage::<f32>(), weight.storage::<f32>(), &dims);
        FloatTensor::<Flex>::from_data(TensorData::new(y, dims.output_shape()))
    }

    fn depthwise_conv2d_backward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        if x.dtype() != DType::F32 {
            return generic_backward::<Self>(x, weight, grad, stride, padding);
        }
        let (x, weight, grad) = (
            x.to_contiguous(),
            weight.to_contiguous(),
            grad.to_contiguous(),
        );
        let dims = kernels::Dims::of(&x.shape(), &weight.shape(), &grad.shape(), stride, padding);
        let (xs, ws, gs) = (
            x.storage::<f32>(),
            weight.storage::<f32>(),
            grad.storage::<f32>(),
        );
        let grad_x = kernels::input_grad(ws, gs, &dims);
        let grad_w = kernels::weight_grad(xs, gs, &dims);
        let tensor =
            |v: Vec<f32>, shape: Shape| FloatTensor::<Flex>::from_data(TensorData::new(v, shape));
        (tensor(grad_x, x.shape()), tensor(grad_w, weight.shape()))
    }
}

#[cfg(feature = "wgpu")]
impl DepthwiseBackend for Cube {}

/// The autodiff node: keeps `x` and `weight` for the backward pass.
#[derive(Debug)]
struct DepthwiseBackward;

impl<B: DepthwiseBackend> Backward<B, 2> for DepthwiseBackward {
    type State = (FloatTensor<B>, FloatTensor<B>, usize, usize);

    fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x, node_w] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x, weight, stride, padding) = ops.state;
        let (grad_x, grad_w) = B::depthwise_conv2d_backward(x, weight, grad, stride, padding);
        if let Some(node) = node_x {
            grads.register::<B>(node.id, grad_x);
        }
        if let Some(node) = node_w {
            grads.register::<B>(node.id, grad_w);
        }
    }
}

impl<B: DepthwiseBackend, C: CheckpointStrategy> DepthwiseBackend for Autodiff<B, C> {
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        let nodes = [x.node(), weight.node()];
        match DepthwiseBackward
            .prepare::<C>(nodes)
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let out = B::depthwise_conv2d(x.clone(), weight.clone(), stride, padding);
                prep.finish((x, weight, stride, padding), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::depthwise_conv2d(
                x.into_primitive(),
                weight.into_primitive(),
                stride,
                padding,
            )),
        }
    }
}

/// Depthwise conv on any backend: `x` `[b, c, h, w]`, `weight` `[c, 1, k, k]` →
/// `[b, c, (h + 2p − k)/s + 1, (w + 2p − k)/s + 1]`.
pub fn depthwise_conv2d(
    x: Tensor<4>,
    weight: Tensor<4>,
    stride: usize,
    padding: usize,
) -> Tensor<4> {
    Tensor::from_dispatch(Dispatch::depthwise_conv2d(
        x.into_dispatch(),
        weight.into_dispatch(),
        stride,
        padding,
    ))
}

#[path = "depthwise_kernels.rs"]
mod kernels;

#[cfg(test)]
#[path = "depthwise_tests.rs"]
mod tests;
