//! The search part of the app state, as a plain reducer (no yew, no browser): what the
//! worker reported, the evaluated candidates with their test-set exit caches, the
//! selected candidate and its slider settings. [`RunState::apply`] is the only way it
//! changes; the yew `Reducible` in `state.rs` forwards [`RunEvent`]s here, and the unit
//! tests run natively and on wasm32.

use std::collections::BTreeMap;

use super::shared::Shared;
use super::worker::protocol::StepInfo;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::results::{CandidateRecord, RunResults};

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

/// The compute backend the worker reported.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerBackend {
    /// `webgpu` or `cpu`.
    pub kind: String,
    /// Adapter or reason.
    pub detail: String,
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
    /// Backend of the worker.
    pub backend: Option<WorkerBackend>,
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
    /// The worker's backend.
    Backend(WorkerBackend),
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
    /// A tuning button set every slider.
    SetThresholds(Vec<f32>),
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

    /// Applies `event`; returns a problem to show, if any.
    pub fn apply(&mut self, event: RunEvent) -> Option<Note> {
        match event {
            RunEvent::Requested { resume } => {
                if !resume {
                    *self = RunState {
                        backend: self.backend.take(),
                        ..RunState::default()
                    };
                }
                self.status = RunStatus::Starting;
                self.failure = None;
                self.step = None;
                self.status_line = Some("Starting the search worker…".into());
            }
            RunEvent::PauseRequested => {
                if self.status.is_busy() {
                    self.status = RunStatus::Pausing;
                }
            }
            RunEvent::Status(line) => self.status_line = Some(line),
            RunEvent::Backend(b) => self.backend = Some(b),
            RunEvent::BackendLost(reason) => {
                self.backend = Some(WorkerBackend {
                    kind: "cpu".into(),
                    detail: format!("switched to the CPU: {reason}"),
                });
                return Some(Note {
                    title: "The GPU device was lost — continuing on the CPU".into(),
                    detail: format!(
                        "{reason}. The search resumes from the last finished evaluation."
                    ),
                });
            }
            RunEvent::Started {
                total,
                done,
                now_ms,
            } => {
                self.total = total;
                self.session = Some((now_ms, done));
                if self.status != RunStatus::Pausing {
                    self.status = RunStatus::Running;
                }
            }
            RunEvent::Evaluating { index, iteration } => {
                self.evaluating = Some((index, iteration));
                self.step = None;
                self.status_line = Some(format!(
                    "Training candidate {} of {}",
                    index + 1,
                    self.total.max(index + 1)
                ));
            }
            RunEvent::Step(step) => self.step = Some(step),
            RunEvent::Evaluated { index, run, cache } => {
                if let Some(cache) = cache {
                    self.caches.insert(index, cache);
                }
                self.run = Some(run);
                self.evaluating = None;
                if self.view.is_none() {
                    self.select(index);
                }
            }
            RunEvent::CandidateFailed { slot, reason, run } => {
                self.run = Some(run);
                self.evaluating = None;
                return Some(Note {
                    title: format!("Candidate {} failed — the search goes on", slot + 1),
                    detail: reason,
                });
            }
            RunEvent::IterationDone(run) => self.run = Some(run),
            RunEvent::Paused(run) => {
                self.run = Some(run);
                self.finish(RunStatus::Paused, "Paused");
            }
            RunEvent::Finished(run) => {
                self.run = Some(run);
                self.finish(RunStatus::Finished, "Search finished");
            }
            RunEvent::Failed(message) => {
                self.finish(RunStatus::Failed, "Search stopped by an error");
                self.failure = Some(message.clone());
                return Some(Note {
                    title: "The search stopped".into(),
                    detail: message,
                });
            }
            RunEvent::Select(index) => self.select(index),
            RunEvent::SetRule(rule) => {
                if let Some(view) = self.view.as_mut() {
                    view.rule = rule;
                }
            }
            RunEvent::SetThreshold { exit, value } => {
                if let Some(t) = self.view.as_mut().and_then(|v| v.thresholds.get_mut(exit)) {
                    if value.is_finite() {
                        *t = value.clamp(0.0, 1.0);
                    }
                }
            }
            RunEvent::SetThresholds(thresholds) => {
                if let Some(view) = self.view.as_mut() {
                    if thresholds.len() == view.thresholds.len()
                        && thresholds.iter().all(|t| !t.is_nan())
                    {
                        view.thresholds = thresholds;
                    }
                }
            }
            RunEvent::Restored {
                run,
                caches,
                view,
                example,
            } => {
                let total = crate::engine::search::total_evaluations(&run.settings);
                *self = RunState {
                    status: if run.evaluations_done() < total {
                        RunStatus::Paused
                    } else {
                        RunStatus::Finished
                    },
                    total,
                    caches,
                    run: Some(run),
                    status_line: Some(if example {
                        "A finished example search, shipped with the page: move the thresholds, or run a search of your own".into()
                    } else {
                        "Restored from this browser".into()
                    }),
                    backend: self.backend.take(),
                    example,
                    ..RunState::default()
                };
                match view {
                    Some(v) if self.view_fits(&v) => self.view = Some(v),
                    Some(v) => self.select(v.index),
                    None => self.select(0),
                }
            }
            RunEvent::Cleared => {
                *self = RunState {
                    backend: self.backend.take(),
                    ..RunState::default()
                }
            }
        }
        None
    }

    /// Selects candidate `index` with its tuned thresholds (ignored when not evaluated).
    fn select(&mut self, index: usize) {
        if let Some(record) = self.run.as_ref().and_then(|r| r.archive.get(index)) {
            self.view = Some(ViewState::tuned(index, record));
        }
    }

    /// Whether `view` matches a candidate of the run (index and slider count).
    fn view_fits(&self, view: &ViewState) -> bool {
        self.run
            .as_ref()
            .and_then(|r| r.archive.get(view.index))
            .is_some_and(|c| c.thresholds.len() == view.thresholds.len())
            && view.thresholds.iter().all(|t| t.is_finite())
    }

    fn finish(&mut self, status: RunStatus, line: &str) {
        self.status = status;
        self.evaluating = None;
        self.step = None;
        self.session = None;
        self.status_line = Some(line.into());
    }
}
