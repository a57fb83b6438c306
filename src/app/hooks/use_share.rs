//! What the share panel's buttons do: start the lesson, export the run or the selected
//! candidate as a download, import a file (a run replaces the current one after asking;
//! a candidate opens like a link). Import errors go to the banner and change nothing.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::app::browser::confirm;
use crate::app::files::{download_text, read_bytes, read_text};
use crate::app::lesson::Lesson;
use crate::app::page::link_of;
use crate::app::run_state::RunEvent;
use crate::app::settings::Settings;
use crate::app::shared::Shared;
use crate::app::state::{Action, AppState};
use crate::app::storage;
use crate::app::storage_plan::{caches_dropped_detail, unsaved_detail};
use crate::app::transfer::{
    candidate_file, is_weights_file, parse_import, parse_weights, run_file, Imported,
    MAX_IMPORT_BYTES,
};
use crate::engine::cache_codec::CompactCache;
use crate::model::meta::MAX_WEIGHTS_BYTES;

/// The share panel's callbacks.
pub struct ShareControls {
    /// Start the intro lesson at step 1.
    pub lesson: Callback<()>,
    /// Go to lesson step `n` (0-based).
    pub lesson_step: Callback<usize>,
    /// Download the run.
    pub export_run: Callback<()>,
    /// Download the selected candidate.
    pub export_candidate: Callback<()>,
    /// Import a file.
    pub import: Callback<web_sys::File>,
}

fn report(d: &UseReducerDispatcher<AppState>, title: &str, detail: String) {
    d.dispatch(Action::ReportError {
        title: title.to_owned(),
        detail,
    });
}

/// Opens an imported weights file: asks before replacing a run, applies the file's link
/// (settings, genome, thresholds) and has `evaluate` run the network.
fn open_weights(
    d: &UseReducerDispatcher<AppState>,
    bytes: Vec<u8>,
    settings: &Settings,
    done: usize,
    evaluate: &Callback<(Settings, Vec<u8>)>,
) {
    let (link, notices) = match parse_weights(&bytes, settings) {
        Ok(parsed) => parsed,
        Err(e) => return report(d, "Import failed: nothing was changed", e.to_string()),
    };
    let ask = format!("Open the imported network? The current run's {done} evaluated candidates will be replaced.");
    if done > 0 && !confirm(&ask) {
        return;
    }
    let settings = link.settings.clone();
    d.dispatch(Action::ApplyLink {
        link: Box::new(link),
        notices,
    });
    evaluate.emit((settings, bytes));
}

/// The callbacks, bound to the current state; `evaluate_weights` runs an imported
/// weights file (the search hook's).
#[hook]
pub fn use_share(
    state: &UseReducerHandle<AppState>,
    evaluate_weights: Callback<(Settings, Vec<u8>)>,
) -> ShareControls {
    let link = link_of(&state.settings, &state.run, &state.page);
    let go_to = {
        let (d, link) = (state.dispatcher(), link.clone());
        Callback::from(move |step: usize| {
            let mut next = link.clone();
            Lesson::Intro.apply(step, &mut next);
            d.dispatch(Action::ApplyLink {
                link: Box::new(next),
                notices: Vec::new(),
            });
        })
    };
    let lesson = go_to.reform(|()| 0);
    let export_run = {
        let (d, run, caches) = (
            state.dispatcher(),
            state.run.run.clone(),
            state.run.caches.clone(),
        );
        Callback::from(move |()| {
            let Some(run) = run.as_ref() else { return };
            let compact: BTreeMap<usize, CompactCache> = caches
                .iter()
                .map(|(i, c)| (*i, CompactCache::encode(c)))
                .collect();
            if let Err(e) = download_text(
                "aebnas-run.json",
                "application/json",
                &run_file(run, &compact),
            ) {
                report(&d, "The run could not be downloaded", e.to_string());
            }
        })
    };
    let export_candidate = {
        let (d, settings) = (state.dispatcher(), state.settings.clone());
        let record = state
            .run
            .selected_record()
            .map(|r| (r.test_accuracy, r.test_avg_macs));
        let candidate = link.candidate.clone();
        Callback::from(move |()| {
            let Some(c) = candidate.as_ref() else { return };
            let text = candidate_file(&settings, c, record);
            if let Err(e) = download_text("aebnas-candidate.json", "application/json", &text) {
                report(&d, "The candidate could not be downloaded", e.to_string());
            }
        })
    };
    let import = import_callback(state, evaluate_weights);
    ShareControls {
        lesson,
        lesson_step: go_to,
        export_run,
        export_candidate,
        import,
    }
}

