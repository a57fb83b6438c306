//! The search space: every choice set of the AEBNAS search in one place (docs/method.md,
//! § Search space and genome).
//!
//! A [`SearchSpace`] says what the backbone looks like (stem, stages with their widths,
//! strides, activations and squeeze-excite), which depth / kernel / expansion / resolution
//! values a genome may pick, where exits may sit, what an exit branch may be made of, which
//! threshold genes exist, and the final classifier. Two presets: [`SearchSpace::browser`]
//! (small, trainable in a browser tab) and [`SearchSpace::paper`] (AEBNAS's
//! OFA-MobileNetV3 w1.0 space, for checking the cost model at the paper's scale).
//!
//! [`Method`] says which genes a search method varies and which exit head it uses.
//!
//! Indexing convention used across the engine: stage and exit *indices* in data
//! (`position`, `Part::Stage(i)`, `Part::Exit(i)`) are 0-based; layer *names* and
//! human-readable text are 1-based for stages and exits ("stage2", "exit 1 (after stage 1)").

use serde::{Deserialize, Serialize};
use std::fmt;

/// Activation function of a layer (MobileNetV3 uses ReLU early, h-swish late).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// `max(0, x)`.
    Relu,
    /// `x · relu6(x + 3) / 6`.
    HSwish,
}

impl fmt::Display for Act {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Act::Relu => "relu",
            Act::HSwish => "h_swish",
        })
    }
}

/// Layer type of an exit-branch module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    /// AEBNAS: one `k×k` stride-2 padding-0 conv `C → C·x`.
    Conv,
    /// Our extension: `k×k` stride-2 padding-0 depthwise conv (groups = C), then `1×1 C → C·x`.
    DepthwiseSeparable,
}

impl fmt::Display for ModuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModuleKind::Conv => "conv",
            ModuleKind::DepthwiseSeparable => "dwsep",
        })
    }
}

/// The stem convolution (conv → BN → act).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StemSpec {
    /// Output channels.
    pub c_out: usize,
    /// Square kernel size (padding `kernel / 2`).
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Activation after BN.
    pub act: Act,
}

/// A fixed MBConv block with expansion 1 after the stem (OFA's `first_block`): depthwise
/// `k×k` stride 1 → project `1×1`, residual when `c_in == c_out`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstBlockSpec {
    /// Output channels.
    pub c_out: usize,
    /// Depthwise kernel size.
    pub kernel: usize,
    /// Activation after the depthwise conv.
    pub act: Act,
}

/// One elastic stage of MBConv layers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSpec {
    /// Output channels of every layer of the stage.
    pub width: usize,
    /// Stride of the stage's first layer (on its depthwise conv).
    pub stride: usize,
    /// Activation of the expand and depthwise convs.
    pub act: Act,
    /// Whether each layer has a squeeze-excite block after its depthwise conv.
    pub se: bool,
}

/// The choice sets of an exit branch (AEBNAS's `ExitBlock_Modified`, plus our module kind).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExitBranchChoices {
    /// Layer types a module may be (paper: conv only; browser: conv or depthwise-separable).
    pub kinds: Vec<ModuleKind>,
    /// Resize-to sizes `ext` (the module input is resized to `ext×ext`).
    pub resize: Vec<usize>,
    /// Conv kernel sizes (stride 2, padding 0).
    pub kernels: Vec<usize>,
    /// Width multipliers `x` (`C → C·x`).
    pub widths: Vec<usize>,
    /// Maximum number of modules (the second one is optional): 2 in AEBNAS.
    pub max_modules: usize,
}

/// The final classifier after the last stage (MobileNetV3 head).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinalHeadSpec {
    /// `1×1` conv → BN → act to this many channels before pooling (OFA: 960), if any.
    pub expand: Option<usize>,
    /// `1×1` conv (no BN, bias-free) → act after global average pooling (OFA: 1280), if any.
    pub feature_mix: Option<usize>,
    /// Activation of the two layers above.
    pub act: Act,
}

