//! Genome ↔ architecture: [`Architecture::decode`] with its helpers (one MBConv layer, an
//! AEBNAS exit branch, the exits, the final head) and [`Architecture::encode`] back; the
//! baselines' fixed heads are in `fixed_heads.rs`.

use super::fixed_heads::fixed_head;
use super::{
    Architecture, ConvSpec, ExitArch, ExitHead, ExitModuleSpec, FinalHead, LinearSpec, MbConvSpec,
    StageArch,
};
use crate::engine::genome::{Genome, GenomeError, GenomeLayout, ModuleGene};
use crate::engine::space::{make_divisible, Act, Method, ModuleKind, SearchSpace};

impl Architecture {
    /// Decodes `genome` (validated first) for `method` in `space`.
    pub fn decode(
        space: &SearchSpace,
        method: Method,
        genome: &Genome,
    ) -> Result<Architecture, GenomeError> {
        genome.validate(space)?;
        let layout = GenomeLayout::of(space);
        let g = &genome.0;
        let r = pick(&space.resolutions, g[layout.resolution()]);
        let st = &space.stem;
        let stem = ConvSpec::new(
            "stem",
            space.in_channels,
            st.c_out,
            st.kernel,
            st.stride,
            st.kernel / 2,
            1,
            (r, r),
            false,
        )?;
        let mut cur = (stem.c_out, stem.h_out, stem.w_out);
        let first_block = match &space.first_block {
            Some(fb) => {
                let b = mbconv(
                    "first block",
                    space,
                    cur,
                    fb.c_out,
                    (fb.kernel, 1, 1),
                    (fb.act, false),
                )?;
                cur = (fb.c_out, b.project.h_out, b.project.w_out);
                Some(b)
            }
            None => None,
        };
        let mut stages = Vec::new();
        for (s, spec) in space.stages.iter().enumerate() {
            let depth = pick(&space.depths, g[layout.depth(s)]);
            let mut layers = Vec::new();
            for l in 0..depth {
                let k = pick(&space.kernels, g[layout.kernel(s, l)]);
                let e = pick(&space.expansions, g[layout.expansion(s, l)]);
                let stride = if l == 0 { spec.stride } else { 1 };
                let what = format!("stage {} layer {}", s + 1, l + 1);
                let layer = mbconv(
                    &what,
                    space,
                    cur,
                    spec.width,
                    (k, e, stride),
                    (spec.act, spec.se),
                )?;
                cur = (spec.width, layer.project.h_out, layer.project.w_out);
                layers.push(layer);
            }
            stages.push(StageArch {
                layers,
                out_c: cur.0,
                out_h: cur.1,
                out_w: cur.2,
            });
        }
        let exits = decode_exits(space, method, genome, &layout, &stages)?;
        let final_head = decode_final_head(space, cur);
        Ok(Architecture {
            space: space.clone(),
            method,
            input: (space.in_channels, r, r),
            stem,
            stem_act: st.act,
            first_block,
            stages,
            exits,
            final_head,
        })
    }

    /// The canonical genome of this architecture (`decode(encode(a)) == a`, and
    /// `encode(decode(g)) == g` for canonical `g`).
    pub fn encode(&self) -> Genome {
        let space = &self.space;
        let layout = GenomeLayout::of(space);
        let idx = |v: &[usize], x: usize| v.iter().position(|&y| y == x).unwrap_or(0) as u32;
        let mut g = vec![0u32; layout.len()];
        g[layout.resolution()] = idx(&space.resolutions, self.input.1);
        for (s, st) in self.stages.iter().enumerate() {
            g[layout.depth(s)] = idx(&space.depths, st.layers.len());
            for (l, layer) in st.layers.iter().enumerate() {
                g[layout.kernel(s, l)] = idx(&space.kernels, layer.kernel);
                g[layout.expansion(s, l)] = idx(&space.expansions, layer.expansion);
            }
        }
        let off = space.threshold_off_index().unwrap_or(0) as u32;
        for (j, ex) in self.exits.iter().enumerate() {
            let t = layout.threshold(j);
            g[t] = match (ex.enabled, ex.threshold) {
                (false, _) => off,
                (true, Some(v)) => space
                    .thresholds
                    .iter()
                    .position(|&x| x == Some(v))
                    .unwrap_or(0) as u32,
                (true, None) => 0,
            };
            if let (true, ExitHead::Branch { modules, .. }) =
                (ex.enabled && self.method.searches_branches(), &ex.head)
            {
                let b = &space.exit_branch;
                for (m, md) in modules.iter().enumerate() {
                    if let Some(p) = layout.module_present(j, m) {
                        g[p] = 1;
                    }
                    let kind = b.kinds.iter().position(|&k| k == md.kind).unwrap_or(0) as u32;
                    g[layout.module_gene(j, m, ModuleGene::Kind)] = kind;
                    g[layout.module_gene(j, m, ModuleGene::Resize)] = idx(&b.resize, md.resize);
                    g[layout.module_gene(j, m, ModuleGene::Kernel)] = idx(&b.kernels, md.kernel);
                    g[layout.module_gene(j, m, ModuleGene::Width)] = idx(&b.widths, md.width);
                    g[layout.module_gene(j, m, ModuleGene::Pool)] = md.max_pool as u32;
                }
            }
        }
        Genome(g)
    }
}

