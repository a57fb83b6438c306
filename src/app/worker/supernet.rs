//! The weight-sharing supernet of a search: the pre-trained one shipped for the dataset
//! (fetched from `data/` once per worker and device) or imported for a user's dataset
//! (read from browser storage), or one trained once per worker for
//! a dataset, seed, budget and device, and kept across pause and resume (a pool worker
//! trains its own, the same on the CPU backend, before its first job of such a run).

use std::cell::RefCell;
use std::rc::Rc;

use super::compute::Compute;
use super::context::post;
use super::data::Splits;
use super::evaluator::Shared;
use super::protocol::{FromWorker, Phase};
use crate::app::user_data::is_user_id;
use crate::app::user_store;
use crate::data::Shipped;
use crate::engine::results::{SearchSettings, SupernetSource};
use crate::engine::space::SearchSpace;
use crate::model::candidate::supernet_train_config;
use crate::model::meta::MAX_WEIGHTS_BYTES;
use crate::model::sandwich::train_supernet;
use crate::model::supernet::Supernet;
use crate::model::supernet_file::supernet_from_bytes;
use crate::model::train::Progress;

thread_local! {
    static SUPERNET: RefCell<Option<(String, Supernet)>> = const { RefCell::new(None) };
}

/// The supernet this worker keeps under `key`, if it is that one.
fn cached(key: &str) -> Option<Supernet> {
    SUPERNET.with_borrow(|s| (s.as_ref().filter(|(k, _)| k == key)).map(|(_, s)| s.clone()))
}

/// The trained supernet for these settings (trained once, kept across pause/resume).
/// `Ok(None)` when the settings train candidates from scratch; `Err(None)` when paused.
pub async fn supernet_for(
    settings: &SearchSettings,
    space: &SearchSpace,
    data: &Splits,
    compute: &Compute,
    shared: &Rc<Shared>,
) -> Result<Option<Supernet>, Option<String>> {
    if matches!(
        settings.supernet,
        SupernetSource::Shipped | SupernetSource::File(_)
    ) {
        return pretrained(settings, space, data, compute)
            .await
            .map(Some)
            .map_err(Some);
    }
    if settings.supernet_epochs == 0 {
        return Ok(None);
    }
    let key = format!(
        "{}/{}/{}/{:?}/{}",
        settings.dataset,
        settings.seed,
        settings.supernet_epochs,
        settings.train_samples,
        compute.name()
    );
    if let Some(s) = cached(&key) {
        return Ok(Some(s));
    }
    post(&FromWorker::Status {
        message: "Training the weight-sharing supernet…".into(),
    });
    *shared.phase.borrow_mut() = Some(Phase::Supernet);
    let config = supernet_train_config(
        settings.supernet_epochs,
        settings.seed,
        settings.train_samples,
    );
    let mut on_progress = |p: &Progress| shared.on_step(&post, p);
    let trained = train_supernet(
        space,
        &data.train,
        &config,
        &compute.device,
        &mut on_progress,
    )
    .await;
    match trained {
        Ok((s, _)) => {
            SUPERNET.set(Some((key, s.clone())));
            Ok(Some(s))
        }
        Err(_) if shared.stop.get() => Err(None),
        Err(e) => Err(Some(format!("supernet training failed: {e}"))),
    }
}

/// The pre-trained supernet of the run's dataset on the run's device, kept once per
/// worker: the shipped one (fetched from `data/`) or the one the user imported for their
/// dataset (read from browser storage, `user_store`).
async fn pretrained(
    settings: &SearchSettings,
    space: &SearchSpace,
    data: &Splits,
    compute: &Compute,
) -> Result<Supernet, String> {
    let shipped = Shipped::from_id(&settings.dataset);
    let key = match shipped {
        Some(ds) => format!("shipped/{}", ds.id()),
        None if is_user_id(&settings.dataset) => format!("imported/{}", settings.dataset),
        None => return Err(format!("no supernet is known for {}", settings.dataset)),
    };
    let key = format!("{key}/{}", compute.name());
    if let Some(s) = cached(&key) {
        return Ok(s);
    }
    let (origin, bytes) = match shipped {
        Some(ds) => {
            post(&FromWorker::Status {
                message: format!("Fetching the pre-trained {} supernet…", ds.name()),
            });
            let url = format!("data/{}", ds.supernet_file());
            let bytes = crate::app::browser::fetch_capped(&url, MAX_WEIGHTS_BYTES).await?;
            (url, bytes)
        }
        None => {
            post(&FromWorker::Status {
                message: "Reading the imported supernet…".into(),
            });
            let bytes = user_store::load_supernet(&settings.dataset)
                .await
                .map_err(|e| e.to_string())?;
            ("the imported supernet".to_string(), bytes)
        }
    };
    let t = &data.train;
    let (s, _) = supernet_from_bytes(
        &bytes,
        space,
        ((t.channels, t.height, t.width), t.classes.len()),
        &compute.device,
    )
    .map_err(|e| format!("{origin}: {e}"))?;
    SUPERNET.set(Some((key, s.clone())));
    Ok(s)
}
