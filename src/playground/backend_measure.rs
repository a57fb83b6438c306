//! The backend chosen by measurement, as plain data and functions (no yew, no burn, so
//! they are tested natively): how many training steps are timed on each backend and when
//! a backend is cut off ([`StepBudget`]), what a backend's measurement came to
//! ([`Timing`]), which backend is faster ([`Measurement::picked`]) and the sentences the
//! badge and its tooltip show.
//!
//! The worker times the same small network and batch on each available backend (one
//! warm-up step, then a few timed ones; median ms/step). A backend that runs past the
//! time cap, fails or is unavailable loses to one that was measured; with no measured
//! backend, or a tie, the CPU is used.

use serde::{Deserialize, Serialize};

/// A device the worker can train on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// WebGPU (burn's wgpu runtime on the browser's adapter). Wire name `webgpu`.
    WebGpu,
    /// burn's CPU backend in WebAssembly. Wire name `cpu`.
    Cpu,
}

impl DeviceKind {
    /// The name the badge and the figures use.
    pub fn label(self) -> &'static str {
        match self {
            DeviceKind::WebGpu => "WebGPU",
            DeviceKind::Cpu => "CPU",
        }
    }

    /// The name in results files and the protocol (`webgpu`, `cpu`).
    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::WebGpu => "webgpu",
            DeviceKind::Cpu => "cpu",
        }
    }
}

/// How much training one backend's measurement may do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepBudget {
    /// Untimed steps first (kernel compilation, allocation).
    pub warmup: usize,
    /// Timed steps after the warm-up (the median is taken over them).
    pub timed: usize,
    /// Wall-time cap of the whole backend, warm-up included, in ms: no step starts once
    /// it is spent, and a backend that spent it before its timed steps were done counts
    /// as slower than one that finished.
    pub cap_ms: f64,
}

/// The page's budget: 1 warm-up step, 5 timed steps, at most 4 s per backend.
pub const BUDGET: StepBudget = StepBudget {
    warmup: 1,
    timed: 5,
    cap_ms: 4_000.0,
};

/// The browser-storage key of the remembered measurement. Outside the run's `aebnas.v1.`
/// keys: clearing or replacing a run keeps it, and it does not count against their budget.
pub const MEASUREMENT_KEY: &str = "aebnas.backend.v1";

/// Images per measured step (the smoke check's batch).
pub const MEASURE_BATCH: usize = 32;

impl StepBudget {
    /// Steps of a full measurement.
    pub fn steps(&self) -> usize {
        self.warmup + self.timed
    }

    /// Whether another step may start after the steps that took `step_ms` (ms each,
    /// warm-up included).
    pub fn keep_going(&self, step_ms: &[f64]) -> bool {
        step_ms.len() < self.steps() && step_ms.iter().sum::<f64>() < self.cap_ms
    }

    /// What the steps that took `step_ms` come to: the median of the timed steps when all
    /// of them ran, else over the cap.
    pub fn timing(&self, step_ms: &[f64]) -> Timing {
        if step_ms.len() >= self.steps() {
            Timing::Measured {
                median_ms: median(&step_ms[self.warmup..self.steps()]),
                steps: self.timed,
            }
        } else {
            Timing::OverCap {
                cap_ms: self.cap_ms,
                steps: step_ms.len(),
            }
        }
    }
}

/// The median of `values` (the mean of the middle two for an even count; 0 when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// What one backend's measurement came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Timing {
    /// Every timed step ran: their median.
    Measured {
        /// Median wall time of a timed step, ms.
        median_ms: f64,
        /// Timed steps.
        steps: usize,
    },
    /// The cap was spent before the timed steps were done.
    OverCap {
        /// The cap, ms.
        cap_ms: f64,
        /// Steps that ran (warm-up included).
        steps: usize,
    },
    /// Training failed on it.
    Failed {
        /// Why.
        reason: String,
    },
    /// Not there (no WebGPU adapter, …): not measured.
    Unavailable {
        /// Why.
        reason: String,
    },
    /// Not in this build of the worker (the CPU-only build asked to time WebGPU): says
    /// nothing about the browser, so such a measurement is not remembered.
    NotInBuild,
}

