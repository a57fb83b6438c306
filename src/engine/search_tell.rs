//! The search loop's *tell* step, pure: adding evaluation outcomes to a run.
//!
//! An outcome goes into the archive (or the `failed` list) at its slot, the Pareto front
//! is recomputed, and when an iteration's last slot is in, its [`IterationRecord`] is
//! (re)written: the reference point is fixed after the DOE, the hypervolume is taken over
//! the archive up to the iteration's end, and every predictor's Kendall τ on the new
//! candidates is recorded. [`tell`] checks each outcome against the genome the run
//! proposes at its slot, so results from anywhere (another process, another machine)
//! cannot be mixed into the wrong run.

use serde::{Deserialize, Serialize};

use super::propose::predictor_taus;
use super::steps::{check_run, iteration_of_slot, iteration_slots, plan_iteration};
use super::steps::{IterationPlan, Proposal};
use super::{archive_hypervolume, error_macs, pareto_indices, total_evaluations};
use super::{SearchError, SearchEvent};
use crate::engine::genome::Genome;
use crate::engine::hypervolume::aebnas_reference;
use crate::engine::results::{CandidateRecord, FailedCandidate, IterationRecord, RunResults};
use crate::engine::space::SearchSpace;

/// What evaluating one proposal gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The candidate's record (its genome, method, iteration and prediction are set from
    /// the proposal when told).
    Evaluated(Box<CandidateRecord>),
    /// The evaluation failed (diverged training, …): recorded in `failed`, the run goes on.
    Failed(String),
}

/// Why outcomes could not be told.
#[derive(Debug, thiserror::Error)]
pub enum TellError {
    /// The run cannot go on (settings, or a proposal step failed).
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The outcome's slot is beyond the run's evaluations.
    #[error("slot {slot} is beyond the run's {total} evaluations")]
    BeyondRun {
        /// The outcome's slot.
        slot: usize,
        /// Evaluations the run makes.
        total: usize,
    },
    /// The run proposes another genome at this slot (or holds another one there).
    #[error("slot {slot}: the run has genome {expected} there, the result is for {found}")]
    Mismatch {
        /// The slot.
        slot: usize,
        /// Genome of the run at that slot.
        expected: Genome,
        /// Genome of the result.
        found: Genome,
    },
    /// Outcomes are told in slot order: an earlier slot has none yet.
    #[error("slot {missing} has no result yet (results are added in slot order; got slot {got})")]
    Gap {
        /// The first slot without an outcome.
        missing: usize,
        /// The slot that was given instead.
        got: usize,
    },
}

/// The genome already evaluated (or failed) at `slot`, if any.
pub fn done_genome(run: &RunResults, slot: usize) -> Option<&Genome> {
    if let Some(f) = run.failed.iter().find(|f| f.slot == slot) {
        return Some(&f.genome);
    }
    if slot >= run.evaluations_done() {
        return None;
    }
    run.archive
        .get(run.archive_position(slot))
        .map(|c| &c.genome)
}

/// Adds the outcome of `p` (the next slot of `run`) and updates the Pareto front; returns
/// the event that says so.
pub fn record(run: &mut RunResults, p: &Proposal, outcome: Outcome) -> SearchEvent {
    let total = total_evaluations(&run.settings);
    match outcome {
        Outcome::Evaluated(mut rec) => {
            rec.genome = p.genome.clone();
            rec.method = run.settings.method;
            rec.iteration = p.iteration;
            rec.predicted = p.predicted;
            run.archive.push(*rec);
            run.pareto_front = pareto_indices(&run.archive);
            SearchEvent::Evaluated {
                index: run.archive.len() - 1,
                total,
            }
        }
        Outcome::Failed(reason) => {
            run.failed.push(FailedCandidate {
                slot: p.slot,
                iteration: p.iteration,
                genome: p.genome.clone(),
                reason: reason.clone(),
            });
            SearchEvent::Failed {
                slot: p.slot,
                total,
                reason,
            }
        }
    }
}

/// Fixes the reference point after the DOE and (re)writes the record of `plan`'s
/// iteration over the archive evaluated up to its end.
pub fn finish_iteration(
    space: &SearchSpace,
    run: &mut RunResults,
    plan: &IterationPlan,
) -> SearchEvent {
    let it = plan.iteration;
    let s = &run.settings;
    let slot_end = iteration_slots(s, it).end.min(run.evaluations_done());
    let end = run.archive_position(slot_end).min(run.archive.len());
    let n_doe = run.archive_position(s.n_doe).min(run.archive.len());
    if run.reference_point.is_none() {
        let pts: Vec<[f64; 2]> = run.archive[..n_doe].iter().map(error_macs).collect();
        run.reference_point = aebnas_reference(&pts);
    }
    let hv = (run.reference_point).map_or(0.0, |r| archive_hypervolume(&run.archive[..end], r));
    let predictor_taus = if it == 0 {
        Vec::new()
    } else {
        let start = run.archive_position(iteration_slots(s, it).start).min(end);
        let a = &run.archive;
        predictor_taus(space, s, &a[..start], &a[start..end])
    };
    let record = IterationRecord {
        iteration: it,
        evaluations: end,
        hypervolume: hv,
        tau_accuracy: plan.tau_accuracy,
        tau_macs: plan.tau_macs,
        duplicates_skipped: plan.duplicates,
        predictor_taus,
    };
    run.iterations.retain(|r| r.iteration != it);
    run.iterations.push(record);
    run.iterations.sort_by_key(|r| r.iteration);
    SearchEvent::IterationDone {
        iteration: it,
        hypervolume: hv,
        duplicates_skipped: plan.duplicates,
    }
}

