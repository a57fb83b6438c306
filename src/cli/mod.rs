//! The native `aebnas` command-line tool: one file per subcommand.

mod ask_tell;
mod backend;
mod bench;
mod data;
mod error;
mod evaluators;
mod heads;
mod job_files;
mod macs;
mod report;
mod report_svg;
mod run_args;
mod search;
mod search_jobs;
mod search_print;
mod space;
mod supernet;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// AEBNAS: hardware-aware NAS for early-exit CNNs.
#[derive(Parser, Debug)]
#[command(name = "aebnas", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Inspect dataset files (IDX, CIFAR, SVHN, image folders).
    Data(data::DataArgs),
    /// Per-layer MAC table and per-exit costs of a genome.
    Macs(macs::MacsArgs),
    /// The search space: choice sets, genome length, random genomes.
    Space(space::SpaceArgs),
    /// Train one candidate, tune its thresholds, report per-exit results.
    Train(train::TrainArgs),
    /// Train the weight-sharing supernet and save it.
    Supernet(supernet::SupernetArgs),
    /// Run (or --resume) a search; checkpoints the results file after every evaluation.
    Search(search::SearchArgs),
    /// Write job files for the next evaluations of a run (creating the run if needed).
    Propose(ask_tell::ProposeArgs),
    /// Evaluate one job file (train, tune, score one network) into a result file.
    Evaluate(ask_tell::EvaluateArgs),
    /// Add result files to a run: archive, Pareto front, hypervolume.
    Tell(ask_tell::TellArgs),
    /// The head comparison: each AEBNAS front backbone with searched and fixed heads.
    Heads(heads::HeadsArgs),
    /// Compare results files: table and SVG Pareto plot.
    Report(report::ReportArgs),
    /// Benchmark: training throughput of one genome (samples/s) as JSON.
    BenchTrain(bench::BenchArgs),
}

/// Parses the command line and runs the subcommand; errors print one line and exit 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Data(args) => data::run(args),
        Command::Macs(args) => macs::run(args),
        Command::Space(args) => space::run(args),
        Command::Train(args) => train::run(args),
        Command::Supernet(args) => supernet::run_supernet(args),
        Command::Search(args) => search::run(args),
        Command::Propose(args) => ask_tell::run_propose(args),
        Command::Evaluate(args) => ask_tell::run_evaluate(args),
        Command::Tell(args) => ask_tell::run_tell(args),
        Command::Heads(args) => heads::run(args),
        Command::Report(args) => report::run(args),
        Command::BenchTrain(args) => bench::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
