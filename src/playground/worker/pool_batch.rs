//! One iteration's proposals spread over a pool of search workers, pure: which proposal
//! goes out next, which outcomes have arrived, and which can be told.
//!
//! Proposals are handed out in proposal (slot) order to whichever worker is free;
//! outcomes arrive in any order and are held until every earlier proposal has one, so
//! the run is told exactly what one worker would tell it, in the same order. A worker
//! that stops gives its proposal back to the queue (it is evaluated again elsewhere:
//! an evaluation depends only on its genome, the settings, the seed and the data).

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::search::Proposal;

/// The pending proposals of one iteration and the outcomes `T` that came back.
#[derive(Debug)]
pub struct PoolBatch<T> {
    asked: Vec<Proposal>,
    /// Proposals not handed out yet (indices into `asked`).
    queue: BTreeSet<usize>,
    /// Handed out, no outcome yet.
    out: BTreeSet<usize>,
    /// Arrived, waiting for an earlier proposal's outcome.
    waiting: BTreeMap<usize, T>,
    /// The next proposal to tell.
    next: usize,
}

impl<T> PoolBatch<T> {
    /// A batch of `asked` (in slot order, as `propose` returns them).
    pub fn new(asked: Vec<Proposal>) -> Self {
        PoolBatch {
            queue: (0..asked.len()).collect(),
            asked,
            out: BTreeSet::new(),
            waiting: BTreeMap::new(),
            next: 0,
        }
    }

    /// The proposals of the batch.
    pub fn asked(&self) -> &[Proposal] {
        &self.asked
    }

    /// The next proposal to hand out (the earliest not handed out), marked as out.
    pub fn take(&mut self) -> Option<usize> {
        let i = self.queue.pop_first()?;
        self.out.insert(i);
        Some(i)
    }

    /// Proposal `i` will not come back from where it went (its worker stopped): it goes
    /// back to the front of the queue.
    pub fn give_back(&mut self, i: usize) {
        if self.out.remove(&i) {
            self.queue.insert(i);
        }
    }

    /// Proposal `i`'s outcome arrived. `false` (and the outcome dropped) when `i` was not
    /// out: a late or repeated answer.
    pub fn arrived(&mut self, i: usize, outcome: T) -> bool {
        if !self.out.remove(&i) {
            return false;
        }
        self.waiting.insert(i, outcome);
        true
    }

    /// The next outcome to tell, with its proposal, once every earlier one was told.
    pub fn ready(&mut self) -> Option<(Proposal, T)> {
        let outcome = self.waiting.remove(&self.next)?;
        let p = self.asked[self.next].clone();
        self.next += 1;
        Some((p, outcome))
    }

    /// Proposals handed out whose outcome has not arrived.
    pub fn in_flight(&self) -> usize {
        self.out.len()
    }

