//! [`RunState::apply`]: the reducer's one entry, by kind of event — the worker's progress,
//! the selection and sliders, a run starting, restored or cleared.

use super::{Note, RunEvent, RunState, RunStatus, ViewState};
use crate::playground::candidate_view::tuned_thresholds;

impl RunState {
    /// Applies `event`; returns a problem to show, if any.
    pub fn apply(&mut self, event: RunEvent) -> Option<Note> {
        match event {
            RunEvent::Select(_)
            | RunEvent::SetRule(_)
            | RunEvent::SetThreshold { .. }
            | RunEvent::SetThresholds(_)
            | RunEvent::Tune(_) => {
                self.apply_view(event);
                None
            }
            RunEvent::Requested { .. } | RunEvent::Restored { .. } | RunEvent::Cleared => {
                self.apply_lifecycle(event);
                None
            }
            RunEvent::BackendLost(reason) => Some(Note {
                title: "The GPU device was lost — continuing on the CPU".into(),
                detail: format!("{reason}. The search resumes from the last finished evaluation."),
            }),
            other => self.apply_progress(other),
        }
    }

    /// What the worker reports while a search runs.
    fn apply_progress(&mut self, event: RunEvent) -> Option<Note> {
        match event {
            RunEvent::PauseRequested if self.status.is_busy() => {
                self.status = RunStatus::Pausing;
            }
            RunEvent::Status(line) => self.status_line = Some(line),
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
            _ => {}
        }
        None
    }

    /// The selection and the sliders.
    fn apply_view(&mut self, event: RunEvent) {
        match event {
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
            RunEvent::Tune(tuning) => {
                let tuned = self.view.as_ref().and_then(|view| {
                    let record = self.run.as_ref()?.archive.get(view.index)?;
                    tuned_thresholds(record, tuning, view.rule)
                });
                if let Some(thresholds) = tuned {
                    self.apply_view(RunEvent::SetThresholds(thresholds));
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
            _ => {}
        }
    }

    /// A run starting, restored, or cleared.
    fn apply_lifecycle(&mut self, event: RunEvent) {
        match event {
            RunEvent::Requested { resume } => {
                if !resume {
                    *self = RunState {
                        ..RunState::default()
                    };
                }
                self.status = RunStatus::Starting;
                self.failure = None;
                self.step = None;
                self.status_line = Some("Starting the search worker…".into());
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
                    ..RunState::default()
                }
            }
            _ => {}
        }
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
