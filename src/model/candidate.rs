//! The evaluation pipeline of one candidate (docs/method.md, § Training and § Exit caches
//! and threshold tuning): inherit the supernet's backbone, attach new exit heads, fine-tune
//! jointly, cache per-exit confidences on the validation and test splits, tune thresholds
//! on validation for the MAC target (the settings' tuning rule), drop the exits no
//! validation sample takes, and score both splits at those thresholds — validation to
//! choose by, test to report. [`Pipeline`] is the search's [`Evaluator`].

use burn::tensor::Device;

use super::error::ModelError;
use super::evaluate::exit_cache;
use super::head_training::HeadTraining;
use super::network::EarlyExitNet;
use super::recalibrate::recalibrate;
use super::sandwich::train_supernet;
use super::supernet::Supernet;
use super::train::{train, Control, Progress, TrainConfig, TrainError, TrainStats};
use crate::data::Dataset;
use crate::engine::arch::Architecture;
use crate::engine::assign::score;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, CostConvention, SearchSettings, ValTuned};
use crate::engine::search::{EvalError, Evaluator};
use crate::engine::space::{Method, SearchSpace};
use crate::engine::tuning::{deploy, TuningRule};

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "candidate_failed_tests.rs"]
mod failed_tests;

/// Samples per evaluation batch.
pub const EVAL_BATCH: usize = 250;

/// A trained candidate with everything the UI needs to re-score it.
pub struct TrainedCandidate {
    /// The trained network.
    pub net: EarlyExitNet,
    /// Its results record.
    pub record: CandidateRecord,
    /// Validation cache (threshold tuning).
    pub val_cache: ExitCache,
    /// Test cache (reported numbers and the sliders).
    pub test_cache: ExitCache,
    /// Loss of every training step.
    pub losses: Vec<f32>,
}

/// The exit costs of `arch` (enabled exits, then final) in `convention`.
pub fn exit_costs(arch: &Architecture, convention: CostConvention) -> Vec<f64> {
    arch.exit_costs().get(convention).to_vec()
}

/// Epochs from which candidate training augments its images.
pub const AUGMENT_FROM_EPOCHS: usize = 3;

/// Training settings of a candidate under `settings`.
///
/// The budget trains the whole network from scratch, or only the fresh exit heads of an
/// inherited, recalibrated subnet (its backbone stays frozen); the
/// peak learning rate is 0.1 in both (fresh weights either way). Augmentation (random shifts, flips for RGB) regularises long runs but slows
/// fitting in the short budgets of a browser search, so it is on only from
/// [`AUGMENT_FROM_EPOCHS`] epochs. Measured on Fashion-MNIST, default genome, 1 epoch,
/// seed 1: final-exit test accuracy 83.2 % without augmentation, 78.6 % with it
/// (and 77.5 % at lr 0.05 with it).
pub fn candidate_train_config(settings: &SearchSettings, resolution: usize) -> TrainConfig {
    let epochs = settings.epochs.max(1);
    TrainConfig {
        epochs,
        lr: 0.1,
        seed: settings.seed,
        max_samples: settings.train_samples,
        resolution,
        batch_size: 64,
        augment: epochs >= AUGMENT_FROM_EPOCHS,
        ..TrainConfig::default()
    }
}

/// How a supernet is trained (sandwich rule, `train_supernet`) for `epochs` over at most
/// `max_samples` training images: the same budget in the page's worker, the search
/// pipeline and `aebnas supernet`.
pub fn supernet_train_config(epochs: usize, seed: u64, max_samples: Option<usize>) -> TrainConfig {
    TrainConfig {
        epochs,
        seed,
        max_samples,
        batch_size: 64,
        lr: 0.05,
        ..TrainConfig::default()
    }
}

