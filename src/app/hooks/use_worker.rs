//! The page's one search worker: started once the page's start is done (the test images
//! loaded and the example run shown, then a quiet moment: no frame, task or staged part
//! pending; at once when something needs it sooner), so that its
//! WebAssembly compile and backend probe do not share the cores with the page's first
//! render. It also picks the compute backend, so the badge waits for it; it is handed the
//! measurement this browser remembers, so that only a first visit measures. It is asked again which backend it trains
//! on whenever the backend setting changes or the user asks to measure again, and
//! restarted on the next request after it crashed.
//! The build it loads ([`WorkerBuild`]) is the one without WebGPU unless WebGPU may be
//! picked; a CPU build is replaced by the WebGPU one when the setting or "measure again"
//! needs it (the WebGPU build does both, so it is never swapped back).
//! Every message it sends goes to [`worker_events::handle`](super::worker_events).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::worker_events::handle;
use crate::app::backend::Backend;
use crate::app::run_state::RunEvent;
use crate::app::settings::BackendChoice;
use crate::app::state::{Action, AppState, Shared, SmokeEvent};
use crate::app::storage;
use crate::app::worker::client::{wanted_build, SearchWorker};
use crate::app::worker::protocol::ToWorker;
use crate::app::worker_build::WorkerBuild;

/// A handle on the worker, cheap to clone into callbacks.
#[derive(Clone)]
pub struct WorkerHandle {
    slot: Rc<RefCell<Option<SearchWorker>>>,
    broken: Rc<Cell<bool>>,
    /// The backend setting the badge asks about; a restarted worker is asked again.
    choice: Rc<Cell<Option<BackendChoice>>>,
    d: UseReducerDispatcher<AppState>,
    /// "Measure again" (stable across renders: the handle is built once).
    pub on_measure: Callback<()>,
}

impl WorkerHandle {
    /// Starts the worker unless it runs (and asks a new one which backend it trains on);
    /// `false` (after reporting) when it cannot start.
    pub fn ensure(&self) -> bool {
        self.ensure_build(wanted_build(self.choice.get().unwrap_or_default()))
    }

    /// Like [`ensure`](Self::ensure) with a worker of a build that covers `wanted`: a
    /// running CPU build is replaced when WebGPU is wanted.
    fn ensure_build(&self, wanted: WorkerBuild) -> bool {
        if self.broken.take() {
            self.slot.borrow_mut().take();
        }
        let covered = self.slot.borrow().as_ref().map(|w| w.build.covers(wanted));
        match covered {
            Some(true) => return true,
            Some(false) => drop(self.slot.borrow_mut().take()),
            None => {}
        }
        let (dm, de, warned, broken) = (
            self.d.clone(),
            self.d.clone(),
            Rc::default(),
            Rc::clone(&self.broken),
        );
        let spawned = SearchWorker::spawn(
            wanted,
            move |message| handle(message, &dm, &warned),
            move |error| {
                broken.set(true);
                let message = format!("the search worker stopped: {error}");
                de.dispatch(Action::BackendReady(Shared::new(Backend::unavailable(
                    message.clone(),
                ))));
                de.dispatch(Action::Smoke(SmokeEvent::Failed(message.clone())));
                de.dispatch(Action::Run(RunEvent::Failed(message)));
            },
        );
        match spawned {
            Ok(w) => {
                if let Some(backend) = self.choice.get() {
                    w.send(&probe_message(backend));
                }
                *self.slot.borrow_mut() = Some(w);
                true
            }
            Err(e) => {
                let e = e.to_string();
                let unavailable = Backend::unavailable(e.clone());
                self.d
                    .dispatch(Action::BackendReady(Shared::new(unavailable)));
                self.d.dispatch(Action::Run(RunEvent::Failed(e)));
                false
            }
        }
    }

    /// Sends `message`, starting the worker first when needed; `false` when it cannot run.
    pub fn send(&self, message: &ToWorker) -> bool {
        let sent = self.ensure();
        if sent {
            self.send_if_running(message);
        }
        sent
    }

    /// Like [`send`](Self::send) for a message with a side effect that must only happen
    /// when the worker can take it (clearing a run's stored caches): `make` runs after
    /// the worker started.
    pub fn send_with(&self, make: impl FnOnce() -> ToWorker) -> bool {
        let sent = self.ensure();
        if sent {
            self.send_if_running(&make());
        }
        sent
    }

