//! `aebnas train`: trains one candidate, tunes its thresholds for the MAC target, and
//! reports per-exit rate, accuracy and cost, test accuracy and avg MACs.

use std::path::PathBuf;

use burn::module::Module;
use serde_json::json;

use super::backend::{train_bar, update_bar, BackendArg};
use super::error::CliError;
use super::space::parse_genome;
use super::supernet::{load_source, supernet_source};
use crate::data::load_dataset_arg;
use crate::engine::arch::Architecture;
use crate::engine::exits::ExitRule;
use crate::engine::objectives::parse_macs;
use crate::engine::results::{CostConvention, SearchSettings, SupernetSource};
use crate::engine::space::{Method, SearchSpace};
use crate::model::candidate::{evaluate_network, train_candidate};
use crate::model::train::Control;
use crate::model::weights::{
    export_weights, load_weights, read_meta, WeightsMeta, WEIGHTS_VERSION,
};

/// Arguments of `aebnas train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// `fashion-mnist`, `mnist`, or a dataset file/folder.
    #[arg(long, default_value = "fashion-mnist")]
    dataset: String,
    /// Comma-separated genome, or `default`.
    #[arg(long, default_value = "default")]
    genome: String,
    /// Method whose exit heads the network uses.
    #[arg(long, default_value = "aebnas")]
    method: Method,
    /// Training epochs.
    #[arg(long, default_value_t = 1)]
    epochs: usize,
    /// Seed of initialisation, shuffling and augmentation.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "cpu")]
    backend: BackendArg,
    /// MAC target for threshold tuning (`500k`, `2M`, or a number).
    #[arg(long, default_value = "1M")]
    mac_target: String,
    /// Confidence rule.
    #[arg(long, default_value = "margin")]
    rule: ExitRule,
    /// Exit cost convention (`cumulative` or `taken_head`).
    #[arg(long, default_value = "cumulative")]
    convention: CostConvention,
    /// Backbone weights: `shipped` (the default for a shipped dataset), a supernet FILE
    /// (`aebnas supernet --out`), or `none` (from scratch).
    #[arg(long)]
    supernet: Option<String>,
    /// Cap on training samples per epoch.
    #[arg(long)]
    train_samples: Option<usize>,
    /// Write the trained network's weights here: a burn record (`.bpk`) that also holds
    /// the genome, method, dataset and thresholds (the page's "weights" download).
    #[arg(long)]
    save_weights: Option<PathBuf>,
    /// Evaluate the network of this weights file (`--save-weights`, or downloaded from the
    /// page) instead of training one: its genome and method replace `--genome`/`--method`.
    #[arg(long, conflicts_with = "supernet")]
    weights: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: TrainArgs) -> Result<(), CliError> {
    let (train_all, test) = load_dataset_arg(&args.dataset).map_err(|e| e.to_string())?;
    let (train_set, val_set) = train_all
        .split_validation(args.seed)
        .map_err(|e| e.to_string())?;
    let space = SearchSpace::browser(
        train_all.channels,
        train_all.height,
        train_all.classes.len(),
    );
    let imported = match &args.weights {
        Some(path) => Some(read_weights(path, &train_all, &args.dataset)?),
        None => None,
    };
    let (genome, method) = match &imported {
        Some((meta, _)) => (parse_genome(&meta.genome, &space)?, meta.method),
        None => (parse_genome(&args.genome, &space)?, args.method),
    };
    let arch = Architecture::decode(&space, method, &genome).map_err(|e| e.to_string())?;
    let device = args.backend.device()?;
    let source = if imported.is_some() {
        SupernetSource::Own
    } else {
        supernet_source(args.supernet.as_deref(), &args.dataset, 0)?
    };
    let supernet = load_source(&source, &args.dataset, &space, &train_all, &device)?;
    let settings = train_settings(&args, method, source, space.name)?;
    let (net, record) = match &imported {
        Some((_, bytes)) => {
            let net = load_weights(&arch, bytes, &device)?;
            let (record, ..) = pollster::block_on(evaluate_network(
                &net,
                &settings,
                (&val_set, &test),
                &device,
                0.0,
            ))?;
            (net, record)
        }
        None => {
            let bar = train_bar("train");
            let mut cb = |p: &crate::model::train::Progress| {
                update_bar(&bar, p);
                Control::Continue
            };
            let trained = pollster::block_on(train_candidate(
                &arch,
                supernet.as_ref(),
                &settings,
                (&train_set, &val_set, &test),
                &device,
                &mut cb,
            ))
            .map_err(|e| e.to_string())?;
            bar.finish_and_clear();
            (trained.net.valid(), trained.record)
        }
    };
    let r = &record;
    if let Some(path) = &args.save_weights {
        save_weights(path, &net, r, &args, &train_all)?;
    }
    print_report(&arch, &settings, r, args.json)
}

