//! The root component: owns the [`AppState`], starts the hooks that do the asynchronous
//! work, and lays out the panels: dataset and search controls beside the live Pareto
//! view, the selected candidate below, the compute check and test images last.

use yew::prelude::*;

use super::browser::now_ms;
use super::components::{
    CandidatePanel, ComparePanel, DatasetPicker, Deferred, ErrorBanner, Header, LessonPanel,
    LinkNotice, ParetoPanel, SampleGrid, SearchPanel, SharePanel, SmokePanel, UserDataPanel,
};
use super::controls::{Control, View};
use super::hooks::{
    url_with_hash, use_auto_train_linked, use_catalog, use_compare, use_dataset_loader,
    use_example, use_link, use_page_callbacks, use_search, use_share, use_smoke_train,
    use_stable_callback, use_user_sets, use_worker, PageCallbacks, SearchControls, ShareControls,
};
use super::settings::Settings;
use super::state::AppState;

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::new(Settings::default()));
    use_catalog(state.dispatcher());
    use_user_sets(state.dispatcher());
    let worker = use_worker(&state);
    use_dataset_loader(
        state.catalog.clone(),
        state.user.clone(),
        state.settings.dataset.clone(),
        state.settings.samples_shown,
        state.dispatcher(),
    );
    // The hooks build their callbacks from this render's state; the panels get stable
    // ones (see `use_stable_callback`), so that a panel whose data did not change does not
    // re-render on every progress step of a search.
    let on_smoke = use_smoke_train(&state, &worker);
    let on_smoke = use_stable_callback(on_smoke);
    let search = use_search(&state, &worker);
    use_example(&state);
    let hash = use_link(&state);
    let share = use_share(&state, search.evaluate_weights.clone());
    let search = SearchControls {
        run: use_stable_callback(search.run),
        pause: use_stable_callback(search.pause),
        clear: use_stable_callback(search.clear),
        train_linked: search.train_linked,
        export_weights: use_stable_callback(search.export_weights),
        evaluate_weights: search.evaluate_weights,
    };
    let share = ShareControls {
        lesson: use_stable_callback(share.lesson),
        lesson_step: use_stable_callback(share.lesson_step),
        export_run: use_stable_callback(share.export_run),
        export_candidate: use_stable_callback(share.export_candidate),
        import: use_stable_callback(share.import),
    };
    use_auto_train_linked(&state, search.train_linked.clone());
    let compare = use_compare(&state);
    let PageCallbacks {
        on_select,
        on_user_list,
        on_dismiss,
        on_settings,
        on_run_event,
        on_pick,
        on_dismiss_notices,
        on_keep,
        on_hide,
        on_close_lesson,
    } = use_page_callbacks(&state);
    let on_train_linked = use_stable_callback(search.train_linked.reform(|()| true));
    let page = &state.page;
    let shows = |c: Control| page.shows(c);
    let pending_conflict = page.pending.is_some() && state.run.done() > 0;
    let training_link = page.pending.is_some() && state.run.status.is_busy();

    let dataset_name = state.dataset_name(&state.settings.dataset);
    let pool = crate::app::pool_page::page_pool_size(&state);
    let waiting_for = waiting_for(&state);
    let run = &state.run;
    let selected = run.view.as_ref().map(|v| v.index);
    let run_test = match (run.run.as_ref(), state.data.test.as_ref()) {
        (Some(r), Some(test)) if r.settings.dataset == state.data.id => Some(test.clone()),
        _ => None,
    };

    html! {
        <div class="app">
            <Header backend={state.backend.clone()} />
            <ErrorBanner errors={state.errors.notes.clone()} {on_dismiss} on_download_run={share.export_run.clone()} />
            <LinkNotice notices={page.notices.clone()} missing={page.missing.clone()} {pending_conflict} training={training_link}
                        on_dismiss={on_dismiss_notices} on_train={on_train_linked} {on_keep} />
            if let Some((lesson, step)) = page.lesson {
                <LessonPanel {lesson} {step} on_step={share.lesson_step.clone()} on_close={on_close_lesson} />
            }
            // The page starts in parts, a painted frame apart: the first render holds the
            // header and the dataset picker, then the Pareto view, the search settings, the
            // dataset import, the share panel and the compute section each mount a frame
            // later. Each part's render, style and layout (and the first use of each font
            // size, a round trip to the browser process for each) stays a short task.
            <main class="layout layout-search" id={View::Search.anchor()}>
                <div class="column">
                    if shows(Control::Dataset) {
                        <DatasetPicker catalog={state.catalog.clone()} user={state.user.clone()}
                                       selected={state.settings.dataset.clone()}
                                       data={state.data.clone()}
                                       disabled={state.smoke.running || run.status.is_busy()}
                                       on_select={on_select.clone()} />
                        <Deferred frames={3}>
                            <UserDataPanel user={state.user.clone()} selected={state.settings.dataset.clone()}
                                           disabled={state.smoke.running || run.status.is_busy()}
                                           on_list={on_user_list} {on_select} />
                        </Deferred>
                    }
                    <Deferred frames={2}>
                        <SearchPanel settings={state.settings.clone()} run={run.clone()}
                                     can_start={state.catalog.is_some() && !state.smoke.running} now_ms={now_ms()}
                                     on_settings={on_settings.clone()} on_run={search.run} on_pause={search.pause}
                                     on_clear={search.clear} hide={page.hide.clone()} />
                    </Deferred>
                    if shows(Control::Share) {
                        <Deferred frames={4}>
                            <SharePanel url={AttrValue::from(url_with_hash(&hash))} hide={page.hide.clone()}
                                        has_run={run.run.is_some()} has_candidate={run.view.is_some()}
                                        {on_hide} on_lesson={share.lesson} on_export_run={share.export_run}
                                        on_export_candidate={share.export_candidate} on_export_weights={search.export_weights}
                                        on_import={share.import} />
                        </Deferred>
                    }
                </div>
                <Deferred frames={1}>
                    <ParetoPanel run={run.run.clone()} target={state.settings.mac_target} {selected}
                                 on_select={on_pick} show_hv={shows(Control::Hypervolume)}
                                 compare={compare.view.clone()} />
                </Deferred>
            </main>
            if shows(Control::Hypervolume) {
                <Deferred frames={4}>
                    <ComparePanel view={compare.view} blocked={compare.blocked} running={compare.running}
                                  on_start={compare.start} on_stop={compare.stop} on_download={compare.download} />
                </Deferred>
            }
            <div id={View::Candidate.anchor()}>
                if let (Some(r), Some(view)) = (run.run.clone(), run.view.clone()) {
                    // Mounted in a task after the one that adds the candidate to the plot.
                    <Deferred>
                        <CandidatePanel cache={run.caches.get(&view.index).cloned()} run={r} {view} test={run_test}
                                        on_event={on_run_event} hide={page.hide.clone()} />
                    </Deferred>
                } else if training_link {
                    <section class="card card-wide"><p class="card-note" data-testid="link-training">
                        { "Training the linked network with the link's seed and settings…" }</p></section>
                }
            </div>
            if shows(Control::Compute) {
                <main class="layout layout-compute" id={View::Data.anchor()}>
                    <Deferred frames={5}>
                        <div class="column">
                            <SmokePanel backend={state.backend.clone()} smoke={state.smoke.clone()}
                                        can_run={state.can_smoke_train()} {waiting_for}
                                        steps={state.settings.smoke_steps} {on_settings}
                                        on_run={on_smoke} on_measure={worker.on_measure.clone()}
                                        workers={pool.workers} workers_reason={pool.reason.clone()}
                                        workers_setting={state.settings.workers}
                                        searching={state.run.status.is_busy()} />
                        </div>
                    </Deferred>
                    <Deferred frames={6}>
                        <SampleGrid samples={state.data.samples.clone()} {dataset_name}
                                    test_count={state.data.test_count} />
                    </Deferred>
                </main>
            }
            <footer class="app-footer">
                { "Runs entirely in your browser: no data leaves this page. Costs are MACs of conv \
                   and linear layers. Method: AEBNAS (Robben, Khalilian, Meratnia, IEEE FLTA 2025)." }
            </footer>
        </div>
    }
}

/// Why the compute check cannot run now (`None`: it can, or it runs).
fn waiting_for(state: &AppState) -> Option<AttrValue> {
    if state.smoke.running || state.can_smoke_train() {
        None
    } else if state.backend.is_none() {
        Some("Waiting for the backend…".into())
    } else if state.run.status.is_busy() {
        Some("The worker is busy with the search.".into())
    } else if state.data.failed.is_some() {
        Some("Training needs a loaded dataset.".into())
    } else {
        Some("Waiting for the dataset…".into())
    }
}
