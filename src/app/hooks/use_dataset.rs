//! Fetches the dataset catalogue once, and the selected dataset's test subset whenever it
//! changes (the sample grid and the sample-exit grid paint from it). The page never
//! fetches the training subset: the search worker, which trains, loads its own. A user
//! dataset (`user-…`) is read from browser storage instead, by a file reader worker
//! (`reader`), and the stored list is read once at start-up.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::browser::{fetch_text, now_ms, yield_now};
use crate::app::catalog::{Catalog, DatasetInfo, CATALOG_URL};
use crate::app::loader::{load_split, pick_samples};
use crate::app::reader::client::{ReaderEvent, ReaderJob, Request};
use crate::app::state::{Action, AppState, Shared};
use crate::app::user_data::{is_user_id, UserMeta};
use crate::app::user_store;
use crate::data::Dataset;

/// Fetches `data/datasets.json` once; a failure shows in the error banner.
#[hook]
pub fn use_catalog(dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        spawn_local(async move {
            let catalog = match fetch_text(CATALOG_URL).await {
                Ok(text) => Catalog::parse(&text).map_err(|err| err.to_string()),
                Err(err) => Err(err.to_string()),
            };
            match catalog {
                Ok(catalog) => dispatcher.dispatch(Action::CatalogLoaded(Shared::new(catalog))),
                Err(detail) => dispatcher.dispatch(Action::ReportError {
                    title: "Could not load the dataset list".to_owned(),
                    detail,
                }),
            }
        });
    });
}

/// Lists the user datasets stored in this browser once; where storage is unavailable the
/// list is empty (the "Use your own data" panel says why).
#[hook]
pub fn use_user_sets(dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        spawn_local(async move {
            let list = user_store::list().await.unwrap_or_default();
            dispatcher.dispatch(Action::UserSetsLoaded(Shared::new(list)));
        });
    });
}

/// Loads dataset `id` from `catalog` (or, for a user dataset, from browser storage once
/// `user` lists it) whenever they change; abandons a load when the user picks another
/// dataset before it finishes.
#[hook]
pub fn use_dataset_loader(
    catalog: Option<Shared<Catalog>>,
    user: Option<Shared<Vec<UserMeta>>>,
    id: String,
    samples_shown: usize,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let meta = user.and_then(|list| list.iter().find(|m| m.id == id).cloned());
    let known = is_user_id(&id) && meta.is_some();
    use_effect_with((catalog, known, id), move |(catalog, _, id)| {
        let cancelled = Rc::new(Cell::new(false));
        // A user dataset's read, in a file reader worker; dropping it (another pick, or
        // unmounting) terminates the worker.
        let mut reading = None;
        if let Some(meta) = meta.filter(|_| is_user_id(id)) {
            reading = load_user(meta, samples_shown, dispatcher);
        } else if is_user_id(id) {
            // Waits for the stored list; the state falls back when it lacks `id`.
        } else if let Some(catalog) = catalog {
            match catalog.get(id) {
                Some(info) => spawn_local(load(
                    info.clone(),
                    samples_shown,
                    dispatcher,
                    Rc::clone(&cancelled),
                )),
                None => dispatcher.dispatch(Action::DataFailed {
                    id: id.clone(),
                    message: format!("no dataset with id {id:?} in {CATALOG_URL}"),
                }),
            }
        }
        move || {
            cancelled.set(true);
            drop(reading);
        }
    });
}

/// The test part is in: the sample grid shows `samples_shown` of it.
fn loaded_test(
    dispatcher: &UseReducerDispatcher<AppState>,
    id: &str,
    test: Dataset,
    samples_shown: usize,
    started: f64,
) {
    dispatcher.dispatch(Action::SamplesLoaded {
        id: id.to_owned(),
        samples: Shared::new(pick_samples(&test, samples_shown)),
        test: Shared::new(test),
        elapsed_ms: now_ms() - started,
    });
}

async fn load(
    info: DatasetInfo,
    samples_shown: usize,
    dispatcher: UseReducerDispatcher<AppState>,
    cancelled: Rc<Cell<bool>>,
) {
    let id = info.id.clone();
    let started = now_ms();
    let fail = |message: String| Action::DataFailed {
        id: id.clone(),
        message,
    };
    dispatcher.dispatch(Action::DataLoading {
        id: id.clone(),
        what: format!("Loading {} test images…", info.test.count),
    });
    let test = match load_split(&format!("{} (test)", info.name), &info.test, &info.classes).await {
        Ok(test) => test,
        Err(e) => return dispatcher.dispatch(fail(e.to_string())),
    };
    // Picking the samples and the grid's render in a task after the parse's.
    yield_now().await;
    if cancelled.get() {
        return;
    }
    loaded_test(&dispatcher, &id, test, samples_shown, started);
}

/// Reads user dataset `meta`'s test part from browser storage in a file reader worker
/// (inflating and unpacking a large part would hold this thread) and shows it; the job
/// is what must live until the answer.
fn load_user(
    meta: UserMeta,
    samples_shown: usize,
    dispatcher: UseReducerDispatcher<AppState>,
) -> Option<ReaderJob> {
    let id = meta.id.clone();
    let started = now_ms();
    dispatcher.dispatch(Action::DataLoading {
        id: id.clone(),
        what: format!(
            "Reading {} test images from browser storage…",
            meta.test_count
        ),
    });
    let request = Request::LoadTest { id: id.clone() };
    let on_event = {
        let (id, dispatcher) = (id.clone(), dispatcher.clone());
        move |event| match event {
            ReaderEvent::Loaded(_, test) => {
                loaded_test(&dispatcher, &id, test, samples_shown, started)
            }
            ReaderEvent::Failed(e) => dispatcher.dispatch(Action::DataFailed {
                id: id.clone(),
                message: e.to_string(),
            }),
            ReaderEvent::Progress(_) | ReaderEvent::Done(..) | ReaderEvent::Saved => {}
        }
    };
    match ReaderJob::start(request, on_event) {
        Ok(job) => Some(job),
        Err(e) => {
            dispatcher.dispatch(Action::DataFailed {
                id,
                message: e.to_string(),
            });
            None
        }
    }
}
