//! What `aebnas search` prints: the closing Pareto table (validation figures, test figures
//! beside) and the per-iteration line of every predictor's Kendall τ.

use crate::engine::objectives::mape;
use crate::engine::results::{IterationRecord, RunResults};
use crate::engine::search::format_macs;

/// Every predictor's Kendall τ on an iteration's new candidates, as
/// `  τ on new (acc / MACs): mlp 0.60/0.91 rbf …`.
pub fn taus_line(i: &IterationRecord) -> String {
    let f = |t: Option<f64>| t.map_or("–".into(), |v| format!("{v:.2}"));
    let parts: Vec<String> = i
        .predictor_taus
        .iter()
        .map(|p| format!("{} {}/{}", p.predictor.name(), f(p.accuracy), f(p.macs)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("  τ on new (acc / MACs): {}", parts.join("  "))
    }
}

/// The Pareto table (stdout).
pub fn print_front(run: &RunResults) {
    let s = &run.settings;
    println!(
        "{} on {} (seed {}): {} evaluations, target {} MACs, hypervolume {}",
        s.method,
        s.dataset,
        s.seed,
        run.archive.len(),
        format_macs(s.mac_target),
        run.iterations
            .last()
            .map_or("–".into(), |i| format!("{:.6e}", i.hypervolume))
    );
    println!(
        "Pareto front on validation (accuracy vs avg MACs of conv and linear layers; thresholds tuned by {}), test figures beside:",
        s.tuning.name()
    );
    println!(
        "{:>4} {:>4} {:>9} {:>10} {:>8} {:>9} {:>10} {:>10} {:<14} thresholds",
        "#", "iter", "val acc", "val MACs", "MAPE", "test acc", "test MACs", "test final", "exits"
    );
    for &i in &run.pareto_front {
        let c = &run.archive[i];
        let exits: Vec<String> = c
            .exit_positions
            .iter()
            .map(|p| (p + 1).to_string())
            .collect();
        let ts: Vec<String> = c
            .thresholds
            .iter()
            .map(|&t| {
                if t > 1.0 {
                    "off".into()
                } else {
                    format!("{t:.2}")
                }
            })
            .collect();
        println!(
            "{:>4} {:>4} {:>8.2}% {:>10} {:>7.1}% {:>8.2}% {:>10} {:>9.2}% {:<14} {}",
            i + 1,
            c.iteration,
            100.0 * c.val_accuracy,
            format_macs(c.val_avg_macs),
            mape(c.val_avg_macs, s.mac_target),
            100.0 * c.test_accuracy,
            format_macs(c.test_avg_macs),
            100.0 * c.test_final_exit_accuracy,
            format!("[{}]", exits.join(",")),
            ts.join(",")
        );
    }
}
