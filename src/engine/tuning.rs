//! Threshold tuning on a cached network and its anytime curve (docs/method.md, § Exit
//! caches and threshold tuning).
//!
//! Goals ([`TuneGoal`]), for a MAC target `T`:
//! - **AEBNAS score**: maximise `acc% − λ · 100 · |avgMACs − T| / T` (`λ = 0.1`);
//! - **max accuracy**: the highest accuracy with `avgMACs ≤ T` (if no threshold vector
//!   meets `T`, the cheapest assignment is returned with `feasible = false`).
//!
//! Searches:
//! - [`tune_grid`]: AEBNAS's grid `t_i ∈ {0.1, 0.2, 1.0}` over the enabled exits, results
//!   rounded to 0.1 (exhaustive, `3^(E−1)` scores);
//! - [`tune_cut_points`] (ours): coordinate descent over all cut points — each exit's
//!   distinct confidence values plus "off" ([`NEVER`]) — starting from the grid optimum
//!   (and, for max accuracy, from the cheapest assignment too), moving only on strict
//!   improvement, so it is never worse than the grid. One coordinate step is exact: with
//!   the other thresholds fixed, the samples reaching exit `i` are sorted by confidence and
//!   every cut is evaluated in one sweep (`O(N log N)`).
//!
//! [`anytime_curve`]: the accuracy-vs-avg-MACs trade-off of one network, the non-dominated
//! points of a threshold sweep, sorted by MACs.

use super::assign::{check_inputs, score, AssignError, Summary, NEVER};
use super::exits::{ExitCache, ExitRule};
use serde::{Deserialize, Serialize};

mod anytime;
mod deploy;
mod rule;
pub use anytime::{anytime_curve, AnytimeSweep, CurvePoint};
pub use deploy::{costs_without, deploy, Deployed};
pub use rule::{ParseTuningRuleError, TuningRule};

/// AEBNAS's per-exit threshold grid.
pub const AEBNAS_GRID: [f32; 3] = [0.1, 0.2, 1.0];
/// AEBNAS's MAPE weight `λ` in the tuning score.
pub const AEBNAS_LAMBDA: f64 = 0.1;

/// What a threshold search maximises.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TuneGoal {
    /// `acc% − lambda · 100 · |avg − target| / target`.
    Score {
        /// MAC target `T` (> 0).
        target: f64,
        /// Weight `λ` (AEBNAS: 0.1).
        lambda: f64,
    },
    /// Highest accuracy with `avg ≤ target`.
    MaxAccuracy {
        /// MAC budget `T` (> 0).
        target: f64,
    },
}

impl TuneGoal {
    /// The AEBNAS score goal with `λ = 0.1`.
    pub fn aebnas(target: f64) -> Self {
        TuneGoal::Score {
            target,
            lambda: AEBNAS_LAMBDA,
        }
    }

    /// The MAC target.
    pub fn target(&self) -> f64 {
        match *self {
            TuneGoal::Score { target, .. } | TuneGoal::MaxAccuracy { target } => target,
        }
    }

    /// Whether `avg_macs` satisfies the goal's constraint (always true for `Score`).
    pub fn feasible(&self, avg_macs: f64) -> bool {
        match *self {
            TuneGoal::Score { .. } => true,
            TuneGoal::MaxAccuracy { target } => avg_macs <= target * (1.0 + 1e-12),
        }
    }

    /// The value maximised. `Score`: the AEBNAS score. `MaxAccuracy`: `acc%` when
    /// feasible, else `−avg/T` (below every feasible value; cheaper is better).
    pub fn value(&self, accuracy: f64, avg_macs: f64) -> f64 {
        match *self {
            TuneGoal::Score { target, lambda } => {
                100.0 * accuracy - lambda * 100.0 * (avg_macs - target).abs() / target
            }
            TuneGoal::MaxAccuracy { target } => {
                if self.feasible(avg_macs) {
                    100.0 * accuracy
                } else {
                    -avg_macs / target
                }
            }
        }
    }

