//! A decoded architecture: every layer of an early-exit network with its shapes.
//!
//! [`Architecture::decode`] turns a genome into typed layer specs (what the model builder
//! instantiates and what the cost model counts); [`Architecture::encode`] goes back.
//! Shapes follow PyTorch: conv `h_out = (h_in + 2p − k)/s + 1` (floor), max-pool 2×2 stride
//! 2 floor, resize sets the spatial size to `ext×ext`. A shape that would collapse to 0
//! is a [`GenomeError::Shape`], never a panic. Decoding and encoding live in
//! `arch/decode.rs`, the summary text in `arch/summary.rs`.

mod decode;
mod fixed_heads;
mod summary;

use crate::engine::genome::GenomeError;
use crate::engine::space::{Act, Method, ModuleKind, SearchSpace};
use serde::{Deserialize, Serialize};

/// A 2-D convolution (square kernel) with its input and output shapes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvSpec {
    /// Input channels.
    pub c_in: usize,
    /// Output channels.
    pub c_out: usize,
    /// Kernel side.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Zero padding on every side.
    pub padding: usize,
    /// Groups (`c_in` for a depthwise conv).
    pub groups: usize,
    /// Input height.
    pub h_in: usize,
    /// Input width.
    pub w_in: usize,
    /// Output height `(h_in + 2p − k)/s + 1`.
    pub h_out: usize,
    /// Output width `(w_in + 2p − k)/s + 1`.
    pub w_out: usize,
    /// Whether the conv has a bias (false when batch-norm follows).
    pub bias: bool,
}

impl ConvSpec {
    /// A conv on an `h_in×w_in` input; `Shape` error if the output would be empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        what: &str,
        c_in: usize,
        c_out: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        groups: usize,
        (h_in, w_in): (usize, usize),
        bias: bool,
    ) -> Result<Self, GenomeError> {
        let out = |x: usize| -> Option<usize> {
            (x + 2 * padding)
                .checked_sub(kernel)
                .map(|v| v / stride.max(1) + 1)
        };
        match (out(h_in), out(w_in)) {
            (Some(h_out), Some(w_out)) if h_in > 0 && w_in > 0 && kernel > 0 => Ok(ConvSpec {
                c_in,
                c_out,
                kernel,
                stride,
                padding,
                groups,
                h_in,
                w_in,
                h_out,
                w_out,
                bias,
            }),
            _ => Err(GenomeError::Shape(format!(
                "{what}: a {kernel}×{kernel} conv (padding {padding}) does not fit a {h_in}×{w_in} input"
            ))),
        }
    }

    /// A `1×1` conv at `h×w`.
    pub fn pointwise(c_in: usize, c_out: usize, (h, w): (usize, usize), bias: bool) -> Self {
        ConvSpec {
            c_in,
            c_out,
            kernel: 1,
            stride: 1,
            padding: 0,
            groups: 1,
            h_in: h,
            w_in: w,
            h_out: h,
            w_out: w,
            bias,
        }
    }
}

/// A fully connected layer (always with bias).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinearSpec {
    /// Input features.
    pub in_features: usize,
    /// Output features.
    pub out_features: usize,
}

/// An MBConv layer: 1×1 expand → k×k depthwise → optional SE → 1×1 project (+ residual).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MbConvSpec {
    /// `1×1 C_in → C_mid` (BN, act); `None` when the expansion is 1.
    pub expand: Option<ConvSpec>,
    /// `k×k` depthwise, stride on the stage's first layer, padding `k/2` (BN, act).
    pub depthwise: ConvSpec,
    /// Squeeze-excite: GAP → `1×1 C_mid → make_divisible(C_mid/4, 8)` (bias, ReLU) →
    /// `1×1 → C_mid` (bias, h-sigmoid) → scale.
    pub se: Option<(ConvSpec, ConvSpec)>,
    /// `1×1 C_mid → C_out` (BN, no act).
    pub project: ConvSpec,
    /// Whether the input is added to the output (stride 1 and `C_in = C_out`).
    pub residual: bool,
    /// Activation of expand and depthwise.
    pub act: Act,
    /// Depthwise kernel chosen.
    pub kernel: usize,
    /// Expansion ratio chosen.
    pub expansion: usize,
}

/// One backbone stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageArch {
    /// The active layers (depth = `layers.len()`).
    pub layers: Vec<MbConvSpec>,
    /// Output channels.
    pub out_c: usize,
    /// Output height.
    pub out_h: usize,
    /// Output width.
    pub out_w: usize,
}