/// Fixed heads of the baselines (docs/method.md, § Baselines), scaled to this space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineHeads {
    /// EDANAS-like: `1×1` conv `C → edanas_expand·C` (BN, h-swish), GAP,
    /// `1×1` conv → `edanas_mix·C`, linear. EDANAS: 6 and 8.
    pub edanas_expand: usize,
    /// See [`BaselineHeads::edanas_expand`].
    pub edanas_mix: usize,
    /// NACHOS-like: filters of the three `3×3` stride-1 padding-1 convs (BN + ReLU), then
    /// GAP + linear. NACHOS: 32, 64, 128.
    pub nachos_filters: Vec<usize>,
    /// SDN-like: adaptive average pool to `sdn_pool × sdn_pool`, flatten, linear.
    pub sdn_pool: usize,
}

/// Every choice set of the search, in one place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchSpace {
    /// Preset name ("browser" or "paper").
    pub name: SpacePreset,
    /// Input image channels.
    pub in_channels: usize,
    /// Native image side of the dataset.
    pub native_res: usize,
    /// Number of classes.
    pub classes: usize,
    /// Input resolutions (square) a genome may pick.
    pub resolutions: Vec<usize>,
    /// Stem conv.
    pub stem: StemSpec,
    /// Fixed expansion-1 block after the stem (paper preset only).
    pub first_block: Option<FirstBlockSpec>,
    /// The elastic stages.
    pub stages: Vec<StageSpec>,
    /// Depth choices (layers per stage).
    pub depths: Vec<usize>,
    /// Depthwise kernel choices (per layer).
    pub kernels: Vec<usize>,
    /// Expansion-ratio choices (per layer); mid channels `make_divisible(C_in·e, 8)`.
    pub expansions: Vec<usize>,
    /// Candidate exit positions: 0-based stage index after which an exit may sit.
    pub exit_positions: Vec<usize>,
    /// Exit-branch choice sets (AEBNAS / random only).
    pub exit_branch: ExitBranchChoices,
    /// Threshold gene values; `None` = exit off.
    pub thresholds: Vec<Option<f32>>,
    /// SE reduction: the SE mid width is `make_divisible(C_mid / se_reduction, 8)`.
    pub se_reduction: usize,
    /// The final classifier.
    pub final_head: FinalHeadSpec,
    /// Fixed heads of the baseline methods.
    pub baseline_heads: BaselineHeads,
}

/// OFA's `make_divisible(v, divisor, min_value = divisor)`: round to the nearest multiple
/// of `divisor`, never going below 90 % of `v`.
pub fn make_divisible(v: f64, divisor: usize) -> usize {
    let d = divisor as f64;
    let mut new_v = ((v + d / 2.0) / d).floor() * d;
    new_v = new_v.max(d);
    if new_v < 0.9 * v {
        new_v += d;
    }
    new_v as usize
}

const THRESHOLDS: [Option<f32>; 3] = [Some(0.1), Some(0.2), None];

