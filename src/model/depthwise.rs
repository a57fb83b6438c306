//! Depthwise convolution (`groups = c_in = c_out`) as a burn backend extension with a
//! hand-written backward pass on the CPU backend.
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
//! (positions outside the input are the zero padding and are skipped). The forward pass is
//! burn's own `conv2d`, which already has a direct depthwise path. WebGPU keeps burn's
//! generic backward (the trait's default bodies). Reference tests compare both gradients
//! with burn's own on random shapes.

use burn::backend::autodiff::checkpoint::{base::Checkpointer, strategy::CheckpointStrategy};
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::Autodiff;
use burn::backend::ops::ModuleOps;
#[cfg(any(feature = "wgpu", target_arch = "wasm32"))]
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
#[backend_extension(Flex, Cube: cfg(any(feature = "wgpu", target_arch = "wasm32")), Autodiff)]
pub trait DepthwiseBackend: Backend {
    /// `x`: `[b, c, h, w]`, `weight`: `[c, 1, k, k]` → `[b, c, h_out, w_out]`.
    fn depthwise_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> FloatTensor<Self> {
        let channels = weight.shape()[0];
        Self::conv2d(x, weight, None, options(stride, padding, channels))
    }

    /// The gradients of `x` and `weight` given the output's gradient `grad`.
    fn depthwise_conv2d_backward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        let channels = weight.shape()[0];
        let opts = options(stride, padding, channels);
        let grad_x = Self::conv2d_x_backward(x.clone(), weight.clone(), grad.clone(), opts.clone());
        (grad_x, Self::conv2d_weight_backward(x, weight, grad, opts))
    }
}

impl DepthwiseBackend for Flex {
    fn depthwise_conv2d_backward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        stride: usize,
        padding: usize,
    ) -> (FloatTensor<Self>, FloatTensor<Self>) {
        if x.dtype() != DType::F32 {
            let channels = weight.shape()[0];
            let opts = options(stride, padding, channels);
            let gx = Self::conv2d_x_backward(x.clone(), weight.clone(), grad.clone(), opts.clone());
            return (gx, Self::conv2d_weight_backward(x, weight, grad, opts));
        }
        let (x, weight, grad) = (
            x.to_contiguous(),
            weight.to_contiguous(),
            grad.to_contiguous(),
        );
        let dims = Dims::of(&x.shape(), &weight.shape(), &grad.shape(), stride, padding);
        let (xs, ws, gs) = (
            x.storage::<f32>(),
            weight.storage::<f32>(),
            grad.storage::<f32>(),
        );
        let grad_x = input_grad(xs.len(), ws, gs, &dims);
        let grad_w = weight_grad(xs, gs, &dims);
        let tensor =
            |v: Vec<f32>, shape: Shape| FloatTensor::<Flex>::from_data(TensorData::new(v, shape));
        (tensor(grad_x, x.shape()), tensor(grad_w, weight.shape()))
    }
}

#[cfg(any(feature = "wgpu", target_arch = "wasm32"))]
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

/// Sizes of one depthwise conv.
struct Dims {
    planes: usize,
    channels: usize,
    h: usize,
    w: usize,
    k: usize,
    ho: usize,
    wo: usize,
    s: usize,
    p: usize,
}

impl Dims {
    fn of(x: &Shape, weight: &Shape, grad: &Shape, s: usize, p: usize) -> Self {
        Dims {
            planes: x[0] * x[1],
            channels: x[1],
            h: x[2],
            w: x[3],
            k: weight[2],
            ho: grad[2],
            wo: grad[3],
            s,
            p,
        }
    }

    /// Width of the zero-padded plane: every tap `s·j + v` of an output column lands in it.
    fn padded_w(&self) -> usize {
        (self.w + 2 * self.p).max(self.s * (self.wo - 1) + self.k)
    }

    /// Height of the zero-padded plane.
    fn padded_h(&self) -> usize {
        (self.h + 2 * self.p).max(self.s * (self.ho - 1) + self.k)
    }

    /// Copies plane `x` (`h×w`) into the interior of the zeroed padded plane `xp`.
    fn pad_into(&self, x: &[f32], xp: &mut [f32]) {
        let pw = self.padded_w();
        for (r, row) in x.chunks_exact(self.w).enumerate() {
            xp[(r + self.p) * pw + self.p..][..self.w].copy_from_slice(row);
        }
    }
}

