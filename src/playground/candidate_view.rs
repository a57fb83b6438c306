//! What the selected candidate's panel shows, computed without yew: the sliders' outcome
//! on the test set ([`score`], the engine's `assign` on the cached confidences), the
//! thresholds a tuning button applies ([`tuned_thresholds`], recorded on validation when
//! the candidate was evaluated: the test cache only re-scores them), the per-exit
//! confidence histograms ([`histograms`]) and the exits' stacked shares ([`stacked`]).

use super::shared::Shared;
use crate::engine::assign::{assign, Summary};
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::results::CandidateRecord;
use crate::engine::tuning::TuningRule;

/// Which tuning a button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tuning {
    /// The record's thresholds (tuned on the validation split when it was evaluated).
    Record,
    /// AEBNAS's grid `{0.1, 0.2, 1.0}` with its score.
    Grid,
    /// Our search over all cut points, AEBNAS score.
    CutPoints,
    /// Highest accuracy with avg MACs ≤ target.
    MaxAccuracy,
}

/// The thresholds `tuning` gives `record` under `rule` (`None` when the record holds
/// none for that pair, e.g. a version-1 file).
pub fn tuned_thresholds(
    record: &CandidateRecord,
    tuning: Tuning,
    rule: ExitRule,
) -> Option<Vec<f32>> {
    let rule_of = match tuning {
        Tuning::Record => return Some(record.thresholds.clone()),
        Tuning::Grid => TuningRule::Grid,
        Tuning::CutPoints => TuningRule::CutPoints,
        Tuning::MaxAccuracy => TuningRule::MaxAccuracy,
    };
    record.tuned_for(rule_of, rule).map(<[f32]>::to_vec)
}

/// The outcome of `thresholds` under `rule` on the test cache: the summary (accuracy,
/// avg MACs, shares) and each sample's exit. `None` when they do not fit the cache.
pub fn score(
    cache: &ExitCache,
    rule: ExitRule,
    thresholds: &[f32],
    costs: &[f64],
) -> Option<(Summary, Shared<Vec<u8>>)> {
    assign(cache, rule, thresholds, costs)
        .ok()
        .map(|a| (a.summary, Shared::new(a.exit_of)))
}

/// Confidence bins of a histogram.
pub const BINS: usize = 20;

/// `(correct, wrong)` counts per confidence bin (`[b/20, (b+1)/20)`, 1 in the last) at
/// each early exit, over every sample of the cache.
pub fn histograms(cache: &ExitCache, rule: ExitRule) -> Vec<(Vec<u32>, Vec<u32>)> {
    let early = cache.num_exits.saturating_sub(1);
    (0..early)
        .map(|e| {
            let (mut right, mut wrong) = (vec![0u32; BINS], vec![0u32; BINS]);
            for s in 0..cache.num_samples {
                let c = cache.confidence(rule, e, s);
                let bin = ((c * BINS as f32) as usize).min(BINS - 1);
                if cache.correct(e, s) {
                    right[bin] += 1;
                } else {
                    wrong[bin] += 1;
                }
            }
            (right, wrong)
        })
        .collect()
}

/// `(x, width)` in percent of each exit's share, left to right (the summary's shares, or
/// the record's when there is no cache).
pub fn stacked(summary: Option<&Summary>, r: &CandidateRecord) -> Vec<(f64, f64)> {
    let mut x = 0.0;
    (0..r.test_exit_rates.len())
        .map(|i| {
            let w = 100.0 * summary.map_or(r.test_exit_rates[i], |s| s.rate(i));
            let seg = (x, w);
            x += w;
            seg
        })
        .collect()
}

#[cfg(test)]
#[path = "candidate_view_tests.rs"]
mod tests;
