//! The versioned results schema of a search run ("runs are data"): written by the CLI
//! after every evaluation, read and written by the app, continued by `--resume`.
//!
//! Top-level keys: `version`, `settings`, `archive`, `iterations`, `pareto_front`.
//! Accuracies are fractions in `[0, 1]`; MACs are per-sample multiply-accumulates of conv
//! and linear layers.

use serde::{Deserialize, Serialize};

use super::exits::ExitRule;
use super::genome::Genome;
use super::objectives::ObjectiveSet;
use super::space::Method;

/// Version of this schema; readers refuse newer versions with a clear message.
pub const RESULTS_VERSION: u32 = 1;

pub use super::cost::CostConvention;

impl CostConvention {
    /// Name as used on the command line and in links.
    pub fn name(self) -> &'static str {
        match self {
            CostConvention::Cumulative => "cumulative",
            CostConvention::TakenHead => "taken_head",
        }
    }
}

impl std::str::FromStr for CostConvention {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "cumulative" => Ok(CostConvention::Cumulative),
            "taken_head" | "taken-head" => Ok(CostConvention::TakenHead),
            _ => Err(format!(
                "unknown cost convention {s:?} (cumulative | taken_head)"
            )),
        }
    }
}

/// Everything that defines a run (the same settings give the same run on the CPU backend).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchSettings {
    /// Dataset id (`fashion-mnist`, `mnist`) or file name of a user dataset.
    pub dataset: String,
    /// Search space preset (`browser` or `paper`).
    pub space: String,
    /// Search method.
    pub method: Method,
    /// MAC target `T`.
    pub mac_target: f64,
    /// Confidence rule of the exits.
    pub exit_rule: ExitRule,
    /// Exit cost convention.
    pub cost_convention: CostConvention,
    /// Objective pair minimised by NSGA-II.
    pub objectives: ObjectiveSet,
    /// Random genomes evaluated first (design of experiments).
    pub n_doe: usize,
    /// Surrogate-assisted iterations after the DOE.
    pub iterations: usize,
    /// Candidates trained per iteration (`K`).
    pub per_iter: usize,
    /// Fine-tuning epochs per candidate.
    pub epochs: usize,
    /// Epochs of supernet training (0 = candidates train from scratch).
    pub supernet_epochs: usize,
    /// Cap on training samples per epoch (`None` = all).
    pub train_samples: Option<usize>,
    /// Seed of everything.
    pub seed: u64,
    /// Backend the run trained on (`cpu`, `wgpu`, `webgpu`).
    pub backend: String,
}

/// One evaluated candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateRecord {
    /// Canonical genome.
    pub genome: Genome,
    /// Method that proposed it.
    pub method: Method,
    /// Iteration that proposed it (0 = DOE).
    pub iteration: usize,
    /// Tuned thresholds, one per enabled early exit.
    pub thresholds: Vec<f32>,
    /// Confidence rule.
    pub exit_rule: ExitRule,
    /// Stage index after which each enabled early exit sits.
    pub exit_positions: Vec<usize>,
    /// Test accuracy with early exits at the tuned thresholds, in `[0, 1]`.
    pub accuracy: f64,
    /// Test accuracy of the final classifier for every sample.
    pub final_exit_accuracy: f64,
    /// Average MACs on the test set, `Σ r_i M_i`.
    pub avg_macs: f64,
    /// Fraction of test samples leaving at each exit (enabled exits then final).
    pub exit_rates: Vec<f64>,
    /// Cost `M_i` of each exit in the run's convention.
    pub exit_costs: Vec<f64>,
    /// Accuracy of the samples leaving at each exit (`None` when none leave there).
    pub exit_accuracies: Vec<Option<f64>>,
    /// Validation accuracy and avg MACs at the tuned thresholds.
    pub val_accuracy: f64,
    /// Validation average MACs.
    pub val_avg_macs: f64,
    /// Seconds spent training this candidate.
    pub train_seconds: f64,
    /// Surrogate predictions `[accuracy, avg_macs]` when it was proposed (none for DOE).
    pub predicted: Option<[f64; 2]>,
}

/// What one iteration achieved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterationRecord {
    /// 0 = DOE.
    pub iteration: usize,
    /// Archive size after the iteration.
    pub evaluations: usize,
    /// Hypervolume of (error, avg MACs) w.r.t. the run's reference point.
    pub hypervolume: f64,
    /// Held-out Kendall τ of the accuracy surrogate (`None` for DOE).
    pub tau_accuracy: Option<f64>,
    /// Held-out Kendall τ of the avg-MACs surrogate.
    pub tau_macs: Option<f64>,
}

/// A whole run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    /// Schema version ([`RESULTS_VERSION`]).
    pub version: u32,
    /// Settings of the run.
    pub settings: SearchSettings,
    /// Every evaluated candidate, in evaluation order.
    pub archive: Vec<CandidateRecord>,
    /// One record per finished iteration.
    pub iterations: Vec<IterationRecord>,
    /// Indices into `archive` of the non-dominated (error, avg MACs) candidates.
    pub pareto_front: Vec<usize>,
    /// Hypervolume reference point `[error, avg MACs]` (AEBNAS rule; fixed after DOE).
    pub reference_point: Option<[f64; 2]>,
    /// Wall-clock seconds spent so far.
    pub wall_seconds: f64,
    /// Candidates whose evaluation failed (diverged training, …), in evaluation order:
    /// not in `archive`, but counted among the run's evaluations so a resume skips them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedCandidate>,
}

