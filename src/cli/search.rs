//! `aebnas search`: runs or resumes one AEBNAS / baseline search
//! ([`crate::engine::search::run_search`]) with progress bars on stderr, checkpoints the
//! results file after every evaluation (`run.json.tmp` written, then renamed over
//! `run.json`: a half-written file never replaces a good one, so killing the process loses
//! at most the candidate in training), and prints the final Pareto table on stdout.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::backend::{train_bar, update_bar, BackendArg};
use super::search_print::print_front;
use super::search_print::taus_line;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::engine::objectives::{parse_macs, ObjectiveSet};
use crate::engine::results::{CandidateRecord, CostConvention, RunResults, SearchSettings};
use crate::engine::search::synthetic::SyntheticEvaluator;
use crate::engine::search::{format_macs, run_search, EvalError, Evaluator, SearchEvent};
use crate::engine::space::{Method, SearchSpace};
use crate::engine::surrogate::SurrogateKind;
use crate::engine::tuning::TuningRule;
use crate::model::candidate::Pipeline;

/// Arguments of `aebnas search`.
#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// `fashion-mnist`, `mnist`, or a dataset file/folder.
    #[arg(long, default_value = "fashion-mnist")]
    dataset: String,
    /// Search method: aebnas, edanas, nachos, sdn, random.
    #[arg(long, default_value = "aebnas")]
    method: Method,
    /// MAC target `T` (`2M`, `500k`, `1.5M` or a number).
    #[arg(long)]
    mac_target: String,
    /// Seed of everything.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Random genomes evaluated first.
    #[arg(long, default_value_t = 8)]
    doe: usize,
    /// Surrogate-assisted iterations.
    #[arg(long, default_value_t = 3)]
    iterations: usize,
    /// Candidates trained per iteration (`K`).
    #[arg(long, default_value_t = 4)]
    per_iter: usize,
    /// Fine-tuning epochs per candidate.
    #[arg(long, default_value_t = 1)]
    epochs: usize,
    /// Epochs of supernet training before the search (0 = candidates from scratch).
    #[arg(long, default_value_t = 0)]
    supernet_epochs: usize,
    /// Cap on training samples per epoch.
    #[arg(long)]
    train_samples: Option<usize>,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "cpu")]
    backend: BackendArg,
    /// Threshold tuning on the validation split: grid (AEBNAS's {0.1, 0.2, 1.0}),
    /// cut-points (all cut points, AEBNAS score) or max-accuracy (best accuracy under the
    /// target). Default: grid for aebnas and random, cut-points for the others.
    #[arg(long)]
    tuning: Option<TuningRule>,
    /// Predictor of the surrogate-assisted iterations: mlp, rbf or ridge (default: mlp for
    /// aebnas, rbf for the others).
    #[arg(long)]
    predictor: Option<SurrogateKind>,
    /// Confidence rule (default: the method's — max_softmax for sdn, else margin).
    #[arg(long)]
    rule: Option<ExitRule>,
    /// Exit cost convention (`cumulative` or `taken_head`).
    #[arg(long, default_value = "cumulative")]
    convention: CostConvention,
    /// Objective pair (default: edanas for the edanas method, else aebnas).
    #[arg(long)]
    objectives: Option<ObjectiveSet>,
    /// Search space preset.
    #[arg(long, default_value = "browser")]
    space: String,
    /// Results file (checkpointed after every evaluation).
    #[arg(long, default_value = "run.json")]
    out: PathBuf,
    /// Continue the run in `--out` (its settings must match these).
    #[arg(long)]
    resume: bool,
    /// Testing: a synthetic evaluator (known function of the genome) instead of training.
    #[arg(long, hide = true)]
    synthetic: bool,
    /// Testing: stop after this many new evaluations (as if interrupted).
    #[arg(long, hide = true)]
    stop_after: Option<usize>,
}

/// The evaluators the CLI can drive (one value per run: the size difference is harmless).
#[allow(clippy::large_enum_variant)]
enum AnyEvaluator {
    Synthetic(SyntheticEvaluator),
    Pipeline(Box<Pipeline>),
}

impl Evaluator for AnyEvaluator {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        match self {
            AnyEvaluator::Synthetic(e) => e.evaluate(genome, method).await,
            AnyEvaluator::Pipeline(p) => p.evaluate(genome, method).await,
        }
    }
}