    fn check(&self) -> Result<(), AssignError> {
        let t = self.target();
        let lambda_ok = match *self {
            TuneGoal::Score { lambda, .. } => lambda.is_finite(),
            _ => true,
        };
        if t.is_finite() && t > 0.0 && lambda_ok {
            Ok(())
        } else {
            Err(AssignError::BadTarget(t))
        }
    }
}

/// A tuned threshold vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tuned {
    /// Thresholds, one per early exit (`E − 1`).
    pub thresholds: Vec<f32>,
    /// Outcome of these thresholds.
    pub summary: Summary,
    /// The goal's value ([`TuneGoal::value`]).
    pub score: f64,
    /// Whether the goal's constraint holds (always true for `Score`).
    pub feasible: bool,
}

fn tuned(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
    thresholds: Vec<f32>,
) -> Result<Tuned, AssignError> {
    let summary = score(cache, rule, &thresholds, costs)?;
    Ok(Tuned {
        score: goal.value(summary.accuracy, summary.avg_macs),
        feasible: goal.feasible(summary.avg_macs),
        thresholds,
        summary,
    })
}

fn validate(cache: &ExitCache, costs: &[f64], goal: &TuneGoal) -> Result<usize, AssignError> {
    goal.check()?;
    let k = cache.num_exits - 1;
    check_inputs(cache, &vec![0.0; k], costs)?;
    Ok(k)
}

/// AEBNAS's grid search: every `t ∈ {0.1, 0.2, 1.0}^(E−1)`, the best by `goal` (first
/// in enumeration order on ties), thresholds rounded to 0.1.
pub fn tune_grid(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
) -> Result<Tuned, AssignError> {
    let k = validate(cache, costs, goal)?;
    let lists = vec![AEBNAS_GRID.to_vec(); k];
    let mut best: Option<Tuned> = None;
    for_each_product(&lists, |t| {
        let cand = tuned(cache, rule, costs, goal, t.to_vec()).expect("inputs checked");
        if best.as_ref().is_none_or(|b| cand.score > b.score) {
            best = Some(cand);
        }
    });
    let mut best = best.expect("the grid is never empty");
    let rounded: Vec<f32> = best
        .thresholds
        .iter()
        .map(|t| (t * 10.0).round() / 10.0)
        .collect();
    if rounded != best.thresholds {
        best = tuned(cache, rule, costs, goal, rounded)?;
    }
    Ok(best)
}

/// The cheapest assignment: everybody leaves at the exit of least cost.
pub fn cheapest(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
) -> Result<Tuned, AssignError> {
    let k = validate(cache, costs, goal)?;
    let mut i_min = 0;
    for (i, &m) in costs.iter().enumerate() {
        if m < costs[i_min] {
            i_min = i;
        }
    }
    let t = (0..k)
        .map(|j| if j == i_min { 0.0 } else { NEVER })
        .collect();
    tuned(cache, rule, costs, goal, t)
}

/// Our search over all cut points (see the module docs); never worse than [`tune_grid`].
/// For `MaxAccuracy` with an unreachable target the cheapest assignment comes back with
/// `feasible = false`.
pub fn tune_cut_points(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
) -> Result<Tuned, AssignError> {
    let grid = tune_grid(cache, rule, costs, goal)?;
    let mut starts = vec![grid];
    if let TuneGoal::MaxAccuracy { .. } = goal {
        let cheap = cheapest(cache, rule, costs, goal)?;
        if !cheap.feasible {
            return Ok(cheap);
        }
        starts.push(cheap);
    }
    let mut best: Option<Tuned> = None;
    for start in starts {
        let t = descend(cache, rule, costs, goal, start.thresholds.clone());
        let mut cand = tuned(cache, rule, costs, goal, t)?;
        if cand.score < start.score {
            cand = start; // floating-point guard: never return worse than the start
        }
        if best.as_ref().is_none_or(|b| cand.score > b.score) {
            best = Some(cand);
        }
    }
    Ok(best.expect("at least one start"))
}

