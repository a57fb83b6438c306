//! `aebnas bench-train`: training throughput (samples/s) of one genome on one backend,
//! with the network's full description, so `bench/compare-pytorch` can build the identical
//! network in PyTorch and print the ratio. A benchmark, not a test.

use burn::module::Module;
use burn::tensor::Device;
use serde_json::json;

use super::backend::BackendArg;
use super::error::CliError;
use super::space::parse_genome;
use crate::data::load_dataset_arg;
use crate::engine::arch::Architecture;
use crate::engine::space::{Method, SearchSpace};
use crate::model::candidate::EVAL_BATCH;
use crate::model::clock::now_seconds;
use crate::model::evaluate::exit_cache;
use crate::model::network::EarlyExitNet;
use crate::model::train::{train, Control, TrainConfig};

/// Timed windows of training and of inference; the fastest of each is reported.
const REPEATS: usize = 3;

/// Arguments of `aebnas bench-train`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Dataset whose training images are used.
    #[arg(long, default_value = "fashion-mnist")]
    dataset: String,
    /// Comma-separated genome, or `default`.
    #[arg(long, default_value = "default")]
    genome: String,
    /// Compute backend.
    #[arg(long, value_enum, default_value = "cpu")]
    backend: BackendArg,
    /// Samples per step.
    #[arg(long, default_value_t = 128)]
    batch: usize,
    /// Timed steps (after the warm-up steps).
    #[arg(long, default_value_t = 20)]
    steps: usize,
    /// Untimed warm-up steps.
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Test images evaluated for the inference figure (every exit's softmax, read back,
    /// as a candidate's evaluation does; batches of the evaluation's size).
    #[arg(long, default_value_t = 3000)]
    infer_images: usize,
}

fn steps_per_sec(
    net: EarlyExitNet,
    data: &crate::data::Dataset,
    batch: usize,
    steps: usize,
    device: &Device,
) -> Result<(EarlyExitNet, f64), CliError> {
    let config = TrainConfig {
        batch_size: batch,
        max_samples: Some(batch * steps),
        augment: false,
        resolution: net.arch.input.1,
        ..TrainConfig::default()
    };
    let start = now_seconds();
    let mut cb = |_: &crate::model::train::Progress| Control::Continue;
    let (net, _) = pollster::block_on(train(net, data, &config, device, &mut cb))
        .map_err(|e| e.to_string())?;
    Ok((net, now_seconds() - start))
}

pub fn run(args: BenchArgs) -> Result<(), CliError> {
    let (train_set, _) = load_dataset_arg(&args.dataset).map_err(|e| e.to_string())?;
    let space = SearchSpace::browser(
        train_set.channels,
        train_set.height,
        train_set.classes.len(),
    );
    let genome = parse_genome(&args.genome, &space)?;
    let arch = Architecture::decode(&space, Method::Aebnas, &genome).map_err(|e| e.to_string())?;
    let infer_device = args.backend.device()?;
    let device = infer_device.clone().autodiff();
    let net = EarlyExitNet::from_scratch(&arch, 1, &device)?;
    let (net, _) = steps_per_sec(net, &train_set, args.batch, args.warmup.max(1), &device)?;
    // Best of `REPEATS` timed windows, here and for inference (and the same in
    // bench/pytorch_net.py): one window on this shared VM can be twice as slow as the next.
    let mut net = net;
    let mut seconds = f64::INFINITY;
    for _ in 0..REPEATS {
        let (trained, s) = steps_per_sec(net, &train_set, args.batch, args.steps, &device)?;
        (net, seconds) = (trained, seconds.min(s));
    }
    let samples_per_sec = (args.batch * args.steps) as f64 / seconds;
    let (_, test_set) = load_dataset_arg(&args.dataset).map_err(|e| e.to_string())?;
    let n = args.infer_images.min(test_set.len()).max(1);
    let images = test_set
        .subset(&(0..n).collect::<Vec<_>>())
        .map_err(|e| e.to_string())?;
    let net = net.valid();
    let infer = |net: &EarlyExitNet| {
        let start = now_seconds();
        pollster::block_on(exit_cache(
            net,
            &images,
            arch.input.1,
            EVAL_BATCH,
            &infer_device,
        ))
        .map(|_| now_seconds() - start)
    };
    infer(&net)?; // warm-up
    let mut infer_seconds = f64::INFINITY;
    for _ in 0..REPEATS {
        infer_seconds = infer_seconds.min(infer(&net)?);
    }
    let out = json!({
        "backend": args.backend.name(),
        "genome": genome.to_string(),
        "batch": args.batch,
        "steps": args.steps,
        "repeats": REPEATS,
        "seconds": seconds,
        "samples_per_sec": samples_per_sec,
        "infer_images": n,
        "infer_batch": EVAL_BATCH,
        "infer_seconds": infer_seconds,
        "infer_images_per_sec": n as f64 / infer_seconds,
        "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "arch": arch,
        "layers": arch.layers(),
    });
    println!(
        "{}",
        serde_json::to_string(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}
