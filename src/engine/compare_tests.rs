use super::*;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::engine::results::CostConvention;
use crate::engine::results::SupernetSource;

fn base() -> SearchSettings {
    SearchSettings {
        cost_convention: CostConvention::TakenHead,
        n_doe: 5,
        iterations: 2,
        per_iter: 4,
        supernet: SupernetSource::Shipped,
        train_samples: Some(512),
        seed: 7,
        backend: "cpu".into(),
        ..SearchSettings::for_tests("fashion-mnist", 1.0e6, TuningRule::MaxAccuracy)
    }
}

/// A candidate with these validation and test figures (MACs in millions).
fn cand(val: (f64, f64), test: (f64, f64)) -> CandidateRecord {
    CandidateRecord {
        genome: Genome(vec![0; 4]),
        method: Method::Aebnas,
        iteration: 0,
        thresholds: vec![],
        exit_rule: ExitRule::Margin,
        exit_positions: vec![],
        val_accuracy: val.0,
        val_avg_macs: val.1 * 1e6,
        val_exit_rates: vec![1.0],
        test_accuracy: test.0,
        test_final_exit_accuracy: test.0,
        test_avg_macs: test.1 * 1e6,
        test_exit_rates: vec![1.0],
        exit_costs: vec![test.1 * 1e6],
        test_exit_accuracies: vec![Some(test.0)],
        val_tuned: vec![],
        train_seconds: 1.0,
        predicted: None,
    }
}

#[test]
fn each_method_gets_its_own_choices_and_keeps_the_problem() {
    let b = base();
    for m in Method::ALL {
        let s = settings_for(&b, m);
        assert_eq!(s.method, m);
        assert_eq!(
            (
                s.dataset.as_str(),
                s.mac_target,
                s.n_doe,
                s.iterations,
                s.per_iter
            ),
            ("fashion-mnist", 1.0e6, 5, 2, 4)
        );
        assert_eq!(
            (s.seed, s.train_samples, &s.supernet),
            (7, Some(512), &b.supernet)
        );
        assert_eq!(s.cost_convention, CostConvention::TakenHead);
        assert!(same_problem(&s, &b));
    }
    let sdn = settings_for(&b, Method::Sdn);
    assert_eq!(
        (sdn.exit_rule, sdn.tuning),
        (ExitRule::MaxSoftmax, TuningRule::CutPoints)
    );
    assert_eq!(sdn.predictor, SurrogateKind::Rbf);
    let edanas = settings_for(&b, Method::Edanas);
    assert_eq!(edanas.objectives, ObjectiveSet::Edanas);
    let ours = settings_for(&b, Method::Aebnas);
    assert_eq!(
        (ours.exit_rule, ours.tuning),
        (ExitRule::Margin, TuningRule::Grid)
    );
    assert_eq!(
        (ours.predictor, ours.objectives),
        (SurrogateKind::Mlp, ObjectiveSet::Aebnas)
    );
    assert_eq!(compared_methods(Method::Sdn).len(), 4);
    assert!(!compared_methods(Method::Random).contains(&Method::Random));
}

#[test]
fn another_seed_or_budget_is_another_problem() {
    let b = base();
    let other_backend = SearchSettings {
        backend: "webgpu".into(),
        ..b.clone()
    };
    assert!(same_problem(&b, &other_backend));
    for changed in [
        SearchSettings {
            seed: 8,
            ..b.clone()
        },
        SearchSettings {
            per_iter: 5,
            ..b.clone()
        },
        SearchSettings {
            mac_target: 2.0e6,
            ..b.clone()
        },
        SearchSettings {
            dataset: "mnist".into(),
            ..b.clone()
        },
    ] {
        assert!(!same_problem(&b, &changed), "{changed:?}");
    }
}

#[test]
fn hypervolume_by_hand() {
    // Target 1 M: MACs in units of 4 M. Validation front: a (1 M) and b (2 M); c is
    // dominated on validation, so its better test figures do not count.
    let a = cand((0.80, 1.0), (0.75, 1.0)); // test point (0.25, 0.25)
    let b = cand((0.90, 2.0), (0.85, 2.0)); // test point (0.15, 0.5)
    let c = cand((0.70, 3.0), (0.99, 0.1));
    // Union of [0.25,1]×[0.25,1] and [0.15,1]×[0.5,1]: 0.75·0.75 + 0.10·0.5.
    let want = 0.75 * 0.75 + 0.10 * 0.5;
    let hv = normalised_hv(&[a.clone(), b.clone(), c], 1.0e6);
    assert!((hv - want).abs() < 1e-12, "{hv} vs {want}");
    // Beyond the reference (over 4 × target, or error 1) adds nothing.
    let far = cand((0.95, 5.0), (0.95, 5.0));
    assert!((normalised_hv(&[a, b, far], 1.0e6) - want).abs() < 1e-12);
    assert_eq!(normalised_hv(&[], 1.0e6), 0.0);
    assert_eq!(normalised_hv(&[cand((0.9, 1.0), (0.9, 1.0))], 0.0), 0.0);
}

#[test]
fn figures_of_a_run() {
    let mut run = RunResults::new(base());
    run.archive = vec![
        cand((0.80, 1.0), (0.75, 1.0)),
        cand((0.85, 0.9), (0.84, 0.9)),
        cand((0.90, 2.0), (0.85, 2.0)),
    ];
    let f = figures(&run);
    assert_eq!((f.method, f.evaluations), (Method::Aebnas, 3));
    assert_eq!(f.curve.len(), 3);
    assert_eq!(f.curve[0], (1, 0.75 * 0.75));
    assert_eq!(f.hv, f.curve[2].1);
    // Front on validation: candidate 2 (0.9 M) then 3 (2 M); candidate 1 is dominated.
    assert_eq!(f.front, vec![(0.9e6, 0.85), (2.0e6, 0.90)]);
    let chosen = f.chosen.expect("candidate 2 fits under 1 M");
    assert_eq!((chosen.index, chosen.test_accuracy), (1, 0.84));
    // HV: test points (0.16, 0.225) and (0.15, 0.5).
    let want = 0.84 * 0.775 + 0.01 * 0.5;
    assert!((f.hv - want).abs() < 1e-12, "{} vs {want}", f.hv);
}
