//! Bounded reads of decompressing streams: [`CappedRead`] pulls a reader's output into
//! memory a slice at a time and refuses more than a limit, never holding more; on it,
//! [`read_capped`] (all at once), [`maybe_gunzip`] and [`gunzip_in_steps`] (for callers
//! that must hand the thread back between slices, such as a web page's main thread).

use std::io::Read;

use super::{check_input_size, decode_budget, is_gzip, DataError};

/// A reader's output read into memory, at most `limit` bytes. The buffer grows in steps
/// that never take its capacity past the limit, and the first byte over the limit stops
/// the read (nothing past it is kept).
pub struct CappedRead<R> {
    reader: R,
    what: String,
    limit: u64,
    out: Vec<u8>,
    chunk: Vec<u8>,
    done: bool,
}

impl<R: Read> CappedRead<R> {
    const CHUNK: usize = 64 << 10;

    /// Reads `reader` (named `what` in errors) up to `limit` bytes; nothing is read yet.
    pub fn new(reader: R, what: &str, limit: u64) -> Self {
        Self {
            reader,
            what: what.to_string(),
            limit,
            out: Vec::new(),
            chunk: vec![0u8; Self::CHUNK],
            done: false,
        }
    }

    /// Reads about `slice` more bytes (at least one chunk, fewer at the end); `Ok(true)`
    /// once the reader is exhausted.
    pub fn step(&mut self, slice: usize) -> Result<bool, DataError> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let goal = self.out.len().saturating_add(slice.max(1));
        while !self.done && self.out.len() < goal {
            let n = match self.reader.read(&mut self.chunk) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(DataError::Decompress {
                        what: self.what.clone(),
                        reason: e.to_string(),
                    })
                }
            };
            if n > limit - self.out.len() {
                return Err(DataError::TooLarge {
                    what: format!("{} (decompressed)", self.what),
                    size: (self.out.len() + n) as u64,
                    limit: self.limit,
                });
            }
            if self.out.capacity() - self.out.len() < n {
                // Double, but never past the limit.
                let want = (self.out.capacity().max(Self::CHUNK) * 2).min(limit);
                let len = self.out.len();
                self.out.reserve_exact(want.max(len + n) - len);
            }
            self.out.extend_from_slice(&self.chunk[..n]);
        }
        Ok(self.done)
    }

    /// Bytes read so far.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// True when nothing has been read yet.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// What was read (all of it once [`step`](Self::step) returned `Ok(true)`).
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

/// Reads at most `limit` bytes from `reader`; more is a [`DataError::TooLarge`].
pub(crate) fn read_capped(reader: impl Read, what: &str, limit: u64) -> Result<Vec<u8>, DataError> {
    let mut read = CappedRead::new(reader, what, limit);
    read.step(usize::MAX)?;
    Ok(read.into_bytes())
}

/// Gzip input (all members) as a [`CappedRead`] bounded by [`decode_budget`]; `None` when
/// `bytes` are not gzip (use them as they are).
///
/// ```
/// use std::io::Write;
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
/// gz.write_all(&[7u8; 300_000]).unwrap();
/// let gz = gz.finish().unwrap();
/// let mut steps = aebnas::data::gunzip_in_steps(&gz, "example").unwrap().unwrap();
/// let mut slices = 1;
/// while !steps.step(100_000).unwrap() {
///     slices += 1; // a web page yields to the browser here
/// }
/// assert!(slices >= 3);
/// assert_eq!(steps.into_bytes(), vec![7u8; 300_000]);
/// ```
pub fn gunzip_in_steps<'a>(
    bytes: &'a [u8],
    what: &str,
) -> Result<Option<CappedRead<flate2::read::MultiGzDecoder<&'a [u8]>>>, DataError> {
    check_input_size(what, bytes.len() as u64)?;
    if !is_gzip(bytes) {
        return Ok(None);
    }
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    Ok(Some(CappedRead::new(
        decoder,
        what,
        decode_budget(bytes.len() as u64),
    )))
}

/// Decompresses gzip input (all members) up to [`decode_budget`]; other input is
/// returned as is.
pub fn maybe_gunzip<'a>(
    bytes: &'a [u8],
    what: &str,
) -> Result<std::borrow::Cow<'a, [u8]>, DataError> {
    match gunzip_in_steps(bytes, what)? {
        None => Ok(std::borrow::Cow::Borrowed(bytes)),
        Some(mut steps) => {
            steps.step(usize::MAX)?;
            Ok(std::borrow::Cow::Owned(steps.into_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn read_capped_never_holds_more_than_its_limit() {
        let data = vec![7u8; 1_000_003];
        let out = read_capped(&data[..], "x", 1_000_003).unwrap();
        assert_eq!(out.len(), 1_000_003);
        assert!(out.capacity() <= 1_000_003, "capacity {}", out.capacity());
        match read_capped(&data[..], "x", 1_000_002) {
            Err(DataError::TooLarge { limit, size, .. }) => {
                assert_eq!(limit, 1_000_002);
                assert!(size > limit && size <= limit + (64 << 10));
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn steps_give_the_same_bytes_as_one_read_and_stop_at_each_slice() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let gz = gzip(&data);
        let mut steps = gunzip_in_steps(&gz, "x").unwrap().unwrap();
        let mut sizes = Vec::new();
        while !steps.step(200_000).unwrap() {
            sizes.push(steps.len());
        }
        // Each slice reads its 200 000 bytes and at most one 64 KiB read past them.
        let mut before = 0;
        for (k, &n) in sizes.iter().enumerate() {
            assert!(
                n - before >= 200_000 && n - before < 200_000 + (64 << 10),
                "slice {k}: {n}"
            );
            before = n;
        }
        assert_eq!(sizes.len(), 4);
        assert_eq!(steps.into_bytes(), data);
        assert_eq!(maybe_gunzip(&gz, "x").unwrap().as_ref(), &data[..]);
    }

    #[test]
    fn steps_refuse_output_past_the_decode_budget() {
        // 64 MiB of zeros compress ~1000:1, past the 100:1 budget (16 MiB at least).
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            e.write_all(&zeros).unwrap();
        }
        let gz = e.finish().unwrap();
        let budget = decode_budget(gz.len() as u64);
        let mut steps = gunzip_in_steps(&gz, "bomb").unwrap().unwrap();
        let err = loop {
            match steps.step(1 << 20) {
                Ok(false) => assert!(steps.len() as u64 <= budget),
                Ok(true) => panic!("the bomb decompressed in full"),
                Err(e) => break e,
            }
        };
        assert!(
            matches!(err, DataError::TooLarge { limit, .. } if limit == budget),
            "{err}"
        );
    }

    #[test]
    fn input_that_is_not_gzip_is_left_as_it_is() {
        assert!(gunzip_in_steps(b"plain", "x").unwrap().is_none());
        assert_eq!(maybe_gunzip(b"plain", "x").unwrap().as_ref(), b"plain");
    }
}
