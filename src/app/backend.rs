//! Compute backend selection at start-up: WebGPU through burn's wgpu runtime when the
//! browser offers it, otherwise burn's CPU backend (`flex`), always with the reason why.
//! No UI here; the badge component shows the result.

use burn::tensor::Device;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::settings::BackendChoice;

/// Which kind of compute the app ended up with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// WebGPU (burn `wgpu` runtime on the browser's GPU adapter).
    WebGpu,
    /// burn's pure-Rust CPU backend (`flex`), running in WebAssembly.
    Cpu,
}

impl BackendKind {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::WebGpu => "WebGPU",
            BackendKind::Cpu => "CPU",
        }
    }
}

/// The selected backend: the burn device to train on and a human-readable reason.
#[derive(Clone, Debug)]
pub struct Backend {
    /// What we got.
    pub kind: BackendKind,
    /// The burn device; every tensor of this session lives on it.
    pub device: Device,
    /// Why: the adapter we got, or why WebGPU is unavailable.
    pub detail: String,
}

/// Picks the backend: `choice == Cpu` → CPU; no `navigator.gpu` → CPU; burn's async
/// wgpu initialisation fails → CPU with the error; otherwise WebGPU. Never fails.
pub async fn select(choice: BackendChoice) -> Backend {
    if choice == BackendChoice::Cpu {
        return cpu("CPU chosen in the settings".to_owned());
    }
    let Some(gpu) = navigator_gpu() else {
        return cpu("WebGPU unavailable: navigator.gpu is missing".to_owned());
    };
    match Device::wgpu_options().init_async().await {
        Ok(device) => {
            let adapter = adapter_description(&gpu).await;
            Backend {
                kind: BackendKind::WebGpu,
                device,
                detail: match adapter {
                    Some(name) => format!("WebGPU adapter: {name}"),
                    None => "WebGPU adapter acquired by burn's wgpu runtime".to_owned(),
                },
            }
        }
        Err(err) => cpu(format!("WebGPU unavailable: {err}")),
    }
}

impl PartialEq for Backend {
    /// Same kind and reason (burn devices are not comparable across backends).
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.detail == other.detail
    }
}

fn cpu(detail: String) -> Backend {
    Backend {
        kind: BackendKind::Cpu,
        device: Device::flex(),
        detail,
    }
}

/// `navigator.gpu`, when present and not `undefined`/`null`.
fn navigator_gpu() -> Option<JsValue> {
    let window = web_sys::window()?;
    let gpu = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("gpu")).ok()?;
    (!gpu.is_undefined() && !gpu.is_null()).then_some(gpu)
}

/// A short description of the adapter (`vendor architecture description`) for the badge
/// tooltip, read through `requestAdapter().info`. Best effort: `None` on any failure.
async fn adapter_description(gpu: &JsValue) -> Option<String> {
    let request = js_sys::Reflect::get(gpu, &JsValue::from_str("requestAdapter")).ok()?;
    let request: js_sys::Function = request.dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(gpu).ok()?.into();
    let adapter = JsFuture::from(promise).await.ok()?;
    if adapter.is_null() || adapter.is_undefined() {
        return None;
    }
    let info = js_sys::Reflect::get(&adapter, &JsValue::from_str("info")).ok()?;
    let parts: Vec<String> = ["vendor", "architecture", "description"]
        .iter()
        .filter_map(|key| js_sys::Reflect::get(&info, &JsValue::from_str(key)).ok())
        .filter_map(|value| value.as_string())
        .filter(|text| !text.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
