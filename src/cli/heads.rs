//! `aebnas heads`: the head comparison at equal cost (docs/method.md, § Comparing methods
//! and heads). For every network on the validation Pareto front of the given runs it keeps
//! the backbone, the exit placement and the resolution, attaches each head kind in turn —
//! the searched branches, EDANAS's, NACHOS's and SDN's fixed heads — trains the heads with
//! the run's budget on the same inherited backbone, and sweeps the MAC target over the
//! network's own range: at each target the thresholds are chosen on validation (best
//! accuracy with avg MACs ≤ target, margin rule, the same for every head) and scored on
//! both splits. `scripts/methods-table` reads the choices on the validation front as a
//! staircase and tests the paired differences.

use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use serde::Serialize;

use super::backend::{update_bar, BackendArg};
use super::error::CliError;
use super::evaluators::Kit;
use super::run_args::{load_run, run_data, space_of, write_atomic};
use crate::engine::arch::Architecture;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::results::{RunResults, SearchSettings};
use crate::engine::space::Method;
use crate::engine::tuning::TuningRule;
use crate::model::candidate::{score_candidate, train_candidate};
use crate::model::train::{Control, Progress};

/// Version of the `heads` file.
pub const HEADS_VERSION: u32 = 1;

/// Targets of the sweep, evenly spaced over a network's own range of avg MACs: from the
/// cost of its first exit (every sample leaves there) to that of its final exit.
pub const SWEEP_POINTS: usize = 11;

/// Arguments of `aebnas heads`.
#[derive(clap::Args, Debug)]
pub struct HeadsArgs {
    /// Results files of AEBNAS runs whose validation fronts give the backbones.
    #[arg(long = "run", required = true)]
    runs: Vec<PathBuf>,
    /// Output file (JSON).
    #[arg(long)]
    out: PathBuf,
    /// At most this many front members per run (the cheapest first), to bound the work.
    #[arg(long, default_value_t = 12)]
    max_per_run: usize,
    /// Head-training epochs (default: the run's).
    #[arg(long)]
    epochs: Option<usize>,
    /// Training images per epoch (default: the run's cap).
    #[arg(long)]
    train_samples: Option<usize>,
}

/// One threshold choice of the sweep: chosen on validation, scored on both splits.
#[derive(Serialize)]
struct Point {
    target: f64,
    val_accuracy: f64,
    val_avg_macs: f64,
    test_accuracy: f64,
    test_avg_macs: f64,
    thresholds: Vec<f32>,
}

/// One head kind on one backbone.
#[derive(Serialize)]
struct HeadResult {
    head: &'static str,
    train_seconds: f64,
    test_final_exit_accuracy: f64,
    /// Cost of each enabled exit then the final one (cumulative, before dropping unused
    /// exits).
    exit_costs: Vec<f64>,
    points: Vec<Point>,
}

/// One backbone of a run's front with its four head kinds.
#[derive(Serialize)]
struct Backbone {
    run: String,
    seed: u64,
    archive_index: usize,
    genome: String,
    heads: Vec<HeadResult>,
}

/// The head kinds compared: the searched branches, then the baselines' fixed heads.
const HEADS: [(&str, Option<Method>); 4] = [
    ("searched", None),
    ("edanas", Some(Method::Edanas)),
    ("nachos", Some(Method::Nachos)),
    ("sdn", Some(Method::Sdn)),
];

