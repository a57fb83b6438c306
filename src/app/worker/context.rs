//! What the worker's requests share: posting to the page ([`post`]), the one request slot
//! ([`launch`], [`busy`]: the worker holds one network at a time) with its pause state,
//! the data splits kept for the next request, and a run's data and search space.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use super::data::{load_splits, Splits, SplitsError};
use super::evaluator::Shared;
use super::protocol::FromWorker;
use crate::engine::results::SearchSettings;
use crate::engine::space::SearchSpace;

thread_local! {
    /// What the worker is busy with (`None` when idle).
    static RUNNING: Cell<Option<&'static str>> = const { Cell::new(None) };
    /// The pause state of the request in the slot.
    static SHARED: RefCell<Rc<Shared>> = RefCell::new(Rc::new(Shared::default()));
    /// The splits of the last dataset loaded.
    static DATA: RefCell<Option<Rc<Splits>>> = const { RefCell::new(None) };
}

/// Asks the request in the slot to stop after its current step.
pub(super) fn request_stop() {
    SHARED.with_borrow(|s| s.stop.set(true));
}

/// Posts `message` to the page.
pub fn post(message: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&JsValue::from_str(&message.to_json()));
}

/// Runs one request (`what`: a search, a linked network, smoke training) unless one is
/// running, since the worker holds one network at a time: then `fail` answers that it is
/// busy. Otherwise the request gets fresh pause state and its final message is posted
/// when it ends.
pub(super) fn launch<F, Fut>(what: &'static str, fail: fn(String) -> FromWorker, run: F)
where
    F: FnOnce(Rc<Shared>) -> Fut,
    Fut: std::future::Future<Output = FromWorker> + 'static,
{
    if let Some(busy) = RUNNING.get() {
        return post(&fail(format!("the worker is busy with {busy}")));
    }
    RUNNING.set(Some(what));
    let shared = Rc::new(Shared::default());
    SHARED.set(Rc::clone(&shared));
    let request = run(shared);
    wasm_bindgen_futures::spawn_local(async move {
        let end = request.await;
        RUNNING.set(None);
        post(&end);
    });
}

/// What the worker is busy with (`None` when idle).
pub(super) fn busy() -> Option<&'static str> {
    RUNNING.get()
}

/// The splits of `dataset` (kept for the next request); loading reports to `status`.
pub(super) async fn data_for(
    dataset: &str,
    seed: u64,
    status: &dyn Fn(String),
) -> Result<Rc<Splits>, SplitsError> {
    let cached = DATA.with_borrow(|d| d.clone());
    if let Some(d) = cached.filter(|d| d.id == dataset && d.seed == seed) {
        return Ok(d);
    }
    let splits = load_splits(dataset, seed, status).await?;
    DATA.set(Some(Rc::clone(&splits)));
    Ok(splits)
}

/// The run's data splits and the browser search space they call for.
pub(super) async fn data_and_space(
    settings: &SearchSettings,
) -> Result<(Rc<Splits>, SearchSpace), SplitsError> {
    let status = |message: String| post(&FromWorker::Status { message });
    let data = data_for(&settings.dataset, settings.seed, &status).await?;
    let space = SearchSpace::browser(
        data.train.channels,
        data.train.height,
        data.train.classes.len(),
    );
    Ok((data, space))
}