    /// Whether every proposal was told.
    pub fn told_all(&self) -> bool {
        self.next == self.asked.len()
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::engine::exits::ExitRule;
    use crate::engine::objectives::ObjectiveSet;
    use crate::engine::results::{CostConvention, RunResults, SearchSettings};
    use crate::engine::rng::Rng;
    use crate::engine::search::synthetic::SyntheticEvaluator;
    use crate::engine::search::{run_search, AskTell, Evaluator, Outcome};
    use crate::engine::space::{Method, SearchSpace};
    use crate::engine::surrogate::SurrogateKind;
    use crate::engine::tuning::TuningRule;

    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    fn settings(seed: u64) -> SearchSettings {
        SearchSettings {
            dataset: "synthetic".into(),
            space: crate::engine::space::SpacePreset::Browser,
            method: Method::Aebnas,
            mac_target: 1.5e6,
            exit_rule: ExitRule::Margin,
            cost_convention: CostConvention::Cumulative,
            tuning: TuningRule::Grid,
            predictor: SurrogateKind::Mlp,
            objectives: ObjectiveSet::Aebnas,
            n_doe: 5,
            iterations: 2,
            per_iter: 3,
            epochs: 1,
            supernet_epochs: 0,
            supernet: Default::default(),
            train_samples: None,
            seed,
            backend: "cpu".into(),
        }
    }

    fn evaluator() -> SyntheticEvaluator {
        SyntheticEvaluator::new(
            SearchSpace::browser_default(),
            CostConvention::Cumulative,
            ExitRule::Margin,
        )
    }

    fn proposal(slot: usize) -> Proposal {
        let space = SearchSpace::browser_default();
        let s = settings(1);
        let genome =
            crate::engine::search::doe_genomes(&space, &s, slot + 1).unwrap()[slot].clone();
        Proposal {
            slot,
            iteration: 0,
            genome,
            predicted: None,
        }
    }

    #[test]
    fn outcomes_arriving_in_reverse_are_told_in_slot_order() {
        let mut b = PoolBatch::new((0..3).map(proposal).collect());
        assert_eq!(
            (b.take(), b.take(), b.take(), b.take()),
            (Some(0), Some(1), Some(2), None)
        );
        assert_eq!(b.in_flight(), 3);
        assert!(b.arrived(2, "c"));
        assert!(b.arrived(1, "b"));
        assert_eq!(b.ready(), None, "slot 0 has no outcome yet");
        assert!(b.arrived(0, "a"));
        let told: Vec<(usize, &str)> = std::iter::from_fn(|| b.ready())
            .map(|(p, o)| (p.slot, o))
            .collect();
        assert_eq!(told, vec![(0, "a"), (1, "b"), (2, "c")]);
        assert!(b.told_all());
        assert_eq!(b.in_flight(), 0);
    }

    #[test]
    fn a_stopped_workers_proposal_goes_out_again_and_late_answers_are_dropped() {
        let mut b = PoolBatch::new((0..3).map(proposal).collect());
        assert_eq!((b.take(), b.take()), (Some(0), Some(1)));
        b.give_back(0);
        assert_eq!(b.in_flight(), 1);
        // Slot 0 goes out before slot 2: the earliest first.
        assert_eq!((b.take(), b.take(), b.take()), (Some(0), Some(2), None));
        assert!(b.arrived(0, 10));
        assert!(!b.arrived(0, 11), "a repeated answer is not taken");
        assert!(!b.arrived(7, 12), "nor one that was never handed out");
        assert_eq!(b.ready().map(|(p, o)| (p.slot, o)), Some((0, 10)));
    }

    /// Drives a run through batches on `workers` simulated workers whose outcomes arrive
    /// in a seeded random order (one worker: in proposal order).
    fn by_pool(s: &SearchSettings, workers: usize, order_seed: u64) -> RunResults {
        let space = SearchSpace::browser_default();
        let mut run = RunResults::new(s.clone());
        let mut steps = AskTell::default();
        let mut rng = Rng::new(order_seed);
        loop {
            let asked = steps.propose(&space, &run, usize::MAX).unwrap();
            if asked.is_empty() {
                return run;
            }
            let mut batch = PoolBatch::new(asked);
            let mut busy: Vec<usize> = Vec::new();
            while !batch.told_all() {
                while busy.len() < workers {
                    match batch.take() {
                        Some(i) => busy.push(i),
                        None => break,
                    }
                }
                // Any busy worker may answer first.
                let i = busy.remove(rng.below(busy.len()));
                let genome = batch.asked()[i].genome.clone();
                let rec = block_on(evaluator().evaluate(&genome, s.method)).unwrap();
                assert!(batch.arrived(i, rec));
                while let Some((p, rec)) = batch.ready() {
                    let told = vec![(p.slot, p.genome, Outcome::Evaluated(Box::new(rec)))];
                    steps.tell(&space, &mut run, told).unwrap();
                }
            }
        }
    }

    #[test]
    fn one_worker_and_several_give_the_same_run() {
        let s = settings(4);
        let mut single = RunResults::new(s.clone());
        let space = SearchSpace::browser_default();
        block_on(run_search(
            &mut single,
            &space,
            &mut evaluator(),
            &mut |_, _| true,
        ))
        .unwrap();
        assert_eq!(single.evaluations_done(), 11);
        assert_eq!(by_pool(&s, 1, 0), single);
        for (workers, order) in [(2, 1), (3, 2), (4, 3), (16, 4)] {
            let pooled = by_pool(&s, workers, order);
            assert_eq!(pooled, single, "{workers} workers");
        }
    }
}
