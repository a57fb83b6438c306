//! End-to-end tests of `aebnas search` and `aebnas report` (issue 5 items 6–7): the
//! written results file is valid, its front truly non-dominated, its hypervolume never
//! decreasing, every candidate's avg MACs equal to Σ rate × cost; an interrupted run
//! resumed with `--resume` ends with the same evaluations, each done once.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aebnas::engine::nsga2::dominates;
use aebnas::engine::results::RunResults;
use aebnas::engine::tuning::costs_without;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("aebnas-cli-search-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn aebnas(args: &[&str]) -> Output {
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

const SMALL: [&str; 8] = [
    "--doe",
    "4",
    "--iterations",
    "2",
    "--per-iter",
    "2",
    "--mac-target",
    "1.5M",
];

fn synthetic(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "search",
        "--synthetic",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&SMALL);
    args.extend_from_slice(extra);
    aebnas(&args)
}

/// Everything the issue checks on a results file.
fn check(path: &Path, evaluations: usize) -> RunResults {
    let run = RunResults::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(run.archive.len(), evaluations);
    for c in &run.archive {
        for (rates, avg) in [
            (&c.val_exit_rates, c.val_avg_macs),
            (&c.test_exit_rates, c.test_avg_macs),
        ] {
            let sum: f64 = rates.iter().zip(&c.exit_costs).map(|(r, m)| r * m).sum();
            assert!(
                (sum - avg).abs() <= 1e-6 * avg.max(1.0),
                "avg MACs {avg} vs Σ rate × cost {sum}"
            );
        }
    }
    // The front is chosen on validation.
    let objs: Vec<[f64; 2]> = run.archive.iter().map(|c| c.val_error_macs()).collect();
    assert!(!run.pareto_front.is_empty());
    for &i in &run.pareto_front {
        assert!(
            objs.iter().all(|o| !dominates(o, &objs[i])),
            "front member {i} is dominated"
        );
    }
    for (i, o) in objs.iter().enumerate() {
        let covered = run.pareto_front.contains(&i)
            || run.pareto_front.iter().any(|&f| dominates(&objs[f], o));
        assert!(
            covered,
            "candidate {i} is non-dominated but not on the front"
        );
    }
    assert_eq!(run.iterations.len(), 3);
    for w in run.iterations.windows(2) {
        assert!(
            w[1].hypervolume >= w[0].hypervolume,
            "hypervolume decreased"
        );
    }
    run
}

fn genomes(run: &RunResults) -> Vec<String> {
    run.archive.iter().map(|c| c.genome.to_string()).collect()
}