/// `∂x`, one input plane per `(b, c)`: the scatter is done into a padded plane (no bounds
/// logic in the loops), whose interior is then the gradient.
fn input_grad(len: usize, ws: &[f32], gs: &[f32], d: &Dims) -> Vec<f32> {
    let mut out = vec![0.0f32; len];
    let (ph, pw) = (d.padded_h(), d.padded_w());
    let plane = |bc: usize, gx: &mut [f32]| {
        let c = bc % d.channels;
        let g = &gs[bc * d.ho * d.wo..][..d.ho * d.wo];
        let wk = &ws[c * d.k * d.k..][..d.k * d.k];
        let mut gp = vec![0.0f32; ph * pw];
        for (i, grow) in g.chunks_exact(d.wo).enumerate() {
            for (u, wrow) in wk.chunks_exact(d.k).enumerate() {
                let prow = &mut gp[(d.s * i + u) * pw..][..pw];
                for (v, &wv) in wrow.iter().enumerate() {
                    axpy_strided(&mut prow[v..], grow, d.s, wv);
                }
            }
        }
        for (r, row) in gx.chunks_exact_mut(d.w).enumerate() {
            row.copy_from_slice(&gp[(r + d.p) * pw + d.p..][..d.w]);
        }
    };
    for_each_chunk(&mut out, d.h * d.w, plane);
    out
}

/// `∂w`, one kernel per channel, summed over the batch, read from padded planes.
fn weight_grad(xs: &[f32], gs: &[f32], d: &Dims) -> Vec<f32> {
    let mut out = vec![0.0f32; d.channels * d.k * d.k];
    let batch = d.planes / d.channels;
    let (ph, pw) = (d.padded_h(), d.padded_w());
    let kernel = |c: usize, gw: &mut [f32]| {
        let mut xp = vec![0.0f32; ph * pw];
        for b in 0..batch {
            let bc = b * d.channels + c;
            d.pad_into(&xs[bc * d.h * d.w..][..d.h * d.w], &mut xp);
            let g = &gs[bc * d.ho * d.wo..][..d.ho * d.wo];
            for (i, grow) in g.chunks_exact(d.wo).enumerate() {
                for (u, gwrow) in gw.chunks_exact_mut(d.k).enumerate() {
                    let prow = &xp[(d.s * i + u) * pw..][..pw];
                    for (v, acc) in gwrow.iter_mut().enumerate() {
                        *acc += dot_strided(grow, &prow[v..], d.s);
                    }
                }
            }
        }
    };
    for_each_chunk(&mut out, d.k * d.k, kernel);
    out
}

/// `dst[s·j] += a · src[j]` for every `j` of `src`.
fn axpy_strided(dst: &mut [f32], src: &[f32], s: usize, a: f32) {
    if s == 1 {
        for (d, &x) in dst[..src.len()].iter_mut().zip(src) {
            *d += a * x;
        }
    } else {
        for (d, &x) in dst.iter_mut().step_by(s).zip(src) {
            *d += a * x;
        }
    }
}

/// `Σ_j a[j] · b[s·j]` over every `j` of `a`, with four partial sums so that the
/// compiler can vectorise it (one running sum would fix the order of the additions).
fn dot_strided(a: &[f32], b: &[f32], s: usize) -> f32 {
    if s != 1 {
        return a.iter().zip(b.iter().step_by(s)).map(|(x, y)| x * y).sum();
    }
    let b = &b[..a.len()];
    let mut lanes = [0.0f32; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (ca, cb) in a4.zip(b4) {
        for l in 0..4 {
            lanes[l] += ca[l] * cb[l];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Runs `f(index, chunk)` over the `size`-long chunks of `out`: on burn's thread pool
/// natively, one after the other in WebAssembly (no threads there).
fn for_each_chunk(out: &mut [f32], size: usize, f: impl Fn(usize, &mut [f32]) + Sync + Send) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        out.par_chunks_mut(size)
            .enumerate()
            .for_each(|(i, c)| f(i, c));
    }
    #[cfg(target_arch = "wasm32")]
    for (i, c) in out.chunks_mut(size).enumerate() {
        f(i, c);
    }
}

#[cfg(test)]
#[path = "depthwise_tests.rs"]
mod tests;
