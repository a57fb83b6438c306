//! `aebnas supernet`: trains the weight-sharing supernet and saves it (a burn record with
//! its description, `model::supernet_file`), or checks a saved one (`--check`: the test
//! accuracy of its largest and smallest subnets after batch-norm recalibration); and which
//! supernet a run's candidates inherit (`--supernet shipped|FILE|none`).

use std::path::PathBuf;

use burn::module::Module;
use serde_json::json;

use super::backend::{train_bar, update_bar, BackendArg};
use super::error::CliError;
use crate::data::{load_dataset_arg, shipped_dir, Dataset, Shipped};
use crate::engine::arch::Architecture;
use crate::engine::genome::GenomeLayout;
use crate::engine::results::SupernetSource;
use crate::engine::space::{Method, SearchSpace};
use crate::model::candidate::supernet_train_config;
use crate::model::sandwich::train_supernet;
use crate::model::subnet_eval::{accuracy, subnet_predictions};
use crate::model::supernet::{largest_genome, smallest_genome, Supernet};
use crate::model::supernet_file::{
    supernet_from_bytes, supernet_to_bytes, SupernetMeta, SUPERNET_VERSION,
};
use crate::model::train::Control;

/// Test images whose predictions `--check` prints (the shipped file's known batch).
pub const CHECK_PREDICTIONS: usize = 32;

/// Arguments of `aebnas supernet`.
#[derive(clap::Args, Debug)]
pub struct SupernetArgs {
    /// `fashion-mnist`, `mnist`, or a dataset file/folder.
    #[arg(long, default_value = "fashion-mnist")]
    dataset: String,
    /// Epochs of sandwich training.
    #[arg(long, default_value_t = 2)]
    epochs: usize,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "cpu")]
    backend: BackendArg,
    /// Output record file.
    #[arg(long, default_value = "supernet.bpk")]
    out: PathBuf,
    /// Instead of training: check this supernet file (`shipped` = the dataset's shipped
    /// one) on the dataset and print JSON.
    #[arg(long)]
    check: Option<String>,
}

/// `--supernet` of `search`, `propose` and `train` as a source: `None` = the default
/// (the shipped supernet for a shipped dataset unless `--supernet-epochs` asks for one of
/// the run's own, else none).
pub fn supernet_source(
    arg: Option<&str>,
    dataset: &str,
    supernet_epochs: usize,
) -> Result<SupernetSource, CliError> {
    let shipped = Shipped::from_id(dataset).is_some();
    let source = match arg {
        None if shipped && supernet_epochs == 0 => SupernetSource::Shipped,
        None | Some("none") => SupernetSource::Own,
        Some("shipped") if shipped => SupernetSource::Shipped,
        Some("shipped") => {
            return Err(CliError::Usage(format!(
                "--supernet shipped: no supernet ships for {dataset}; train one with `aebnas supernet` and pass its file, or use --supernet none"
            )))
        }
        Some(file) => SupernetSource::File(file.to_string()),
    };
    if source != SupernetSource::Own && supernet_epochs > 0 {
        return Err(CliError::Usage(
            "--supernet-epochs trains a supernet of the run's own: use it with --supernet none"
                .into(),
        ));
    }
    Ok(source)
}

/// The file a source names for `dataset` (`None` for [`SupernetSource::Own`]).
fn source_path(source: &SupernetSource, dataset: &str) -> Result<Option<PathBuf>, CliError> {
    Ok(match source {
        SupernetSource::Own => None,
        SupernetSource::File(f) => Some(PathBuf::from(f)),
        SupernetSource::Shipped => {
            let ds = Shipped::from_id(dataset)
                .ok_or_else(|| format!("no supernet ships for {dataset}"))?;
            let file = ds.supernet_file();
            let dir = shipped_dir(&file).ok_or_else(|| {
                format!(
                    "{}/{file} not found (run scripts/train-supernets)",
                    Shipped::DIR
                )
            })?;
            Some(dir.join(file))
        }
    })
}