impl SearchSpace {
    /// Browser scale (docs/method.md, § Search space and genome): stem `3×3` stride 2
    /// → 16 ch, 4 stages of widths 16/24/40/64 with strides 1/2/2/2 (stage 1 runs at
    /// `native/2`, 14×14 for 28×28 data), ReLU in stages 1–2 and h-swish + SE in stages
    /// 3–4, `d∈{1,2,3}`, `k∈{3,5,7}`, `e∈{2,3,4}`, resolutions `{native−8, native−4,
    /// native}`, exits after stages 1–3 whose modules may be conv or depthwise-separable,
    /// final head `1×1 64→256`, GAP, linear. Backbone MACs span about 0.3 M (smallest,
    /// r=20) to 6 M (largest, r=28) for 1-channel 28×28 input; a mid-size genome is ~2 M.
    ///
    /// Baseline heads at this scale: EDANAS 6C/8C as in the paper; NACHOS filters 8/16/32
    /// (the paper's 32/64/128 ÷ 4, because stage-1 maps here are 14×14 instead of the
    /// paper's 8×8 at r = 32; with 16/32/64 one stage-1 head alone would cost ~5 M, more
    /// than the whole backbone); SDN pool 2×2.
    pub fn browser(channels: usize, native_res: usize, classes: usize) -> Self {
        let act = |i: usize| if i < 2 { Act::Relu } else { Act::HSwish };
        let widths = [16, 24, 40, 64];
        let strides = [1, 2, 2, 2];
        let resolutions = [8, 4, 0]
            .iter()
            .filter(|&&d| native_res > d)
            .map(|&d| native_res - d)
            .collect();
        SearchSpace {
            name: SpacePreset::Browser,
            in_channels: channels,
            native_res,
            classes,
            resolutions,
            stem: StemSpec {
                c_out: 16,
                kernel: 3,
                stride: 2,
                act: Act::HSwish,
            },
            first_block: None,
            stages: (0..4)
                .map(|i| StageSpec {
                    width: widths[i],
                    stride: strides[i],
                    act: act(i),
                    se: i >= 2,
                })
                .collect(),
            depths: vec![1, 2, 3],
            kernels: vec![3, 5, 7],
            expansions: vec![2, 3, 4],
            exit_positions: vec![0, 1, 2],
            exit_branch: ExitBranchChoices {
                kinds: vec![ModuleKind::Conv, ModuleKind::DepthwiseSeparable],
                resize: vec![8, 10],
                kernels: vec![3, 5],
                widths: vec![1, 2],
                max_modules: 2,
            },
            thresholds: THRESHOLDS.to_vec(),
            se_reduction: 4,
            final_head: FinalHeadSpec {
                expand: Some(256),
                feature_mix: None,
                act: Act::HSwish,
            },
            baseline_heads: BaselineHeads {
                edanas_expand: 6,
                edanas_mix: 8,
                nachos_filters: vec![8, 16, 32],
                sdn_pool: 2,
            },
        }
    }

    /// The browser default for Fashion-MNIST: 1 channel, 28×28, 10 classes.
    pub fn browser_default() -> Self {
        Self::browser(1, 28, 10)
    }

