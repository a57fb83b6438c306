//! Exit assignment: where every sample leaves for a threshold vector (docs/method.md,
//! § Early exits).
//!
//! With `E` exits (enabled early exits, then the final one), thresholds `t` (length
//! `E − 1`) and costs `M` (length `E`, MACs of leaving at each exit), sample `s` leaves at
//! the first exit `i < E − 1` with `c_i(s) ≥ t_i`, otherwise at the final exit. Then
//! - `r_i = n_i / N` (exit rate), `acc_i = correct_i / n_i` (of those leaving at `i`),
//! - `accuracy = Σ correct_i / N`, `avg MACs = Σ_i r_i · M_i`.
//!
//! [`score`] is allocation-free (fixed arrays of [`MAX_EXITS`]) and backs the UI sliders
//! and threshold tuning; [`assign`] also returns each sample's exit.
//!
//! A threshold above every confidence (e.g. [`NEVER`]) switches an exit off; `0` makes
//! every sample reaching it leave.

use super::exits::{ExitCache, ExitRule, MAX_EXITS};
use serde::{Deserialize, Serialize};

/// A threshold no confidence reaches (confidences lie in `[0, 1]`): nobody leaves there.
/// Finite, so it survives JSON.
pub const NEVER: f32 = 2.0;

/// Why a threshold vector could not be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// Thresholds must have `E − 1` entries (or `E`, the last one ignored).
    #[error("{got} thresholds for {exits} exits (expected {})", exits.saturating_sub(1))]
    ThresholdCount {
        /// Number given.
        got: usize,
        /// Exits in the cache.
        exits: usize,
    },
    /// Costs must have `E` entries.
    #[error("{got} exit costs for {exits} exits")]
    CostCount {
        /// Number given.
        got: usize,
        /// Exits in the cache.
        exits: usize,
    },
    /// A threshold is NaN.
    #[error("threshold {0} is NaN")]
    BadThreshold(usize),
    /// A cost is negative or not finite.
    #[error("exit cost {0} is negative or not finite")]
    BadCost(usize),
    /// The MAC target is not a positive finite number.
    #[error("MAC target {0} must be positive and finite")]
    BadTarget(f64),
}

/// Aggregate outcome of one threshold vector. Per-exit arrays hold `num_exits` meaningful
/// entries (the rest are zero).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of samples `N`.
    pub num_samples: u32,
    /// Number of exits `E`.
    pub num_exits: u32,
    /// `n_i`: samples leaving at each exit.
    pub counts: [u32; MAX_EXITS],
    /// Correctly classified samples among those leaving at each exit.
    pub correct: [u32; MAX_EXITS],
    /// Overall accuracy in `[0, 1]` (0 when `N = 0`).
    pub accuracy: f64,
    /// `Σ r_i M_i` (0 when `N = 0`).
    pub avg_macs: f64,
}

impl Summary {
    /// Exit count `E` as `usize`.
    pub fn exits(&self) -> usize {
        self.num_exits as usize
    }

    /// `r_i = n_i / N` (0 when `N = 0` or `i` out of range).
    pub fn rate(&self, i: usize) -> f64 {
        if i >= self.exits() || self.num_samples == 0 {
            return 0.0;
        }
        self.counts[i] as f64 / self.num_samples as f64
    }

    /// Accuracy of the samples leaving at exit `i`; `None` when none leave there.
    pub fn exit_accuracy(&self, i: usize) -> Option<f64> {
        (i < self.exits() && self.counts[i] > 0)
            .then(|| self.correct[i] as f64 / self.counts[i] as f64)
    }

    /// All exit rates (allocates; for display and results files).
    pub fn rates(&self) -> Vec<f64> {
        (0..self.exits()).map(|i| self.rate(i)).collect()
    }

    /// All per-exit accuracies (allocates).
    pub fn exit_accuracies(&self) -> Vec<Option<f64>> {
        (0..self.exits()).map(|i| self.exit_accuracy(i)).collect()
    }

    /// The meaningful part of `counts`.
    pub fn exit_counts(&self) -> &[u32] {
        &self.counts[..self.exits().min(MAX_EXITS)]
    }

    /// Total correctly classified samples.
    pub fn total_correct(&self) -> u32 {
        self.correct.iter().sum()
    }
}

/// A [`Summary`] plus the exit every sample leaves at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The aggregate outcome.
    pub summary: Summary,
    /// Exit index (`0..E`) of every sample.
    pub exit_of: Vec<u8>,
}

