//! Cost-model tests: hand-computed references (arithmetic in the comments) and a property
//! test over random genomes.

use super::*;
use crate::engine::arch::Architecture;
use crate::engine::genome::{Genome, GenomeLayout, ModuleGene};
use crate::engine::space::*;

/// Input 1×8×8, stem 3×3 s2 → 4 ch; stages (4, s1), (8, s2, SE), (8, s1); d=1, k=3, e=2;
/// exits after stages 1 and 2; final 1×1 → 16, GAP, linear → 3 classes.
fn tiny() -> SearchSpace {
    let stage = |width, stride, se| StageSpec {
        width,
        stride,
        act: Act::Relu,
        se,
    };
    let mut s = SearchSpace::browser(1, 8, 3);
    s.resolutions = vec![8];
    s.stem.c_out = 4;
    s.stages = vec![stage(4, 1, false), stage(8, 2, true), stage(8, 1, false)];
    s.depths = vec![1];
    s.kernels = vec![3];
    s.expansions = vec![2];
    s.exit_positions = vec![0, 1];
    s.final_head.expand = Some(16);
    s.baseline_heads.nachos_filters = vec![2, 2, 2];
    s
}

/// Exit 1: conv k3 ext8 ×2 + pool, threshold 0.2; exit 2: conv k3 ext8 ×1, threshold 0.1.
fn tiny_genome(s: &SearchSpace) -> Genome {
    let l = GenomeLayout::of(s);
    let mut g = vec![0u32; l.len()];
    g[l.threshold(0)] = 1;
    g[l.module_gene(0, 0, ModuleGene::Width)] = 1;
    g[l.module_gene(0, 0, ModuleGene::Pool)] = 1;
    Genome(g)
}

fn macs_of(rows: &[LayerRow], name: &str) -> u64 {
    rows.iter()
        .find(|r| r.name == name)
        .map(|r| r.macs)
        .unwrap()
}

