//! IDX files (the MNIST / Fashion-MNIST format), gzip-aware.
//!
//! Layout: a big-endian magic `00 00 <dtype> <ndim>`, `ndim` big-endian `u32` dimensions,
//! then the values in row-major order, big-endian. The reader checks the magic, the type
//! code, the number and size of the dimensions and that the payload has exactly the
//! declared length (no allocation before that check), and never panics.

use std::io::Read;

use super::{
    bad, check_input_size, decode_budget, is_gzip, read_capped, DataError, MAX_DECODED_BYTES,
    MAX_IMAGE_SIDE,
};

/// Most dimensions an IDX file may declare here.
pub const MAX_DIMS: usize = 8;

/// Element type of an IDX array (third magic byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdxType {
    /// `0x08`: unsigned byte.
    U8,
    /// `0x09`: signed byte.
    I8,
    /// `0x0B`: big-endian `i16`.
    I16,
    /// `0x0C`: big-endian `i32`.
    I32,
    /// `0x0D`: big-endian `f32`.
    F32,
    /// `0x0E`: big-endian `f64`.
    F64,
}

impl IdxType {
    /// The type for a magic type code, if valid.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0x08 => Self::U8,
            0x09 => Self::I8,
            0x0B => Self::I16,
            0x0C => Self::I32,
            0x0D => Self::F32,
            0x0E => Self::F64,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Self::U8 | Self::I8 => 1,
            Self::I16 => 2,
            Self::I32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }
}

/// A parsed IDX array.
#[derive(Clone, Debug, PartialEq)]
pub struct IdxArray {
    /// Element type.
    pub dtype: IdxType,
    /// Dimensions, outermost first.
    pub dims: Vec<usize>,
    /// Raw payload (big-endian elements), exactly `product(dims) * dtype.size()` bytes.
    pub data: Vec<u8>,
}

/// What an IDX header declares.
struct Header {
    dtype: IdxType,
    dims: Vec<usize>,
    /// Header length in bytes.
    len: usize,
    /// Payload length in bytes.
    payload: u64,
}

/// Reads and checks the header at the start of `raw` (which may hold only the header):
/// magic, type, dimensions, and the payload against [`MAX_DECODED_BYTES`] and, for an
/// image array (3 or 4 dimensions), each side against [`MAX_IMAGE_SIDE`].
fn header(raw: &[u8], what: &str) -> Result<Header, DataError> {
    if raw.len() < 4 {
        return Err(DataError::Truncated {
            what: what.to_string(),
            needed: 4,
            available: raw.len() as u64,
        });
    }
    if raw[0] != 0 || raw[1] != 0 {
        return Err(bad(
            what,
            format!(
                "not an IDX file (magic {:02x}{:02x}{:02x}{:02x}, expected 0000TTDD)",
                raw[0], raw[1], raw[2], raw[3]
            ),
        ));
    }
    let dtype = IdxType::from_code(raw[2])
        .ok_or_else(|| bad(what, format!("unknown IDX type code 0x{:02x}", raw[2])))?;
    let ndim = raw[3] as usize;
    if ndim == 0 || ndim > MAX_DIMS {
        return Err(bad(
            what,
            format!("IDX declares {ndim} dimensions (1..={MAX_DIMS} supported)"),
        ));
    }
    let len = 4 + 4 * ndim;
    if raw.len() < len {
        return Err(DataError::Truncated {
            what: format!("{what} (header)"),
            needed: len as u64,
            available: raw.len() as u64,
        });
    }
    let mut dims = Vec::with_capacity(ndim);
    let mut payload: u64 = dtype.size() as u64;
    for k in 0..ndim {
        let o = 4 + 4 * k;
        let d = u32::from_be_bytes([raw[o], raw[o + 1], raw[o + 2], raw[o + 3]]);
        payload = payload.saturating_mul(d as u64);
        dims.push(d as usize);
    }
    if payload > MAX_DECODED_BYTES {
        return Err(DataError::TooLarge {
            what: format!("{what} payload ({dims:?})"),
            size: payload,
            limit: MAX_DECODED_BYTES,
        });
    }
    if ndim >= 3 && (dims[1] > MAX_IMAGE_SIDE || dims[2] > MAX_IMAGE_SIDE) {
        return Err(bad(
            what,
            format!(
                "images of {}×{} pixels are over the limit of {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE}",
                dims[1], dims[2]
            ),
        ));
    }
    Ok(Header {
        dtype,
        dims,
        len,
        payload,
    })
}

