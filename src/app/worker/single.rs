//! A shared link's network, trained in the worker as a run of its own: one candidate,
//! the link's dataset, seed and training settings (`n_doe = 1`, no iterations, no
//! supernet), so the same link gives the same network on the CPU backend.

use std::rc::Rc;

use super::codec::CompactCache;
use super::evaluator::{Shared, WorkerEvaluator};
use super::protocol::{FromWorker, Phase};
use super::runner::{data_and_space, post, start_compute};
use crate::app::settings::BackendChoice;
use crate::engine::genome::Genome;
use crate::engine::results::{RunResults, SearchSettings};
use crate::engine::search::Evaluator;
use crate::model::clock::now_seconds;

/// Trains one genome as a one-candidate run (a shared link's network).
pub async fn evaluate_one(
    mut settings: SearchSettings,
    genome: &str,
    choice: BackendChoice,
    shared: Rc<Shared>,
) -> FromWorker {
    let (data, space) = match data_and_space(&settings).await {
        Ok(d) => d,
        Err(message) => return FromWorker::Failed { message },
    };
    let genome = match genome.parse::<Genome>() {
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
    let mut run = RunResults::new(settings.clone());
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
    let record = match evaluator.evaluate(&genome, settings.method).await {
        Ok(mut r) => {
            (r.genome, r.method, r.iteration) = (genome, settings.method, 0);
            r
        }
        Err(_) if shared.stop.get() => {
            return FromWorker::Failed {
                message: "stopped before the linked network finished training".into(),
            }
        }
        Err(message) => return FromWorker::Failed { message },
    };
    run.archive.push(record);
    run.pareto_front = vec![0];
    run.wall_seconds = now_seconds() - started;
    let Some(cache) = shared.last_cache.borrow_mut().take() else {
        return FromWorker::Failed {
            message: "internal: no cache for the linked network".into(),
        };
    };
    post(&FromWorker::Evaluated {
        index: 0,
        run: run.clone(),
        cache: CompactCache::encode(&cache),
    });
    FromWorker::Finished { run }
}
