//! Unit tests of the search reducer (native `cargo test` and wasm32).

use super::*;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::engine::objectives::ObjectiveSet;
use crate::engine::results::{CostConvention, SearchSettings};
use crate::engine::space::Method;
use crate::playground::candidate_view::Tuning;

fn settings() -> SearchSettings {
    SearchSettings {
        dataset: "fashion-mnist".into(),
        space: crate::engine::space::SpacePreset::Browser,
        method: Method::Aebnas,
        mac_target: 1e6,
        exit_rule: ExitRule::Margin,
        cost_convention: CostConvention::Cumulative,
        tuning: crate::engine::tuning::TuningRule::Grid,
        predictor: crate::engine::surrogate::SurrogateKind::Mlp,
        objectives: ObjectiveSet::Aebnas,
        n_doe: 2,
        iterations: 1,
        per_iter: 1,
        epochs: 1,
        supernet_epochs: 0,
        supernet: Default::default(),
        train_samples: Some(256),
        seed: 1,
        backend: "cpu".into(),
    }
}

fn record(accuracy: f64, thresholds: Vec<f32>) -> CandidateRecord {
    let e = thresholds.len() + 1;
    CandidateRecord {
        genome: Genome(vec![0; 4]),
        method: Method::Aebnas,
        iteration: 0,
        thresholds,
        exit_rule: ExitRule::Margin,
        exit_positions: (0..e - 1).collect(),
        val_accuracy: accuracy,
        val_avg_macs: 1e6,
        val_exit_rates: vec![1.0 / e as f64; e],
        test_accuracy: accuracy,
        test_final_exit_accuracy: accuracy,
        test_avg_macs: 1e6,
        test_exit_rates: vec![1.0 / e as f64; e],
        exit_costs: vec![1e6; e],
        test_exit_accuracies: vec![Some(accuracy); e],
        val_tuned: Vec::new(),
        train_seconds: 1.0,
        predicted: None,
    }
}

fn run_with(records: Vec<CandidateRecord>) -> Shared<RunResults> {
    let mut run = RunResults::new(settings());
    run.archive = records;
    Shared::new(run)
}

fn evaluated(state: &mut RunState, records: Vec<CandidateRecord>) {
    let index = records.len() - 1;
    state.apply(RunEvent::Evaluated {
        index,
        run: run_with(records),
        cache: None,
    });
}

#[test]
fn a_fresh_start_clears_the_old_run_but_resume_keeps_it() {
    let mut s = RunState::default();
    s.apply(RunEvent::Requested { resume: false });
    assert_eq!(s.status, RunStatus::Starting);
    s.apply(RunEvent::Started {
        total: 3,
        done: 0,
        now_ms: 5.0,
    });
    assert_eq!(s.status, RunStatus::Running);
    evaluated(&mut s, vec![record(0.8, vec![0.2])]);
    s.apply(RunEvent::PauseRequested);
    assert_eq!(s.status, RunStatus::Pausing);
    s.apply(RunEvent::Paused(run_with(vec![record(0.8, vec![0.2])])));
    assert_eq!(s.status, RunStatus::Paused);
    assert!(s.can_resume());
    s.apply(RunEvent::Requested { resume: true });
    assert_eq!(s.done(), 1, "resume keeps the archive");
    s.apply(RunEvent::Requested { resume: false });
    assert_eq!(s.done(), 0, "a fresh start drops it");
    assert!(s.view.is_none());
}

#[test]
fn the_first_evaluated_candidate_is_selected_with_its_tuned_thresholds() {
    let mut s = RunState::default();
    s.apply(RunEvent::Requested { resume: false });
    evaluated(&mut s, vec![record(0.8, vec![0.2, 0.1])]);
    let view = s.view.clone().expect("selected");
    assert_eq!((view.index, view.thresholds.clone()), (0, vec![0.2, 0.1]));
    evaluated(
        &mut s,
        vec![record(0.8, vec![0.2, 0.1]), record(0.9, vec![0.3])],
    );
    assert_eq!(
        s.view.as_ref().map(|v| v.index),
        Some(0),
        "a later candidate does not steal the selection"
    );
    s.apply(RunEvent::Select(1));
    assert_eq!(
        s.view.as_ref().map(|v| v.thresholds.clone()),
        Some(vec![0.3])
    );
    s.apply(RunEvent::Select(7));
    assert_eq!(
        s.view.as_ref().map(|v| v.index),
        Some(1),
        "selecting a missing candidate changes nothing"
    );
}