/// One module of an AEBNAS exit branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitModuleSpec {
    /// The input is (bilinearly) resized to `resize × resize` first.
    pub resize: usize,
    /// Layer type.
    pub kind: ModuleKind,
    /// Conv kernel chosen.
    pub kernel: usize,
    /// Width multiplier `x` chosen.
    pub width: usize,
    /// `Conv`: one `k×k` stride-2 padding-0 conv `C → C·x`; `DepthwiseSeparable`: `k×k`
    /// stride-2 padding-0 depthwise (groups = C), then `1×1 C → C·x`. Each followed by BN + ReLU
    /// (the depthwise one too).
    pub convs: Vec<ConvSpec>,
    /// 2×2 stride-2 max-pool after the convs.
    pub max_pool: bool,
    /// Output channels.
    pub out_c: usize,
    /// Output height.
    pub out_h: usize,
    /// Output width.
    pub out_w: usize,
}

/// The classifier head of an early exit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ExitHead {
    /// AEBNAS branch: modules, then GAP → linear.
    Branch {
        /// 1..=M modules.
        modules: Vec<ExitModuleSpec>,
        /// GAP → linear.
        classifier: LinearSpec,
    },
    /// EDANAS-like: `1×1 C→6C` (BN, h-swish), GAP, `1×1 6C→8C` (h-swish), linear.
    Edanas {
        /// `1×1 C → 6C` at the exit's spatial size.
        expand: ConvSpec,
        /// `1×1 6C → 8C` at 1×1.
        mix: ConvSpec,
        /// Linear `8C → classes`.
        classifier: LinearSpec,
    },
    /// NACHOS-like: three `3×3` stride-1 padding-1 convs (BN + ReLU), GAP, linear.
    Nachos {
        /// The three convs.
        convs: Vec<ConvSpec>,
        /// Linear `filters[2] → classes`.
        classifier: LinearSpec,
    },
    /// SDN-like: adaptive average pool to `pool×pool`, flatten, linear.
    Sdn {
        /// Pooled side.
        pool: usize,
        /// Linear `C·pool² → classes`.
        classifier: LinearSpec,
    },
}

/// One candidate exit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExitArch {
    /// 0-based stage index after which the exit sits.
    pub position: usize,
    /// Whether the exit is in the network.
    pub enabled: bool,
    /// A fixed threshold. Decoding always gives `None`: every method tunes its thresholds
    /// on the validation split after training, so the genome carries none (see the genome
    /// docs); kept for readers of decoded architectures that set one by hand.
    pub threshold: Option<f32>,
    /// Input channels, height, width (the stage output).
    pub in_chw: (usize, usize, usize),
    /// The head (decoded for disabled exits too, from their zeroed genes).
    pub head: ExitHead,
}

/// The final classifier: optional `1×1` expand (BN, act) → GAP → optional `1×1` feature
/// mix (act, no BN) → linear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalHead {
    /// `1×1 C → expand` at the last stage's spatial size.
    pub expand: Option<ConvSpec>,
    /// `1×1` at 1×1 spatial.
    pub feature_mix: Option<ConvSpec>,
    /// Linear → classes.
    pub classifier: LinearSpec,
    /// Activation of expand and feature mix.
    pub act: Act,
}

/// A fully decoded early-exit network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Architecture {
    /// The space it was decoded in (needed by `encode`).
    pub space: SearchSpace,
    /// The method (decides the exit heads).
    pub method: Method,
    /// Input channels, height, width (height = width = the chosen resolution).
    pub input: (usize, usize, usize),
    /// Stem conv (BN, `stem_act`).
    pub stem: ConvSpec,
    /// Stem activation.
    pub stem_act: Act,
    /// Fixed expansion-1 block after the stem (paper preset).
    pub first_block: Option<MbConvSpec>,
    /// The stages.
    pub stages: Vec<StageArch>,
    /// One entry per candidate exit position, in order.
    pub exits: Vec<ExitArch>,
    /// The final classifier (the last exit).
    pub final_head: FinalHead,
}

impl Architecture {
    /// The enabled exits, in order.
    pub fn enabled_exits(&self) -> impl Iterator<Item = (usize, &ExitArch)> {
        self.exits.iter().enumerate().filter(|(_, e)| e.enabled)
    }
}

#[cfg(test)]
mod tests;