impl Timing {
    /// The median ms/step when measured.
    pub fn ms(&self) -> Option<f64> {
        match self {
            Timing::Measured { median_ms, .. } => Some(*median_ms),
            _ => None,
        }
    }

    /// "41 ms/step", "over the 4 s cap", "failed", "unavailable".
    pub fn figure(&self) -> String {
        match self {
            Timing::Measured { median_ms, .. } => format!("{} ms/step", format_ms(*median_ms)),
            Timing::OverCap { cap_ms, .. } => {
                format!("over the {} s cap", format_ms(cap_ms / 1000.0))
            }
            Timing::Failed { .. } => "failed".to_owned(),
            Timing::Unavailable { .. } | Timing::NotInBuild => "unavailable".to_owned(),
        }
    }
}

/// A figure with sensible precision: one decimal under 10, whole numbers above.
pub fn format_ms(ms: f64) -> String {
    if ms < 10.0 {
        let text = format!("{ms:.1}");
        text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
    } else {
        format!("{ms:.0}")
    }
}

/// Both backends' measurements on this browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// WebGPU's.
    pub webgpu: Timing,
    /// The CPU's.
    pub cpu: Timing,
    /// The WebGPU adapter line ("WebGPU adapter: …"), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
}

impl Measurement {
    /// The faster backend: WebGPU only when it was measured and beat the CPU's median (or
    /// the CPU has no median); the CPU otherwise, ties included.
    pub fn picked(&self) -> DeviceKind {
        match (self.webgpu.ms(), self.cpu.ms()) {
            (Some(gpu), Some(cpu)) if gpu < cpu => DeviceKind::WebGpu,
            (Some(_), None) => DeviceKind::WebGpu,
            _ => DeviceKind::Cpu,
        }
    }

    /// The figures: "WebGPU 41 ms/step vs CPU 9.4 ms/step" ("WebGPU unavailable vs CPU
    /// 9.4 ms/step" without an adapter).
    pub fn figures(&self) -> String {
        format!(
            "WebGPU {} vs CPU {}",
            self.webgpu.figure(),
            self.cpu.figure()
        )
    }

    /// Whether this measurement tells about the browser, so a later visit may use it
    /// instead of measuring: not when the worker's build lacked WebGPU.
    pub fn rememberable(&self) -> bool {
        !matches!(self.webgpu, Timing::NotInBuild)
    }

    /// The tooltip: what was picked and why, the adapter, and what went wrong.
    pub fn detail(&self) -> String {
        let picked = self.picked();
        let mut parts = vec![format!(
            "{} by measurement: {} (median of {} training steps)",
            picked.label(),
            self.figures(),
            BUDGET.timed
        )];
        match &self.webgpu {
            Timing::Failed { reason } => parts.push(format!("WebGPU failed: {reason}")),
            Timing::Unavailable { reason } => parts.push(reason.clone()),
            Timing::NotInBuild => parts.push(NOT_IN_BUILD.to_owned()),
            _ => {}
        }
        if let Timing::Failed { reason } = &self.cpu {
            parts.push(format!("CPU failed: {reason}"));
        }
        if let Some(adapter) = &self.adapter {
            parts.push(adapter.clone());
        }
        parts.join("; ")
    }
}

