//! The search loop of `aebnas search --jobs N`: ask for an iteration's proposals, evaluate
//! them on `N` worker threads side by side, tell the outcomes in proposal order.
//!
//! Each worker builds its own evaluator from a clone of the run's [`Kit`] and takes the
//! next proposal from a shared queue; outcomes arrive in any order and are told as soon as
//! every earlier slot has one, so the run (and every checkpoint) is the one a single
//! worker makes. Proposals never depend on how many workers there are: the next
//! iteration is asked for only after all of this one is told.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use super::evaluators::Kit;
use crate::engine::results::{CandidateRecord, RunResults};
use crate::engine::search::{check_run, pareto_indices, total_evaluations};
use crate::engine::search::{AskTell, EvalError, Evaluator, Outcome, Proposal};
use crate::engine::search::{SearchError, SearchEvent, TellError};
use crate::engine::space::SearchSpace;
use crate::model::train::Progress;

/// A worker's message to the driver (two per evaluation: the size difference is harmless).
#[allow(clippy::large_enum_variant)]
enum Msg {
    /// Proposal `i` of the batch is being evaluated.
    Started(usize),
    /// Proposal `i` gave this.
    Done(usize, Result<CandidateRecord, EvalError>),
}

/// Builds a worker's training-progress callback (worker number → callback).
pub type ProgressFor<'a> = &'a (dyn Fn(usize) -> Box<dyn FnMut(&Progress)> + Sync);

/// Runs (or resumes) `run` to the end with `jobs` workers; `on_event` sees what
/// [`crate::engine::search::run_search`] reports, in the same order for one worker, and
/// returning `false` stops (evaluations in flight are dropped, not told).
pub fn run_jobs(
    run: &mut RunResults,
    space: &SearchSpace,
    kit: &Kit,
    jobs: usize,
    progress: ProgressFor<'_>,
    on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
) -> Result<(), SearchError> {
    let total = check_run(run, space)?;
    run.pareto_front = pareto_indices(&run.archive);
    let started = SearchEvent::Started {
        total,
        done: run.evaluations_done(),
    };
    if !on_event(&started, run) {
        return Ok(());
    }
    let mut steps = AskTell::default();
    for ev in steps.resume(space, run)? {
        if !on_event(&ev, run) {
            return Ok(());
        }
    }
    loop {
        let asked = steps.propose(space, run, usize::MAX)?;
        if asked.is_empty() {
            break;
        }
        let batch = Batch {
            space,
            kit,
            jobs,
            progress,
        };
        if !batch.run(run, &mut steps, &asked, on_event)? {
            return Ok(());
        }
    }
    on_event(&SearchEvent::Finished, run);
    Ok(())
}

/// One iteration's pending proposals on the workers.
struct Batch<'a> {
    space: &'a SearchSpace,
    kit: &'a Kit,
    jobs: usize,
    progress: ProgressFor<'a>,
}

impl Batch<'_> {
    /// Evaluates `asked` and tells every outcome; `Ok(false)` = stopped.
    fn run(
        &self,
        run: &mut RunResults,
        steps: &mut AskTell,
        asked: &[Proposal],
        on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
    ) -> Result<bool, SearchError> {
        let method = run.settings.method;
        let queue: Mutex<VecDeque<usize>> = Mutex::new((0..asked.len()).collect());
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel::<Msg>();
        std::thread::scope(|scope| {
            for w in 0..self.jobs.clamp(1, asked.len()) {
                let (tx, kit, queue, stop) = (tx.clone(), self.kit.clone(), &queue, &stop);
                let progress = self.progress;
                scope.spawn(move || {
                    let mut evaluator = kit.build(progress(w));
                    while !stop.load(Ordering::Relaxed) {
                        let Some(i) = queue.lock().ok().and_then(|mut q| q.pop_front()) else {
                            break;
                        };
                        let _ = tx.send(Msg::Started(i));
                        let r = pollster::block_on(evaluator.evaluate(&asked[i].genome, method));
                        let _ = tx.send(Msg::Done(i, r));
                    }
                });
            }
            drop(tx);
            let mut tell = Tell {
                space: self.space,
                steps,
                asked,
                total: total_evaluations(&run.settings),
                waiting: BTreeMap::new(),
                next: 0,
            };
            let result = tell.receive(run, rx, on_event);
            // Stopped or failed: the workers finish what they hold and take nothing new.
            stop.store(true, Ordering::Relaxed);
            result
        })
    }
}

/// The driver's side of a batch: outcomes waiting for an earlier slot, and the next
/// proposal to tell.
struct Tell<'a> {
    space: &'a SearchSpace,
    steps: &'a mut AskTell,
    asked: &'a [Proposal],
    total: usize,
    waiting: BTreeMap<usize, Result<CandidateRecord, EvalError>>,
    next: usize,
}

impl Tell<'_> {
    /// Handles the workers' messages until every proposal is told (`Ok(true)`) or the run
    /// stops (`Ok(false)`).
    fn receive(
        &mut self,
        run: &mut RunResults,
        rx: mpsc::Receiver<Msg>,
        on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
    ) -> Result<bool, SearchError> {
        for msg in rx {
            match msg {
                Msg::Started(i) => {
                    let p = &self.asked[i];
                    let ev = SearchEvent::Evaluating {
                        index: p.slot,
                        total: self.total,
                        iteration: p.iteration,
                        genome: p.genome.clone(),
                        predicted: p.predicted,
                    };
                    if !on_event(&ev, run) {
                        return Ok(false);
                    }
                }
                Msg::Done(i, r) => {
                    self.waiting.insert(i, r);
                    if !self.tell_ready(run, on_event)? {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(self.next == self.asked.len())
    }

    /// Tells the outcomes whose earlier slots are all told.
    fn tell_ready(
        &mut self,
        run: &mut RunResults,
        on_event: &mut dyn FnMut(&SearchEvent, &RunResults) -> bool,
    ) -> Result<bool, SearchError> {
        while let Some(r) = self.waiting.remove(&self.next) {
            let p = &self.asked[self.next];
            let outcome = match r {
                Ok(rec) => Outcome::Evaluated(Box::new(rec)),
                Err(EvalError::Failed(reason)) => Outcome::Failed(reason),
                Err(EvalError::Cancelled) => return Ok(false),
                Err(EvalError::DeviceLost(message)) => {
                    return Err(SearchError::DeviceLost {
                        index: p.slot,
                        genome: p.genome.clone(),
                        message,
                    })
                }
            };
            let told = vec![(p.slot, p.genome.clone(), outcome)];
            let events = self
                .steps
                .tell(self.space, run, told)
                .map_err(search_error)?;
            self.next += 1;
            for ev in events {
                if !on_event(&ev, run) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// A tell error of the driver's own proposals (only the proposal step can fail there).
fn search_error(e: TellError) -> SearchError {
    match e {
        TellError::Search(e) => e,
        other => SearchError::Settings(other.to_string()),
    }
}