/// Import: a weights file (evaluated as a run of its own), a candidate file (opened as
/// a link) or a run file (replacing the run, asking first).
fn import_callback(
    state: &UseReducerHandle<AppState>,
    evaluate_weights: Callback<(Settings, Vec<u8>)>,
) -> Callback<web_sys::File> {
    let d = state.dispatcher();
    let settings = state.settings.clone();
    let busy = state.run.status.is_busy();
    // The shipped example is replaced without asking (it is not the user's).
    let done = state.run.own_done();
    Callback::from(move |file: web_sys::File| {
        let (d, settings, evaluate) = (d.clone(), settings.clone(), evaluate_weights.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if is_weights_file(&file.name(), &[]) {
                if busy {
                    let why = "pause the running search first".into();
                    return report(&d, "Import failed: nothing was changed", why);
                }
                match read_bytes(&file, MAX_WEIGHTS_BYTES as u64).await {
                    Ok(bytes) => open_weights(&d, bytes, &settings, done, &evaluate),
                    Err(e) => report(&d, "Import failed: nothing was changed", e.to_string()),
                }
                return;
            }
            let parsed = match read_text(file, MAX_IMPORT_BYTES).await {
                Ok((size, text)) => parse_import(size, &text, &settings).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match parsed {
                Err(e) => report(&d, "Import failed: nothing was changed", e),
                Ok(Imported::Candidate(link, notices)) => {
                    d.dispatch(Action::ApplyLink { link, notices })
                }
                Ok(Imported::Run(..)) if busy => report(
                    &d,
                    "Import failed: nothing was changed",
                    "pause the running search first".into(),
                ),
                Ok(Imported::Run(run, compact, clamped)) => {
                    open_run(&d, run, &compact, &clamped, done)
                }
            }
        });
    })
}

/// Shows an imported run: saved before the stored one goes (when it does not fit, the
/// stored run stays and the page says so), then restored on the page; asks first when
/// it replaces `done` evaluated candidates.
fn open_run(
    d: &UseReducerDispatcher<AppState>,
    run: Box<crate::engine::results::RunResults>,
    compact: &BTreeMap<usize, CompactCache>,
    clamped: &[String],
    done: usize,
) {
    let ask = format!(
        "Replace the current run ({done} candidates) with the imported one ({})?",
        run.archive.len()
    );
    if done > 0 && !confirm(&ask) {
        return;
    }
    let mut caches = BTreeMap::new();
    for (i, c) in compact {
        if let Ok(cache) = c.decode() {
            caches.insert(*i, Shared::new(cache));
        }
    }
    match storage::save_imported(&run, compact) {
        Ok(not_stored) => {
            d.dispatch(Action::RunSaved);
            if let Some(detail) = caches_dropped_detail(&not_stored) {
                report(d, "Browser storage is full", detail);
            }
        }
        Err(e) => d.dispatch(Action::RunNotSaved {
            title: "The imported run is shown but not saved in the browser (the previous saved run stays there)".to_owned(),
            detail: unsaved_detail(run.archive.len(), 0, &e),
        }),
    }
    d.dispatch(Action::Run(RunEvent::Restored {
        run: Shared::new(*run),
        caches,
        view: None,
        example: false,
    }));
    if !clamped.is_empty() {
        let what = clamped.join("; ");
        report(
            d,
            "The imported run's settings were brought into range",
            what,
        );
    }
}
