//! Messages between the page and the file reader worker. Each message is a JS object
//! `{ json, … }`: `json` is one of these enums as JSON text (tagged by `"type"`), and the
//! bulk travels beside it uncopied — the picked `File`s with [`ToReader::Read`] (key
//! `files`), the four stored IDX parts and the preview pixels with
//! [`FromReader::Done`] (key `buffers`, transferred `ArrayBuffer`s, in [`DONE_BUFFERS`]
//! order).
//!
//! The reader says [`FromReader::Ready`] once its WebAssembly runs (the page queues the
//! request until then), then answers one `Read` with `Progress`…, its `Memory` and exactly
//! one `Done` or `Failed`; a `Save` with `Saved` or `Failed`; a `LoadTest` with one
//! `Loaded` or `Failed` (each answer after a `Memory`).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::playground::user_data::UserMeta;

/// Page → reader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToReader {
    /// Read the files sent beside this message, named `names` (same order: a folder
    /// pick's relative paths, else the file names).
    Read {
        /// One name per file.
        names: Vec<String>,
    },
    /// Keep a read dataset in browser storage (compressed here: a `CompressionStream`
    /// runs on the thread that made it); its four parts travel in `buffers`, in
    /// `PART_FILES` order.
    Save {
        /// The dataset's description.
        meta: Box<UserMeta>,
    },
    /// Read the test part of stored dataset `id` back from browser storage, inflated and
    /// unpacked here rather than on the page's thread (the page shows its images).
    LoadTest {
        /// The stored dataset's id (`user-…`).
        id: String,
    },
}

/// What the reader is doing (the page's status line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Reading file `file` (1-based) of `files` into memory.
    Reading {
        /// 1-based position.
        file: usize,
        /// Files in the request.
        files: usize,
        /// Its name.
        name: String,
    },
    /// Detecting the format and decoding every image.
    Decoding,
    /// Converting to the stored form and picking the preview images.
    Converting,
}

impl Step {
    /// The status line for this step.
    pub fn describe(&self) -> String {
        match self {
            Step::Reading { file, files, name } => {
                format!("Reading file {file} of {files} ({name})…")
            }
            Step::Decoding => "Decoding the images…".into(),
            Step::Converting => "Converting for browser storage…".into(),
        }
    }
}

/// One preview image; its RGBA pixels (`width × height × 4` bytes) follow the previous
/// sample's in the `pixels` buffer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleHead {
    /// Index in the test part.
    pub index: usize,
    /// Class label.
    pub label: usize,
    /// Class name.
    pub class_name: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl SampleHead {
    /// Bytes of this sample's RGBA pixels.
    pub fn rgba_len(&self) -> usize {
        self.width as usize * self.height as usize * 4
    }
}

/// Names of the buffers that travel with [`FromReader::Done`], in order.
pub const DONE_BUFFERS: [&str; 5] = [
    "train-images",
    "train-labels",
    "test-images",
    "test-labels",
    "pixels",
];

/// Names of the buffers that travel with [`FromReader::Loaded`], in order: the images
/// (N·C·H·W bytes, channel-planar) and the labels (little-endian `u16`, one per image).
pub const LOADED_BUFFERS: [&str; 2] = ["images", "labels"];

/// Why reading failed: one sentence for the page's error line.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ReadError {
    /// Too many or too large files (checked before anything is read).
    #[error("{0}")]
    Refused(String),
    /// The browser could not read a file.
    #[error("{0} could not be read")]
    Unreadable(String),
    /// The data module refused the files (format, budget, corrupt data).
    #[error("{0}")]
    Decode(String),
    /// The data could not be converted to the stored form.
    #[error("{0}")]
    Convert(String),
    /// Browser storage refused the dataset (nothing was kept).
    #[error("{0}")]
    Storage(String),
    /// The reader itself failed (a panic, running out of memory, failing to load).
    #[error("the file reader stopped ({0}); nothing was changed")]
    Crashed(String),
    /// A message the other side could not understand.
    #[error("the file reader sent a malformed message ({0})")]
    Protocol(String),
}

/// Reader → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum FromReader {
    /// The reader runs and accepts a request.
    Ready,
    /// A step started.
    Progress(Step),
    /// The reader's WebAssembly memory in bytes, sent just before its answer: the most a
    /// read cost there (a wasm memory only grows, and each read has a worker of its own).
    Memory(u64),
    /// The files were read: the stored form's meta and the preview samples (the bytes
    /// travel in the `buffers`, see [`DONE_BUFFERS`]).
    Done {
        /// The dataset's description.
        meta: UserMeta,
        /// The preview images, in order.
        samples: Vec<SampleHead>,
    },
    /// The stored test part of a `LoadTest` (the bytes travel in the `buffers`, see
    /// [`LOADED_BUFFERS`]).
    Loaded {
        /// The stored dataset's description.
        meta: UserMeta,
    },
    /// A `Save` finished: the dataset is stored.
    Saved,
    /// The files could not be read (nothing was kept).
    Failed(ReadError),
}

impl ToReader {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a message.
    pub fn from_json(text: &str) -> Result<Self, ReadError> {
        serde_json::from_str(text).map_err(|e| ReadError::Protocol(e.to_string()))
    }
}

impl FromReader {
    /// The message as JSON text (an encoding failure becomes a `Failed` message).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::to_string(&FromReader::Failed(ReadError::Protocol(e.to_string())))
                .unwrap_or_default()
        })
    }

    /// Parses a message.
    pub fn from_json(text: &str) -> Result<Self, ReadError> {
        serde_json::from_str(text).map_err(|e| ReadError::Protocol(e.to_string()))
    }
}

/// Labels as [`LOADED_BUFFERS`] carries them (little-endian `u16`s).
pub fn labels_to_bytes(labels: &[u16]) -> Vec<u8> {
    labels.iter().flat_map(|l| l.to_le_bytes()).collect()
}

/// The labels of a [`FromReader::Loaded`]; `None` for an odd byte count.
pub fn labels_from_bytes(bytes: &[u8]) -> Option<Vec<u16>> {
    bytes.len().is_multiple_of(2).then(|| {
        bytes
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect()
    })
}

/// Splits the preview `pixels` buffer into each sample's RGBA bytes; `None` when the
/// buffer does not hold exactly the samples' pixels.
pub fn split_pixels<'a>(heads: &[SampleHead], pixels: &'a [u8]) -> Option<Vec<&'a [u8]>> {
    let mut out = Vec::with_capacity(heads.len());
    let mut at = 0usize;
    for h in heads {
        let end = at.checked_add(h.rgba_len())?;
        out.push(pixels.get(at..end)?);
        at = end;
    }
    (at == pixels.len()).then_some(out)
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
