//! Decode / encode tests.

use super::*;
use crate::engine::genome::{default_genome, Genome, GenomeLayout, ModuleGene};
use crate::engine::rng::Rng;

#[test]
fn browser_default_shapes() {
    let b = SearchSpace::browser_default();
    let a = Architecture::decode(&b, Method::Aebnas, &default_genome(&b)).unwrap();
    assert_eq!(a.input, (1, 28, 28));
    assert_eq!((a.stem.h_out, a.stages[0].out_h), (14, 14));
    let hw: Vec<_> = a.stages.iter().map(|s| (s.out_c, s.out_h)).collect();
    assert_eq!(hw, vec![(16, 14), (24, 7), (40, 4), (64, 2)]);
    assert_eq!(a.enabled_exits().count(), 2);
    assert!(a.stages[0].layers[1].residual && !a.stages[1].layers[0].residual);
}

#[test]
fn round_trip_on_canonical_genomes() {
    for space in [SearchSpace::browser_default(), SearchSpace::paper()] {
        let mut rng = Rng::new(11);
        for method in Method::ALL {
            for _ in 0..100 {
                let g = Genome::sample(&space, method, &mut rng);
                let a = Architecture::decode(&space, method, &g).unwrap();
                assert_eq!(a.encode(), g, "{method}");
                let json = serde_json::to_string(&a).unwrap();
                let back: Architecture = serde_json::from_str(&json).unwrap();
                assert_eq!(back, a);
            }
        }
    }
}

#[test]
fn collapsing_shapes_are_errors_not_panics() {
    let mut s = SearchSpace::browser_default();
    s.exit_branch.resize = vec![3, 8];
    s.exit_branch.kernels = vec![5, 3];
    let l = GenomeLayout::of(&s);
    let mut g = default_genome(&s);
    g.0[l.module_gene(0, 0, ModuleGene::Resize)] = 0; // 3×3 input
    let e = Architecture::decode(&s, Method::Aebnas, &g)
        .unwrap_err()
        .to_string();
    assert!(e.contains("exit 1 module 1") && e.contains("5×5"), "{e}");
    g.0[l.module_gene(0, 0, ModuleGene::Kernel)] = 1; // 3×3 conv → 1×1 → pool → 0
    let e = Architecture::decode(&s, Method::Aebnas, &g)
        .unwrap_err()
        .to_string();
    assert!(e.contains("max-pool"), "{e}");
    let mut t = SearchSpace::browser(1, 4, 10);
    t.resolutions = vec![0];
    let e = Architecture::decode(&t, Method::Aebnas, &default_genome(&t)).unwrap_err();
    assert!(e.to_string().starts_with("stem"), "{e}");
}