#[test]
fn hand_computed_tiny_network() {
    let s = tiny();
    let a = Architecture::decode(&s, Method::Aebnas, &tiny_genome(&s)).unwrap();
    let rows = a.layers();
    // stem: (8 + 2·1 − 3)/2 + 1 = 4 → 3·3·1·4·4·4 = 576 MACs, 3·3·1·4 = 36 params
    assert_eq!(macs_of(&rows, "stem.conv"), 576);
    assert_eq!(rows[0].params, 36);
    // stage 1 (4→4, mid make_divisible(4·2) = 8, 4×4): expand 4·8·16 = 512,
    // dw 3·3·(8/8)·8·16 = 1152, project 8·4·16 = 512 → 2176
    assert_eq!(macs_of(&rows, "stage1.layer0.dw"), 1152);
    let rep = a.cost_report();
    assert_eq!(rep.stage_macs[0], 2176);
    // stage 2 (4→8, s2, SE): expand 4·8·16 = 512; dw (4 + 2 − 3)/2 + 1 = 2 → 9·8·2·2 = 288;
    // SE mid make_divisible(8/4 = 2, 8) = 8: reduce 8·8 = 64 (params 64 + 8 bias = 72),
    // expand 8·8 = 64; project 8·8·2·2 = 256 → 512 + 288 + 64 + 64 + 256 = 1184
    assert_eq!(macs_of(&rows, "stage2.layer0.se_reduce"), 64);
    let se = rows
        .iter()
        .find(|r| r.name == "stage2.layer0.se_expand")
        .unwrap();
    assert_eq!(
        (se.params, se.h_out, se.kind.as_str()),
        (72, 1, "se_expand")
    );
    assert_eq!(rep.stage_macs[1], 1184);
    // stage 3 (8→8, mid 16, 2×2): 8·16·4 + 9·16·4 + 16·8·4 = 512 + 576 + 512 = 1600
    assert_eq!(rep.stage_macs[2], 1600);
    // backbone: 576 + 2176 + 1184 + 1600 = 5536; final: 8·16·4 = 512 + linear 16·3 = 48
    assert_eq!(rep.total_backbone_macs, 5536);
    assert_eq!(rep.final_head_macs, 560);
    // exit 1 (4 ch, resized to 8×8): stride-2 padding-0 conv 3×3 → (8 − 3)/2 + 1 = 3,
    // 3·3·4·8·3·3 = 2592; pool 3 → 1; linear 8·3 = 24 → head 2616
    let c = rows
        .iter()
        .find(|r| r.name == "exit1.module0.conv")
        .unwrap();
    assert_eq!((c.h_out, c.stride, c.padding, c.macs), (3, 2, 0, 2592));
    assert_eq!(rep.exits[0].head_macs, 2616);
    // exit 2 (8 ch): 3·3·8·8·3·3 = 5184 + linear 8·3 = 24 → 5208
    assert_eq!(rep.exits[1].head_macs, 5208);
    // B1 = 576 + 2176 = 2752, B2 = 2752 + 1184 = 3936, B = 5536, F = 560
    // cumulative: 2752 + 2616 = 5368; 3936 + 2616 + 5208 = 11760;
    //             5536 + 560 + 2616 + 5208 = 13920
    // taken head: 5368; 3936 + 5208 = 9144; 5536 + 560 = 6096
    let costs = a.exit_costs();
    assert_eq!(costs.cumulative, vec![5368.0, 11760.0, 13920.0]);
    assert_eq!(costs.taken_head, vec![5368.0, 9144.0, 6096.0]);
    assert_eq!(costs.exit_index, vec![Some(0), Some(1), None]);
    // avg with rates 0.5 / 0.3 / 0.2: 0.5·5368 + 0.3·11760 + 0.2·13920
    //   = 2684 + 3528 + 2784 = 8996
    let avg = avg_macs(&[0.5, 0.3, 0.2], costs.get(CostConvention::Cumulative));
    assert!((avg - 8996.0).abs() < 1e-6, "{avg}");
    // taken head: 0.5·5368 + 0.3·9144 + 0.2·6096 = 2684 + 2743.2 + 1219.2 = 6646.4
    let avg = avg_macs(&[0.5, 0.3, 0.2], costs.get(CostConvention::TakenHead));
    assert!((avg - 6646.4).abs() < 1e-6, "{avg}");
}

#[test]
fn disabled_exit_drops_out_of_both_conventions() {
    let s = tiny();
    let l = GenomeLayout::of(&s);
    let mut g = tiny_genome(&s);
    g.0[l.threshold(0)] = 2; // off
    let g = g.canonical(&s, Method::Aebnas);
    let a = Architecture::decode(&s, Method::Aebnas, &g).unwrap();
    // cumulative: 3936 + 5208 = 9144; 5536 + 560 + 5208 = 11304; taken: 9144; 6096
    let c = a.exit_costs();
    assert_eq!(c.cumulative, vec![9144.0, 11304.0]);
    assert_eq!(c.taken_head, vec![9144.0, 6096.0]);
    assert!(a.layers().iter().all(|r| r.part != Part::Exit(0)));
}

#[test]
fn depthwise_separable_module_and_second_module() {
    let s = tiny();
    let l = GenomeLayout::of(&s);
    let mut g = tiny_genome(&s);
    let m0 = |f| l.module_gene(0, 0, f);
    g.0[m0(ModuleGene::Kind)] = 1; // dwsep
    g.0[m0(ModuleGene::Resize)] = 1; // 10
    g.0[m0(ModuleGene::Kernel)] = 1; // 5
    g.0[m0(ModuleGene::Width)] = 0; // ×1
    g.0[m0(ModuleGene::Pool)] = 0;
    g.0[l.module_present(0, 1).unwrap()] = 1; // module 2: conv k3 ext8 ×2
    g.0[l.module_gene(0, 1, ModuleGene::Width)] = 1;
    let a = Architecture::decode(&s, Method::Aebnas, &g).unwrap();
    let rows = a.layers();
    // dw 5×5 s2 p0 (groups 4) on 10×10 → (10 − 5)/2 + 1 = 3: 5·5·(4/4)·4·3·3 = 900
    let dw = rows.iter().find(|r| r.name == "exit1.module0.dw").unwrap();
    assert_eq!(
        (dw.groups, dw.h_out, dw.macs, dw.kind.as_str()),
        (4, 3, 900, "depthwise")
    );
    // pw 1×1 4→4 at 3×3: 4·4·9 = 144
    assert_eq!(macs_of(&rows, "exit1.module0.pw"), 144);
    // module 2: resize 8, 3·3·4·8·3·3 = 2592; linear 8·3 = 24 → head 900+144+2592+24 = 3660
    assert_eq!(macs_of(&rows, "exit1.module1.conv"), 2592);
    assert_eq!(a.cost_report().exits[0].head_macs, 3660);
}

