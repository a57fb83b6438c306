//! The anytime curve of one cached network: accuracy vs avg MACs (`Σ r_i M_i`) over a
//! sweep of threshold vectors, reduced to its non-dominated points (higher accuracy,
//! fewer MACs) and sorted by MACs — what the UI plots for a trained candidate.

use super::for_each_product;
use crate::engine::assign::{check_inputs, score, AssignError, NEVER};
use crate::engine::exits::{ExitCache, ExitRule};
use serde::{Deserialize, Serialize};

/// One point of the anytime curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Average MACs per sample.
    pub avg_macs: f64,
    /// Accuracy in `[0, 1]`.
    pub accuracy: f64,
    /// Thresholds that produce this point.
    pub thresholds: Vec<f32>,
}

/// The anytime curve: accuracy vs avg MACs over at most about `max_evals` threshold
/// vectors — a per-exit grid of confidence quantiles (plus "off") and a sweep of one
/// shared threshold — reduced to its non-dominated points (higher accuracy, fewer MACs),
/// sorted by MACs ascending.
pub fn anytime_curve(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    max_evals: usize,
) -> Result<Vec<CurvePoint>, AssignError> {
    let mut sweep = AnytimeSweep::new(cache, rule, costs, max_evals)?;
    while !sweep.advance(cache, usize::MAX) {}
    Ok(sweep.finish())
}

/// [`anytime_curve`] in resumable steps, so a caller on a UI thread can score a few
/// threshold vectors per task: `new`, then `advance` until it returns `true`, then
/// `finish`. The result equals `anytime_curve` with the same arguments.
///
/// ```
/// use aebnas::engine::exits::{ExitCache, ExitRule};
/// use aebnas::engine::tuning::{anytime_curve, AnytimeSweep};
/// // 2 exits, 2 samples, 2 classes: exit 0 is sure and right on sample 0 only.
/// let probs = [vec![0.9, 0.1, 0.6, 0.4], vec![0.2, 0.8, 0.3, 0.7]];
/// let cache = ExitCache::from_probs(&probs, &[0, 1], 2).unwrap();
/// let costs = [1.0, 3.0];
/// let mut sweep = AnytimeSweep::new(&cache, ExitRule::Margin, &costs, 16).unwrap();
/// while !sweep.advance(&cache, 3) {}
/// assert_eq!(sweep.finish(), anytime_curve(&cache, ExitRule::Margin, &costs, 16).unwrap());
/// ```
#[derive(Clone, Debug)]
pub struct AnytimeSweep {
    rule: ExitRule,
    costs: Vec<f64>,
    /// Every threshold vector to score, in order.
    todo: Vec<Vec<f32>>,
    /// How many of `todo` are scored.
    done: usize,
    points: Vec<CurvePoint>,
}

impl AnytimeSweep {
    /// Plans the sweep (sorts each exit's confidences once); scores nothing yet.
    pub fn new(
        cache: &ExitCache,
        rule: ExitRule,
        costs: &[f64],
        max_evals: usize,
    ) -> Result<Self, AssignError> {
        let k = cache.num_exits - 1;
        check_inputs(cache, &vec![0.0; k], costs)?;
        let n = cache.num_samples;
        let conf = cache.confidences(rule);
        let budget = max_evals.max(4);
        // Levels per exit L with L^k ≤ budget.
        let mut levels = 2usize;
        while k > 0
            && (levels + 1)
                .checked_pow(k as u32)
                .is_some_and(|p| p <= budget)
        {
            levels += 1;
            if levels > n + 1 {
                break;
            }
        }
        let lists: Vec<Vec<f32>> = (0..k)
            .map(|i| quantiles(&conf[i * n..(i + 1) * n], levels - 1))
            .collect();
        let mut todo = Vec::new();
        for_each_product(&lists, &mut |t: &[f32]| todo.push(t.to_vec()));
        todo.extend(
            quantiles(&conf[..k * n], budget / 4)
                .into_iter()
                .map(|v| vec![v; k]),
        );
        Ok(Self {
            rule,
            costs: costs.to_vec(),
            todo,
            done: 0,
            points: Vec::new(),
        })
    }