/// Why a measurement made by the worker's CPU-only build has no WebGPU figure.
pub const NOT_IN_BUILD: &str =
    "WebGPU unavailable: this worker is the CPU-only build (the WebGPU build is not served yet)";

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(ms: f64) -> Timing {
        Timing::Measured {
            median_ms: ms,
            steps: 5,
        }
    }

    #[test]
    fn the_median_ignores_the_warm_up_and_outliers() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
        // Warm-up 900 ms (kernel compilation), one slow timed step: the median is 10.
        let t = BUDGET.timing(&[900.0, 10.0, 11.0, 9.0, 50.0, 10.0]);
        assert_eq!(
            t,
            Timing::Measured {
                median_ms: 10.0,
                steps: 5
            }
        );
    }

    #[test]
    fn the_cap_stops_a_slow_backend_and_counts_it_as_slower() {
        assert!(BUDGET.keep_going(&[]));
        assert!(BUDGET.keep_going(&[100.0, 100.0]));
        assert!(!BUDGET.keep_going(&[100.0; 6]), "all steps done");
        assert!(!BUDGET.keep_going(&[3_000.0, 1_000.0]), "4 s spent");
        let slow = BUDGET.timing(&[3_000.0, 1_000.0]);
        assert_eq!(
            slow,
            Timing::OverCap {
                cap_ms: 4_000.0,
                steps: 2
            }
        );
        let m = Measurement {
            webgpu: slow,
            cpu: measured(250.0),
            adapter: None,
        };
        assert_eq!(m.picked(), DeviceKind::Cpu);
        assert_eq!(m.figures(), "WebGPU over the 4 s cap vs CPU 250 ms/step");
        // The CPU over the cap and WebGPU measured: WebGPU.
        let m = Measurement {
            webgpu: measured(900.0),
            cpu: BUDGET.timing(&[5_000.0]),
            adapter: None,
        };
        assert_eq!(m.picked(), DeviceKind::WebGpu);
    }

    #[test]
    fn the_faster_backend_wins_and_ties_and_failures_go_to_the_cpu() {
        let pick = |gpu: Timing, cpu: Timing| {
            Measurement {
                webgpu: gpu,
                cpu,
                adapter: None,
            }
            .picked()
        };
        assert_eq!(pick(measured(41.0), measured(9.0)), DeviceKind::Cpu);
        assert_eq!(pick(measured(4.0), measured(9.0)), DeviceKind::WebGpu);
        assert_eq!(pick(measured(9.0), measured(9.0)), DeviceKind::Cpu);
        let failed = Timing::Failed {
            reason: "device lost".into(),
        };
        assert_eq!(pick(failed.clone(), measured(9.0)), DeviceKind::Cpu);
        // Both failed: the CPU (the page has nothing better).
        assert_eq!(pick(failed.clone(), failed), DeviceKind::Cpu);
    }

    #[test]
    fn a_measurement_without_webgpu_in_the_build_is_shown_not_remembered() {
        let m = Measurement {
            webgpu: Timing::NotInBuild,
            cpu: measured(9.37),
            adapter: None,
        };
        assert_eq!(m.picked(), DeviceKind::Cpu);
        assert_eq!(m.figures(), "WebGPU unavailable vs CPU 9.4 ms/step");
        assert!(m.detail().ends_with(NOT_IN_BUILD), "{}", m.detail());
        assert!(!m.rememberable());
        let browser_said_no = Measurement {
            webgpu: Timing::Unavailable {
                reason: "WebGPU unavailable: navigator.gpu is missing".into(),
            },
            ..m
        };
        assert!(browser_said_no.rememberable());
    }

    #[test]
    fn the_sentences_name_the_pick_the_figures_and_the_adapter() {
        let m = Measurement {
            webgpu: measured(41.2),
            cpu: measured(9.37),
            adapter: Some("WebGPU adapter: Google · swiftshader".into()),
        };
        assert_eq!(m.figures(), "WebGPU 41 ms/step vs CPU 9.4 ms/step");
        assert_eq!(
            m.detail(),
            "CPU by measurement: WebGPU 41 ms/step vs CPU 9.4 ms/step (median of 5 training \
             steps); WebGPU adapter: Google · swiftshader"
        );
        let none = Measurement {
            webgpu: Timing::Unavailable {
                reason: "WebGPU unavailable: navigator.gpu is missing".into(),
            },
            cpu: measured(12.0),
            adapter: None,
        };
        assert_eq!(none.figures(), "WebGPU unavailable vs CPU 12 ms/step");
        assert!(none
            .detail()
            .ends_with("; WebGPU unavailable: navigator.gpu is missing"));
        assert_eq!(format_ms(9.0), "9");
        assert_eq!(format_ms(0.27), "0.3");
    }

    #[test]
    fn a_measurement_round_trips_through_json() {
        let m = Measurement {
            webgpu: Timing::Failed {
                reason: "shader failed".into(),
            },
            cpu: measured(9.5),
            adapter: Some("x".into()),
        };
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Measurement>(&text).unwrap(), m);
        assert_eq!(
            serde_json::to_string(&DeviceKind::WebGpu).unwrap(),
            "\"webgpu\""
        );
    }
}