#[test]
fn grouped_conv_formula() {
    // groups 2, 8 → 4, 3×3 padding 1 on 5×5: (5 + 2 − 3)/1 + 1 = 5;
    // MACs 3·3·(8/2)·4·5·5 = 3600, params 3·3·4·4 + 4 bias = 148
    let c = ConvSpec::new("g", 8, 4, 3, 1, 1, 2, (5, 5), true).unwrap();
    let r = LayerRow::conv("g".into(), conv_kind(&c), Part::Stem, &c);
    assert_eq!(
        (r.h_out, r.macs, r.params, r.kind.as_str()),
        (5, 3600, 148, "conv")
    );
    assert_eq!(r.formula_macs(), 3600);
}

#[test]
fn baseline_heads_by_hand() {
    let s = tiny();
    let g = tiny_genome(&s);
    let head = |m: Method| {
        let g = g.canonical(&s, m);
        let a = Architecture::decode(&s, m, &g).unwrap();
        a.cost_report().exits[0].head_macs
    };
    // EDANAS at 4 ch 4×4: 1×1 4→24 at 4×4 = 4·24·16 = 1536; 1×1 24→32 at 1×1 = 768;
    // linear 32·3 = 96 → 2400
    assert_eq!(head(Method::Edanas), 2400);
    // NACHOS (filters 2,2,2), 3×3 p1 at 4×4: 9·4·2·16 = 1152, 9·2·2·16 = 576, 576;
    // linear 2·3 = 6 → 2310
    assert_eq!(head(Method::Nachos), 2310);
    // SDN: pool 2×2 → linear 4·4·3 = 48
    assert_eq!(head(Method::Sdn), 48);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use crate::engine::rng::Rng;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn rows_match_formula_and_costs_are_sums(seed in any::<u64>(), paper in any::<bool>(), m in 0usize..5, raw in any::<bool>()) {
            let space = if paper { SearchSpace::paper() } else { SearchSpace::browser_default() };
            let method = Method::ALL[m];
            let mut rng = Rng::new(seed);
            let g = if raw {
                // Any in-range genome, not only canonical ones.
                let card = GenomeLayout::of(&space).cardinalities(&space);
                Genome(card.iter().map(|&c| rng.below(c as usize) as u32).collect())
            } else {
                Genome::sample(&space, method, &mut rng)
            };
            let a = Architecture::decode(&space, method, &g).unwrap();
            let rows = a.layers();
            for r in &rows {
                prop_assert_eq!(r.macs, r.formula_macs(), "{}", &r.name);
                prop_assert_eq!(r.h_out, (r.h_in + 2 * r.padding - r.kernel) / r.stride + 1);
                prop_assert_eq!(r.w_out, (r.w_in + 2 * r.padding - r.kernel) / r.stride + 1);
            }
            let part = |p: &dyn Fn(Part) -> bool| rows.iter().filter(|r| p(r.part)).map(|r| r.macs).sum::<u64>() as f64;
            let upto = |pos: usize| part(&|p| matches!(p, Part::Stem) || matches!(p, Part::Stage(s) if s <= pos));
            let costs = a.exit_costs();
            let enabled: Vec<usize> = a.enabled_exits().map(|(j, _)| j).collect();
            prop_assert_eq!(costs.cumulative.len(), enabled.len() + 1);
            let mut heads = 0.0;
            for (k, &j) in enabled.iter().enumerate() {
                let h = part(&|p| p == Part::Exit(j));
                heads += h;
                let b = upto(a.exits[j].position);
                prop_assert_eq!(costs.taken_head[k], b + h);
                prop_assert_eq!(costs.cumulative[k], b + heads);
            }
            let total = part(&|p| p != Part::Final) - heads + part(&|p| p == Part::Final);
            prop_assert_eq!(costs.taken_head[enabled.len()], total);
            prop_assert_eq!(costs.cumulative[enabled.len()], total + heads);
            prop_assert_eq!(a.cost_report().total_params, rows.iter().map(|r| r.params).sum::<u64>());
        }
    }
}

