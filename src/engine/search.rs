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
//!    [`IterationRecord`] with the hypervolume (fixed reference, growing archive: it
//!    never decreases) and every predictor's Kendall τ on the new candidates (each fitted
//!    on the archive before them).
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
//! is passed over before training; [`IterationRecord::duplicates_skipped`] counts them.
//!
//! **Validation chooses**: the surrogates' targets, NSGA-II's seeds, the reference point,
//! the hypervolume and the Pareto front read only the candidates' `val_*` figures; the
//! `test_*` figures ride along for the report.
//!
//! No clock, no IO: the caller keeps `wall_seconds`.

#[cfg(test)]
#[path = "search_dedup_tests.rs"]
mod dedup_tests;
#[cfg(test)]
#[path = "search_failed_tests.rs"]
mod failed_tests;
#[path = "search_macs.rs"]
mod macs;
#[path = "search_propose.rs"]
mod propose;
#[path = "search_synthetic.rs"]
pub mod synthetic;
#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
#[cfg(test)]
#[path = "search_val_tests.rs"]
mod val_tests;

use std::future::Future;

use super::genome::Genome;
use super::hypervolume::{aebnas_reference, hypervolume_2d};
use super::nsga2::{non_dominated_sort, Nsga2Error};
use super::results::{
    CandidateRecord, FailedCandidate, IterationRecord, RunResults, SearchSettings,
};
use super::space::{Method, SearchSpace};

pub use macs::{format_macs, parse_macs, ParseMacsError};
use propose::doe_with_duplicates;
pub use propose::{doe_genomes, nsga2_budget};

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

/// Runs (or resumes) the search described by `run.settings`, appending to `run`.
/// `on_event` returning `false` stops after the current step with `Ok(())`.
pub async fn run_search<E: Evaluator>(
    run: &mut RunResults,
    space: &SearchSpace,
    evaluator: &mut E,
    on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
) -> Result<(), SearchError> {
    let s = run.settings.clone();
    validate_settings(&s, space)?;
    let total = total_evaluations(&s);
    if run.evaluations_done() > total {
        return Err(SearchError::Settings(format!(
            "the run holds {} evaluations, more than the {total} these settings make",
            run.evaluations_done()
        )));
    }
    run.pareto_front = pareto_indices(&run.archive);
    let started = SearchEvent::Started {
        total,
        done: run.evaluations_done(),
    };
    if !on_event(&started, run) {
        return Ok(());
    }
    // Random search draws every genome from the DOE stream; the others only the DOE.
    let (random_all, doe_duplicates) = if s.method == Method::Random {
        doe_with_duplicates(space, &s, total)?
    } else {
        doe_with_duplicates(space, &s, s.n_doe)?
    };
    let mut batch = Batch {
        run,
        space,
        evaluator,
        on_event,
        total,
    };
    let doe: Vec<(Genome, Option<[f64; 2]>)> = random_all[..s.n_doe]
        .iter()
        .map(|g| (g.clone(), None))
        .collect();
    let doe_taus = Taus::default();
    if !batch.evaluate(0, 0, &doe).await? || !batch.finish_iteration(0, doe_taus, doe_duplicates) {
        return Ok(());
    }
    for it in 1..=s.iterations {
        let start = s.n_doe + (it - 1) * s.per_iter;
        let (props, taus, duplicates) = if s.method == Method::Random {
            let g = &random_all[start..start + s.per_iter];
            let props = g.iter().map(|g| (g.clone(), None)).collect();
            (props, Taus::default(), 0)
        } else {
            let before = batch
                .run
                .archive_position(start)
                .min(batch.run.archive.len());
            if before == 0 {
                return Err(SearchError::AllFailed {
                    count: batch.run.failed.len(),
                    reason: batch
                        .run
                        .failed
                        .first()
                        .map_or_else(String::new, |f| f.reason.clone()),
                });
            }
            // Only the failures before this iteration: a resumed run knows later ones too.
            let failed: Vec<Genome> = (batch.run.failed.iter())
                .filter(|f| f.slot < start)
                .map(|f| f.genome.clone())
                .collect();
            let archive = &batch.run.archive[..before];
            let p = propose::surrogate_proposals(space, &s, it, archive, &failed)?;
            let taus = Taus {
                accuracy: p.tau_accuracy,
                macs: p.tau_macs,
            };
            (p.candidates, taus, p.duplicates)
        };
        if !batch.evaluate(it, start, &props).await?
            || !batch.finish_iteration(it, taus, duplicates)
        {
            return Ok(());
        }
    }
    on_event(&SearchEvent::Finished, run);
    Ok(())
}

