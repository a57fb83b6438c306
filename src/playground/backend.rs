//! The compute backend as the page knows it: what the search worker answered when asked
//! (`ToWorker::Probe`: the faster backend by measurement, WebGPU through burn's wgpu
//! runtime, or burn's CPU backend, as the user's choice says), why, and the measured
//! figures behind an automatic choice. The page itself holds no burn: every tensor lives
//! in the worker (`worker/compute.rs`). No UI here; the badge component shows it.

use super::backend_measure::{DeviceKind, Measurement};

/// Which kind of compute the worker trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// WebGPU (burn `wgpu` runtime on the browser's GPU adapter).
    WebGpu,
    /// burn's pure-Rust CPU backend (`flex`), running in WebAssembly.
    Cpu,
    /// The worker is timing training steps on each backend to pick the faster.
    Measuring,
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
            BackendKind::Measuring => "Measuring backends…",
            BackendKind::Unavailable => "No backend",
        }
    }
}

/// The worker's backend and a human-readable reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Backend {
    /// What the worker got.
    pub kind: BackendKind,
    /// Why: the adapter it got, why WebGPU is unavailable, or the measurement.
    pub detail: String,
    /// The figures of an automatic choice (`None` when the user chose a backend).
    pub measurement: Option<Measurement>,
}

impl Backend {
    /// From the worker's answer.
    pub fn from_worker(kind: DeviceKind, detail: String, measurement: Option<Measurement>) -> Self {
        let kind = match kind {
            DeviceKind::WebGpu => BackendKind::WebGpu,
            DeviceKind::Cpu => BackendKind::Cpu,
        };
        Backend {
            kind,
            detail,
            measurement,
        }
    }

    /// The badge after the worker said it trains on `kind` because of `detail`: the same
    /// kind keeps what the badge knew (the measurement behind an automatic choice); a
    /// different kind (a lost GPU, a choice the worker could not honour) replaces it.
    /// `None`: nothing changes.
    pub fn in_use(current: Option<&Backend>, kind: DeviceKind, detail: String) -> Option<Self> {
        let now = Backend::from_worker(kind, detail, None);
        match current {
            Some(b) if b.kind == now.kind => None,
            _ => Some(now),
        }
    }

    /// The worker is measuring.
    pub fn measuring() -> Self {
        Backend {
            kind: BackendKind::Measuring,
            detail: "Timing a few training steps on each backend to pick the faster…".into(),
            measurement: None,
        }
    }

    /// The worker could not start or stopped, for `reason`.
    pub fn unavailable(reason: String) -> Self {
        Backend {
            kind: BackendKind::Unavailable,
            detail: reason,
            measurement: None,
        }
    }

    /// Whether the worker said which backend it trains on (not measuring, not stopped).
    pub fn is_known(&self) -> bool {
        matches!(self.kind, BackendKind::WebGpu | BackendKind::Cpu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_in_use_updates_the_badge_only_when_it_changed() {
        let probed = Backend::from_worker(DeviceKind::WebGpu, "adapter".into(), None);
        assert_eq!(
            Backend::in_use(Some(&probed), DeviceKind::WebGpu, "adapter".into()),
            None
        );
        let lost = Backend::in_use(Some(&probed), DeviceKind::Cpu, "GPU lost".into())
            .expect("the badge changes");
        assert_eq!(
            (lost.kind, lost.detail.as_str()),
            (BackendKind::Cpu, "GPU lost")
        );
        let first = Backend::in_use(None, DeviceKind::Cpu, "no adapter".into());
        assert_eq!(first.map(|b| b.kind), Some(BackendKind::Cpu));
        let measuring = Backend::measuring();
        let known = Backend::in_use(Some(&measuring), DeviceKind::Cpu, "faster".into());
        assert_eq!(known.map(|b| b.kind), Some(BackendKind::Cpu));
    }
}
