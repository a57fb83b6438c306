//! The compute backend as the page knows it: what the search worker found when asked
//! (`ToWorker::Probe`; WebGPU through burn's wgpu runtime, else burn's CPU backend) and
//! why. The page itself holds no burn: every tensor lives in the worker
//! (`worker/compute.rs`). No UI here; the badge component shows it.

/// Which kind of compute the worker trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// WebGPU (burn `wgpu` runtime on the browser's GPU adapter).
    WebGpu,
    /// burn's pure-Rust CPU backend (`flex`), running in WebAssembly.
    Cpu,
    /// Nothing: the worker that trains could not start or stopped (no WebAssembly SIMD,
    /// a broken deploy). The next request starts it again.
    Unavailable,
}

impl BackendKind {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::WebGpu => "WebGPU",
            BackendKind::Cpu => "CPU",
            BackendKind::Unavailable => "No backend",
        }
    }
}

/// The worker's backend and a human-readable reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Backend {
    /// What the worker got.
    pub kind: BackendKind,
    /// Why: the adapter it got, or why WebGPU is unavailable.
    pub detail: String,
}

impl Backend {
    /// From the worker's answer (`kind` = `webgpu` or `cpu`).
    pub fn from_worker(kind: &str, detail: String) -> Self {
        let kind = if kind == "webgpu" {
            BackendKind::WebGpu
        } else {
            BackendKind::Cpu
        };
        Backend { kind, detail }
    }

    /// The worker could not start or stopped, for `reason`.
    pub fn unavailable(reason: String) -> Self {
        Backend {
            kind: BackendKind::Unavailable,
            detail: reason,
        }
    }
}
