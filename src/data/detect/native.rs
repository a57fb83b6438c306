//! Loading datasets from the file system (native only): a file or a directory of any
//! detected format, and the CLI's `--dataset` argument (a shipped id or a path).

use super::*;
use crate::data::{check_input_size, dataset::Part};
use std::path::{Path, PathBuf};

fn read(p: &Path) -> Result<Vec<u8>, DataError> {
    let io = |e: std::io::Error| DataError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let len = std::fs::metadata(p).map_err(io)?.len();
    check_input_size(&p.display().to_string(), len)?;
    std::fs::read(p).map_err(io)
}

/// Loads a file or directory with default options.
pub fn load_path(p: &Path) -> Result<Loaded, DataError> {
    load_path_with(p, LoadOptions::default())
}

pub(super) fn load_path_with(p: &Path, opts: LoadOptions) -> Result<Loaded, DataError> {
    let name = |q: &Path| {
        q.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if p.is_dir() {
        let mut known: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| DataError::Io {
                path: p.display().to_string(),
                reason: e.to_string(),
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|q| {
                q.is_file()
                    && matches!(
                        detect(&name(q), &[]),
                        Some(Format::Idx | Format::Cifar10 | Format::Cifar100 | Format::SvhnMat)
                    )
            })
            .collect();
        known.sort();
        if known.is_empty() {
            return Ok(Loaded {
                format: Format::ImageFolder,
                train: folder::from_dir(p, opts.folder)?,
                test: None,
            });
        }
        let files = known
            .iter()
            .map(|q| Ok((name(q), read(q)?)))
            .collect::<Result<Vec<_>, DataError>>()?;
        return load_with(Input::Files(&files), opts);
    }
    let bytes = read(p)?;
    let n = name(p);
    let mut files = vec![(n.clone(), bytes)];
    if detect(&n, &files[0].1) == Some(Format::Idx) {
        // Add the sibling: images <-> labels.
        let (a, b) = if n.contains("images") {
            ("images-idx3", "labels-idx1")
        } else {
            ("labels-idx1", "images-idx3")
        };
        let sib = p.with_file_name(n.replace(a, b));
        if sib != p && sib.is_file() {
            files.push((name(&sib), read(&sib)?));
        }
    }
    load_with(Input::Files(&files), opts)
}

/// The folder of the shipped files that holds `file`: [`Shipped::DIR`] under the crate
/// root as `cargo run`/`cargo test` say it, as it was at compile time, or under the
/// current directory.
pub fn shipped_dir(file: &str) -> Option<PathBuf> {
    let run_time = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    (run_time.into_iter())
        .chain([PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::new()])
        .map(|root| root.join(Shipped::DIR))
        .find(|d| d.join(file).is_file())
}

/// Resolves `--dataset fashion-mnist|mnist|PATH` to `(train, test)` datasets. Shipped
/// ids are read from `www/data/` under the crate root (or the current directory); a
/// path without a test part is split 80/20 (seeded, stratified).
pub fn load_dataset_arg(s: &str) -> Result<(Dataset, Dataset), DataError> {
    if let Some(ds) = Shipped::from_id(s) {
        let dir = shipped_dir(&ds.files(Part::Train).0).ok_or_else(|| DataError::Io {
            path: Shipped::DIR.into(),
            reason: format!("shipped dataset `{s}` not found (run scripts/fetch-data)"),
        })?;
        let load = |part| -> Result<Dataset, DataError> {
            let (i, l) = ds.files(part);
            ds.from_bytes(part, &read(&dir.join(i))?, &read(&dir.join(l))?)
        };
        return Ok((load(Part::Train)?, load(Part::Test)?));
    }
    let p = Path::new(s);
    if !p.exists() {
        return Err(DataError::Io {
            path: format!("--dataset {s}"),
            reason: "not a shipped dataset (fashion-mnist, mnist) and no such file or folder"
                .into(),
        });
    }
    load_path(p).and_then(|l| l.into_train_test(0x5EED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_load() {
        // Through the CLI's lookup of the shipped files (`--dataset fashion-mnist|mnist`).
        for s in Shipped::ALL {
            let (train, test) = load_dataset_arg(s.id()).unwrap();
            for (d, n) in [(train, 10_000), (test, 2_000)] {
                assert_eq!(d.len(), n);
                assert_eq!((d.channels, d.height, d.width), (1, 28, 28));
                assert!(d.counts_per_class().iter().all(|&c| c == n / 10));
            }
        }
    }
}
