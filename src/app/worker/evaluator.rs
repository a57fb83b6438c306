//! The worker's [`Evaluator`]: trains, tunes and evaluates one candidate with the model
//! module's pipeline (`train_candidate`), reports every training step, stops at the next
//! step boundary when a pause was requested, and keeps the candidate's test-set cache
//! for the `Evaluated` message.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::module::Module;
use burn::tensor::Device;

use super::data::Splits;
use super::protocol::{FromWorker, Phase, StepInfo};
use crate::engine::arch::Architecture;
use crate::engine::exits::ExitCache;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, SearchSettings};
use crate::engine::search::{EvalError, Evaluator};
use crate::engine::space::{Method, SearchSpace};
use crate::model::candidate::train_candidate;
use crate::model::network::EarlyExitNet;
use crate::model::supernet::Supernet;
use crate::model::train::{Control, Progress};

/// What the worker's callbacks share: the pause flag, the current phase, the last cache.
#[derive(Default)]
pub struct Shared {
    /// Set by a `Pause` message; training stops at the next step.
    pub stop: Cell<bool>,
    /// What is training now.
    pub phase: RefCell<Option<Phase>>,
    /// Test-set cache of the candidate evaluated last (taken by the `Evaluated` event).
    pub last_cache: RefCell<Option<ExitCache>>,
    /// The same in the compact form, when it arrived so (a pool worker's candidate).
    pub last_compact: RefCell<Option<crate::engine::cache_codec::CompactCache>>,
    /// The network evaluated last (kept for weight downloads by the `Evaluated` event).
    pub last_net: RefCell<Option<EarlyExitNet>>,
}

impl Shared {
    /// The progress callback of a training run: posts a `Progress` message per step and
    /// asks to stop when a pause was requested.
    pub fn on_step(&self, post: &dyn Fn(&FromWorker), p: &Progress) -> Control {
        if let Some(phase) = self.phase.borrow().clone() {
            post(&FromWorker::Progress(StepInfo {
                phase,
                step: p.step,
                total_steps: p.total_steps,
                loss: p.loss,
                samples_per_sec: p.samples_per_sec,
                elapsed: p.elapsed,
            }));
        }
        if self.stop.get() {
            Control::Stop
        } else {
            Control::Continue
        }
    }
}

/// Trains candidates of one search on one device.
pub struct WorkerEvaluator<'a> {
    /// The search space.
    pub space: &'a SearchSpace,
    /// The run's settings.
    pub settings: &'a SearchSettings,
    /// Train / validation / test data.
    pub data: &'a Splits,
    /// The burn device (CPU `flex` or WebGPU).
    pub device: &'a Device,
    /// Backbone weights to inherit, if a supernet was trained.
    pub supernet: Option<&'a Supernet>,
    /// Callback state.
    pub shared: &'a Rc<Shared>,
    /// Posts a message to the page.
    pub post: &'a dyn Fn(&FromWorker),
}

impl Evaluator for WorkerEvaluator<'_> {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        let arch = Architecture::decode(self.space, method, genome)
            .map_err(|e| EvalError::Failed(e.to_string()))?;
        let (shared, post) = (Rc::clone(self.shared), self.post);
        let mut on_progress = |p: &Progress| shared.on_step(post, p);
        let data = (&self.data.train, &self.data.val, &self.data.test);
        let trained = train_candidate(
            &arch,
            self.supernet,
            self.settings,
            data,
            self.device,
            &mut on_progress,
        )
        .await
        .map_err(EvalError::from)?;
        *self.shared.last_cache.borrow_mut() = Some(trained.test_cache);
        *self.shared.last_net.borrow_mut() = Some(trained.net.valid());
        Ok(trained.record)
    }
}
