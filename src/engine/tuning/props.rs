//! Property tests of [`super`] (`tuning.rs`).

use super::*;
use crate::engine::assign::tests::random_cache;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn ours_never_worse_than_grid(
        seed in 0u64..10_000, e in 1usize..5, n in 0usize..80,
        steps in proptest::collection::vec(0.1f64..5.0, 4), frac in 0.05f64..1.2,
        rule in 0usize..3,
    ) {
        let c = random_cache(seed, e, n);
        let rule = ExitRule::ALL[rule];
        let costs: Vec<f64> = steps[..e].iter().scan(0.0, |a, s| { *a += s; Some(*a) }).collect();
        let target = frac * costs[e - 1];
        for goal in [TuneGoal::aebnas(target), TuneGoal::MaxAccuracy { target }] {
            let g = tune_grid(&c, rule, &costs, &goal).unwrap();
            let ours = tune_cut_points(&c, rule, &costs, &goal).unwrap();
            prop_assert!(ours.score >= g.score, "{} < {}", ours.score, g.score);
            let s = score(&c, rule, &ours.thresholds, &costs).unwrap();
            prop_assert_eq!(s, ours.summary);
            if let TuneGoal::MaxAccuracy { .. } = goal {
                prop_assert_eq!(ours.feasible, s.avg_macs <= target * (1.0 + 1e-12));
                if n > 0 {
                    prop_assert_eq!(ours.feasible, costs[0] <= target * (1.0 + 1e-12));
                }
            }
        }
    }
}
