//! The versioned results schema of a search run ("runs are data"): written by the CLI
//! after every evaluation, read and written by the app, continued by `--resume`.
//!
//! Top-level keys: `version`, `settings`, `archive`, `iterations`, `pareto_front`.
//! Accuracies are fractions in `[0, 1]`; MACs are per-sample multiply-accumulates of conv
//! and linear layers.
//!
//! **Validation chooses, test reports.** Every choice a run makes — threshold tuning, the
//! surrogates' training targets, NSGA-II's seeds, the Pareto front, the hypervolume, "best
//! under the target" — reads a candidate's `val_*` figures (the validation split, on which
//! its thresholds were tuned). The `test_*` figures are measured on the test split at the
//! same thresholds and are only reported.
//!
//! Reading a document (old versions, validation) is in `results/read.rs`; the [`ResultsError`] it
//! returns is re-exported here.

use serde::{Deserialize, Serialize};

use super::exits::ExitRule;
use super::genome::Genome;
use super::objectives::ObjectiveSet;
use super::space::{Method, SpacePreset};
use super::surrogate::SurrogateKind;
use super::tuning::TuningRule;

/// Version of this schema; readers refuse newer versions with a clear message.
pub const RESULTS_VERSION: u32 = 2;

mod read;
pub use read::ResultsError;

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
    pub space: SpacePreset,
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
    /// Predictor the surrogate-assisted iterations use (files that name none: RBF, the
    /// only one before).
    #[serde(default)]
    pub predictor: SurrogateKind,
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
    /// Where the candidates' backbone weights come from (files without it: the run's own).
    #[serde(default)]
    pub supernet: SupernetSource,
    /// How each candidate's thresholds are tuned on the validation split (version-1 files:
    /// all cut points).
    #[serde(default = "TuningRule::legacy")]
    pub tuning: TuningRule,
    /// Cap on training samples per epoch (`None` = all).
    pub train_samples: Option<usize>,
    /// Seed of everything.
    pub seed: u64,
    /// Backend the run trained on (`cpu`, `wgpu`, `webgpu`).
    pub backend: String,
}

/// Where a run's candidates get their backbone weights (docs/method.md, § Supernet and
/// weight sharing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupernetSource {
    /// The run's own: a supernet it trains first when `supernet_epochs > 0`, else every
    /// candidate trains from scratch.
    #[default]
    Own,
    /// The pre-trained supernet shipped for the dataset (`www/data/<id>-supernet.bpk`).
    Shipped,
    /// A supernet file, by name.
    File(String),
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
    /// Validation accuracy with early exits at the tuned thresholds, in `[0, 1]` (what the
    /// search optimises).
    pub val_accuracy: f64,
    /// Validation average MACs `Σ r_i M_i` at the tuned thresholds (what the search
    /// optimises).
    pub val_avg_macs: f64,
    /// Fraction of validation samples leaving at each exit (enabled exits then final;
    /// empty in version-1 files).
    #[serde(default)]
    pub val_exit_rates: Vec<f64>,
    /// Test accuracy at the tuned thresholds (reported, never used to choose).
    #[serde(alias = "accuracy")]
    pub test_accuracy: f64,
    /// Test accuracy of the final classifier for every sample.
    #[serde(alias = "final_exit_accuracy")]
    pub test_final_exit_accuracy: f64,
    /// Average MACs on the test set at the tuned thresholds.
    #[serde(alias = "avg_macs")]
    pub test_avg_macs: f64,
    /// Fraction of test samples leaving at each exit (enabled exits then final).
    #[serde(alias = "exit_rates")]
    pub test_exit_rates: Vec<f64>,
    /// Cost `M_i` of each exit in the run's convention, in the deployed network: the head
    /// of an early exit that never fires on validation at the tuned thresholds is dropped
    /// (its threshold is "off") and counts in no later exit's cost.
    pub exit_costs: Vec<f64>,
    /// Accuracy of the test samples leaving at each exit (`None` when none leave there).
    #[serde(alias = "exit_accuracies")]
    pub test_exit_accuracies: Vec<Option<f64>>,
    /// Thresholds every tuning rule and confidence rule gives on the validation split (the
    /// page's tuning buttons; empty in version-1 files).
    #[serde(default)]
    pub val_tuned: Vec<ValTuned>,
    /// Seconds spent training this candidate.
    pub train_seconds: f64,
    /// Surrogate predictions `[accuracy, avg_macs]` when it was proposed (none for DOE).
    pub predicted: Option<[f64; 2]>,
}

