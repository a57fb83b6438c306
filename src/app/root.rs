//! The root component: owns the [`AppState`], starts the hooks that do the asynchronous
//! work, and lays out the panels.

use yew::prelude::*;

use super::components::{DatasetPicker, ErrorBanner, Header, SampleGrid, SmokePanel};
use super::hooks::{use_backend_selection, use_catalog, use_dataset_loader, use_smoke_train};
use super::settings::Settings;
use super::state::{Action, AppState};

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::new(Settings::default()));
    use_catalog(state.dispatcher());
    use_backend_selection(state.settings.backend, state.dispatcher());
    use_dataset_loader(
        state.catalog.clone(),
        state.settings.dataset.clone(),
        state.settings.samples_shown,
        state.dispatcher(),
    );
    let on_smoke = use_smoke_train(&state);

    let dispatcher = state.dispatcher();
    let on_select =
        Callback::from(move |id: String| dispatcher.dispatch(Action::SelectDataset(id)));
    let dispatcher = state.dispatcher();
    let on_dismiss = Callback::from(move |id: u32| dispatcher.dispatch(Action::DismissError(id)));

    let dataset_name = state
        .catalog
        .as_ref()
        .and_then(|catalog| {
            catalog
                .get(&state.settings.dataset)
                .map(|info| info.name.clone())
        })
        .unwrap_or_default();
    let waiting_for = if state.smoke.running || state.can_smoke_train() {
        None
    } else if state.backend.is_none() {
        Some("Waiting for the backend…".into())
    } else if state.data.failed.is_some() {
        Some("Training needs a loaded dataset.".into())
    } else {
        Some("Waiting for the training images…".into())
    };

    html! {
        <div class="app">
            <Header backend={state.backend.clone()} />
            <ErrorBanner errors={state.errors.clone()} {on_dismiss} />
            <main class="layout">
                <div class="column">
                    <DatasetPicker catalog={state.catalog.clone()}
                                   selected={state.settings.dataset.clone()}
                                   data={state.data.clone()}
                                   disabled={state.smoke.running}
                                   {on_select} />
                    <SmokePanel backend={state.backend.clone()} smoke={state.smoke.clone()}
                                can_run={state.can_smoke_train()} {waiting_for}
                                on_run={on_smoke} />
                </div>
                <SampleGrid samples={state.data.samples.clone()} {dataset_name}
                            test_count={state.data.test_count} />
            </main>
            <footer class="app-footer">
                { "Runs entirely in your browser: no data leaves this page. Costs are MACs of conv \
                   and linear layers. Method: AEBNAS (Robben, Khalilian, Meratnia, IEEE FLTA 2025)." }
            </footer>
        </div>
    }
}
