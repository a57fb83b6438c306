//! The worker's compute device: burn's CPU backend (`flex`) or WebGPU through burn's wgpu
//! runtime, as the user's choice says — the faster of the two by measurement
//! ([`measure`](super::measure)), WebGPU whenever the worker's `navigator.gpu` works, or
//! the CPU — always with the reason. The page holds no burn at all: its backend badge shows what
//! this module found (`Probe` → `Probed`), and every run trains on the same device.
//!
//! burn's wgpu runtime is initialised once per worker ([`gpu`](super::gpu)): the outcome
//! (device or error) is kept, and a device lost mid-run is not offered again.

use burn::tensor::Device;

use super::context::post;
use super::gpu::webgpu;
use super::measure::measurement;
use super::protocol::FromWorker;
use crate::app::backend_measure::{DeviceKind, Measurement};
use crate::app::settings::BackendChoice;
use crate::engine::results::SearchSettings;

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
        Err(reason) => (Compute::cpu(), reason.to_string()),
    }
}

/// Picks the device, tells the page which one and why, and records it in `settings`.
pub(super) async fn start_compute(choice: BackendChoice, settings: &mut SearchSettings) -> Compute {
    let (compute, detail) = pick_compute(choice).await;
    post(&FromWorker::Backend {
        kind: compute.kind(),
        detail,
    });
    settings.backend = compute.name().into();
    compute
}