/// Parses an IDX file (gzip'd or not). `what` names it in error messages. A gzip'd
/// file's header is decompressed first, and its payload only when the header's size
/// fits the budgets (and [`decode_budget`] of the compressed size).
pub fn parse_idx(bytes: &[u8], what: &str) -> Result<IdxArray, DataError> {
    check_input_size(what, bytes.len() as u64)?;
    if !is_gzip(bytes) {
        let h = header(bytes, what)?;
        let available = (bytes.len() - h.len) as u64;
        return payload_fits(&h, available, what).map(|()| IdxArray {
            dtype: h.dtype,
            data: bytes[h.len..].to_vec(),
            dims: h.dims,
        });
    }
    let mut d = flate2::read::MultiGzDecoder::new(bytes);
    let mut head = [0u8; 4 + 4 * MAX_DIMS];
    let got = read_prefix(&mut d, &mut head[..4], what)?;
    let ndim = (head[3] as usize).min(MAX_DIMS);
    let got = got + read_prefix(&mut d, &mut head[4..4 + 4 * ndim], what)?;
    let h = header(&head[..got], what)?;
    let budget = decode_budget(bytes.len() as u64);
    if h.payload > budget {
        return Err(DataError::TooLarge {
            what: format!(
                "{what} (declared payload of a {} byte gzip file)",
                bytes.len()
            ),
            size: h.payload,
            limit: budget,
        });
    }
    // One byte more than declared is read to tell trailing bytes apart.
    let data = read_capped(d, what, h.payload + 1).map_err(|e| match e {
        DataError::TooLarge { .. } => bad(what, "trailing bytes after the declared payload"),
        e => e,
    })?;
    payload_fits(&h, data.len() as u64, what)?;
    Ok(IdxArray {
        dtype: h.dtype,
        dims: h.dims,
        data,
    })
}

/// Reads up to `buf.len()` bytes (fewer only at the end of the stream).
fn read_prefix(r: &mut impl Read, buf: &mut [u8], what: &str) -> Result<usize, DataError> {
    super::read_full(r, buf).map_err(|e| DataError::Decompress {
        what: what.to_string(),
        reason: e.to_string(),
    })
}

/// Checks that `available` payload bytes are exactly what `h` declares.
fn payload_fits(h: &Header, available: u64, what: &str) -> Result<(), DataError> {
    if available < h.payload {
        return Err(DataError::Truncated {
            what: what.to_string(),
            needed: h.len as u64 + h.payload,
            available: h.len as u64 + available,
        });
    }
    if available > h.payload {
        return Err(bad(
            what,
            format!(
                "{} trailing bytes after the declared {:?} payload",
                available - h.payload,
                h.dims
            ),
        ));
    }
    Ok(())
}

/// Reads an IDX image file: `u8`, N×H×W (grey) or N×H×W×C with C ∈ {1, 3} (interleaved,
/// converted to channel-planar). Returns `(n, channels, height, width, pixels N·C·H·W)`.
pub fn read_images(
    bytes: &[u8],
    what: &str,
) -> Result<(usize, usize, usize, usize, Vec<u8>), DataError> {
    let a = parse_idx(bytes, what)?;
    if a.dtype != IdxType::U8 {
        return Err(bad(
            what,
            format!("images must be unsigned bytes, found {:?}", a.dtype),
        ));
    }
    match a.dims[..] {
        [n, h, w] if h > 0 && w > 0 => Ok((n, 1, h, w, a.data)),
        [n, h, w, c] if h > 0 && w > 0 && (c == 1 || c == 3) => {
            let plane = h * w;
            let mut out = vec![0u8; a.data.len()];
            for (i, px) in a.data.chunks_exact(c).enumerate() {
                let (img, pos) = (i / plane, i % plane);
                for (ch, &v) in px.iter().enumerate() {
                    out[(img * c + ch) * plane + pos] = v;
                }
            }
            Ok((n, c, h, w, out))
        }
        _ => Err(bad(
            what,
            format!("image IDX must be N×H×W or N×H×W×(1|3), found {:?}", a.dims),
        )),
    }
}

