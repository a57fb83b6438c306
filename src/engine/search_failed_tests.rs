//! Tests of failed evaluations: a candidate whose evaluation fails is recorded in
//! `run.failed` with its reason, the search goes on to the end, a resume skips it, and
//! only a lost device stops the run.

use super::synthetic::SyntheticEvaluator;
use super::tests::{block_on, evaluator, settings};
use super::*;

/// Runs `run` to the end (or `stop_after` new evaluations) with `ev`; returns the outcome.
fn drive(
    run: &mut RunResults,
    ev: &mut SyntheticEvaluator,
    stop_after: Option<usize>,
) -> (Result<(), SearchError>, Vec<SearchEvent>) {
    let mut log = Vec::new();
    let mut n = 0;
    let mut on_event = |e: &SearchEvent, _: &RunResults| {
        log.push(e.clone());
        if matches!(
            e,
            SearchEvent::Evaluated { .. } | SearchEvent::Failed { .. }
        ) {
            n += 1;
        }
        stop_after.is_none_or(|k| n < k)
    };
    let space = SearchSpace::browser_default();
    let r = block_on(run_search(run, &space, ev, &mut on_event));
    (r, log)
}

/// The genomes the DOE of `s` evaluates, in order.
fn doe(s: &SearchSettings) -> Vec<Genome> {
    doe_genomes(&SearchSpace::browser_default(), s, s.n_doe).unwrap()
}

