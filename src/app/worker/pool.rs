//! The search worker as the coordinator of a pool: with `workers > 1` (CPU backend) it
//! starts `workers − 1` pool workers of its own (nested dedicated workers, the same
//! binary: [`member`](super::member)), asks the engine for an iteration's proposals,
//! hands them out in slot order — one to itself, one to each free pool worker — and tells
//! the outcomes in slot order whatever order they arrive in ([`PoolBatch`]), so the run
//! is the one a single worker makes. The page talks to the coordinator only, as before:
//! it reports the candidates it trains itself (`Evaluating`, `Progress`) and every
//! told outcome (`Evaluated`, `CandidateFailed`, `IterationDone`).
//!
//! A pause stops the coordinator's candidate and every pool worker's at their next
//! training step; outcomes that arrived are told, the others are evaluated again on
//! resume. A pool worker that crashes or refuses a job gives the job back to the queue
//! (one that cannot start is left out: the others, the coordinator included, go on).
//! Pool workers live as long as one search request: a paused run resumed starts new ones.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use super::data::Splits;
use super::evaluator::{Shared, WorkerEvaluator};
use super::job::{Job, JobOutcome};
use super::pool_batch::PoolBatch;
use super::pool_members::Heard;
use super::pool_members::{clear_inbox, close_members, ensure_members, for_members, free};
use super::pool_members::{poll_heard, stop};
use super::protocol::ToWorker;
use super::weights;
use crate::engine::arch::Architecture;
use crate::engine::cache_codec::CompactCache;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, RunResults, SearchSettings};
use crate::engine::search::{check_run, pareto_indices, AskTell, EvalError, Evaluator};
use crate::engine::search::{Outcome, Proposal, SearchError, SearchEvent, TellError};
use crate::engine::space::SearchSpace;
use crate::model::supernet::Supernet;

/// What the coordinator needs to evaluate candidates itself and keep their weights.
pub struct Local<'a> {
    /// The search space.
    pub space: &'a SearchSpace,
    /// The run's settings.
    pub settings: &'a SearchSettings,
    /// The data.
    pub data: &'a Splits,
    /// The CPU device.
    pub device: &'a burn::tensor::Device,
    /// A trained supernet, when the settings ask for one.
    pub supernet: Option<&'a Supernet>,
    /// Pause flag and the last cache.
    pub shared: &'a Rc<Shared>,
}

impl<'a> Local<'a> {
    /// The evaluator that trains a candidate on this worker, posting its progress to the
    /// page.
    pub fn evaluator(&self) -> WorkerEvaluator<'a> {
        WorkerEvaluator {
            space: self.space,
            settings: self.settings,
            data: self.data,
            device: self.device,
            supernet: self.supernet,
            shared: self.shared,
            post: &super::context::post,
        }
    }
}

/// An outcome as it arrived (from the coordinator or a pool worker).
enum Done {
    Evaluated {
        record: Box<CandidateRecord>,
        cache: CompactCache,
        /// The coordinator's own network.
        net: Option<Box<crate::model::network::EarlyExitNet>>,
        /// A pool worker's network file (base64).
        file: Option<String>,
    },
    Failed(String),
    DeviceLost(String),
}

thread_local! {
    static BATCHES: Cell<u64> = const { Cell::new(0) };
}

/// Event callback of the search (as `run_search` takes it).
pub type OnEvent<'a> = &'a mut dyn FnMut(&SearchEvent, &RunResults) -> bool;

/// Runs (or resumes) `run` with the coordinator and `workers − 1` pool workers; reports
/// what `run_search` reports. Returns when the run is complete, paused or failed; the
/// pool workers are then closed (their memory freed).
pub async fn run_pool(
    run: &mut RunResults,
    local: &Local<'_>,
    workers: usize,
    on_event: OnEvent<'_>,
) -> Result<(), SearchError> {
    let result = search_on_pool(run, local, workers, on_event).await;
    close_members();
    result
}

