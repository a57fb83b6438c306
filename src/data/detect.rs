//! Format detection (file name + magic bytes) and one entry point for every reader.
//!
//! [`load_any`] takes bytes (one file), several named files (e.g. dropped in the page:
//! an IDX pair, CIFAR batches, `.mat` files, or the images of an ImageFolder) or, natively,
//! a path (file or directory), and returns a [`Loaded`]: the format, a training part and,
//! when the input has one, a test part. Reading from the file system (native only) is in
//! `detect/native.rs`.

use super::cifar::{self, Cifar100Labels, CifarKind};
use super::folder::{self, FolderOptions};
use super::{bad, is_gzip, svhn, DataError, Dataset, Shipped};

/// A recognised dataset format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// IDX image + label files (MNIST layout), gzip'd or not.
    Idx,
    /// CIFAR-10 binary batch(es).
    Cifar10,
    /// CIFAR-100 binary file(s).
    Cifar100,
    /// `cifar-10-binary.tar.gz` as distributed.
    Cifar10Archive,
    /// `cifar-100-binary.tar.gz` as distributed.
    Cifar100Archive,
    /// SVHN cropped digits, MATLAB v5 `.mat`.
    SvhnMat,
    /// A folder of PNG/JPEG images, one sub-folder per class.
    ImageFolder,
    /// A zip archive of such a folder.
    ImageZip,
}

impl Format {
    /// A short human-readable description.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Idx => "IDX (MNIST layout)",
            Self::Cifar10 => "CIFAR-10 binary",
            Self::Cifar100 => "CIFAR-100 binary",
            Self::Cifar10Archive => "CIFAR-10 binary archive (tar.gz)",
            Self::Cifar100Archive => "CIFAR-100 binary archive (tar.gz)",
            Self::SvhnMat => "SVHN cropped digits (MATLAB v5 .mat)",
            Self::ImageFolder => "image folder (PNG/JPEG, one sub-folder per class)",
            Self::ImageZip => "image folder in a zip archive",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// What to load.
#[derive(Clone, Debug)]
pub enum Input<'a> {
    /// One file's bytes, with its file name (used for detection).
    Bytes {
        /// File name (or path).
        name: &'a str,
        /// Contents.
        bytes: &'a [u8],
    },
    /// Several files `(name or relative path, bytes)`.
    Files(&'a [(String, Vec<u8>)]),
    /// A file or directory on disk (native only).
    #[cfg(not(target_arch = "wasm32"))]
    Path(&'a std::path::Path),
}

/// Options for readers that need a choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// CIFAR-100: fine (default) or coarse labels.
    pub cifar100_labels: Cifar100Labels,
    /// Image folders: output shape (default 3×32×32).
    pub folder: FolderOptions,
}

/// A loaded dataset.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The detected format.
    pub format: Format,
    /// The training part (or the whole input when it has no test part).
    pub train: Dataset,
    /// The test part, when the input has one.
    pub test: Option<Dataset>,
}

impl Loaded {
    /// `(train, test)`; without a test part, a seeded stratified 80/20 split of `train`.
    pub fn into_train_test(self, seed: u64) -> Result<(Dataset, Dataset), DataError> {
        match self.test {
            Some(t) => Ok((self.train, t)),
            None => self.train.split(0.2, seed),
        }
    }
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Detects the format of one file from its name and first bytes.
pub fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let b = base(name).to_ascii_lowercase();
    if head.starts_with(b"MATLAB") || b.ends_with(".mat") {
        return Some(Format::SvhnMat);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Format::ImageZip);
    }
    if b.contains("idx")
        || (head.len() >= 4
            && head[0] == 0
            && head[1] == 0
            && head[2] == 8
            && (1..=4).contains(&head[3]))
    {
        return Some(Format::Idx);
    }
    if b.contains("cifar-100")
        && (b.ends_with(".tar.gz") || b.ends_with(".tgz") || b.ends_with(".tar"))
    {
        return Some(Format::Cifar100Archive);
    }
    if b.ends_with(".tar.gz")
        || b.ends_with(".tgz")
        || b.ends_with(".tar")
        || (is_gzip(head) && !b.contains("idx"))
    {
        return Some(Format::Cifar10Archive); // refined after reading
    }
    match cifar::kind_for(&b, if b.ends_with(".bin") { 0 } else { head.len() }) {
        Some(CifarKind::Cifar10) => Some(Format::Cifar10),
        Some(CifarKind::Cifar100) => Some(Format::Cifar100),
        None if b.ends_with(".bin") => Some(Format::Cifar10),
        None => None,
    }
}

