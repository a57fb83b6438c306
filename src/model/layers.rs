//! Building blocks shared by the supernet and the exit heads: conv + BN (+ activation),
//! a linear layer, the MBConv block, and a shape trace of what actually ran.

// burn's `slice` takes one range per dimension: `[0..c]` is a 1-D slice, not a vec.
#![allow(clippy::single_range_in_vec_init)]

use burn::module::{Module, Param};
use burn::tensor::activation::relu;
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

use super::dynamic::{hard_sigmoid, hard_swish, DynBatchNorm, DynConv};
use super::init::{constant, scaled_normal};
use crate::engine::arch::{ConvSpec, LinearSpec, MbConvSpec};
use crate::engine::rng::Rng;
use crate::engine::space::Act;

/// One executed conv or linear layer: the shapes the forward pass really used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Traced {
    /// Layer name (mirrors the cost model's row names).
    pub name: String,
    /// `[c_out, c_in / groups, k_h, k_w]` of the (sliced) conv weight; `[out, in, 1, 1]` for linear.
    pub weight: [usize; 4],
    /// Input `[c, h, w]`.
    pub input: [usize; 3],
    /// Output `[c, h, w]`.
    pub output: [usize; 3],
    /// Stride, padding, groups (1, 0, 1 for linear).
    pub stride_padding_groups: [usize; 3],
}

impl Traced {
    /// MACs per sample of this layer from its executed shapes:
    /// `k_h·k_w·(c_in/groups)·c_out·h_out·w_out` (a linear is a 1×1 conv on 1×1).
    pub fn macs(&self) -> u64 {
        let [co, cig, kh, kw] = self.weight.map(|v| v as u64);
        kh * kw * cig * co * self.output[1] as u64 * self.output[2] as u64
    }
}

/// Optional recorder of executed layers.
pub type Trace<'a> = Option<&'a mut Vec<Traced>>;

pub(crate) fn record(
    trace: &mut Trace,
    name: &str,
    w: [usize; 4],
    x: [usize; 4],
    y: [usize; 4],
    spg: [usize; 3],
) {
    if let Some(t) = trace.as_mut() {
        t.push(Traced {
            name: name.to_string(),
            weight: w,
            input: [x[1], x[2], x[3]],
            output: [y[1], y[2], y[3]],
            stride_padding_groups: spg,
        });
    }
}

/// Applies an activation.
pub fn activate(x: Tensor<4>, act: Act) -> Tensor<4> {
    match act {
        Act::Relu => relu(x),
        Act::HSwish => hard_swish(x),
    }
}

/// Conv (sliced to its spec) → batch-norm.
#[derive(Module, Debug)]
pub struct ConvBn {
    /// The conv.
    pub conv: DynConv,
    /// Its batch-norm.
    pub bn: DynBatchNorm,
}

impl ConvBn {
    /// Weights for the largest shape `spec` can take.
    pub fn new(spec: &ConvSpec, rng: &mut Rng, device: &Device) -> Self {
        Self {
            conv: DynConv::new(
                spec.c_out,
                spec.c_in / spec.groups,
                spec.kernel,
                spec.bias,
                rng,
                device,
            ),
            bn: DynBatchNorm::new(spec.c_out, device),
        }
    }

    /// A copy whose batch-norm keeps running statistics of its own.
    pub fn detached(&self) -> Self {
        Self {
            conv: self.conv.clone(),
            bn: self.bn.detached(),
        }
    }

    /// `[n, c_in, h, w]` → `[n, c_out, h_out, w_out]` (conv then BN).
    pub fn forward(
        &self,
        x: Tensor<4>,
        spec: &ConvSpec,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<4> {
        let xd = x.dims();
        let y = self.conv.forward(x, spec);
        let wd = [
            spec.c_out,
            spec.c_in / spec.groups,
            spec.kernel,
            spec.kernel,
        ];
        record(
            trace,
            name,
            wd,
            xd,
            y.dims(),
            [spec.stride, spec.padding, spec.groups],
        );
        self.bn.forward(y)
    }
}

/// A fully connected layer, weight `[in_max, out_max]`, sliced to its spec.
#[derive(Module, Debug)]
pub struct Dense {
    /// `[in, out]`.
    pub weight: Param<Tensor<2>>,
    /// `[out]`.
    pub bias: Param<Tensor<1>>,
}

impl Dense {
    /// A linear layer `in → out` (Kaiming init, zero bias).
    pub fn new(spec: &LinearSpec, rng: &mut Rng, device: &Device) -> Self {
        let (i, o) = (spec.in_features, spec.out_features);
        // std = sqrt(1 / fan_in): Kaiming with gain 1 for the (linear) classifier output.
        let std = (1.0 / i.max(1) as f64).sqrt();
        Self {
            weight: scaled_normal([i, o], std, rng, device),
            bias: constant([o], 0.0, device),
        }
    }

