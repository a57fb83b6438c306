//! The search: owns the worker handle, turns its messages into [`RunEvent`]s, saves
//! every finished evaluation to browser storage as it arrives, restores the saved run
//! once at start-up, remembers the selection and sliders, and trains a shared link's
//! network on request.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::app::browser::{measured, now_ms};
use crate::app::files::download_bytes;
use crate::app::run_state::{RunEvent, WorkerBackend};
use crate::app::settings::Settings;
use crate::app::shared::Shared;
use crate::app::state::{Action, AppState};
use crate::app::storage;
use crate::app::worker::client::SearchWorker;
use crate::app::worker::codec::{base64_decode, base64_encode};
use crate::app::worker::protocol::{FromWorker, ToWorker};

/// What the search buttons do.
pub struct SearchControls {
    /// Start a fresh run (`false`) or resume the current one (`true`).
    pub run: Callback<bool>,
    /// Pause after the current step.
    pub pause: Callback<()>,
    /// Delete the run and its saved copy (asks first).
    pub clear: Callback<()>,
    /// Train the link's network as a run of its own (`true`: ask before replacing a run).
    pub train_linked: Callback<bool>,
    /// Download the selected candidate's trained weights (`.bpk`).
    pub export_weights: Callback<()>,
    /// Evaluate an imported weights file (its link's settings, its bytes) as a run of
    /// its own; the caller has asked before replacing a run.
    pub evaluate_weights: Callback<(Settings, Vec<u8>)>,
}

fn confirm(text: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(text).ok())
        .unwrap_or(false)
}

fn report(d: &UseReducerDispatcher<AppState>, title: &str, detail: String) {
    d.dispatch(Action::ReportError {
        title: title.to_owned(),
        detail,
    });
}

/// One worker message → storage writes and state changes.
fn handle(
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
                    measured("dispatch Evaluated", || {
                        d.dispatch(Action::Run(RunEvent::Evaluated {
                            index,
                            run: Shared::new(run),
                            cache: decoded,
                        }))
                    });
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
    gloo::timers::callback::Timeout::new(0, move || {
        measured("dispatch run event", || d.dispatch(Action::Run(event)))
    })
    .forget();
}

type WorkerSlot = Rc<RefCell<Option<SearchWorker>>>;

/// Milliseconds after the page mounts before the search worker is started.
const WORKER_WARM_UP_MS: u32 = 1500;

/// Starts the worker unless it runs; `false` (after reporting) when it cannot start.
fn ensure_worker(
    worker: &WorkerSlot,
    broken: &Rc<RefCell<bool>>,
    d: &UseReducerDispatcher<AppState>,
) -> bool {
    if std::mem::take(&mut *broken.borrow_mut()) {
        worker.borrow_mut().take();
    }
    if worker.borrow().is_some() {
        return true;
    }
    let (dm, de, warned, broken) = (
        d.clone(),
        d.clone(),
        Rc::new(Cell::new(false)),
        Rc::clone(broken),
    );
    let spawned = SearchWorker::spawn(
        move |message| handle(message, &dm, &warned),
        move |error| {
            *broken.borrow_mut() = true;
            de.dispatch(Action::Run(RunEvent::Failed(format!(
                "the search worker stopped: {error}"
            ))));
        },
    );
    match spawned {
        Ok(w) => {
            *worker.borrow_mut() = Some(w);
            true
        }
        Err(e) => {
            d.dispatch(Action::Run(RunEvent::Failed(e)));
            false
        }
    }
}

/// Starts a one-network run (a linked network, or imported weights): the worker's
/// answer replaces the current run and its saved caches.
fn start_single(
    worker: &WorkerSlot,
    broken: &Rc<RefCell<bool>>,
    d: &UseReducerDispatcher<AppState>,
    message: &ToWorker,
) {
    if !ensure_worker(worker, broken, d) {
        return;
    }
    storage::clear_caches();
    d.dispatch(Action::Run(RunEvent::Requested { resume: false }));
    if let Some(w) = worker.borrow().as_ref() {
        w.send(message);
    }
}