/// Reads an IDX label file: `u8`, one dimension N.
pub fn read_labels(bytes: &[u8], what: &str) -> Result<Vec<u8>, DataError> {
    let a = parse_idx(bytes, what)?;
    if a.dtype != IdxType::U8 || a.dims.len() != 1 {
        return Err(bad(
            what,
            format!(
                "labels must be a 1-D unsigned-byte IDX, found {:?} {:?}",
                a.dtype, a.dims
            ),
        ));
    }
    Ok(a.data)
}

/// Writes a `u8` IDX array (uncompressed); used by tests and tools.
pub fn write_idx_u8(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn images(n: u32) -> Vec<u8> {
        let data: Vec<u8> = (0..n * 6).map(|i| i as u8).collect();
        write_idx_u8(&[n, 2, 3], &data)
    }

    #[test]
    fn reads_valid_images_and_labels() {
        let (n, c, h, w, px) = read_images(&images(4), "img").unwrap();
        assert_eq!((n, c, h, w), (4, 1, 2, 3));
        assert_eq!(px, (0..24).map(|i| i as u8).collect::<Vec<_>>());
        let labels = read_labels(&write_idx_u8(&[3], &[1, 2, 9]), "lab").unwrap();
        assert_eq!(labels, vec![1, 2, 9]);
    }

    #[test]
    fn gzip_is_transparent() {
        let raw = images(5);
        assert_eq!(
            parse_idx(&gz(&raw), "g").unwrap(),
            parse_idx(&raw, "r").unwrap()
        );
    }

    #[test]
    fn interleaved_rgb_becomes_planar() {
        let data = [1, 2, 3, 4, 5, 6]; // 1 image, 1x2 pixels, RGB
        let (_, c, _, _, px) = read_images(&write_idx_u8(&[1, 1, 2, 3], &data), "x").unwrap();
        assert_eq!(c, 3);
        assert_eq!(px, vec![1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn rejects_bad_headers() {
        let mut b = images(2);
        b[0] = 1;
        assert!(matches!(
            parse_idx(&b, "x"),
            Err(DataError::BadHeader { .. })
        ));
        let mut b = images(2);
        b[2] = 0x0A;
        assert!(parse_idx(&b, "x")
            .unwrap_err()
            .to_string()
            .contains("type code"));
        let mut b = images(2);
        b[3] = 0;
        assert!(parse_idx(&b, "x").is_err());
        b[3] = 200;
        assert!(parse_idx(&b, "x").is_err());
        assert!(read_labels(&images(2), "x").is_err());
        assert!(read_images(&write_idx_u8(&[3], &[0, 0, 0]), "x").is_err());
    }

    #[test]
    fn rejects_truncation_and_trailing_bytes() {
        let b = images(3);
        for cut in 0..b.len() {
            assert!(parse_idx(&b[..cut], "x").is_err(), "cut at {cut}");
        }
        let mut long = b.clone();
        long.push(0);
        assert!(parse_idx(&long, "x")
            .unwrap_err()
            .to_string()
            .contains("trailing"));
        let g = gz(&b);
        for cut in [2, 10, g.len() / 2, g.len() - 1] {
            assert!(parse_idx(&g[..cut], "x").is_err(), "gz cut at {cut}");
        }
    }

    #[test]
    fn huge_declared_counts_fail_before_allocating() {
        let b = write_idx_u8(&[u32::MAX, u32::MAX, u32::MAX], &[]);
        assert!(matches!(
            parse_idx(&b, "x"),
            Err(DataError::TooLarge { .. })
        ));
        let b = write_idx_u8(&[1000, 28, 28], &[0; 10]);
        assert!(matches!(
            parse_idx(&b, "x"),
            Err(DataError::Truncated { .. })
        ));
    }
}
