//! The worker's side of the backend chosen by measurement: times the fixed small training
//! job ([`time_steps`]) on the CPU, then on WebGPU when the browser offers an adapter,
//! within [`BUDGET`] per backend, and keeps the outcome for this worker. The page sends
//! the measurement it remembers with its first `Probe`, so a later visit does not measure
//! again; the decision itself is [`Measurement::picked`].
//!
//! One measurement at a time: a request that needs it while it runs (a search starting
//! right after the page opened) waits for its outcome. A backend never holds it longer
//! than the cap ([`BUDGET`]`.cap_ms`), however long one of its steps takes.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use burn::tensor::Device;
use wasm_bindgen::{JsCast, JsValue};

use super::context::post;
use super::gpu::{gpu_lost, webgpu, GpuError};
use super::protocol::FromWorker;
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
        Err(GpuError::NotInBuild) => (Timing::NotInBuild, None),
        Err(e) => (
            Timing::Unavailable {
                reason: e.to_string(),
            },
            None,
        ),
    };
    Measurement {
        webgpu,
        cpu,
        adapter,
    }
}

/// One backend's timing within the budget. The cap is checked between steps and also
/// raced against a timer: a single step that outlasts it (a software adapter compiling
/// its kernels) is abandoned there, and the backend counts as over the cap.
async fn timing(device: &Device) -> Timing {
    let seen = RefCell::new(Vec::new());
    let mut keep_going = |times: &[f64]| {
        *seen.borrow_mut() = times.to_vec();
        BUDGET.keep_going(times)
    };
    let run = time_steps(device, MEASURE_BATCH, BUDGET.steps(), &mut keep_going);
    let outcome = Race {
        work: Box::pin(run),
        timer: Box::pin(sleep_ms(BUDGET.cap_ms)),
    }
    .await;
    match outcome {
        None => BUDGET.timing(&seen.borrow()),
        Some(Ok(times)) => BUDGET.timing(&times),
        Some(Err(TrainError::DeviceLost(reason))) => {
            gpu_lost(&reason);
            Timing::Failed {
                reason: format!("the device was lost ({reason})"),
            }
        }
        Some(Err(e)) => Timing::Failed {
            reason: e.to_string(),
        },
    }
}

/// `work`'s output, or `None` once `timer` finished first (then `work` is dropped).
struct Race<W, T> {
    work: Pin<Box<W>>,
    timer: Pin<Box<T>>,
}

impl<W: Future, T: Future<Output = ()>> Future for Race<W, T> {
    type Output = Option<W::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(out) = self.work.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Resolves after `ms` milliseconds (the worker's `setTimeout`; at once when missing).
async fn sleep_ms(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&global, &resolve, &JsValue::from_f64(ms));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
