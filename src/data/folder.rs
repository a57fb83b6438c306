//! "ImageFolder" datasets: PNG/JPEG images arranged one sub-folder per class
//! (`root/<class>/<image>.png`), from a list of files, a zip archive, or (natively) a
//! directory. Classes are the sub-folder names sorted by name (torchvision's rule), images
//! are taken in path order, converted to the chosen channel count and resized to the
//! chosen resolution with a separable triangle (bilinear, antialiased) filter.
//!
//! Caps, checked from each image's header before it is decoded: each source image at
//! most [`MAX_SOURCE_SIDE`] pixels a side and ≤ [`MAX_FILE_BYTES`] encoded, all source
//! images together ≤ [`MAX_SOURCE_PIXELS`] decoded pixels; the output ≤ `MAX_IMAGE_SIDE`
//! a side, the whole dataset ≤ `MAX_DECODED_BYTES` decoded, ≤ [`MAX_FILES`] files.

use super::{bad, check_input_size, zip, DataError, Dataset, MAX_DECODED_BYTES, MAX_IMAGE_SIDE};
use std::collections::BTreeMap;

/// Largest image accepted, in pixels (width·height).
pub const MAX_IMAGE_PIXELS: u64 = MAX_SOURCE_SIDE as u64 * MAX_SOURCE_SIDE as u64;
/// Largest side of a source image (it is resized to the output size): 1024 pixels.
pub const MAX_SOURCE_SIDE: u32 = 1024;
/// Most source pixels decoded for one dataset (256 Mi: 60,000 images of 64 × 64 fit).
pub const MAX_SOURCE_PIXELS: u64 = 256 << 20;
/// Largest single encoded image file: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
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
        let planar = convert(&px, w, h, c, self.opts);
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
                    return Err(bad(
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

/// Decodes a PNG or JPEG into `(width, height, channels 1|3, interleaved pixels)`.
pub fn decode(bytes: &[u8], what: &str) -> Result<(usize, usize, usize, Vec<u8>), DataError> {
    decode_within(bytes, what, MAX_IMAGE_PIXELS)
}

/// Refuses a declared size over [`MAX_SOURCE_SIDE`] (a header error) or over
/// `pixels_left` (a [`DataError::TooLarge`]), before anything is decoded.
fn check_size(w: u64, h: u64, pixels_left: u64, what: &str) -> Result<(), DataError> {
    let side = MAX_SOURCE_SIDE as u64;
    if w == 0 || h == 0 || w > side || h > side {
        return Err(bad(
            what,
            format!("a {w}×{h} image is over the limit of {side}×{side} pixels"),
        ));
    }
    if w * h > pixels_left {
        return Err(DataError::TooLarge {
            what: format!("{what} ({w}×{h} pixels)"),
            size: w * h,
            limit: pixels_left,
        });
    }
    Ok(())
}

/// [`decode`], with at most `pixels_left` pixels to decode.
fn decode_within(
    bytes: &[u8],
    what: &str,
    pixels_left: u64,
) -> Result<(usize, usize, usize, Vec<u8>), DataError> {
    let err = |e: String| bad(what, format!("cannot decode image: {e}"));
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(DataError::TooLarge {
            what: what.to_string(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let limits = png::Limits {
            bytes: (MAX_IMAGE_PIXELS * 8) as usize,
        };
        let mut d = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), limits);
        d.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut r = d.read_info().map_err(|e| err(e.to_string()))?;
        let (w, h) = r.info().size();
        check_size(w as u64, h as u64, pixels_left, what)?;
        let size = r
            .output_buffer_size()
            .ok_or_else(|| err("image too large".into()))?;
        let mut buf = vec![0; size];
        let info = r.next_frame(&mut buf).map_err(|e| err(e.to_string()))?;
        buf.truncate(info.buffer_size());
        let (w, h) = (info.width as usize, info.height as usize);
        let src_c = info.color_type.samples();
        let keep = if src_c >= 3 { 3 } else { 1 };
        let px: Vec<u8> = buf
            .chunks_exact(src_c)
            .flat_map(|p| p[..keep].to_vec())
            .collect();
        if px.len() != w * h * keep {
            return Err(err("unexpected PNG buffer size".into()));
        }
        Ok((w, h, keep, px))
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        use zune_jpeg::zune_core::{
            bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions,
        };
        let o = DecoderOptions::default()
            .set_max_width(MAX_SOURCE_SIDE as usize)
            .set_max_height(MAX_SOURCE_SIDE as usize)
            .jpeg_set_out_colorspace(ColorSpace::RGB);
        let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), o);
        d.decode_headers().map_err(|e| err(format!("{e:?}")))?;
        let info = d.info().ok_or_else(|| err("no JPEG header".into()))?;
        let (w, h) = (info.width as usize, info.height as usize);
        check_size(w as u64, h as u64, pixels_left, what)?;
        let px = d.decode().map_err(|e| err(format!("{e:?}")))?;
        if px.len() != w * h * 3 {
            return Err(err("unexpected JPEG buffer size".into()));
        }
        Ok((w, h, 3, px))
    } else {
        Err(bad(what, "not a PNG or JPEG file"))
    }
}

/// Converts interleaved `c`-channel pixels to the target channels and size, planar.
fn convert(px: &[u8], w: usize, h: usize, c: usize, o: FolderOptions) -> Vec<u8> {
    let mut planes: Vec<Vec<f32>> = (0..o.channels).map(|_| Vec::with_capacity(w * h)).collect();
    for p in px.chunks_exact(c) {
        if o.channels == c {
            for (k, &v) in p.iter().enumerate() {
                planes[k].push(v as f32);
            }
        } else if o.channels == 3 {
            for plane in planes.iter_mut() {
                plane.push(p[0] as f32);
            }
        } else {
            planes[0]
                .push((299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) as f32 / 1000.0);
        }
    }
    let (wx, wy) = (weights(w, o.width), weights(h, o.height));
    let mut out = Vec::with_capacity(o.channels * o.height * o.width);
    for plane in &planes {
        let mut tmp = vec![0f32; h * o.width];
        for y in 0..h {
            for (x, (start, ws)) in wx.iter().enumerate() {
                tmp[y * o.width + x] = ws
                    .iter()
                    .enumerate()
                    .map(|(k, wt)| wt * plane[y * w + start + k])
                    .sum();
            }
        }
        for (start, ws) in &wy {
            for x in 0..o.width {
                let v: f32 = ws
                    .iter()
                    .enumerate()
                    .map(|(k, wt)| wt * tmp[(start + k) * o.width + x])
                    .sum();
                out.push(v.round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

/// Triangle-filter weights for resampling `src` samples to `dst` (start, weights).
fn weights(src: usize, dst: usize) -> Vec<(usize, Vec<f32>)> {
    let scale = src as f64 / dst as f64;
    let support = scale.max(1.0);
    (0..dst)
        .map(|i| {
            let center = (i as f64 + 0.5) * scale;
            let lo = ((center - support).floor().max(0.0) as usize).min(src - 1);
            let hi = ((center + support).ceil() as usize).min(src);
            let mut ws: Vec<f32> = (lo..hi)
                .map(|j| (1.0 - ((j as f64 + 0.5 - center) / support).abs()).max(0.0) as f32)
                .collect();
            let sum: f32 = ws.iter().sum();
            if sum > 0.0 {
                ws.iter_mut().for_each(|v| *v /= sum);
            } else {
                ws = vec![1.0];
            }
            (lo, ws)
        })
        .collect()
}
