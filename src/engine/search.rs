//! The AEBNAS search loop and its baselines, pure Rust (docs/method.md, § Search loop).
//!
//! [`run_search`] drives one run, MSuNAS / NSGANetV2 style:
//! 1. **DOE**: `n_doe` random genomes (seeded, canonical, unique, decodable, at least one
//!    early exit) are evaluated; the hypervolume reference point is then fixed at the AEBNAS
//!    rule, `1.01 ×` the column-wise max of the DOE archive's `(error, avg MACs)`.
//! 2. **Iterations** `1..=iterations`: fit two surrogates (accuracy; `ln` avg MACs — avg
//!    MACs depends on the measured exit rates, so it is predicted too) with the run's
//!    predictor (MLP, RBF or ridge) on the archive and record their held-out Kendall τ;
//!    run NSGA-II on the surrogate objectives (`settings.objectives`) seeded with the archive's non-dominated set, archive
//!    duplicates excluded, genes the method does not search kept canonical; pick
//!    `per_iter` candidates spread along `f2`; evaluate them; push an
//!    [`IterationRecord`](super::results::IterationRecord) with the hypervolume (fixed
//!    reference, growing archive: it never decreases) and every predictor's Kendall τ on
//!    the new candidates (each fitted on the archive before them).
//! 3. **`random`**: the same number of evaluations (`n_doe + iterations·per_iter`) of
//!    random genomes, grouped into the same iterations, no surrogate.
//!
//! A candidate whose evaluation fails ([`EvalError::Failed`]: diverged training, …) is
//! recorded in `run.failed` with the reason and the loop goes on; it still counts as one
//! of the run's evaluations. Only [`EvalError::DeviceLost`] stops the run.
//!
//! After every evaluation the Pareto front (non-dominated validation `(error, avg MACs)`,
//! `error = 1 − val accuracy`) is recomputed and `on_event(Evaluated, run)` is called — the CLI
//! checkpoints there.
//!
//! **Resume**: proposals depend only on the settings, the seed and the archive evaluated
//! *before* the iteration (surrogate inputs are rounded to 9 significant digits so that a
//! JSON round trip cannot change them), so rerunning on an archive that already holds
//! `k` evaluations reproduces the same proposals, checks them against the archive in order
//! and evaluates only the missing ones. `on_event` returning `false` stops cleanly.
//!
//! **Each effective network once**: a genome whose decoded architecture (the thresholds
//! are tuned from it, by the run's tuning rule) matches one already evaluated or proposed
//! is passed over before training; the iteration record's `duplicates_skipped` counts
//! them.
//!
//! **Validation chooses**: the surrogates' targets, NSGA-II's seeds, the reference point,
//! the hypervolume and the Pareto front read only the candidates' `val_*` figures; the
//! `test_*` figures ride along for the report.
//!
//! **Ask and tell**: the loop is two pure steps, [`plan_iteration`] / [`propose`] (the
//! genomes of the next slots) and [`tell`] (outcomes into the run), so a scheduler other
//! than [`run_search`] — the CLI's parallel jobs, `aebnas propose` / `evaluate` / `tell`,
//! a cluster — drives the same run.
//!
//! No clock, no IO: the caller keeps `wall_seconds`.

#[cfg(test)]
#[path = "search_dedup_tests.rs"]
mod dedup_tests;
#[cfg(test)]
#[path = "search_failed_tests.rs"]
mod failed_tests;
#[path = "search_propose.rs"]
mod propose;
#[path = "search_steps.rs"]
mod steps;
#[cfg(test)]
#[path = "search_steps_tests.rs"]
mod steps_tests;
#[path = "search_synthetic.rs"]
pub mod synthetic;
#[path = "search_tell.rs"]
mod tell;
#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
#[cfg(test)]
#[path = "search_val_tests.rs"]
mod val_tests;

use std::future::Future;

use super::genome::Genome;
use super::hypervolume::hypervolume_2d;
use super::nsga2::{non_dominated_sort, Nsga2Error};
use super::results::{CandidateRecord, RunResults, SearchSettings};
use super::space::{Method, SearchSpace};

pub use propose::{doe_genomes, nsga2_budget};
pub use steps::{check_run, iteration_of_slot, iteration_slots, plan_iteration};
pub use steps::{IterationPlan, Proposal};
pub use tell::{done_genome, finish_iteration, propose, record, tell};
pub use tell::{AskTell, Outcome, TellError};

/// Trains, tunes and evaluates candidates (the browser's and the CLI's model pipeline, or
/// a synthetic stand-in in tests).
pub trait Evaluator {
    /// Trains + tunes + evaluates one canonical genome; returns its record. The loop sets
    /// `iteration`, `method` and `predicted` afterwards.
    fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> impl Future<Output = Result<CandidateRecord, EvalError>>;
}

