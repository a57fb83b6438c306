//! The "smoke train" action: a few training steps of the model module's tiny conv net on
//! the worker's backend and the selected dataset; the worker reports each step's loss
//! (`SmokeStep`, handled in `worker_events.rs`) as it finishes.

use yew::prelude::*;

use super::use_worker::WorkerHandle;
use crate::app::state::{Action, AppState, SmokeEvent};
use crate::app::worker::protocol::ToWorker;

/// A callback that starts a smoke-training run when the state allows one (backend
/// known, training subset loaded, nothing training); otherwise does nothing.
#[hook]
pub fn use_smoke_train(state: &UseReducerHandle<AppState>, worker: &WorkerHandle) -> Callback<()> {
    let (state, worker) = (state.clone(), worker.clone());
    Callback::from(move |()| {
        if !state.can_smoke_train() {
            return;
        }
        let steps = state.settings.smoke_steps;
        state.dispatch(Action::Smoke(SmokeEvent::Started { total: steps }));
        let sent = worker.send(&ToWorker::Smoke {
            dataset: state.settings.dataset.clone(),
            seed: state.settings.seed,
            steps,
            backend: state.settings.backend,
        });
        if !sent {
            state.dispatch(Action::Smoke(SmokeEvent::Failed(
                "the search worker could not start".into(),
            )));
        }
    })
}
