//! The weight-sharing supernet of a search: the pre-trained one shipped for the dataset
//! (fetched from `data/` once per worker and device), or one trained once per worker for
//! a dataset, seed, budget and device, and kept across pause and resume (a pool worker
//! trains its own, the same on the CPU backend, before its first job of such a run).

use std::cell::RefCell;
use std::rc::Rc;

use super::compute::Compute;
use super::data::Splits;
use super::evaluator::Shared;
use super::protocol::{FromWorker, Phase};
use super::runner::post;
use crate::data::Shipped;
use crate::engine::results::{SearchSettings, SupernetSource};
use crate::engine::space::SearchSpace;
use crate::model::candidate::supernet_train_config;
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
    if settings.supernet == SupernetSource::Shipped {
        return shipped(settings, space, data, compute)
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

/// The shipped supernet of the run's dataset on the run's device (fetched once per worker).
async fn shipped(
    settings: &SearchSettings,
    space: &SearchSpace,
    data: &Splits,
    compute: &Compute,
) -> Result<Supernet, String> {
    let ds = Shipped::from_id(&settings.dataset)
        .ok_or_else(|| format!("no supernet ships for {}", settings.dataset))?;
    let key = format!("shipped/{}/{}", ds.id(), compute.name());
    if let Some(s) = cached(&key) {
        return Ok(s);
    }
    post(&FromWorker::Status {
        message: format!("Fetching the pre-trained {} supernet…", ds.name()),
    });
    let url = format!("data/{}", ds.supernet_file());
    let bytes = super::data::fetch_bytes(&url).await?;
    let t = &data.train;
    let (s, _) = supernet_from_bytes(
        &bytes,
        space,
        ((t.channels, t.height, t.width), t.classes.len()),
        &compute.device,
    )
    .map_err(|e| format!("{url}: {e}"))?;
    SUPERNET.set(Some((key, s.clone())));
    Ok(s)
}
