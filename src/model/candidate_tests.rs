//! [`score_candidate`] on hand-made caches whose splits disagree: the thresholds are the
//! validation split's, the test split only scores them, and the exits no validation
//! sample takes are dropped.

use super::*;
use crate::engine::assign::score;
use crate::engine::exits::ExitRule;
use crate::engine::genome::default_genome;
use crate::engine::tuning::costs_without;

fn settings(target: f64) -> SearchSettings {
    SearchSettings::for_tests("hand-made", target, TuningRule::MaxAccuracy)
}

/// `exits` exits, 4 samples of class 0; exit `e` predicts class `wrong_at(e)` ? 1 : 0
/// with margin 0.98.
fn cache(exits: usize, wrong_at: impl Fn(usize) -> bool) -> ExitCache {
    let probs: Vec<Vec<f32>> = (0..exits)
        .map(|e| {
            let row = if wrong_at(e) {
                [0.01, 0.99]
            } else {
                [0.99, 0.01]
            };
            row.repeat(4)
        })
        .collect();
    ExitCache::from_probs(&probs, &[0; 4], 2).unwrap()
}

#[test]
fn thresholds_come_from_validation_and_test_only_reports() {
    let space = SearchSpace::browser_default();
    let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
    let costs = arch.exit_costs();
    let e = costs.cumulative.len();
    assert!(e >= 3, "two early exits and the final one");
    // Every point is under this target: the highest accuracy wins, the first on ties.
    let s = settings(costs.cumulative[e - 1]);
    // Validation: every exit right. Test: the first exit confidently wrong.
    let (val, test) = (cache(e, |_| false), cache(e, |x| x == 0));
    let r = score_candidate(&arch, &s, &val, &test, 0.0).unwrap();
    // Validation ties everywhere, so the first grid point (0.1 at every exit) stays: every
    // image leaves at exit 1 and the later exits, never taken, are dropped.
    assert_eq!(r.thresholds[0], 0.1);
    assert!(
        r.thresholds[1..].iter().all(|&t| t > 1.0),
        "{:?}",
        r.thresholds
    );
    let dropped: Vec<bool> = (0..e - 1).map(|i| i > 0).collect();
    let deployed = costs_without(&costs, CostConvention::Cumulative, &dropped);
    assert_eq!(r.exit_costs, deployed);
    assert!(
        deployed[e - 1] < costs.cumulative[e - 1],
        "dropped heads are not paid for"
    );
    assert_eq!((r.val_accuracy, r.val_avg_macs), (1.0, deployed[0]));
    // Test reports what validation chose: all four leave at exit 1, all wrong.
    assert_eq!((r.test_accuracy, r.test_avg_macs), (0.0, deployed[0]));
    assert_eq!(r.test_exit_rates[0], 1.0);
    // Tuning on test would have switched exit 1 off instead.
    let rule = ExitRule::Margin;
    let on_test = TuningRule::MaxAccuracy
        .tune(&test, rule, &costs.cumulative, s.mac_target)
        .unwrap();
    assert!(on_test.thresholds[0] > 0.98, "{:?}", on_test.thresholds);
    let on_test_score = score(&test, rule, &on_test.thresholds, &costs.cumulative).unwrap();
    assert_eq!(on_test_score.accuracy, 1.0);
    // The page's tuning buttons read validation too.
    assert_eq!(r.val_tuned.len(), 9);
    assert_eq!(r.tuned_for(TuningRule::MaxAccuracy, rule).unwrap()[0], 0.1);
}
