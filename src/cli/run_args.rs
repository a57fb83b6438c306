//! What defines a run on the command line, shared by `aebnas search` and `aebnas
//! propose`: the settings flags ([`RunArgs`]), the run file (read, atomic write, compared
//! settings), and the run's data and search space.

use std::path::{Path, PathBuf};

use super::backend::BackendArg;
use super::error::CliError;
use crate::data::{Dataset, Shipped};
use crate::engine::exits::ExitRule;
use crate::engine::objectives::{parse_macs, ObjectiveSet};
use crate::engine::results::{CostConvention, RunResults, SearchSettings, SupernetSource};
use crate::engine::space::{Method, SearchSpace};
use crate::engine::surrogate::SurrogateKind;
use crate::engine::tuning::TuningRule;

/// The settings of a run.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// `fashion-mnist`, `mnist`, or a dataset file/folder.
    #[arg(long, default_value = "fashion-mnist")]
    pub dataset: String,
    /// Search method: aebnas, edanas, nachos, sdn, random.
    #[arg(long, default_value = "aebnas")]
    pub method: Method,
    /// MAC target `T` (`2M`, `500k`, `1.5M` or a number); needed to start a run.
    #[arg(long)]
    pub mac_target: Option<String>,
    /// Seed of everything.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Random genomes evaluated first.
    #[arg(long, default_value_t = 8)]
    pub doe: usize,
    /// Surrogate-assisted iterations.
    #[arg(long, default_value_t = 3)]
    pub iterations: usize,
    /// Candidates trained per iteration (`K`).
    #[arg(long, default_value_t = 4)]
    pub per_iter: usize,
    /// Fine-tuning epochs per candidate.
    #[arg(long, default_value_t = 1)]
    pub epochs: usize,
    /// Epochs of supernet training before the search (with `--supernet none`; 0 = every
    /// candidate from scratch).
    #[arg(long, default_value_t = 0)]
    pub supernet_epochs: usize,
    /// Backbone weights of the candidates: `shipped` (the pre-trained supernet of a shipped
    /// dataset; the default for those), a supernet FILE (`aebnas supernet --out`), or
    /// `none` (train from scratch, or a supernet of the run's own with
    /// `--supernet-epochs`; the default for other datasets).
    #[arg(long)]
    pub supernet: Option<String>,
    /// Cap on training samples per epoch.
    #[arg(long)]
    pub train_samples: Option<usize>,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "cpu")]
    pub backend: BackendArg,
    /// Threshold tuning on the validation split: grid (AEBNAS's {0.1, 0.2, 1.0}),
    /// cut-points (all cut points, AEBNAS score) or max-accuracy (best accuracy under the
    /// target). Default: grid for aebnas and random, cut-points for the others.
    #[arg(long)]
    pub tuning: Option<TuningRule>,
    /// Predictor of the surrogate-assisted iterations: mlp, rbf or ridge (default: mlp for
    /// aebnas, rbf for the others).
    #[arg(long)]
    pub predictor: Option<SurrogateKind>,
    /// Confidence rule (default: the method's — max_softmax for sdn, else margin).
    #[arg(long)]
    pub rule: Option<ExitRule>,
    /// Exit cost convention (`cumulative` or `taken_head`).
    #[arg(long, default_value = "cumulative")]
    pub convention: CostConvention,
    /// Objective pair (default: edanas for the edanas method, else aebnas).
    #[arg(long)]
    pub objectives: Option<ObjectiveSet>,
    /// Search space preset.
    #[arg(long, default_value = "browser")]
    pub space: String,
    /// Testing: a synthetic evaluator (known function of the genome) instead of training.
    #[arg(long, hide = true)]
    pub synthetic: bool,
}

/// `backend` of the settings of a synthetic run (no training, no data).
pub const SYNTHETIC: &str = "synthetic";

impl RunArgs {
    /// The settings these flags describe in `space`.
    pub fn settings(&self, space: &SearchSpace) -> Result<SearchSettings, CliError> {
        let target = self
            .mac_target
            .as_deref()
            .ok_or_else(|| CliError::Usage("--mac-target is needed to start a run".into()))?;
        let method = self.method;
        Ok(SearchSettings {
            dataset: self.dataset.clone(),
            space: space.name,
            method,
            mac_target: parse_macs(target)?,
            exit_rule: self.rule.unwrap_or(method.default_exit_rule()),
            cost_convention: self.convention,
            tuning: self.tuning.unwrap_or(TuningRule::default_for(method)),
            predictor: self.predictor.unwrap_or(SurrogateKind::default_for(method)),
            objectives: self.objectives.unwrap_or(ObjectiveSet::default_for(method)),
            n_doe: self.doe,
            iterations: self.iterations,
            per_iter: self.per_iter,
            epochs: self.epochs,
            supernet_epochs: self.supernet_epochs,
            supernet: self.supernet_source()?,
            train_samples: self.train_samples,
            seed: self.seed,
            backend: if self.synthetic {
                SYNTHETIC.into()
            } else {
                self.backend.name().into()
            },
        })
    }

