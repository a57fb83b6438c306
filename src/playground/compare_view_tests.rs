use super::*;
use crate::engine::compare::settings_for;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, SearchSettings};
use crate::engine::tuning::TuningRule;
use crate::playground::compare_state::CompareEvent;

fn base() -> SearchSettings {
    SearchSettings {
        n_doe: 1,
        iterations: 0,
        per_iter: 0,
        ..SearchSettings::for_tests("fashion-mnist", 1.0e6, TuningRule::Grid)
    }
}

/// A one-candidate run of `method` whose candidate scores `acc` at 1 M MACs (validation
/// and test alike).
fn run_of(method: Method, acc: f64) -> Shared<RunResults> {
    let mut r = RunResults::new(settings_for(&base(), method));
    r.archive.push(CandidateRecord {
        genome: Genome(vec![0; 4]),
        method,
        iteration: 0,
        thresholds: vec![],
        exit_rule: ExitRule::Margin,
        exit_positions: vec![],
        val_accuracy: acc,
        val_avg_macs: 1.0e6,
        val_exit_rates: vec![1.0],
        test_accuracy: acc,
        test_final_exit_accuracy: acc,
        test_avg_macs: 1.0e6,
        test_exit_rates: vec![1.0],
        exit_costs: vec![1.0e6],
        test_exit_accuracies: vec![Some(acc)],
        val_tuned: vec![],
        train_seconds: 1.0,
        predicted: None,
    });
    Shared::new(r)
}

/// A comparison of an AEBNAS run scoring 0.8 with the others scoring `accs`.
fn compared(accs: [f64; 4]) -> (CompareState, Shared<RunResults>) {
    let main = run_of(Method::Aebnas, 0.8);
    let mut s = CompareState::default();
    s.apply(CompareEvent::Start {
        base: main.settings.clone(),
    });
    for acc in accs {
        let (request, settings, _) = s.request().expect("a method runs");
        s.apply(CompareEvent::Ended {
            request,
            run: run_of(settings.method, acc),
        });
    }
    (s, main)
}

#[test]
fn rows_carry_the_ratio_to_the_current_run() {
    let (s, main) = compared([0.8, 0.6, 0.9, 0.8]);
    let v = compare_view(&s, Some(&main)).expect("same problem");
    assert!(v.complete);
    assert_eq!(v.rows.len(), 5);
    assert!(v.rows[0].current && v.rows[0].state == "current");
    assert_eq!(v.rows[0].hv_ratio, Some(1.0));
    // HV of one point (err, 1 M / 4 M) against (1, 1): (1 − err) · 0.75 = acc · 0.75.
    let own = v.rows[0].figures.as_ref().unwrap().hv;
    assert!((own - 0.8 * 0.75).abs() < 1e-12);
    let nachos = &v.rows[2];
    assert_eq!(
        (nachos.method, nachos.state, nachos.done),
        (Method::Nachos, "finished", 1)
    );
    assert!((nachos.hv_ratio.unwrap() - 0.6 / 0.8).abs() < 1e-12);
    let summary = v.summary.expect("complete");
    assert!(
        summary.contains("1 method found a larger hypervolume"),
        "{summary}"
    );
    assert!(summary.contains("SDN-like at 0.675"), "{summary}");
    assert!(summary.contains("1.12 × the current run's"), "{summary}");
}

#[test]
fn the_summary_says_when_the_current_run_leads() {
    let (s, main) = compared([0.7, 0.6, 0.75, 0.5]);
    let summary = compare_view(&s, Some(&main)).unwrap().summary.unwrap();
    assert!(
        summary.starts_with("On this seed the current run (AEBNAS) has the largest hypervolume (0.600); the nearest is SDN-like at 0.562"),
        "{summary}"
    );
}

#[test]
fn nothing_is_shown_for_another_problem_or_before_the_end_no_summary() {
    let (s, _) = compared([0.8, 0.6, 0.9, 0.8]);
    let other = run_of(Method::Random, 0.8);
    assert!(compare_view(&s, Some(&other)).is_none());
    assert!(compare_view(&s, None).is_none());
    let main = run_of(Method::Aebnas, 0.8);
    let mut running = CompareState::default();
    running.apply(CompareEvent::Start {
        base: main.settings.clone(),
    });
    let v = compare_view(&running, Some(&main)).unwrap();
    assert!(!v.complete && v.summary.is_none());
    assert_eq!(v.rows[1].state, "running");
    assert_eq!(v.rows[2].state, "waiting");
    assert!(v.rows[1].figures.is_none() && v.rows[1].hv_ratio.is_none());
}

#[test]
fn a_comparison_needs_a_finished_search() {
    use crate::playground::run_state::RunStatus;
    let mut run = RunState::default();
    assert!(compare_blocked(&run, false)
        .unwrap()
        .starts_with("Run a search first"));
    let mut settings = base();
    settings.n_doe = 2;
    let mut r = (*run_of(Method::Aebnas, 0.8)).clone();
    r.settings = settings;
    run.run = Some(Shared::new(r.clone()));
    run.status = RunStatus::Paused;
    assert!(compare_blocked(&run, false)
        .unwrap()
        .starts_with("Finish the search first"));
    r.archive.push(r.archive[0].clone());
    run.run = Some(Shared::new(r));
    run.status = RunStatus::Running;
    assert!(compare_blocked(&run, false)
        .unwrap()
        .starts_with("The search is running"));
    run.status = RunStatus::Finished;
    assert_eq!(compare_blocked(&run, false), None);
    assert!(compare_blocked(&run, true).is_some());
    run.run = Some(run_of(Method::Aebnas, 0.8));
    assert!(compare_blocked(&run, false)
        .unwrap()
        .starts_with("A one-network run"));
}