    /// `[n, in]` → `[n, out]`.
    pub fn forward(
        &self,
        x: Tensor<2>,
        spec: &LinearSpec,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<2> {
        let (i, o) = (spec.in_features, spec.out_features);
        let w = self.weight.val();
        let w = if w.dims() == [i, o] {
            w
        } else {
            w.slice([0..i, 0..o])
        };
        let b = self.bias.val();
        let b = if b.dims()[0] == o { b } else { b.slice([0..o]) };
        let n = x.dims()[0];
        record(
            trace,
            name,
            [o, i, 1, 1],
            [n, i, 1, 1],
            [n, o, 1, 1],
            [1, 0, 1],
        );
        x.matmul(w) + b.unsqueeze()
    }
}

/// Global average pool `[n, c, h, w]` → `[n, c]`.
pub fn global_pool(x: Tensor<4>) -> Tensor<2> {
    let [n, c, _, _] = x.dims();
    adaptive_avg_pool2d(x, [1, 1]).reshape([n, c])
}

/// An MBConv block (MobileNetV2/V3): 1×1 expand → k×k depthwise → optional squeeze-excite →
/// 1×1 project, residual when shapes match. Weights at the largest configuration.
#[derive(Module, Debug)]
pub struct MbConv {
    /// 1×1 expand + BN (absent when the block never expands).
    pub expand: Option<ConvBn>,
    /// k×k depthwise + BN.
    pub depthwise: ConvBn,
    /// Squeeze-excite reduce / expand 1×1 convs (with bias).
    pub se: Option<(DynConv, DynConv)>,
    /// 1×1 project + BN.
    pub project: ConvBn,
}

impl MbConv {
    /// Weights for the largest block `spec`.
    pub fn new(spec: &MbConvSpec, rng: &mut Rng, device: &Device) -> Self {
        Self {
            expand: spec.expand.as_ref().map(|s| ConvBn::new(s, rng, device)),
            depthwise: ConvBn::new(&spec.depthwise, rng, device),
            se: spec.se.as_ref().map(|(r, e)| {
                (
                    DynConv::new(r.c_out, r.c_in, 1, true, rng, device),
                    DynConv::new(e.c_out, e.c_in, 1, true, rng, device),
                )
            }),
            project: ConvBn::new(&spec.project, rng, device),
        }
    }

    /// A copy whose batch-norms keep running statistics of their own.
    pub fn detached(&self) -> Self {
        Self {
            expand: self.expand.as_ref().map(ConvBn::detached),
            depthwise: self.depthwise.detached(),
            se: self.se.clone(),
            project: self.project.detached(),
        }
    }

    /// Runs the block as `spec` says: `[n, c_in, h, w]` → `[n, c_out, h', w']`.
    pub fn forward(
        &self,
        x: Tensor<4>,
        spec: &MbConvSpec,
        name: &str,
        trace: &mut Trace,
    ) -> Tensor<4> {
        let input = x.clone();
        let mut h = x;
        if let (Some(m), Some(s)) = (&self.expand, &spec.expand) {
            h = activate(m.forward(h, s, &format!("{name}.expand"), trace), spec.act);
        }
        h = activate(
            self.depthwise
                .forward(h, &spec.depthwise, &format!("{name}.depthwise"), trace),
            spec.act,
        );
        if let (Some((red, exp)), Some((rs, es))) = (&self.se, &spec.se) {
            let [n, c, _, _] = h.dims();
            let s = adaptive_avg_pool2d(h.clone(), [1, 1]);
            record(
                trace,
                &format!("{name}.se_reduce"),
                [rs.c_out, rs.c_in, 1, 1],
                [n, c, 1, 1],
                [n, rs.c_out, 1, 1],
                [1, 0, 1],
            );
            let s = relu(red.forward(s, rs));
            record(
                trace,
                &format!("{name}.se_expand"),
                [es.c_out, es.c_in, 1, 1],
                [n, rs.c_out, 1, 1],
                [n, es.c_out, 1, 1],
                [1, 0, 1],
            );
            let s = hard_sigmoid(exp.forward(s, es));
            h = h * s;
        }
        h = self
            .project
            .forward(h, &spec.project, &format!("{name}.project"), trace);
        if spec.residual {
            h + input
        } else {
            h
        }
    }
}