/// Runs `aebnas heads`.
pub fn run(args: HeadsArgs) -> Result<(), CliError> {
    let mut backbones = Vec::new();
    let mut first: Option<SearchSettings> = None;
    for path in &args.runs {
        let mut run = load_run(path)?;
        if let Some(e) = args.epochs {
            run.settings.epochs = e;
        }
        if let Some(n) = args.train_samples {
            run.settings.train_samples = Some(n);
        }
        if run.settings.method != Method::Aebnas {
            return Err(format!(
                "{}: a {} run; the backbones come from AEBNAS runs",
                path.display(),
                run.settings.method
            )
            .into());
        }
        backbones.extend(compare_run(path, &run, args.max_per_run)?);
        first.get_or_insert(run.settings);
    }
    let settings = first.ok_or("no run given")?;
    let doc = serde_json::json!({
        "version": HEADS_VERSION,
        "dataset": settings.dataset,
        "mac_target": settings.mac_target,
        "epochs": settings.epochs,
        "train_samples": settings.train_samples,
        "supernet": settings.supernet,
        "rule": ExitRule::Margin,
        "tuning": TuningRule::MaxAccuracy,
        "sweep_points": SWEEP_POINTS,
        "backbones": backbones,
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    write_atomic(&args.out, &text)
}

/// The front of one run, each member with the four head kinds.
fn compare_run(path: &Path, run: &RunResults, max: usize) -> Result<Vec<Backbone>, CliError> {
    let settings = &run.settings;
    let data = run_data(settings, &settings.dataset)?;
    let space = space_of(settings.space.name(), data.as_ref())?;
    let bar = ProgressBar::hidden();
    let Kit::Pipeline {
        data: (train, val, test),
        device,
        supernet,
        ..
    } = Kit::new(settings, &space, data, BackendArg::Cpu, &bar)?
    else {
        return Err(format!("{}: a synthetic run has no networks", path.display()).into());
    };
    let mut front = run.pareto_front.clone();
    front.sort_by(|&a, &b| {
        let (a, b) = (&run.archive[a], &run.archive[b]);
        a.val_avg_macs.total_cmp(&b.val_avg_macs)
    });
    front.truncate(max);
    let mut out = Vec::new();
    for (n, &i) in front.iter().enumerate() {
        let genome = &run.archive[i].genome;
        let searched =
            Architecture::decode(&space, Method::Aebnas, genome).map_err(|e| e.to_string())?;
        let mut heads = Vec::new();
        for (name, method) in HEADS {
            let arch = match method {
                None => searched.clone(),
                Some(m) => searched.with_fixed_heads(m).map_err(|e| e.to_string())?,
            };
            eprintln!(
                "heads: {} front member {}/{} (archive #{i}), {name} head",
                path.display(),
                n + 1,
                front.len()
            );
            let mut cb = |p: &Progress| {
                update_bar(&bar, p);
                Control::Continue
            };
            let trained = pollster::block_on(train_candidate(
                &arch,
                supernet.as_ref(),
                settings,
                (&train, &val, &test),
                &device,
                &mut cb,
            ))
            .map_err(|e| format!("{name} head on archive #{i}: {e}"))?;
            let exit_costs = arch.exit_costs().cumulative;
            let caches = (&trained.val_cache, &trained.test_cache);
            let points = sweep(&arch, &exit_costs, settings, caches)?;
            heads.push(HeadResult {
                head: name,
                train_seconds: trained.record.train_seconds,
                test_final_exit_accuracy: trained.record.test_final_exit_accuracy,
                exit_costs,
                points,
            });
        }
        out.push(Backbone {
            run: path.display().to_string(),
            seed: settings.seed,
            archive_index: i,
            genome: genome.to_string(),
            heads,
        });
    }
    Ok(out)
}

/// The sweep of MAC targets ([`SWEEP_POINTS`] over the network's own range, from its
/// first to its last cumulative exit cost in `costs`) on one trained network: the same
/// rule for every head (margin confidence, best validation accuracy under the target,
/// unused exits dropped), scored on both splits.
fn sweep(
    arch: &Architecture,
    costs: &[f64],
    settings: &SearchSettings,
    (val, test): (&ExitCache, &ExitCache),
) -> Result<Vec<Point>, CliError> {
    let (low, high) = (costs[0], costs[costs.len() - 1]);
    (0..SWEEP_POINTS)
        .map(|i| {
            let target = low + (high - low) * i as f64 / (SWEEP_POINTS - 1) as f64;
            let at = SearchSettings {
                method: Method::Aebnas,
                exit_rule: ExitRule::Margin,
                tuning: TuningRule::MaxAccuracy,
                mac_target: target,
                ..settings.clone()
            };
            let r = score_candidate(arch, &at, val, test, 0.0)?;
            Ok(Point {
                target,
                val_accuracy: r.val_accuracy,
                val_avg_macs: r.val_avg_macs,
                test_accuracy: r.test_accuracy,
                test_avg_macs: r.test_avg_macs,
                thresholds: r.thresholds,
            })
        })
        .collect()
}