async fn search_on_pool(
    run: &mut RunResults,
    local: &Local<'_>,
    workers: usize,
    on_event: OnEvent<'_>,
) -> Result<(), SearchError> {
    let space = local.space;
    let total = check_run(run, space)?;
    run.pareto_front = pareto_indices(&run.archive);
    let done = run.evaluations_done();
    if !on_event(&SearchEvent::Started { total, done }, run) {
        return Ok(());
    }
    let mut steps = AskTell::default();
    for ev in steps.resume(space, run)? {
        if !on_event(&ev, run) {
            return Ok(());
        }
    }
    if let Err(e) = ensure_members(workers.saturating_sub(1)) {
        web_sys::console::warn_1(&e.to_string().into());
    }
    clear_inbox();
    loop {
        let asked = steps.propose(space, run, usize::MAX)?;
        if asked.is_empty() {
            break;
        }
        if !run_batch(run, local, &mut steps, asked, workers - 1, on_event).await? {
            return Ok(());
        }
    }
    on_event(&SearchEvent::Finished, run);
    Ok(())
}

type LocalJob<'a> = Pin<Box<dyn Future<Output = Result<Done, EvalError>> + 'a>>;

/// The coordinator trains one candidate itself.
fn evaluate_here<'a>(local: &'a Local<'a>, genome: Genome) -> LocalJob<'a> {
    Box::pin(async move {
        let mut evaluator = local.evaluator();
        let record = evaluator.evaluate(&genome, local.settings.method).await?;
        let cache = local.shared.last_cache.borrow_mut().take();
        let cache = cache.ok_or(EvalError::Failed("internal: no cache".into()))?;
        Ok(Done::Evaluated {
            record: Box::new(record),
            cache: CompactCache::encode(&cache),
            net: local.shared.last_net.borrow_mut().take().map(Box::new),
            file: None,
        })
    })
}

/// What the batch loop waits for.
enum Next {
    Here(Result<Done, EvalError>),
    Heard(usize, Heard),
}

