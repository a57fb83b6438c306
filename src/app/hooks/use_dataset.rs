//! Fetches the dataset catalogue once, and the selected dataset whenever it changes: the
//! test subset first (so the sample grid paints early), then the training subset.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::browser::{fetch_text, now_ms, yield_now};
use crate::app::catalog::{Catalog, DatasetInfo, CATALOG_URL};
use crate::app::loader::{load_split, pick_samples};
use crate::app::state::{Action, AppState, Shared};

/// Fetches `data/datasets.json` once; a failure shows in the error banner.
#[hook]
pub fn use_catalog(dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        spawn_local(async move {
            let catalog = match fetch_text(CATALOG_URL).await {
                Ok(text) => Catalog::parse(&text),
                Err(err) => Err(err),
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

/// Loads dataset `id` from `catalog` whenever either changes; abandons a load when the
/// user picks another dataset before it finishes.
#[hook]
pub fn use_dataset_loader(
    catalog: Option<Shared<Catalog>>,
    id: String,
    samples_shown: usize,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    use_effect_with((catalog, id), move |(catalog, id)| {
        let cancelled = Rc::new(Cell::new(false));
        if let Some(catalog) = catalog {
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
        move || cancelled.set(true)
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
        Err(message) => return dispatcher.dispatch(fail(message)),
    };
    if cancelled.get() {
        return;
    }
    dispatcher.dispatch(Action::SamplesLoaded {
        id: id.clone(),
        samples: Shared::new(pick_samples(&test, samples_shown)),
        test: Shared::new(test),
        elapsed_ms: now_ms() - started,
    });
    dispatcher.dispatch(Action::DataLoading {
        id: id.clone(),
        what: format!("Loading {} training images…", info.train.count),
    });
    yield_now().await;
    let train = match load_split(
        &format!("{} (train)", info.name),
        &info.train,
        &info.classes,
    )
    .await
    {
        Ok(train) => train,
        Err(message) => return dispatcher.dispatch(fail(message)),
    };
    if cancelled.get() {
        return;
    }
    dispatcher.dispatch(Action::TrainLoaded {
        id,
        train: Shared::new(train),
        elapsed_ms: now_ms() - started,
    });
}