#[test]
fn synthetic_search_checkpoints_resumes_and_reports() {
    let d = dir("synthetic");
    let full = d.join("full.json");
    let table = ok(&synthetic(&full, &[]));
    assert!(table.contains("Pareto front"), "{table}");
    let full_run = check(&full, 8);
    assert!(
        !d.join("full.json.tmp").exists(),
        "temporary checkpoint left behind"
    );

    // Without --resume an existing file is never overwritten.
    let again = synthetic(&full, &[]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--resume"));

    // Interrupted after 3 evaluations, then resumed: same archive, each genome once.
    let part = d.join("part.json");
    ok(&synthetic(&part, &["--stop-after", "3"]));
    let first = RunResults::from_json(&std::fs::read_to_string(&part).unwrap()).unwrap();
    assert_eq!(first.archive.len(), 3);
    // Resuming with other settings is refused with a one-line reason.
    let other = aebnas(&[
        "search",
        "--synthetic",
        "--seed",
        "4",
        "--out",
        part.to_str().unwrap(),
        "--resume",
        "--doe",
        "4",
        "--iterations",
        "2",
        "--per-iter",
        "2",
        "--mac-target",
        "1.5M",
    ]);
    assert!(!other.status.success());
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(err.contains("seed") && err.lines().count() == 1, "{err}");
    ok(&synthetic(&part, &["--resume"]));
    let resumed = check(&part, 8);
    assert_eq!(genomes(&resumed), genomes(&full_run));
    assert_eq!(resumed.archive[..3], first.archive[..]);
    assert_eq!(resumed.pareto_front, full_run.pareto_front);

    // Report: table and SVG.
    let svg = d.join("front.svg");
    let report = ok(&aebnas(&[
        "report",
        full.to_str().unwrap(),
        part.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]));
    assert!(
        report.contains("acc@T") && report.contains("aebnas"),
        "{report}"
    );
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg.starts_with("<svg")
            && svg.contains("MACs of conv and linear layers")
            && svg.contains("target")
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn every_method_runs_from_the_command_line() {
    let d = dir("methods");
    for m in ["aebnas", "edanas", "nachos", "sdn", "random"] {
        let out = d.join(format!("{m}.json"));
        ok(&synthetic(&out, &["--method", m]));
        let run = check(&out, 8);
        assert_eq!(run.settings.method.to_string(), m);
        if m == "sdn" {
            assert_eq!(run.settings.exit_rule.to_string(), "max_softmax");
        }
        // AEBNAS (and random, its baseline) tune with the paper's grid by default.
        let tuning = if m == "aebnas" || m == "random" {
            "grid"
        } else {
            "cut-points"
        };
        assert_eq!(run.settings.tuning.name(), tuning, "{m}");
    }
    let out = d.join("max-accuracy.json");
    ok(&synthetic(&out, &["--tuning", "max-accuracy"]));
    assert_eq!(check(&out, 8).settings.tuning.name(), "max-accuracy");
    let bad = synthetic(&d.join("bad.json"), &["--tuning", "best"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("grid | cut-points | max-accuracy"));
    let _ = std::fs::remove_dir_all(&d);
}

/// The real pipeline: a tiny search on the shipped Fashion-MNIST subset.
#[test]
fn tiny_real_search_writes_a_valid_results_file() {
    let d = dir("real");
    let out = d.join("run.json");
    let mut args = vec![
        "search",
        "--dataset",
        "fashion-mnist",
        "--seed",
        "1",
        "--epochs",
        "1",
        "--train-samples",
        "512",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&SMALL);
    ok(&aebnas(&args));
    let run = check(&out, 8);
    assert!(run.archive.iter().all(|c| c.train_seconds > 0.0));
    // Grid tuning by default: every threshold on the grid, or off (a dropped exit).
    for c in &run.archive {
        for &t in &c.thresholds {
            assert!([0.1, 0.2, 1.0].contains(&t) || t > 1.0, "threshold {t}");
        }
        assert_eq!(c.val_tuned.len(), 9, "3 tuning rules × 3 confidence rules");
    }
    ok(&aebnas(&["report", out.to_str().unwrap()]));
    let _ = std::fs::remove_dir_all(&d);
}

/// The RGB 32×32 path end to end: a tiny search on the CIFAR-10 fixture (20 real test
/// images: 16 train, 4 test) writes a valid run in the CIFAR-shaped space.
#[test]
fn tiny_search_on_the_cifar10_fixture() {
    let d = dir("cifar");
    let out = d.join("run.json");
    // The crate root at run time (cargo sets it; a shared build cache may hold another
    // clone's compile-time path).
    let root = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let fixture = format!("{root}/tests/fixtures/cifar10/test_batch.bin");
    let fixture = fixture.as_str();
    let args = [
        "search",
        "--dataset",
        fixture,
        "--seed",
        "1",
        "--epochs",
        "1",
        "--doe",
        "2",
        "--iterations",
        "2",
        "--per-iter",
        "1",
        "--mac-target",
        "3M",
        "--out",
        out.to_str().unwrap(),
    ];
    ok(&aebnas(&args));
    let run = check(&out, 4);
    assert_eq!(run.settings.dataset, fixture);
    // The costs are those of the cost model for 3×32×32 inputs (not the greyscale space),
    // without the heads of the exits the deployed network dropped.
    let rgb = aebnas::engine::space::SearchSpace::browser(3, 32, 10);
    let grey = aebnas::engine::space::SearchSpace::browser(1, 28, 10);
    for c in &run.archive {
        let dropped: Vec<bool> = (0..c.thresholds.len()).map(|i| c.exit_off(i)).collect();
        let costs = |space| {
            let all = aebnas::engine::arch::Architecture::decode(space, c.method, &c.genome)
                .unwrap()
                .exit_costs();
            costs_without(&all, run.settings.cost_convention, &dropped)
        };
        assert_eq!(c.exit_costs, costs(&rgb));
        assert!(c.exit_costs.last() > costs(&grey).last());
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// A usage error (a flag missing or out of range) exits with 2 and one line; other
/// failures (a file that cannot be read) with 1.
#[test]
fn usage_errors_exit_with_2_other_failures_with_1() {
    let d = dir("exit-codes");
    let out = d.join("run.json");
    let missing = aebnas(&["search", "--synthetic", "--out", out.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(
        stderr.trim(),
        "error: --mac-target is needed to start a run"
    );
    let jobs = aebnas(&[
        "search",
        "--synthetic",
        "--mac-target",
        "1M",
        "--jobs",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(jobs.status.code(), Some(2), "{jobs:?}");
    let absent = d.join("absent.json");
    let report = aebnas(&["report", absent.to_str().unwrap()]);
    assert_eq!(report.status.code(), Some(1), "{report:?}");
    assert!(String::from_utf8_lossy(&report.stderr).contains("cannot read"));
}