/// Checks thresholds and costs against the cache.
pub fn check_inputs(
    cache: &ExitCache,
    thresholds: &[f32],
    costs: &[f64],
) -> Result<(), AssignError> {
    let e = cache.num_exits;
    if thresholds.len() + 1 != e && thresholds.len() != e {
        return Err(AssignError::ThresholdCount {
            got: thresholds.len(),
            exits: e,
        });
    }
    if costs.len() != e {
        return Err(AssignError::CostCount {
            got: costs.len(),
            exits: e,
        });
    }
    if let Some(i) = thresholds.iter().position(|t| t.is_nan()) {
        return Err(AssignError::BadThreshold(i));
    }
    if let Some(i) = costs.iter().position(|m| !m.is_finite() || *m < 0.0) {
        return Err(AssignError::BadCost(i));
    }
    Ok(())
}

/// Scores `thresholds` without allocating. See the module docs for the rule.
pub fn score(
    cache: &ExitCache,
    rule: ExitRule,
    thresholds: &[f32],
    costs: &[f64],
) -> Result<Summary, AssignError> {
    check_inputs(cache, thresholds, costs)?;
    Ok(score_unchecked(cache, rule, thresholds, costs, |_, _| {}))
}

/// Like [`score`], and also returns every sample's exit.
pub fn assign(
    cache: &ExitCache,
    rule: ExitRule,
    thresholds: &[f32],
    costs: &[f64],
) -> Result<Assignment, AssignError> {
    check_inputs(cache, thresholds, costs)?;
    let mut exit_of = vec![0u8; cache.num_samples];
    let summary = score_unchecked(cache, rule, thresholds, costs, |s, e| exit_of[s] = e as u8);
    Ok(Assignment { summary, exit_of })
}

