//! The search: its buttons (run, resume, pause, clear), the saved run restored once at
//! start-up (or the shipped example wanted instead), the selection and sliders remembered, a shared link's network or imported
//! weights trained on request, weights exported. The worker's answers are handled in
//! `worker_events.rs`.

use yew::prelude::*;

use super::use_worker::WorkerHandle;
use super::worker_events::report;
use crate::app::browser::{confirm, measured};
use crate::app::link::Link;
use crate::app::pool_page::page_pool_size;
use crate::app::run_state::RunEvent;
use crate::app::settings::Settings;
use crate::app::state::{Action, AppState};
use crate::app::storage;
use crate::app::worker::protocol::ToWorker;
use crate::engine::cache_codec::base64_encode;

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

/// Starts a one-network run (a linked network, or imported weights): the worker's
/// answer replaces the current run and its saved caches. As for a search, the page shows
/// "starting" first; clearing the caches and telling the worker run in a task of their own.
fn start_single(worker: &WorkerHandle, d: &UseReducerDispatcher<AppState>, message: ToWorker) {
    d.dispatch(Action::Run(RunEvent::Requested { resume: false }));
    let worker = worker.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        worker.send_with(|| {
            storage::clear_caches();
            message
        });
    })
    .forget();
}

/// Restores the saved run once, keeps the saved view in step, and returns the controls.
#[hook]
pub fn use_search(state: &UseReducerHandle<AppState>, worker: &WorkerHandle) -> SearchControls {
    {
        let d = state.dispatcher();
        // A link naming the example shows it instead (the saved run stays saved); a bare
        // first visit with nothing saved shows it too.
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let bare = hash.trim_start_matches('#').is_empty();
        let example = Link::parse(&hash).0.example;
        use_effect_with((), move |_| match storage::load() {
            Ok(_) if example => {}
            Ok(None) if bare => d.dispatch(Action::WantExample),
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
                    example: false,
                }));
            }
            Ok(None) => {}
            Err(e) => report(&d, "The saved run could not be restored", e.to_string()),
        });
    }
    // Saved in a task of its own (a newer view cancels a save not yet run); the example's
    // view is not saved (its run is not).
    use_effect_with(
        (state.run.view.clone(), state.run.example),
        |(view, example)| {
            let view = view.clone();
            let timer = (!example).then(|| {
                gloo::timers::callback::Timeout::new(0, move || {
                    measured("save view", || storage::save_view(view.as_ref()))
                })
            });
            move || drop(timer)
        },
    );

    SearchControls {
        run: run_callback(state, worker),
        pause: pause_callback(state, worker),
        clear: clear_callback(state),
        train_linked: train_linked_callback(state, worker),
        export_weights: export_weights_callback(state, worker),
        evaluate_weights: evaluate_weights_callback(state, worker),
    }
}

/// Run search (fresh, asking before it deletes a run) or Resume.
fn run_callback(state: &UseReducerHandle<AppState>, worker: &WorkerHandle) -> Callback<bool> {
    let (d, worker) = (state.dispatcher(), worker.clone());
    let settings = state.search_settings();
    let backend = state.settings.backend;
    let workers = page_pool_size(state).workers;
    let current = state.run.run.clone();
    // The shipped example is replaced without asking (it is not the user's).
    let example = state.run.example;
    Callback::from(move |resume: bool| {
        let done = if example {
            0
        } else {
            current.as_ref().map_or(0, |r| r.archive.len())
        };
        if !resume && done > 0 && !confirm(&format!("Start a new search? The current run's {done} evaluated candidates will be deleted.")) {
            return;
        }
        // A link showed the example over a run saved here: that run goes too.
        if !resume
            && example
            && storage::has_saved_run()
            && !confirm("Start a new search? The run saved in this browser will be deleted.")
        {
            return;
        }
        if !resume {
            d.dispatch(Action::DropPending);
        }
        d.dispatch(Action::Run(RunEvent::Requested { resume }));
        // The page shows "starting" first; clearing the stored caches, building the
        // message and telling the worker happen in a task of their own.
        let (worker, settings, current) = (worker.clone(), settings.clone(), current.clone());
        gloo::timers::callback::Timeout::new(0, move || {
            worker.send_with(|| match (resume, current.as_ref()) {
                (true, Some(run)) => ToWorker::Start {
                    settings: run.settings.clone(),
                    resume: Some((**run).clone()),
                    backend,
                    workers,
                    compare: false,
                },
                _ => {
                    storage::clear_caches();
                    ToWorker::Start {
                        settings,
                        resume: None,
                        backend,
                        workers,
                        compare: false,
                    }
                }
            });
        })
        .forget();
    })
}

