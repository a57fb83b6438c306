//! "Compare methods", as a plain reducer (no yew, no browser): the other four methods run
//! one after another on the current run's problem (same dataset, seed, budget, target;
//! each method's own rule and tuning, `engine::compare::settings_for`) in a worker of
//! their own, and the page overlays their validation fronts and hypervolume curves on
//! the current run's. [`CompareState::apply`] is the only way it changes; the hook
//! `use_compare` starts the method the state says is running ([`CompareState::request`]).
//!
//! Compared runs live in memory: a reload or another problem starts the comparison again
//! (the panel says so and offers the runs as a download).

use super::shared::Shared;
use crate::engine::compare::MethodFigures;
use crate::engine::compare::{compared_methods, figures, same_problem, settings_for};
use crate::engine::results::{RunResults, SearchSettings};
use crate::engine::search::total_evaluations;
use crate::engine::space::Method;

/// Where one compared method is.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareStatus {
    /// Not started yet.
    Waiting,
    /// Its search runs.
    Running,
    /// Every evaluation is done.
    Finished,
    /// Stopped before the end (it continues from its last evaluation when started again).
    Stopped,
    /// The worker could not run it (why).
    Failed(String),
}

impl CompareStatus {
    /// Stable name for `data-state` attributes.
    pub fn name(&self) -> &'static str {
        match self {
            CompareStatus::Waiting => "waiting",
            CompareStatus::Running => "running",
            CompareStatus::Finished => "finished",
            CompareStatus::Stopped => "stopped",
            CompareStatus::Failed(_) => "failed",
        }
    }
}

/// One compared method.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedRun {
    /// The method.
    pub method: Method,
    /// Where it is.
    pub status: CompareStatus,
    /// Its run so far.
    pub run: Option<Shared<RunResults>>,
    /// Its figures (from `run`).
    pub figures: Option<Shared<MethodFigures>>,
}

impl ComparedRun {
    /// Evaluations done (failed ones included).
    pub fn done(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.evaluations_done())
    }
}

/// The comparison.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareState {
    /// The problem compared: the settings of the run the comparison started from.
    pub base: Option<SearchSettings>,
    /// The compared methods, in [`Method::ALL`] order.
    pub runs: Vec<ComparedRun>,
    /// Identity of the current request: it grows each time a method starts, and the
    /// worker's reports carry the one they answer (a late report of an earlier one is
    /// dropped).
    pub request: u64,
}

/// Something that changes the [`CompareState`].
#[derive(Clone, Debug, PartialEq)]
pub enum CompareEvent {
    /// Compare the run of `base` with the other methods: methods already finished on the
    /// same problem are kept, a stopped one continues.
    Start {
        /// The current run's settings.
        base: SearchSettings,
    },
    /// A candidate of request `request` was recorded: its run so far.
    Recorded {
        /// The request it answers.
        request: u64,
        /// The run so far.
        run: Shared<RunResults>,
    },
    /// Request `request`'s search ended (`Finished` or `Paused`): its run.
    Ended {
        /// The request it answers.
        request: u64,
        /// The run.
        run: Shared<RunResults>,
    },
    /// Request `request` failed (why).
    Failed {
        /// The request it answers.
        request: u64,
        /// Why.
        message: String,
    },
    /// The user stopped the comparison, or the page's own search starts: the running
    /// method stops, the waiting ones wait.
    Stop,
}

impl CompareState {
    /// Applies `event`; returns `false` when it changed nothing (a stale report).
    pub fn apply(&mut self, event: CompareEvent) -> bool {
        match event {
            CompareEvent::Start { base } => {
                if !self.is_about(&base) {
                    self.runs = compared_methods(base.method)
                        .into_iter()
                        .map(|method| ComparedRun {
                            method,
                            status: CompareStatus::Waiting,
                            run: None,
                            figures: None,
                        })
                        .collect();
                    self.base = Some(base);
                }
                for r in &mut self.runs {
                    if matches!(r.status, CompareStatus::Stopped | CompareStatus::Failed(_)) {
                        r.status = CompareStatus::Waiting;
                    }
                }
                self.start_next();
            }
            CompareEvent::Recorded { request, run } => {
                let Some(r) = self.current(request) else {
                    return false;
                };
                r.figures = Some(Shared::new(figures(&run)));
                r.run = Some(run);
            }
            CompareEvent::Ended { request, run } => {
                let Some(r) = self.current(request) else {
                    return false;
                };
                let complete = run.evaluations_done() >= total_evaluations(&run.settings);
                r.status = if complete {
                    CompareStatus::Finished
                } else {
                    CompareStatus::Stopped
                };
                r.figures = Some(Shared::new(figures(&run)));
                r.run = Some(run);
                if complete {
                    self.start_next();
                }
            }
            CompareEvent::Failed { request, message } => {
                let Some(r) = self.current(request) else {
                    return false;
                };
                r.status = CompareStatus::Failed(message);
                self.start_next();
            }
            CompareEvent::Stop => {
                let Some(r) = self
                    .runs
                    .iter_mut()
                    .find(|r| r.status == CompareStatus::Running)
                else {
                    return false;
                };
                r.status = CompareStatus::Stopped;
                self.request += 1;
            }
        }
        true
    }

    /// The running method of request `request`, if that is the current one.
    fn current(&mut self, request: u64) -> Option<&mut ComparedRun> {
        if request != self.request {
            return None;
        }
        self.runs
            .iter_mut()
            .find(|r| r.status == CompareStatus::Running)
    }

    /// Marks the first waiting method running, under a new request.
    fn start_next(&mut self) {
        self.request += 1;
        if let Some(r) = self
            .runs
            .iter_mut()
            .find(|r| r.status == CompareStatus::Waiting)
        {
            r.status = CompareStatus::Running;
        }
    }

    /// Whether a method runs.
    pub fn running(&self) -> bool {
        self.runs.iter().any(|r| r.status == CompareStatus::Running)
    }

    /// What the worker must run now: the request, the running method's settings and the
    /// run it continues (a stopped one). `None` when nothing runs.
    pub fn request(&self) -> Option<(u64, SearchSettings, Option<Shared<RunResults>>)> {
        let base = self.base.as_ref()?;
        let r = self
            .runs
            .iter()
            .find(|r| r.status == CompareStatus::Running)?;
        Some((self.request, settings_for(base, r.method), r.run.clone()))
    }

    /// Whether the comparison is about `run`'s problem (its fronts belong on its plot).
    pub fn is_for(&self, run: &RunResults) -> bool {
        self.is_about(&run.settings)
    }

    /// Whether the comparison started from a run of these settings (same method, same
    /// problem).
    fn is_about(&self, settings: &SearchSettings) -> bool {
        self.base
            .as_ref()
            .is_some_and(|b| b.method == settings.method && same_problem(b, settings))
    }
}

#[cfg(test)]
#[path = "compare_state_tests.rs"]
mod tests;
