//! The page's pool size ([`pool_size`](super::pool_size)) from what this browser reports
//! (`navigator.hardwareConcurrency`, `navigator.deviceMemory`) and the dataset's size
//! (the catalogue's image counts, the test images' shape).

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::backend::BackendKind;
use super::pool_size::{pool_size, PoolInputs, PoolSize};
use super::settings::BackendChoice;
use super::state::AppState;

/// Pixels of a shipped dataset when nothing else is known (12,000 images of 28×28).
const FALLBACK_PIXELS: usize = 12_000 * 28 * 28;

/// A number property of `navigator` (`None` when missing or not a positive number).
fn navigator_number(key: &str) -> Option<f64> {
    let navigator = web_sys::window()?.navigator();
    let v = Reflect::get(&navigator, &JsValue::from_str(key))
        .ok()?
        .as_f64()?;
    (v.is_finite() && v > 0.0).then_some(v)
}

/// Pixels of the dataset each worker loads.
fn dataset_pixels(state: &AppState) -> usize {
    let test = state.data.test.as_deref();
    let per_image = test.map_or(28 * 28, |t| t.channels * t.height * t.width);
    let counts = (state.catalog.as_deref())
        .and_then(|c| c.get(&state.settings.dataset))
        .map(|d| d.train.count + d.test.count);
    match (counts, test) {
        (Some(n), _) => n * per_image,
        // A user dataset: its test split and about five times as many training images.
        (None, Some(t)) => t.images.len() * 6,
        (None, None) => FALLBACK_PIXELS,
    }
}

/// The pool size a search started now would use: one worker when the search worker
/// trains on WebGPU (a GPU is one device; it does the same).
pub fn page_pool_size(state: &AppState) -> PoolSize {
    let size = pool_size(PoolInputs {
        setting: state.settings.workers,
        cores: navigator_number("hardwareConcurrency").map(|c| c as usize),
        device_memory_gib: navigator_number("deviceMemory"),
        dataset_pixels: dataset_pixels(state),
    });
    let gpu = (state.backend.as_deref()).is_some_and(|b| b.kind == BackendKind::WebGpu);
    if gpu && state.settings.backend != BackendChoice::Cpu && size.workers > 1 {
        return PoolSize {
            workers: 1,
            reason: "1 worker (WebGPU trains one candidate at a time)".into(),
            ..size
        };
    }
    size
}