/// Why an evaluation returned no record.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// This candidate cannot be evaluated (its training diverged, its genome does not
    /// build, …): it is recorded as failed and the search goes on.
    #[error("{0}")]
    Failed(String),
    /// A pause was requested during the evaluation: the run stops cleanly, nothing recorded.
    #[error("evaluation cancelled")]
    Cancelled,
    /// The compute device is gone: the run stops (the caller may continue on another).
    #[error("the compute device was lost: {0}")]
    DeviceLost(String),
}

/// Progress of a run, reported to `on_event`.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchEvent {
    /// The loop starts; `done` evaluations are already in the archive (resume).
    Started {
        /// Evaluations the whole run makes.
        total: usize,
        /// Evaluations already in the archive.
        done: usize,
    },
    /// Evaluation `index` (0-based position among the run's evaluations) is about to run.
    Evaluating {
        /// Position among the run's evaluations (the archive position when none failed).
        index: usize,
        /// Evaluations the whole run makes.
        total: usize,
        /// Iteration that proposed it (0 = DOE).
        iteration: usize,
        /// The canonical genome.
        genome: Genome,
        /// Surrogate predictions `[accuracy, avg MACs]` (none for DOE and `random`).
        predicted: Option<[f64; 2]>,
    },
    /// Candidate `index` is in the archive and the Pareto front is up to date.
    Evaluated {
        /// Archive position.
        index: usize,
        /// Evaluations the whole run makes.
        total: usize,
    },
    /// Evaluation `slot` failed and was recorded in `run.failed`; the loop goes on.
    Failed {
        /// Position among the run's evaluations.
        slot: usize,
        /// Evaluations the whole run makes.
        total: usize,
        /// Why.
        reason: String,
    },
    /// An iteration finished (0 = DOE) and its record was pushed.
    IterationDone {
        /// Iteration number.
        iteration: usize,
        /// Hypervolume of `(error, avg MACs)` after it.
        hypervolume: f64,
        /// Proposals passed over because their effective network was already evaluated.
        duplicates_skipped: usize,
    },
    /// Every evaluation is done.
    Finished,
}

/// Why a search could not run or continue (what is already in the archive stays valid).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Settings that cannot describe a run.
    #[error("invalid search settings: {0}")]
    Settings(String),
    /// The archive being resumed was not produced by these settings.
    #[error("cannot resume: archive entry {index} holds genome {found}, but these settings propose {expected}")]
    ResumeMismatch {
        /// Archive position.
        index: usize,
        /// Genome the loop proposes there.
        expected: Genome,
        /// Genome found in the archive.
        found: Genome,
    },
    /// The compute device was lost while evaluating a candidate.
    #[error("evaluating candidate {} ({genome}): the compute device was lost: {message}", index + 1)]
    DeviceLost {
        /// Its position among the run's evaluations.
        index: usize,
        /// Its genome.
        genome: Genome,
        /// The evaluator's message.
        message: String,
    },
    /// NSGA-II could not run.
    #[error("NSGA-II: {0}")]
    Nsga2(#[from] Nsga2Error),
    /// Every candidate of the design of experiments failed: there is nothing to learn from.
    #[error("all {count} candidates of the design of experiments failed; the first: {reason}")]
    AllFailed {
        /// Failed candidates.
        count: usize,
        /// The first one's reason.
        reason: String,
    },
    /// The space has too few distinct genomes for the requested evaluations.
    #[error("the search space has too few distinct valid genomes for {0} evaluations")]
    Exhausted(usize),
}

/// Evaluations a run makes: `n_doe + iterations · per_iter` (every method).
/// Saturating: settings read from a file cannot overflow it (wasm32's `usize` is 32 bits).
pub fn total_evaluations(s: &SearchSettings) -> usize {
    s.n_doe
        .saturating_add(s.iterations.saturating_mul(s.per_iter))
}

/// Checks that `s` describes a run in `space`.
pub fn validate_settings(s: &SearchSettings, space: &SearchSpace) -> Result<(), SearchError> {
    let bad = |m: &str| Err(SearchError::Settings(m.to_string()));
    if !(s.mac_target.is_finite() && s.mac_target > 0.0) {
        return bad("the MAC target must be a positive number");
    }
    if s.n_doe == 0 {
        return bad("the DOE needs at least one genome (--doe ≥ 1)");
    }
    if s.method != Method::Random && s.iterations > 0 && s.per_iter == 0 {
        return bad("iterations need at least one candidate each (--per-iter ≥ 1)");
    }
    if space.name != s.space {
        return bad(&format!(
            "settings name space '{}', got '{}'",
            s.space, space.name
        ));
    }
    Ok(())
}

