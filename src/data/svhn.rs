//! SVHN cropped digits (`train_32x32.mat`, `test_32x32.mat`): MATLAB level-5 MAT-files.
//!
//! A careful reader of the subset needed: a 128-byte header (`IM`/`MI` endianness), then
//! data elements; `miCOMPRESSED` (15) elements are zlib streams holding one `miMATRIX`
//! (14) element — that is how MATLAB and `scipy.io.savemat(do_compression=True)` write
//! them — and plain `miMATRIX` elements are read as they are. Of the matrices, `X`
//! (32×32×3×N, `uint8`, column-major) and `y` (N×1 or 1×N, labels 1–10, 10 = digit 0,
//! any numeric storage type) are used. MAT v7.3 files (HDF5) are refused with a message.

use super::{bad, check_input_size, decode_budget, read_capped, DataError, Dataset};

const MI_INT8: u32 = 1;
const MI_INT32: u32 = 5;
const MI_UINT32: u32 = 6;
const MI_MATRIX: u32 = 14;
const MI_COMPRESSED: u32 = 15;

/// A numeric matrix read from a MAT file.
#[derive(Clone, Debug, PartialEq)]
pub struct MatArray {
    /// Variable name.
    pub name: String,
    /// Dimensions (column-major).
    pub dims: Vec<usize>,
    /// MATLAB class code (6 double, 9 uint8, …).
    pub class: u8,
    /// Storage type of the real part (`miUINT8` = 2, `miDOUBLE` = 9, …).
    pub data_type: u32,
    /// Raw real-part bytes, in the file's endianness.
    pub data: Vec<u8>,
    /// True when the file is big-endian (`MI`).
    pub big_endian: bool,
}

impl MatArray {
    fn elem_size(&self) -> Option<usize> {
        elem_size(self.data_type)
    }

    /// Element `i` converted to `f64`, or `None` when out of range.
    pub fn get_f64(&self, i: usize) -> Option<f64> {
        let s = self.elem_size()?;
        let b = self
            .data
            .get(i.checked_mul(s)?..i.checked_mul(s)?.checked_add(s)?)?;
        let mut a = [0u8; 8];
        a[..s].copy_from_slice(b);
        if self.big_endian {
            a[..s].reverse();
        }
        Some(match self.data_type {
            1 => a[0] as i8 as f64,
            2 => a[0] as f64,
            3 => i16::from_le_bytes([a[0], a[1]]) as f64,
            4 => u16::from_le_bytes([a[0], a[1]]) as f64,
            5 => i32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            6 => u32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            7 => f32::from_le_bytes([a[0], a[1], a[2], a[3]]) as f64,
            9 => f64::from_le_bytes(a),
            12 => i64::from_le_bytes(a) as f64,
            13 => u64::from_le_bytes(a) as f64,
            _ => return None,
        })
    }

    /// Number of elements declared by `dims`.
    pub fn numel(&self) -> usize {
        self.dims.iter().product()
    }
}

