//! The page's side of the search worker: spawns one of its builds ([`WorkerBuild`]:
//! trunk's loader shim of `aebnas-worker` or `aebnas-worker-webgpu`), queues commands
//! until the worker says `Ready`, and hands every parsed [`FromWorker`] message to a
//! callback. Dropping the handle terminates the worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::protocol::{FromWorker, ToWorker};
use crate::app::settings::BackendChoice;
use crate::app::worker_build::WorkerBuild;

/// The build a page with the backend setting `choice` loads (the measurement this browser
/// remembers, and whether it may have WebGPU, decide with it).
pub fn wanted_build(choice: BackendChoice) -> WorkerBuild {
    let remembered = crate::app::storage::load_measurement();
    let webgpu = crate::app::browser::may_have_webgpu();
    WorkerBuild::wanted(choice, remembered.as_ref(), webgpu)
}

/// The browser refused to start the worker (why, as it said).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("could not start the search worker: {0}")]
pub struct SpawnError(pub String);

/// A running search worker.
pub struct SearchWorker {
    /// Which build runs.
    pub build: WorkerBuild,
    worker: Worker,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<String>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl SearchWorker {
    /// Starts the worker of `build`. `on_message` receives every message (malformed ones become
    /// `Failed`); `on_error` hears script errors (the worker could not load or crashed).
    pub fn spawn(
        build: WorkerBuild,
        on_message: impl Fn(FromWorker) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<Self, SpawnError> {
        let worker = Worker::new(build.script()).map_err(|e| SpawnError(format!("{e:?}")))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<String>>> = Rc::default();
        let on_message = {
            let (worker, ready, queue) = (worker.clone(), Rc::clone(&ready), Rc::clone(&queue));
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let message = match event.data().as_string() {
                    Some(text) => crate::app::browser::measured("parse worker message", || {
                        FromWorker::from_json(&text)
                    })
                    .unwrap_or_else(|e| FromWorker::Failed {
                        message: e.to_string(),
                    }),
                    None => FromWorker::Failed {
                        message: "the worker sent a non-text message".into(),
                    },
                };
                if message == FromWorker::Ready {
                    ready.set(true);
                    for text in queue.borrow_mut().drain(..) {
                        let _ = worker.post_message(&JsValue::from_str(&text));
                    }
                }
                on_message(message);
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            on_error(if message.is_empty() {
                "the search worker failed to load".into()
            } else {
                message
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            build,
            worker,
            ready,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `message` (queued until the worker is ready).
    pub fn send(&self, message: &ToWorker) {
        let text = message.to_json();
        if self.ready.get() {
            let _ = self.worker.post_message(&JsValue::from_str(&text));
        } else {
            self.queue.borrow_mut().push(text);
        }
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