/// Restores the saved run once, keeps the saved view in step, and returns the controls.
#[hook]
pub fn use_search(state: &UseReducerHandle<AppState>) -> SearchControls {
    let worker: WorkerSlot = use_mut_ref(|| None);
    let broken = use_mut_ref(|| false);
    {
        // The worker (a large WebAssembly module) starts once the page has settled, so
        // that pressing "run" neither waits for it nor spends a long task creating it.
        let (d, worker, broken) = (state.dispatcher(), Rc::clone(&worker), Rc::clone(&broken));
        use_effect_with((), move |_| {
            let timer = gloo::timers::callback::Timeout::new(WORKER_WARM_UP_MS, move || {
                ensure_worker(&worker, &broken, &d);
            });
            move || drop(timer)
        });
    }
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| match storage::load() {
            Ok(Some(saved)) => {
                if !saved.problems.is_empty() {
                    report(
                        &d,
                        "Part of the saved run could not be restored",
                        saved.problems.join("; "),
                    );
                }
                d.dispatch(Action::Run(RunEvent::Restored {
                    run: saved.run,
                    caches: saved.caches,
                    view: saved.view,
                }));
            }
            Ok(None) => {}
            Err(e) => report(&d, "The saved run could not be restored", e),
        });
    }
    // Saved in a task of its own (a newer view cancels a save not yet run).
    use_effect_with(state.run.view.clone(), |view| {
        let view = view.clone();
        let timer = gloo::timers::callback::Timeout::new(0, move || {
            measured("save view", || storage::save_view(view.as_ref()))
        });
        move || drop(timer)
    });

    let run = {
        let (d, worker, broken) = (state.dispatcher(), Rc::clone(&worker), Rc::clone(&broken));
        let settings = state.settings.search_settings();
        let backend = state.settings.backend;
        let current = state.run.run.clone();
        Callback::from(move |resume: bool| {
            let done = current.as_ref().map_or(0, |r| r.archive.len());
            if !resume && done > 0 && !confirm(&format!("Start a new search? The current run's {done} evaluated candidates will be deleted.")) {
                return;
            }
            if !resume {
                d.dispatch(Action::DropPending);
            }
            d.dispatch(Action::Run(RunEvent::Requested { resume }));
            // The page shows "starting" first; clearing the stored caches, building the
            // message and telling the worker happen in a task of their own.
            let (d, worker, broken, settings, current) = (
                d.clone(),
                Rc::clone(&worker),
                Rc::clone(&broken),
                settings.clone(),
                current.clone(),
            );
            gloo::timers::callback::Timeout::new(0, move || {
                if !ensure_worker(&worker, &broken, &d) {
                    return;
                }
                let message = match (resume, current.as_ref()) {
                    (true, Some(run)) => ToWorker::Start {
                        settings: run.settings.clone(),
                        resume: Some((**run).clone()),
                        backend,
                    },
                    _ => {
                        storage::clear_caches();
                        ToWorker::Start {
                            settings,
                            resume: None,
                            backend,
                        }
                    }
                };
                if let Some(w) = worker.borrow().as_ref() {
                    w.send(&message);
                }
            })
            .forget();
        })
    };
    let train_linked = {
        let (d, worker, broken) = (state.dispatcher(), Rc::clone(&worker), Rc::clone(&broken));
        let settings = state.settings.search_settings();
        let backend = state.settings.backend;
        let pending = state.page.pending.clone();
        let done = state.run.done();
        Callback::from(move |ask: bool| {
            let Some(pending) = pending.as_ref() else {
                return;
            };
            if ask && done > 0 && !confirm(&format!("Train the linked network? The current run's {done} evaluated candidates will be deleted.")) {
                return;
            }
            let message = ToWorker::Evaluate {
                settings: settings.clone(),
                genome: pending.genome.to_string(),
                backend,
                weights: None,
            };
            start_single(&worker, &broken, &d, &message);
        })
    };
    let export_weights = {
        let (d, worker, broken) = (state.dispatcher(), Rc::clone(&worker), Rc::clone(&broken));
        let view = state.run.view.clone();
        Callback::from(move |()| {
            let Some(view) = view.as_ref() else { return };
            if !ensure_worker(&worker, &broken, &d) {
                return;
            }
            if let Some(w) = worker.borrow().as_ref() {
                w.send(&ToWorker::ExportWeights {
                    index: view.index,
                    exit_rule: view.rule,
                    thresholds: view.thresholds.clone(),
                });
            }
        })
    };
    let evaluate_weights = {
        let (d, worker, broken) = (state.dispatcher(), Rc::clone(&worker), Rc::clone(&broken));
        let busy = state.run.status.is_busy();
        Callback::from(move |(settings, bytes): (Settings, Vec<u8>)| {
            if busy {
                return report(
                    &d,
                    "The weights were not opened",
                    "pause the running search first".into(),
                );
            }
            let message = ToWorker::Evaluate {
                settings: settings.search_settings(),
                // The weights file names its genome.
                genome: String::new(),
                backend: settings.backend,
                weights: Some(base64_encode(&bytes)),
            };
            start_single(&worker, &broken, &d, &message);
        })
    };
    let pause = {
        let (d, worker) = (state.dispatcher(), Rc::clone(&worker));
        Callback::from(move |()| {
            if let Some(w) = worker.borrow().as_ref() {
                w.send(&ToWorker::Pause);
            }
            d.dispatch(Action::Run(RunEvent::PauseRequested));
        })
    };
    let clear = {
        let d = state.dispatcher();
        Callback::from(move |()| {
            if !confirm("Delete this run and its saved candidates from this browser?") {
                return;
            }
            if let Err(e) = storage::clear() {
                report(&d, "Could not clear the browser storage", e);
            }
            d.dispatch(Action::Run(RunEvent::Cleared));
        })
    };
    SearchControls {
        run,
        pause,
        clear,
        train_linked,
        export_weights,
        evaluate_weights,
    }
}
