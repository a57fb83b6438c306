use super::*;
use crate::engine::exits::ExitRule;
use crate::engine::tuning::TuningRule;

fn base() -> SearchSettings {
    SearchSettings {
        n_doe: 2,
        iterations: 1,
        per_iter: 1,
        ..SearchSettings::for_tests("fashion-mnist", 1.0e6, TuningRule::Grid)
    }
}

/// A run of `settings` with `n` (empty-figure) evaluations, as the worker would send.
fn run(settings: SearchSettings, n: usize) -> Shared<RunResults> {
    let mut r = RunResults::new(settings);
    for slot in 0..n {
        r.failed.push(crate::engine::results::FailedCandidate {
            slot,
            iteration: 0,
            genome: crate::engine::genome::Genome(vec![0; 4]),
            reason: "test".into(),
        });
    }
    Shared::new(r)
}

#[test]
fn methods_run_one_after_another_with_their_own_settings() {
    let mut s = CompareState::default();
    assert!(s.request().is_none());
    s.apply(CompareEvent::Start { base: base() });
    let methods: Vec<Method> = s.runs.iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        [Method::Edanas, Method::Nachos, Method::Sdn, Method::Random]
    );
    let (id, settings, resume) = s.request().expect("EDANAS runs first");
    assert_eq!(
        (settings.method, settings.seed, resume),
        (Method::Edanas, 1, None)
    );
    // Reports of another request change nothing.
    assert!(!s.apply(CompareEvent::Recorded {
        request: id + 1,
        run: run(settings.clone(), 1),
    }));
    assert!(s.apply(CompareEvent::Recorded {
        request: id,
        run: run(settings.clone(), 1),
    }));
    assert_eq!(s.runs[0].done(), 1);
    assert!(s.apply(CompareEvent::Ended {
        request: id,
        run: run(settings, 3),
    }));
    assert_eq!(s.runs[0].status, CompareStatus::Finished);
    let (id2, next, _) = s.request().expect("NACHOS next");
    assert!(id2 > id);
    assert_eq!(next.method, Method::Nachos);
    s.apply(CompareEvent::Failed {
        request: id2,
        message: "no memory".into(),
    });
    assert_eq!(s.runs[1].status, CompareStatus::Failed("no memory".into()));
    let (_, sdn, _) = s.request().expect("SDN next");
    assert_eq!(
        (sdn.method, sdn.exit_rule),
        (Method::Sdn, ExitRule::MaxSoftmax)
    );
}

#[test]
fn a_stopped_method_continues_and_finished_ones_are_kept() {
    let mut s = CompareState::default();
    s.apply(CompareEvent::Start { base: base() });
    let (id, settings, _) = s.request().unwrap();
    s.apply(CompareEvent::Ended {
        request: id,
        run: run(settings, 3),
    });
    let (id, settings, _) = s.request().unwrap();
    let partial = run(settings, 1);
    s.apply(CompareEvent::Recorded {
        request: id,
        run: partial.clone(),
    });
    assert!(s.apply(CompareEvent::Stop));
    assert!(!s.running() && s.request().is_none());
    assert!(!s.apply(CompareEvent::Stop), "nothing runs");
    // A late report of the stopped request is dropped.
    assert!(!s.apply(CompareEvent::Recorded {
        request: id,
        run: partial.clone(),
    }));
    s.apply(CompareEvent::Start { base: base() });
    assert_eq!(s.runs[0].status, CompareStatus::Finished);
    let (_, settings, resume) = s.request().unwrap();
    assert_eq!(settings.method, Method::Nachos);
    assert_eq!(resume, Some(partial));
    // Another problem starts over.
    s.apply(CompareEvent::Start {
        base: SearchSettings { seed: 2, ..base() },
    });
    assert!(s.runs.iter().all(|r| r.run.is_none()));
    assert_eq!(s.runs[0].status, CompareStatus::Running);
}

#[test]
fn the_comparison_belongs_to_its_problem() {
    let mut s = CompareState::default();
    s.apply(CompareEvent::Start { base: base() });
    let mine = RunResults::new(SearchSettings {
        backend: "webgpu".into(),
        ..base()
    });
    assert!(s.is_for(&mine));
    assert!(!s.is_for(&RunResults::new(SearchSettings { seed: 9, ..base() })));
    let sdn = crate::engine::compare::settings_for(&base(), Method::Sdn);
    assert!(!s.is_for(&RunResults::new(sdn)), "a run of another method");
}