/// Evaluates one iteration's proposals on the pool and tells them; `Ok(false)` = paused.
async fn run_batch(
    run: &mut RunResults,
    local: &Local<'_>,
    steps: &mut AskTell,
    asked: Vec<Proposal>,
    members: usize,
    on_event: OnEvent<'_>,
) -> Result<bool, SearchError> {
    let id = BATCHES.get() + 1;
    BATCHES.set(id);
    let mut batch: PoolBatch<Done> = PoolBatch::new(asked);
    let mut here: Option<(usize, LocalJob<'_>)> = None;
    let (mut stopping, mut told_members) = (false, false);
    loop {
        stopping |= local.shared.stop.get();
        if stopping && !told_members {
            told_members = true;
            for_members(members, |m| {
                if m.job.is_some() {
                    m.worker.send(&ToWorker::Pause);
                }
            });
        }
        if !stopping {
            hand_out(&mut batch, id, members, local.settings);
            if here.is_none() {
                if let Some(i) = batch.take() {
                    let p = &batch.asked()[i];
                    if on_event(&evaluating(p, run), run) {
                        here = Some((i, evaluate_here(local, p.genome.clone())));
                    } else {
                        batch.give_back(i);
                        stopping = true;
                        continue;
                    }
                }
            }
        }
        if batch.told_all() {
            return Ok(true);
        }
        // Nothing out and nothing handed out: paused.
        if here.is_none() && batch.in_flight() == 0 {
            return Ok(false);
        }
        let next = std::future::poll_fn(|cx| {
            if let Some((_, job)) = here.as_mut() {
                if let Poll::Ready(r) = job.as_mut().poll(cx) {
                    return Poll::Ready(Next::Here(r));
                }
            }
            poll_heard(cx.waker()).map(|(m, heard)| Next::Heard(m, heard))
        })
        .await;
        match next {
            Next::Here(r) => {
                let (i, _) = here.take().expect("polled above");
                stopping |= !arrived_here(&mut batch, i, r);
            }
            Next::Heard(m, heard) => on_heard(&mut batch, id, m, heard),
        }
        while let Some((p, done)) = batch.ready() {
            if !tell_one(run, local, steps, p, done, on_event)? {
                stopping = true;
            }
        }
    }
}

/// Hands the next proposals to the free ones of the first `members` pool workers.
fn hand_out(batch: &mut PoolBatch<Done>, id: u64, members: usize, settings: &SearchSettings) {
    for_members(members, |m| {
        if m.job.is_some() {
            return;
        }
        if let Some(i) = batch.take() {
            let job = Job {
                batch: id,
                index: i,
                settings: settings.clone(),
                genome: batch.asked()[i].genome.clone(),
            };
            m.worker.send(&ToWorker::Job { job });
            m.job = Some(i);
        }
    });
}

/// The coordinator's own candidate `i` ended; `false` when it was stopped by a pause
/// (it goes back to the queue).
fn arrived_here(batch: &mut PoolBatch<Done>, i: usize, r: Result<Done, EvalError>) -> bool {
    let done = match r {
        Ok(done) => done,
        Err(EvalError::Failed(reason)) => Done::Failed(reason),
        Err(EvalError::DeviceLost(message)) => Done::DeviceLost(message),
        Err(EvalError::Cancelled) => {
            batch.give_back(i);
            return false;
        }
    };
    batch.arrived(i, done);
    true
}

/// A pool worker's message: its outcome arrives, or its job goes back to the queue.
fn on_heard(batch: &mut PoolBatch<Done>, id: u64, m: usize, heard: Heard) {
    // Any answer frees its worker (it holds one job at a time).
    let job = free(m);
    match heard {
        Heard::Done(r) if r.batch == id => match r.outcome {
            JobOutcome::Evaluated {
                record,
                cache,
                weights,
            } => {
                let done = Done::Evaluated {
                    record,
                    cache,
                    net: None,
                    file: weights,
                };
                batch.arrived(r.index, done);
            }
            JobOutcome::Failed { reason } => {
                batch.arrived(r.index, Done::Failed(reason));
            }
            JobOutcome::Cancelled => batch.give_back(r.index),
            // It would refuse the next job too: the others take its share.
            JobOutcome::Refused { reason } => {
                stop(m, &reason);
                batch.give_back(r.index);
            }
        },
        // An answer of an older batch (before a pause or a failure).
        Heard::Done(_) => {}
        Heard::Stopped(message) => {
            stop(m, &message);
            if let Some(i) = job {
                batch.give_back(i);
            }
        }
    }
}

/// The `Evaluating` event of `p`.
fn evaluating(p: &Proposal, run: &RunResults) -> SearchEvent {
    SearchEvent::Evaluating {
        index: p.slot,
        total: crate::engine::search::total_evaluations(&run.settings),
        iteration: p.iteration,
        genome: p.genome.clone(),
        predicted: p.predicted,
    }
}

/// Tells one outcome (its cache and network go where the `Evaluated` event finds them);
/// `Ok(false)` when `on_event` asks to stop.
fn tell_one(
    run: &mut RunResults,
    local: &Local<'_>,
    steps: &mut AskTell,
    p: Proposal,
    done: Done,
    on_event: OnEvent<'_>,
) -> Result<bool, SearchError> {
    let mut file = None;
    let outcome = match done {
        Done::Evaluated {
            record,
            cache,
            net,
            file: f,
        } => {
            *local.shared.last_compact.borrow_mut() = Some(cache);
            *local.shared.last_net.borrow_mut() = net.map(|n| *n);
            file = f;
            Outcome::Evaluated(record)
        }
        Done::Failed(reason) => Outcome::Failed(reason),
        Done::DeviceLost(message) => {
            return Err(SearchError::DeviceLost {
                index: p.slot,
                genome: p.genome,
                message,
            })
        }
    };
    let told = vec![(p.slot, p.genome.clone(), outcome)];
    let events = steps.tell(local.space, run, told).map_err(|e| match e {
        TellError::Search(e) => e,
        other => SearchError::Settings(other.to_string()),
    })?;
    let mut go_on = true;
    for ev in &events {
        if let (SearchEvent::Evaluated { index, .. }, Some(f)) = (ev, &file) {
            let method = local.settings.method;
            let kept = Architecture::decode(local.space, method, &p.genome)
                .map_err(|e| e.to_string())
                .and_then(|arch| {
                    weights::keep_file(*index, f, &arch, local.settings, local.data, local.device)
                        .map_err(|e| e.to_string())
                });
            if let Err(e) = kept {
                web_sys::console::warn_1(&format!("candidate {index}'s weights: {e}").into());
            }
        }
        go_on &= on_event(ev, run);
    }
    Ok(go_on)
}
