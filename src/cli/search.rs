//! `aebnas search`: runs or resumes one AEBNAS / baseline search on the ask and tell
//! steps of [`crate::engine::search`], evaluating each iteration's candidates on `--jobs`
//! workers side by side ([`super::search_jobs`]), with progress bars on stderr;
//! checkpoints the results file after every evaluation (`run.json.tmp` written, then
//! renamed over `run.json`: a half-written file never replaces a good one, so killing the
//! process loses at most the candidates in training), and prints the final Pareto table on
//! stdout.

use std::path::PathBuf;
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::backend::{train_bar, update_bar};
use super::error::CliError;
use super::evaluators::Kit;
use super::run_args::{backend_of, open_run, write_atomic, Data, RunArgs};
use super::search_jobs::run_jobs;
use super::search_print::{event_line, json_summary, print_front};
use crate::engine::cache_codec::{run_file, CompactCache};
use crate::engine::results::RunResults;
use crate::engine::search::SearchEvent;
use crate::engine::space::SearchSpace;
use crate::engine::units::format_macs;
use crate::model::candidate::CacheSink;
use crate::model::train::Progress;

/// Workers of `--jobs` when none is given: on the 2-core machine the README measures, two
/// evaluations side by side finish a search sooner than one at a time with burn's own
/// thread pool on both cores (`bench/native-jobs.sh`).
pub const DEFAULT_JOBS: usize = 2;

/// Arguments of `aebnas search`.
#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Results file (checkpointed after every evaluation).
    #[arg(long, default_value = "run.json")]
    out: PathBuf,
    /// Continue the run in `--out` (its settings must match these; without
    /// `--mac-target` they are the file's).
    #[arg(long)]
    resume: bool,
    /// Candidates evaluated side by side (worker threads; the run is the same for any
    /// number). Default: 2, or 1 on a single core.
    #[arg(long)]
    jobs: Option<usize>,
    /// Print a JSON summary (evaluations, distinct networks, wall time, the candidate
    /// validation chooses under the target with its test figures) instead of the front.
    #[arg(long)]
    json: bool,
    /// Also write the page's run file to this path: the results plus each candidate's
    /// test exit cache, so the page's sliders work on it at once (import it in the page,
    /// or ship it as an example run). Candidates of an earlier session of a resumed run
    /// have no cache there (the page re-evaluates them on demand).
    #[arg(long)]
    page_run: Option<PathBuf>,
    /// Testing: stop after this many new evaluations (as if interrupted).
    #[arg(long, hide = true)]
    stop_after: Option<usize>,
}

/// The run to continue (`--resume` and `--out` exists) or a new one, with its data and
/// space.
fn open(args: &SearchArgs) -> Result<(RunResults, Option<Data>, SearchSpace), CliError> {
    let exists = args.out.exists();
    if exists && !args.resume {
        return Err(format!(
            "{} exists: pass --resume to continue it, or choose another --out",
            args.out.display()
        )
        .into());
    }
    let opened = open_run(&args.out, &args.run)?;
    if exists {
        eprintln!(
            "resuming {}: {} evaluations done",
            args.out.display(),
            opened.0.evaluations_done()
        );
    }
    Ok(opened)
}

pub fn run(args: SearchArgs) -> Result<(), CliError> {
    let jobs = args.jobs.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        DEFAULT_JOBS.min(cores)
    });
    if jobs == 0 {
        return Err(CliError::Usage("--jobs must be at least 1".into()));
    }
    let (mut run, data, space) = open(&args)?;
    let settings = run.settings.clone();
    let (_multi, overall, training) = progress_bars(jobs);
    let complete = run.evaluations_done() >= crate::engine::search::total_evaluations(&settings);
    // Finished runs have nothing left to train: no data and no supernet needed.
    let data = data.filter(|_| !complete);
    let backend = backend_of(&settings)?;
    let sink = CacheSink::default();
    let kit = Kit::new(&settings, &space, data, backend, &training)?;
    let kit = match args.page_run {
        Some(_) => kit.keeping_test_caches(sink.clone()),
        None => kit,
    };
    training.set_prefix("train");
    let bar = training.clone();
    let progress = move |_worker: usize| -> Box<dyn FnMut(&Progress)> {
        let bar = bar.clone();
        Box::new(move |p: &Progress| update_bar(&bar, p))
    };
    let started = Instant::now();
    let base_wall = run.wall_seconds;
    let mut events = Events {
        overall: overall.clone(),
        training: training.clone(),
        out: args.out.clone(),
        started,
        base_wall,
        new_evaluations: 0,
        stop_after: args.stop_after,
        failure: None,
    };
    let mut on_event = |e: &SearchEvent, r: &RunResults| events.on(e, r);
    let result = run_jobs(&mut run, &space, &kit, jobs, &progress, &mut on_event);
    training.finish_and_clear();
    overall.finish_and_clear();
    run.wall_seconds = base_wall + started.elapsed().as_secs_f64();
    // Write what is done even when the loop failed (an evaluator error, a mismatch).
    if events.failure.is_none() && run.evaluations_done() > 0 {
        write_atomic(&args.out, &run.to_json())?;
    }
    if let Some(msg) = events.failure.take() {
        return Err(msg);
    }
    result.map_err(|e| e.to_string())?;
    if let Some(path) = &args.page_run {
        write_atomic(path, &page_run(&run, &sink))?;
    }
    print_outcome(&run, args.json)
}

