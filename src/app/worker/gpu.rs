//! The worker's WebGPU device: burn's wgpu runtime initialised once per worker on first
//! use (the badge's probe, a measurement or a run), the outcome (device and adapter line,
//! or why there is none) kept, and a device lost mid-run not offered again.

use std::cell::{Cell, RefCell};

use burn::tensor::Device;
use wasm_bindgen::JsValue;

use crate::app::browser::{navigator_gpu, request_adapter};
use crate::model::clock::yield_now;

/// Why this worker has no WebGPU device (every message starts "WebGPU unavailable").
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GpuError {
    /// The worker has no `navigator.gpu` (no WebGPU API in this browser or context).
    #[error("WebGPU unavailable: navigator.gpu is missing")]
    NoApi,
    /// The API is there but offers no adapter (no GPU, or WebGPU turned off).
    #[error("WebGPU unavailable: the browser offers no WebGPU adapter")]
    NoAdapter,
    /// burn's wgpu runtime could not initialise a device (its message).
    #[cfg_attr(not(feature = "wgpu"), allow(dead_code))]
    #[error("WebGPU unavailable: {0}")]
    Init(String),
    /// The device was lost during a run (the browser's reason); not offered again.
    #[error("WebGPU unavailable: the GPU device was lost ({0})")]
    Lost(String),
    /// This worker is the build without WebGPU (`aebnas-worker`); the page loads the
    /// WebGPU build when it may train on WebGPU.
    #[cfg_attr(feature = "wgpu", allow(dead_code))]
    #[error("{}", crate::app::backend_measure::NOT_IN_BUILD)]
    NotInBuild,
}

thread_local! {
    /// The WebGPU outcome of this worker: the device and the adapter's description, or
    /// why there is none. `None` until first asked.
    static GPU: RefCell<Option<Result<(Device, String), GpuError>>> = const { RefCell::new(None) };
    /// Whether a request is initialising WebGPU right now (others wait for its outcome).
    static INITIALISING: Cell<bool> = const { Cell::new(false) };
}

/// This worker's WebGPU device and adapter line, initialised on first use, or why
/// there is none.
pub async fn webgpu() -> Result<(Device, String), GpuError> {
    // The badge's probe and a linked network's run can ask at the same time.
    while INITIALISING.get() {
        yield_now().await;
    }
    let known = GPU.with_borrow(|g| g.clone());
    match known {
        Some(outcome) => outcome,
        None => {
            INITIALISING.set(true);
            let outcome = init_gpu().await;
            GPU.set(Some(outcome.clone()));
            INITIALISING.set(false);
            outcome
        }
    }
}

/// The GPU device failed mid-run: later runs use the CPU, and say why.
pub fn gpu_lost(reason: &str) {
    GPU.set(Some(Err(GpuError::Lost(reason.to_owned()))));
}

async fn init_gpu() -> Result<(Device, String), GpuError> {
    let Some(gpu) = navigator_gpu() else {
        return Err(GpuError::NoApi);
    };
    // Asked first, so that a browser with the API but no adapter (no GPU, or WebGPU off)
    // gets one clear line instead of wgpu's list of backends it tried.
    let Some(adapter) = request_adapter(&gpu).await else {
        return Err(GpuError::NoAdapter);
    };
    init_device(&adapter).await
}

/// burn's wgpu runtime on the browser's adapter.
#[cfg(feature = "wgpu")]
async fn init_device(adapter: &JsValue) -> Result<(Device, String), GpuError> {
    let device = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|err| GpuError::Init(err.to_string()))?;
    let detail = match adapter_description(adapter) {
        Some(name) => format!("WebGPU adapter: {name}"),
        None => "WebGPU adapter acquired by burn's wgpu runtime".to_owned(),
    };
    Ok((device, detail))
}

/// The CPU-only build has no wgpu runtime.
#[cfg(not(feature = "wgpu"))]
async fn init_device(_adapter: &JsValue) -> Result<(Device, String), GpuError> {
    Err(GpuError::NotInBuild)
}

/// A short description of the adapter (`vendor · architecture · description`), read
/// from its `info`. Best effort: `None` when it says nothing.
#[cfg(feature = "wgpu")]
fn adapter_description(adapter: &JsValue) -> Option<String> {
    let info = js_sys::Reflect::get(adapter, &JsValue::from_str("info")).ok()?;
    let parts: Vec<String> = ["vendor", "architecture", "description"]
        .iter()
        .filter_map(|key| js_sys::Reflect::get(&info, &JsValue::from_str(key)).ok())
        .filter_map(|value| value.as_string())
        .filter(|text| !text.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
