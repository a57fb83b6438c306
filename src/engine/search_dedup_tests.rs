//! Each effective network once: threshold values are not genes (tuning overwrites them),
//! and no run trains two genomes with the same decoded architecture.

use std::collections::HashSet;

use super::propose::effective;
use super::tests::{block_on, evaluator, settings};
use super::*;
use crate::engine::arch::Architecture;
use crate::engine::genome::{default_genome, GenomeLayout};

#[test]
fn a_threshold_value_is_not_a_gene() {
    let space = SearchSpace::browser_default();
    let layout = GenomeLayout::of(&space);
    let g = default_genome(&space);
    assert!(g.exit_enabled(&space, Method::Aebnas, 0));
    let mut other = g.clone();
    other.0[layout.threshold(0)] = 1; // 0.2 instead of 0.1: still on
    assert_ne!(g, other);
    assert_eq!(
        other.canonical(&space, Method::Aebnas),
        g.canonical(&space, Method::Aebnas)
    );
    let a = Architecture::decode(&space, Method::Aebnas, &g).unwrap();
    let b = Architecture::decode(&space, Method::Aebnas, &other).unwrap();
    assert_eq!(a, b, "the value changes nothing the network does");
    // Off is still a gene: it removes the exit.
    let mut off = g.clone();
    off.0[layout.threshold(0)] = space.threshold_off_index().unwrap() as u32;
    assert_ne!(
        off.canonical(&space, Method::Aebnas),
        g.canonical(&space, Method::Aebnas)
    );
}

#[test]
fn a_run_never_trains_one_effective_network_twice() {
    let space = SearchSpace::browser_default();
    for method in [Method::Aebnas, Method::Edanas, Method::Random] {
        let mut s = settings(method, 5);
        (s.n_doe, s.iterations, s.per_iter) = (8, 4, 4);
        let mut run = RunResults::new(s.clone());
        let mut ev = evaluator();
        let mut on_event = |_: &SearchEvent, _: &RunResults| true;
        block_on(run_search(&mut run, &space, &mut ev, &mut on_event)).unwrap();
        assert_eq!(run.archive.len(), 24);
        let keys: HashSet<Genome> = run
            .archive
            .iter()
            .map(|c| effective(&space, &s, &c.genome).unwrap())
            .collect();
        assert_eq!(
            keys.len(),
            run.archive.len(),
            "{method}: a network trained twice"
        );
        let layout = GenomeLayout::of(&space);
        for c in &run.archive {
            for j in 0..layout.exits {
                if c.genome.exit_enabled(&space, method, j) {
                    assert_eq!(c.genome.0[layout.threshold(j)], 0, "{method}: canonical");
                }
            }
        }
        assert_eq!(run.iterations.len(), 5);
    }
}
