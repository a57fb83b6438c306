//! Tests of the ask and tell steps: a run driven by `propose` and `tell` (in batches, in
//! shuffled order, through JSON, with a failure) ends as `run_search`'s, and `tell`
//! refuses outcomes that do not belong to the run.

use super::tests::{block_on, evaluator, settings};
use super::*;

fn space() -> SearchSpace {
    SearchSpace::browser_default()
}

/// `run_search` to the end with the synthetic evaluator failing on `fail`.
fn by_loop(s: &SearchSettings, fail: &[Genome]) -> RunResults {
    let mut run = RunResults::new(s.clone());
    let mut ev = evaluator();
    ev.fail = fail.to_vec();
    block_on(run_search(&mut run, &space(), &mut ev, &mut |_, _| true)).unwrap();
    run
}

/// The outcome the synthetic evaluator gives `p`, as `evaluate` would.
fn outcome(p: &Proposal, s: &SearchSettings, fail: &[Genome]) -> Outcome {
    let mut ev = evaluator();
    ev.fail = fail.to_vec();
    match block_on(ev.evaluate(&p.genome, s.method)) {
        Ok(rec) => Outcome::Evaluated(Box::new(rec)),
        Err(EvalError::Failed(reason)) => Outcome::Failed(reason),
        Err(e) => panic!("{e}"),
    }
}

/// Asks for at most `k` proposals at a time, evaluates them, tells them in reverse order
/// after a JSON round trip of the run and of each outcome.
fn by_steps(s: &SearchSettings, k: usize, fail: &[Genome]) -> RunResults {
    let mut run = RunResults::new(s.clone());
    loop {
        let asked = propose(&space(), &run, k).unwrap();
        if asked.is_empty() {
            break;
        }
        assert!(asked.len() <= k);
        let mut results: Vec<(usize, Genome, Outcome)> = asked
            .iter()
            .map(|p| {
                let o = outcome(p, s, fail);
                let o = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
                (p.slot, p.genome.clone(), o)
            })
            .collect();
        results.reverse();
        run = RunResults::from_json(&run.to_json()).unwrap();
        tell(&space(), &mut run, results).unwrap();
    }
    run
}

#[test]
fn asking_and_telling_gives_the_loops_run() {
    for method in [Method::Aebnas, Method::Random, Method::Edanas] {
        let s = settings(method, 7);
        let expected = by_loop(&s, &[]);
        assert_eq!(expected.evaluations_done(), total_evaluations(&s));
        for k in [1, 3, usize::MAX] {
            assert_eq!(by_steps(&s, k, &[]), expected, "{method:?}, k = {k}");
        }
    }
}

#[test]
fn a_failed_outcome_is_told_like_the_loop_records_it() {
    let s = settings(Method::Aebnas, 5);
    let fail = vec![doe_genomes(&space(), &s, s.n_doe).unwrap()[2].clone()];
    let expected = by_loop(&s, &fail);
    assert_eq!(expected.failed.len(), 1);
    assert_eq!(by_steps(&s, 2, &fail), expected);
}

#[test]
fn proposals_stop_at_the_iteration_and_name_their_slots() {
    let s = settings(Method::Aebnas, 3);
    let mut run = RunResults::new(s.clone());
    let doe = propose(&space(), &run, usize::MAX).unwrap();
    assert_eq!(doe.len(), s.n_doe);
    assert!(doe
        .iter()
        .enumerate()
        .all(|(i, p)| p.slot == i && p.iteration == 0));
    assert!(doe.iter().all(|p| p.predicted.is_none()));
    // Two of the DOE told: the other two are asked for, not the next iteration.
    let two: Vec<_> = (doe[..2].iter())
        .map(|p| (p.slot, p.genome.clone(), outcome(p, &s, &[])))
        .collect();
    let events = tell(&space(), &mut run, two).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        propose(&space(), &run, usize::MAX).unwrap(),
        doe[2..].to_vec()
    );
    let rest: Vec<_> = (doe[2..].iter())
        .map(|p| (p.slot, p.genome.clone(), outcome(p, &s, &[])))
        .collect();
    let events = tell(&space(), &mut run, rest).unwrap();
    assert!(matches!(
        events.last(),
        Some(SearchEvent::IterationDone { iteration: 0, .. })
    ));
    assert!(run.reference_point.is_some());
    let it1 = propose(&space(), &run, usize::MAX).unwrap();
    assert_eq!(it1.len(), s.per_iter);
    let first = iteration_slots(&s, 1).start;
    assert!(it1
        .iter()
        .all(|p| p.iteration == 1 && p.predicted.is_some()));
    assert_eq!(it1[0].slot, first);
    assert_eq!(iteration_of_slot(&s, first), Some(1));
    assert_eq!(iteration_of_slot(&s, total_evaluations(&s)), None);
}

#[test]
fn tell_refuses_gaps_foreign_genomes_and_slots_beyond_the_run() {
    let s = settings(Method::Aebnas, 3);
    let mut run = RunResults::new(s.clone());
    let doe = propose(&space(), &run, usize::MAX).unwrap();
    let told = |p: &Proposal| (p.slot, p.genome.clone(), outcome(p, &s, &[]));
    let gap = tell(&space(), &mut run.clone(), vec![told(&doe[1])]);
    assert!(matches!(gap, Err(TellError::Gap { missing: 0, got: 1 })));
    let (slot, _, o) = told(&doe[0]);
    let foreign = tell(
        &space(),
        &mut run.clone(),
        vec![(slot, doe[1].genome.clone(), o)],
    );
    assert!(matches!(foreign, Err(TellError::Mismatch { slot: 0, .. })));
    let total = total_evaluations(&s);
    let (_, g, o) = told(&doe[0]);
    let beyond = tell(&space(), &mut run.clone(), vec![(total, g, o)]);
    assert!(matches!(beyond, Err(TellError::BeyondRun { .. })));
    // The same outcome told twice (a retried job) is added once.
    tell(&space(), &mut run, vec![told(&doe[0]), told(&doe[0])]).unwrap();
    tell(&space(), &mut run, vec![told(&doe[0])]).unwrap();
    assert_eq!(run.archive.len(), 1);
}
