//! The evaluators the CLI drives — the training pipeline, or the synthetic stand-in of
//! the tests — and the [`Kit`] each worker thread builds its own from (data, device,
//! supernet: owned, so a kit moves into a thread).

use burn::tensor::Device;
use indicatif::ProgressBar;

use super::backend::{update_bar, BackendArg};
use super::error::CliError;
use super::run_args::Data;
use crate::data::Dataset;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, SearchSettings};
use crate::engine::search::synthetic::SyntheticEvaluator;
use crate::engine::search::{EvalError, Evaluator};
use crate::engine::space::{Method, SearchSpace};
use crate::model::candidate::{CacheSink, Pipeline};
use crate::model::supernet::Supernet;
use crate::model::train::Progress;

/// The evaluators the CLI can drive (one per worker: the size difference is harmless).
#[allow(clippy::large_enum_variant)]
pub enum AnyEvaluator {
    /// A known function of the genome (tests).
    Synthetic(SyntheticEvaluator),
    /// Training, threshold tuning and scoring.
    Pipeline(Box<Pipeline>),
}

impl Evaluator for AnyEvaluator {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        match self {
            AnyEvaluator::Synthetic(e) => e.evaluate(genome, method).await,
            AnyEvaluator::Pipeline(p) => p.evaluate(genome, method).await,
        }
    }
}

/// What one worker needs to build its evaluator (one per worker: the size difference is
/// harmless).
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Kit {
    /// The synthetic evaluator.
    Synthetic(SyntheticEvaluator),
    /// The pipeline's inputs.
    Pipeline {
        /// The run's settings.
        settings: SearchSettings,
        /// The run's space.
        space: SearchSpace,
        /// Train (without the validation hold-out), validation and test sets.
        data: (Dataset, Dataset, Dataset),
        /// The compute device.
        device: Device,
        /// The trained supernet, when the run has one.
        supernet: Option<Supernet>,
        /// Where the evaluators leave the test caches, when the run file needs them.
        caches: Option<CacheSink>,
    },
}

impl Kit {
    /// The kit of a run: the synthetic evaluator without data, else the pipeline's inputs
    /// (the same validation hold-out as `aebnas train`, class-stratified; the supernet
    /// trained first when the settings ask for one, its progress on `bar`).
    pub fn new(
        settings: &SearchSettings,
        space: &SearchSpace,
        data: Option<Data>,
        backend: BackendArg,
        bar: &ProgressBar,
    ) -> Result<Kit, CliError> {
        let Some((train_all, test)) = data else {
            return Ok(Kit::Synthetic(SyntheticEvaluator::new(
                space.clone(),
                settings.cost_convention,
                settings.exit_rule,
            )));
        };
        let (train, val) = train_all
            .split_validation(settings.seed)
            .map_err(|e| e.to_string())?;
        let device = backend.device()?;
        let inherited = super::supernet::load_source(
            &settings.supernet,
            &settings.dataset,
            space,
            &train_all,
            &device,
        )?;
        let supernet = if inherited.is_some() {
            inherited
        } else if settings.supernet_epochs > 0 {
            bar.set_prefix("supernet");
            let bar = bar.clone();
            let on_progress = Box::new(move |p: &Progress| update_bar(&bar, p));
            let (t, v, x) = (train.clone(), val.clone(), test.clone());
            let p = pollster::block_on(Pipeline::new(
                settings,
                space,
                t,
                v,
                x,
                device.clone(),
                on_progress,
            ))?;
            p.supernet().cloned()
        } else {
            None
        };
        Ok(Kit::Pipeline {
            settings: settings.clone(),
            space: space.clone(),
            data: (train, val, test),
            device,
            supernet,
            caches: None,
        })
    }

    /// The same kit, its evaluators leaving every candidate's test cache in `sink`.
    pub fn keeping_test_caches(mut self, sink: CacheSink) -> Self {
        if let Kit::Pipeline { caches, .. } = &mut self {
            *caches = Some(sink);
        }
        self
    }

    /// The evaluator, reporting training progress to `on_progress`.
    pub fn build(self, on_progress: Box<dyn FnMut(&Progress)>) -> AnyEvaluator {
        match self {
            Kit::Synthetic(e) => AnyEvaluator::Synthetic(e),
            Kit::Pipeline {
                settings,
                space,
                data,
                device,
                supernet,
                caches,
            } => {
                let p =
                    Pipeline::with_supernet(&settings, &space, data, device, supernet, on_progress);
                AnyEvaluator::Pipeline(Box::new(match caches {
                    Some(sink) => p.keeping_test_caches(sink),
                    None => p,
                }))
            }
        }
    }
}