/// Trains and evaluates `arch` (inheriting `supernet` when given).
#[allow(clippy::too_many_arguments)]
pub async fn train_candidate(
    arch: &Architecture,
    supernet: Option<&Supernet>,
    settings: &SearchSettings,
    (train_set, val_set, test_set): (&Dataset, &Dataset, &Dataset),
    device: &Device,
    on_progress: &mut dyn FnMut(&Progress) -> Control,
) -> Result<TrainedCandidate, TrainError> {
    let ad = device.clone().autodiff();
    let resolution = arch.input.1;
    let config = candidate_train_config(settings, resolution);
    let (net, stats) = match supernet {
        Some(s) => {
            let backbone = recalibrate(s, arch, train_set, device);
            let net = EarlyExitNet::new(arch, backbone, settings.seed, &ad);
            if net.heads.is_empty() {
                (net, TrainStats::default())
            } else {
                let (heads, stats) =
                    train(HeadTraining::new(net), train_set, &config, &ad, on_progress).await?;
                (heads.into_network(), stats)
            }
        }
        None => {
            let net = EarlyExitNet::from_scratch(arch, settings.seed, &ad)
                .map_err(|e| TrainError::Backend(e.to_string()))?;
            train(net, train_set, &config, &ad, on_progress).await?
        }
    };
    let eval_net = {
        use burn::module::Module;
        net.valid()
    };
    let (record, val_cache, test_cache) = evaluate_network(
        &eval_net,
        settings,
        (val_set, test_set),
        device,
        stats.seconds,
    )
    .await
    .map_err(|e| TrainError::Backend(e.to_string()))?;
    Ok(TrainedCandidate {
        net,
        record,
        val_cache,
        test_cache,
        losses: stats.losses,
    })
}

/// Caches a trained (inference) network's exits on `val` and `test`, tunes its thresholds
/// on `val` and scores `test`: the evaluation half of [`train_candidate`], also used for
/// imported weights (`train_seconds` = 0 then).
pub async fn evaluate_network(
    net: &EarlyExitNet,
    settings: &SearchSettings,
    (val_set, test_set): (&Dataset, &Dataset),
    device: &Device,
    train_seconds: f64,
) -> Result<(CandidateRecord, ExitCache, ExitCache), ModelError> {
    let resolution = net.arch.input.1;
    let val_cache = exit_cache(net, val_set, resolution, EVAL_BATCH, device).await?;
    let test_cache = exit_cache(net, test_set, resolution, EVAL_BATCH, device).await?;
    let record = score_candidate(&net.arch, settings, &val_cache, &test_cache, train_seconds)?;
    Ok((record, val_cache, test_cache))
}

/// Tunes thresholds on `val` with the settings' tuning rule and target, drops the exits
/// no validation sample leaves at ([`deploy`]), and scores both splits at the deployed
/// thresholds: the validation figures are what the search chooses by, the test figures
/// are reported. Also records what every tuning rule gives under every confidence rule on
/// `val` (the page's tuning buttons never see the test split).
pub fn score_candidate(
    arch: &Architecture,
    settings: &SearchSettings,
    val: &ExitCache,
    test: &ExitCache,
    train_seconds: f64,
) -> Result<CandidateRecord, ModelError> {
    let all_costs = arch.exit_costs();
    let full = all_costs.get(settings.cost_convention);
    let rule = settings.exit_rule;
    let target = settings.mac_target;
    let tuned = settings.tuning.tune(val, rule, full, target)?;
    let d = deploy(
        val,
        rule,
        &all_costs,
        settings.cost_convention,
        &tuned.thresholds,
    )?;
    let on_val = score(val, rule, &d.thresholds, &d.costs)?;
    let on_test = score(test, rule, &d.thresholds, &d.costs)?;
    let last = test.num_exits - 1;
    let final_correct = (0..test.num_samples)
        .filter(|&s| test.correct(last, s))
        .count();
    let mut val_tuned = Vec::new();
    for tuning in TuningRule::ALL {
        for r in ExitRule::ALL {
            let t = tuning.tune(val, r, full, target)?;
            val_tuned.push(ValTuned {
                tuning,
                rule: r,
                thresholds: t.thresholds,
            });
        }
    }
    Ok(CandidateRecord {
        genome: arch.encode(),
        method: arch.method,
        iteration: 0,
        thresholds: d.thresholds,
        exit_rule: rule,
        exit_positions: arch
            .exits
            .iter()
            .filter(|e| e.enabled)
            .map(|e| e.position)
            .collect(),
        val_accuracy: on_val.accuracy,
        val_avg_macs: on_val.avg_macs,
        val_exit_rates: on_val.rates(),
        test_accuracy: on_test.accuracy,
        test_final_exit_accuracy: final_correct as f64 / test.num_samples.max(1) as f64,
        test_avg_macs: on_test.avg_macs,
        test_exit_rates: on_test.rates(),
        exit_costs: d.costs,
        test_exit_accuracies: on_test.exit_accuracies(),
        val_tuned,
        train_seconds,
        predicted: None,
    })
}