    /// Paper scale: AEBNAS's OFA-MobileNetV3 w1.0 space for 10-class 32×32 data
    /// (CIFAR-10/SVHN): stem `3×3` s2 3→16 (h-swish), first block MBConv e=1 k=3 16→16,
    /// 5 elastic stages of widths 24/40/80/112/160, strides 2/2/2/1/2, SE on the 40/112/160
    /// stages, ReLU in the first two stages and h-swish after, `d∈{2,3,4}`, `k∈{3,5,7}`,
    /// `e∈{3,4,6}`, resolution 32..=72 step 4, 4 exits after stages 1–4, final head
    /// `1×1 160→960`, GAP, `1×1 960→1280`, linear `1280→10`.
    ///
    /// Measured with this crate's cost model (`cost.rs`; conv and linear MACs only, SE as
    /// two 1×1 layers), final-exit cost in the cumulative convention (backbone + final
    /// classifier + enabled heads), for uniform genomes min (d=2, k=3, e=3), mid (d=3, k=5,
    /// e=4) and max (d=4, k=7, e=6) (test `cost::tests::paper_space_extremes`):
    ///
    /// | r | exits | min | mid | max |
    /// |---|---|---|---|---|
    /// | 32 | none | 3.94 M | 7.08 M | 15.20 M |
    /// | 32 | 4 cheapest (1 conv, k3, ext 8, ×1) | 5.65 M | 8.80 M | 16.91 M |
    /// | 32 | 4 largest (2 modules, k5, ext 10, ×2) | 51.47 M | 54.61 M | 62.73 M |
    /// | 72 | none | 16.23 M | 32.54 M | 72.16 M |
    /// | 72 | 4 cheapest | 17.95 M | 34.25 M | 73.88 M |
    /// | 72 | 4 largest | 63.76 M | 80.07 M | 119.69 M |
    ///
    /// Backbone alone (stem + first block + stages, no head): r = 32 min 2.54 M, max
    /// 13.80 M; r = 72 min 13.61 M, max 69.54 M. Parameters of the largest subnet: 6.35 M
    /// (BN excluded), consistent with OFA-MobileNetV3 w1.0's ~7.7 M at 1000 classes minus the
    /// 1.27 M difference of the 1280→classes linear layer.
    ///
    /// The final classifier alone is 1.40 M at r = 32 (160→960 at 1×1, 960→1280, 1280→10)
    /// and 2.62 M at r = 72 (3×3 maps). Random AEBNAS genomes (2,000, seed 1) have a
    /// median final-exit cost of 12.6 M at r = 32 (5–95 %: 7.9–27.1 M) and 41.3 M at r = 72
    /// (30.8–57.6 M).
    ///
    /// The authors' logged archives report final-exit costs of about 10.6–16.5 M at r = 32
    /// and 36–53 M at r = 72, exits included: both bands contain our random-genome medians
    /// and sit well inside our extremes. The archive holds *searched* candidates near a
    /// MAC target, not the corners of the space; in particular exit heads are
    /// resolution-independent (each module resizes to 8×8 or 10×10) and two ×2 modules
    /// with k5 after stage 4 cost ~28 M alone (112→224→448 channels), so such heads —
    /// which dominate our upper extremes — are absent from a target-constrained archive.
    /// Remaining differences would come from counting conventions (we count 0 for BN,
    /// activations, pooling and resizing, and count SE's two 1×1 convs).
    pub fn paper() -> Self {
        let widths = [24, 40, 80, 112, 160];
        let strides = [2, 2, 2, 1, 2];
        let se = [false, true, false, true, true];
        SearchSpace {
            name: SpacePreset::Paper,
            in_channels: 3,
            native_res: 32,
            classes: 10,
            resolutions: (32..=72).step_by(4).collect(),
            stem: StemSpec {
                c_out: 16,
                kernel: 3,
                stride: 2,
                act: Act::HSwish,
            },
            first_block: Some(FirstBlockSpec {
                c_out: 16,
                kernel: 3,
                act: Act::Relu,
            }),
            stages: (0..5)
                .map(|i| StageSpec {
                    width: widths[i],
                    stride: strides[i],
                    act: if i < 2 { Act::Relu } else { Act::HSwish },
                    se: se[i],
                })
                .collect(),
            depths: vec![2, 3, 4],
            kernels: vec![3, 5, 7],
            expansions: vec![3, 4, 6],
            exit_positions: vec![0, 1, 2, 3],
            exit_branch: ExitBranchChoices {
                kinds: vec![ModuleKind::Conv],
                resize: vec![8, 10],
                kernels: vec![3, 5],
                widths: vec![1, 2],
                max_modules: 2,
            },
            thresholds: THRESHOLDS.to_vec(),
            se_reduction: 4,
            final_head: FinalHeadSpec {
                expand: Some(960),
                feature_mix: Some(1280),
                act: Act::HSwish,
            },
            baseline_heads: BaselineHeads {
                edanas_expand: 6,
                edanas_mix: 8,
                nachos_filters: vec![32, 64, 128],
                sdn_pool: 2,
            },
        }
    }

    /// A preset by name: `"browser"` (Fashion-MNIST default) or `"paper"`.
    pub fn by_name(name: &str) -> Result<Self, UnknownSpace> {
        Ok(Self::preset(name.parse()?))
    }

    /// A preset (the browser one at its Fashion-MNIST size).
    pub fn preset(preset: SpacePreset) -> Self {
        match preset {
            SpacePreset::Browser => Self::browser_default(),
            SpacePreset::Paper => Self::paper(),
        }
    }

    /// Largest depth choice (layers per stage encoded in the genome).
    pub fn max_depth(&self) -> usize {
        self.depths.iter().copied().max().unwrap_or(0)
    }

    /// Index of the "off" value in [`SearchSpace::thresholds`], if any.
    pub fn threshold_off_index(&self) -> Option<usize> {
        self.thresholds.iter().position(|t| t.is_none())
    }
}

mod method;
mod preset;
pub use method::Method;
pub use preset::{SpacePreset, UnknownSpace};

#[cfg(test)]
mod tests;
