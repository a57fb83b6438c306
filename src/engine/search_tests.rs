//! Tests of the search loop with the synthetic evaluator.

use super::synthetic::SyntheticEvaluator;
use super::*;
use crate::engine::exits::ExitRule;
use crate::engine::nsga2::dominates;
use crate::engine::objectives::ObjectiveSet;
use crate::engine::results::CostConvention;
use crate::engine::units::{format_macs, parse_macs};
use std::task::{Context, Poll, Waker};

/// Polls a future that never really pends (the synthetic evaluator is synchronous).
pub(super) fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub(super) fn settings(method: Method, seed: u64) -> SearchSettings {
    SearchSettings {
        dataset: "synthetic".into(),
        space: crate::engine::space::SpacePreset::Browser,
        method,
        mac_target: 1.5e6,
        exit_rule: ExitRule::Margin,
        cost_convention: CostConvention::Cumulative,
        tuning: crate::engine::tuning::TuningRule::Grid,
        predictor: crate::engine::surrogate::SurrogateKind::Mlp,
        objectives: if method == Method::Edanas {
            ObjectiveSet::Edanas
        } else {
            ObjectiveSet::Aebnas
        },
        n_doe: 4,
        iterations: 2,
        per_iter: 2,
        epochs: 1,
        supernet_epochs: 0,
        supernet: Default::default(),
        train_samples: None,
        seed,
        backend: "none".into(),
    }
}

pub(super) fn evaluator() -> SyntheticEvaluator {
    SyntheticEvaluator::new(
        SearchSpace::browser_default(),
        CostConvention::Cumulative,
        ExitRule::Margin,
    )
}

/// Runs to the end (or until `stop_after` new evaluations); returns the run and evaluator.
fn search(run: RunResults, stop_after: Option<usize>) -> (RunResults, SyntheticEvaluator) {
    let mut run = run;
    let mut ev = evaluator();
    let mut n = 0;
    let mut on_event = |e: &SearchEvent, _: &RunResults| {
        if let SearchEvent::Evaluated { .. } = e {
            n += 1;
        }
        stop_after.is_none_or(|k| n < k)
    };
    block_on(run_search(
        &mut run,
        &SearchSpace::browser_default(),
        &mut ev,
        &mut on_event,
    ))
    .unwrap();
    (run, ev)
}

