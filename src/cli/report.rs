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

use super::run_args::{load_run, write_atomic};
use crate::engine::objectives::parse_macs;
use crate::engine::results::RunResults;
use crate::engine::search::{archive_hypervolume, error_macs, pareto_indices};
use crate::engine::ticks::nice_ticks;
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

const COLOURS: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#7f7f7f", "#bcbd22",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// SVG Pareto plot: validation accuracy (%) vs validation avg MACs (the figures the
/// fronts are chosen by), every archive point faint, each run's
/// front as a coloured staircase, one legend entry per run, the MAC target(s) dashed.
pub fn svg(runs: &[(String, RunResults)], targets: &[f64]) -> String {
    let (w, h, ml, mr, mt, mb) = (760.0, 500.0, 70.0, 200.0, 30.0, 60.0);
    let pts = runs.iter().flat_map(|(_, r)| {
        r.archive
            .iter()
            .map(|c| (c.val_avg_macs, 100.0 * c.val_accuracy))
    });
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for (x, y) in pts.chain(targets.iter().map(|&t| (t, f64::NAN))) {
        if x.is_finite() {
            (x0, x1) = (x0.min(x), x1.max(x));
        }
        if y.is_finite() {
            (y0, y1) = (y0.min(y), y1.max(y));
        }
    }
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if !y0.is_finite() {
        (y0, y1) = (0.0, 100.0);
    }
    let (px, py) = (0.05 * (x1 - x0).max(1.0), 0.05 * (y1 - y0).max(0.5));
    let (x0, x1, y0, y1) = (
        (x0 - px).max(0.0),
        x1 + px,
        (y0 - py).max(0.0),
        (y1 + py).min(100.0),
    );
    let sx = |x: f64| ml + (x - x0) / (x1 - x0) * (w - ml - mr);
    let sy = |y: f64| h - mb - (y - y0) / (y1 - y0) * (h - mt - mb);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let (bx0, bx1, by0, by1) = (sx(x0), sx(x1), sy(y1), sy(y0));
    let _ = writeln!(
        s,
        r#"<rect x="{bx0:.1}" y="{by0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="black"/>"#,
        bx1 - bx0,
        by1 - by0
    );
    for t in nice_ticks(x0, x1, 5) {
        let x = sx(t);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{by1:.1}" x2="{x:.1}" y2="{:.1}" stroke="black"/><line x1="{x:.1}" y1="{by0:.1}" x2="{x:.1}" y2="{by1:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            by1 + 5.0,
            by1 + 18.0,
            format_macs(t)
        );
    }
    for t in nice_ticks(y0, y1, 5) {
        let y = sy(t);
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" y1="{y:.1}" x2="{bx0:.1}" y2="{y:.1}" stroke="black"/><line x1="{bx0:.1}" y1="{y:.1}" x2="{bx1:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{t:.1}</text>"##,
            bx0 - 5.0,
            bx0 - 8.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">avg MACs per sample (MACs of conv and linear layers)</text>"#,
        (bx0 + bx1) / 2.0,
        h - 15.0
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">validation accuracy (%)</text>"#,
        (by0 + by1) / 2.0
    );
    for &t in targets {
        let x = sx(t);
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{by0:.1}" x2="{x:.1}" y2="{by1:.1}" stroke="black" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}">target {}</text>"#,
            x + 4.0,
            by0 + 14.0,
            format_macs(t)
        );
    }
    for (k, (label, run)) in runs.iter().enumerate() {
        let col = COLOURS[k % COLOURS.len()];
        for c in &run.archive {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{col}" fill-opacity="0.3"/>"#,
                sx(c.val_avg_macs),
                sy(100.0 * c.val_accuracy)
            );
        }
        let front = pareto_indices(&run.archive);
        let mut path = String::new();
        for (n, &i) in front.iter().enumerate() {
            let c = &run.archive[i];
            let (x, y) = (sx(c.val_avg_macs), sy(100.0 * c.val_accuracy));
            if n == 0 {
                let _ = write!(path, "M{x:.1},{y:.1}");
            } else {
                let _ = write!(path, " H{x:.1} V{y:.1}");
            }
        }
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{col}" stroke-width="1.5"/>"#
        );
        for &i in &front {
            let c = &run.archive[i];
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{col}"/>"#,
                sx(c.val_avg_macs),
                sy(100.0 * c.val_accuracy)
            );
        }
        let ly = mt + 10.0 + 18.0 * k as f64;
        let name = format!(
            "{} seed {} ({label})",
            run.settings.method, run.settings.seed
        );
        let _ = writeln!(
            s,
            r#"<circle cx="{:.1}" cy="{ly:.1}" r="4" fill="{col}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            bx1 + 14.0,
            bx1 + 24.0,
            ly + 4.0,
            escape(&name)
        );
    }
    s.push_str("</svg>\n");
    s
}

pub fn run(args: ReportArgs) -> Result<(), String> {
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
    fn escaping_and_mean_sd() {
        assert_eq!(escape("a<b&"), "a&lt;b&amp;");
        assert_eq!(mean_sd(&[1.0, 3.0]), (2.0, 2f64.sqrt()));
    }
}
