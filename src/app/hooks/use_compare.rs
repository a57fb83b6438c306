//! "Compare methods": a search worker of its own runs, one after another, the method the
//! comparison state says is running ([`CompareState::request`]), in comparison mode (no
//! caches, no weights kept), on the backend and pool size the page's own search would
//! use. The page's worker is not touched, so the current run's weights stay exportable.
//! Stopping terminates the worker; its reports carry their request id, so a late one is
//! dropped by the state.
//!
//! [`CompareState::request`]: crate::app::compare_state::CompareState::request

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::use_stable::use_stable_callback;
use super::worker_events::report;
use crate::app::compare_state::CompareEvent;
use crate::app::compare_view::{compare_blocked, compare_view, CompareView};
use crate::app::files::download_text;
use crate::app::pool_page::page_pool_size;
use crate::app::settings::BackendChoice;
use crate::app::shared::Shared;
use crate::app::state::{Action, AppState};
use crate::app::worker::client::{wanted_build, SearchWorker, SpawnError};
use crate::app::worker::protocol::{FromWorker, ToWorker};
use crate::engine::results::{RunResults, SearchSettings};

/// What the comparison card shows and its buttons do.
pub struct CompareControls {
    /// Start (or continue) the comparison on the current run's problem.
    pub start: Callback<()>,
    /// Stop the running method (it continues from there when started again).
    pub stop: Callback<()>,
    /// Download the current run and the compared runs as one JSON file.
    pub download: Callback<()>,
    /// The comparison of the current run, as shown.
    pub view: Option<Shared<CompareView>>,
    /// Why a comparison cannot start now.
    pub blocked: Option<AttrValue>,
    /// Whether a compared method runs.
    pub running: bool,
}

/// The comparison's worker and the request it runs.
#[derive(Default)]
struct Slot {
    worker: RefCell<Option<SearchWorker>>,
    request: Cell<u64>,
    /// The worker stopped by itself (it is replaced before the next request).
    broken: Cell<bool>,
}

/// A worker message → a comparison event (`None`: not about the comparison's state).
fn event_of(message: FromWorker, request: u64) -> Option<CompareEvent> {
    Some(match message {
        FromWorker::Recorded { run } => CompareEvent::Recorded {
            request,
            run: Shared::new(run),
        },
        FromWorker::Finished { run } | FromWorker::Paused { run } => CompareEvent::Ended {
            request,
            run: Shared::new(run),
        },
        FromWorker::Failed { message } => CompareEvent::Failed { request, message },
        _ => return None,
    })
}

/// Starts the comparison's worker, of the build the page's own worker would be for
/// `backend` (its messages become [`CompareEvent`]s, each rendered in a task of its own).
fn spawn(
    slot: &Rc<Slot>,
    d: &UseReducerDispatcher<AppState>,
    backend: BackendChoice,
) -> Result<SearchWorker, SpawnError> {
    let (s1, d1) = (Rc::clone(slot), d.clone());
    let (s2, d2) = (Rc::clone(slot), d.clone());
    SearchWorker::spawn(
        wanted_build(backend),
        move |message| {
            if let Some(event) = event_of(message, s1.request.get()) {
                let d = d1.clone();
                gloo::timers::callback::Timeout::new(0, move || d.dispatch(Action::Compare(event)))
                    .forget();
            }
        },
        move |error| {
            s2.broken.set(true);
            d2.dispatch(Action::Compare(CompareEvent::Failed {
                request: s2.request.get(),
                message: format!("the comparison's worker stopped: {error}"),
            }));
        },
    )
}

/// Sends the running method's request to the comparison's worker (started when needed),
/// or frees the worker when nothing runs.
fn run_request(
    slot: &Rc<Slot>,
    d: &UseReducerDispatcher<AppState>,
    request: Option<(u64, SearchSettings, Option<Shared<RunResults>>)>,
    backend: BackendChoice,
    workers: usize,
) {
    let Some((id, settings, resume)) = request else {
        // Stopped, or every method is done: the worker's memory is freed.
        slot.broken.set(false);
        slot.worker.borrow_mut().take();
        return;
    };
    slot.request.set(id);
    if slot.broken.take() {
        slot.worker.borrow_mut().take();
    }
    if slot.worker.borrow().is_none() {
        match spawn(slot, d, backend) {
            Ok(w) => *slot.worker.borrow_mut() = Some(w),
            Err(message) => {
                let event = CompareEvent::Failed {
                    request: id,
                    message: message.to_string(),
                };
                return d.dispatch(Action::Compare(event));
            }
        }
    }
    if let Some(w) = slot.worker.borrow().as_ref() {
        w.send(&ToWorker::Start {
            settings,
            resume: resume.map(|r| (*r).clone()),
            backend,
            workers,
            compare: true,
        });
    }
}

/// Downloads the current run and the compared runs as one JSON file (written by hand so
/// that each run keeps its results file's key order).
fn download(state: &AppState, d: &UseReducerDispatcher<AppState>) {
    let compared: Vec<String> = (state.compare.runs.iter())
        .filter_map(|r| r.run.as_ref().map(|r| r.to_json()))
        .collect();
    let run = state.run.run.as_ref();
    let current = run.map_or_else(|| "null".into(), |r| r.to_json());
    let json = format!(
        "{{\"current\": {current},\n\"compared\": [{}]}}\n",
        compared.join(",\n")
    );
    let seed = run.map_or(0, |r| r.settings.seed);
    let name = format!("aebnas-compare-seed{seed}.json");
    if let Err(e) = download_text(&name, "application/json", &json) {
        report(d, "The comparison could not be downloaded", e.to_string());
    }
}

/// Runs what the comparison state asks for; returns what the card shows and its
/// (stable) controls.
#[hook]
pub fn use_compare(state: &UseReducerHandle<AppState>) -> CompareControls {
    let slot = use_memo((), |_| Rc::new(Slot::default()));
    let request = state.compare.request();
    let (backend, workers) = (state.settings.backend, page_pool_size(state).workers);
    {
        let (slot, d) = ((*slot).clone(), state.dispatcher());
        use_effect_with(request.as_ref().map(|r| r.0), move |_| {
            run_request(&slot, &d, request, backend, workers)
        });
    }
    let start = {
        let (d, run) = (state.dispatcher(), state.run.run.clone());
        Callback::from(move |()| {
            if let Some(run) = &run {
                let base = run.settings.clone();
                d.dispatch(Action::Compare(CompareEvent::Start { base }));
            }
        })
    };
    let stop = {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(Action::Compare(CompareEvent::Stop)))
    };
    let on_download = {
        let (state, d) = (state.clone(), state.dispatcher());
        Callback::from(move |()| download(&state, &d))
    };
    let view = use_memo(
        (state.compare.clone(), state.run.run.clone()),
        |(compare, run)| compare_view(compare, run.as_ref()).map(Shared::new),
    );
    CompareControls {
        start: use_stable_callback(start),
        stop: use_stable_callback(stop),
        download: use_stable_callback(on_download),
        view: (*view).clone(),
        blocked: compare_blocked(&state.run, state.smoke.running).map(AttrValue::from),
        running: state.compare.running(),
    }
}