/// What the search loop's events do here: the bars, a line per evaluation and iteration,
/// a checkpoint of the results file after each, and the `--stop-after` count.
struct Events {
    overall: ProgressBar,
    training: ProgressBar,
    out: PathBuf,
    started: Instant,
    base_wall: f64,
    new_evaluations: usize,
    stop_after: Option<usize>,
    /// Why the loop was stopped (a checkpoint that could not be written).
    failure: Option<CliError>,
}

impl Events {
    /// Writes the results so far (`.tmp`, then renamed).
    fn checkpoint(&mut self, r: &RunResults) -> bool {
        let mut snapshot = r.clone();
        snapshot.wall_seconds = self.base_wall + self.started.elapsed().as_secs_f64();
        match write_atomic(&self.out, &snapshot.to_json()) {
            Ok(()) => true,
            Err(msg) => {
                self.failure = Some(msg);
                false
            }
        }
    }

    /// Handles one event; `false` stops the loop.
    fn on(&mut self, e: &SearchEvent, r: &RunResults) -> bool {
        match e {
            SearchEvent::Started { total, done } => {
                self.overall.set_length(*total as u64);
                self.overall.set_position(*done as u64);
            }
            SearchEvent::Evaluating {
                index,
                iteration,
                predicted,
                ..
            } => {
                let what = if *iteration == 0 {
                    "DOE".to_string()
                } else {
                    format!("iteration {iteration}")
                };
                let pred = predicted.map_or(String::new(), |[a, m]| {
                    format!(", predicted {:.2}% at {}", 100.0 * a, format_macs(m))
                });
                self.overall
                    .set_message(format!("{what}: candidate {}{pred}", index + 1));
                self.training.reset();
            }
            SearchEvent::Evaluated { .. } | SearchEvent::Failed { .. } => {
                self.overall.inc(1);
                self.new_evaluations += 1;
                if let Some(line) = event_line(e, r) {
                    self.overall.println(line);
                }
                if !self.checkpoint(r) {
                    return false;
                }
                if self.stop_after.is_some_and(|k| self.new_evaluations >= k) {
                    return false;
                }
            }
            SearchEvent::IterationDone { .. } => {
                if let Some(line) = event_line(e, r) {
                    self.overall.println(line);
                }
                return self.checkpoint(r);
            }
            SearchEvent::Finished => {}
        }
        true
    }
}

/// The overall bar and, with one worker, the training bar below it (with more, the
/// overall bar says enough).
fn progress_bars(jobs: usize) -> (MultiProgress, ProgressBar, ProgressBar) {
    let multi = MultiProgress::new();
    let overall = multi.add(ProgressBar::new(0));
    overall.set_style(
        ProgressStyle::with_template(
            "{prefix:>10} [{bar:30}] {pos}/{len} evaluations  {msg}  ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    overall.set_prefix("search");
    let training = if jobs == 1 {
        multi.add(train_bar("train"))
    } else {
        ProgressBar::hidden()
    };
    (multi, overall, training)
}

/// The front (or the JSON summary) on stdout; failed candidates and an unfinished run
/// on stderr.
fn print_outcome(run: &RunResults, json: bool) -> Result<(), CliError> {
    if json {
        let text = serde_json::to_string_pretty(&json_summary(run)).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_front(run);
    }
    let total = crate::engine::search::total_evaluations(&run.settings);
    if !run.failed.is_empty() {
        eprintln!(
            "{} candidates failed and are recorded in the results' \"failed\" list",
            run.failed.len()
        );
    }
    if run.evaluations_done() < total {
        eprintln!(
            "stopped after {} of {total} evaluations; rerun with --resume to continue",
            run.evaluations_done()
        );
    }
    Ok(())
}

/// The page's run file of `run`: its results with the test cache of every archive member
/// the sink holds (matched by canonical genome).
fn page_run(run: &RunResults, sink: &CacheSink) -> String {
    let guard = sink.lock();
    let kept = guard.as_deref().map_or(&[][..], |v| v.as_slice());
    let caches = run
        .archive
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (_, cache) = kept.iter().find(|(g, _)| *g == r.genome)?;
            Some((i, CompactCache::encode(cache)))
        })
        .collect();
    run_file(run, &caches)
}
