//! Genome layout, validation, sampling and canonical-form tests.

use super::*;

#[test]
fn layout_lengths_and_descriptions() {
    let b = SearchSpace::browser_default();
    let l = GenomeLayout::of(&b);
    assert_eq!(l.len(), 65);
    assert_eq!(GenomeLayout::of(&SearchSpace::paper()).len(), 94);
    assert_eq!(l.describe(0), "resolution");
    assert_eq!(l.describe(l.depth(1)), "stage 2 depth");
    assert_eq!(l.describe(l.kernel(1, 0)), "stage 2 layer 1 kernel");
    assert_eq!(l.describe(l.expansion(3, 2)), "stage 4 layer 3 expansion");
    assert_eq!(l.describe(l.threshold(2)), "exit 3 threshold");
    assert_eq!(
        l.describe(l.module_present(0, 1).unwrap()),
        "exit 1 module 2 present"
    );
    assert_eq!(
        l.describe(l.module_gene(1, 1, ModuleGene::Width)),
        "exit 2 module 2 width"
    );
    assert_eq!(l.module_gene(2, 1, ModuleGene::Pool), l.len() - 1);
}

#[test]
fn validate_gives_clear_errors() {
    let b = SearchSpace::browser_default();
    let mut g = default_genome(&b);
    assert_eq!(g.validate(&b), Ok(()));
    g.0[9] = 5;
    let e = g.validate(&b).unwrap_err().to_string();
    assert_eq!(
        e,
        "gene 9 (stage 2 layer 1 kernel) = 5 is out of range 0..3"
    );
    let e = Genome(vec![0; 3]).validate(&b).unwrap_err().to_string();
    assert!(e.contains("3 genes") && e.contains("65"), "{e}");
    assert!("1,x,2".parse::<Genome>().is_err());
    assert_eq!("1, 2,3".parse::<Genome>().unwrap(), Genome(vec![1, 2, 3]));
}

#[test]
fn display_round_trips_and_serde_is_a_plain_array() {
    let g = default_genome(&SearchSpace::paper());
    assert_eq!(g.to_string().parse::<Genome>().unwrap(), g);
    let json = serde_json::to_string(&Genome(vec![1, 0, 2])).unwrap();
    assert_eq!(json, "[1,0,2]");
}

#[test]
fn samples_are_valid_canonical_and_have_an_early_exit() {
    for space in [SearchSpace::browser_default(), SearchSpace::paper()] {
        let mut rng = Rng::new(5);
        for method in Method::ALL {
            for _ in 0..200 {
                let g = Genome::sample(&space, method, &mut rng);
                assert_eq!(g.validate(&space), Ok(()));
                assert_eq!(g.canonical(&space, method), g);
                let n = space.exit_positions.len();
                assert!((0..n).any(|j| g.exit_enabled(&space, method, j)));
            }
        }
    }
}

#[test]
fn canonical_zeroes_unused_genes() {
    let b = SearchSpace::browser_default();
    let l = GenomeLayout::of(&b);
    let mut g = default_genome(&b);
    g.0[l.depth(0)] = 0; // depth 1: layers 2 and 3 unused
    g.0[l.kernel(0, 2)] = 2;
    g.0[l.threshold(2)] = 2; // exit 3 off
    g.0[l.module_gene(2, 0, ModuleGene::Kernel)] = 1;
    let c = g.canonical(&b, Method::Aebnas);
    assert_eq!(c.0[l.kernel(0, 2)], 0);
    assert_eq!(c.0[l.module_gene(2, 0, ModuleGene::Kernel)], 0);
    // Baselines: no branch genes; SDN: every exit on.
    let e = g.canonical(&b, Method::Edanas);
    assert_eq!(e.0[l.module_gene(0, 0, ModuleGene::Pool)], 0);
    let s = g.canonical(&b, Method::Sdn);
    assert!((0..3).all(|j| s.0[l.threshold(j)] == 0));
}