/// Thresholds one tuning rule gives under one confidence rule, tuned on validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValTuned {
    /// Tuning rule.
    pub tuning: TuningRule,
    /// Confidence rule.
    pub rule: ExitRule,
    /// Thresholds, one per enabled early exit.
    pub thresholds: Vec<f32>,
}

impl CandidateRecord {
    /// The search's objectives `(error, avg MACs)` on validation, `error = 1 − val accuracy`.
    pub fn val_error_macs(&self) -> [f64; 2] {
        [1.0 - self.val_accuracy, self.val_avg_macs]
    }

    /// Whether early exit `i` is switched off in the deployed network (its threshold is
    /// above every confidence).
    pub fn exit_off(&self, i: usize) -> bool {
        self.thresholds.get(i).is_some_and(|&t| t > 1.0)
    }

    /// The validation-tuned thresholds of `tuning` under `rule`, if recorded.
    pub fn tuned_for(&self, tuning: TuningRule, rule: ExitRule) -> Option<&[f32]> {
        self.val_tuned
            .iter()
            .find(|v| v.tuning == tuning && v.rule == rule)
            .map(|v| v.thresholds.as_slice())
    }
}

/// What one iteration achieved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterationRecord {
    /// 0 = DOE.
    pub iteration: usize,
    /// Archive size after the iteration.
    pub evaluations: usize,
    /// Hypervolume of the validation (error, avg MACs) w.r.t. the run's reference point.
    pub hypervolume: f64,
    /// Cross-validated Kendall τ of the run's accuracy predictor on the archive before the
    /// iteration (`None` for DOE).
    pub tau_accuracy: Option<f64>,
    /// Held-out Kendall τ of the avg-MACs surrogate.
    pub tau_macs: Option<f64>,
    /// Genomes passed over before training because their effective network (decoded
    /// architecture; thresholds are tuned from it) was already in the run. For `random`,
    /// iteration 0 counts every draw.
    #[serde(default)]
    pub duplicates_skipped: usize,
    /// Every predictor's Kendall τ on this iteration's newly evaluated candidates, each
    /// predictor fitted on the archive evaluated before it (validation targets); empty for
    /// the DOE.
    #[serde(default)]
    pub predictor_taus: Vec<PredictorTau>,
}

/// How well one predictor ranked an iteration's new candidates before they were trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictorTau {
    /// The predictor.
    pub predictor: SurrogateKind,
    /// Kendall τ of predicted vs validation accuracy (`None` with fewer than 2 new
    /// candidates).
    pub accuracy: Option<f64>,
    /// Kendall τ of predicted vs validation avg MACs.
    pub macs: Option<f64>,
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
    /// Indices into `archive` of the non-dominated validation (error, avg MACs) candidates.
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

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Settings of one AEBNAS candidate (no search budget) for tests: browser space, margin
/// rule, cumulative costs, MLP, one epoch over every image, seed 1; each test overrides
/// what it is about.
#[cfg(test)]
impl SearchSettings {
    pub fn for_tests(dataset: &str, mac_target: f64, tuning: TuningRule) -> Self {
        SearchSettings {
            dataset: dataset.into(),
            space: SpacePreset::Browser,
            method: Method::Aebnas,
            mac_target,
            exit_rule: ExitRule::Margin,
            cost_convention: CostConvention::Cumulative,
            tuning,
            predictor: SurrogateKind::Mlp,
            objectives: ObjectiveSet::Aebnas,
            n_doe: 1,
            iterations: 0,
            per_iter: 0,
            epochs: 1,
            supernet_epochs: 0,
            supernet: SupernetSource::Own,
            train_samples: None,
            seed: 1,
            backend: "none".into(),
        }
    }
}

#[cfg(test)]
mod tests;