/// The next (at most `k`) evaluations `run` needs: the slots of its current iteration
/// from the first one without an outcome. Empty when the run is complete. The next
/// iteration's proposals need this one's outcomes: ask again after telling them.
pub fn propose(
    space: &SearchSpace,
    run: &RunResults,
    k: usize,
) -> Result<Vec<Proposal>, SearchError> {
    AskTell::default().propose(space, run, k)
}

/// Tells a run the outcomes of its proposals, in any order of `results`: they are added
/// in slot order from the run's first slot without one (an outcome already in the run
/// for the same genome is passed over, so a retried job told twice is harmless), and
/// every iteration they complete gets its record. Returns what happened, in order.
///
/// On an error `run` may hold the outcomes before the offending one; callers that write
/// files keep the file they read.
pub fn tell(
    space: &SearchSpace,
    run: &mut RunResults,
    results: Vec<(usize, Genome, Outcome)>,
) -> Result<Vec<SearchEvent>, TellError> {
    AskTell::default().tell(space, run, results)
}

/// [`propose`] and [`tell`] with the current iteration's plan kept between calls: a driver
/// that asks once and tells one outcome at a time plans each iteration once. Valid for
/// one run (the plan depends on the slots before its iteration, which never change).
#[derive(Debug, Default)]
pub struct AskTell {
    plan: Option<IterationPlan>,
}

impl AskTell {
    /// The plan of iteration `it`, computed once.
    pub fn plan(
        &mut self,
        space: &SearchSpace,
        run: &RunResults,
        it: usize,
    ) -> Result<&IterationPlan, SearchError> {
        if self.plan.as_ref().is_none_or(|p| p.iteration != it) {
            self.plan = Some(plan_iteration(space, run, it)?);
        }
        Ok(self.plan.as_ref().expect("planned above"))
    }

    /// See [`propose`].
    pub fn propose(
        &mut self,
        space: &SearchSpace,
        run: &RunResults,
        k: usize,
    ) -> Result<Vec<Proposal>, SearchError> {
        check_run(run, space)?;
        let done = run.evaluations_done();
        let Some(it) = iteration_of_slot(&run.settings, done) else {
            return Ok(Vec::new());
        };
        let plan = self.plan(space, run, it)?;
        Ok((plan.proposals.iter())
            .filter(|p| p.slot >= done)
            .take(k)
            .cloned()
            .collect())
    }

    /// What [`super::run_search`] does before it evaluates anything new: checks every
    /// outcome `run` holds against the genome proposed at its slot (a run made by other
    /// settings or another version of the loop is refused) and rewrites the record of
    /// every iteration they complete. Returns the records' events.
    pub fn resume(
        &mut self,
        space: &SearchSpace,
        run: &mut RunResults,
    ) -> Result<Vec<SearchEvent>, SearchError> {
        check_run(run, space)?;
        let mut events = Vec::new();
        for it in 0..=run.settings.iterations {
            let slots = iteration_slots(&run.settings, it);
            if slots.start >= run.evaluations_done() && !slots.is_empty() {
                break;
            }
            let plan = self.plan(space, run, it)?.clone();
            for p in &plan.proposals {
                match done_genome(run, p.slot) {
                    Some(found) if *found != p.genome => {
                        return Err(SearchError::ResumeMismatch {
                            index: p.slot,
                            expected: p.genome.clone(),
                            found: found.clone(),
                        })
                    }
                    _ => {}
                }
            }
            if slots.end <= run.evaluations_done() {
                events.push(finish_iteration(space, run, &plan));
            }
        }
        Ok(events)
    }

    /// See [`tell`].
    pub fn tell(
        &mut self,
        space: &SearchSpace,
        run: &mut RunResults,
        mut results: Vec<(usize, Genome, Outcome)>,
    ) -> Result<Vec<SearchEvent>, TellError> {
        let total = check_run(run, space)?;
        results.sort_by_key(|(slot, ..)| *slot);
        let mut events = Vec::new();
        for (slot, genome, outcome) in results {
            let Some(it) = iteration_of_slot(&run.settings, slot) else {
                return Err(TellError::BeyondRun { slot, total });
            };
            if let Some(found) = done_genome(run, slot) {
                if *found == genome {
                    continue;
                }
                return Err(TellError::Mismatch {
                    slot,
                    expected: found.clone(),
                    found: genome,
                });
            }
            let missing = run.evaluations_done();
            if slot != missing {
                return Err(TellError::Gap { missing, got: slot });
            }
            let plan = self.plan(space, run, it)?;
            let start = iteration_slots(&run.settings, it).start;
            let p = plan.proposals[slot - start].clone();
            if p.genome != genome {
                return Err(TellError::Mismatch {
                    slot,
                    expected: p.genome,
                    found: genome,
                });
            }
            events.push(record(run, &p, outcome));
            if slot + 1 == iteration_slots(&run.settings, it).end {
                let plan = self.plan(space, run, it)?.clone();
                events.push(finish_iteration(space, run, &plan));
            }
        }
        // Iterations without slots (`random` with no candidates per iteration) are done
        // as soon as the slots before them are.
        let s = run.settings.clone();
        for it in 1..=s.iterations {
            let slots = iteration_slots(&s, it);
            let recorded = run.iterations.iter().any(|r| r.iteration == it);
            if slots.is_empty() && slots.start <= run.evaluations_done() && !recorded {
                let plan = self.plan(space, run, it)?.clone();
                events.push(finish_iteration(space, run, &plan));
            }
        }
        Ok(events)
    }
}