fn check_invariants(run: &RunResults) {
    run.validate().unwrap();
    for c in &run.archive {
        let sum: f64 = c
            .val_exit_rates
            .iter()
            .zip(&c.exit_costs)
            .map(|(r, m)| r * m)
            .sum();
        assert!(
            (sum - c.val_avg_macs).abs() <= 1e-9 * c.val_avg_macs.max(1.0),
            "{sum} vs {}",
            c.val_avg_macs
        );
        assert!((c.val_exit_rates.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
    let objs: Vec<[f64; 2]> = run.archive.iter().map(error_macs).collect();
    for &i in &run.pareto_front {
        assert!(
            objs.iter().all(|o| !dominates(o, &objs[i])),
            "front member {i} is dominated"
        );
    }
    for (i, o) in objs.iter().enumerate() {
        if !run.pareto_front.contains(&i) {
            assert!(
                run.pareto_front.iter().any(|&f| dominates(&objs[f], o)),
                "{i} missing from front"
            );
        }
    }
    for w in run.iterations.windows(2) {
        assert!(
            w[1].hypervolume >= w[0].hypervolume,
            "hypervolume decreased"
        );
    }
    let genomes: std::collections::HashSet<_> = run.archive.iter().map(|c| &c.genome).collect();
    assert_eq!(genomes.len(), run.archive.len(), "duplicate evaluations");
}

#[test]
fn small_search_is_consistent() {
    let (run, ev) = search(RunResults::new(settings(Method::Aebnas, 7)), None);
    assert_eq!(run.archive.len(), 8);
    assert_eq!(ev.calls, 8);
    check_invariants(&run);
    assert_eq!(run.iterations.len(), 3);
    assert_eq!(
        run.iterations
            .iter()
            .map(|r| r.evaluations)
            .collect::<Vec<_>>(),
        vec![4, 6, 8]
    );
    assert!(run.reference_point.is_some());
    assert!(run.archive[..4]
        .iter()
        .all(|c| c.iteration == 0 && c.predicted.is_none()));
    assert!(run.archive[4..]
        .iter()
        .all(|c| c.iteration > 0 && c.predicted.is_some()));
    assert!(run.iterations[1].tau_accuracy.is_some());
    let space = SearchSpace::browser_default();
    for c in &run.archive {
        assert_eq!(c.genome.canonical(&space, Method::Aebnas), c.genome);
        assert!(
            !c.thresholds.is_empty(),
            "every candidate has an early exit"
        );
    }
    // Deterministic.
    let (again, _) = search(RunResults::new(settings(Method::Aebnas, 7)), None);
    assert_eq!(again, run);
}

#[test]
fn resume_after_interruption_matches_an_uninterrupted_run() {
    let (full, _) = search(RunResults::new(settings(Method::Aebnas, 3)), None);
    for stop in [3, 5] {
        let (part, ev1) = search(RunResults::new(settings(Method::Aebnas, 3)), Some(stop));
        assert_eq!(part.archive.len(), stop);
        check_invariants(&part);
        // Through JSON, like the CLI's checkpoint.
        let loaded = RunResults::from_json(&part.to_json()).unwrap();
        let (resumed, ev2) = search(loaded, None);
        assert_eq!(ev1.calls + ev2.calls, 8, "each genome evaluated once");
        let g = |r: &RunResults| {
            r.archive
                .iter()
                .map(|c| (c.genome.clone(), c.iteration))
                .collect::<Vec<_>>()
        };
        assert_eq!(g(&resumed), g(&full));
        assert!(ev2.evaluated.iter().all(|x| !ev1.evaluated.contains(x)));
        assert_eq!(resumed.pareto_front, full.pareto_front);
        for (a, b) in resumed.iterations.iter().zip(&full.iterations) {
            assert!((a.hypervolume - b.hypervolume).abs() <= 1e-9 * b.hypervolume.abs().max(1.0));
        }
        check_invariants(&resumed);
    }
}

#[test]
fn resume_with_other_settings_is_refused() {
    let (part, _) = search(RunResults::new(settings(Method::Aebnas, 3)), Some(5));
    let mut other = part.clone();
    other.settings.seed = 4;
    let mut ev = evaluator();
    let r = block_on(run_search(
        &mut other,
        &SearchSpace::browser_default(),
        &mut ev,
        &mut |_, _| true,
    ));
    assert!(
        matches!(r, Err(SearchError::ResumeMismatch { .. })),
        "{r:?}"
    );
    assert_eq!(ev.calls, 0);
}

#[test]
fn every_method_runs_with_the_same_budget() {
    let space = SearchSpace::browser_default();
    for method in Method::ALL {
        let (run, ev) = search(RunResults::new(settings(method, 11)), None);
        assert_eq!(ev.calls, 8, "{method}");
        assert_eq!(run.archive.len(), total_evaluations(&run.settings));
        check_invariants(&run);
        for c in &run.archive {
            assert_eq!(c.method, method);
            assert_eq!(c.genome.canonical(&space, method), c.genome);
            if method == Method::Sdn {
                assert_eq!(
                    c.thresholds.len(),
                    space.exit_positions.len(),
                    "SDN: all exits on"
                );
            }
            if method == Method::Random {
                assert!(c.predicted.is_none());
            }
        }
    }
    // random and aebnas with one seed share the DOE.
    let (a, _) = search(RunResults::new(settings(Method::Aebnas, 2)), None);
    let (r, _) = search(RunResults::new(settings(Method::Random, 2)), None);
    assert_eq!(
        a.archive[..4].iter().map(|c| &c.genome).collect::<Vec<_>>(),
        r.archive[..4].iter().map(|c| &c.genome).collect::<Vec<_>>()
    );
}

#[test]
fn stop_at_start_and_bad_settings() {
    let mut run = RunResults::new(settings(Method::Aebnas, 1));
    let mut ev = evaluator();
    let space = SearchSpace::browser_default();
    block_on(run_search(&mut run, &space, &mut ev, &mut |_, _| false)).unwrap();
    assert_eq!((run.archive.len(), ev.calls), (0, 0));
    run.settings.mac_target = 0.0;
    let r = block_on(run_search(&mut run, &space, &mut ev, &mut |_, _| true));
    assert!(matches!(r, Err(SearchError::Settings(_))));
}

#[test]
fn events_come_in_order() {
    let mut run = RunResults::new(settings(Method::Nachos, 5));
    let mut ev = evaluator();
    let mut log = Vec::new();
    let mut on = |e: &SearchEvent, r: &RunResults| {
        if let SearchEvent::Evaluated { index, .. } = e {
            assert_eq!(r.archive.len(), index + 1);
        }
        log.push(e.clone());
        true
    };
    block_on(run_search(
        &mut run,
        &SearchSpace::browser_default(),
        &mut ev,
        &mut on,
    ))
    .unwrap();
    assert!(matches!(
        log.first(),
        Some(SearchEvent::Started { total: 8, done: 0 })
    ));
    assert!(matches!(log.last(), Some(SearchEvent::Finished)));
    let iters: Vec<usize> = log
        .iter()
        .filter_map(|e| match e {
            SearchEvent::IterationDone { iteration, .. } => Some(*iteration),
            _ => None,
        })
        .collect();
    assert_eq!(iters, vec![0, 1, 2]);
}

#[test]
fn budget_scales_down_for_small_archives() {
    assert_eq!(nsga2_budget(100, 8), (40, 20));
    assert_eq!(nsga2_budget(4, 2), (10, 5));
    assert_eq!(nsga2_budget(12, 4), (24, 12));
}

#[test]
fn mac_counts_parse() {
    assert_eq!(parse_macs("2M").unwrap(), 2e6);
    assert_eq!(parse_macs("500k").unwrap(), 5e5);
    assert_eq!(parse_macs(" 1.5M ").unwrap(), 1.5e6);
    assert_eq!(parse_macs("2000000").unwrap(), 2e6);
    assert_eq!(parse_macs("1_000k").unwrap(), 1e6);
    assert_eq!(parse_macs("2e6").unwrap(), 2e6);
    assert_eq!(parse_macs("0.5G").unwrap(), 5e8);
    for bad in ["", "M", "-1M", "0", "abc", "2X", "inf"] {
        assert!(parse_macs(bad).is_err(), "{bad}");
    }
    assert_eq!(format_macs(1.523e6), "1.52M");
    assert_eq!(format_macs(480e3), "480.0k");
}