/// `(error, avg MACs)` of a candidate on validation, `error = 1 − val accuracy`: the only
/// figures the search chooses by (test figures are reported, never compared).
pub fn error_macs(c: &CandidateRecord) -> [f64; 2] {
    c.val_error_macs()
}

/// Indices of the non-dominated validation `(error, avg MACs)` candidates, by validation
/// avg MACs ascending.
pub fn pareto_indices(archive: &[CandidateRecord]) -> Vec<usize> {
    let objs: Vec<Vec<f64>> = archive.iter().map(|c| error_macs(c).to_vec()).collect();
    let mut front = non_dominated_sort(&objs)
        .into_iter()
        .next()
        .unwrap_or_default();
    front.sort_by(|&a, &b| {
        archive[a]
            .val_avg_macs
            .total_cmp(&archive[b].val_avg_macs)
            .then(a.cmp(&b))
    });
    front
}

/// The candidate validation chooses under a MAC target: the highest validation accuracy
/// among those with validation avg MACs ≤ `target` (the earliest on ties).
pub fn best_under_target(archive: &[CandidateRecord], target: f64) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, c) in archive.iter().enumerate() {
        if c.val_avg_macs <= target && best.is_none_or(|b| c.val_accuracy > archive[b].val_accuracy)
        {
            best = Some(i);
        }
    }
    best
}

/// Hypervolume of `archive`'s validation `(error, avg MACs)` w.r.t. `reference`.
pub fn archive_hypervolume(archive: &[CandidateRecord], reference: [f64; 2]) -> f64 {
    let pts: Vec<[f64; 2]> = archive.iter().map(error_macs).collect();
    hypervolume_2d(&pts, reference)
}

/// Runs (or resumes) the search described by `run.settings`, appending to `run`: for
/// each iteration, [`plan_iteration`] (ask), the evaluator on the slots without an
/// outcome, [`record`] and [`finish_iteration`] (tell).
/// `on_event` returning `false` stops after the current step with `Ok(())`.
pub async fn run_search<E: Evaluator>(
    run: &mut RunResults,
    space: &SearchSpace,
    evaluator: &mut E,
    on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
) -> Result<(), SearchError> {
    let total = check_run(run, space)?;
    run.pareto_front = pareto_indices(&run.archive);
    let started = SearchEvent::Started {
        total,
        done: run.evaluations_done(),
    };
    if !on_event(&started, run) {
        return Ok(());
    }
    for it in 0..=run.settings.iterations {
        let plan = plan_iteration(space, run, it)?;
        if !evaluate_plan(run, evaluator, on_event, &plan).await? {
            return Ok(());
        }
        let done = finish_iteration(space, run, &plan);
        if !on_event(&done, run) {
            return Ok(());
        }
    }
    on_event(&SearchEvent::Finished, run);
    Ok(())
}

/// Evaluates the proposals of `plan` that have no outcome yet, checking that those with
/// one hold the same genome. `Ok(false)` = stopped by `on_event` or cancelled.
async fn evaluate_plan<E: Evaluator>(
    run: &mut RunResults,
    evaluator: &mut E,
    on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
    plan: &IterationPlan,
) -> Result<bool, SearchError> {
    let total = total_evaluations(&run.settings);
    let method = run.settings.method;
    for p in &plan.proposals {
        if let Some(found) = done_genome(run, p.slot) {
            if *found != p.genome {
                return Err(SearchError::ResumeMismatch {
                    index: p.slot,
                    expected: p.genome.clone(),
                    found: found.clone(),
                });
            }
            continue;
        }
        let ev = SearchEvent::Evaluating {
            index: p.slot,
            total,
            iteration: p.iteration,
            genome: p.genome.clone(),
            predicted: p.predicted,
        };
        if !on_event(&ev, run) {
            return Ok(false);
        }
        let outcome = match evaluator.evaluate(&p.genome, method).await {
            Ok(rec) => Outcome::Evaluated(Box::new(rec)),
            Err(EvalError::Failed(reason)) => Outcome::Failed(reason),
            Err(EvalError::Cancelled) => return Ok(false),
            Err(EvalError::DeviceLost(message)) => {
                return Err(SearchError::DeviceLost {
                    index: p.slot,
                    genome: p.genome.clone(),
                    message,
                })
            }
        };
        let ev = record(run, p, outcome);
        if !on_event(&ev, run) {
            return Ok(false);
        }
    }
    Ok(true)
}
