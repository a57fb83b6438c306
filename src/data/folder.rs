//! "ImageFolder" datasets: PNG/JPEG images arranged one sub-folder per class
//! (`root/<class>/<image>.png`), from a list of files, a zip archive, or (natively) a
//! directory. Classes are the sub-folder names sorted by name (torchvision's rule), images
//! are taken in path order, converted to the chosen channel count and resized to the
//! chosen resolution with a separable triangle (bilinear, antialiased) filter (one image's
//! decoding and resizing: `data/image.rs`).
//!
//! Caps, checked from each image's header before it is decoded: each source image at
//! most [`MAX_SOURCE_SIDE`] pixels a side and ≤ [`MAX_FILE_BYTES`] encoded, all source
//! images together ≤ [`MAX_SOURCE_PIXELS`] decoded pixels; the output ≤ `MAX_IMAGE_SIDE`
//! a side, the whole dataset ≤ `MAX_DECODED_BYTES` decoded, ≤ [`MAX_FILES`] files.

use super::image::{convert, decode_within};
pub use super::image::{decode, MAX_FILE_BYTES, MAX_IMAGE_PIXELS, MAX_SOURCE_SIDE};
use super::{check_input_size, zip, DataError, Dataset, MAX_DECODED_BYTES, MAX_IMAGE_SIDE};
use std::collections::BTreeMap;

/// Most source pixels decoded for one dataset (256 Mi: 60,000 images of 64 × 64 fit).
pub const MAX_SOURCE_PIXELS: u64 = 256 << 20;
/// Most image files in one dataset.
pub const MAX_FILES: usize = 1_000_000;

/// Output shape for an image folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderOptions {
    /// Output channels: 1 (grey) or 3 (RGB).
    pub channels: usize,
    /// Output height in pixels.
    pub height: usize,
    /// Output width in pixels.
    pub width: usize,
}

impl Default for FolderOptions {
    fn default() -> Self {
        Self {
            channels: 3,
            height: 32,
            width: 32,
        }
    }
}

/// True for names ending in `.png`, `.jpg` or `.jpeg` (any case).
pub fn is_image_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".png") || l.ends_with(".jpg") || l.ends_with(".jpeg")
}

/// The class of an image path: its parent folder's name (skipping hidden / `__MACOSX`).
fn class_of(path: &str) -> Option<&str> {
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.len() < 2 || parts.iter().any(|p| p.starts_with('.') || *p == "__MACOSX") {
        return None;
    }
    Some(parts[parts.len() - 2])
}

/// Accumulates decoded images, then builds the dataset.
struct Builder {
    opts: FolderOptions,
    name: String,
    images: Vec<u8>,
    classes: Vec<String>,
    /// Source pixels that may still be decoded.
    pixels_left: u64,
}

impl Builder {
    fn new(name: &str, opts: FolderOptions) -> Result<Self, DataError> {
        if !(opts.channels == 1 || opts.channels == 3)
            || opts.height == 0
            || opts.width == 0
            || opts.height > MAX_IMAGE_SIDE
            || opts.width > MAX_IMAGE_SIDE
        {
            return Err(DataError::Unsupported(format!(
                "image folder: output shape {}×{}×{} not supported (1 or 3 channels, 1..={MAX_IMAGE_SIDE} pixels)",
                opts.channels, opts.height, opts.width
            )));
        }
        Ok(Self {
            opts,
            name: name.to_string(),
            images: Vec::new(),
            classes: Vec::new(),
            pixels_left: MAX_SOURCE_PIXELS,
        })
    }

    fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), DataError> {
        let Some(class) = class_of(path) else {
            return Ok(());
        };
        if !is_image_name(path) {
            return Ok(());
        }
        let per = (self.opts.channels * self.opts.height * self.opts.width) as u64;
        if self.classes.len() >= MAX_FILES || self.images.len() as u64 + per > MAX_DECODED_BYTES {
            return Err(DataError::TooLarge {
                what: format!("{} (decoded images)", self.name),
                size: self.images.len() as u64 + per,
                limit: MAX_DECODED_BYTES,
            });
        }
        let (w, h, c, px) = decode_within(bytes, path, self.pixels_left).map_err(|e| {
            if matches!(e, DataError::TooLarge { .. }) {
                DataError::TooLarge {
                    what: format!("{} (source pixels decoded, at {path})", self.name),
                    size: MAX_SOURCE_PIXELS - self.pixels_left + 1,
                    limit: MAX_SOURCE_PIXELS,
                }
            } else {
                e
            }
        })?;
        self.pixels_left -= (w * h) as u64;
        let o = self.opts;
        let planar = convert(&px, (w, h, c), (o.channels, o.height, o.width));
        self.images.extend_from_slice(&planar);
        self.classes.push(class.to_string());
        Ok(())
    }

    fn finish(self) -> Result<Dataset, DataError> {
        if self.classes.is_empty() {
            return Err(DataError::Mismatch(format!(
                "{}: no PNG/JPEG images in class sub-folders (expected <root>/<class>/<image>.png)",
                self.name
            )));
        }
        let names: BTreeMap<&str, u16> = BTreeMap::new();
        let mut names = names;
        for c in &self.classes {
            names.entry(c.as_str()).or_insert(0);
        }
        if names.len() > u16::MAX as usize {
            return Err(DataError::Mismatch(format!(
                "{}: too many classes",
                self.name
            )));
        }
        for (i, v) in names.values_mut().enumerate() {
            *v = i as u16;
        }
        let labels = self
            .classes
            .iter()
            .map(|c| names.get(c.as_str()).copied().unwrap_or(0))
            .collect();
        let classes = names.keys().map(|s| s.to_string()).collect();
        let o = self.opts;
        Dataset::new(
            self.name,
            classes,
            (o.channels, o.height, o.width),
            self.images,
            labels,
        )
    }
}

/// Builds a dataset from `(relative path, file bytes)` pairs, e.g. dropped files.
pub fn from_entries(
    name: &str,
    mut entries: Vec<(String, Vec<u8>)>,
    opts: FolderOptions,
) -> Result<Dataset, DataError> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut b = Builder::new(name, opts)?;
    for (path, bytes) in &entries {
        b.add(path, bytes)?;
    }
    b.finish()
}

/// Builds a dataset from a zip archive of an image folder (stored or deflated entries).
pub fn from_zip(name: &str, zip: &[u8], opts: FolderOptions) -> Result<Dataset, DataError> {
    check_input_size(name, zip.len() as u64)?;
    let mut entries = zip::entries(zip, name)?;
    entries.retain(|e| is_image_name(&e.name) && class_of(&e.name).is_some());
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let mut b = Builder::new(name, opts)?;
    for e in &entries {
        let bytes = zip::extract(zip, e, name)?;
        b.add(&e.name, &bytes)?;
    }
    b.finish()
}

/// Builds a dataset from a directory `root/<class>/<image>` (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn from_dir(root: &std::path::Path, opts: FolderOptions) -> Result<Dataset, DataError> {
    let io = |p: &std::path::Path, e: std::io::Error| DataError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let mut files = Vec::new();
    for class in std::fs::read_dir(root).map_err(|e| io(root, e))? {
        let class = class.map_err(|e| io(root, e))?.path();
        if !class.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&class).map_err(|e| io(&class, e))? {
            let f = f.map_err(|e| io(&class, e))?.path();
            if f.is_file() && is_image_name(&f.to_string_lossy()) {
                files.push(f);
                if files.len() > MAX_FILES {
                    return Err(super::bad(
                        &root.display().to_string(),
                        "more than 1,000,000 image files",
                    ));
                }
            }
        }
    }
    files.sort();
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.display().to_string());
    let mut b = Builder::new(&name, opts)?;
    for f in files {
        let len = f.metadata().map_err(|e| io(&f, e))?.len();
        if len > MAX_FILE_BYTES {
            return Err(DataError::TooLarge {
                what: f.display().to_string(),
                size: len,
                limit: MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(&f).map_err(|e| io(&f, e))?;
        let rel = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .into_owned();
        b.add(&rel, &bytes)?;
    }
    b.finish()
}
