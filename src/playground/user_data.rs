//! A dataset the user brings ("Use your own data"), as the page stores it: the data
//! module's reader output normalised to four uncompressed IDX files (train/test × images/
//! labels; colour images as N×H×W×3) plus a small JSON [`UserMeta`]. Pure and tested
//! natively; the browser storage itself lives in `user_store` (wasm only).
//!
//! Ids are `user-<slug>-<fingerprint>`: the slug comes from the first file's name and the
//! fingerprint from the decoded pixels and labels, so the same files give the same id on
//! every computer (a link naming a user dataset works once the recipient loads them).

use serde::{Deserialize, Serialize};

use crate::data::dataset::Part;
use crate::data::idx::write_idx_u8;
use crate::data::{Dataset, Loaded};
use crate::model::supernet_meta::{check_fits, read_supernet_meta, SupernetFileError};

#[path = "user_data/names.rs"]
mod names;
pub use names::{
    files_for_link, fingerprint, is_user_id, link_safe, make_id, slug, valid_link_file,
};
#[path = "user_data/error.rs"]
mod error;
pub use error::UserDataError;

/// Prefix of every user dataset id.
pub const USER_PREFIX: &str = "user-";
/// Most bytes of files read for one dataset (checked before anything is read).
pub const MAX_TOTAL_BYTES: u64 = 256 << 20;
/// Most files picked or dropped at once (an image folder has one file per image).
pub const MAX_FILES: usize = 20_000;
/// Most classes (stored labels are IDX unsigned bytes).
pub const MAX_CLASSES: usize = 256;
/// Most file names a link carries.
pub const LINK_FILES_MAX: usize = 8;
/// Most characters of one file name in a link (longer names are cut).
pub const LINK_FILE_CHARS: usize = 64;
/// Most characters of a link's `files` value (names and commas, before encoding).
pub const LINK_FILES_TOTAL_CHARS: usize = 240;
/// Longest id (`user-` + slug + `-` + 8 hex digits).
pub const MAX_ID_CHARS: usize = 40;
/// Format version of [`UserMeta`].
pub const META_VERSION: u32 = 1;
/// Seed of the 80/20 split of inputs that have no test part.
pub const SPLIT_SEED: u64 = 1;

/// What the page keeps about a stored user dataset (`meta.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserMeta {
    /// Format version ([`META_VERSION`]).
    pub version: u32,
    /// Stable id (`user-<slug>-<fingerprint>`), used in settings and links.
    pub id: String,
    /// Display name (from the files).
    pub name: String,
    /// The file names a recipient must load (link-safe, at most [`LINK_FILES_MAX`]).
    pub files: Vec<String>,
    /// Detected format, as text.
    pub format: String,
    /// Channels per image (1 or 3).
    pub channels: usize,
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
    /// Class names, indexed by label.
    pub classes: Vec<String>,
    /// Images in the training part.
    pub train_count: usize,
    /// Images in the test part.
    pub test_count: usize,
    /// Images per class, train and test together.
    pub counts: Vec<usize>,
    /// Bytes of the files the user gave.
    pub source_bytes: u64,
    /// Bytes of the stored IDX files.
    pub stored_bytes: u64,
    /// Whether the test part is a seeded 80/20 split of the input (it had none).
    pub split: bool,
    /// The supernet imported for this dataset (`aebnas supernet --out`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supernet: Option<ImportedSupernet>,
}

/// A supernet the user imported for one of their datasets (stored beside it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedSupernet {
    /// Its file name as given.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Epochs of sandwich training (from its description).
    pub epochs: usize,
    /// Training images per epoch (from its description).
    pub train_images: usize,
}

/// The stored name of a dataset's imported supernet (`SupernetSource::File` in the
/// settings of a search that inherits it).
pub const IMPORTED_SUPERNET: &str = "supernet.bpk";