/// Whether every value is finite.
fn all_finite(values: impl IntoIterator<Item = f64>) -> bool {
    values.into_iter().all(f64::is_finite)
}

impl RunResults {
    /// The first number that is not finite, named (`None` when all are).
    fn non_finite(&self) -> Option<String> {
        let s = &self.settings;
        if !all_finite([s.mac_target, self.wall_seconds]) {
            return Some("the MAC target or the wall time".into());
        }
        if !all_finite(self.reference_point.into_iter().flatten()) {
            return Some("the hypervolume reference point".into());
        }
        for (i, c) in self.archive.iter().enumerate() {
            let scalars = [
                c.accuracy,
                c.final_exit_accuracy,
                c.avg_macs,
                c.val_accuracy,
                c.val_avg_macs,
                c.train_seconds,
            ];
            let vectors = (c.thresholds.iter().map(|&t| t as f64))
                .chain(c.exit_rates.iter().copied())
                .chain(c.exit_costs.iter().copied())
                .chain(c.exit_accuracies.iter().flatten().copied())
                .chain(c.predicted.into_iter().flatten());
            if !all_finite(scalars) || !all_finite(vectors) {
                return Some(format!("a value of candidate {}", i + 1));
            }
        }
        for r in &self.iterations {
            let values = [r.hypervolume]
                .into_iter()
                .chain(r.tau_accuracy)
                .chain(r.tau_macs);
            if !all_finite(values) {
                return Some(format!("a value of iteration {}", r.iteration));
            }
        }
        None
    }
}

/// A proposed candidate whose evaluation failed; the search went on without it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FailedCandidate {
    /// Its position among the run's evaluations (`0..n_doe + iterations · per_iter`).
    pub slot: usize,
    /// Iteration that proposed it (0 = DOE).
    pub iteration: usize,
    /// Its canonical genome.
    pub genome: Genome,
    /// Why it failed, one sentence (e.g. the training loss became NaN at step 12).
    pub reason: String,
}

/// Why a results document was refused.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// Not JSON of this schema.
    #[error("not a results file: {0}")]
    Parse(String),
    /// Written by a newer version of the tool.
    #[error("results version {0} is newer than this tool understands ({RESULTS_VERSION})")]
    FutureVersion(u32),
    /// Internally inconsistent.
    #[error("invalid results: {0}")]
    Invalid(String),
}

impl RunResults {
    /// An empty run.
    pub fn new(settings: SearchSettings) -> Self {
        Self {
            version: RESULTS_VERSION,
            settings,
            archive: Vec::new(),
            iterations: Vec::new(),
            pareto_front: Vec::new(),
            reference_point: None,
            wall_seconds: 0.0,
            failed: Vec::new(),
        }
    }

    /// Evaluations made so far: the archive plus the failed candidates.
    pub fn evaluations_done(&self) -> usize {
        self.archive.len() + self.failed.len()
    }

    /// Archive position of evaluation `slot` (the failed slots before it are skipped).
    pub fn archive_position(&self, slot: usize) -> usize {
        slot - self.failed.iter().filter(|f| f.slot < slot).count()
    }

    /// Parses and validates a results document.
    pub fn from_json(text: &str) -> Result<Self, ResultsError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ResultsError::Parse(e.to_string()))?;
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version > RESULTS_VERSION {
            return Err(ResultsError::FutureVersion(version));
        }
        let run: RunResults =
            serde_json::from_value(value).map_err(|e| ResultsError::Parse(e.to_string()))?;
        run.validate()?;
        Ok(run)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the invariants a reader relies on: consistent lengths, accuracies in
    /// `[0, 1]`, and every number finite (JSON has no infinity: a value that overflowed
    /// on reading would be written back as `null` and the run could not be read again).
    pub fn validate(&self) -> Result<(), ResultsError> {
        if let Some(what) = self.non_finite() {
            return Err(ResultsError::Invalid(format!(
                "{what} is not a finite number"
            )));
        }
        for (i, c) in self.archive.iter().enumerate() {
            let e = c.exit_rates.len();
            if c.exit_costs.len() != e
                || c.exit_accuracies.len() != e
                || c.thresholds.len() + 1 != e
            {
                return Err(ResultsError::Invalid(format!(
                    "candidate {i}: exit vectors of different lengths"
                )));
            }
            if !(0.0..=1.0).contains(&c.accuracy) || !c.avg_macs.is_finite() {
                return Err(ResultsError::Invalid(format!(
                    "candidate {i}: accuracy or avg MACs out of range"
                )));
            }
        }
        let done = self.evaluations_done();
        for (k, f) in self.failed.iter().enumerate() {
            if f.slot >= done || (k > 0 && f.slot <= self.failed[k - 1].slot) {
                return Err(ResultsError::Invalid(format!(
                    "failed candidate {k}: position {} is out of order or beyond the {done} evaluations",
                    f.slot
                )));
            }
        }
        if let Some(&bad) = self.pareto_front.iter().find(|&&i| i >= self.archive.len()) {
            return Err(ResultsError::Invalid(format!(
                "pareto_front index {bad} is outside the archive"
            )));
        }
        Ok(())
    }
}
