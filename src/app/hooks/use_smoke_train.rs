//! The "smoke train" action: a few training steps of the model module's tiny conv net on
//! the selected backend and dataset, reporting each step's loss as it finishes.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::browser::{now_ms, yield_now};
use crate::app::state::{Action, AppState};
use crate::model::smoke::smoke_train;

/// A callback that starts a smoke-training run when the state allows one (backend
/// selected, training subset loaded, no run in progress); otherwise does nothing.
#[hook]
pub fn use_smoke_train(state: &UseReducerHandle<AppState>) -> Callback<()> {
    let state = state.clone();
    Callback::from(move |()| {
        if !state.can_smoke_train() {
            return;
        }
        let (Some(backend), Some(train)) = (state.backend.clone(), state.data.train.clone()) else {
            return;
        };
        let steps = state.settings.smoke_steps;
        let seed = state.settings.seed;
        let dispatcher = state.dispatcher();
        dispatcher.dispatch(Action::SmokeStarted { total: steps });
        spawn_local(async move {
            // Let the "running" state paint before the first step.
            yield_now().await;
            let started = now_ms();
            let on_step = {
                let dispatcher = dispatcher.clone();
                move |step: usize, loss: f32| dispatcher.dispatch(Action::SmokeStep { step, loss })
            };
            let result = smoke_train(&backend.device, &train, steps, seed, on_step).await;
            dispatcher.dispatch(match result {
                Ok(losses) => Action::SmokeFinished {
                    losses,
                    elapsed_ms: now_ms() - started,
                },
                Err(message) => Action::SmokeFailed(message),
            });
        });
    })
}
