//! Selects the compute backend once, at start-up.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::backend;
use crate::app::settings::BackendChoice;
use crate::app::state::{Action, AppState, Shared};

/// Runs [`backend::select`] once (burn's wgpu runtime can be initialised only once per
/// page) and dispatches [`Action::BackendReady`].
#[hook]
pub fn use_backend_selection(choice: BackendChoice, dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        spawn_local(async move {
            let selected = backend::select(choice).await;
            dispatcher.dispatch(Action::BackendReady(Shared::new(selected)));
        });
    });
}