/// Reads a weights file and checks it fits the dataset.
fn read_weights(
    path: &std::path::Path,
    train_all: &crate::data::Dataset,
    dataset: &str,
) -> Result<(WeightsMeta, Vec<u8>), CliError> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let meta = read_meta(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let input = (train_all.channels, train_all.height, train_all.width);
    meta.check_fits(input, train_all.classes.len(), dataset)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((meta, bytes))
}

/// The settings one candidate trains, tunes and scores with.
fn train_settings(
    args: &TrainArgs,
    method: Method,
    source: SupernetSource,
    space: crate::engine::space::SpacePreset,
) -> Result<SearchSettings, CliError> {
    Ok(SearchSettings {
        dataset: args.dataset.clone(),
        space,
        method,
        mac_target: parse_macs(&args.mac_target)?,
        exit_rule: args.rule,
        cost_convention: args.convention,
        tuning: crate::engine::tuning::TuningRule::default_for(method),
        predictor: crate::engine::surrogate::SurrogateKind::default_for(method),
        objectives: Default::default(),
        n_doe: 0,
        iterations: 0,
        per_iter: 0,
        epochs: args.epochs,
        supernet_epochs: 0,
        supernet: source,
        train_samples: args.train_samples,
        seed: args.seed,
        backend: args.backend.name().into(),
    })
}

/// Prints the per-exit table and the test figures (or them as JSON).
fn print_report(
    arch: &Architecture,
    settings: &SearchSettings,
    r: &crate::engine::results::CandidateRecord,
    json: bool,
) -> Result<(), CliError> {
    let exits: Vec<_> = (0..r.test_exit_rates.len())
        .map(|i| {
            json!({
                "position": r.exit_positions.get(i).map_or("final".to_string(), |p| format!("after stage {}", p + 1)),
                "rate": r.test_exit_rates[i],
                "accuracy": r.test_exit_accuracies[i],
                "cost": r.exit_costs[i],
                "threshold": r.thresholds.get(i),
            })
        })
        .collect();
    if json {
        let out = json!({
            "genome": r.genome.to_string(),
            "method": r.method,
            "exit_rule": r.exit_rule,
            "mac_target": settings.mac_target,
            "final_exit_accuracy": r.test_final_exit_accuracy,
            "accuracy": r.test_accuracy,
            "avg_macs": r.test_avg_macs,
            "thresholds": r.thresholds,
            "exits": exits,
            "val_accuracy": r.val_accuracy,
            "val_avg_macs": r.val_avg_macs,
            "test_accuracy": r.test_accuracy,
            "test_avg_macs": r.test_avg_macs,
            "train_seconds": r.train_seconds,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!("{}", arch.summary());
    println!(
        "{:<16} {:>9} {:>8} {:>9} {:>12}",
        "exit", "threshold", "rate", "accuracy", "cost (MACs)"
    );
    for i in 0..r.test_exit_rates.len() {
        let name = r
            .exit_positions
            .get(i)
            .map_or("final".to_string(), |p| format!("after stage {}", p + 1));
        let t = r
            .thresholds
            .get(i)
            .map_or("-".into(), |t| format!("{t:.3}"));
        let acc = r.test_exit_accuracies[i].map_or("-".into(), |a| format!("{:.2}%", 100.0 * a));
        println!(
            "{name:<16} {t:>9} {:>7.1}% {acc:>9} {:>12.0}",
            100.0 * r.test_exit_rates[i],
            r.exit_costs[i]
        );
    }
    println!(
        "test accuracy {:.2}% (final exit alone {:.2}%), avg MACs {:.0} (target {:.0}), trained in {:.1} s",
        100.0 * r.test_accuracy,
        100.0 * r.test_final_exit_accuracy,
        r.test_avg_macs,
        settings.mac_target,
        r.train_seconds
    );
    Ok(())
}

/// Writes the trained network and its tuned thresholds as a weights file.
fn save_weights(
    path: &std::path::Path,
    net: &crate::model::network::EarlyExitNet,
    r: &crate::engine::results::CandidateRecord,
    args: &TrainArgs,
    train_all: &crate::data::Dataset,
) -> Result<(), CliError> {
    let meta = WeightsMeta {
        version: WEIGHTS_VERSION,
        genome: r.genome.to_string(),
        method: r.method,
        dataset: args.dataset.clone(),
        input: (train_all.channels, train_all.height, train_all.width),
        classes: train_all.classes.len(),
        seed: args.seed,
        exit_rule: r.exit_rule,
        thresholds: r.thresholds.clone(),
    };
    let bytes = pollster::block_on(export_weights(net, &meta))?;
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("weights saved to {}", path.display());
    Ok(())
}
