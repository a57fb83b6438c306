//! The analytic cost model: per-layer MACs and parameters, per-exit path costs
//! (docs/method.md, § Cost model).
//!
//! Counted per sample, conv and linear layers only:
//! - conv2d: `MACs = K_h·K_w·(C_in/groups)·C_out·H_out·W_out`, params
//!   `K_h·K_w·(C_in/groups)·C_out (+ C_out bias)`;
//! - linear: `MACs = in·out`, params `in·out + out` (always with bias);
//! - squeeze-excite: its two `1×1` convs at 1×1 spatial (with bias);
//! - batch-norm, activations, pooling, additions, resizing: 0 MACs. Batch-norm parameters
//!   are **not** counted (they fold into the preceding conv at inference).
//!
//! Cost of leaving at exit `i` (`M_i`), over the *enabled* exits in order, then the final:
//! - cumulative (AEBNAS): backbone up to exit `i` + every enabled head at or before `i`;
//!   final: whole backbone + final classifier + all enabled heads;
//! - taken head (EDANAS/NACHOS code): backbone up to `i` + head `i`; final: whole backbone
//!   + final classifier.
//!
//! `avg MACs = Σ_i r_i·M_i` ([`avg_macs`]). This file is the per-layer table; the per-exit
//! path costs and the full report are in `cost/paths.rs`. Layer names are stable, for the
//! model builder:
//! `stem.conv`, `stem.block.{dw,project}`, `stageS.layerL.{expand,dw,se_reduce,se_expand,project}`,
//! `exitJ.moduleM.{conv,dw,pw}`, `exitJ.{expand,mix,conv0..2}`, `exitJ.linear`,
//! `final.{expand,mix,linear}` (S, J 1-based; L, M 0-based).

use crate::engine::arch::{Architecture, ConvSpec, ExitHead, LinearSpec, MbConvSpec};
use serde::{Deserialize, Serialize};

mod paths;
pub use paths::{avg_macs, CostConvention, CostReport, ExitCostRow, ExitCosts};

#[cfg(test)]
mod tests;

/// Which part of the network a layer belongs to (0-based stage / candidate-exit index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// Stem conv (and the paper's fixed first block).
    Stem,
    /// Backbone stage `i` (0-based; named `stage{i+1}`).
    Stage(usize),
    /// Head of candidate exit `j` (0-based; named `exit{j+1}`).
    Exit(usize),
    /// Final classifier.
    Final,
}

/// One conv or linear layer with its shapes and costs. Linear layers are written as
/// `1×1` convs on a 1×1 map, so `macs` always equals [`LayerRow::formula_macs`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRow {
    /// Stable name (see the module docs).
    pub name: String,
    /// `conv`, `depthwise`, `pointwise`, `linear`, `se_reduce` or `se_expand`.
    pub kind: String,
    /// Input channels (linear: in features).
    pub c_in: usize,
    /// Output channels (linear: out features).
    pub c_out: usize,
    /// Kernel side.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Padding.
    pub padding: usize,
    /// Groups.
    pub groups: usize,
    /// Input height.
    pub h_in: usize,
    /// Input width.
    pub w_in: usize,
    /// Output height.
    pub h_out: usize,
    /// Output width.
    pub w_out: usize,
    /// Multiply-accumulates per sample.
    pub macs: u64,
    /// Learnable parameters incl. bias (BN excluded).
    pub params: u64,
    /// Where the layer sits.
    pub part: Part,
}

impl LayerRow {
    /// `k·k·(c_in/groups)·c_out·h_out·w_out` from the row's own printed shapes.
    pub fn formula_macs(&self) -> u64 {
        let g = self.groups.max(1);
        (self.kernel * self.kernel * (self.c_in / g) * self.c_out * self.h_out * self.w_out) as u64
    }

    fn conv(name: String, kind: &str, part: Part, c: &ConvSpec) -> Self {
        let g = c.groups.max(1);
        let weights = (c.kernel * c.kernel * (c.c_in / g) * c.c_out) as u64;
        LayerRow {
            name,
            kind: kind.into(),
            c_in: c.c_in,
            c_out: c.c_out,
            kernel: c.kernel,
            stride: c.stride,
            padding: c.padding,
            groups: c.groups,
            h_in: c.h_in,
            w_in: c.w_in,
            h_out: c.h_out,
            w_out: c.w_out,
            macs: weights * (c.h_out * c.w_out) as u64,
            params: weights + if c.bias { c.c_out as u64 } else { 0 },
            part,
        }
    }