/// Loads any supported input with default options.
pub fn load_any(input: Input<'_>) -> Result<Loaded, DataError> {
    load_with(input, LoadOptions::default())
}

/// Loads any supported input.
pub fn load_with(input: Input<'_>, opts: LoadOptions) -> Result<Loaded, DataError> {
    match input {
        Input::Bytes { name, bytes } => {
            let one = vec![(name.to_string(), bytes.to_vec())];
            load_files(&one, opts)
        }
        Input::Files(files) => load_files(files, opts),
        #[cfg(not(target_arch = "wasm32"))]
        Input::Path(p) => native::load_path_with(p, opts),
    }
}

/// Train / test role of a file, from its name.
fn is_test(name: &str) -> bool {
    let b = base(name).to_ascii_lowercase();
    b.starts_with("t10k") || b.contains("test")
}

fn load_files(files: &[(String, Vec<u8>)], opts: LoadOptions) -> Result<Loaded, DataError> {
    let first = files
        .first()
        .ok_or_else(|| DataError::Mismatch("no files given".into()))?;
    let mut fmt = detect(&first.0, &first.1);
    let lower = first.0.to_ascii_lowercase();
    let tar_name = [".tar.gz", ".tgz", ".tar"]
        .iter()
        .any(|e| lower.ends_with(e));
    if fmt == Some(Format::Cifar10Archive) && is_gzip(&first.1) && !tar_name {
        // A gzip'd file without a tar name: look inside for an IDX magic.
        let mut head = [0u8; 4];
        let mut d = flate2::read::GzDecoder::new(&first.1[..]);
        if std::io::Read::read_exact(&mut d, &mut head).is_ok()
            && detect("", &head) == Some(Format::Idx)
        {
            fmt = Some(Format::Idx);
        }
    }
    let what = base(&first.0);
    if files.iter().any(|(n, _)| folder::is_image_name(n)) {
        let entries = files
            .iter()
            .filter(|(n, _)| folder::is_image_name(n))
            .cloned()
            .collect();
        return Ok(Loaded {
            format: Format::ImageFolder,
            train: folder::from_entries("image folder", entries, opts.folder)?,
            test: None,
        });
    }
    match fmt {
        Some(Format::SvhnMat) => two_parts(files, Format::SvhnMat, |n, b| svhn::parse_svhn(b, n)),
        Some(Format::ImageZip) => {
            Ok(Loaded { format: Format::ImageZip, train: folder::from_zip(what, &first.1, opts.folder)?, test: None })
        }
        Some(Format::Idx) => load_idx(files),
        Some(Format::Cifar10Archive | Format::Cifar100Archive) => {
            let a = cifar::parse_archive(&first.1, opts.cifar100_labels, what)?;
            let format = if a.kind == CifarKind::Cifar10 { Format::Cifar10Archive } else { Format::Cifar100Archive };
            Ok(Loaded { format, train: a.train, test: Some(a.test) })
        }
        Some(Format::Cifar10 | Format::Cifar100) => {
            let kind = cifar::kind_for(&first.0, first.1.len()).unwrap_or(CifarKind::Cifar10);
            let format = if kind == CifarKind::Cifar10 { Format::Cifar10 } else { Format::Cifar100 };
            let label = if kind == CifarKind::Cifar10 { "CIFAR-10" } else { "CIFAR-100" };
            let (tests, trains): (Vec<_>, Vec<_>) = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).partition(|(n, _)| is_test(n));
            let parse = |part: &[(&str, &[u8])], suffix: &str| cifar::parse_bin(part, kind, opts.cifar100_labels, &format!("{label} ({suffix})"));
            match (trains.is_empty(), tests.is_empty()) {
                (false, false) => Ok(Loaded { format, train: parse(&trains, "train")?, test: Some(parse(&tests, "test")?) }),
                (true, _) => Ok(Loaded { format, train: parse(&tests, base(tests[0].0))?, test: None }),
                (_, true) => Ok(Loaded { format, train: parse(&trains, base(trains[0].0))?, test: None }),
            }
        }
        _ => Err(DataError::Unsupported(format!(
            "{what}: unrecognised format (expected IDX, CIFAR .bin/.tar.gz, SVHN .mat, PNG/JPEG folder or zip)"
        ))),
    }
}

