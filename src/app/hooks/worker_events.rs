//! The search worker's messages on the page: each [`FromWorker`] becomes state changes
//! (the backend badge, smoke-training steps, the search's [`RunEvent`]s) and storage
//! writes — the backend measurement is remembered for later visits, every finished
//! evaluation is saved as it arrives, in tasks of its own. A run
//! save that fails is shown every time (how many evaluations are not saved, with a
//! download offer); caches that storage could not keep are mentioned once.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::app::backend::Backend;
use crate::app::browser::{measured, now_ms};
use crate::app::files::download_bytes;
use crate::app::run_state::RunEvent;
use crate::app::shared::Shared;
use crate::app::state::{Action, AppState, SmokeEvent};
use crate::app::storage;
use crate::app::storage_plan::{caches_dropped_detail, unsaved_detail};
use crate::app::worker::protocol::FromWorker;
use crate::engine::cache_codec::base64_decode;

pub(super) fn report(d: &UseReducerDispatcher<AppState>, title: &str, detail: String) {
    d.dispatch(Action::ReportError {
        title: title.to_owned(),
        detail,
    });
}

/// What the page has said about storage (one per worker).
#[derive(Default)]
pub(super) struct StorageNotes {
    /// The "confidences not kept" note was shown (once: no evaluation is lost).
    caches: Cell<bool>,
    /// The last run save failed (the next one that works takes the note down).
    run_failing: Cell<bool>,
}

/// Tells once that the caches of `indices` are not kept.
fn caches_dropped(d: &UseReducerDispatcher<AppState>, notes: &StorageNotes, indices: &[usize]) {
    if let Some(detail) = caches_dropped_detail(indices) {
        if !notes.caches.replace(true) {
            report(d, "Browser storage is full", detail);
        }
    }
}

/// Saves the run; a failure is shown every time, naming the evaluations not saved.
fn save_run(
    run: &crate::engine::results::RunResults,
    d: &UseReducerDispatcher<AppState>,
    notes: &StorageNotes,
) {
    match measured("save run", || storage::save_run(run)) {
        Ok(deleted) => {
            if notes.run_failing.replace(false) {
                d.dispatch(Action::RunSaved);
            }
            caches_dropped(d, notes, &deleted);
        }
        Err(e) => {
            notes.run_failing.set(true);
            d.dispatch(Action::RunNotSaved {
                title: "This run is not saved in the browser".to_owned(),
                detail: unsaved_detail(run.archive.len(), storage::saved_evaluations(), &e),
            });
        }
    }
}

/// One worker message → storage writes and state changes.
pub(super) fn handle(
    message: FromWorker,
    d: &UseReducerDispatcher<AppState>,
    notes: &Rc<StorageNotes>,
) {
    // Saving (serialise + store) runs in a task of its own, after the state change.
    let save = |run: &crate::engine::results::RunResults| {
        let (run, d, notes) = (run.clone(), d.clone(), Rc::clone(notes));
        gloo::timers::callback::Timeout::new(0, move || save_run(&run, &d, &notes)).forget();
    };
    let Some(message) = page_message(message, d) else {
        return;
    };
    let event = match message {
        FromWorker::Status { message } => RunEvent::Status(message),
        FromWorker::BackendLost { reason } => RunEvent::BackendLost(reason),
        FromWorker::Started { total, done } => RunEvent::Started {
            total,
            done,
            now_ms: now_ms(),
        },
        FromWorker::Evaluating {
            index, iteration, ..
        } => RunEvent::Evaluating { index, iteration },
        FromWorker::Progress(step) => RunEvent::Step(step),
        FromWorker::Evaluated { index, run, cache } => {
            evaluated(index, run, cache, d, notes);
            return;
        }
        FromWorker::CandidateFailed { slot, reason, run } => {
            save(&run);
            RunEvent::CandidateFailed {
                slot,
                reason,
                run: Shared::new(run),
            }
        }
        FromWorker::IterationDone { run } => {
            save(&run);
            RunEvent::IterationDone(Shared::new(run))
        }
        FromWorker::Paused { run } => {
            save(&run);
            RunEvent::Paused(Shared::new(run))
        }
        FromWorker::Finished { run } => {
            save(&run);
            RunEvent::Finished(Shared::new(run))
        }
        FromWorker::Failed { message } => RunEvent::Failed(message),
        // The rest are not about the run: `page_message` took them.
        _ => return,
    };
    // Rendering happens in a task of its own (timers of equal delay keep the messages'
    // order), so decoding a large message and drawing a new candidate never add up to
    // one long main-thread task.
    let d = d.clone();
    gloo::timers::callback::Timeout::new(0, move || d.dispatch(Action::Run(event))).forget();
}

