//! Data for the search worker: fetches the catalogue and a shipped dataset from the
//! worker's own origin (the worker has no `window`, so it calls the global `fetch`),
//! parses it with the data module's IDX reader and holds out the validation split —
//! `data::split::VAL_IMAGES` images, stratified by class and seeded, like the CLI. A user dataset
//! (`user-…`) is read from browser storage (`user_store`, Cache Storage, which the worker
//! reaches through its own global scope), held out the same way.

use std::rc::Rc;

use crate::app::browser::fetch_bytes;
use crate::app::catalog::{Catalog, SplitInfo, CATALOG_URL};
use crate::app::user_data::is_user_id;
use crate::app::user_store;
use crate::data::Dataset;

/// Train (without the validation images), validation and test sets of one dataset.
pub struct Splits {
    /// Dataset id.
    pub id: String,
    /// Seed of the validation split.
    pub seed: u64,
    /// Training images.
    pub train: Dataset,
    /// Validation images (threshold tuning).
    pub val: Dataset,
    /// Test images (reported numbers, sliders).
    pub test: Dataset,
}

async fn load_split(split: &SplitInfo, classes: &[String]) -> Result<Dataset, String> {
    let (images_url, labels_url) = (split.images.url(), split.labels.url());
    let images = fetch_bytes(&images_url).await?;
    let labels = fetch_bytes(&labels_url).await?;
    Dataset::from_idx_bytes(&split.images.file, Some(classes.to_vec()), &images, &labels)
        .map_err(|e| e.to_string())
}

/// Loads dataset `id` and splits it with `seed`; `status` hears what is being fetched.
pub async fn load_splits(
    id: &str,
    seed: u64,
    status: &dyn Fn(String),
) -> Result<Rc<Splits>, String> {
    if is_user_id(id) {
        status(format!("Reading {id} from browser storage…"));
        let (_, train_all, test) = user_store::load(id).await.map_err(|e| e.to_string())?;
        let (train, val) = (train_all.split_validation(seed)).map_err(|e| e.to_string())?;
        return Ok(Rc::new(Splits {
            id: id.to_owned(),
            seed,
            train,
            val,
            test,
        }));
    }
    let bytes = fetch_bytes(CATALOG_URL).await?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{CATALOG_URL}: not UTF-8"))?;
    let catalog = Catalog::parse(&text)?;
    let info = catalog
        .get(id)
        .ok_or_else(|| format!("no dataset with id {id:?} in {CATALOG_URL}"))?;
    status(format!(
        "Loading {} training images of {}…",
        info.train.count, info.name
    ));
    let train_all = load_split(&info.train, &info.classes).await?;
    status(format!("Loading {} test images…", info.test.count));
    let test = load_split(&info.test, &info.classes).await?;
    let (train, val) = (train_all.split_validation(seed)).map_err(|e| e.to_string())?;
    Ok(Rc::new(Splits {
        id: id.to_owned(),
        seed,
        train,
        val,
        test,
    }))
}