/// Writes `text` to `path` atomically: `<path>.tmp`, fsync, rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(fail)?;
        f.write_all(text.as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}

/// Reads and validates a results file.
pub fn load_run(path: &Path) -> Result<RunResults, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    RunResults::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The first setting that differs, as `"seed: file has 1, command line has 2"`.
fn settings_difference(file: &SearchSettings, now: &SearchSettings) -> Option<String> {
    let (a, b) = (
        serde_json::to_value(file).ok()?,
        serde_json::to_value(now).ok()?,
    );
    let (a, b) = (a.as_object()?, b.as_object()?);
    a.iter().find(|(k, v)| b.get(*k) != Some(*v)).map(|(k, v)| {
        format!(
            "{k}: file has {v}, command line has {}",
            b.get(k).map_or("nothing".into(), |x| x.to_string())
        )
    })
}

fn settings_of(args: &SearchArgs, space: &SearchSpace) -> Result<SearchSettings, String> {
    let default_rule = args
        .method
        .default_exit_rule_name()
        .parse::<ExitRule>()
        .unwrap_or_default();
    let default_objectives = if args.method == Method::Edanas {
        ObjectiveSet::Edanas
    } else {
        ObjectiveSet::Aebnas
    };
    Ok(SearchSettings {
        dataset: args.dataset.clone(),
        space: space.name.clone(),
        method: args.method,
        mac_target: parse_macs(&args.mac_target)?,
        exit_rule: args.rule.unwrap_or(default_rule),
        cost_convention: args.convention,
        tuning: args.tuning.unwrap_or(TuningRule::default_for(args.method)),
        predictor: args
            .predictor
            .unwrap_or(SurrogateKind::default_for(args.method)),
        objectives: args.objectives.unwrap_or(default_objectives),
        n_doe: args.doe,
        iterations: args.iterations,
        per_iter: args.per_iter,
        epochs: args.epochs,
        supernet_epochs: args.supernet_epochs,
        train_samples: args.train_samples,
        seed: args.seed,
        backend: if args.synthetic {
            "synthetic".into()
        } else {
            args.backend.name().into()
        },
    })
}

/// Train and test sets of a real run.
type Data = (crate::data::Dataset, crate::data::Dataset);

/// The search space of `args`: the browser preset sized to the dataset's images.
fn space_of(args: &SearchArgs, data: Option<&Data>) -> Result<SearchSpace, String> {
    match (args.space.as_str(), data) {
        ("browser", Some((train, _))) => Ok(SearchSpace::browser(
            train.channels,
            train.height,
            train.classes.len(),
        )),
        (other, _) => SearchSpace::by_name(other),
    }
}

fn pipeline(
    args: &SearchArgs,
    (train_all, test): Data,
    settings: &SearchSettings,
    space: &SearchSpace,
    bar: ProgressBar,
) -> Result<Pipeline, String> {
    // The same validation hold-out as `aebnas train`, class-stratified.
    let (train, val) = train_all
        .split(super::train::VAL_FRACTION, settings.seed)
        .map_err(|e| e.to_string())?;
    let device = args.backend.device()?;
    if settings.supernet_epochs > 0 {
        bar.set_prefix("supernet");
    }
    let on_progress = Box::new(move |p: &crate::model::train::Progress| update_bar(&bar, p));
    pollster::block_on(Pipeline::new(
        settings,
        space,
        train,
        val,
        test,
        device,
        on_progress,
    ))
}