impl From<TrainError> for EvalError {
    /// Diverged or failed training fails the candidate; a pause cancels it; a lost device
    /// stops the search.
    fn from(e: TrainError) -> Self {
        match e {
            TrainError::Cancelled { .. } => EvalError::Cancelled,
            TrainError::DeviceLost(reason) => EvalError::DeviceLost(reason),
            e @ (TrainError::NonFinite { .. } | TrainError::Backend(_) | TrainError::Empty) => {
                EvalError::Failed(e.to_string())
            }
        }
    }
}

/// Trains candidates for a search: owns the data, the device and the supernet.
pub struct Pipeline {
    settings: SearchSettings,
    space: SearchSpace,
    data: (Dataset, Dataset, Dataset),
    device: Device,
    supernet: Option<Supernet>,
    on_progress: Box<dyn FnMut(&Progress)>,
    cache_sink: Option<CacheSink>,
}

/// Where pipelines leave each evaluated candidate's test exit cache, by canonical genome
/// (shared by the CLI's worker threads; the page's run file carries these caches).
pub type CacheSink = std::sync::Arc<std::sync::Mutex<Vec<(Genome, ExitCache)>>>;

impl Pipeline {
    /// A pipeline; trains the supernet first when `settings.supernet_epochs > 0`.
    pub async fn new(
        settings: &SearchSettings,
        space: &SearchSpace,
        train_set: Dataset,
        val_set: Dataset,
        test_set: Dataset,
        device: Device,
        mut on_progress: Box<dyn FnMut(&Progress)>,
    ) -> Result<Pipeline, ModelError> {
        let supernet = if settings.supernet_epochs > 0 {
            let config = supernet_train_config(
                settings.supernet_epochs,
                settings.seed,
                settings.train_samples,
            );
            let mut cb = |p: &Progress| {
                on_progress(p);
                Control::Continue
            };
            let (s, _) = train_supernet(space, &train_set, &config, &device, &mut cb).await?;
            Some(s)
        } else {
            None
        };
        Ok(Pipeline {
            settings: settings.clone(),
            space: space.clone(),
            data: (train_set, val_set, test_set),
            device,
            supernet,
            on_progress,
            cache_sink: None,
        })
    }

    /// A pipeline around an already-trained supernet (or none).
    pub fn with_supernet(
        settings: &SearchSettings,
        space: &SearchSpace,
        data: (Dataset, Dataset, Dataset),
        device: Device,
        supernet: Option<Supernet>,
        on_progress: Box<dyn FnMut(&Progress)>,
    ) -> Self {
        Pipeline {
            settings: settings.clone(),
            space: space.clone(),
            data,
            device,
            supernet,
            on_progress,
            cache_sink: None,
        }
    }

    /// The same pipeline, leaving every evaluated candidate's test cache in `sink`.
    pub fn keeping_test_caches(mut self, sink: CacheSink) -> Self {
        self.cache_sink = Some(sink);
        self
    }

    /// The trained supernet, if any.
    pub fn supernet(&self) -> Option<&Supernet> {
        self.supernet.as_ref()
    }

    /// Trains and evaluates one genome, keeping the network and caches.
    pub async fn train_genome(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<TrainedCandidate, EvalError> {
        let arch = Architecture::decode(&self.space, method, genome)
            .map_err(|e| EvalError::Failed(e.to_string()))?;
        let on_progress = &mut self.on_progress;
        let mut cb = |p: &Progress| {
            on_progress(p);
            Control::Continue
        };
        let (a, b, c) = &self.data;
        train_candidate(
            &arch,
            self.supernet.as_ref(),
            &self.settings,
            (a, b, c),
            &self.device,
            &mut cb,
        )
        .await
        .map_err(EvalError::from)
    }
}

impl Evaluator for Pipeline {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        let trained = self.train_genome(genome, method).await?;
        if let Some(sink) = &self.cache_sink {
            // A poisoned lock means another worker panicked: keep going without the cache.
            if let Ok(mut caches) = sink.lock() {
                caches.push((trained.record.genome.clone(), trained.test_cache));
            }
        }
        Ok(trained.record)
    }
}

#[cfg(test)]
#[path = "candidate_tests.rs"]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "candidate_supernet_tests.rs"]
mod supernet_tests;
