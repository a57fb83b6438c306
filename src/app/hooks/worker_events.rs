//! The search worker's messages on the page: each [`FromWorker`] becomes state changes
//! (the backend badge, smoke-training steps, the search's [`RunEvent`]s) and storage
//! writes — every finished evaluation is saved as it arrives, in tasks of its own.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::app::backend::Backend;
use crate::app::browser::{measured, now_ms};
use crate::app::files::download_bytes;
use crate::app::run_state::{RunEvent, WorkerBackend};
use crate::app::shared::Shared;
use crate::app::state::{Action, AppState};
use crate::app::storage;
use crate::app::worker::codec::base64_decode;
use crate::app::worker::protocol::FromWorker;

pub(super) fn report(d: &UseReducerDispatcher<AppState>, title: &str, detail: String) {
    d.dispatch(Action::ReportError {
        title: title.to_owned(),
        detail,
    });
}

/// One worker message → storage writes and state changes.
pub(super) fn handle(
    message: FromWorker,
    d: &UseReducerDispatcher<AppState>,
    storage_warned: &Rc<Cell<bool>>,
) {
    // Saving (serialise + store) runs in a task of its own, after the state change.
    let save = |run: &crate::engine::results::RunResults| {
        let (run, d, warned) = (run.clone(), d.clone(), Rc::clone(storage_warned));
        gloo::timers::callback::Timeout::new(0, move || {
            if let Err(e) = measured("save run", || storage::save_run(&run)) {
                if !warned.replace(true) {
                    report(&d, "This run cannot be saved in the browser", e);
                }
            }
        })
        .forget();
    };
    let event = match message {
        FromWorker::Ready => return,
        FromWorker::Probed { kind, detail } => {
            let backend = Backend::from_worker(&kind, detail);
            return d.dispatch(Action::BackendReady(Shared::new(backend)));
        }
        FromWorker::SmokeStep { step, loss } => {
            return d.dispatch(Action::SmokeStep { step, loss })
        }
        FromWorker::SmokeDone { losses, seconds } => {
            return d.dispatch(Action::SmokeFinished {
                losses,
                elapsed_ms: seconds * 1000.0,
            })
        }
        FromWorker::SmokeFailed { message } => return d.dispatch(Action::SmokeFailed(message)),
        FromWorker::Weights {
            file_name, bytes, ..
        } => {
            let saved = base64_decode(&bytes)
                .ok_or_else(|| "the weights arrived damaged".to_owned())
                .and_then(|b| download_bytes(&file_name, "application/octet-stream", &b));
            if let Err(e) = saved {
                report(d, "The weights could not be downloaded", e);
            }
            return;
        }
        FromWorker::WeightsUnavailable { reason, .. } => {
            return report(d, "The weights could not be downloaded", reason)
        }
        FromWorker::Status { message } => RunEvent::Status(message),
        FromWorker::Backend { kind, detail } => RunEvent::Backend(WorkerBackend { kind, detail }),
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
            // Three tasks after this one, in this order (timers of equal delay keep it):
            // decode the confidences and draw the candidate, save the run, save the cache
            // (serialising and storing each is a long string).
            {
                let (d, run, cache) = (d.clone(), run.clone(), cache.clone());
                gloo::timers::callback::Timeout::new(0, move || {
                    let decoded = match measured("decode cache", || cache.decode()) {
                        Ok(c) => Some(Shared::new(c)),
                        Err(e) => {
                            report(&d, "A candidate's confidences could not be read", e);
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
            save(&run);
            let (d, warned) = (d.clone(), Rc::clone(storage_warned));
            gloo::timers::callback::Timeout::new(0, move || {
                if let Err(e) = measured("save cache", || storage::save_cache(index, &cache)) {
                    if !warned.replace(true) {
                        report(&d, "Browser storage is full", format!("{e}; candidate {} and later ones will be missing their sliders after a reload", index + 1));
                    }
                }
            })
            .forget();
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
    };
    // Rendering happens in a task of its own (timers of equal delay keep the messages'
    // order), so decoding a large message and drawing a new candidate never add up to
    // one long main-thread task.
    let d = d.clone();
    gloo::timers::callback::Timeout::new(0, move || d.dispatch(Action::Run(event))).forget();
}