fn two_parts(
    files: &[(String, Vec<u8>)],
    format: Format,
    parse: impl Fn(&str, &[u8]) -> Result<Dataset, DataError>,
) -> Result<Loaded, DataError> {
    let mut train = None;
    let mut test = None;
    for (n, b) in files {
        let slot = if is_test(n) && files.len() > 1 {
            &mut test
        } else {
            &mut train
        };
        if slot.is_some() {
            return Err(DataError::Mismatch(format!(
                "{}: more than one train or test file",
                base(n)
            )));
        }
        *slot = Some(parse(base(n), b)?);
    }
    match (train, test) {
        (Some(train), test) => Ok(Loaded {
            format,
            train,
            test,
        }),
        (None, Some(t)) => Ok(Loaded {
            format,
            train: t,
            test: None,
        }),
        (None, None) => Err(DataError::Mismatch("no files given".into())),
    }
}

/// Pairs IDX image and label files by name (`images` ↔ `labels`, train vs `t10k`/test).
fn load_idx(files: &[(String, Vec<u8>)]) -> Result<Loaded, DataError> {
    let shipped = Shipped::ALL
        .into_iter()
        .find(|s| base(&files[0].0).starts_with(&format!("{}-", s.id())));
    let classes = shipped.map(|s| {
        s.class_names()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
    });
    let find = |test: bool, images: bool| {
        files.iter().find(|(n, _)| {
            let b = base(n).to_ascii_lowercase();
            is_test(n) == test
                && (if images {
                    b.contains("images") || b.contains("idx3")
                } else {
                    b.contains("labels") || b.contains("idx1")
                })
        })
    };
    let mut parts = Vec::new();
    for test in [false, true] {
        match (find(test, true), find(test, false)) {
            (Some(i), Some(l)) => {
                let name = format!(
                    "{} ({})",
                    shipped.map(|s| s.name()).unwrap_or("IDX"),
                    if test { "test" } else { "train" }
                );
                parts.push(Dataset::from_idx_bytes(&name, classes.clone(), &i.1, &l.1)?);
            }
            (Some((n, _)), None) | (None, Some((n, _))) => {
                return Err(DataError::Mismatch(format!(
                    "{}: an IDX images file needs its labels file (and vice versa) next to it",
                    base(n)
                )))
            }
            (None, None) => {}
        }
    }
    let mut it = parts.into_iter();
    let train = it
        .next()
        .ok_or_else(|| bad(base(&files[0].0), "no IDX images/labels pair found (an IDX images file needs its labels file, named like *-images-idx3-ubyte[.gz] and *-labels-idx1-ubyte[.gz])"))?;
    Ok(Loaded {
        format: Format::Idx,
        train,
        test: it.next(),
    })
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{load_dataset_arg, load_path, shipped_dir};

#[cfg(not(target_arch = "wasm32"))]
mod native;