    /// Asks the worker which backend it trains on with `backend` (the badge shows the
    /// answer), starting it when needed.
    fn probe(&self, backend: BackendChoice) {
        self.choice.set(Some(backend));
        let running = self.slot.borrow().as_ref().map(|w| w.build);
        if self.broken.get() || running.is_none() {
            self.ensure();
            return;
        }
        // A worker that must be replaced by a WebGPU build is asked by the new one.
        let before = running.expect("checked above");
        if self.ensure() && self.slot.borrow().as_ref().map(|w| w.build) == Some(before) {
            self.send_if_running(&probe_message(backend));
        }
    }

    /// Whether the worker runs (or was started and has not been found broken).
    fn started(&self) -> bool {
        self.slot.borrow().is_some()
    }

    /// The badge's question when the page's start is `settled`
    /// ([`AppState::start_settled`]): a running worker is asked at once (unless it was
    /// already asked about `backend`); otherwise the worker starts in the first quiet
    /// moment after the start, or after [`START_LATEST_MS`] if the start never settles. A
    /// deferred start asks about the setting of that moment.
    fn probe_when_ready(&self, backend: BackendChoice, settled: bool) {
        if self.started() {
            if self.choice.get() != Some(backend) {
                self.probe(backend);
            }
            return;
        }
        self.choice.set(Some(backend));
        let handle = self.clone();
        // The adapter check first: a browser with the API but no adapter gets the CPU build.
        let start = move || {
            wasm_bindgen_futures::spawn_local(async move {
                crate::app::browser::check_webgpu_adapter().await;
                if !handle.started() {
                    handle.probe(handle.choice.get().unwrap_or_default());
                }
            })
        };
        if settled {
            crate::app::browser::when_quiet(QUIET_WAIT_MS, start);
        } else {
            gloo::timers::callback::Timeout::new(START_LATEST_MS, start).forget();
        }
    }

    /// Asks the worker to measure the backends again (it answers `Measuring`, then the
    /// backend and the new figures, or why not now).
    fn measure_again(&self) {
        let backend = self.choice.get().unwrap_or_default();
        let build = WorkerBuild::to_measure(crate::app::browser::may_have_webgpu());
        if self.ensure_build(build) {
            self.send_if_running(&ToWorker::Measure { backend });
        }
    }

    /// Sends `message` only to a running worker (a pause needs no fresh one).
    pub fn send_if_running(&self, message: &ToWorker) {
        if let Some(w) = self.slot.borrow().as_ref() {
            w.send(message);
        }
    }
}

/// Longest wait for a quiet moment once the test images are loaded, in ms.
const QUIET_WAIT_MS: u32 = 3_000;

/// Latest start of the worker when the test images neither load nor fail, in ms.
const START_LATEST_MS: u32 = 5_000;

/// The probe for `backend`, with the measurement this browser remembers.
fn probe_message(backend: BackendChoice) -> ToWorker {
    ToWorker::Probe {
        backend,
        remembered: storage::load_measurement(),
    }
}

/// Starts the worker once the page's start is done and asks it for the backend each time
/// the backend setting changes (the badge shows the answer).
#[hook]
pub fn use_worker(state: &UseReducerHandle<AppState>) -> WorkerHandle {
    let d = state.dispatcher();
    let handle = (*use_memo((), move |_| {
        let mut handle = WorkerHandle {
            slot: Rc::default(),
            broken: Rc::default(),
            choice: Rc::default(),
            d,
            on_measure: Callback::noop(),
        };
        let inner = handle.clone();
        handle.on_measure = Callback::from(move |()| inner.measure_again());
        handle
    }))
    .clone();
    {
        // Measured (bench/page-start-ab.sh, quiet 2-core machine, 10 runs a build; series
        // 2026-12-05-e and -f): started at mount, the worker's compile and probe beside the
        // first render made the start's longest task a median of 41-45 ms; started after
        // it, 31-34 ms.
        let handle = handle.clone();
        let settled = state.start_settled();
        use_effect_with(
            (state.settings.backend, settled),
            move |&(backend, settled)| {
                handle.probe_when_ready(backend, settled);
            },
        );
    }
    handle
}
