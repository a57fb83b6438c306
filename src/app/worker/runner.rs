//! The search worker's main loop (runs inside a dedicated web worker, never on the page's
//! thread): receives [`ToWorker`] commands, loads the data, picks the device (WebGPU when
//! allowed and available, else burn's CPU backend), trains the supernet when asked, and
//! runs the engine's `run_search`, posting [`FromWorker`] events as it goes. A candidate
//! whose training diverges is recorded as failed and the search goes on; only a lost
//! WebGPU device (burn reports it poisoned) switches to the CPU, continuing from the last
//! finished evaluation.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::compute::{pick_compute, pick_measured, start_compute, Compute};
use super::context::{busy, data_and_space, data_for, launch, post, request_stop};
use super::data::Splits;
use super::evaluator::Shared;
use super::gpu::gpu_lost;
use super::pool::{run_pool, Local};
use super::protocol::{FromWorker, Phase, ToWorker};
use super::single::OneNetwork;
use super::supernet::supernet_for;
use super::weights;
use crate::app::backend_measure::DeviceKind;
use crate::app::settings::BackendChoice;
use crate::engine::cache_codec::CompactCache;
use crate::engine::results::{RunResults, SearchSettings};
use crate::engine::search::{run_search, total_evaluations, SearchError, SearchEvent};
use crate::model::clock::now_seconds;
use crate::model::smoke::smoke_train;

thread_local! {
    /// Backend questions asked so far (`Probe`, `Measure`): only the latest is answered.
    static PROBES: Cell<u64> = const { Cell::new(0) };
}

/// The worker's entry point: installs the message handler and says `Ready`.
pub fn run_worker() {
    // A panic aborts the worker's WebAssembly: tell the page why before it does.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromWorker::Failed {
            message: format!("the search worker crashed: {info}"),
        });
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return post(&FromWorker::Failed {
                message: "the worker expects JSON text messages".into(),
            });
        };
        match ToWorker::from_json(&text) {
            Ok(message) => on_message(message),
            Err(e) => post(&FromWorker::Failed {
                message: e.to_string(),
            }),
        }
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Ready);
}

/// One message from the page (or, for `Job`, from the search worker).
fn on_message(message: ToWorker) {
    match message {
        ToWorker::Start {
            settings,
            resume,
            backend,
            workers,
            compare,
        } => launch("a search", failed, move |shared| {
            let request = Request {
                backend,
                workers,
                compare,
            };
            search(settings, resume, request, shared)
        }),
        ToWorker::Job { job } => super::member::on_job(job),
        ToWorker::Evaluate {
            settings,
            genome,
            backend,
        } => one_network(settings, OneNetwork::Genome(genome), backend),
        ToWorker::EvaluateWeights {
            settings,
            backend,
            weights,
        } => one_network(settings, OneNetwork::Weights(weights), backend),
        ToWorker::ExportWeights {
            index,
            exit_rule,
            thresholds,
        } => wasm_bindgen_futures::spawn_local(weights::export(index, exit_rule, thresholds)),
        ToWorker::Probe {
            backend,
            remembered,
        } => {
            if let Some(m) = remembered {
                super::measure::remember(m);
            }
            wasm_bindgen_futures::spawn_local(probe(backend, false));
        }
        ToWorker::Measure { backend } => match busy() {
            // Timing steps beside a training run would measure neither fairly.
            Some(busy) => post(&FromWorker::MeasureRefused {
                reason: format!("the worker is busy with {busy}; measure again when it is done"),
            }),
            None => wasm_bindgen_futures::spawn_local(probe(backend, true)),
        },
        ToWorker::Smoke {
            dataset,
            seed,
            steps,
            backend,
        } => launch("smoke training", smoke_failed, move |_| {
            smoke(dataset, seed, steps, backend)
        }),
        ToWorker::Pause => {
            request_stop();
            super::pool_members::wake();
        }
    }
}

/// Runs one network (a linked genome or imported weights) as a run of its own.
fn one_network(settings: SearchSettings, what: OneNetwork, backend: BackendChoice) {
    launch("a network", failed, move |shared| {
        super::single::evaluate_one(settings, what, backend, shared)
    })
}