/// Checks a supernet file of `size` bytes named `name` for dataset `meta` (size first,
/// then its description: a burn record of an AEBNAS supernet for these images and
/// classes) and returns what the page records about it.
pub fn check_supernet(
    meta: &UserMeta,
    name: &str,
    size: u64,
    bytes: &[u8],
) -> Result<ImportedSupernet, SupernetFileError> {
    if size > crate::model::meta::MAX_WEIGHTS_BYTES as u64 {
        return Err(SupernetFileError::TooLarge(size as usize));
    }
    let described = read_supernet_meta(bytes)?;
    check_fits(
        &described,
        (meta.channels, meta.height, meta.width),
        meta.classes.len(),
    )?;
    Ok(ImportedSupernet {
        name: name.chars().take(120).collect(),
        bytes: size,
        epochs: described.epochs,
        train_images: described.train_images,
    })
}

/// A user dataset in its stored form.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// The description.
    pub meta: UserMeta,
    /// Training images (IDX).
    pub train_images: Vec<u8>,
    /// Training labels (IDX).
    pub train_labels: Vec<u8>,
    /// Test images (IDX).
    pub test_images: Vec<u8>,
    /// Test labels (IDX).
    pub test_labels: Vec<u8>,
}

/// File names of the stored parts, in [`Stored`] order.
pub const PART_FILES: [&str; 4] = [
    "train-images.idx",
    "train-labels.idx",
    "test-images.idx",
    "test-labels.idx",
];

impl Stored {
    /// The four IDX files with their stored names.
    pub fn parts(&self) -> [(&'static str, &[u8]); 4] {
        [
            (PART_FILES[0], &self.train_images),
            (PART_FILES[1], &self.train_labels),
            (PART_FILES[2], &self.test_images),
            (PART_FILES[3], &self.test_labels),
        ]
    }
}

/// Checks picked files before reading them: at least one, at most [`MAX_FILES`], at most
/// [`MAX_TOTAL_BYTES`] together. Returns the total size.
pub fn check_sizes(sizes: &[u64]) -> Result<u64, UserDataError> {
    if sizes.is_empty() {
        return Err(UserDataError::NoFiles);
    }
    if sizes.len() > MAX_FILES {
        return Err(UserDataError::TooManyFiles(sizes.len()));
    }
    let total = sizes.iter().fold(0u64, |a, &s| a.saturating_add(s));
    if total > MAX_TOTAL_BYTES {
        return Err(UserDataError::TooLarge(total));
    }
    Ok(total)
}

/// A dataset as IDX `(images, labels)`: N×H×W for grey, N×H×W×C (interleaved) for colour.
pub fn to_idx(d: &Dataset) -> Result<(Vec<u8>, Vec<u8>), UserDataError> {
    if d.classes.len() > MAX_CLASSES {
        return Err(UserDataError::TooManyClasses(d.classes.len()));
    }
    let dim = |v: usize| u32::try_from(v).map_err(|_| UserDataError::DimensionTooLarge(v));
    let (n, c, h, w) = (d.len(), d.channels, d.height, d.width);
    let images = if c == 1 {
        write_idx_u8(&[dim(n)?, dim(h)?, dim(w)?], &d.images)
    } else if c == 3 {
        let plane = h * w;
        let mut hwc = vec![0u8; d.images.len()];
        for i in 0..n {
            let img = &d.images[i * c * plane..(i + 1) * c * plane];
            let out = &mut hwc[i * c * plane..(i + 1) * c * plane];
            for p in 0..plane {
                for ch in 0..c {
                    out[p * c + ch] = img[ch * plane + p];
                }
            }
        }
        write_idx_u8(&[dim(n)?, dim(h)?, dim(w)?, dim(c)?], &hwc)
    } else {
        return Err(UserDataError::Channels(c));
    };
    let labels: Vec<u8> = d.labels.iter().map(|&l| l as u8).collect();
    Ok((images, write_idx_u8(&[dim(n)?], &labels)))
}

/// Normalises what the data module read from `names` (`source_bytes` together) into the
/// stored form. An input without a test part is split 80/20 (seeded, stratified).
pub fn to_stored(
    loaded: Loaded,
    names: &[String],
    source_bytes: u64,
) -> Result<Stored, UserDataError> {
    let format = loaded.format.describe().to_owned();
    let split = loaded.test.is_none();
    let (train, test) = loaded.into_train_test(SPLIT_SEED)?;
    if train.is_empty() || test.is_empty() {
        return Err(UserDataError::TooFewImages);
    }
    if (train.channels, train.height, train.width) != (test.channels, test.height, test.width)
        || train.classes != test.classes
    {
        return Err(UserDataError::PartsDiffer);
    }
    let (train_images, train_labels) = to_idx(&train)?;
    let (test_images, test_labels) = to_idx(&test)?;
    let first = names.first().map_or("data", String::as_str);
    let files = files_for_link(names);
    let name = match names.len() {
        0 | 1 => link_safe(first),
        n if n <= LINK_FILES_MAX => format!("{} (+{} more)", link_safe(first), n - 1),
        n => format!("{} ({n} files)", files.join(", ")),
    };
    let counts: Vec<usize> = train
        .counts_per_class()
        .iter()
        .zip(test.counts_per_class())
        .map(|(a, b)| a + b)
        .collect();
    let stored_bytes = [&train_images, &train_labels, &test_images, &test_labels]
        .iter()
        .map(|v| v.len() as u64)
        .sum();
    let meta = UserMeta {
        supernet: None,
        version: META_VERSION,
        id: make_id(first, fingerprint(&train, &test)),
        name,
        files,
        format,
        channels: train.channels,
        height: train.height,
        width: train.width,
        classes: train.classes.clone(),
        train_count: train.len(),
        test_count: test.len(),
        counts,
        source_bytes,
        stored_bytes,
        split,
    };
    Ok(Stored {
        meta,
        train_images,
        train_labels,
        test_images,
        test_labels,
    })
}

impl UserMeta {
    /// The meta as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a meta, checking its version, id and that the counts agree.
    pub fn from_json(text: &str) -> Result<Self, UserDataError> {
        let m: UserMeta =
            serde_json::from_str(text).map_err(|e| UserDataError::MetaJson(e.to_string()))?;
        if m.version != META_VERSION {
            return Err(UserDataError::MetaVersion(m.version));
        }
        if !is_user_id(&m.id) {
            return Err(UserDataError::NotUserId(m.id));
        }
        if m.classes.is_empty()
            || m.classes.len() > MAX_CLASSES
            || m.counts.len() != m.classes.len()
            || m.counts.iter().sum::<usize>() != m.train_count + m.test_count
        {
            return Err(UserDataError::CountsDisagree(m.id));
        }
        Ok(m)
    }

