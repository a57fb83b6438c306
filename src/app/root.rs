//! The root component: owns the [`AppState`], starts the hooks that do the asynchronous
//! work, and lays out the panels: dataset and search controls beside the live Pareto
//! view, the selected candidate below, the compute check and test images last.

use yew::prelude::*;

use super::browser::now_ms;
use super::components::{
    CandidatePanel, DatasetPicker, ErrorBanner, Header, ParetoPanel, SampleGrid, SearchPanel,
    SmokePanel,
};
use super::hooks::{
    use_backend_selection, use_catalog, use_dataset_loader, use_search, use_smoke_train,
};
use super::run_state::RunEvent;
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
    let search = use_search(&state);

    let dispatcher = state.dispatcher();
    let on_select =
        Callback::from(move |id: String| dispatcher.dispatch(Action::SelectDataset(id)));
    let dispatcher = state.dispatcher();
    let on_dismiss = Callback::from(move |id: u32| dispatcher.dispatch(Action::DismissError(id)));
    // Stable callbacks: panels whose data did not change skip re-rendering while the
    // search streams progress.
    let dispatcher = state.dispatcher();
    let on_settings = use_callback((), move |s: Settings, _| {
        dispatcher.dispatch(Action::EditSettings(s))
    });
    let dispatcher = state.dispatcher();
    let on_run_event = use_callback((), move |e: RunEvent, _| {
        dispatcher.dispatch(Action::Run(e))
    });
    let dispatcher = state.dispatcher();
    let on_pick = use_callback((), move |i: usize, _| {
        dispatcher.dispatch(Action::Run(RunEvent::Select(i)))
    });

    let dataset_name = state
        .catalog
        .as_ref()
        .and_then(|catalog| {
            catalog
                .get(&state.settings.dataset)
                .map(|info| info.name.clone())
        })
        .unwrap_or_default();
    let waiting_for: Option<AttrValue> = if state.smoke.running || state.can_smoke_train() {
        None
    } else if state.backend.is_none() {
        Some("Waiting for the backend…".into())
    } else if state.data.failed.is_some() {
        Some("Training needs a loaded dataset.".into())
    } else {
        Some("Waiting for the training images…".into())
    };
    let run = &state.run;
    let selected = run.view.as_ref().map(|v| v.index);
    let run_test = match (run.run.as_ref(), state.data.test.as_ref()) {
        (Some(r), Some(test)) if r.settings.dataset == state.data.id => Some(test.clone()),
        _ => None,
    };

    html! {
        <div class="app">
            <Header backend={state.backend.clone()} />
            <ErrorBanner errors={state.errors.clone()} {on_dismiss} />
            <main class="layout layout-search">
                <div class="column">
                    <DatasetPicker catalog={state.catalog.clone()}
                                   selected={state.settings.dataset.clone()}
                                   data={state.data.clone()}
                                   disabled={state.smoke.running || run.status.is_busy()}
                                   {on_select} />
                    <SearchPanel settings={state.settings.clone()} run={run.clone()}
                                 can_start={state.catalog.is_some()} now_ms={now_ms()}
                                 {on_settings} on_run={search.run} on_pause={search.pause}
                                 on_clear={search.clear} />
                </div>
                <ParetoPanel run={run.run.clone()} target={state.settings.mac_target} {selected}
                             on_select={on_pick} />
            </main>
            if let (Some(r), Some(view)) = (run.run.clone(), run.view.clone()) {
                <CandidatePanel cache={run.caches.get(&view.index).cloned()} run={r} {view} test={run_test}
                                on_event={on_run_event} />
            }
            <main class="layout">
                <div class="column">
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