    /// Threshold vectors planned in all.
    pub fn len(&self) -> usize {
        self.todo.len()
    }

    /// Whether the plan is empty.
    pub fn is_empty(&self) -> bool {
        self.todo.is_empty()
    }

    /// Scores up to `count` more threshold vectors of `cache` (the cache `new` saw);
    /// `true` once every vector is scored.
    pub fn advance(&mut self, cache: &ExitCache, count: usize) -> bool {
        let end = self.done.saturating_add(count).min(self.todo.len());
        for t in &self.todo[self.done..end] {
            if let Ok(s) = score(cache, self.rule, t, &self.costs) {
                self.points.push(CurvePoint {
                    avg_macs: s.avg_macs,
                    accuracy: s.accuracy,
                    thresholds: t.clone(),
                });
            }
        }
        self.done = end;
        self.done == self.todo.len()
    }

    /// The non-dominated points scored so far, sorted by MACs ascending.
    pub fn finish(self) -> Vec<CurvePoint> {
        let mut points = self.points;
        points.sort_by(|a, b| {
            a.avg_macs
                .total_cmp(&b.avg_macs)
                .then(b.accuracy.total_cmp(&a.accuracy))
        });
        let mut front: Vec<CurvePoint> = Vec::new();
        for p in points {
            if front.last().is_none_or(|l| p.accuracy > l.accuracy) {
                front.push(p);
            }
        }
        front
    }
}

/// `count` evenly spaced quantiles of `values` (distinct, descending) plus [`NEVER`].
fn quantiles(values: &[f32], count: usize) -> Vec<f32> {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let mut out = vec![NEVER];
    if !sorted.is_empty() && count > 0 {
        for q in 0..count {
            let idx = if count == 1 {
                0
            } else {
                q * (sorted.len() - 1) / (count - 1)
            };
            out.push(sorted[idx]);
        }
    }
    out.sort_by(|a, b| b.total_cmp(a));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::assign::tests::hand_cache;

    const COSTS: [f64; 3] = [10.0, 30.0, 100.0];

    #[test]
    fn anytime_curve_on_hand_cache() {
        let c = hand_cache();
        let curve = anytime_curve(&c, ExitRule::Margin, &COSTS, 1000).unwrap();
        let first = &curve[0];
        let last = curve.last().unwrap();
        assert_eq!((first.avg_macs, first.accuracy), (10.0, 0.4));
        assert!((last.avg_macs - 22.0).abs() < 1e-9 && (last.accuracy - 0.8).abs() < 1e-12);
        for w in curve.windows(2) {
            assert!(w[0].avg_macs < w[1].avg_macs && w[0].accuracy < w[1].accuracy);
        }
        for p in &curve {
            let s = score(&c, ExitRule::Margin, &p.thresholds, &COSTS).unwrap();
            assert_eq!((s.avg_macs, s.accuracy), (p.avg_macs, p.accuracy));
        }
    }

    #[test]
    fn sweep_in_steps_equals_the_whole_curve() {
        let c = hand_cache();
        for rule in [ExitRule::Margin, ExitRule::MaxSoftmax, ExitRule::Entropy] {
            let whole = anytime_curve(&c, rule, &COSTS, 200).unwrap();
            let mut sweep = AnytimeSweep::new(&c, rule, &COSTS, 200).unwrap();
            let planned = sweep.len();
            let mut steps = 0;
            while !sweep.advance(&c, 7) {
                steps += 1;
            }
            assert_eq!(
                steps,
                planned.div_ceil(7) - 1,
                "{rule:?}: {planned} vectors"
            );
            assert_eq!(sweep.finish(), whole);
        }
        // Wrong cost count: refused up front, like the whole curve.
        assert!(AnytimeSweep::new(&c, ExitRule::Margin, &COSTS[..2], 10).is_err());
    }
}
