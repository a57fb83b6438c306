//! What `aebnas search` and `aebnas tell` print: a line per evaluated candidate and per
//! finished iteration (with every predictor's Kendall τ), and the closing Pareto table
//! (validation figures, test figures beside).

use crate::engine::objectives::mape;
use crate::engine::results::{IterationRecord, RunResults};
use crate::engine::search::SearchEvent;
use crate::engine::units::format_macs;

/// The line a progress event prints (none for the events the progress bar shows).
pub fn event_line(e: &SearchEvent, r: &RunResults) -> Option<String> {
    match e {
        SearchEvent::Evaluated { index, .. } => r.archive.get(*index).map(|c| {
            format!(
                "#{:<3} it {} val {:6.2}% at {:>8}  test {:6.2}% at {:>8}  exits {:?}  {:.1} s",
                index + 1,
                c.iteration,
                100.0 * c.val_accuracy,
                format_macs(c.val_avg_macs),
                100.0 * c.test_accuracy,
                format_macs(c.test_avg_macs),
                c.exit_positions.iter().map(|p| p + 1).collect::<Vec<_>>(),
                c.train_seconds
            )
        }),
        SearchEvent::Failed { slot, reason, .. } => {
            Some(format!("#{:<3} failed: {reason}", slot + 1))
        }
        SearchEvent::IterationDone {
            iteration,
            hypervolume,
            duplicates_skipped,
        } => {
            let record = r.iterations.iter().find(|i| i.iteration == *iteration);
            let tau = record.map_or(String::new(), taus_line);
            let dup = match duplicates_skipped {
                0 => String::new(),
                n => format!(
                    "  ({n} duplicate network{} skipped before training)",
                    if *n == 1 { "" } else { "s" }
                ),
            };
            Some(format!(
                "iteration {iteration} done: hypervolume {hypervolume:.6e}{tau}{dup}"
            ))
        }
        _ => None,
    }
}

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

/// The run's summary as JSON (`aebnas search --json`): evaluations, distinct networks,
/// wall time, the supernet used, and the candidate validation chooses under the target
/// with its validation and test figures.
pub fn json_summary(run: &RunResults) -> serde_json::Value {
    let distinct: std::collections::BTreeSet<String> =
        run.archive.iter().map(|c| c.genome.to_string()).collect();
    let chosen = crate::engine::search::best_under_target(&run.archive, run.settings.mac_target)
        .map(|i| {
            let c = &run.archive[i];
            serde_json::json!({
                "index": i,
                "genome": c.genome.to_string(),
                "val_accuracy": c.val_accuracy,
                "val_avg_macs": c.val_avg_macs,
                "test_accuracy": c.test_accuracy,
                "test_avg_macs": c.test_avg_macs,
            })
        });
    serde_json::json!({
        "evaluations": run.evaluations_done(),
        "archive": run.archive.len(),
        "failed": run.failed.len(),
        "distinct_networks": distinct.len(),
        "wall_seconds": run.wall_seconds,
        "mac_target": run.settings.mac_target,
        "supernet": run.settings.supernet,
        "chosen_under_target": chosen,
    })
}