/// The hot loop; inputs already checked. `visit(sample, exit)` sees every decision.
#[inline]
fn score_unchecked(
    cache: &ExitCache,
    rule: ExitRule,
    thresholds: &[f32],
    costs: &[f64],
    mut visit: impl FnMut(usize, usize),
) -> Summary {
    let n = cache.num_samples;
    let e = cache.num_exits;
    let last = e - 1;
    let conf = &cache.confidences(rule)[..e * n];
    let pred = &cache.predicted[..e * n];
    let labels = &cache.labels[..n];
    let t = &thresholds[..last];
    let mut counts = [0u32; MAX_EXITS];
    let mut correct = [0u32; MAX_EXITS];
    for (s, &label) in labels.iter().enumerate() {
        let mut ex = last;
        for (i, &ti) in t.iter().enumerate() {
            if conf[i * n + s] >= ti {
                ex = i;
                break;
            }
        }
        counts[ex] += 1;
        correct[ex] += (pred[ex * n + s] == label) as u32;
        visit(s, ex);
    }
    let (accuracy, avg_macs) = if n == 0 {
        (0.0, 0.0)
    } else {
        let total: u32 = correct.iter().sum();
        let macs: f64 = (0..e).map(|i| counts[i] as f64 * costs[i]).sum();
        (total as f64 / n as f64, macs / n as f64)
    };
    Summary {
        num_samples: n as u32,
        num_exits: e as u32,
        counts,
        correct,
        accuracy,
        avg_macs,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// 3 exits × 5 samples with hand-made margins; labels all 0.
    /// Exit 0 is correct for samples 0, 1; exit 1 for 0, 2, 3; final for 0..4 but 4.
    pub(crate) fn hand_cache() -> ExitCache {
        let margin = vec![
            0.9, 0.5, 0.1, 0.3, 0.05, // exit 0
            0.95, 0.6, 0.7, 0.2, 0.4, // exit 1
            1.0, 1.0, 1.0, 1.0, 1.0, // final
        ];
        let predicted = vec![0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1];
        ExitCache::from_parts(
            3,
            2,
            margin.clone(),
            margin.clone(),
            margin,
            predicted,
            vec![0; 5],
        )
        .unwrap()
    }

    #[test]
    fn hand_made_assignment() {
        let c = hand_cache();
        let costs = [10.0, 30.0, 100.0];
        // t = (0.4, 0.5): s0 c0=.9 -> e0 ✓; s1 .5 -> e0 ✓; s2 .1 no, c1=.7 -> e1 ✓;
        // s3 .3 no, .2 no -> final ✓; s4 .05 no, .4 no -> final ✗.
        let a = assign(&c, ExitRule::Margin, &[0.4, 0.5], &costs).unwrap();
        assert_eq!(a.exit_of, vec![0, 0, 1, 2, 2]);
        let s = a.summary;
        assert_eq!(s.exit_counts(), &[2, 1, 2]);
        assert_eq!(&s.correct[..3], &[2, 1, 1]);
        assert_eq!(s.rates(), vec![0.4, 0.2, 0.4]);
        assert_eq!(s.exit_accuracies(), vec![Some(1.0), Some(1.0), Some(0.5)]);
        assert!((s.accuracy - 0.8).abs() < 1e-12);
        // 0.4·10 + 0.2·30 + 0.4·100 = 50
        assert!((s.avg_macs - 50.0).abs() < 1e-9);
        assert_eq!(score(&c, ExitRule::Margin, &[0.4, 0.5], &costs).unwrap(), s);
        // Threshold vector of length E is accepted, last entry ignored.
        assert_eq!(
            score(&c, ExitRule::Margin, &[0.4, 0.5, 7.0], &costs).unwrap(),
            s
        );
    }

    #[test]
    fn extremes_and_empty_exits() {
        let c = hand_cache();
        let costs = [10.0, 30.0, 100.0];
        let all_first = score(&c, ExitRule::Margin, &[0.0, 0.0], &costs).unwrap();
        assert_eq!(all_first.exit_counts(), &[5, 0, 0]);
        assert_eq!(all_first.exit_accuracy(1), None);
        assert!((all_first.accuracy - 0.4).abs() < 1e-12);
        assert_eq!(all_first.avg_macs, 10.0);
        let all_final = score(&c, ExitRule::Margin, &[NEVER, NEVER], &costs).unwrap();
        assert_eq!(all_final.exit_counts(), &[0, 0, 5]);
        assert!((all_final.accuracy - 0.8).abs() < 1e-12);
        assert_eq!(all_final.avg_macs, 100.0);
        assert_eq!(all_final.rate(7), 0.0);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let c = hand_cache();
        let m = ExitRule::Margin;
        assert!(score(&c, m, &[0.1], &[1.0, 2.0, 3.0]).is_err());
        assert!(score(&c, m, &[0.1, 0.2], &[1.0, 2.0]).is_err());
        assert!(score(&c, m, &[f32::NAN, 0.2], &[1.0, 2.0, 3.0]).is_err());
        assert!(score(&c, m, &[0.1, 0.2], &[1.0, f64::NAN, 3.0]).is_err());
        assert!(score(&c, m, &[0.1, 0.2], &[1.0, -2.0, 3.0]).is_err());
        let empty = ExitCache::from_probs(&[vec![], vec![]], &[], 2).unwrap();
        let s = score(&empty, m, &[0.5], &[1.0, 2.0]).unwrap();
        assert_eq!((s.accuracy, s.avg_macs, s.rate(0)), (0.0, 0.0, 0.0));
    }

    /// A random cache with `e` exits and `n` samples (later exits more accurate).
    pub(crate) fn random_cache(seed: u64, e: usize, n: usize) -> ExitCache {
        let mut rng = crate::engine::rng::Rng::new(seed);
        let k = 10;
        let labels: Vec<u16> = (0..n).map(|_| rng.below(k) as u16).collect();
        let mut conf = Vec::with_capacity(e * n);
        let mut pred = Vec::with_capacity(e * n);
        for i in 0..e {
            for &l in &labels {
                let c = rng.next_f32();
                conf.push(c);
                let right = rng.next_f64() < 0.4 + 0.5 * c as f64 * (i + 1) as f64 / e as f64;
                pred.push(if right {
                    l
                } else {
                    ((l as usize + 1) % k) as u16
                });
            }
        }
        ExitCache::from_parts(e, k, conf.clone(), conf.clone(), conf, pred, labels).unwrap()
    }

    /// Prints the re-score time of 10,000 samples × 4 exits (run with `--ignored
    /// --nocapture`; the criterion bench `rescore` is the reference measurement).
    #[test]
    #[ignore]
    fn rescore_timing() {
        let c = random_cache(1, 4, 10_000);
        let costs = [1e6, 2e6, 3e6, 5e6];
        let reps = 2000;
        let start = std::time::Instant::now();
        let mut acc = 0.0;
        for r in 0..reps {
            let t = 0.3 + 0.0001 * r as f32;
            acc += score(&c, ExitRule::Margin, &[t, t, t], &costs)
                .unwrap()
                .accuracy;
        }
        let per = start.elapsed().as_secs_f64() / reps as f64;
        println!(
            "rescore 10k x 4: {:.1} µs per call (checksum {acc:.3})",
            per * 1e6
        );
    }
}
