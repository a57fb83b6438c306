//! End-to-end tests of `aebnas propose` / `evaluate` / `tell` and `aebnas search --jobs`:
//! a search driven through job and result files ends with exactly the run of `aebnas
//! search` with the same seed and budget (same genomes, same validation and test figures,
//! same front, reference point and hypervolumes), and `--jobs 2` makes the run `--jobs 1`
//! makes. Only the measured times (`train_seconds`, `wall_seconds`) may differ.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aebnas::engine::results::RunResults;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("aebnas-ask-tell-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn aebnas<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aebnas"))
        .args(args)
        .output()
        .expect("run aebnas")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(path: &Path) -> RunResults {
    RunResults::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The run without its measured times.
fn untimed(mut run: RunResults) -> RunResults {
    run.wall_seconds = 0.0;
    for c in &mut run.archive {
        c.train_seconds = 0.0;
    }
    run
}

/// `aebnas search` with `settings` and `--jobs jobs` into `d/search-<jobs>.json`.
fn search(d: &Path, settings: &[&str], jobs: &str) -> RunResults {
    let out = d.join(format!("search-{jobs}.json"));
    let mut args = vec!["search", "--jobs", jobs, "--out", out.to_str().unwrap()];
    args.extend_from_slice(settings);
    ok(&aebnas(&args));
    read(&out)
}

/// The same run through job and result files: `propose -k k`, `evaluate` each job,
/// `tell` the results in reverse order; until `propose` writes no job.
fn ask_tell(d: &Path, settings: &[&str], k: &str) -> RunResults {
    let run = d.join(format!("ask-tell-{k}.json"));
    let run_arg = run.to_str().unwrap();
    for round in 0.. {
        assert!(round < 100, "propose never finished");
        let jobs = d.join(format!("jobs-{k}-{round}"));
        let mut args = vec![
            "propose",
            "--run",
            run_arg,
            "-k",
            k,
            "--out",
            jobs.to_str().unwrap(),
        ];
        args.extend_from_slice(settings);
        let written: Vec<PathBuf> = ok(&aebnas(&args)).lines().map(PathBuf::from).collect();
        if written.is_empty() {
            break;
        }
        assert!(written.len() <= k.parse().unwrap());
        let mut results = Vec::new();
        for job in &written {
            let result = d.join(format!(
                "result-{k}-{round}-{}",
                job.file_name().unwrap().to_str().unwrap()
            ));
            ok(&aebnas(&[
                "evaluate".as_ref(),
                job.as_os_str(),
                "--out".as_ref(),
                result.as_os_str(),
            ]));
            results.push(result);
        }
        results.reverse();
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["tell".as_ref(), "--run".as_ref(), run.as_os_str()];
        args.extend(results.iter().map(|r| r.as_os_str()));
        ok(&aebnas(&args));
    }
    read(&run)
}

/// The synthetic evaluator (no training): several iterations, proposals asked for in
/// batches smaller than an iteration.
#[test]
fn synthetic_ask_and_tell_make_the_search_run() {
    let d = dir("synthetic");
    let settings = [
        "--synthetic",
        "--seed",
        "4",
        "--doe",
        "5",
        "--iterations",
        "3",
        "--per-iter",
        "3",
        "--mac-target",
        "1.5M",
    ];
    let one = search(&d, &settings, "1");
    assert_eq!(one.evaluations_done(), 14);
    assert_eq!(one.iterations.len(), 4);
    assert_eq!(untimed(search(&d, &settings, "3")), untimed(one.clone()));
    for k in ["2", "5"] {
        assert_eq!(
            untimed(ask_tell(&d, &settings, k)),
            untimed(one.clone()),
            "-k {k}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Real training on the shipped Fashion-MNIST subset (CPU backend): the figures of
/// networks trained in separate `evaluate` processes, and side by side in one process,
/// equal those of one after the other.
#[test]
fn real_ask_and_tell_and_two_jobs_make_the_search_run() {
    let d = dir("real");
    let settings = [
        "--dataset",
        "fashion-mnist",
        "--seed",
        "2",
        "--epochs",
        "1",
        "--train-samples",
        "256",
        "--doe",
        "2",
        "--iterations",
        "1",
        "--per-iter",
        "2",
        "--mac-target",
        "1.5M",
    ];
    let one = search(&d, &settings, "1");
    assert_eq!(one.archive.len(), 4);
    assert!(one.archive.iter().all(|c| c.train_seconds > 0.0));
    assert!(one.reference_point.is_some() && one.iterations.len() == 2);
    let two = search(&d, &settings, "2");
    assert_eq!(untimed(two), untimed(one.clone()), "--jobs 2 vs --jobs 1");
    let files = ask_tell(&d, &settings, "4");
    assert_eq!(
        untimed(files),
        untimed(one),
        "propose/evaluate/tell vs search"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `tell` refuses a result of another run and a result whose earlier slots are missing,
/// and leaves the run file as it was.
#[test]
fn tell_refuses_foreign_and_out_of_order_results() {
    let d = dir("refuse");
    let base = [
        "--synthetic",
        "--doe",
        "3",
        "--iterations",
        "1",
        "--per-iter",
        "2",
        "--mac-target",
        "1.5M",
    ];
    let run = d.join("run.json");
    let mut args = vec![
        "propose",
        "--run",
        run.to_str().unwrap(),
        "--out",
        d.to_str().unwrap(),
        "--seed",
        "1",
    ];
    args.extend_from_slice(&base);
    let jobs: Vec<String> = ok(&aebnas(&args)).lines().map(String::from).collect();
    assert_eq!(jobs.len(), 3);
    let result = d.join("r1.json");
    ok(&aebnas(&[
        "evaluate",
        &jobs[1],
        "--out",
        result.to_str().unwrap(),
    ]));
    let before = std::fs::read_to_string(&run).unwrap();
    let gap = aebnas(&[
        "tell",
        "--run",
        run.to_str().unwrap(),
        result.to_str().unwrap(),
    ]);
    assert!(!gap.status.success());
    assert!(String::from_utf8_lossy(&gap.stderr).contains("slot 0 has no result yet"));
    // A run with another seed proposes other genomes: its results are refused.
    let other = d.join("other.json");
    let mut args = vec![
        "propose",
        "--run",
        other.to_str().unwrap(),
        "--out",
        d.to_str().unwrap(),
        "--seed",
        "9",
    ];
    args.extend_from_slice(&base);
    let foreign_jobs: Vec<String> = ok(&aebnas(&args)).lines().map(String::from).collect();
    let foreign = d.join("foreign.json");
    ok(&aebnas(&[
        "evaluate",
        &foreign_jobs[0],
        "--out",
        foreign.to_str().unwrap(),
    ]));
    let refused = aebnas(&[
        "tell",
        "--run",
        run.to_str().unwrap(),
        foreign.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("another run (seed"));
    assert_eq!(std::fs::read_to_string(&run).unwrap(), before);
    let _ = std::fs::remove_dir_all(&d);
}
