//! Comparing search methods on one run's settings, as `docs/results.md` does at a larger
//! budget: each method runs with the same dataset, seed, budget and MAC target and with
//! its own paper's choices ([`settings_for`]); runs are scored with one common,
//! normalised reference so that their hypervolumes compare ([`normalised_hv`]), and the
//! hypervolume after each evaluation gives the anytime curve ([`anytime_hv`]).
//!
//! The score follows the rule of the repository: the validation split chooses (each
//! run's Pareto front, the network under the target), the test split only reports. The
//! hypervolume is that of the *test* figures of the run's *validation* front, with MACs
//! divided by `4 × target` and the reference point (error 1, 4 × target), so it lies in
//! `[0, 1]` (Zitzler & Thiele 1998 for the indicator; the normalisation is ours).
//!
//! ```
//! use aebnas::engine::compare::{compared_methods, settings_for};
//! use aebnas::engine::exits::ExitRule;
//! use aebnas::engine::results::SearchSettings;
//! use aebnas::engine::space::Method;
//! # let base: SearchSettings = serde_json::from_str(r#"{"dataset":"mnist","space":"browser",
//! #   "method":"aebnas","mac_target":1e6,"exit_rule":"margin","cost_convention":"cumulative",
//! #   "tuning":"grid","predictor":"mlp","objectives":"aebnas","n_doe":8,"iterations":3,
//! #   "per_iter":8,"epochs":1,"supernet_epochs":0,"seed":3,"backend":"cpu"}"#).unwrap();
//! assert_eq!(compared_methods(Method::Aebnas),
//!            [Method::Edanas, Method::Nachos, Method::Sdn, Method::Random]);
//! let sdn = settings_for(&base, Method::Sdn);
//! assert_eq!((sdn.method, sdn.exit_rule, sdn.seed), (Method::Sdn, ExitRule::MaxSoftmax, 3));
//! ```

use super::hypervolume::hypervolume_2d;
use super::objectives::ObjectiveSet;
use super::results::{CandidateRecord, RunResults, SearchSettings};
use super::search::{best_under_target, pareto_indices};
use super::space::Method;
use super::surrogate::SurrogateKind;
use super::tuning::TuningRule;

/// The reference point's MACs, in MAC targets (MACs are divided by this many targets).
pub const REFERENCE_TARGETS: f64 = 4.0;

/// The methods to compare a run of `own` with: every other method, in [`Method::ALL`]
/// order.
pub fn compared_methods(own: Method) -> Vec<Method> {
    Method::ALL.into_iter().filter(|&m| m != own).collect()
}

/// `base` run by `method` with its own paper's choices, everything else kept (dataset,
/// space, MAC target, cost convention, budget, supernet, seed, backend): the method's
/// confidence rule (max softmax for SDN, else margin), threshold tuning, predictor and
/// objectives (EDANAS's for EDANAS), as the command line picks them.
pub fn settings_for(base: &SearchSettings, method: Method) -> SearchSettings {
    SearchSettings {
        method,
        exit_rule: method.default_exit_rule(),
        tuning: TuningRule::default_for(method),
        predictor: SurrogateKind::default_for(method),
        objectives: ObjectiveSet::default_for(method),
        ..base.clone()
    }
}

/// Whether two runs answer the same comparison: equal settings but for the method's own
/// choices and the backend the worker reported.
pub fn same_problem(a: &SearchSettings, b: &SearchSettings) -> bool {
    let strip = |s: &SearchSettings| SearchSettings {
        backend: String::new(),
        ..settings_for(s, Method::Aebnas)
    };
    strip(a) == strip(b)
}

/// Hypervolume of the test figures of the validation front of `archive`, with MACs in
/// units of `4 × target` and the reference point (1, 1): in `[0, 1]`, 0 for no candidate.
pub fn normalised_hv(archive: &[CandidateRecord], target: f64) -> f64 {
    let scale = REFERENCE_TARGETS * target;
    if scale.is_nan() || scale <= 0.0 {
        return 0.0;
    }
    let points: Vec<[f64; 2]> = pareto_indices(archive)
        .into_iter()
        .map(|i| &archive[i])
        .map(|c| [1.0 - c.test_accuracy, c.test_avg_macs / scale])
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .collect();
    hypervolume_2d(&points, [1.0, 1.0])
}

/// [`normalised_hv`] of the first `k` evaluated candidates, for `k = 1..=archive.len()`:
/// `(k, hv)` (the anytime curve; not monotone, since a new validation point can push a
/// test-better one off the front).
pub fn anytime_hv(run: &RunResults) -> Vec<(usize, f64)> {
    let target = run.settings.mac_target;
    (1..=run.archive.len())
        .map(|k| (k, normalised_hv(&run.archive[..k], target)))
        .collect()
}

/// The network a run chose under its MAC target on validation, with its test score.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    /// Archive position.
    pub index: usize,
    /// Validation accuracy (what chose it).
    pub val_accuracy: f64,
    /// Test accuracy (reported).
    pub test_accuracy: f64,
    /// Test average MACs.
    pub test_avg_macs: f64,
}

/// One run's figures in a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodFigures {
    /// The run's method.
    pub method: Method,
    /// Candidates evaluated (failed ones not counted).
    pub evaluations: usize,
    /// [`normalised_hv`] of the whole archive.
    pub hv: f64,
    /// [`anytime_hv`].
    pub curve: Vec<(usize, f64)>,
    /// The validation front as `(validation avg MACs, validation accuracy)`, by MACs.
    pub front: Vec<(f64, f64)>,
    /// The network chosen under the target, if one fits.
    pub chosen: Option<Chosen>,
}

/// The figures of `run` in a comparison.
pub fn figures(run: &RunResults) -> MethodFigures {
    let archive = &run.archive;
    let curve = anytime_hv(run);
    let chosen = best_under_target(archive, run.settings.mac_target).map(|index| {
        let c = &archive[index];
        Chosen {
            index,
            val_accuracy: c.val_accuracy,
            test_accuracy: c.test_accuracy,
            test_avg_macs: c.test_avg_macs,
        }
    });
    MethodFigures {
        method: run.settings.method,
        evaluations: archive.len(),
        hv: curve.last().map_or(0.0, |p| p.1),
        front: pareto_indices(archive)
            .into_iter()
            .map(|i| (archive[i].val_avg_macs, archive[i].val_accuracy))
            .collect(),
        curve,
        chosen,
    }
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
