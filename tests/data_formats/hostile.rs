//! The hostile corpus (`corpus.rs`) through every reader and import path: each file is
//! refused cleanly by the readers it targets and by `load_any`, no reader panics, and
//! the peak memory a file costs stays under [`PEAK_LIMIT`]. Prints files × readers and
//! the time and peak memory of each file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use super::corpus::{corpus, Hostile};
use super::{peak_of, read};
use aebnas::data::cifar::{self, Cifar100Labels, CifarKind};
use aebnas::data::folder::{self, FolderOptions};
use aebnas::data::{idx, load_any, svhn, zip, Input};
use aebnas::engine::results::RunResults;
use aebnas::model::meta::read_meta;

/// Most memory one hostile file may cost, all readers together (the smallest decode
/// budget is 16 MiB; a file may hold one such buffer and its copy).
const PEAK_LIMIT: usize = 48 << 20;

type Reader = fn(&str, &[u8]) -> Result<(), String>;

fn ok<T, E: ToString>(r: Result<T, E>) -> Result<(), String> {
    r.map(|_| ()).map_err(|e| e.to_string())
}

/// Every reader and import path, by name.
fn readers() -> Vec<(&'static str, Reader)> {
    vec![
        ("idx", |n, b| ok(idx::parse_idx(b, n))),
        ("idx-images", |n, b| ok(idx::read_images(b, n))),
        ("cifar-bin", |n, b| {
            let kind = cifar::kind_for(n, b.len()).unwrap_or(CifarKind::Cifar10);
            ok(cifar::parse_bin(&[(n, b)], kind, Cifar100Labels::Fine, n))
        }),
        ("cifar-archive", |n, b| {
            ok(cifar::parse_archive(b, Cifar100Labels::Fine, n))
        }),
        ("mat", |n, b| ok(svhn::parse_mat(b, n))),
        ("svhn", |n, b| ok(svhn::parse_svhn(b, n))),
        ("image", |n, b| ok(folder::decode(b, n))),
        ("zip", |n, b| ok(zip::entries(b, n))),
        ("zip-folder", |n, b| {
            ok(folder::from_zip(n, b, FolderOptions::default()))
        }),
        ("load_any", |n, b| {
            ok(load_any(Input::Bytes { name: n, bytes: b }))
        }),
        ("run-json", |_, b| {
            ok(RunResults::from_json(&String::from_utf8_lossy(b)))
        }),
        ("bpk", |_, b| {
            read_meta(b).map(|_| ()).map_err(|e| e.to_string())
        }),
    ]
}

/// Runs `f` catching a panic as an error naming it.
fn guarded(f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err("PANIC".into()))
}

#[test]
fn every_hostile_file_is_refused_cleanly_within_the_memory_budget() {
    let run = String::from_utf8(read("cli-run.json")).unwrap();
    let files = corpus(&run);
    let readers = readers();
    println!(
        "hostile corpus: {} files × {} readers = {} runs",
        files.len(),
        readers.len(),
        files.len() * readers.len()
    );
    let mut problems = Vec::new();
    for Hostile {
        name,
        bytes,
        refused_by,
    } in &files
    {
        let t0 = Instant::now();
        let mut outcomes = Vec::new();
        let peak = peak_of(|| {
            for (reader, f) in &readers {
                outcomes.push((*reader, guarded(|| f(name, bytes))));
            }
        });
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let refused = outcomes.iter().filter(|(_, r)| r.is_err()).count();
        println!(
            "{name:<26} {:>9} B  refused by {refused:>2}/{}  {ms:>8.1} ms  peak {:>6.2} MiB",
            bytes.len(),
            outcomes.len(),
            peak as f64 / (1 << 20) as f64
        );
        for (reader, r) in &outcomes {
            match r {
                Err(e) if e == "PANIC" => problems.push(format!("{name}: {reader} panicked")),
                Err(e) if refused_by.contains(reader) => println!("    {reader}: {e}"),
                Ok(()) if refused_by.contains(reader) || *reader == "load_any" => {
                    problems.push(format!("{name}: {reader} accepted it"))
                }
                _ => {}
            }
            if let Err(e) = r {
                if e.contains('\n') {
                    problems.push(format!("{name}: {reader}: a message of several lines: {e}"));
                }
            }
        }
        if peak > PEAK_LIMIT {
            problems.push(format!("{name}: peak {peak} bytes over {PEAK_LIMIT}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn huge_image_headers_are_refused_naming_the_side_limit() {
    let run = String::from_utf8(read("cli-run.json")).unwrap();
    for h in corpus(&run) {
        if !["huge.png", "wide.png", "huge.jpg"].contains(&h.name) {
            continue;
        }
        let e = folder::decode(&h.bytes, h.name).unwrap_err().to_string();
        assert!(
            e.starts_with(h.name) && e.contains("is over the limit of 1024×1024 pixels"),
            "{}: {e}",
            h.name
        );
    }
}

/// `scripts/hostile-corpus <dir>`: writes the corpus to `AEBNAS_HOSTILE_OUT`.
#[test]
#[ignore = "writes files; run by scripts/hostile-corpus"]
fn write_the_hostile_corpus() {
    let Some(dir) = std::env::var_os("AEBNAS_HOSTILE_OUT") else {
        panic!("set AEBNAS_HOSTILE_OUT to the folder to write");
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = String::from_utf8(read("cli-run.json")).unwrap();
    for h in corpus(&run) {
        std::fs::write(dir.join(h.name), &h.bytes).unwrap();
        println!("{} ({} bytes)", dir.join(h.name).display(), h.bytes.len());
    }
}
