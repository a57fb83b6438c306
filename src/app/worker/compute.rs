//! The worker's compute device: burn's CPU backend (`flex`) or WebGPU through burn's wgpu
//! runtime, as the user's choice says — the faster of the two by measurement
//! ([`measure`](super::measure)), WebGPU whenever the worker's `navigator.gpu` works, or
//! the CPU — always with the reason. The page holds no burn at all: its backend badge shows what
//! this module found (`Probe` → `Probed`), and every run trains on the same device.
//!
//! burn's wgpu runtime is initialised once per worker: the outcome (device or error) is
//! kept, and a device lost mid-run is not offered again.

use std::cell::{Cell, RefCell};

use burn::tensor::Device;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::measure::measurement;
use crate::app::backend_measure::{DeviceKind, Measurement};
use crate::app::settings::BackendChoice;
use crate::model::clock::yield_now;

/// Which device a run trains on.
pub struct Compute {
    /// The burn device (not yet `autodiff()`).
    pub device: Device,
    /// Whether it is the WebGPU one.
    pub webgpu: bool,
}

impl Compute {
    /// burn's CPU backend.
    pub fn cpu() -> Self {
        Compute {
            device: Device::flex(),
            webgpu: false,
        }
    }

    /// Which kind of device it is.
    pub fn kind(&self) -> DeviceKind {
        if self.webgpu {
            DeviceKind::WebGpu
        } else {
            DeviceKind::Cpu
        }
    }

    /// `webgpu` or `cpu` (the protocol's and the results' name).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

thread_local! {
    /// The WebGPU outcome of this worker: the device and the adapter's description, or
    /// why there is none. `None` until first asked.
    static GPU: RefCell<Option<Result<(Device, String), String>>> = const { RefCell::new(None) };
    /// Whether a request is initialising WebGPU right now (others wait for its outcome).
    static INITIALISING: Cell<bool> = const { Cell::new(false) };
}

/// The device `choice` trains on, with the reason: the CPU when chosen; WebGPU when
/// chosen and available; by measurement for `auto` (measuring first when this worker
/// has no measurement).
pub async fn pick_compute(choice: BackendChoice) -> (Compute, String) {
    let (compute, detail, _) = pick_measured(choice, false).await;
    (compute, detail)
}

/// Like [`pick_compute`], also returning the measurement behind an `auto` choice;
/// `fresh` measures again (whatever the choice, returning the new figures).
pub async fn pick_measured(
    choice: BackendChoice,
    fresh: bool,
) -> (Compute, String, Option<Measurement>) {
    // Asked to measure with a backend chosen by hand: measured (and shown) all the same.
    let measured = match (fresh, choice) {
        (true, BackendChoice::Cpu | BackendChoice::WebGpu) => Some(measurement(true).await),
        _ => None,
    };
    match choice {
        BackendChoice::Cpu => (
            Compute::cpu(),
            "CPU chosen in the settings".into(),
            measured,
        ),
        BackendChoice::WebGpu => {
            let (compute, detail) = webgpu_or_cpu().await;
            (compute, detail, measured)
        }
        BackendChoice::Auto => {
            let m = measurement(fresh).await;
            let (compute, detail) = match m.picked() {
                DeviceKind::Cpu => (Compute::cpu(), m.detail()),
                DeviceKind::WebGpu => match webgpu_or_cpu().await {
                    (gpu, _) if gpu.webgpu => (gpu, m.detail()),
                    other => other,
                },
            };
            (compute, detail, Some(m))
        }
    }
}

/// WebGPU when available, else the CPU with the reason.
async fn webgpu_or_cpu() -> (Compute, String) {
    match webgpu().await {
        Ok((device, adapter)) => (
            Compute {
                device,
                webgpu: true,
            },
            adapter,
        ),
        Err(reason) => (Compute::cpu(), reason),
    }
}

/// This worker's WebGPU device and adapter line, initialised on first use, or why
/// there is none.
pub async fn webgpu() -> Result<(Device, String), String> {
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
    GPU.set(Some(Err(format!(
        "WebGPU unavailable: the GPU device was lost ({reason})"
    ))));
}

async fn init_gpu() -> Result<(Device, String), String> {
    let Some(gpu) = navigator_gpu() else {
        return Err("WebGPU unavailable: navigator.gpu is missing".into());
    };
    // Asked first, so that a browser with the API but no adapter (no GPU, or WebGPU off)
    // gets one clear line instead of wgpu's list of backends it tried.
    let Some(adapter) = request_adapter(&gpu).await else {
        return Err("WebGPU unavailable: the browser offers no WebGPU adapter".into());
    };
    let device = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|err| format!("WebGPU unavailable: {err}"))?;
    let detail = match adapter_description(&adapter) {
        Some(name) => format!("WebGPU adapter: {name}"),
        None => "WebGPU adapter acquired by burn's wgpu runtime".to_owned(),
    };
    Ok((device, detail))
}

/// The worker's `navigator.gpu`, when present and not `undefined`/`null`.
fn navigator_gpu() -> Option<JsValue> {
    let navigator =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let gpu = js_sys::Reflect::get(&navigator, &JsValue::from_str("gpu")).ok()?;
    (!gpu.is_undefined() && !gpu.is_null()).then_some(gpu)
}

/// `navigator.gpu.requestAdapter()`: `None` when it fails or offers no adapter.
async fn request_adapter(gpu: &JsValue) -> Option<JsValue> {
    let request = js_sys::Reflect::get(gpu, &JsValue::from_str("requestAdapter")).ok()?;
    let request: js_sys::Function = request.dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(gpu).ok()?.dyn_into().ok()?;
    let adapter = JsFuture::from(promise).await.ok()?;
    (!adapter.is_null() && !adapter.is_undefined()).then_some(adapter)
}

/// A short description of the adapter (`vendor · architecture · description`), read
/// from its `info`. Best effort: `None` when it says nothing.
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
