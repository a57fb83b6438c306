//! The search part of the app state, as a plain reducer (no yew, no browser): what the
//! worker reported, the evaluated candidates with their test-set exit caches, the
//! selected candidate and its slider settings. [`RunState::apply`] is the only way it
//! changes; the yew `Reducible` in `state.rs` forwards [`RunEvent`]s here, and the unit
//! tests run natively and on wasm32.

use std::collections::BTreeMap;

use super::candidate_view::Tuning;
use super::shared::Shared;
use super::worker::protocol::StepInfo;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::results::{CandidateRecord, RunResults};

mod apply;
mod eta;
mod status;
#[cfg(test)]
mod tests;

pub use status::RunStatus;

/// How the selected candidate is being looked at: the confidence rule and one threshold
/// per enabled early exit (the sliders).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ViewState {
    /// The candidate (archive position).
    pub index: usize,
    /// Confidence rule.
    pub rule: ExitRule,
    /// Thresholds, one per enabled early exit.
    pub thresholds: Vec<f32>,
}

impl ViewState {
    /// The candidate's tuned view (its record's rule and thresholds).
    pub fn tuned(index: usize, record: &CandidateRecord) -> Self {
        Self {
            index,
            rule: record.exit_rule,
            thresholds: record.thresholds.clone(),
        }
    }
}

/// Everything about the search the page shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    /// Where the search is.
    pub status: RunStatus,
    /// The run so far (`None` before the first evaluation of a fresh run).
    pub run: Option<Shared<RunResults>>,
    /// Test-set exit caches of evaluated candidates, by archive position.
    pub caches: BTreeMap<usize, Shared<ExitCache>>,
    /// The latest status line from the worker.
    pub status_line: Option<String>,
    /// The candidate being trained: (archive position, iteration).
    pub evaluating: Option<(usize, usize)>,
    /// The latest training step.
    pub step: Option<StepInfo>,
    /// Evaluations of the whole run (0 until known).
    pub total: usize,
    /// `performance.now()` when this session's search loop started, and the evaluations
    /// done then (for the time-left estimate).
    pub session: Option<(f64, usize)>,
    /// The selected candidate and its slider settings.
    pub view: Option<ViewState>,
    /// Why the last attempt failed.
    pub failure: Option<String>,
    /// The run is the dataset's shipped example (made by `scripts/train-supernets`), not
    /// saved in this browser: starting a search replaces it without asking.
    pub example: bool,
}

/// Something that changes the [`RunState`].
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    /// The user started (or resumed) a search; a fresh run drops the old one.
    Requested {
        /// Continue the current run instead of starting over.
        resume: bool,
    },
    /// The user asked to pause.
    PauseRequested,
    /// A status line from the worker.
    Status(String),
    /// The GPU was lost; the worker continues on the CPU.
    BackendLost(String),
    /// The search loop started at `now_ms`.
    Started {
        /// Evaluations of the whole run.
        total: usize,
        /// Evaluations already done.
        done: usize,
        /// `performance.now()`.
        now_ms: f64,
    },
    /// A candidate starts training.
    Evaluating {
        /// Position among the run's evaluations.
        index: usize,
        /// Iteration.
        iteration: usize,
    },
    /// A training step finished.
    Step(StepInfo),
    /// A candidate finished; its cache when it could be decoded.
    Evaluated {
        /// Archive position.
        index: usize,
        /// The run so far.
        run: Shared<RunResults>,
        /// Its test-set cache.
        cache: Option<Shared<ExitCache>>,
    },
    /// Evaluation `slot` failed; the search goes on.
    CandidateFailed {
        /// Position among the run's evaluations.
        slot: usize,
        /// Why.
        reason: String,
        /// The run so far (the failure is in `run.failed`).
        run: Shared<RunResults>,
    },
    /// An iteration finished.
    IterationDone(Shared<RunResults>),
    /// The worker stopped on request.
    Paused(Shared<RunResults>),
    /// The run is complete.
    Finished(Shared<RunResults>),
    /// The worker failed.
    Failed(String),
    /// The user selected a candidate.
    Select(usize),
    /// The user picked a confidence rule.
    SetRule(ExitRule),
    /// The user moved slider `exit`.
    SetThreshold {
        /// Early-exit position among the enabled exits.
        exit: usize,
        /// New threshold.
        value: f32,
    },
    /// Every slider set at once (thresholds the user imported or linked).
    SetThresholds(Vec<f32>),
    /// A tuning button: the selected candidate's thresholds tuned that way on validation
    /// under the current rule (nothing when the record holds none).
    Tune(Tuning),
    /// A finished run read back: from browser storage, an imported file, or the
    /// dataset's shipped example.
    Restored {
        /// The run.
        run: Shared<RunResults>,
        /// Caches that could be read.
        caches: BTreeMap<usize, Shared<ExitCache>>,
        /// The saved view, if any.
        view: Option<ViewState>,
        /// It is the shipped example run.
        example: bool,
    },
    /// The user deleted the run.
    Cleared,
}

/// A problem the page should show in its error banner.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// One-line summary.
    pub title: String,
    /// Details.
    pub detail: String,
}

impl RunState {
    /// The selected candidate's record.
    pub fn selected_record(&self) -> Option<&CandidateRecord> {
        let view = self.view.as_ref()?;
        self.run.as_ref()?.archive.get(view.index)
    }

    /// Evaluations done (failed candidates included).
    pub fn done(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.evaluations_done())
    }

    /// Evaluations of a run of the user's own: [`Self::done`], or 0 while the shipped
    /// example is shown (replacing it loses nothing).
    pub fn own_done(&self) -> usize {
        if self.example {
            0
        } else {
            self.done()
        }
    }

    /// Whether the current run can be continued.
    pub fn can_resume(&self) -> bool {
        !self.status.is_busy()
            && self.run.as_ref().is_some_and(|r| {
                r.evaluations_done() < crate::engine::search::total_evaluations(&r.settings)
            })
    }
}