/// The messages that are not about the search run: the backend, smoke training, weights
/// downloads (done here, `None`); the others are handed back.
fn page_message(message: FromWorker, d: &UseReducerDispatcher<AppState>) -> Option<FromWorker> {
    match message {
        // Pool workers answer the search worker, never the page.
        FromWorker::Ready | FromWorker::JobDone { .. } => {}
        FromWorker::Probed {
            kind,
            detail,
            measurement,
        } => {
            // Not one made without WebGPU in the build: a later visit measures again.
            if let Some(m) = measurement.as_ref().filter(|m| m.rememberable()) {
                storage::save_measurement(m);
            }
            let backend = Backend::from_worker(kind, detail, measurement);
            d.dispatch(Action::BackendReady(Shared::new(backend)));
        }
        FromWorker::Measuring => {
            d.dispatch(Action::BackendReady(Shared::new(Backend::measuring())))
        }
        FromWorker::MeasureRefused { reason } => {
            report(d, "The backends were not measured again", reason)
        }
        FromWorker::SmokeStep { step, loss } => {
            d.dispatch(Action::Smoke(SmokeEvent::Step { step, loss }))
        }
        FromWorker::SmokeDone { losses, seconds } => {
            d.dispatch(Action::Smoke(SmokeEvent::Finished {
                losses,
                elapsed_ms: seconds * 1000.0,
            }))
        }
        FromWorker::SmokeFailed { message } => {
            d.dispatch(Action::Smoke(SmokeEvent::Failed(message)))
        }
        FromWorker::Weights {
            file_name, bytes, ..
        } => {
            let saved = base64_decode(&bytes)
                .ok_or_else(|| "the weights arrived damaged".to_owned())
                .and_then(|b| {
                    download_bytes(&file_name, "application/octet-stream", &b).map_err(String::from)
                });
            if let Err(e) = saved {
                report(d, "The weights could not be downloaded", e);
            }
        }
        FromWorker::Backend { kind, detail } => d.dispatch(Action::BackendInUse { kind, detail }),
        FromWorker::WeightsUnavailable { reason, .. } => {
            report(d, "The weights could not be downloaded", reason)
        }
        other => return Some(other),
    }
    None
}

/// A finished evaluation, in three tasks after this one, in this order (timers of equal
/// delay keep it): decode the confidences and draw the candidate, save the run, save the
/// cache (serialising and storing each is a long string).
fn evaluated(
    index: usize,
    run: crate::engine::results::RunResults,
    cache: crate::engine::cache_codec::CompactCache,
    d: &UseReducerDispatcher<AppState>,
    notes: &Rc<StorageNotes>,
) {
    {
        let (d, run, cache) = (d.clone(), run.clone(), cache.clone());
        gloo::timers::callback::Timeout::new(0, move || {
            let decoded = match measured("decode cache", || cache.decode()) {
                Ok(c) => Some(Shared::new(c)),
                Err(e) => {
                    report(
                        &d,
                        "A candidate's confidences could not be read",
                        e.to_string(),
                    );
                    None
                }
            };
            // Drawing the candidate (the render `dispatch` starts) is a task of its
            // own: decoding and rendering together came close to 30 ms.
            gloo::timers::callback::Timeout::new(0, move || {
                d.dispatch(Action::Run(RunEvent::Evaluated {
                    index,
                    run: Shared::new(run),
                    cache: decoded,
                }))
            })
            .forget();
        })
        .forget();
    }
    {
        let (d, notes) = (d.clone(), Rc::clone(notes));
        gloo::timers::callback::Timeout::new(0, move || save_run(&run, &d, &notes)).forget();
    }
    let (d, notes) = (d.clone(), Rc::clone(notes));
    gloo::timers::callback::Timeout::new(0, move || {
        if measured("save cache", || storage::save_cache(index, &cache)).is_err() {
            caches_dropped(&d, &notes, &[index]);
        }
    })
    .forget();
}
