//! Tests of [`super`] (`tuning.rs`).

use super::*;
use crate::engine::assign::tests::{hand_cache, random_cache};

const COSTS: [f64; 3] = [10.0, 30.0, 100.0];

#[test]
fn grid_on_hand_cache() {
    // Hand-computed grid (see assign::tests::hand_cache), T = 50, score
    // 100·acc − 0.2·|avg − 50|: (1.0, 1.0) → acc .8, avg 100 → 70 is the best;
    // (0.2, 1.0) → .6, 46 → 59.2; (1.0, 0.2) → .6, 30 → 56; (0.1, 1.0) → .4, 28 → 35.6.
    let c = hand_cache();
    let g = tune_grid(&c, ExitRule::Margin, &COSTS, &TuneGoal::aebnas(50.0)).unwrap();
    assert_eq!(g.thresholds, vec![1.0, 1.0]);
    assert!((g.score - 70.0).abs() < 1e-9);
    assert!((g.summary.avg_macs - 100.0).abs() < 1e-9);
}

#[test]
fn cut_points_on_hand_cache() {
    // From (1, 1): exit 0 sweep → t0 = .5 (s0, s1 leave; avg 64 → 77.2); exit 1 sweep
    // → t1 = .7 (s2 leaves at exit 1; avg 250/5 = 50, acc .8 → 80, the maximum).
    let c = hand_cache();
    let goal = TuneGoal::aebnas(50.0);
    let t = tune_cut_points(&c, ExitRule::Margin, &COSTS, &goal).unwrap();
    assert_eq!(t.thresholds, vec![0.5, 0.7]);
    assert!((t.score - 80.0).abs() < 1e-9);
    assert!((t.summary.accuracy - 0.8).abs() < 1e-12);
    assert!((t.summary.avg_macs - 50.0).abs() < 1e-9);
}

#[test]
fn max_accuracy_mode() {
    let c = hand_cache();
    let m = ExitRule::Margin;
    // T = 50: accuracy .8 is reachable at avg 22 (t0 ∈ (.3,.5], t1 ≤ .2).
    let t = tune_max_accuracy(&c, m, &COSTS, 50.0).unwrap();
    assert!(t.feasible && (t.summary.accuracy - 0.8).abs() < 1e-12);
    assert!(t.summary.avg_macs <= 50.0);
    // T = 15: only accuracy .4 fits (everyone leaving early).
    let t = tune_max_accuracy(&c, m, &COSTS, 15.0).unwrap();
    assert!(t.feasible && (t.summary.accuracy - 0.4).abs() < 1e-12);
    assert!(t.summary.avg_macs <= 15.0);
    // T = 5 < the cheapest exit: cheapest assignment, flagged.
    let t = tune_max_accuracy(&c, m, &COSTS, 5.0).unwrap();
    assert!(!t.feasible);
    assert_eq!(t.thresholds, vec![0.0, NEVER]);
    assert_eq!(t.summary.avg_macs, 10.0);
    // Bad targets are errors, not panics.
    assert!(tune_max_accuracy(&c, m, &COSTS, 0.0).is_err());
    assert!(tune_max_accuracy(&c, m, &COSTS, f64::NAN).is_err());
    assert!(tune_grid(&c, m, &[1.0], &TuneGoal::aebnas(5.0)).is_err());
}

#[test]
fn single_exit_and_empty_caches() {
    let one = ExitCache::from_probs(&[vec![0.3, 0.7, 0.9, 0.1]], &[1, 1], 2).unwrap();
    let t = tune_cut_points(&one, ExitRule::Margin, &[5.0], &TuneGoal::aebnas(5.0)).unwrap();
    assert!(t.thresholds.is_empty());
    assert_eq!((t.summary.accuracy, t.score), (0.5, 50.0));
    let empty = ExitCache::from_probs(&[vec![], vec![]], &[], 2).unwrap();
    let goal = TuneGoal::MaxAccuracy { target: 1.0 };
    assert!(tune_cut_points(&empty, ExitRule::Entropy, &[1.0, 2.0], &goal).is_ok());
    assert_eq!(
        anytime_curve(&empty, ExitRule::Entropy, &[1.0, 2.0], 10)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn cut_points_fast_enough_on_10k() {
    let c = random_cache(5, 4, 10_000);
    let costs = [1.0, 2.0, 3.0, 5.0];
    let t = tune_cut_points(&c, ExitRule::Margin, &costs, &TuneGoal::aebnas(2.5)).unwrap();
    let g = tune_grid(&c, ExitRule::Margin, &costs, &TuneGoal::aebnas(2.5)).unwrap();
    assert!(t.score >= g.score);
}
