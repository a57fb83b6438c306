//! Tests that run in headless Chromium (wasm-bindgen-test via chromedriver; see
//! `scripts/test`): the IDX reader on the shipped files, and training on the CPU backend
//! and — when the browser exposes an adapter — on WebGPU.
#![cfg(target_arch = "wasm32")]

use aebnas::data::dataset::Part;
use aebnas::data::{Dataset, Shipped};
use aebnas::model::smoke::smoke_train;
use burn::tensor::Device;
use wasm_bindgen_test::*;

#[path = "../src/bin/shared/ctors.rs"]
mod ctors;

// In a dedicated worker: WebGPU on SwiftShader can keep the thread that drives it busy
// for tens of seconds, and chromedriver gives up on a page whose main thread does not
// answer within 30 s.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

const TEST_IMAGES: &[u8] = include_bytes!("../www/data/fashion-mnist-test-images-idx3-ubyte.gz");
const TEST_LABELS: &[u8] = include_bytes!("../www/data/fashion-mnist-test-labels-idx1-ubyte.gz");

/// Runs the static constructors once, first thing in every test (see `ctors.rs`): naming
/// them switches off `wasm-ld`'s wrapper that re-ran them all on every call from
/// JavaScript — on WebGPU thousands per step, which made training here ~5× slower than
/// in the app's worker.
fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(ctors::run_static_constructors);
}

fn fashion_test() -> Dataset {
    init();
    Shipped::FashionMnist
        .from_bytes(Part::Test, TEST_IMAGES, TEST_LABELS)
        .expect("shipped Fashion-MNIST test files parse")
}

#[wasm_bindgen_test]
fn idx_reader_parses_shipped_files_and_rejects_truncation() {
    let data = fashion_test();
    assert_eq!(data.len(), 2000);
    assert_eq!((data.channels, data.height, data.width), (1, 28, 28));
    assert_eq!(data.counts_per_class(), vec![200; 10]);
    let truncated = &TEST_IMAGES[..TEST_IMAGES.len() / 2];
    let err = Shipped::FashionMnist
        .from_bytes(Part::Test, truncated, TEST_LABELS)
        .expect_err("a truncated file is an error, not a panic");
    assert!(!err.to_string().is_empty());
}

/// Trains `steps` (≥ 6) steps and checks that the losses are finite and that the mean of
/// the last three is below the mean of the first three.
async fn losses_fall(device: &Device, steps: usize) {
    let data = fashion_test();
    let losses = smoke_train(device, &data, steps, 1, |_, _| {})
        .await
        .expect("training runs");
    assert_eq!(losses.len(), steps);
    let first: f32 = losses[..3].iter().sum::<f32>() / 3.0;
    let last: f32 = losses[losses.len() - 3..].iter().sum::<f32>() / 3.0;
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    assert!(last < first, "loss did not fall: {losses:?}");
}

#[wasm_bindgen_test]
async fn training_reduces_loss_on_cpu_backend() {
    losses_fall(&Device::flex(), 12).await;
}

#[wasm_bindgen_test]
async fn training_reduces_loss_on_webgpu_when_available() {
    init();
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok();
    let has_gpu = navigator
        .and_then(|n| js_sys::Reflect::get(&n, &"gpu".into()).ok())
        .is_some_and(|g| !g.is_undefined() && !g.is_null());
    let expect = option_env!("AEBNAS_EXPECT_WEBGPU").is_some();
    match Device::wgpu_options().init_async().await {
        // Six steps: on SwiftShader (software) the first takes ~12 s (its shaders are
        // compiled) and each later one ~3 s of two cores; by the sixth the loss has fallen
        // (7.63 → 6.77, the means of steps 1–3 and 4–6, measured). The e2e tests train
        // on WebGPU in the app's worker too.
        Ok(device) if has_gpu => losses_fall(&device, 6).await,
        Ok(_) => panic!("wgpu initialised without navigator.gpu"),
        Err(e) => assert!(
            !expect,
            "WebGPU expected (--enable-unsafe-webgpu) but init failed: {e:?}"
        ),
    }
}