fn pick<T: Copy>(v: &[T], g: u32) -> T {
    v[(g as usize).min(v.len().saturating_sub(1))]
}

fn mbconv(
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

/// The searched exit branch at exit `j` on a stage output of `(c, h, w)`: its modules,
/// up to the first absent one, then the classifier.
fn branch(
    space: &SearchSpace,
    genome: &Genome,
    layout: &GenomeLayout,
    j: usize,
    (c, _h, _w): (usize, usize, usize),
) -> Result<ExitHead, GenomeError> {
    let mut c = c;
    let mut modules = Vec::new();
    for m in 0..layout.max_modules {
        if let Some(p) = layout.module_present(j, m) {
            if genome.0[p] == 0 {
                break;
            }
        }
        let module = branch_module(space, genome, layout, (j, m), c)?;
        c = module.out_c;
        modules.push(module);
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

/// Module `m` of exit `j`'s branch on `c` input channels: resize to `ext × ext`, a
/// stride-2 conv (or depthwise + pointwise), an optional 2×2 max-pool.
fn branch_module(
    space: &SearchSpace,
    genome: &Genome,
    layout: &GenomeLayout,
    (j, m): (usize, usize),
    c: usize,
) -> Result<ExitModuleSpec, GenomeError> {
    let b = &space.exit_branch;
    let g = |f: ModuleGene| genome.0[layout.module_gene(j, m, f)];
    let what = format!("exit {} module {}", j + 1, m + 1);
    let (kind, ext) = (
        pick(&b.kinds, g(ModuleGene::Kind)),
        pick(&b.resize, g(ModuleGene::Resize)),
    );
    let (k, x) = (
        pick(&b.kernels, g(ModuleGene::Kernel)),
        pick(&b.widths, g(ModuleGene::Width)),
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
    let max_pool = g(ModuleGene::Pool) == 1;
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
    Ok(ExitModuleSpec {
        resize: ext,
        kind,
        kernel: k,
        width: x,
        convs,
        max_pool,
        out_c: last.c_out,
        out_h: oh,
        out_w: ow,
    })
}

/// The exits after the given stages: enabled or not, each with its head (the searched
/// branch, or the method's fixed head).
fn decode_exits(
    space: &SearchSpace,
    method: Method,
    genome: &Genome,
    layout: &GenomeLayout,
    stages: &[StageArch],
) -> Result<Vec<ExitArch>, GenomeError> {
    let mut exits = Vec::new();
    for (j, &position) in space.exit_positions.iter().enumerate() {
        let st = stages.get(position).ok_or_else(|| {
            GenomeError::Shape(format!(
                "exit {} sits after a stage that does not exist",
                j + 1
            ))
        })?;
        let chw = (st.out_c, st.out_h, st.out_w);
        let enabled = genome.exit_enabled(space, method, j);
        // Threshold values are tuned after training, never decoded from the genome.
        let threshold = None;
        let head = if method.searches_branches() {
            branch(space, genome, layout, j, chw)
        } else {
            fixed_head(space, method, j, chw)
        };
        // A disabled exit's head never runs: a shape problem there is not an error.
        let head = match (head, enabled) {
            (Ok(h), _) => h,
            (Err(e), true) => return Err(e),
            (Err(_), false) => ExitHead::Branch {
                modules: vec![],
                classifier: LinearSpec {
                    in_features: chw.0,
                    out_features: space.classes,
                },
            },
        };
        exits.push(ExitArch {
            position,
            enabled,
            threshold,
            in_chw: chw,
            head,
        });
    }
    Ok(exits)
}

/// The final classifier after the last stage's output `cur` (channels, height, width).
fn decode_final_head(space: &SearchSpace, cur: (usize, usize, usize)) -> FinalHead {
    let fh = &space.final_head;
    let expand = fh
        .expand
        .map(|e| ConvSpec::pointwise(cur.0, e, (cur.1, cur.2), false));
    let c = expand.as_ref().map_or(cur.0, |e| e.c_out);
    let feature_mix = fh
        .feature_mix
        .map(|m| ConvSpec::pointwise(c, m, (1, 1), false));
    let c = feature_mix.as_ref().map_or(c, |m| m.c_out);
    FinalHead {
        expand,
        feature_mix,
        classifier: LinearSpec {
            in_features: c,
            out_features: space.classes,
        },
        act: fh.act,
    }
}