#[test]
fn a_failed_candidate_is_recorded_and_the_search_goes_on() {
    let s = settings(Method::Aebnas, 5);
    let genomes = doe(&s);
    let mut ev = evaluator();
    ev.fail = vec![genomes[1].clone()];
    let mut run = RunResults::new(s.clone());
    let (r, log) = drive(&mut run, &mut ev, None);
    r.expect("the search finishes despite the failure");
    let total = total_evaluations(&s);
    assert_eq!(run.failed.len(), 1);
    assert_eq!(run.archive.len(), total - 1);
    assert_eq!(run.evaluations_done(), total);
    let f = &run.failed[0];
    assert_eq!((f.slot, f.iteration, &f.genome), (1, 0, &genomes[1]));
    assert!(f.reason.contains("diverged"), "{}", f.reason);
    assert!(run.archive.iter().all(|c| c.genome != genomes[1]));
    assert!(matches!(
        log.iter().find(|e| matches!(e, SearchEvent::Failed { .. })),
        Some(SearchEvent::Failed { slot: 1, total: t, .. }) if *t == total
    ));
    assert!(matches!(log.last(), Some(SearchEvent::Finished)));
    // Evaluated events name archive positions: the one after the failure is position 1.
    let evaluated: Vec<usize> = log
        .iter()
        .filter_map(|e| match e {
            SearchEvent::Evaluated { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(evaluated, (0..total - 1).collect::<Vec<_>>());
    // The reference point and hypervolumes come from the candidates that did evaluate.
    assert!(run.reference_point.is_some());
    assert_eq!(run.iterations.len(), s.iterations + 1);
    assert!(run.iterations.iter().all(|i| i.hypervolume > 0.0));
    // Every iteration's proposals avoid the failed genome.
    assert_eq!(ev.evaluated.iter().filter(|g| **g == genomes[1]).count(), 1);
    // The failure survives a JSON round trip and validates.
    let back = RunResults::from_json(&run.to_json()).unwrap();
    assert_eq!(back.failed, run.failed);
}

#[test]
fn a_resume_skips_failed_candidates_and_ends_with_the_same_run() {
    let s = settings(Method::Aebnas, 8);
    let genomes = doe(&s);
    // A DOE candidate fails, and so does the first one iteration 1 proposes.
    let mut first = RunResults::new(s.clone());
    let mut ev = evaluator();
    ev.fail = vec![genomes[0].clone()];
    drive(&mut first, &mut ev, None).0.unwrap();
    let proposed = first.archive[s.n_doe - 1].genome.clone();
    assert_eq!(first.archive[s.n_doe - 1].iteration, 1);
    let fail = vec![genomes[0].clone(), proposed];
    let mut whole = RunResults::new(s.clone());
    let mut ev = evaluator();
    ev.fail = fail.clone();
    drive(&mut whole, &mut ev, None).0.unwrap();
    let slots: Vec<(usize, usize)> = whole.failed.iter().map(|f| (f.slot, f.iteration)).collect();
    assert_eq!(slots, vec![(0, 0), (s.n_doe, 1)]);
    for stop in 1..total_evaluations(&s) {
        let mut part = RunResults::new(s.clone());
        let mut ev = evaluator();
        ev.fail = fail.clone();
        drive(&mut part, &mut ev, Some(stop)).0.unwrap();
        assert_eq!(part.evaluations_done(), stop);
        let mut part = RunResults::from_json(&part.to_json()).unwrap();
        let mut ev2 = evaluator();
        ev2.fail = fail.clone();
        drive(&mut part, &mut ev2, None).0.unwrap();
        // Genomes and iterations (a JSON round trip may move a float's last digit).
        let g = |r: &RunResults| {
            (r.archive.iter())
                .map(|c| (c.genome.clone(), c.iteration))
                .collect::<Vec<_>>()
        };
        assert_eq!(g(&part), g(&whole), "stopped after {stop}");
        assert_eq!(part.failed, whole.failed, "stopped after {stop}");
        assert_eq!(
            ev.calls + ev2.calls,
            total_evaluations(&s),
            "each evaluated once"
        );
    }
}

#[test]
fn a_design_of_experiments_that_fails_entirely_stops_with_the_reason() {
    let s = settings(Method::Aebnas, 2);
    let mut ev = evaluator();
    ev.fail = doe(&s);
    let mut run = RunResults::new(s.clone());
    let (r, _) = drive(&mut run, &mut ev, None);
    match r {
        Err(SearchError::AllFailed { count, reason }) => {
            assert_eq!(count, s.n_doe);
            assert!(reason.contains("diverged"), "{reason}");
        }
        other => panic!("expected AllFailed, got {other:?}"),
    }
    assert_eq!(run.failed.len(), s.n_doe);
}

/// An evaluator whose device is lost at its `at`-th call.
struct LosesDevice {
    inner: SyntheticEvaluator,
    at: usize,
}

impl Evaluator for LosesDevice {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        if self.inner.calls + 1 == self.at {
            self.inner.calls += 1;
            return Err(EvalError::DeviceLost("GPU device lost (test)".into()));
        }
        self.inner.evaluate(genome, method).await
    }
}

#[test]
fn only_a_lost_device_stops_the_run_and_nothing_is_recorded_for_it() {
    let s = settings(Method::Aebnas, 4);
    let mut run = RunResults::new(s.clone());
    let mut ev = LosesDevice {
        inner: evaluator(),
        at: 3,
    };
    let mut on_event = |_: &SearchEvent, _: &RunResults| true;
    let space = SearchSpace::browser_default();
    let r = block_on(run_search(&mut run, &space, &mut ev, &mut on_event));
    assert!(
        matches!(r, Err(SearchError::DeviceLost { index: 2, .. })),
        "{r:?}"
    );
    assert_eq!((run.archive.len(), run.failed.len()), (2, 0));
}

#[test]
fn results_with_failed_slots_out_of_order_are_refused() {
    let s = settings(Method::Aebnas, 5);
    let genomes = doe(&s);
    let mut ev = evaluator();
    ev.fail = vec![genomes[1].clone(), genomes[3].clone()];
    let mut run = RunResults::new(s);
    drive(&mut run, &mut ev, None).0.unwrap();
    run.failed.swap(0, 1);
    assert!(run.validate().is_err());
    run.failed.swap(0, 1);
    run.failed[1].slot = 10_000;
    assert!(run.validate().is_err());
}
