//! Decoding helpers: one MBConv layer, an AEBNAS exit branch, a fixed baseline head.

use super::{ConvSpec, ExitHead, ExitModuleSpec, LinearSpec, MbConvSpec};
use crate::engine::genome::{Genome, GenomeError, GenomeLayout, ModuleGene};
use crate::engine::space::{make_divisible, Act, Method, ModuleKind, SearchSpace};

pub(super) fn pick<T: Copy>(v: &[T], g: u32) -> T {
    v[(g as usize).min(v.len().saturating_sub(1))]
}

pub(super) fn mbconv(
    what: &str,
    space: &SearchSpace,
    (c_in, h, w): (usize, usize, usize),
    c_out: usize,
    (kernel, expansion, stride): (usize, usize, usize),
    (act, se): (Act, bool),
) -> Result<MbConvSpec, GenomeError> {
    let mid = if expansion == 1 {
        c_in
    } else {
        make_divisible((c_in * expansion) as f64, 8)
    };
    let expand = (expansion != 1).then(|| ConvSpec::pointwise(c_in, mid, (h, w), false));
    let dw = ConvSpec::new(
        what,
        mid,
        mid,
        kernel,
        stride,
        kernel / 2,
        mid,
        (h, w),
        false,
    )?;
    let se = se.then(|| {
        let red = make_divisible((mid / space.se_reduction.max(1)) as f64, 8);
        (
            ConvSpec::pointwise(mid, red, (1, 1), true),
            ConvSpec::pointwise(red, mid, (1, 1), true),
        )
    });
    let project = ConvSpec::pointwise(mid, c_out, (dw.h_out, dw.w_out), false);
    Ok(MbConvSpec {
        expand,
        residual: stride == 1 && c_in == c_out,
        depthwise: dw,
        se,
        project,
        act,
        kernel,
        expansion,
    })
}

pub(super) fn branch(
    space: &SearchSpace,
    genome: &Genome,
    layout: &GenomeLayout,
    j: usize,
    (c, h, w): (usize, usize, usize),
) -> Result<ExitHead, GenomeError> {
    let b = &space.exit_branch;
    let g = |m: usize, f: ModuleGene| genome.0[layout.module_gene(j, m, f)];
    let (mut c, mut _h, mut _w) = (c, h, w);
    let mut modules = Vec::new();
    for m in 0..layout.max_modules {
        if let Some(p) = layout.module_present(j, m) {
            if genome.0[p] == 0 {
                break;
            }
        }
        let what = format!("exit {} module {}", j + 1, m + 1);
        let (kind, ext) = (
            pick(&b.kinds, g(m, ModuleGene::Kind)),
            pick(&b.resize, g(m, ModuleGene::Resize)),
        );
        let (k, x) = (
            pick(&b.kernels, g(m, ModuleGene::Kernel)),
            pick(&b.widths, g(m, ModuleGene::Width)),
        );
        let convs = match kind {
            ModuleKind::Conv => vec![ConvSpec::new(
                &what,
                c,
                c * x,
                k,
                2,
                0,
                1,
                (ext, ext),
                false,
            )?],
            ModuleKind::DepthwiseSeparable => {
                let dw = ConvSpec::new(&what, c, c, k, 2, 0, c, (ext, ext), false)?;
                let pw = ConvSpec::pointwise(c, c * x, (dw.h_out, dw.w_out), false);
                vec![dw, pw]
            }
        };
        let last = convs
            .last()
            .cloned()
            .ok_or_else(|| GenomeError::Shape(what.clone()))?;
        let max_pool = g(m, ModuleGene::Pool) == 1;
        let (oh, ow) = if max_pool {
            (last.h_out / 2, last.w_out / 2)
        } else {
            (last.h_out, last.w_out)
        };
        if oh == 0 || ow == 0 {
            return Err(GenomeError::Shape(format!(
                "{what}: 2×2 max-pool of a {}×{} map is empty",
                last.h_out, last.w_out
            )));
        }
        c = last.c_out;
        (_h, _w) = (oh, ow);
        modules.push(ExitModuleSpec {
            resize: ext,
            kind,
            kernel: k,
            width: x,
            convs,
            max_pool,
            out_c: c,
            out_h: oh,
            out_w: ow,
        });
    }
    let classifier = LinearSpec {
        in_features: c,
        out_features: space.classes,
    };
    Ok(ExitHead::Branch {
        modules,
        classifier,
    })
}

pub(super) fn fixed_head(
    space: &SearchSpace,
    method: Method,
    j: usize,
    (c, h, w): (usize, usize, usize),
) -> Result<ExitHead, GenomeError> {
    let bh = &space.baseline_heads;
    let classes = space.classes;
    Ok(match method {
        Method::Edanas => {
            let expand = ConvSpec::pointwise(c, c * bh.edanas_expand, (h, w), false);
            let mix = ConvSpec::pointwise(c * bh.edanas_expand, c * bh.edanas_mix, (1, 1), false);
            ExitHead::Edanas {
                classifier: LinearSpec {
                    in_features: mix.c_out,
                    out_features: classes,
                },
                expand,
                mix,
            }
        }
        Method::Nachos => {
            let mut convs = Vec::new();
            let (mut ci, mut hw) = (c, (h, w));
            for &f in &bh.nachos_filters {
                let conv = ConvSpec::new(
                    &format!("exit {} conv", j + 1),
                    ci,
                    f,
                    3,
                    1,
                    1,
                    1,
                    hw,
                    false,
                )?;
                (ci, hw) = (f, (conv.h_out, conv.w_out));
                convs.push(conv);
            }
            ExitHead::Nachos {
                convs,
                classifier: LinearSpec {
                    in_features: ci,
                    out_features: classes,
                },
            }
        }
        _ => ExitHead::Sdn {
            pool: bh.sdn_pool,
            classifier: LinearSpec {
                in_features: c * bh.sdn_pool * bh.sdn_pool,
                out_features: classes,
            },
        },
    })
}
