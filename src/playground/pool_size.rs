//! How many search workers evaluate a search's candidates side by side: the user's
//! "workers" setting, or (0 = auto) one per core (`navigator.hardwareConcurrency`), and
//! never more than the memory budget holds. On the 2-core machine two workers took 0.58
//! of one worker's wall time with no main-thread task of 50 ms or more
//! (`bench/page-pool.mjs`, README), so the page keeps no core for itself.
//!
//! Memory: every worker holds its own copy of the dataset and trains one network at a
//! time, so it needs about [`RUNTIME_MIB`] (its WebAssembly instance, burn's CPU backend
//! and a browser-sized network's training) plus twice the dataset's pixels (the parsed
//! images and the batch being built). The budget is half the device memory the browser
//! reports (`navigator.deviceMemory`, GiB, which Chromium rounds and caps at 8), or
//! [`DEFAULT_BUDGET_MIB`] when the browser does not say.

/// Memory of one worker beside its dataset (MiB).
pub const RUNTIME_MIB: f64 = 128.0;
/// The memory budget when the browser does not report its device memory (MiB).
pub const DEFAULT_BUDGET_MIB: f64 = 2048.0;
/// The most workers a search uses, whatever the setting or the core count.
pub const MAX_WORKERS: usize = 16;

/// What the pool size is computed from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolInputs {
    /// The "workers" setting (0 = auto).
    pub setting: usize,
    /// Logical cores the browser reports (`None`: not reported).
    pub cores: Option<usize>,
    /// Device memory the browser reports, GiB (`None`: not reported).
    pub device_memory_gib: Option<f64>,
    /// Pixels of the dataset a worker loads (images × channels × height × width).
    pub dataset_pixels: usize,
}

/// The pool size and why.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolSize {
    /// Workers that evaluate candidates (≥ 1).
    pub workers: usize,
    /// Estimated memory of one worker (MiB).
    pub per_worker_mib: f64,
    /// Workers the memory budget holds.
    pub memory_cap: usize,
    /// One line for the compute panel.
    pub reason: String,
}

/// Estimated memory of one worker holding `dataset_pixels` pixels (MiB).
pub fn per_worker_mib(dataset_pixels: usize) -> f64 {
    RUNTIME_MIB + 2.0 * dataset_pixels as f64 / (1024.0 * 1024.0)
}

/// The memory budget of the pool (MiB).
pub fn budget_mib(device_memory_gib: Option<f64>) -> f64 {
    match device_memory_gib {
        Some(g) if g.is_finite() && g > 0.0 => g * 1024.0 / 2.0,
        _ => DEFAULT_BUDGET_MIB,
    }
}

/// How many workers a search uses, and why.
pub fn pool_size(inputs: PoolInputs) -> PoolSize {
    let per_worker = per_worker_mib(inputs.dataset_pixels);
    let budget = budget_mib(inputs.device_memory_gib);
    let memory_cap = ((budget / per_worker).floor() as usize).clamp(1, MAX_WORKERS);
    let plural = |n: usize| if n == 1 { "worker" } else { "workers" };
    let (wanted, why) = if inputs.setting > 0 {
        (inputs.setting, "set by hand".to_owned())
    } else {
        match inputs.cores {
            Some(c) => (c.max(1), format!("auto: one per core, {c} cores")),
            None => (
                1,
                "auto: the browser does not say how many cores".to_owned(),
            ),
        }
    };
    let wanted = wanted.min(MAX_WORKERS);
    let workers = wanted.min(memory_cap);
    let reason = if workers < wanted {
        format!(
            "{workers} {} ({why}; memory for {memory_cap} at ~{per_worker:.0} MiB each in {budget:.0} MiB)",
            plural(workers)
        )
    } else {
        format!("{workers} {} ({why})", plural(workers))
    };
    PoolSize {
        workers,
        per_worker_mib: per_worker,
        memory_cap,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fashion-MNIST as shipped: 10,000 training and 2,000 test images of 28×28.
    const SHIPPED: usize = 12_000 * 28 * 28;

    fn inputs(setting: usize, cores: Option<usize>, gib: Option<f64>) -> PoolInputs {
        PoolInputs {
            setting,
            cores,
            device_memory_gib: gib,
            dataset_pixels: SHIPPED,
        }
    }

    #[test]
    fn auto_is_one_per_core() {
        let n = |cores| pool_size(inputs(0, cores, Some(8.0))).workers;
        assert_eq!(
            (n(Some(0)), n(Some(1)), n(Some(2)), n(Some(4)), n(Some(8))),
            (1, 1, 2, 4, 8)
        );
        assert_eq!(n(None), 1);
        assert_eq!(n(Some(64)), MAX_WORKERS);
        assert_eq!(
            pool_size(inputs(0, Some(4), Some(8.0))).reason,
            "4 workers (auto: one per core, 4 cores)"
        );
    }

    #[test]
    fn the_setting_wins_over_the_cores_but_not_over_memory() {
        assert_eq!(pool_size(inputs(2, Some(2), None)).workers, 2);
        assert_eq!(pool_size(inputs(5, Some(1), Some(8.0))).workers, 5);
        assert_eq!(
            pool_size(inputs(99, Some(128), Some(8.0))).workers,
            MAX_WORKERS
        );
        // 0.5 GiB reported: a 256 MiB budget holds one worker of ~146 MiB.
        let small = pool_size(inputs(4, Some(8), Some(0.5)));
        assert_eq!((small.workers, small.memory_cap), (1, 1));
        assert_eq!(
            small.reason,
            "1 worker (set by hand; memory for 1 at ~146 MiB each in 256 MiB)"
        );
    }

    #[test]
    fn memory_per_worker_grows_with_the_dataset() {
        assert!((per_worker_mib(SHIPPED) - 145.94).abs() < 0.01);
        assert_eq!(per_worker_mib(0), RUNTIME_MIB);
        assert_eq!(budget_mib(None), DEFAULT_BUDGET_MIB);
        assert_eq!(budget_mib(Some(f64::NAN)), DEFAULT_BUDGET_MIB);
        assert_eq!(budget_mib(Some(4.0)), 2048.0);
        // A dataset of 50,000 colour 32×32 images: ~421 MiB per worker, 4 in 2 GiB.
        let big = pool_size(PoolInputs {
            dataset_pixels: 50_000 * 3 * 32 * 32,
            ..inputs(0, Some(16), None)
        });
        assert_eq!((big.workers, big.memory_cap), (4, 4));
    }
}