fn elem_size(t: u32) -> Option<usize> {
    Some(match t {
        1 | 2 => 1,
        3 | 4 => 2,
        5..=7 => 4,
        9 | 12 | 13 => 8,
        _ => return None,
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    be: bool,
    what: &'a str,
}

impl<'a> Cursor<'a> {
    fn u32(&mut self) -> Result<u32, DataError> {
        let s = self.take(4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Ok(if self.be {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DataError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| DataError::Truncated {
                what: self.what.to_string(),
                needed: (self.pos as u64).saturating_add(n as u64),
                available: self.b.len() as u64,
            })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Reads a tag + data (small or normal format); pads to 8 unless `compressed`.
    fn element(&mut self) -> Result<(u32, &'a [u8]), DataError> {
        let first = self.u32()?;
        if first >> 16 != 0 {
            let (t, n) = (first & 0xffff, (first >> 16) as usize);
            if n > 4 {
                return Err(bad(self.what, format!("small data element of {n} bytes")));
            }
            let d = self.take(4)?;
            return Ok((t, &d[..n]));
        }
        let n = self.u32()? as usize;
        let d = self.take(n)?;
        if first != MI_COMPRESSED {
            let pad = (8 - n % 8) % 8;
            let pad = pad.min(self.b.len() - self.pos);
            self.pos += pad;
        }
        Ok((first, d))
    }
}

/// Reads every numeric matrix of a MAT v5 file (gzip-free; `miCOMPRESSED` handled).
pub fn parse_mat(bytes: &[u8], what: &str) -> Result<Vec<MatArray>, DataError> {
    check_input_size(what, bytes.len() as u64)?;
    if bytes.len() < 128 {
        return Err(DataError::Truncated {
            what: format!("{what} (MAT header)"),
            needed: 128,
            available: bytes.len() as u64,
        });
    }
    if bytes.starts_with(b"MATLAB 7.3") || bytes.get(512..516) == Some(b"\x89HDF") {
        return Err(DataError::Unsupported(format!(
            "{what}: MAT v7.3 (HDF5) files are not supported; re-save with -v7 (or scipy.io.savemat)"
        )));
    }
    if !bytes.starts_with(b"MATLAB 5.0 MAT-file") {
        return Err(bad(what, "not a MATLAB 5.0 MAT-file (header text missing)"));
    }
    let be = match &bytes[126..128] {
        b"IM" => false,
        b"MI" => true,
        _ => return Err(bad(what, "bad MAT endianness indicator")),
    };
    let mut c = Cursor {
        b: bytes,
        pos: 128,
        be,
        what,
    };
    let mut out = Vec::new();
    // Every compressed element together expands to at most the file's budget.
    let mut budget = decode_budget(bytes.len() as u64);
    while c.pos < bytes.len() {
        let (t, d) = c.element()?;
        match t {
            MI_MATRIX => out.extend(parse_matrix(d, be, what)?),
            MI_COMPRESSED => {
                let inner = read_capped(flate2::read::ZlibDecoder::new(d), what, budget)?;
                budget -= inner.len() as u64;
                let mut ic = Cursor {
                    b: &inner,
                    pos: 0,
                    be,
                    what,
                };
                while ic.pos < inner.len() {
                    let (t2, d2) = ic.element()?;
                    if t2 == MI_MATRIX {
                        out.extend(parse_matrix(d2, be, what)?);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn parse_matrix(d: &[u8], be: bool, what: &str) -> Result<Option<MatArray>, DataError> {
    if d.is_empty() {
        return Ok(None);
    }
    let mut c = Cursor {
        b: d,
        pos: 0,
        be,
        what,
    };
    let (t, flags) = c.element()?;
    if t != MI_UINT32 || flags.len() < 8 {
        return Err(bad(what, "matrix without array flags"));
    }
    let f = if be {
        u32::from_be_bytes([flags[0], flags[1], flags[2], flags[3]])
    } else {
        u32::from_le_bytes([flags[0], flags[1], flags[2], flags[3]])
    };
    let class = (f & 0xff) as u8;
    let complex = f & 0x800 != 0;
    if !(6..=15).contains(&class) {
        return Ok(None); // cell, struct, char, sparse, …: not needed
    }
    let (t, dims_b) = c.element()?;
    if t != MI_INT32 || dims_b.len() % 4 != 0 || dims_b.len() < 8 || dims_b.len() > 4 * 8 {
        return Err(bad(what, "invalid matrix dimensions"));
    }
    let mut dims = Vec::new();
    let mut numel: u64 = 1;
    for k in dims_b.chunks_exact(4) {
        let v = if be {
            i32::from_be_bytes([k[0], k[1], k[2], k[3]])
        } else {
            i32::from_le_bytes([k[0], k[1], k[2], k[3]])
        };
        if v < 0 {
            return Err(bad(what, format!("negative dimension {v}")));
        }
        numel = numel.saturating_mul(v as u64);
        dims.push(v as usize);
    }
    let (t, name) = c.element()?;
    if t != MI_INT8 {
        return Err(bad(what, "invalid array name element"));
    }
    let name = String::from_utf8_lossy(name).into_owned();
    let (data_type, data) = c.element()?;
    let size = elem_size(data_type).ok_or_else(|| {
        bad(
            what,
            format!("{name}: unsupported storage type {data_type}"),
        )
    })?;
    if numel.saturating_mul(size as u64) != data.len() as u64 {
        return Err(DataError::Mismatch(format!(
            "{what}: {name} declares {dims:?} ({numel} elements of {size} bytes) but holds {} bytes",
            data.len()
        )));
    }
    if complex {
        return Err(DataError::Unsupported(format!("{what}: {name} is complex")));
    }
    Ok(Some(MatArray {
        name,
        dims,
        class,
        data_type,
        data: data.to_vec(),
        big_endian: be,
    }))
}

/// Reads an SVHN `*_32x32.mat` into a 3×32×32 dataset with classes `"0"`…`"9"`.
pub fn parse_svhn(bytes: &[u8], name: &str) -> Result<Dataset, DataError> {
    let arrays = parse_mat(bytes, name)?;
    let find = |n: &str| {
        arrays
            .iter()
            .find(|a| a.name == n)
            .ok_or_else(|| bad(name, format!("no variable `{n}` (SVHN files hold X and y)")))
    };
    let (x, y) = (find("X")?, find("y")?);
    let n = match x.dims[..] {
        [32, 32, 3, n] => n,
        [32, 32, 3] => 1,
        _ => {
            return Err(DataError::Mismatch(format!(
                "{name}: X is {:?}, expected 32×32×3×N",
                x.dims
            )))
        }
    };
    if y.numel() != n || y.dims.iter().filter(|&&d| d != 1).count() > 1 {
        return Err(DataError::Mismatch(format!(
            "{name}: X holds {n} images but y is {:?}",
            y.dims
        )));
    }
    if x.data_type != 2 {
        return Err(DataError::Unsupported(format!(
            "{name}: X must be stored as uint8 (type {})",
            x.data_type
        )));
    }
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let v = y.get_f64(i).unwrap_or(f64::NAN);
        if !(1.0..=10.0).contains(&v) || v.fract() != 0.0 {
            return Err(DataError::Mismatch(format!(
                "{name}: y[{i}] = {v}, expected 1..10 (10 = digit 0)"
            )));
        }
        labels.push((v as u16) % 10);
    }
    // X(row, col, ch, i) is at row + 32·col + 1024·ch + 3072·i; we want ch·1024 + row·32 + col.
    let mut images = vec![0u8; x.data.len()];
    for (i, src) in x.data.chunks_exact(3072).enumerate() {
        let dst = &mut images[i * 3072..(i + 1) * 3072];
        for ch in 0..3 {
            for col in 0..32 {
                for row in 0..32 {
                    dst[ch * 1024 + row * 32 + col] = src[ch * 1024 + col * 32 + row];
                }
            }
        }
    }
    let classes = (0..10).map(|d| d.to_string()).collect();
    Dataset::new(name, classes, (3, 32, 32), images, labels)
}
