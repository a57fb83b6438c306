//! Reading zip archives (PKWARE APPNOTE 6.3): the end-of-central-directory record, the
//! central directory, then each entry's local header and data, stored (method 0) or
//! deflated (method 8), checked against its size and CRC-32. No zip64, no encryption.
//! Used for ImageFolder zips ([`super::folder::from_zip`]).
//!
//! Before anything is extracted the directory is checked: at most [`MAX_ENTRIES`]
//! entries, no two with the same name, no two whose data overlap (a bomb points many
//! entries at one deflated block), and the declared sizes together within
//! [`MAX_DECODED_BYTES`] and [`decode_budget`] of the archive's size.

use std::collections::HashSet;

use super::image::MAX_FILE_BYTES;
use super::{bad, decode_budget, read_capped, DataError, MAX_DECODED_BYTES};

/// Most entries a zip directory may list.
pub const MAX_ENTRIES: usize = 100_000;

/// One entry of a zip central directory.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Path inside the archive.
    pub name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

fn le16(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(o)?, *b.get(o + 1)?]))
}
fn le32(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(o)?,
        *b.get(o + 1)?,
        *b.get(o + 2)?,
        *b.get(o + 3)?,
    ]))
}

/// Lists a zip archive's files from its central directory (no zip64, no encryption).
pub fn entries(zip: &[u8], what: &str) -> Result<Vec<Entry>, DataError> {
    let trunc = || DataError::Truncated {
        what: format!("{what} (zip directory)"),
        needed: 22,
        available: zip.len() as u64,
    };
    let min = zip.len().saturating_sub(22 + 65535);
    let eocd = (min..=zip.len().saturating_sub(22))
        .rev()
        .find(|&i| le32(zip, i) == Some(0x0605_4b50))
        .ok_or_else(|| {
            bad(
                what,
                "not a zip archive (no end-of-central-directory record)",
            )
        })?;
    let count = le16(zip, eocd + 10).ok_or_else(trunc)? as usize;
    let cd_off = le32(zip, eocd + 16).ok_or_else(trunc)? as usize;
    if count == 0xffff || cd_off == 0xffff_ffff {
        return Err(DataError::Unsupported(format!(
            "{what}: zip64 archives are not supported"
        )));
    }
    if count > MAX_ENTRIES {
        return Err(bad(
            what,
            format!("the zip lists {count} entries, over the limit of {MAX_ENTRIES}"),
        ));
    }
    let mut out = Vec::with_capacity(count.min(zip.len() / 46));
    let mut p = cd_off;
    for _ in 0..count {
        if le32(zip, p) != Some(0x0201_4b50) {
            return Err(bad(what, "corrupt zip central directory"));
        }
        let g = |o: usize| le32(zip, p + o).ok_or_else(trunc);
        let h = |o: usize| le16(zip, p + o).ok_or_else(trunc);
        if h(8)? & 1 != 0 {
            return Err(DataError::Unsupported(format!(
                "{what}: encrypted zip entries are not supported"
            )));
        }
        let (nl, el, cl) = (h(28)? as usize, h(30)? as usize, h(32)? as usize);
        let name = zip.get(p + 46..p + 46 + nl).ok_or_else(trunc)?;
        out.push(Entry {
            name: String::from_utf8_lossy(name).into_owned(),
            method: h(10)?,
            crc: g(16)?,
            compressed: g(20)? as u64,
            size: g(24)? as u64,
            offset: g(42)? as u64,
        });
        p += 46 + nl + el + cl;
    }
    check_directory(&out, zip.len() as u64, what)?;
    Ok(out)
}

/// Refuses duplicate names, overlapping data and declared sizes over the budgets.
fn check_directory(entries: &[Entry], zip_len: u64, what: &str) -> Result<(), DataError> {
    let mut names = HashSet::with_capacity(entries.len());
    if let Some(e) = entries.iter().find(|e| !names.insert(e.name.as_str())) {
        return Err(bad(what, format!("the zip lists \"{}\" twice", e.name)));
    }
    // Each entry's local header and data take at least 30 + compressed bytes.
    let mut spans: Vec<(u64, u64, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.offset,
                e.offset.saturating_add(30 + e.compressed),
                e.name.as_str(),
            )
        })
        .collect();
    spans.sort_unstable();
    if let Some(w) = spans.windows(2).find(|w| w[1].0 < w[0].1) {
        return Err(bad(
            what,
            format!("zip entries \"{}\" and \"{}\" overlap", w[0].2, w[1].2),
        ));
    }
    let declared = entries.iter().fold(0u64, |t, e| t.saturating_add(e.size));
    let budget = decode_budget(zip_len).min(MAX_DECODED_BYTES);
    if declared > budget {
        return Err(DataError::TooLarge {
            what: format!("{what} (sizes the zip declares, {} byte archive)", zip_len),
            size: declared,
            limit: budget,
        });
    }
    Ok(())
}

/// Extracts one zip entry (stored or deflate), checking its size and CRC-32.
pub fn extract(zip: &[u8], e: &Entry, what: &str) -> Result<Vec<u8>, DataError> {
    let at = |m: &str| format!("{what}: {} ({m})", e.name);
    if e.size > MAX_FILE_BYTES {
        return Err(DataError::TooLarge {
            what: at("uncompressed"),
            size: e.size,
            limit: MAX_FILE_BYTES,
        });
    }
    let o = e.offset as usize;
    if le32(zip, o) != Some(0x0403_4b50) {
        return Err(bad(&at("local header"), "missing"));
    }
    let (nl, el) = (
        le16(zip, o + 26).unwrap_or(0) as usize,
        le16(zip, o + 28).unwrap_or(0) as usize,
    );
    let start = o + 30 + nl + el;
    let data = zip
        .get(start..start.saturating_add(e.compressed as usize))
        .ok_or_else(|| DataError::Truncated {
            what: at("data"),
            needed: start as u64 + e.compressed,
            available: zip.len() as u64,
        })?;
    let out = match e.method {
        0 => data.to_vec(),
        // At most the declared size (+1 to see a lie): the directory was checked.
        8 => read_capped(
            flate2::read::DeflateDecoder::new(data),
            &at("deflate"),
            e.size + 1,
        )
        .map_err(|x| match x {
            DataError::TooLarge { .. } => DataError::Mismatch(at("larger than the directory says")),
            x => x,
        })?,
        m => {
            return Err(DataError::Unsupported(at(&format!(
                "compression method {m} not supported"
            ))))
        }
    };
    let mut crc = flate2::Crc::new();
    crc.update(&out);
    if out.len() as u64 != e.size || crc.sum() != e.crc {
        return Err(DataError::Mismatch(at(
            "size or CRC-32 does not match the directory",
        )));
    }
    Ok(out)
}