    /// Where the candidates' backbones come from (see `--supernet`).
    pub fn supernet_source(&self) -> Result<SupernetSource, CliError> {
        if self.synthetic {
            return Ok(SupernetSource::Own);
        }
        super::supernet::supernet_source(
            self.supernet.as_deref(),
            &self.dataset,
            self.supernet_epochs,
        )
    }

    /// The data these flags name (`None` for a synthetic run).
    pub fn data(&self) -> Result<Option<Data>, CliError> {
        if self.synthetic {
            return Ok(None);
        }
        Ok(Some(crate::data::load_dataset_arg(&self.dataset)?))
    }
}

/// Train and test sets of a real run.
pub type Data = (Dataset, Dataset);

/// The data of a run with these settings, read from `reference` (a shipped id or a
/// path; `None` for a synthetic run).
pub fn run_data(settings: &SearchSettings, reference: &str) -> Result<Option<Data>, CliError> {
    if settings.backend == SYNTHETIC {
        return Ok(None);
    }
    Ok(Some(crate::data::load_dataset_arg(reference)?))
}

/// Where another process (another directory, another machine with the same files) finds
/// the dataset `arg`: a shipped id as it is, a path made absolute.
pub fn data_reference(arg: &str) -> String {
    if Shipped::from_id(arg).is_some() {
        return arg.to_owned();
    }
    std::fs::canonicalize(arg).map_or_else(|_| arg.to_owned(), |p| p.display().to_string())
}

/// The search space named `name`: the browser preset sized to the data's images.
pub fn space_of(name: &str, data: Option<&Data>) -> Result<SearchSpace, CliError> {
    match (name, data) {
        ("browser", Some((train, _))) => Ok(SearchSpace::browser(
            train.channels,
            train.height,
            train.classes.len(),
        )),
        (other, _) => SearchSpace::by_name(other).map_err(|e| CliError::Usage(e.to_string())),
    }
}

/// The backend a run's settings name.
pub fn backend_of(settings: &SearchSettings) -> Result<BackendArg, CliError> {
    match settings.backend.as_str() {
        "cpu" | SYNTHETIC => Ok(BackendArg::Cpu),
        "wgpu" => Ok(BackendArg::Wgpu),
        other => Err(
            format!("this run trained on '{other}', which aebnas cannot use (cpu, wgpu)").into(),
        ),
    }
}

/// Writes `text` to `path` atomically: `<path>.tmp`, fsync, rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), CliError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let fail = |e: std::io::Error| CliError::write(path, e);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(fail)?;
        f.write_all(text.as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}

/// Reads and validates a results file.
pub fn load_run(path: &Path) -> Result<RunResults, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::read(path, e))?;
    RunResults::from_json(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// The first setting that differs, as `"seed: file has 1, command line has 2"`.
pub fn settings_difference(file: &SearchSettings, now: &SearchSettings) -> Option<String> {
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

/// The run in `path` when it exists (its settings must equal those of `args` when they
/// name a MAC target), else a new run from `args`; with the run's data and space.
pub fn open_run(
    path: &Path,
    args: &RunArgs,
) -> Result<(RunResults, Option<Data>, SearchSpace), CliError> {
    if !path.exists() {
        let data = args.data()?;
        let space = space_of(&args.space, data.as_ref())?;
        let settings = args.settings(&space)?;
        return Ok((RunResults::new(settings), data, space));
    }
    let run = load_run(path)?;
    let data = run_data(&run.settings, &run.settings.dataset)?;
    let space = space_of(run.settings.space.name(), data.as_ref())?;
    if args.mac_target.is_some() {
        let now = args.settings(&space)?;
        if let Some(diff) = settings_difference(&run.settings, &now) {
            return Err(format!("{} was made with other settings ({diff})", path.display()).into());
        }
    }
    Ok((run, data, space))
}
