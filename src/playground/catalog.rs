//! The list of shipped datasets, read from `data/datasets.json` (written by
//! `scripts/fetch-data`). Only the fields the app needs are parsed; unknown ones are ignored.

use serde::Deserialize;

/// Where the catalogue lives, relative to the page (same origin).
pub const CATALOG_URL: &str = "data/datasets.json";

/// `datasets.json`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Catalog {
    /// The shipped datasets, in display order.
    pub datasets: Vec<DatasetInfo>,
}

/// One shipped dataset.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DatasetInfo {
    /// Stable id (`fashion-mnist`, `mnist`), used in settings and URLs.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether this is the app's default dataset.
    #[serde(default)]
    pub default: bool,
    /// Class names, indexed by label.
    pub classes: Vec<String>,
    /// Licence line shown under the picker.
    #[serde(default)]
    pub licence: String,
    /// Where the images come from.
    #[serde(default)]
    pub provenance: String,
    /// The training subset.
    pub train: SplitInfo,
    /// The test subset.
    pub test: SplitInfo,
}

/// One subset (train or test): its size and its two IDX files.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SplitInfo {
    /// Number of images.
    pub count: usize,
    /// The gzip'd IDX image file.
    pub images: FileInfo,
    /// The gzip'd IDX label file.
    pub labels: FileInfo,
}

/// A shipped file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FileInfo {
    /// File name under `data/`.
    pub file: String,
    /// Size in bytes.
    #[serde(default)]
    pub bytes: u64,
}

impl FileInfo {
    /// The file's URL relative to the page.
    pub fn url(&self) -> String {
        format!("data/{}", self.file)
    }
}

/// Why the catalogue could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// `datasets.json` is not the JSON the app expects (the parser's message).
    #[error("data/datasets.json is malformed: {0}")]
    Malformed(String),
}

impl Catalog {
    /// Parses `datasets.json`.
    pub fn parse(text: &str) -> Result<Self, CatalogError> {
        serde_json::from_str(text).map_err(|err| CatalogError::Malformed(err.to_string()))
    }

    /// The dataset with this id.
    pub fn get(&self, id: &str) -> Option<&DatasetInfo> {
        self.datasets.iter().find(|info| info.id == id)
    }
}