/// A paper-space genome with the same depth/kernel/expansion index everywhere; exits all
/// on with the cheapest (`big = false`: 1 conv module k3 ext8 ×1) or the most expensive
/// (`big = true`: 2 modules k5 ext10 ×2) branch, or all off.
fn uniform(s: &SearchSpace, r: u32, dke: u32, exits: Option<bool>) -> Genome {
    let l = GenomeLayout::of(s);
    let mut g = vec![dke; l.len()];
    g[0] = r;
    for j in 0..l.exits {
        let t = l.threshold(j);
        g[t..t + l.exit_genes()].iter_mut().for_each(|v| *v = 0);
        match exits {
            None => g[t] = 2,
            Some(big) => {
                for m in 0..l.max_modules {
                    if let (Some(p), true) = (l.module_present(j, m), big) {
                        g[p] = 1;
                    }
                    for f in [ModuleGene::Resize, ModuleGene::Kernel, ModuleGene::Width] {
                        g[l.module_gene(j, m, f)] = big as u32;
                    }
                }
            }
        }
    }
    Genome(g).canonical(s, Method::Aebnas)
}

/// The paper preset's extremes (quoted in `SearchSpace::paper`'s docs and the report).
#[test]
fn paper_space_extremes() {
    let s = SearchSpace::paper();
    let cost = |r: u32, dke: u32, exits: Option<bool>| {
        let a = Architecture::decode(&s, Method::Aebnas, &uniform(&s, r, dke, exits)).unwrap();
        *a.exit_costs().cumulative.last().unwrap() / 1e6
    };
    let mut got = vec![];
    for r in [0, 10] {
        for exits in [None, Some(false), Some(true)] {
            got.push((cost(r, 0, exits), cost(r, 1, exits), cost(r, 2, exits)));
        }
    }
    eprintln!("paper extremes (M): {got:?}");
    // Random AEBNAS genomes at a fixed resolution: 5 / 50 / 95 % of the final-exit cost.
    let mut rng = crate::engine::rng::Rng::new(1);
    for r in [0u32, 10] {
        let mut v: Vec<f64> = (0..2000)
            .map(|_| {
                let mut g = Genome::sample(&s, Method::Aebnas, &mut rng);
                g.0[0] = r;
                let a = Architecture::decode(&s, Method::Aebnas, &g).unwrap();
                *a.exit_costs().cumulative.last().unwrap() / 1e6
            })
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        let q = |f: f64| v[((v.len() - 1) as f64 * f) as usize];
        eprintln!(
            "paper random r-index {r}: p5 {:.2} p50 {:.2} p95 {:.2}",
            q(0.05),
            q(0.5),
            q(0.95)
        );
    }
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let g: Vec<_> = got
        .iter()
        .map(|&(a, b, c)| (round(a), round(b), round(c)))
        .collect();
    // (min d=2 k=3 e=3, mid d=3 k=5 e=4, max d=4 k=7 e=6) × (no exits, 4 cheapest, 4 largest)
    assert_eq!(g[0], (3.94, 7.08, 15.2));
    assert_eq!(g[1], (5.65, 8.8, 16.91));
    assert_eq!(g[2], (51.47, 54.61, 62.73));
    assert_eq!(g[3], (16.23, 32.54, 72.16));
    assert_eq!(g[4], (17.95, 34.25, 73.88));
    assert_eq!(g[5], (63.76, 80.07, 119.69));
}
