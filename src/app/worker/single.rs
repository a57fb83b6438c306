//! A shared link's network, trained in the worker as a run of its own: one candidate,
//! the link's dataset, seed and training settings (`n_doe = 1`, no iterations, no
//! supernet), so the same link gives the same network on the CPU backend.

use std::rc::Rc;

use super::compute::start_compute;
use super::context::{data_and_space, post};
use super::data::Splits;
use super::evaluator::{Shared, WorkerEvaluator};
use super::protocol::{FromWorker, Phase};
use super::weights;
use crate::app::settings::BackendChoice;
use crate::engine::arch::Architecture;
use crate::engine::cache_codec::CompactCache;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, RunResults, SearchSettings};
use crate::engine::search::{EvalError, Evaluator};
use crate::model::clock::now_seconds;

/// Trains one genome as a one-candidate run (a shared link's network).
pub async fn evaluate_one(
    mut settings: SearchSettings,
    genome: &str,
    choice: BackendChoice,
    weights: Option<String>,
    shared: Rc<Shared>,
) -> FromWorker {
    weights::clear();
    let (data, space) = match data_and_space(&settings).await {
        Ok(d) => d,
        Err(message) => return FromWorker::Failed { message },
    };
    let imported = match weights
        .as_deref()
        .map(|w| weights::decode(w, &data))
        .transpose()
    {
        Ok(i) => i,
        Err(message) => return FromWorker::Failed { message },
    };
    let genome = match imported
        .as_ref()
        .map_or(genome, |(m, _)| &m.genome)
        .parse::<Genome>()
    {
        Ok(g) => g.canonical(&space, settings.method),
        Err(e) => {
            return FromWorker::Failed {
                message: format!("the linked network is not valid: {e}"),
            }
        }
    };
    let compute = start_compute(choice, &mut settings).await;
    (
        settings.n_doe,
        settings.iterations,
        settings.supernet_epochs,
    ) = (1, 0, 0);
    let started = now_seconds();
    post(&FromWorker::Started { total: 1, done: 0 });
    *shared.phase.borrow_mut() = Some(Phase::Candidate {
        index: 0,
        total: 1,
        iteration: 0,
    });
    post(&FromWorker::Evaluating {
        index: 0,
        iteration: 0,
        genome: genome.to_string(),
    });
    let mut evaluator = WorkerEvaluator {
        space: &space,
        settings: &settings,
        data: &data,
        device: &compute.device,
        supernet: None,
        shared: &shared,
        post: &post,
    };
    if let Some((_, bytes)) = &imported {
        post(&FromWorker::Status {
            message: "Evaluating the imported weights…".into(),
        });
        let arch = match Architecture::decode(&space, settings.method, &genome) {
            Ok(a) => a,
            Err(e) => {
                return FromWorker::Failed {
                    message: format!("the imported network is not valid: {e}"),
                }
            }
        };
        match weights::evaluate_imported(&arch, bytes, &settings, &data, &compute.device).await {
            Ok((record, cache, net)) => {
                *shared.last_cache.borrow_mut() = Some(cache);
                *shared.last_net.borrow_mut() = Some(net);
                return finish(record, settings, genome, &shared, &data, started);
            }
            Err(message) => return FromWorker::Failed { message },
        }
    }
    let record = match evaluator.evaluate(&genome, settings.method).await {
        Ok(r) => r,
        Err(EvalError::Cancelled) => {
            return FromWorker::Failed {
                message: "stopped before the linked network finished training".into(),
            }
        }
        Err(e) => {
            return FromWorker::Failed {
                message: e.to_string(),
            }
        }
    };
    finish(record, settings, genome, &shared, &data, started)
}

/// The one-candidate run of `record`: posts `Evaluated`, returns `Finished`.
fn finish(
    mut record: CandidateRecord,
    settings: SearchSettings,
    genome: Genome,
    shared: &Shared,
    data: &Splits,
    started: f64,
) -> FromWorker {
    (record.genome, record.method, record.iteration) = (genome, settings.method, 0);
    let mut run = RunResults::new(settings);
    run.archive.push(record);
    run.pareto_front = vec![0];
    run.wall_seconds = now_seconds() - started;
    let Some(cache) = shared.last_cache.borrow_mut().take() else {
        return FromWorker::Failed {
            message: "internal: no cache for the linked network".into(),
        };
    };
    if let Some(net) = shared.last_net.borrow_mut().take() {
        weights::keep(0, net, &run.settings, data);
    }
    post(&FromWorker::Evaluated {
        index: 0,
        run: run.clone(),
        cache: CompactCache::encode(&cache),
    });
    FromWorker::Finished { run }
}
