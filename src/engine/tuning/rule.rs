//! [`TuningRule`]: which threshold search a run applies to every candidate — the paper's
//! grid, all cut points, or the best accuracy under the target — by name.

use serde::{Deserialize, Serialize};

use super::{tune_cut_points, tune_grid, tune_max_accuracy, TuneGoal, Tuned};
use crate::engine::assign::AssignError;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::space::Method;

/// Which threshold search a run applies to every candidate (recorded in its settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TuningRule {
    /// AEBNAS's grid [`AEBNAS_GRID`] with the AEBNAS score ([`tune_grid`]).
    Grid,
    /// All cut points with the AEBNAS score ([`tune_cut_points`]).
    CutPoints,
    /// Highest accuracy with avg MACs ≤ target, all cut points ([`tune_max_accuracy`]).
    MaxAccuracy,
}

impl TuningRule {
    /// Every rule, in display order.
    pub const ALL: [TuningRule; 3] = [
        TuningRule::Grid,
        TuningRule::CutPoints,
        TuningRule::MaxAccuracy,
    ];

    /// The default of `method`: AEBNAS (and `random`, its baseline) tune with the paper's
    /// grid, the other methods with all cut points.
    pub fn default_for(method: Method) -> Self {
        match method {
            Method::Aebnas | Method::Random => TuningRule::Grid,
            _ => TuningRule::CutPoints,
        }
    }

    /// The rule of results files that do not name one (all cut points).
    pub fn legacy() -> Self {
        TuningRule::CutPoints
    }

    /// Name on the command line and in the page (`grid`, `cut-points`, `max-accuracy`).
    pub fn name(self) -> &'static str {
        match self {
            TuningRule::Grid => "grid",
            TuningRule::CutPoints => "cut-points",
            TuningRule::MaxAccuracy => "max-accuracy",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            TuningRule::Grid => "AEBNAS grid {0.1, 0.2, 1.0}",
            TuningRule::CutPoints => "all cut points (AEBNAS score)",
            TuningRule::MaxAccuracy => "best accuracy under the target",
        }
    }

    /// Tunes `cache` for MAC target `target` with this rule.
    pub fn tune(
        self,
        cache: &ExitCache,
        rule: ExitRule,
        costs: &[f64],
        target: f64,
    ) -> Result<Tuned, AssignError> {
        match self {
            TuningRule::Grid => tune_grid(cache, rule, costs, &TuneGoal::aebnas(target)),
            TuningRule::CutPoints => tune_cut_points(cache, rule, costs, &TuneGoal::aebnas(target)),
            TuningRule::MaxAccuracy => tune_max_accuracy(cache, rule, costs, target),
        }
    }
}

/// Why a tuning rule could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown tuning rule {0:?} (grid | cut-points | max-accuracy)")]
pub struct ParseTuningRuleError(pub String);

impl std::str::FromStr for TuningRule {
    type Err = ParseTuningRuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "grid" => Ok(TuningRule::Grid),
            "cut-points" | "cutpoints" => Ok(TuningRule::CutPoints),
            "max-accuracy" => Ok(TuningRule::MaxAccuracy),
            _ => Err(ParseTuningRuleError(s.to_string())),
        }
    }
}