/// Answers which device `choice` trains on (`fresh`: measuring the backends again). An
/// answer overtaken by a later question (the setting changed while this one measured) is
/// not sent: the badge shows the latest only.
async fn probe(choice: BackendChoice, fresh: bool) {
    let asked = PROBES.get() + 1;
    PROBES.set(asked);
    let (compute, detail, measurement) = pick_measured(choice, fresh).await;
    if PROBES.get() != asked {
        return;
    }
    post(&FromWorker::Probed {
        kind: compute.kind(),
        detail,
        measurement,
    });
}

fn failed(message: String) -> FromWorker {
    FromWorker::Failed { message }
}

fn smoke_failed(message: String) -> FromWorker {
    FromWorker::SmokeFailed { message }
}

/// A smoke-training run: `SmokeStep`s as it goes; returns `SmokeDone` or `SmokeFailed`.
async fn smoke(dataset: String, seed: u64, steps: usize, backend: BackendChoice) -> FromWorker {
    let started = now_seconds();
    let result = async {
        // Quietly: status lines belong to the search panel.
        let data = data_for(&dataset, seed, &|_| {})
            .await
            .map_err(|e| e.to_string())?;
        let (compute, _) = pick_compute(backend).await;
        let on_step = |step, loss| post(&FromWorker::SmokeStep { step, loss });
        smoke_train(&compute.device, &data.train, steps, seed, on_step)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match result {
        Ok(losses) => FromWorker::SmokeDone {
            losses,
            seconds: now_seconds() - started,
        },
        Err(message) => FromWorker::SmokeFailed { message },
    }
}

/// How a search request runs (see [`ToWorker::Start`]).
struct Request {
    backend: BackendChoice,
    workers: usize,
    compare: bool,
}

/// One whole search request; returns the final message (`Paused`, `Finished`, `Failed`).
async fn search(
    mut settings: SearchSettings,
    resume: Option<RunResults>,
    request: Request,
    shared: Rc<Shared>,
) -> FromWorker {
    let Request {
        backend: choice,
        workers,
        compare,
    } = request;
    let (data, space) = match data_and_space(&settings).await.map_err(|e| e.to_string()) {
        Ok(d) => d,
        Err(message) => return FromWorker::Failed { message },
    };
    let mut compute = start_compute(choice, &mut settings).await;
    if resume.is_none() {
        weights::clear();
    }
    let mut run = resume.unwrap_or_else(|| RunResults::new(settings.clone()));
    run.settings.backend = settings.backend.clone();
    let (wall0, started) = (run.wall_seconds, now_seconds());
    loop {
        let supernet = match supernet_for(&run.settings, &space, &data, &compute, &shared).await {
            Ok(s) => s,
            Err(None) => return FromWorker::Paused { run },
            Err(Some(message)) => return FromWorker::Failed { message },
        };
        // A GPU is one device: the pool trains on the CPU only.
        let workers = if compute.webgpu { 1 } else { workers.max(1) };
        post(&training_status(workers));
        let settings = run.settings.clone();
        let local = Local {
            space: &space,
            settings: &settings,
            data: &data,
            device: &compute.device,
            supernet: supernet.as_ref(),
            shared: &shared,
        };
        let mut on_event = |event: &SearchEvent, run: &RunResults| {
            let wall = wall0 + now_seconds() - started;
            if compare {
                on_compare_event(event, run, &shared, wall)
            } else {
                on_search_event(event, run, &shared, &data, wall)
            }
        };
        let result = if workers > 1 {
            run_pool(&mut run, &local, workers, &mut on_event).await
        } else {
            run_search(&mut run, &space, &mut local.evaluator(), &mut on_event).await
        };
        run.wall_seconds = wall0 + now_seconds() - started;
        match result {
            Ok(()) if run.evaluations_done() < total_evaluations(&run.settings) => {
                return FromWorker::Paused { run }
            }
            Ok(()) => return FromWorker::Finished { run },
            Err(SearchError::DeviceLost { message, .. }) if compute.webgpu => {
                gpu_lost(&message);
                post(&FromWorker::BackendLost {
                    reason: format!("WebGPU failed: {message}"),
                });
                compute = Compute::cpu();
                post(&FromWorker::Backend {
                    kind: DeviceKind::Cpu,
                    detail: "CPU after the GPU device was lost".into(),
                });
                run.settings.backend = "cpu".into();
            }
            Err(e) => {
                return FromWorker::Failed {
                    message: e.to_string(),
                }
            }
        }
    }
}

/// The status line of a search training candidates on `workers` workers.
fn training_status(workers: usize) -> FromWorker {
    FromWorker::Status {
        message: match workers {
            1 => "Training candidates…".into(),
            n => format!("Training candidates on {n} workers…"),
        },
    }
}

/// Forwards one event of a comparison run: as [`on_search_event`], but a candidate is
/// `Recorded` without its cache and no weights are kept.
fn on_compare_event(event: &SearchEvent, run: &RunResults, shared: &Shared, wall: f64) -> bool {
    match event {
        SearchEvent::Evaluated { .. } | SearchEvent::Failed { .. } => {
            shared.last_cache.borrow_mut().take();
            shared.last_compact.borrow_mut().take();
            shared.last_net.borrow_mut().take();
            let mut run = run.clone();
            run.wall_seconds = wall;
            post(&FromWorker::Recorded { run });
            !shared.stop.get()
        }
        SearchEvent::Evaluating {
            index,
            total,
            iteration,
            ..
        } => {
            *shared.phase.borrow_mut() = Some(Phase::Candidate {
                index: *index,
                total: *total,
                iteration: *iteration,
            });
            !shared.stop.get()
        }
        SearchEvent::Started { total, done } => {
            post(&FromWorker::Started {
                total: *total,
                done: *done,
            });
            !shared.stop.get()
        }
        SearchEvent::IterationDone { .. } | SearchEvent::Finished => !shared.stop.get(),
    }
}

/// Forwards one search event to the page; `false` (stop) once a pause was requested.
fn on_search_event(
    event: &SearchEvent,
    run: &RunResults,
    shared: &Shared,
    data: &Splits,
    wall: f64,
) -> bool {
    match event {
        SearchEvent::Started { total, done } => post(&FromWorker::Started {
            total: *total,
            done: *done,
        }),
        SearchEvent::Evaluating {
            index,
            total,
            iteration,
            genome,
            ..
        } => {
            *shared.phase.borrow_mut() = Some(Phase::Candidate {
                index: *index,
                total: *total,
                iteration: *iteration,
            });
            post(&FromWorker::Evaluating {
                index: *index,
                iteration: *iteration,
                genome: genome.to_string(),
            });
        }
        SearchEvent::Evaluated { index, .. } => {
            let compact = shared.last_compact.borrow_mut().take();
            let Some(cache) = compact.or_else(|| {
                let cache = shared.last_cache.borrow_mut().take();
                cache.as_ref().map(CompactCache::encode)
            }) else {
                post(&FromWorker::Failed {
                    message: "internal: no cache for an evaluated candidate".into(),
                });
                return false;
            };
            if let Some(net) = shared.last_net.borrow_mut().take() {
                weights::keep(*index, net, &run.settings, data);
            }
            let mut run = run.clone();
            run.wall_seconds = wall;
            post(&FromWorker::Evaluated {
                index: *index,
                run,
                cache,
            });
        }
        SearchEvent::Failed { slot, reason, .. } => {
            shared.last_cache.borrow_mut().take();
            shared.last_compact.borrow_mut().take();
            shared.last_net.borrow_mut().take();
            post(&FromWorker::CandidateFailed {
                slot: *slot,
                reason: reason.clone(),
                run: run.clone(),
            })
        }
        SearchEvent::IterationDone { .. } => post(&FromWorker::IterationDone { run: run.clone() }),
        SearchEvent::Finished => {}
    }
    !shared.stop.get()
}
