//! `aebnas data inspect` on every fixture and on truncated copies.

use super::fx;
use std::path::Path;
use std::process::Command;

fn inspect(p: &Path) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_aebnas"))
        .args(["data", "inspect"])
        .arg(p)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn cli_inspect_fixtures() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "cifar10/test_batch.bin",
            "CIFAR-10 binary",
            &["N×C×H×W = 20×3×32×32", "classes: 10", "cat: 2"],
        ),
        (
            "cifar100/test.bin",
            "CIFAR-100 binary",
            &["20×3×32×32", "classes: 100"],
        ),
        (
            "cifar-10-binary.tar.gz",
            "CIFAR-10 binary archive",
            &[
                "train: CIFAR-10 (train) (10, N×C×H×W = 10×3×32×32)",
                "test: CIFAR-10 (test) (10",
            ],
        ),
        (
            "cifar-100-binary.tar.gz",
            "CIFAR-100 binary archive",
            &["10×3×32×32"],
        ),
        (
            "svhn/test_32x32.mat",
            "SVHN",
            &["20×3×32×32", "classes: 10", "0: 2"],
        ),
        ("svhn/train_32x32.mat", "SVHN", &["20×3×32×32"]),
        ("idx/t10k-images-idx3-ubyte.gz", "IDX", &["20×1×28×28"]),
        (
            "imagefolder",
            "image folder",
            &["20×3×32×32", "classes: 8", "frog: 4"],
        ),
        (
            "imagefolder.zip",
            "image folder in a zip archive",
            &["20×3×32×32"],
        ),
    ];
    for (path, format, needles) in cases {
        let (ok, out, err) = inspect(&fx(path));
        assert!(ok, "{path}: {err}");
        assert!(out.contains(&format!("format: {format}")), "{path}: {out}");
        for n in *needles {
            assert!(out.contains(n), "{path}: missing {n:?} in\n{out}");
        }
    }
}

#[test]
fn cli_inspect_truncated_fails_with_one_line() {
    let dir = fx("truncated");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in names
        .iter()
        .filter(|n| !n.to_string_lossy().contains("labels"))
    {
        let (ok, out, err) = inspect(&dir.join(n));
        assert!(!ok, "{n:?} should fail: {out}");
        assert_eq!(err.lines().count(), 1, "{n:?}: {err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{n:?}: {err}"
        );
    }
    let (ok, _, err) = inspect(&fx("no/such/file.bin"));
    assert!(!ok && err.lines().count() == 1);
}
