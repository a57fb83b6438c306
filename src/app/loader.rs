//! Loading a shipped dataset: fetch its gzip'd IDX files from the page's own origin and
//! parse them with the data module's reader (which validates everything and returns a
//! typed error instead of panicking). Also picks the test images the sample grid shows.

use super::browser::{fetch_bytes, measured, now_ms, yield_now, FetchError};
use super::catalog::SplitInfo;
use super::state::Sample;
use crate::data::{DataError, Dataset};

/// Why a shipped subset could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LoaderError {
    /// A file could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A file did not decompress (damaged gzip, over the decode budget).
    #[error(transparent)]
    Decompress(#[from] DataError),
    /// The IDX files do not read as a dataset; both URLs are named.
    #[error("{error} ({images_url}, {labels_url})")]
    Parse {
        /// The reader's error.
        #[source]
        error: DataError,
        /// The image file's URL.
        images_url: String,
        /// The label file's URL.
        labels_url: String,
    },
}

/// Fetches and parses one subset (images + labels) described by `split`; `name` names
/// it in error messages (e.g. "Fashion-MNIST (test)").
pub async fn load_split(
    name: &str,
    split: &SplitInfo,
    classes: &[String],
) -> Result<Dataset, LoaderError> {
    let images_url = split.images.url();
    let labels_url = split.labels.url();
    let images = gunzip_yielding(fetch_bytes(&images_url).await?, &images_url).await?;
    let labels = gunzip_yielding(fetch_bytes(&labels_url).await?, &labels_url).await?;
    // The parse (a copy of every pixel) in a task of its own, not after the last slice.
    yield_now().await;
    Dataset::from_idx_bytes(name, Some(classes.to_vec()), &images, &labels).map_err(|error| {
        LoaderError::Parse {
            error,
            images_url,
            labels_url,
        }
    })
}

/// Output bytes inflated per step: ≈ 32 KiB takes well under 1 ms in wasm once optimised,
/// several times that while the browser still runs the inflater's first, unoptimised code.
const INFLATE_STEP: usize = 32 << 10;

/// Main-thread time spent inflating before the page gets the event loop back: a task of
/// this plus one step stays far under the 50 ms long-task mark however slow the steps are.
const INFLATE_BUDGET_MS: f64 = 8.0;

/// `bytes` decompressed when gzip'd (bounded like every reader: [`crate::data::decode_budget`]),
/// in steps with the event loop in between every [`INFLATE_BUDGET_MS`], so that a large file
/// never holds the page's main thread in one long task. A time budget, not a byte count:
/// the same bytes cost several times more before the wasm is optimised, or on a busy machine.
pub(crate) async fn gunzip_yielding(bytes: Vec<u8>, url: &str) -> Result<Vec<u8>, DataError> {
    let Some(mut steps) = crate::data::gunzip_in_steps(&bytes, url)? else {
        return Ok(bytes);
    };
    loop {
        let started = now_ms();
        let done = measured("inflate slice", || -> Result<bool, DataError> {
            loop {
                if steps.step(INFLATE_STEP)? {
                    return Ok(true);
                }
                if now_ms() - started >= INFLATE_BUDGET_MS {
                    return Ok(false);
                }
            }
        })?;
        if done {
            return Ok(steps.into_bytes());
        }
        yield_now().await;
    }
}

/// Up to `count` test images spread evenly over the classes (the first few of each class
/// in file order), ordered by class, as RGBA ready for a canvas.
pub fn pick_samples(data: &Dataset, count: usize) -> Vec<Sample> {
    let classes = data.classes.len().max(1);
    let per_class = count.div_ceil(classes);
    let mut taken = vec![0usize; classes];
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    for index in 0..data.len() {
        let label = data.labels[index] as usize;
        if label < classes && taken[label] < per_class {
            taken[label] += 1;
            picked.push(index);
            if picked.len() == per_class * classes {
                break;
            }
        }
    }
    picked.sort_by_key(|&index| (data.labels[index], index));
    picked.truncate(count);
    picked
        .into_iter()
        .map(|index| to_sample(data, index))
        .collect()
}

/// Image `index` as an RGBA [`Sample`] (grey images repeat the one channel; colour
/// images are stored channel-major, CHW).
fn to_sample(data: &Dataset, index: usize) -> Sample {
    let (channels, height, width) = (data.channels, data.height, data.width);
    let plane = height * width;
    let pixels = data.image(index);
    let mut rgba = Vec::with_capacity(plane * 4);
    for p in 0..plane {
        let at = |c: usize| pixels.get(c.min(channels.max(1) - 1) * plane + p).copied();
        let (r, g, b) = (at(0), at(1), at(2));
        rgba.extend_from_slice(&[r.unwrap_or(0), g.unwrap_or(0), b.unwrap_or(0), 255]);
    }
    let label = data.labels[index] as usize;
    Sample {
        index,
        label,
        class_name: data
            .classes
            .get(label)
            .cloned()
            .unwrap_or_else(|| format!("class {label}")),
        width: width as u32,
        height: height as u32,
        rgba,
    }
}
