//! Data for the search worker: fetches the catalogue and a shipped dataset from the
//! worker's own origin (the worker has no `window`, so it calls the global `fetch`),
//! parses it with the data module's IDX reader and holds out the validation split —
//! `data::split::VAL_IMAGES` images, stratified by class and seeded, like the CLI. A user dataset
//! (`user-…`) is read from browser storage (`user_store`, Cache Storage, which the worker
//! reaches through its own global scope), held out the same way.

use std::rc::Rc;

use crate::app::browser::{fetch_bytes, FetchError};
use crate::app::catalog::{Catalog, CatalogError, SplitInfo, CATALOG_URL};
use crate::app::user_data::is_user_id;
use crate::app::user_store::{self, StoreError};
use crate::data::{DataError, Dataset};

/// Why a dataset's splits could not be loaded in the worker.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SplitsError {
    /// A user dataset could not be read from browser storage.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The catalogue or a shipped file could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The catalogue is not UTF-8 text.
    #[error("{CATALOG_URL}: not UTF-8")]
    CatalogNotText,
    /// The catalogue does not parse.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The catalogue lists no dataset with this id.
    #[error("no dataset with id {0:?} in {CATALOG_URL}")]
    UnknownDataset(String),
    /// The IDX files do not read as a dataset, or the validation split failed.
    #[error(transparent)]
    Data(#[from] DataError),
}

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

async fn load_split(split: &SplitInfo, classes: &[String]) -> Result<Dataset, SplitsError> {
    let (images_url, labels_url) = (split.images.url(), split.labels.url());
    let images = fetch_bytes(&images_url).await?;
    let labels = fetch_bytes(&labels_url).await?;
    Ok(Dataset::from_idx_bytes(
        &split.images.file,
        Some(classes.to_vec()),
        &images,
        &labels,
    )?)
}

/// Loads dataset `id` and splits it with `seed`; `status` hears what is being fetched.
pub async fn load_splits(
    id: &str,
    seed: u64,
    status: &dyn Fn(String),
) -> Result<Rc<Splits>, SplitsError> {
    if is_user_id(id) {
        status(format!("Reading {id} from browser storage…"));
        let (_, train_all, test) = user_store::load(id).await?;
        let (train, val) = train_all.split_validation(seed)?;
        return Ok(Rc::new(Splits {
            id: id.to_owned(),
            seed,
            train,
            val,
            test,
        }));
    }
    let bytes = fetch_bytes(CATALOG_URL).await?;
    let text = String::from_utf8(bytes).map_err(|_| SplitsError::CatalogNotText)?;
    let catalog = Catalog::parse(&text)?;
    let info = catalog
        .get(id)
        .ok_or_else(|| SplitsError::UnknownDataset(id.to_owned()))?;
    status(format!(
        "Loading {} training images of {}…",
        info.train.count, info.name
    ));
    let train_all = load_split(&info.train, &info.classes).await?;
    status(format!("Loading {} test images…", info.test.count));
    let test = load_split(&info.test, &info.classes).await?;
    let (train, val) = train_all.split_validation(seed)?;
    Ok(Rc::new(Splits {
        id: id.to_owned(),
        seed,
        train,
        val,
        test,
    }))
}