    fn linear(name: String, part: Part, l: &LinearSpec) -> Self {
        let (i, o) = (l.in_features, l.out_features);
        let c = ConvSpec::pointwise(i, o, (1, 1), true);
        let mut row = Self::conv(name, "linear", part, &c);
        row.params = (i * o + o) as u64;
        row
    }
}

fn conv_kind(c: &ConvSpec) -> &'static str {
    if c.groups > 1 && c.groups == c.c_in {
        "depthwise"
    } else if c.kernel == 1 && c.groups == 1 {
        "pointwise"
    } else {
        "conv"
    }
}

fn mbconv_rows(out: &mut Vec<LayerRow>, prefix: &str, part: Part, l: &MbConvSpec) {
    let n = |s: &str| format!("{prefix}.{s}");
    if let Some(e) = &l.expand {
        out.push(LayerRow::conv(n("expand"), "pointwise", part, e));
    }
    out.push(LayerRow::conv(n("dw"), "depthwise", part, &l.depthwise));
    if let Some((r, e)) = &l.se {
        out.push(LayerRow::conv(n("se_reduce"), "se_reduce", part, r));
        out.push(LayerRow::conv(n("se_expand"), "se_expand", part, e));
    }
    out.push(LayerRow::conv(n("project"), "pointwise", part, &l.project));
}

/// The rows of one exit head (candidate `j`, whether enabled or not).
pub fn head_rows(j: usize, head: &ExitHead) -> Vec<LayerRow> {
    let part = Part::Exit(j);
    let p = format!("exit{}", j + 1);
    let mut out = Vec::new();
    let classifier = match head {
        ExitHead::Branch {
            modules,
            classifier,
        } => {
            for (m, md) in modules.iter().enumerate() {
                let names: &[&str] = if md.convs.len() == 1 {
                    &["conv"]
                } else {
                    &["dw", "pw"]
                };
                for (c, nm) in md.convs.iter().zip(names) {
                    out.push(LayerRow::conv(
                        format!("{p}.module{m}.{nm}"),
                        conv_kind(c),
                        part,
                        c,
                    ));
                }
            }
            classifier
        }
        ExitHead::Edanas {
            expand,
            mix,
            classifier,
        } => {
            out.push(LayerRow::conv(
                format!("{p}.expand"),
                "pointwise",
                part,
                expand,
            ));
            out.push(LayerRow::conv(format!("{p}.mix"), "pointwise", part, mix));
            classifier
        }
        ExitHead::Nachos { convs, classifier } => {
            for (i, c) in convs.iter().enumerate() {
                out.push(LayerRow::conv(format!("{p}.conv{i}"), "conv", part, c));
            }
            classifier
        }
        ExitHead::Sdn { classifier, .. } => classifier,
    };
    out.push(LayerRow::linear(format!("{p}.linear"), part, classifier));
    out
}

impl Architecture {
    /// Every layer of the network, in execution order by part: stem, stages, enabled
    /// exit heads, final classifier.
    pub fn layers(&self) -> Vec<LayerRow> {
        let mut out = vec![LayerRow::conv(
            "stem.conv".into(),
            "conv",
            Part::Stem,
            &self.stem,
        )];
        if let Some(fb) = &self.first_block {
            mbconv_rows(&mut out, "stem.block", Part::Stem, fb);
        }
        for (s, st) in self.stages.iter().enumerate() {
            for (l, layer) in st.layers.iter().enumerate() {
                mbconv_rows(
                    &mut out,
                    &format!("stage{}.layer{l}", s + 1),
                    Part::Stage(s),
                    layer,
                );
            }
        }
        for (j, ex) in self.enabled_exits() {
            out.extend(head_rows(j, &ex.head));
        }
        let f = &self.final_head;
        if let Some(e) = &f.expand {
            out.push(LayerRow::conv(
                "final.expand".into(),
                "pointwise",
                Part::Final,
                e,
            ));
        }
        if let Some(m) = &f.feature_mix {
            out.push(LayerRow::conv(
                "final.mix".into(),
                "pointwise",
                Part::Final,
                m,
            ));
        }
        out.push(LayerRow::linear(
            "final.linear".into(),
            Part::Final,
            &f.classifier,
        ));
        out
    }
}
