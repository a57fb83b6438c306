//! The validation-only property: a run whose test figures disagree with validation on
//! every accuracy comparison (the synthetic evaluator's `test_inverted`) makes exactly the choices
//! of a run whose test figures agree — proposals (surrogate training targets, NSGA-II's
//! seeds and selection), predictions, reference point, hypervolumes, Pareto front and
//! "best under the target" — and those choices are the validation ones, not the test ones.

use super::tests::{block_on, evaluator, settings};
use super::*;
use crate::engine::hypervolume::hypervolume_2d;
use crate::engine::nsga2::dominates;

fn run(inverted: bool) -> RunResults {
    let mut ev = evaluator();
    ev.test_inverted = inverted;
    let mut run = RunResults::new(settings(Method::Aebnas, 11));
    let mut on_event = |_: &SearchEvent, _: &RunResults| true;
    block_on(run_search(
        &mut run,
        &SearchSpace::browser_default(),
        &mut ev,
        &mut on_event,
    ))
    .unwrap();
    run
}

/// Non-dominated indices of `points` (minimised), ascending.
fn front_of(points: &[[f64; 2]]) -> Vec<usize> {
    (0..points.len())
        .filter(|&i| !points.iter().any(|p| dominates(p, &points[i])))
        .collect()
}

#[test]
fn test_figures_never_change_a_choice() {
    let (agree, disagree) = (run(false), run(true));
    let genomes = |r: &RunResults| {
        r.archive
            .iter()
            .map(|c| c.genome.clone())
            .collect::<Vec<_>>()
    };
    let predicted = |r: &RunResults| r.archive.iter().map(|c| c.predicted).collect::<Vec<_>>();
    // Surrogate targets and NSGA-II parents come from validation: same proposals and the
    // same predictions, whatever the test split says.
    assert_eq!(genomes(&agree), genomes(&disagree));
    assert_eq!(predicted(&agree), predicted(&disagree));
    assert!(disagree.archive.iter().any(|c| c.predicted.is_some()));
    assert_eq!(agree.reference_point, disagree.reference_point);
    assert_eq!(agree.iterations, disagree.iterations);
    assert_eq!(agree.pareto_front, disagree.pareto_front);
    let target = disagree.settings.mac_target;
    assert_eq!(
        best_under_target(&agree.archive, target),
        best_under_target(&disagree.archive, target)
    );
}

#[test]
fn every_choice_follows_validation_where_test_disagrees() {
    let r = run(true);
    let val: Vec<[f64; 2]> = r.archive.iter().map(|c| c.val_error_macs()).collect();
    let test: Vec<[f64; 2]> = r
        .archive
        .iter()
        .map(|c| [1.0 - c.test_accuracy, c.test_avg_macs])
        .collect();
    // Validation prefers some A to B (lower error) where test prefers B to A.
    let flipped = (0..val.len())
        .any(|a| (0..val.len()).any(|b| val[a][0] < val[b][0] && test[b][0] < test[a][0]));
    assert!(flipped, "the archive must disagree to prove anything");
    // The front is the validation front, and not the test one.
    let mut front = r.pareto_front.clone();
    front.sort();
    assert_eq!(front, front_of(&val));
    assert_ne!(front, front_of(&test));
    // The hypervolume is the validation archive's.
    let reference = r.reference_point.expect("fixed after the DOE");
    let last = r.iterations.last().unwrap();
    assert_eq!(last.hypervolume, hypervolume_2d(&val, reference));
    assert_ne!(last.hypervolume, hypervolume_2d(&test, reference));
    // The reference point is 1.01 × the DOE's validation maxima.
    let n = r.settings.n_doe;
    let max = |k: usize| val[..n].iter().map(|p| p[k]).fold(0.0, f64::max);
    for k in 0..2 {
        assert!(
            (reference[k] - 1.01 * max(k)).abs() <= 1e-12 * max(k),
            "{reference:?}"
        );
    }
    // Best under the target: the highest validation accuracy among those under the target
    // on validation, and not the test split's pick.
    let t = r.settings.mac_target;
    let by_val = (0..val.len())
        .filter(|&i| r.archive[i].val_avg_macs <= t)
        .max_by(|&a, &b| {
            r.archive[a]
                .val_accuracy
                .total_cmp(&r.archive[b].val_accuracy)
        });
    let by_test = (0..val.len())
        .filter(|&i| r.archive[i].test_avg_macs <= t)
        .max_by(|&a, &b| {
            r.archive[a]
                .test_accuracy
                .total_cmp(&r.archive[b].test_accuracy)
        });
    assert!(
        by_val.is_some() && by_test.is_some(),
        "{by_val:?} {by_test:?}"
    );
    assert_eq!(best_under_target(&r.archive, t), by_val);
    assert_ne!(by_val, by_test);
}