#[test]
fn sliders_clamp_and_ignore_bad_values() {
    let mut s = RunState::default();
    evaluated(&mut s, vec![record(0.8, vec![0.2, 0.1])]);
    s.apply(RunEvent::SetThreshold {
        exit: 1,
        value: 3.0,
    });
    s.apply(RunEvent::SetThreshold {
        exit: 0,
        value: f32::NAN,
    });
    s.apply(RunEvent::SetThreshold {
        exit: 5,
        value: 0.5,
    });
    assert_eq!(
        s.view.as_ref().map(|v| v.thresholds.clone()),
        Some(vec![0.2, 1.0])
    );
    s.apply(RunEvent::SetThresholds(vec![0.5]));
    assert_eq!(
        s.view.as_ref().map(|v| v.thresholds.clone()),
        Some(vec![0.2, 1.0]),
        "wrong length ignored"
    );
    s.apply(RunEvent::SetThresholds(vec![0.5, 0.6]));
    s.apply(RunEvent::SetRule(ExitRule::Entropy));
    let view = s.view.clone().expect("selected");
    assert_eq!(
        (view.rule, view.thresholds),
        (ExitRule::Entropy, vec![0.5, 0.6])
    );
    // A tuning button: the record's thresholds, or those tuned under the current rule.
    s.apply(RunEvent::Tune(Tuning::Record));
    let recorded = s.run.as_ref().unwrap().archive[s.view.as_ref().unwrap().index]
        .thresholds
        .clone();
    assert_eq!(s.view.as_ref().unwrap().thresholds, recorded);
    s.apply(RunEvent::SetThresholds(vec![0.5, 0.6]));
    s.apply(RunEvent::Tune(Tuning::Grid));
    assert_eq!(
        s.view.as_ref().unwrap().thresholds,
        vec![0.5, 0.6],
        "no grid thresholds recorded: nothing changes"
    );
}

#[test]
fn failures_and_gpu_loss_are_reported() {
    let mut s = RunState::default();
    s.apply(RunEvent::Requested { resume: false });
    let note = s.apply(RunEvent::BackendLost("device lost".into()));
    assert!(note.is_some_and(|n| n.title.contains("CPU")));
    let note = s.apply(RunEvent::Failed("boom".into()));
    assert_eq!(note.map(|n| n.detail), Some("boom".into()));
    assert_eq!(s.status, RunStatus::Failed);
    assert!(!s.status.is_busy());
}

#[test]
fn restore_keeps_a_fitting_view_and_resets_a_stale_one() {
    let run = run_with(vec![record(0.8, vec![0.2]), record(0.9, vec![0.3, 0.4])]);
    let mut s = RunState::default();
    let view = ViewState {
        index: 1,
        rule: ExitRule::MaxSoftmax,
        thresholds: vec![0.5, 0.6],
    };
    s.apply(RunEvent::Restored {
        run: run.clone(),
        caches: BTreeMap::new(),
        view: Some(view.clone()),
        example: false,
    });
    assert_eq!(s.view, Some(view));
    assert_eq!(s.status, RunStatus::Paused, "2 of 3 evaluations: resumable");
    let stale = ViewState {
        index: 1,
        rule: ExitRule::Margin,
        thresholds: vec![0.5],
    };
    s.apply(RunEvent::Restored {
        run,
        caches: BTreeMap::new(),
        view: Some(stale),
        example: true,
    });
    assert_eq!(
        s.view.as_ref().map(|v| v.thresholds.clone()),
        Some(vec![0.3, 0.4])
    );
    // The shipped example says so, and a fresh search replaces it.
    assert!(s.example);
    assert!(s.status_line.as_deref().unwrap_or("").contains("example"));
    assert_eq!(
        (s.done(), s.own_done()),
        (2, 0),
        "the example is not the user's run"
    );
    let mut fresh = s.clone();
    fresh.apply(RunEvent::Requested { resume: false });
    assert!(!fresh.example && fresh.run.is_none());
    s.apply(RunEvent::Cleared);
    assert_eq!(s.status, RunStatus::Idle);
    assert!(s.run.is_none() && s.view.is_none());
}