/// "Highest accuracy with avg MACs ≤ target" ([`tune_cut_points`] with
/// [`TuneGoal::MaxAccuracy`]).
pub fn tune_max_accuracy(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    target: f64,
) -> Result<Tuned, AssignError> {
    tune_cut_points(cache, rule, costs, &TuneGoal::MaxAccuracy { target })
}

/// One sample that reaches the exit being tuned: its outcome there and past it.
#[derive(Clone, Copy)]
struct Reach {
    conf: f32,
    correct_here: u32,
    cost_here: f64,
    correct_past: u32,
    cost_past: f64,
}

/// Coordinate descent from `t` until a full pass improves nothing (cap 64 passes).
fn descend(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
    mut t: Vec<f32>,
) -> Vec<f32> {
    let n = cache.num_samples;
    if n == 0 || t.is_empty() {
        return t;
    }
    let mut current = match score(cache, rule, &t, costs) {
        Ok(s) => goal.value(s.accuracy, s.avg_macs),
        Err(_) => return t,
    };
    let mut reach: Vec<Reach> = Vec::with_capacity(n);
    for _pass in 0..64 {
        let mut improved = false;
        for i in 0..t.len() {
            let (cut, value) = best_cut(cache, rule, costs, goal, &t, i, &mut reach);
            if value > current + 1e-12 {
                t[i] = cut;
                current = value;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    t
}

/// Best threshold for exit `i` with the others fixed, and its goal value.
fn best_cut(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &[f64],
    goal: &TuneGoal,
    t: &[f32],
    i: usize,
    reach: &mut Vec<Reach>,
) -> (f32, f64) {
    let n = cache.num_samples;
    let last = cache.num_exits - 1;
    let conf = cache.confidences(rule);
    let (mut correct, mut macs) = (0u64, 0.0f64);
    reach.clear();
    for s in 0..n {
        let before = (0..i).find(|&j| conf[j * n + s] >= t[j]);
        if let Some(j) = before {
            correct += cache.correct(j, s) as u64;
            macs += costs[j];
            continue;
        }
        let past = (i + 1..last)
            .find(|&j| conf[j * n + s] >= t[j])
            .unwrap_or(last);
        let r = Reach {
            conf: conf[i * n + s],
            correct_here: cache.correct(i, s) as u32,
            cost_here: costs[i],
            correct_past: cache.correct(past, s) as u32,
            cost_past: costs[past],
        };
        correct += r.correct_past as u64;
        macs += r.cost_past;
        reach.push(r);
    }
    let value = |c: u64, m: f64| goal.value(c as f64 / n as f64, m / n as f64);
    let mut best = (NEVER, value(correct, macs));
    reach.sort_by(|a, b| b.conf.total_cmp(&a.conf));
    let mut k = 0;
    while k < reach.len() {
        let v = reach[k].conf;
        while k < reach.len() && reach[k].conf == v {
            let r = reach[k];
            correct = correct + r.correct_here as u64 - r.correct_past as u64;
            macs += r.cost_here - r.cost_past;
            k += 1;
        }
        let val = value(correct, macs);
        if val > best.1 {
            best = (v, val);
        }
    }
    best
}

/// Calls `f` on every vector of the Cartesian product of `lists` (once with `[]` when
/// `lists` is empty).
pub(crate) fn for_each_product(lists: &[Vec<f32>], mut f: impl FnMut(&[f32])) {
    if lists.iter().any(|l| l.is_empty()) {
        return;
    }
    let mut idx = vec![0usize; lists.len()];
    let mut cur: Vec<f32> = lists.iter().map(|l| l[0]).collect();
    loop {
        f(&cur);
        let mut d = 0;
        loop {
            if d == lists.len() {
                return;
            }
            idx[d] += 1;
            if idx[d] < lists[d].len() {
                cur[d] = lists[d][idx[d]];
                break;
            }
            idx[d] = 0;
            cur[d] = lists[d][0];
            d += 1;
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
