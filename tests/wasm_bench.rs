//! Worker throughput benchmark, not a test (`bench/worker-throughput` builds and runs it;
//! the README's test command does not): in a dedicated worker of headless Chromium, on the
//! CPU backend (flex, WebAssembly SIMD, one thread) — where the page's search worker
//! trains — it times
//! - training of the default network from scratch (batch 128, after one warm-up step), in
//!   images/s;
//! - a candidate's evaluation: every exit's softmax over 1,000 + 2,000 images, read back,
//!   in batches of the evaluation's size (`EVAL_BATCH`), in seconds;
//!
//! each the best of three windows, and prints one JSON line per backend starting
//! `worker-throughput-cpu ` or `worker-throughput-webgpu ` (WebGPU where the browser has
//! it: run with the WebGPU browser settings).
#![cfg(target_arch = "wasm32")]

use aebnas::data::dataset::Part;
use aebnas::data::{Dataset, Shipped};
use aebnas::engine::arch::Architecture;
use aebnas::engine::space::{Method, SearchSpace};
use aebnas::model::candidate::EVAL_BATCH;
use aebnas::model::clock::now_seconds;
use aebnas::model::evaluate::exit_cache;
use aebnas::model::network::EarlyExitNet;
use aebnas::model::train::{train, Control, Progress, TrainConfig};
use burn::module::Module;
use burn::tensor::Device;
use wasm_bindgen_test::*;

#[path = "../src/bin/shared/ctors.rs"]
mod ctors;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const TEST_IMAGES: &[u8] = include_bytes!("../www/data/fashion-mnist-test-images-idx3-ubyte.gz");
const TEST_LABELS: &[u8] = include_bytes!("../www/data/fashion-mnist-test-labels-idx1-ubyte.gz");

async fn train_seconds(
    net: EarlyExitNet,
    data: &Dataset,
    steps: usize,
    device: &Device,
) -> (EarlyExitNet, f64) {
    let config = TrainConfig {
        batch_size: 128,
        max_samples: Some(128 * steps),
        augment: false,
        resolution: net.arch.input.1,
        ..TrainConfig::default()
    };
    let start = now_seconds();
    let mut cb = |_: &Progress| Control::Continue;
    let (net, _) = train(net, data, &config, &device.clone().autodiff(), &mut cb)
        .await
        .expect("training runs");
    (net, now_seconds() - start)
}

/// Timed windows of training and evaluation; the fastest of each is reported (one window
/// on a shared machine can be much slower than the next).
const REPEATS: usize = 3;

/// The figures on `device` as one JSON object: `steps` training steps per window, the
/// best of `repeats` windows.
async fn measure(device: &Device, steps: usize, repeats: usize) -> String {
    let test = Shipped::FashionMnist
        .from_bytes(Part::Test, TEST_IMAGES, TEST_LABELS)
        .expect("shipped test files parse");
    let val = test.subset(&(0..1000).collect::<Vec<_>>()).expect("subset");
    let space = SearchSpace::browser(1, 28, 10);
    let genome = aebnas::engine::genome::default_genome(&space);
    let arch = Architecture::decode(&space, Method::Aebnas, &genome).expect("default decodes");
    let net = EarlyExitNet::from_scratch(&arch, 1, &device.clone().autodiff()).expect("builds");
    let (mut net, _) = train_seconds(net, &test, 1, device).await;
    let mut seconds = f64::INFINITY;
    for _ in 0..repeats {
        let (trained, s) = train_seconds(net, &test, steps, device).await;
        (net, seconds) = (trained, seconds.min(s));
    }
    let net = net.valid();
    let mut eval_seconds = f64::INFINITY;
    for _ in 0..repeats {
        let start = now_seconds();
        for part in [&val, &test] {
            exit_cache(&net, part, arch.input.1, EVAL_BATCH, device)
                .await
                .expect("evaluation runs");
        }
        eval_seconds = eval_seconds.min(now_seconds() - start);
    }
    format!(
        "{{\"train_images_per_sec\":{:.2},\"eval_seconds\":{:.3},\"eval_images\":{},\"eval_batch\":{},\"train_steps\":{steps},\"repeats\":{repeats}}}",
        (128 * steps) as f64 / seconds,
        eval_seconds,
        val.len() + test.len(),
        EVAL_BATCH
    )
}

#[wasm_bindgen_test]
async fn worker_throughput_cpu() {
    ctors::run_static_constructors();
    console_log!(
        "worker-throughput-cpu {}",
        measure(&Device::flex(), 12, REPEATS).await
    );
}

/// On WebGPU when the browser has it (headless Chromium: SwiftShader, software), with
/// fewer steps and one window: a step there takes seconds.
#[wasm_bindgen_test]
async fn worker_throughput_webgpu() {
    ctors::run_static_constructors();
    match Device::wgpu_options().init_async().await {
        Ok(device) => console_log!("worker-throughput-webgpu {}", measure(&device, 2, 1).await),
        Err(e) => console_log!("worker-throughput-webgpu {{\"skipped\":\"{e:?}\"}}"),
    }
}
