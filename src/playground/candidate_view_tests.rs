use super::*;
use crate::engine::genome::Genome;
use crate::engine::results::ValTuned;
use crate::engine::space::Method;

/// Two exits, four samples, 2 classes; exit 0's margin confidences 0.0, 0.49, 0.51, 1.0
/// with predictions right, wrong, right, right; the final exit always right.
fn cache() -> ExitCache {
    let conf = vec![0.0, 0.49, 0.51, 1.0, 1.0, 1.0, 1.0, 1.0];
    let labels = vec![0, 1, 0, 1];
    let predicted = vec![0, 0, 0, 1, 0, 1, 0, 1];
    ExitCache::from_parts(2, 2, conf.clone(), conf.clone(), conf, predicted, labels).unwrap()
}

fn record() -> CandidateRecord {
    CandidateRecord {
        genome: Genome(vec![0; 4]),
        method: Method::Aebnas,
        iteration: 0,
        thresholds: vec![0.5],
        exit_rule: ExitRule::Margin,
        exit_positions: vec![1],
        val_accuracy: 0.9,
        val_avg_macs: 1.0,
        val_exit_rates: vec![0.5, 0.5],
        test_accuracy: 0.9,
        test_final_exit_accuracy: 1.0,
        test_avg_macs: 1.0,
        test_exit_rates: vec![0.25, 0.75],
        exit_costs: vec![100.0, 300.0],
        test_exit_accuracies: vec![Some(1.0), Some(1.0)],
        val_tuned: vec![ValTuned {
            tuning: TuningRule::MaxAccuracy,
            rule: ExitRule::Entropy,
            thresholds: vec![0.7],
        }],
        train_seconds: 1.0,
        predicted: None,
    }
}

#[test]
fn histograms_count_by_bin_and_correctness() {
    let h = histograms(&cache(), ExitRule::Margin);
    assert_eq!(h.len(), 1, "one early exit");
    let (right, wrong) = &h[0];
    // 0.0 → bin 0, 0.49 → bin 9 (wrong), 0.51 → bin 10, 1.0 → the last bin.
    assert_eq!(
        (right[0], wrong[9], right[10], right[BINS - 1]),
        (1, 1, 1, 1)
    );
    assert_eq!(right.iter().sum::<u32>() + wrong.iter().sum::<u32>(), 4);
}

#[test]
fn tuning_buttons_take_the_recorded_thresholds() {
    let r = record();
    assert_eq!(
        tuned_thresholds(&r, Tuning::Record, ExitRule::Margin),
        Some(vec![0.5])
    );
    assert_eq!(
        tuned_thresholds(&r, Tuning::MaxAccuracy, ExitRule::Entropy),
        Some(vec![0.7])
    );
    assert_eq!(tuned_thresholds(&r, Tuning::Grid, ExitRule::Margin), None);
}

#[test]
fn score_and_stacked_shares() {
    let r = record();
    // Threshold 0.5 on exit 0: samples 2 and 3 leave there (both right); 0 and 1 go on.
    let (summary, exit_of) = score(&cache(), ExitRule::Margin, &[0.5], &r.exit_costs).unwrap();
    assert_eq!(*exit_of, vec![1u8, 1, 0, 0]);
    assert_eq!((summary.accuracy, summary.avg_macs), (1.0, 200.0));
    assert_eq!(stacked(Some(&summary), &r), vec![(0.0, 50.0), (50.0, 50.0)]);
    assert_eq!(stacked(None, &r), vec![(0.0, 25.0), (25.0, 75.0)]);
}
