//! Exit confidence rules and the per-network exit cache (docs/method.md, § Exit rules and
//! § Exit caches and threshold tuning).
//!
//! A sample at an enabled exit with softmax `p` (sorted `p(1) ≥ p(2) ≥ …`, `K` classes) has
//! a confidence `c ∈ [0, 1]`, higher = more confident:
//! - **score margin** `c = p(1) − p(2)` (AEBNAS, EDANAS);
//! - **max softmax** `c = p(1)` (SDN, MSDNet);
//! - **entropy** `c = 1 − H(p) / ln K`, `H(p) = −Σ p_k ln p_k` (BranchyNet, rescaled).
//!
//! [`ExitCache`] stores, once per trained network, every validation sample's confidence
//! under all three rules and its prediction at every exit, so that any threshold vector is
//! re-scored without re-running the network (see [`crate::engine::assign`]).
//!
//! Storage: confidences are plain `f32`, exit-major (`index = exit · N + sample`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

mod cache;
pub use cache::{ExitCache, ExitCacheError};

/// Most exits (enabled early exits + the final one) a cache may hold; sized so that the
/// allocation-free score summary can use fixed arrays.
pub const MAX_EXITS: usize = 16;

/// A confidence rule (docs/method.md, § Exit rules). Serialised as `"margin"`,
/// `"max_softmax"`, `"entropy"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExitRule {
    /// Score margin `p(1) − p(2)`.
    #[default]
    Margin,
    /// Maximum softmax probability `p(1)`.
    MaxSoftmax,
    /// Normalised entropy `1 − H(p)/ln K`.
    Entropy,
}

impl ExitRule {
    /// Every rule, in display order.
    pub const ALL: [ExitRule; 3] = [ExitRule::Margin, ExitRule::MaxSoftmax, ExitRule::Entropy];

    /// The serialised (snake_case) name.
    pub fn name(self) -> &'static str {
        match self {
            ExitRule::Margin => "margin",
            ExitRule::MaxSoftmax => "max_softmax",
            ExitRule::Entropy => "entropy",
        }
    }
}

impl fmt::Display for ExitRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error parsing an [`ExitRule`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown exit rule `{0}` (expected margin, max_softmax or entropy)")]
pub struct ParseExitRuleError(pub String);

impl FromStr for ExitRule {
    type Err = ParseExitRuleError;
    /// Accepts the snake_case names, case-insensitively, with `-` for `_`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "margin" | "score_margin" => Ok(ExitRule::Margin),
            "max_softmax" | "maxsoftmax" | "max" => Ok(ExitRule::MaxSoftmax),
            "entropy" => Ok(ExitRule::Entropy),
            _ => Err(ParseExitRuleError(s.to_string())),
        }
    }
}

/// The confidence of one softmax row under `rule`, in `[0, 1]`.
///
/// Non-finite or negative entries count as 0 and the row is renormalised by its sum;
/// an empty or all-zero row gives 0. With `K = 1` every rule gives 1 (a single class is
/// certain; the entropy rule's `ln 1 = 0` is not divided by).
pub fn confidence(rule: ExitRule, probs: &[f32]) -> f32 {
    let clean = |p: f32| if p.is_finite() && p > 0.0 { p } else { 0.0 };
    let sum: f32 = probs.iter().map(|&p| clean(p)).sum();
    if probs.is_empty() || sum <= 0.0 || !sum.is_finite() {
        return 0.0;
    }
    let c = match rule {
        ExitRule::Margin | ExitRule::MaxSoftmax => {
            let (mut p1, mut p2) = (0.0f32, 0.0f32);
            for &p in probs {
                let p = clean(p) / sum;
                if p > p1 {
                    p2 = p1;
                    p1 = p;
                } else if p > p2 {
                    p2 = p;
                }
            }
            if rule == ExitRule::Margin {
                p1 - p2
            } else {
                p1
            }
        }
        ExitRule::Entropy => {
            if probs.len() == 1 {
                return 1.0;
            }
            let h: f64 = probs
                .iter()
                .map(|&p| (clean(p) / sum) as f64)
                .filter(|&p| p > 0.0)
                .map(|p| -p * p.ln())
                .sum();
            (1.0 - h / (probs.len() as f64).ln()) as f32
        }
    };
    if c.is_finite() {
        c.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn rules_on_hand_computed_rows() {
        let p = [0.5, 0.3, 0.2];
        assert!(close(confidence(ExitRule::Margin, &p), 0.2));
        assert!(close(confidence(ExitRule::MaxSoftmax, &p), 0.5));
        // H = -(0.5 ln 0.5 + 0.3 ln 0.3 + 0.2 ln 0.2) = 1.0296530; ln 3 = 1.0986123
        assert!(close(
            confidence(ExitRule::Entropy, &p),
            1.0 - 1.029_653 / 1.098_612_3
        ));
        let uniform = [0.25f32; 4];
        for r in ExitRule::ALL {
            let c = confidence(r, &uniform);
            let want = if r == ExitRule::MaxSoftmax { 0.25 } else { 0.0 };
            assert!(close(c, want), "{r}: {c}");
        }
        let onehot = [0.0, 1.0, 0.0];
        for r in ExitRule::ALL {
            assert!(close(confidence(r, &onehot), 1.0));
        }
        // Ties at the top give margin 0.
        assert!(close(confidence(ExitRule::Margin, &[0.4, 0.4, 0.2]), 0.0));
    }

    #[test]
    fn bad_rows_do_not_panic() {
        for r in ExitRule::ALL {
            assert_eq!(confidence(r, &[]), 0.0);
            assert_eq!(confidence(r, &[f32::NAN, f32::NAN]), 0.0);
            assert_eq!(confidence(r, &[0.0, 0.0]), 0.0);
            assert_eq!(confidence(r, &[1.0]), 1.0);
            let c = confidence(r, &[f32::INFINITY, -1.0, 2.0]);
            assert!((0.0..=1.0).contains(&c));
        }
        // Unnormalised rows are renormalised: [2, 1, 1] -> [0.5, 0.25, 0.25].
        assert!(close(confidence(ExitRule::Margin, &[2.0, 1.0, 1.0]), 0.25));
    }

    #[test]
    fn rule_names_round_trip() {
        for r in ExitRule::ALL {
            assert_eq!(r.to_string().parse::<ExitRule>().unwrap(), r);
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.name()));
            assert_eq!(serde_json::from_str::<ExitRule>(&json).unwrap(), r);
        }
        assert_eq!(
            "Max-Softmax".parse::<ExitRule>().unwrap(),
            ExitRule::MaxSoftmax
        );
        assert!("foo".parse::<ExitRule>().is_err());
    }
}
