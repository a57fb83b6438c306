//! Reading a results document: parsing, refusing newer versions, checking the invariants
//! a reader relies on, and bringing version-1 files up to this version.
//!
//! Version 1 files named the test figures `accuracy`, `avg_macs`, `final_exit_accuracy`,
//! `exit_rates` and `exit_accuracies` (thresholds were tuned on validation then too, and
//! `val_accuracy` / `val_avg_macs` held the validation figures at those thresholds); they
//! are read into the `test_*` fields. Version 1 has no per-exit validation rates and no
//! tuning rule: `val_exit_rates` reads empty and `settings.tuning` as all cut points, the
//! rule every version-1 run used. Its Pareto front, reference point and hypervolumes were
//! computed on the test figures; reading recomputes them from the validation figures.

use super::{RunResults, RESULTS_VERSION};

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
                c.test_accuracy,
                c.test_final_exit_accuracy,
                c.test_avg_macs,
                c.val_accuracy,
                c.val_avg_macs,
                c.train_seconds,
            ];
            let vectors = (c.thresholds.iter().map(|&t| t as f64))
                .chain(c.val_exit_rates.iter().copied())
                .chain(c.test_exit_rates.iter().copied())
                .chain(c.exit_costs.iter().copied())
                .chain(c.test_exit_accuracies.iter().flatten().copied())
                .chain(c.predicted.into_iter().flatten())
                .chain(
                    c.val_tuned
                        .iter()
                        .flat_map(|v| v.thresholds.iter().map(|&t| t as f64)),
                );
            if !all_finite(scalars) || !all_finite(vectors) {
                return Some(format!("a value of candidate {}", i + 1));
            }
        }
        for r in &self.iterations {
            let values = [r.hypervolume]
                .into_iter()
                .chain(r.tau_accuracy)
                .chain(r.tau_macs)
                .chain(
                    r.predictor_taus
                        .iter()
                        .flat_map(|p| p.accuracy.into_iter().chain(p.macs)),
                );
            if !all_finite(values) {
                return Some(format!("a value of iteration {}", r.iteration));
            }
        }
        None
    }

    /// Parses and validates a results document.
    pub fn from_json(text: &str) -> Result<Self, ResultsError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ResultsError::Parse(e.to_string()))?;
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version > RESULTS_VERSION {
            return Err(ResultsError::FutureVersion(version));
        }
        let mut run: RunResults =
            serde_json::from_value(value).map_err(|e| ResultsError::Parse(e.to_string()))?;
        run.validate()?;
        if run.version < RESULTS_VERSION {
            run.choose_on_validation();
        }
        Ok(run)
    }

    /// Recomputes what a version-1 file chose on its test figures — the Pareto front, the
    /// reference point and every iteration's hypervolume — from its validation figures,
    /// and marks the run as this version.
    fn choose_on_validation(&mut self) {
        use crate::engine::hypervolume::aebnas_reference;
        use crate::engine::search::{archive_hypervolume, error_macs, pareto_indices};
        self.version = RESULTS_VERSION;
        self.pareto_front = pareto_indices(&self.archive);
        let n_doe = self.settings.n_doe.min(self.archive.len());
        let doe: Vec<[f64; 2]> = self.archive[..n_doe].iter().map(error_macs).collect();
        self.reference_point = aebnas_reference(&doe);
        for it in &mut self.iterations {
            let end = it.evaluations.min(self.archive.len());
            it.hypervolume = self
                .reference_point
                .map_or(0.0, |r| archive_hypervolume(&self.archive[..end], r));
        }
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
            let e = c.test_exit_rates.len();
            if c.exit_costs.len() != e
                || c.test_exit_accuracies.len() != e
                || c.thresholds.len() + 1 != e
                || !(c.val_exit_rates.is_empty() || c.val_exit_rates.len() == e)
            {
                return Err(ResultsError::Invalid(format!(
                    "candidate {i}: exit vectors of different lengths"
                )));
            }
            let in_range = |a: f64, m: f64| (0.0..=1.0).contains(&a) && m.is_finite();
            if !in_range(c.val_accuracy, c.val_avg_macs)
                || !in_range(c.test_accuracy, c.test_avg_macs)
            {
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
