//! What the results card shows of a run, computed without yew: the hypervolume after each
//! iteration as a share of the run's reference box, and the sentence naming the candidate
//! validation chooses under the MAC target (test figures beside, reported only).

use super::plot::percent;
use crate::engine::results::RunResults;
use crate::engine::search::best_under_target;
use crate::engine::units::format_macs;

/// `(iteration, hypervolume / reference box area)` after each recorded iteration (0 when
/// the reference box is empty).
pub fn hv_per_iteration(run: &RunResults) -> Vec<(usize, f64)> {
    let area = run.reference_point.map_or(0.0, |r| r[0] * r[1]);
    run.iterations
        .iter()
        .map(|r| {
            (
                r.iteration,
                if area > 0.0 {
                    r.hypervolume / area
                } else {
                    0.0
                },
            )
        })
        .collect()
}

/// The candidate validation chooses under the run's target and the sentence that says so
/// (`None` when none fits).
pub fn best_under_target_line(run: &RunResults) -> Option<(usize, String)> {
    let i = best_under_target(&run.archive, run.settings.mac_target)?;
    let c = &run.archive[i];
    Some((
        i,
        format!(
            "Best under the target (chosen on validation): candidate {} — validation {} at {} MACs; test {} at {} MACs.",
            i + 1,
            percent(c.val_accuracy),
            format_macs(c.val_avg_macs),
            percent(c.test_accuracy),
            format_macs(c.test_avg_macs)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::results::{IterationRecord, SearchSettings};
    use crate::engine::tuning::TuningRule;

    #[test]
    fn hypervolume_is_a_share_of_the_reference_box() {
        let mut run = RunResults::new(SearchSettings::for_tests("mnist", 1.0e6, TuningRule::Grid));
        assert!(hv_per_iteration(&run).is_empty());
        assert!(best_under_target_line(&run).is_none());
        run.reference_point = Some([0.5, 2.0e6]);
        run.iterations.push(IterationRecord {
            iteration: 0,
            evaluations: 4,
            hypervolume: 2.5e5,
            tau_accuracy: None,
            tau_macs: None,
            duplicates_skipped: 0,
            predictor_taus: vec![],
        });
        assert_eq!(hv_per_iteration(&run), vec![(0, 0.25)]);
        run.reference_point = Some([0.0, 2.0e6]);
        assert_eq!(hv_per_iteration(&run), vec![(0, 0.0)]);
    }
}
