//! One source image of an image folder: decoding a PNG or JPEG within the caps (the file at
//! most [`MAX_FILE_BYTES`], each side at most [`MAX_SOURCE_SIDE`] pixels as its header
//! declares, both checked before anything is decoded), and converting it to a channel
//! count and size (planar, resized with a separable triangle — bilinear, antialiased —
//! filter).

use super::{bad, DataError};

/// Largest image accepted, in pixels (width·height).
pub const MAX_IMAGE_PIXELS: u64 = MAX_SOURCE_SIDE as u64 * MAX_SOURCE_SIDE as u64;
/// Largest side of a source image (it is resized to the output size): 1024 pixels.
pub const MAX_SOURCE_SIDE: u32 = 1024;
/// Largest single encoded image file: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

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
pub(crate) fn decode_within(
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
        // The size the header declares, checked here first: the decoder's own budget
        // would refuse a huge image too, without saying which limit.
        if let Some((w, h)) = png_declared_size(bytes) {
            check_size(w as u64, h as u64, pixels_left, what)?;
        }
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
        // The decoder's size caps at the format's own maximum, so that `check_size`
        // (after the headers, before any pixel is decoded) names our limit.
        let o = DecoderOptions::default()
            .set_max_width(u16::MAX as usize)
            .set_max_height(u16::MAX as usize)
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

/// The width and height a PNG's `IHDR` chunk declares (it must come first), if present.
fn png_declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let ihdr = bytes.get(8..24)?;
    if &ihdr[4..8] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&ihdr[8..12]), be(&ihdr[12..16])))
}

/// Converts interleaved `c`-channel `w × h` pixels to `channels` planar channels of
/// `height × width`.
pub(crate) fn convert(
    px: &[u8],
    (w, h, c): (usize, usize, usize),
    (channels, height, width): (usize, usize, usize),
) -> Vec<u8> {
    let mut planes: Vec<Vec<f32>> = (0..channels).map(|_| Vec::with_capacity(w * h)).collect();
    for p in px.chunks_exact(c) {
        if channels == c {
            for (k, &v) in p.iter().enumerate() {
                planes[k].push(v as f32);
            }
        } else if channels == 3 {
            for plane in planes.iter_mut() {
                plane.push(p[0] as f32);
            }
        } else {
            planes[0]
                .push((299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) as f32 / 1000.0);
        }
    }
    let (wx, wy) = (weights(w, width), weights(h, height));
    let mut out = Vec::with_capacity(channels * height * width);
    for plane in &planes {
        let mut tmp = vec![0f32; h * width];
        for y in 0..h {
            for (x, (start, ws)) in wx.iter().enumerate() {
                tmp[y * width + x] = ws
                    .iter()
                    .enumerate()
                    .map(|(k, wt)| wt * plane[y * w + start + k])
                    .sum();
            }
        }
        for (start, ws) in &wy {
            for x in 0..width {
                let v: f32 = ws
                    .iter()
                    .enumerate()
                    .map(|(k, wt)| wt * tmp[(start + k) * width + x])
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
