//! The shipped example run: when the page wants it (a first visit with nothing saved, or
//! a link's `run=example`), fetches `data/<dataset>-example-run.json` (written by
//! `scripts/train-supernets` with `aebnas search --page-run`), reads it as an imported run
//! (size capped before reading, validated, settings clamped) and shows it, caches decoded one per task so
//! the page stays responsive. Nothing is saved in the browser: the user's own saved run,
//! if any, stays as it was.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::app::browser::{fetch_capped, yield_now};
use crate::app::run_state::RunEvent;
use crate::app::state::{Action, AppState, Shared};
use crate::app::transfer::{parse_import, Imported, MAX_IMPORT_BYTES};

/// The example run file of shipped dataset `id`, relative to the page.
pub fn example_url(id: &str) -> String {
    format!("data/{id}-example-run.json")
}

/// Fetches and shows the example of the selected dataset while the page wants it.
#[hook]
pub fn use_example(state: &UseReducerHandle<AppState>) {
    // The catalogue first: the example's settings are checked against it like a link's.
    let wanted = state.page.example_wanted && state.catalog.is_some();
    let dataset = state.settings.dataset.clone();
    let d = state.dispatcher();
    let settings = state.settings.clone();
    use_effect_with((wanted, dataset), move |(wanted, dataset)| {
        if *wanted {
            let url = example_url(dataset);
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = fetch_capped(&url, MAX_IMPORT_BYTES as usize)
                    .await
                    .map_err(String::from);
                let text = match fetched.and_then(|b| {
                    String::from_utf8(b).map_err(|_| format!("{url}: not UTF-8 text"))
                }) {
                    Ok(text) => text,
                    Err(e) => return d.dispatch(Action::ExampleUnavailable(e)),
                };
                yield_now().await;
                let (run, compact) = match parse_import(text.len() as u64, &text, &settings) {
                    Ok(Imported::Run(run, compact, _)) => (run, compact),
                    Ok(Imported::Candidate(..)) => {
                        let why = format!("{url} is a candidate file, not a run");
                        return d.dispatch(Action::ExampleUnavailable(why));
                    }
                    Err(e) => return d.dispatch(Action::ExampleUnavailable(format!("{url}: {e}"))),
                };
                drop(text);
                let mut caches = BTreeMap::new();
                for (i, c) in compact {
                    yield_now().await;
                    if let Ok(cache) = c.decode() {
                        caches.insert(i, Shared::new(cache));
                    }
                }
                d.dispatch(Action::Run(RunEvent::Restored {
                    run: Shared::new(*run),
                    caches,
                    view: None,
                    example: true,
                }));
            });
        }
    });
}