/// Train the link's network as a run of its own.
fn train_linked_callback(
    state: &UseReducerHandle<AppState>,
    worker: &WorkerHandle,
) -> Callback<bool> {
    let (d, worker) = (state.dispatcher(), worker.clone());
    let settings = state.search_settings();
    let backend = state.settings.backend;
    let pending = state.page.pending.clone();
    let (example, done) = (state.run.example, state.run.own_done());
    Callback::from(move |ask: bool| {
        let Some(pending) = pending.as_ref() else {
            return;
        };
        if ask && done > 0 && !confirm(&format!("Train the linked network? The current run's {done} evaluated candidates will be deleted.")) {
            return;
        }
        // A link showed the example over a run saved here: that run would go too.
        if example
            && storage::has_saved_run()
            && !confirm("Train the linked network? The run saved in this browser will be deleted.")
        {
            return;
        }
        let message = ToWorker::Evaluate {
            settings: settings.clone(),
            genome: pending.genome.to_string(),
            backend,
        };
        start_single(&worker, &d, message);
    })
}

/// Download the selected candidate's weights.
fn export_weights_callback(
    state: &UseReducerHandle<AppState>,
    worker: &WorkerHandle,
) -> Callback<()> {
    let worker = worker.clone();
    let view = state.run.view.clone();
    Callback::from(move |()| {
        let Some(view) = view.as_ref() else { return };
        worker.send(&ToWorker::ExportWeights {
            index: view.index,
            exit_rule: view.rule,
            thresholds: view.thresholds.clone(),
        });
    })
}

/// Evaluate an imported weights file as a run of its own.
fn evaluate_weights_callback(
    state: &UseReducerHandle<AppState>,
    worker: &WorkerHandle,
) -> Callback<(Settings, Vec<u8>)> {
    let (d, worker) = (state.dispatcher(), worker.clone());
    let busy = state.run.status.is_busy();
    Callback::from(move |(settings, bytes): (Settings, Vec<u8>)| {
        if busy {
            return report(
                &d,
                "The weights were not opened",
                "pause the running search first".into(),
            );
        }
        let message = ToWorker::EvaluateWeights {
            settings: settings.search_settings(),
            backend: settings.backend,
            weights: base64_encode(&bytes),
        };
        start_single(&worker, &d, message);
    })
}

/// Pause after the current step.
fn pause_callback(state: &UseReducerHandle<AppState>, worker: &WorkerHandle) -> Callback<()> {
    let (d, worker) = (state.dispatcher(), worker.clone());
    Callback::from(move |()| {
        worker.send_if_running(&ToWorker::Pause);
        d.dispatch(Action::Run(RunEvent::PauseRequested));
    })
}

/// Delete the run and its saved copy (asks first; the example deletes nothing).
fn clear_callback(state: &UseReducerHandle<AppState>) -> Callback<()> {
    let d = state.dispatcher();
    let example = state.run.example;
    Callback::from(move |()| {
        // The example is not saved here: closing it deletes nothing.
        if example {
            return d.dispatch(Action::Run(RunEvent::Cleared));
        }
        if !confirm("Delete this run and its saved candidates from this browser?") {
            return;
        }
        if let Err(e) = storage::clear() {
            report(&d, "Could not clear the browser storage", e.to_string());
        }
        d.dispatch(Action::Run(RunEvent::Cleared));
    })
}
