//! Which build of the search worker the page loads: the one without WebGPU
//! (`aebnas-worker`, burn's CPU backend only) or the one with it (`aebnas-worker-webgpu`).
//! burn's WebGPU stack (cubecl and wgpu) is over two thirds of the worker's code
//! (`bench/wasm-size-by-crate.py`), so a page that will train on the CPU should not fetch
//! and compile it. The WebGPU build can train on either device, so it is the one loaded
//! whenever WebGPU may be picked: the page has the WebGPU API and (when it asked) an adapter,
//! and WebGPU is chosen by hand, or `auto` with no remembered measurement (the first visit
//! measures both) or one that picked WebGPU.
//!
//! ```
//! use aebnas::playground::backend_measure::{Measurement, Timing};
//! use aebnas::playground::settings::BackendChoice;
//! use aebnas::playground::worker_build::WorkerBuild;
//!
//! // A browser without WebGPU (no `navigator.gpu`, or no adapter) never fetches that build.
//! assert_eq!(WorkerBuild::wanted(BackendChoice::WebGpu, None, false), WorkerBuild::Cpu);
//! // A first visit with WebGPU measures both devices, so it needs the WebGPU build ...
//! assert_eq!(WorkerBuild::wanted(BackendChoice::Auto, None, true), WorkerBuild::WebGpu);
//! // ... and a later one that remembers "the CPU was faster" does not.
//! let cpu_won = Measurement {
//!     webgpu: Timing::Measured { median_ms: 40.0, steps: 8 },
//!     cpu: Timing::Measured { median_ms: 9.0, steps: 8 },
//!     adapter: None,
//! };
//! assert_eq!(WorkerBuild::wanted(BackendChoice::Auto, Some(&cpu_won), true), WorkerBuild::Cpu);
//! ```

use super::backend_measure::{DeviceKind, Measurement};
use super::settings::BackendChoice;

/// A build of the search worker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorkerBuild {
    /// `aebnas-worker`: burn's CPU backend only.
    #[default]
    Cpu,
    /// `aebnas-worker-webgpu`: the CPU backend and WebGPU.
    WebGpu,
}

impl WorkerBuild {
    /// The build a page needs for the backend setting `choice`, the measurement this
    /// browser remembers, and whether the page may have WebGPU (`navigator.gpu`, and an
    /// adapter when the page asked).
    pub fn wanted(
        choice: BackendChoice,
        remembered: Option<&Measurement>,
        may_have_webgpu: bool,
    ) -> Self {
        if !may_have_webgpu {
            return WorkerBuild::Cpu;
        }
        match choice {
            BackendChoice::Cpu => WorkerBuild::Cpu,
            BackendChoice::WebGpu => WorkerBuild::WebGpu,
            BackendChoice::Auto => match remembered.map(Measurement::picked) {
                Some(DeviceKind::Cpu) => WorkerBuild::Cpu,
                Some(DeviceKind::WebGpu) | None => WorkerBuild::WebGpu,
            },
        }
    }

    /// The build that measures both devices again ("measure again"): WebGPU's where the
    /// page may have it.
    pub fn to_measure(may_have_webgpu: bool) -> Self {
        if may_have_webgpu {
            WorkerBuild::WebGpu
        } else {
            WorkerBuild::Cpu
        }
    }

    /// Whether a running worker of this build can do what `wanted` is needed for: the
    /// WebGPU build does everything the CPU build does.
    pub fn covers(self, wanted: WorkerBuild) -> bool {
        self == WorkerBuild::WebGpu || wanted == WorkerBuild::Cpu
    }

    /// The script trunk writes for this build (its loader shim, next to `index.html`).
    pub fn script(self) -> &'static str {
        match self {
            WorkerBuild::Cpu => "aebnas-worker_loader.js",
            WorkerBuild::WebGpu => "aebnas-worker-webgpu_loader.js",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::backend_measure::Timing;

    fn measured(webgpu: Timing, cpu_ms: f64) -> Measurement {
        Measurement {
            webgpu,
            cpu: Timing::Measured {
                median_ms: cpu_ms,
                steps: 8,
            },
            adapter: None,
        }
    }

    #[test]
    fn without_webgpu_every_choice_gets_the_cpu_build() {
        for choice in [
            BackendChoice::Auto,
            BackendChoice::WebGpu,
            BackendChoice::Cpu,
        ] {
            assert_eq!(WorkerBuild::wanted(choice, None, false), WorkerBuild::Cpu);
        }
        assert_eq!(WorkerBuild::to_measure(false), WorkerBuild::Cpu);
    }

    #[test]
    fn the_setting_and_the_remembered_measurement_decide_with_webgpu() {
        let gpu_won = measured(
            Timing::Measured {
                median_ms: 3.0,
                steps: 8,
            },
            9.0,
        );
        let cpu_won = measured(
            Timing::Measured {
                median_ms: 30.0,
                steps: 8,
            },
            9.0,
        );
        let no_adapter = measured(
            Timing::Unavailable {
                reason: "no adapter".into(),
            },
            9.0,
        );
        let want = |c, m| WorkerBuild::wanted(c, m, true);
        assert_eq!(want(BackendChoice::Cpu, Some(&gpu_won)), WorkerBuild::Cpu);
        assert_eq!(
            want(BackendChoice::WebGpu, Some(&cpu_won)),
            WorkerBuild::WebGpu
        );
        assert_eq!(want(BackendChoice::Auto, None), WorkerBuild::WebGpu);
        assert_eq!(
            want(BackendChoice::Auto, Some(&gpu_won)),
            WorkerBuild::WebGpu
        );
        assert_eq!(want(BackendChoice::Auto, Some(&cpu_won)), WorkerBuild::Cpu);
        assert_eq!(
            want(BackendChoice::Auto, Some(&no_adapter)),
            WorkerBuild::Cpu
        );
        assert_eq!(WorkerBuild::to_measure(true), WorkerBuild::WebGpu);
    }

    #[test]
    fn the_webgpu_build_covers_both_and_the_cpu_build_only_itself() {
        use WorkerBuild::*;
        assert!(WebGpu.covers(Cpu) && WebGpu.covers(WebGpu) && Cpu.covers(Cpu));
        assert!(!Cpu.covers(WebGpu));
        assert_ne!(Cpu.script(), WebGpu.script());
    }
}
