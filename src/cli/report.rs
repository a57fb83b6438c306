//! `aebnas report`: compares results files — one row per run (method, seed, evaluations,
//! accuracy at the MAC target, hypervolume, wall time), a per-method mean ± standard
//! deviation when several seeds are given — and writes an SVG Pareto plot of all runs on
//! one set of axes (hand-written SVG).
//!
//! - **Accuracy at the target**: the test accuracy of the candidate validation chooses —
//!   the best validation accuracy among those with validation avg MACs ≤ T (`–` when none
//!   qualifies). The test split never chooses.
//! - **Hypervolume** of the validation `(error, avg MACs)`: each run's own reference point comes from its
//!   own DOE, so runs are compared against one *common* reference, the column-wise max of
//!   every run's reference point; the run's own final value is shown too.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::error::CliError;
use super::report_svg::svg;
use super::run_args::{load_run, write_atomic};
use crate::engine::objectives::parse_macs;
use crate::engine::results::RunResults;
use crate::engine::search::{archive_hypervolume, error_macs};
use crate::engine::units::format_macs;

/// Arguments of `aebnas report`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Results files written by `aebnas search`.
    #[arg(required = true)]
    runs: Vec<PathBuf>,
    /// Write an SVG Pareto plot of all runs here.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// MAC target for "accuracy at the target" (default: each run's own).
    #[arg(long)]
    mac_target: Option<String>,
}

/// One run's row of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// Label (file stem).
    pub label: String,
    /// Method name.
    pub method: String,
    /// Seed.
    pub seed: u64,
    /// Evaluations in the archive.
    pub evaluations: usize,
    /// MAC target used.
    pub target: f64,
    /// Test accuracy of the best validation candidate with validation avg MACs ≤ target.
    pub accuracy_at_target: Option<f64>,
    /// Hypervolume w.r.t. the common reference point.
    pub hypervolume: f64,
    /// The run's own last recorded hypervolume.
    pub own_hypervolume: Option<f64>,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
}

/// Test accuracy of [`best_under`]'s candidate.
pub fn accuracy_at(run: &RunResults, target: f64) -> Option<f64> {
    best_under(run, target).map(|i| run.archive[i].test_accuracy)
}

/// The candidate validation chooses under `target`: the highest validation accuracy with
/// validation avg MACs ≤ `target` (the earliest on ties).
pub fn best_under(run: &RunResults, target: f64) -> Option<usize> {
    crate::engine::search::best_under_target(&run.archive, target)
}

/// The common reference point of several runs (column-wise max of their references, or
/// of `1.01 ×` their archives' maxima where a run has none).
pub fn common_reference(runs: &[RunResults]) -> [f64; 2] {
    let mut r = [0.0f64; 2];
    for run in runs {
        let own = run.reference_point.unwrap_or_else(|| {
            run.archive.iter().map(error_macs).fold([0.0, 0.0], |m, p| {
                [m[0].max(p[0] * 1.01), m[1].max(p[1] * 1.01)]
            })
        });
        r = [r[0].max(own[0]), r[1].max(own[1])];
    }
    r
}

/// The rows of the comparison.
pub fn summarise(runs: &[(String, RunResults)], target: Option<f64>) -> Vec<RunSummary> {
    let all: Vec<RunResults> = runs.iter().map(|(_, r)| r.clone()).collect();
    let reference = common_reference(&all);
    runs.iter()
        .map(|(label, run)| {
            let t = target.unwrap_or(run.settings.mac_target);
            RunSummary {
                label: label.clone(),
                method: run.settings.method.to_string(),
                seed: run.settings.seed,
                evaluations: run.archive.len(),
                target: t,
                accuracy_at_target: accuracy_at(run, t),
                hypervolume: archive_hypervolume(&run.archive, reference),
                own_hypervolume: run.iterations.last().map(|i| i.hypervolume),
                wall_seconds: run.wall_seconds,
            }
        })
        .collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, var.sqrt())
}

/// The comparison table (and per-method mean ± sd when a method has several runs).
pub fn table(rows: &[RunSummary]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:<7} {:>5} {:>5} {:>9} {:>10} {:>12} {:>12} {:>9}",
        "run", "method", "seed", "evals", "target", "acc@T", "HV (common)", "HV (own)", "wall"
    );
    for r in rows {
        let acc = r
            .accuracy_at_target
            .map_or("–".into(), |a| format!("{:.2}%", 100.0 * a));
        let own = r.own_hypervolume.map_or("–".into(), |h| format!("{h:.4e}"));
        let _ = writeln!(
            out,
            "{:<20} {:<7} {:>5} {:>5} {:>9} {:>10} {:>12.4e} {:>12} {:>8.0}s",
            r.label,
            r.method,
            r.seed,
            r.evaluations,
            format_macs(r.target),
            acc,
            r.hypervolume,
            own,
            r.wall_seconds
        );
    }
    let mut by_method: BTreeMap<&str, Vec<&RunSummary>> = BTreeMap::new();
    for r in rows {
        by_method.entry(r.method.as_str()).or_default().push(r);
    }
    if by_method.values().any(|v| v.len() > 1) {
        let _ = writeln!(
            out,
            "\n{:<7} {:>4} {:>18} {:>24}",
            "method", "runs", "acc@T (mean ± sd)", "HV common (mean ± sd)"
        );
        for (m, v) in by_method {
            let accs: Vec<f64> = v
                .iter()
                .filter_map(|r| r.accuracy_at_target)
                .map(|a| 100.0 * a)
                .collect();
            let hvs: Vec<f64> = v.iter().map(|r| r.hypervolume).collect();
            let (am, asd) = mean_sd(&accs);
            let (hm, hsd) = mean_sd(&hvs);
            let acc = if accs.is_empty() {
                "–".into()
            } else {
                format!("{am:.2} ± {asd:.2}%")
            };
            let missing = if accs.len() < v.len() {
                format!(" ({} without)", v.len() - accs.len())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{m:<7} {:>4} {acc:>18} {:>24}{missing}",
                v.len(),
                format!("{hm:.4e} ± {hsd:.1e}")
            );
        }
    }
    out
}

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    let target = args.mac_target.as_deref().map(parse_macs).transpose()?;
    let mut runs = Vec::new();
    for p in &args.runs {
        let label = p.file_stem().map_or_else(
            || p.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        runs.push((label, load_run(p)?));
    }
    print!("{}", table(&summarise(&runs, target)));
    if let Some(path) = &args.svg {
        let mut targets: Vec<f64> = match target {
            Some(t) => vec![t],
            None => runs.iter().map(|(_, r)| r.settings.mac_target).collect(),
        };
        targets.sort_by(f64::total_cmp);
        targets.dedup();
        write_atomic(path, &svg(&runs, &targets))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sd() {
        assert_eq!(mean_sd(&[1.0, 3.0]), (2.0, 2f64.sqrt()));
    }
}
