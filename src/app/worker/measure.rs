//! The worker's side of the backend chosen by measurement: times the fixed small training
//! job ([`time_steps`]) on the CPU, then on WebGPU when the browser offers an adapter,
//! within [`BUDGET`] per backend, and keeps the outcome for this worker. The page sends
//! the measurement it remembers with its first `Probe`, so a later visit does not measure
//! again; the decision itself is [`Measurement::picked`].
//!
//! One measurement at a time: a request that needs it while it runs (a search starting
//! right after the page opened) waits for its outcome.

use std::cell::{Cell, RefCell};

use burn::tensor::Device;

use super::compute::{gpu_lost, webgpu};
use super::protocol::FromWorker;
use super::runner::post;
use crate::app::backend_measure::{Measurement, Timing, BUDGET, MEASURE_BATCH};
use crate::model::clock::yield_now;
use crate::model::step_timing::time_steps;
use crate::model::train::TrainError;

thread_local! {
    /// The measurement this worker uses (made here or remembered by the page).
    static MEASURED: RefCell<Option<Measurement>> = const { RefCell::new(None) };
    /// Whether a measurement runs now.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

/// Takes the page's remembered measurement unless this worker has one already.
pub fn remember(measurement: Measurement) {
    MEASURED.with_borrow_mut(|m| {
        if m.is_none() {
            *m = Some(measurement);
        }
    });
}

/// The measurement to decide by: the one this worker has, else a new one (`fresh`
/// measures again regardless). Waits while another request measures.
pub async fn measurement(fresh: bool) -> Measurement {
    while MEASURING.get() {
        yield_now().await;
    }
    if !fresh {
        if let Some(m) = MEASURED.with_borrow(|m| m.clone()) {
            return m;
        }
    }
    MEASURING.set(true);
    post(&FromWorker::Measuring);
    let m = measure().await;
    MEASURED.set(Some(m.clone()));
    MEASURING.set(false);
    m
}

/// Times the CPU, then WebGPU (so that GPU work still queued cannot slow the CPU's steps).
async fn measure() -> Measurement {
    let cpu = timing(&Device::flex()).await;
    let (webgpu, adapter) = match webgpu().await {
        Ok((device, adapter)) => {
            let t = timing(&device).await;
            (t, Some(adapter))
        }
        Err(reason) => (Timing::Unavailable { reason }, None),
    };
    Measurement {
        webgpu,
        cpu,
        adapter,
    }
}

/// One backend's timing within the budget.
async fn timing(device: &Device) -> Timing {
    let mut keep_going = |times: &[f64]| BUDGET.keep_going(times);
    match time_steps(device, MEASURE_BATCH, BUDGET.steps(), &mut keep_going).await {
        Ok(times) => BUDGET.timing(&times),
        Err(TrainError::DeviceLost(reason)) => {
            gpu_lost(&reason);
            Timing::Failed {
                reason: format!("the device was lost ({reason})"),
            }
        }
        Err(e) => Timing::Failed {
            reason: e.to_string(),
        },
    }
}