/// Loads the supernet `source` names for `data` (train split), on `device`.
pub fn load_source(
    source: &SupernetSource,
    dataset: &str,
    space: &SearchSpace,
    data: &Dataset,
    device: &burn::tensor::Device,
) -> Result<Option<Supernet>, CliError> {
    let Some(path) = source_path(source, dataset)? else {
        return Ok(None);
    };
    let len = std::fs::metadata(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if len > crate::model::meta::MAX_WEIGHTS_BYTES as u64 {
        return Err(format!(
            "{}: {len} bytes is larger than any supernet",
            path.display()
        )
        .into());
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let input = (data.channels, data.height, data.width);
    let (s, _) = supernet_from_bytes(&bytes, space, (input, data.classes.len()), device)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some(s))
}

/// A dataset argument as the supernet file names it: a shipped id, or the file or folder
/// name without its directory.
fn dataset_label(arg: &str) -> String {
    let p = std::path::Path::new(arg);
    (p.file_name().and_then(|n| n.to_str()))
        .unwrap_or(arg)
        .to_string()
}

pub fn run_supernet(args: SupernetArgs) -> Result<(), CliError> {
    let (train_all, test) = load_dataset_arg(&args.dataset).map_err(|e| e.to_string())?;
    let space = SearchSpace::browser(
        train_all.channels,
        train_all.height,
        train_all.classes.len(),
    );
    let device = args.backend.device()?;
    if let Some(check) = &args.check {
        let source = supernet_source(Some(check), &args.dataset, 0)?;
        let s = load_source(&source, &args.dataset, &space, &train_all, &device)?
            .ok_or_else(|| CliError::Usage("--check needs a supernet file".into()))?;
        return check_supernet(&s, &space, &train_all, &test, &device);
    }
    let config = supernet_train_config(args.epochs, args.seed, None);
    let bar = train_bar("supernet");
    // Without a terminal the bar is hidden: a line per epoch shows a long run is alive.
    let mut cb = |p: &crate::model::train::Progress| {
        update_bar(&bar, p);
        if bar.is_hidden()
            && p.step
                .is_multiple_of((p.total_steps / args.epochs.max(1)).max(1))
        {
            let left = p.elapsed / p.step as f64 * (p.total_steps - p.step) as f64;
            eprintln!(
                "supernet: epoch {}/{} done after {:.0} s (loss {:.3}, {:.0} samples/s; about {:.0} s left)",
                p.epoch + 1,
                args.epochs,
                p.elapsed,
                p.loss,
                p.samples_per_sec,
                left
            );
        }
        Control::Continue
    };
    let (supernet, stats) = pollster::block_on(train_supernet(
        &space, &train_all, &config, &device, &mut cb,
    ))
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let meta = SupernetMeta {
        version: SUPERNET_VERSION,
        dataset: dataset_label(&args.dataset),
        input: (train_all.channels, train_all.height, train_all.width),
        classes: train_all.classes.len(),
        epochs: args.epochs,
        seed: args.seed,
        train_images: train_all.len(),
    };
    let bytes = supernet_to_bytes(&supernet.valid(), &meta).map_err(|e| e.to_string())?;
    std::fs::write(&args.out, bytes)
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    let last = stats.losses.last().copied().unwrap_or(f32::NAN);
    println!(
        "supernet trained in {:.1} s (final sandwich loss {last:.3}); saved to {}",
        stats.seconds,
        args.out.display()
    );
    Ok(())
}

/// Prints the test accuracy of the largest and smallest subnets at the native resolution
/// and of the smallest at the lowest resolution (the cheapest network of the space; all
/// recalibrated on the training split's first images), and the largest one's first
/// predictions, as JSON.
fn check_supernet(
    s: &Supernet,
    space: &SearchSpace,
    train: &Dataset,
    test: &Dataset,
    device: &burn::tensor::Device,
) -> Result<(), CliError> {
    let decode = |g| Architecture::decode(space, Method::Aebnas, &g).map_err(|e| e.to_string());
    let (largest, smallest) = (
        decode(largest_genome(space))?,
        decode(smallest_genome(space))?,
    );
    let mut cheapest = smallest_genome(space);
    cheapest.0[GenomeLayout::of(space).resolution()] = 0;
    let cheapest = decode(cheapest)?;
    let pl = subnet_predictions(s, &largest, train, test, device);
    let ps = subnet_predictions(s, &smallest, train, test, device);
    let pc = subnet_predictions(s, &cheapest, train, test, device);
    let out = json!({
        "largest": { "test_accuracy": accuracy(&pl, test) },
        "smallest": { "test_accuracy": accuracy(&ps, test) },
        "smallest_lowest_resolution": {
            "resolution": cheapest.input.1,
            "test_accuracy": accuracy(&pc, test),
        },
        "test_images": test.len(),
        "largest_first_predictions": &pl[..CHECK_PREDICTIONS.min(pl.len())],
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}
