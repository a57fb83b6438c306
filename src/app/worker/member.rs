//! A pool worker's side: the same worker binary, started by the search worker that runs a
//! search (not by the page), evaluates one [`Job`] at a time on burn's CPU backend and
//! answers [`FromWorker::JobDone`] with the record, the test-set cache and the trained
//! weights. It keeps the dataset (and a trained supernet) between jobs, as the search
//! worker does; a `Pause` stops its job at the next training step (`Cancelled`).
//!
//! Everything a job's evaluation reads is in the job (genome, settings and seed) or
//! derived from it (the data split, the supernet), so it gives the record the search
//! worker itself would.

use std::rc::Rc;

use super::compute::Compute;
use super::context::{busy, data_and_space, launch, post};
use super::evaluator::{Shared, WorkerEvaluator};
use super::job::{Job, JobOutcome, JobResult};
use super::protocol::FromWorker;
use super::supernet::supernet_for;
use super::weights;
use crate::engine::cache_codec::CompactCache;
use crate::engine::search::{EvalError, Evaluator};

/// Runs `job` unless this worker is busy (then refuses it at once).
pub fn on_job(job: Job) {
    let (batch, index) = (job.batch, job.index);
    let answer = move |outcome| FromWorker::JobDone {
        result: JobResult {
            batch,
            index,
            outcome,
        },
    };
    if let Some(what) = busy() {
        return post(&answer(JobOutcome::Refused {
            reason: format!("the pool worker is busy with {what}"),
        }));
    }
    launch("a pool job", failed, move |shared| async move {
        answer(evaluate(job, &shared).await)
    });
}

fn failed(message: String) -> FromWorker {
    FromWorker::Failed { message }
}

/// Evaluates one job on the CPU.
async fn evaluate(job: Job, shared: &Rc<Shared>) -> JobOutcome {
    let (data, space) = match data_and_space(&job.settings)
        .await
        .map_err(|e| e.to_string())
    {
        Ok(d) => d,
        Err(reason) => return JobOutcome::Refused { reason },
    };
    let compute = Compute::cpu();
    let supernet = match supernet_for(&job.settings, &space, &data, &compute, shared).await {
        Ok(s) => s,
        Err(None) => return JobOutcome::Cancelled,
        Err(Some(reason)) => return JobOutcome::Refused { reason },
    };
    // No progress messages: the search worker reports its own candidate's steps.
    shared.phase.borrow_mut().take();
    let mut evaluator = WorkerEvaluator {
        space: &space,
        settings: &job.settings,
        data: &data,
        device: &compute.device,
        supernet: supernet.as_ref(),
        shared,
        post: &post,
    };
    match evaluator.evaluate(&job.genome, job.settings.method).await {
        Ok(record) => {
            let Some(cache) = shared.last_cache.borrow_mut().take() else {
                return JobOutcome::Refused {
                    reason: "internal: no cache for an evaluated candidate".into(),
                };
            };
            let net = shared.last_net.borrow_mut().take();
            let weights = match net {
                Some(net) => weights::to_base64(&net, &job.settings, &data).await.ok(),
                None => None,
            };
            JobOutcome::Evaluated {
                record: Box::new(record),
                cache: CompactCache::encode(&cache),
                weights,
            }
        }
        Err(EvalError::Failed(reason)) => JobOutcome::Failed { reason },
        Err(EvalError::Cancelled) => JobOutcome::Cancelled,
        Err(EvalError::DeviceLost(reason)) => JobOutcome::Refused { reason },
    }
}