pub fn run(args: SearchArgs) -> Result<(), String> {
    let data = if args.synthetic {
        None
    } else {
        Some(crate::data::load_dataset_arg(&args.dataset)?)
    };
    let space = space_of(&args, data.as_ref())?;
    let settings = settings_of(&args, &space)?;
    let mut run = if args.resume && args.out.exists() {
        let run = load_run(&args.out)?;
        if let Some(diff) = settings_difference(&run.settings, &settings) {
            return Err(format!(
                "{} was made with other settings ({diff})",
                args.out.display()
            ));
        }
        eprintln!(
            "resuming {}: {} evaluations done",
            args.out.display(),
            run.evaluations_done()
        );
        run
    } else {
        if args.out.exists() && !args.resume {
            return Err(format!(
                "{} exists: pass --resume to continue it, or choose another --out",
                args.out.display()
            ));
        }
        RunResults::new(settings.clone())
    };
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
    let training = multi.add(train_bar("train"));
    let complete = run.evaluations_done() >= crate::engine::search::total_evaluations(&settings);
    let mut evaluator = match data.filter(|_| !complete) {
        // Synthetic runs, and finished runs (nothing left to train: no supernet needed).
        None => AnyEvaluator::Synthetic(SyntheticEvaluator::new(
            space.clone(),
            settings.cost_convention,
            settings.exit_rule,
        )),
        Some(data) => AnyEvaluator::Pipeline(Box::new(pipeline(
            &args,
            data,
            &settings,
            &space,
            training.clone(),
        )?)),
    };
    training.set_prefix("train");
    let started = Instant::now();
    let base_wall = run.wall_seconds;
    let failure: Rc<RefCell<Option<String>>> = Rc::default();
    let mut new_evaluations = 0usize;
    let out = args.out.clone();
    let checkpoint = |r: &RunResults| -> Result<(), String> {
        let mut snapshot = r.clone();
        snapshot.wall_seconds = base_wall + started.elapsed().as_secs_f64();
        write_atomic(&out, &snapshot.to_json())
    };
    let mut on_event = |e: &SearchEvent, r: &RunResults| -> bool {
        match e {
            SearchEvent::Started { total, done } => {
                overall.set_length(*total as u64);
                overall.set_position(*done as u64);
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
                overall.set_message(format!("{what}: candidate {}{pred}", index + 1));
                training.reset();
            }
            SearchEvent::Evaluated { index, .. } => {
                overall.inc(1);
                new_evaluations += 1;
                if let Some(c) = r.archive.get(*index) {
                    overall.println(format!(
                        "#{:<3} it {} val {:6.2}% at {:>8}  test {:6.2}% at {:>8}  exits {:?}  {:.1} s",
                        index + 1,
                        c.iteration,
                        100.0 * c.val_accuracy,
                        format_macs(c.val_avg_macs),
                        100.0 * c.test_accuracy,
                        format_macs(c.test_avg_macs),
                        c.exit_positions.iter().map(|p| p + 1).collect::<Vec<_>>(),
                        c.train_seconds
                    ));
                }
                if let Err(msg) = checkpoint(r) {
                    *failure.borrow_mut() = Some(msg);
                    return false;
                }
                if args.stop_after.is_some_and(|k| new_evaluations >= k) {
                    return false;
                }
            }
            SearchEvent::Failed { slot, reason, .. } => {
                overall.inc(1);
                new_evaluations += 1;
                overall.println(format!("#{:<3} failed: {reason}", slot + 1));
                if let Err(msg) = checkpoint(r) {
                    *failure.borrow_mut() = Some(msg);
                    return false;
                }
                if args.stop_after.is_some_and(|k| new_evaluations >= k) {
                    return false;
                }
            }
            SearchEvent::IterationDone {
                iteration,
                hypervolume,
                duplicates_skipped,
            } => {
                let tau = r.iterations.last().map_or(String::new(), taus_line);
                let dup = match duplicates_skipped {
                    0 => String::new(),
                    n => format!(
                        "  ({n} duplicate network{} skipped before training)",
                        if *n == 1 { "" } else { "s" }
                    ),
                };
                overall.println(format!(
                    "iteration {iteration} done: hypervolume {hypervolume:.6e}{tau}{dup}"
                ));
                if let Err(msg) = checkpoint(r) {
                    *failure.borrow_mut() = Some(msg);
                    return false;
                }
            }
            SearchEvent::Finished => {}
        }
        true
    };
    let result = pollster::block_on(run_search(&mut run, &space, &mut evaluator, &mut on_event));
    training.finish_and_clear();
    overall.finish_and_clear();
    run.wall_seconds = base_wall + started.elapsed().as_secs_f64();
    // Write what is done even when the loop failed (an evaluator error, a mismatch).
    if failure.borrow().is_none() && run.evaluations_done() > 0 {
        write_atomic(&args.out, &run.to_json())?;
    }
    if let Some(msg) = failure.borrow_mut().take() {
        return Err(msg);
    }
    result.map_err(|e| e.to_string())?;
    print_front(&run);
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