/// Held-out Kendall τ of an iteration's surrogates (none for the DOE and `random`).
#[derive(Clone, Copy, Debug, Default)]
struct Taus {
    accuracy: Option<f64>,
    macs: Option<f64>,
}

/// The mutable state shared by the loop's steps.
struct Batch<'a, E> {
    run: &'a mut RunResults,
    space: &'a SearchSpace,
    evaluator: &'a mut E,
    on_event: &'a mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
    total: usize,
}

impl<E: Evaluator> Batch<'_, E> {
    /// Evaluates `props` as archive positions `start..`, skipping those already there.
    /// `Ok(false)` = stopped by `on_event`.
    async fn evaluate(
        &mut self,
        iteration: usize,
        start: usize,
        props: &[(Genome, Option<[f64; 2]>)],
    ) -> Result<bool, SearchError> {
        let method = self.run.settings.method;
        for (j, (genome, predicted)) in props.iter().enumerate() {
            let index = start + j;
            if let Some(found) = self.done_genome(index) {
                if found != genome {
                    return Err(SearchError::ResumeMismatch {
                        index,
                        expected: genome.clone(),
                        found: found.clone(),
                    });
                }
                continue;
            }
            let ev = SearchEvent::Evaluating {
                index,
                total: self.total,
                iteration,
                genome: genome.clone(),
                predicted: *predicted,
            };
            if !(self.on_event)(&ev, self.run) {
                return Ok(false);
            }
            let ev = match self.evaluator.evaluate(genome, method).await {
                Ok(mut rec) => {
                    rec.genome = genome.clone();
                    rec.method = method;
                    rec.iteration = iteration;
                    rec.predicted = *predicted;
                    self.run.archive.push(rec);
                    self.run.pareto_front = pareto_indices(&self.run.archive);
                    SearchEvent::Evaluated {
                        index: self.run.archive.len() - 1,
                        total: self.total,
                    }
                }
                Err(EvalError::Failed(reason)) => {
                    self.run.failed.push(FailedCandidate {
                        slot: index,
                        iteration,
                        genome: genome.clone(),
                        reason: reason.clone(),
                    });
                    SearchEvent::Failed {
                        slot: index,
                        total: self.total,
                        reason,
                    }
                }
                Err(EvalError::Cancelled) => return Ok(false),
                Err(EvalError::DeviceLost(message)) => {
                    return Err(SearchError::DeviceLost {
                        index,
                        genome: genome.clone(),
                        message,
                    })
                }
            };
            if !(self.on_event)(&ev, self.run) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The genome already evaluated (or failed) at position `slot`, if any.
    fn done_genome(&self, slot: usize) -> Option<&Genome> {
        if let Some(f) = self.run.failed.iter().find(|f| f.slot == slot) {
            return Some(&f.genome);
        }
        if slot >= self.run.evaluations_done() {
            return None;
        }
        let pos = self.run.archive_position(slot);
        self.run.archive.get(pos).map(|c| &c.genome)
    }

    /// Fixes the reference point after the DOE, records iteration `it`'s hypervolume over
    /// the archive evaluated up to its end; `false` = stopped by `on_event`.
    fn finish_iteration(&mut self, it: usize, taus: Taus, duplicates: usize) -> bool {
        let s = &self.run.settings;
        let slot_end = (s.n_doe + it * s.per_iter).min(self.run.evaluations_done());
        let end = self
            .run
            .archive_position(slot_end)
            .min(self.run.archive.len());
        let n_doe = self
            .run
            .archive_position(s.n_doe)
            .min(self.run.archive.len());
        if self.run.reference_point.is_none() {
            let pts: Vec<[f64; 2]> = self.run.archive[..n_doe].iter().map(error_macs).collect();
            self.run.reference_point = aebnas_reference(&pts);
        }
        let hv = self
            .run
            .reference_point
            .map_or(0.0, |r| archive_hypervolume(&self.run.archive[..end], r));
        let predictor_taus = if it == 0 {
            Vec::new()
        } else {
            let start = (self.run)
                .archive_position(s.n_doe + (it - 1) * s.per_iter)
                .min(end);
            let a = &self.run.archive;
            propose::predictor_taus(self.space, s, &a[..start], &a[start..end])
        };
        let record = IterationRecord {
            iteration: it,
            evaluations: end,
            hypervolume: hv,
            tau_accuracy: taus.accuracy,
            tau_macs: taus.macs,
            duplicates_skipped: duplicates,
            predictor_taus,
        };
        self.run.iterations.retain(|r| r.iteration != it);
        self.run.iterations.push(record);
        self.run.iterations.sort_by_key(|r| r.iteration);
        let ev = SearchEvent::IterationDone {
            iteration: it,
            hypervolume: hv,
            duplicates_skipped: duplicates,
        };
        (self.on_event)(&ev, self.run)
    }
}
