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
use crate::engine::space::SearchSpace;
use crate::model::clock::now_seconds;

/// What a one-network run evaluates.
pub enum OneNetwork {
    /// A shared link's genome (as text), trained as the settings say.
    Genome(String),
    /// An imported weights file (base64), evaluated as it is.
    Weights(String),
}

/// Trains (or, for imported weights, only evaluates) one network as a one-candidate run.
pub async fn evaluate_one(
    mut settings: SearchSettings,
    what: OneNetwork,
    choice: BackendChoice,
    shared: Rc<Shared>,
) -> FromWorker {
    weights::clear();
    let (data, space) = match data_and_space(&settings).await.map_err(|e| e.to_string()) {
        Ok(d) => d,
        Err(message) => return FromWorker::Failed { message },
    };
    let (genome, imported) = match network_of(&what, &data, &space, &settings) {
        Ok(n) => n,
        Err(message) => return FromWorker::Failed { message },
    };
    let compute = start_compute(choice, &mut settings).await;
    (
        settings.n_doe,
        settings.iterations,
        settings.supernet_epochs,
    ) = (1, 0, 0);
    let started = now_seconds();
    announce(&shared, &genome);
    let record = match imported {
        Some(bytes) => {
            post(&FromWorker::Status {
                message: "Evaluating the imported weights…".into(),
            });
            let at = (data.as_ref(), &compute.device, shared.as_ref());
            imported_record(&space, &genome, &bytes, &settings, at).await
        }
        None => {
            let mut evaluator = WorkerEvaluator {
                space: &space,
                settings: &settings,
                data: &data,
                device: &compute.device,
                supernet: None,
                shared: &shared,
                post: &post,
            };
            match evaluator.evaluate(&genome, settings.method).await {
                Ok(r) => Ok(r),
                Err(EvalError::Cancelled) => {
                    Err("stopped before the linked network finished training".into())
                }
                Err(e) => Err(e.to_string()),
            }
        }
    };
    match record {
        Ok(record) => finish(record, settings, genome, &shared, &data, started),
        Err(message) => FromWorker::Failed { message },
    }
}

/// The canonical genome to evaluate and, for imported weights, the file's bytes (checked
/// against the data first).
fn network_of(
    what: &OneNetwork,
    data: &Splits,
    space: &SearchSpace,
    settings: &SearchSettings,
) -> Result<(Genome, Option<Vec<u8>>), String> {
    let (text, bytes) = match what {
        OneNetwork::Genome(g) => (g.clone(), None),
        OneNetwork::Weights(w) => {
            let (meta, bytes) = weights::decode(w, data).map_err(|e| e.to_string())?;
            (meta.genome, Some(bytes))
        }
    };
    let genome = text
        .parse::<Genome>()
        .map_err(|e| format!("the linked network is not valid: {e}"))?;
    Ok((genome.canonical(space, settings.method), bytes))
}

/// Tells the page a one-candidate run started and which network it trains.
fn announce(shared: &Shared, genome: &Genome) {
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
}

/// Scores imported weights (no training) on `data` with `device`, keeping their cache and
/// network in `shared` for [`finish`].
async fn imported_record(
    space: &SearchSpace,
    genome: &Genome,
    bytes: &[u8],
    settings: &SearchSettings,
    (data, device, shared): (&Splits, &burn::tensor::Device, &Shared),
) -> Result<CandidateRecord, String> {
    let arch = Architecture::decode(space, settings.method, genome)
        .map_err(|e| format!("the imported network is not valid: {e}"))?;
    let (record, cache, net) = weights::evaluate_imported(&arch, bytes, settings, data, device)
        .await
        .map_err(|e| e.to_string())?;
    *shared.last_cache.borrow_mut() = Some(cache);
    *shared.last_net.borrow_mut() = Some(net);
    Ok(record)
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
