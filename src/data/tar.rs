//! A bounded tar reader (ustar and GNU long names) for the CIFAR archives as distributed:
//! entries stream to a visitor, headers are checksummed, and the bytes read — skipped
//! entries included — are capped before anything is read.

use super::{bad, DataError};
use std::io::Read;

/// A read error of the (decompressed) stream.
pub(super) fn io_err(what: &str, e: std::io::Error) -> DataError {
    DataError::Decompress {
        what: what.to_string(),
        reason: e.to_string(),
    }
}

/// Callback of [`walk_tar`]: `(entry name, size, entry reader) -> consumed?`.
pub type TarVisitor<'a> = dyn FnMut(&str, u64, &mut dyn Read) -> Result<bool, DataError> + 'a;

/// Walks a ustar / GNU tar stream; `visit(name, size, reader)` may consume the entry
/// (returns `true`) or not; the rest of the entry and its padding are skipped. At most
/// `limit` bytes of the stream are read, headers and skipped entries included: an entry
/// whose declared size would pass it is refused before any of it is read.
pub fn walk_tar<R: Read>(
    mut r: R,
    what: &str,
    limit: u64,
    visit: &mut TarVisitor<'_>,
) -> Result<(), DataError> {
    let mut consumed: u64 = 0;
    let mut header = [0u8; 512];
    let mut long_name: Option<String> = None;
    let mut entries = 0usize;
    loop {
        let got = super::read_full(&mut r, &mut header).map_err(|e| io_err(what, e))?;
        if got == 0 {
            return Ok(()); // end of stream without the zero blocks: tolerated
        }
        if got < 512 {
            return Err(DataError::Truncated {
                what: format!("{what} (tar header)"),
                needed: 512,
                available: got as u64,
            });
        }
        if header.iter().all(|&b| b == 0) {
            return Ok(());
        }
        entries += 1;
        if entries > 1_000_000 {
            return Err(bad(what, "more than 1,000,000 tar entries"));
        }
        let size = checked_size(&header, what)?;
        let padded = size
            .checked_add(511)
            .map(|s| s / 512 * 512)
            .ok_or_else(|| bad(what, "tar entry too large"))?;
        consumed = consumed.saturating_add(512).saturating_add(padded);
        if consumed > limit {
            return Err(DataError::TooLarge {
                what: format!("{what} (tar stream, read through entries and skipped ones)"),
                size: consumed,
                limit,
            });
        }
        let name = long_name.take().unwrap_or_else(|| entry_name(&header));
        let typeflag = header[156];
        let mut entry = (&mut r).take(padded);
        match typeflag {
            b'L' if size <= 4096 => {
                let mut buf = Vec::new();
                entry.read_to_end(&mut buf).map_err(|e| io_err(what, e))?;
                let n = (size as usize).min(buf.len());
                long_name = Some(cstr(&buf[..n]));
            }
            b'0' | 0 | b'7' => {
                let mut data = (&mut entry).take(size);
                visit(&name, size, &mut data)?;
            }
            _ => {}
        }
        std::io::copy(&mut entry, &mut std::io::sink()).map_err(|e| io_err(what, e))?;
        if entry.limit() > 0 {
            return Err(DataError::Truncated {
                what: format!("{what}: {name}"),
                needed: padded,
                available: padded - entry.limit(),
            });
        }
    }
}

/// A NUL-terminated header field as text.
fn cstr(b: &[u8]) -> String {
    String::from_utf8_lossy(b.split(|&c| c == 0).next().unwrap_or(&[])).into_owned()
}

/// The entry size of a tar header whose checksum holds.
fn checked_size(header: &[u8; 512], what: &str) -> Result<u64, DataError> {
    let stored: u64 = header[..148]
        .iter()
        .chain([b' '; 8].iter())
        .chain(&header[156..])
        .map(|&b| b as u64)
        .sum();
    if parse_octal(&header[148..156]) != Some(stored) {
        return Err(bad(
            what,
            "tar header checksum mismatch (not a tar archive, or corrupt)",
        ));
    }
    parse_size(&header[124..136]).ok_or_else(|| bad(what, "invalid tar entry size"))
}

/// The entry's name: the ustar prefix (when there is one), a slash, the name field.
fn entry_name(header: &[u8; 512]) -> String {
    let name = cstr(&header[..100]);
    if &header[257..262] == b"ustar" {
        let prefix = cstr(&header[345..500]);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let s = field
        .iter()
        .skip_while(|&&b| b == b' ')
        .take_while(|&&b| (b'0'..=b'7').contains(&b));
    let mut v: u64 = 0;
    let mut any = false;
    for &b in s {
        v = v.checked_mul(8)?.checked_add((b - b'0') as u64)?;
        any = true;
    }
    any.then_some(v)
}

fn parse_size(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        // GNU base-256
        let mut v: u64 = (field[0] & 0x7f) as u64;
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(b as u64)?;
        }
        return Some(v);
    }
    parse_octal(field)
}
