//! `aebnas propose`, `aebnas evaluate` and `aebnas tell`: the search loop as three
//! commands any scheduler can drive ([`crate::engine::search`]'s ask and tell steps).
//!
//! ```text
//! aebnas propose --run run.json --mac-target 1.5M --out jobs/   # job files of the next slots
//! aebnas evaluate jobs/job-00000.json --out results/r0.json     # one network, anywhere
//! aebnas tell --run run.json results/*.json                      # into the run, in slot order
//! ```
//!
//! Repeated until `propose` writes no job, this makes the run `aebnas search` makes with
//! the same settings: proposals depend only on the settings, the seed and the outcomes
//! before them, and every figure survives the files bit for bit.

use std::path::PathBuf;

use indicatif::ProgressBar;

use super::error::CliError;
use super::evaluators::Kit;
use super::job_files::{Job, JobResult, JOB_VERSION};
use super::run_args::{backend_of, data_reference, load_run, open_run, run_data};
use super::run_args::{settings_difference, space_of, write_atomic, RunArgs};
use super::search_print::{event_line, print_front};
use crate::engine::search::{propose, tell, total_evaluations, EvalError, Evaluator, Outcome};

/// Arguments of `aebnas propose`.
#[derive(clap::Args, Debug)]
pub struct ProposeArgs {
    /// The run's results file (created from the settings flags when missing; when it
    /// exists, its settings are used and must equal the flags' if `--mac-target` is given).
    #[arg(long = "run", value_name = "RUN")]
    run_path: PathBuf,
    /// At most this many jobs (default: every pending slot of the current iteration; the
    /// next iteration needs this one's results told first).
    #[arg(short = 'k', long = "count", value_name = "K")]
    k: Option<usize>,
    /// Folder the job files are written to (`job-<slot>.json`; paths printed on stdout).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    settings: RunArgs,
}

/// Arguments of `aebnas evaluate`.
#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// A job file written by `aebnas propose`.
    job: PathBuf,
    /// The result file to write.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `aebnas tell`.
#[derive(clap::Args, Debug)]
pub struct TellArgs {
    /// The run's results file.
    #[arg(long = "run", value_name = "RUN")]
    run_path: PathBuf,
    /// Result files written by `aebnas evaluate`, in any order.
    #[arg(required = true)]
    results: Vec<PathBuf>,
}

pub fn run_propose(args: ProposeArgs) -> Result<(), CliError> {
    let (run, _, space) = open_run(&args.run_path, &args.settings)?;
    if !args.run_path.exists() {
        write_atomic(&args.run_path, &run.to_json())?;
    }
    let asked = propose(&space, &run, args.k.unwrap_or(usize::MAX)).map_err(|e| e.to_string())?;
    if asked.is_empty() {
        eprintln!(
            "{} is complete: {} evaluations",
            args.run_path.display(),
            run.evaluations_done()
        );
        return Ok(());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let data = data_reference(&run.settings.dataset);
    for proposal in asked {
        let job = Job {
            version: JOB_VERSION,
            settings: run.settings.clone(),
            data: data.clone(),
            seed: run.settings.seed,
            proposal,
        };
        let path = args.out.join(job.file_name());
        write_atomic(&path, &job.to_json())?;
        println!("{}", path.display());
    }
    Ok(())
}

pub fn run_evaluate(args: EvaluateArgs) -> Result<(), CliError> {
    let job = Job::read(&args.job)?;
    if job.seed != job.settings.seed {
        return Err(format!(
            "{}: seed {} differs from the settings' seed {}",
            args.job.display(),
            job.seed,
            job.settings.seed
        )
        .into());
    }
    let data = run_data(&job.settings, &job.data)?;
    let space = space_of(job.settings.space.name(), data.as_ref())?;
    let backend = backend_of(&job.settings)?;
    let kit = Kit::new(&job.settings, &space, data, backend, &ProgressBar::hidden())?;
    let mut evaluator = kit.build(Box::new(|_| {}));
    let p = &job.proposal;
    let outcome = match pollster::block_on(evaluator.evaluate(&p.genome, job.settings.method)) {
        Ok(record) => Outcome::Evaluated(Box::new(record)),
        Err(EvalError::Failed(reason)) => Outcome::Failed(reason),
        // No result: the scheduler runs the job again (elsewhere).
        Err(e) => return Err(format!("slot {}: {e}", p.slot).into()),
    };
    let result = JobResult {
        version: JOB_VERSION,
        settings: job.settings.clone(),
        proposal: job.proposal.clone(),
        outcome,
    };
    write_atomic(&args.out, &result.to_json())?;
    match &result.outcome {
        Outcome::Evaluated(c) => eprintln!(
            "slot {}: val {:.2}% at {:.0} MACs ({:.1} s)",
            p.slot,
            100.0 * c.val_accuracy,
            c.val_avg_macs,
            c.train_seconds
        ),
        Outcome::Failed(reason) => eprintln!("slot {}: failed: {reason}", p.slot),
    }
    Ok(())
}

pub fn run_tell(args: TellArgs) -> Result<(), CliError> {
    let mut run = load_run(&args.run_path)?;
    let data = run_data(&run.settings, &run.settings.dataset)?;
    let space = space_of(run.settings.space.name(), data.as_ref())?;
    let mut told = Vec::new();
    for path in &args.results {
        let r = JobResult::read(path)?;
        if let Some(diff) = settings_difference(&run.settings, &r.settings) {
            return Err(format!("{} belongs to another run ({diff})", path.display()).into());
        }
        told.push((r.proposal.slot, r.proposal.genome, r.outcome));
    }
    let events = tell(&space, &mut run, told).map_err(|e| e.to_string())?;
    for e in &events {
        if let Some(line) = event_line(e, &run) {
            eprintln!("{line}");
        }
    }
    write_atomic(&args.run_path, &run.to_json())?;
    let total = total_evaluations(&run.settings);
    if run.evaluations_done() < total {
        eprintln!(
            "{} of {total} evaluations; `aebnas propose --run {}` asks for the next",
            run.evaluations_done(),
            args.run_path.display()
        );
    } else {
        print_front(&run);
    }
    Ok(())
}