    /// "N×C×H×W"-style shape of one image, e.g. "3×32×32".
    pub fn shape(&self) -> String {
        format!("{}×{}×{}", self.channels, self.height, self.width)
    }

    /// Reads the stored parts back (`images, labels` of train, then of test; each
    /// gzip'd or not) into `(train, test)` datasets with the meta's class names.
    pub fn datasets(&self, parts: [&[u8]; 4]) -> Result<(Dataset, Dataset), UserDataError> {
        let train = self.dataset(Part::Train, parts[0], parts[1])?;
        let test = self.dataset(Part::Test, parts[2], parts[3])?;
        Ok((train, test))
    }

    /// Reads one stored part back (its `images` and `labels`, gzip'd or not), checked
    /// against the meta: image shape and count.
    pub fn dataset(
        &self,
        part: Part,
        images: &[u8],
        labels: &[u8],
    ) -> Result<Dataset, UserDataError> {
        let (what, count) = match part {
            Part::Train => ("train", self.train_count),
            Part::Test => ("test", self.test_count),
        };
        let d = Dataset::from_idx_bytes(
            &format!("{} ({what})", self.name),
            Some(self.classes.clone()),
            images,
            labels,
        )?;
        if (d.channels, d.height, d.width) != (self.channels, self.height, self.width) {
            return Err(UserDataError::WrongShape {
                id: self.id.clone(),
                shape: self.shape(),
            });
        }
        if d.len() != count {
            return Err(UserDataError::WrongCount {
                id: self.id.clone(),
                part: what,
                stored: d.len(),
                expected: count,
            });
        }
        Ok(d)
    }
}

#[cfg(test)]
#[path = "user_data_tests.rs"]
mod tests;
