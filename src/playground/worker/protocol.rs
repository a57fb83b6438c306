//! Messages between the page and the search worker, sent as JSON strings through
//! `postMessage` (one `serde_json` value per message, tagged by `"type"`).
//!
//! The page sends [`ToWorker`]; the worker answers with [`FromWorker`]. The worker says
//! [`FromWorker::Ready`] once its WebAssembly is running; the page queues commands until
//! then. A search reports `Started`, then per candidate `Evaluating`, `Progress`…,
//! `Evaluated` (the whole [`RunResults`] so far plus the candidate's test-set
//! [`CompactCache`]), `IterationDone` after each iteration, and ends with exactly one of
//! `Paused`, `Finished` or `Failed`.

use serde::{Deserialize, Serialize};

use super::job::{Job, JobResult};
use crate::engine::cache_codec::CompactCache;
use crate::engine::exits::ExitRule;
use crate::engine::results::{RunResults, SearchSettings};
use crate::playground::backend_measure::{DeviceKind, Measurement};
use crate::playground::settings::BackendChoice;

/// Page → worker (short-lived messages: the size difference of variants is harmless).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker {
    /// Run (or continue) a search. With `resume`, the archive it holds is kept and only
    /// the missing evaluations run (`resume.settings` must equal `settings`).
    Start {
        /// What to run.
        settings: SearchSettings,
        /// A run to continue.
        resume: Option<RunResults>,
        /// Which compute backend the user allows.
        backend: BackendChoice,
        /// Search workers evaluating candidates side by side (this one and `workers − 1`
        /// pool workers it starts; the CPU backend only: a GPU is one device).
        #[serde(default = "one")]
        workers: usize,
        /// A comparison run (the page's "compare methods"): no weights are kept for
        /// export, and each candidate is reported by `Recorded`, without its test cache.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        compare: bool,
    },
    /// Train and evaluate one network (a shared link's genome) as a run of its own: the
    /// answer is `Started`, `Evaluating`, `Progress`…, `Evaluated` and `Finished` with a
    /// one-candidate run (its settings say `n_doe = 1`, no iterations).
    Evaluate {
        /// Dataset, seed, epochs… (the budget fields are replaced).
        settings: SearchSettings,
        /// The genome, as text.
        genome: String,
        /// Which compute backend the user allows.
        backend: BackendChoice,
    },
    /// Evaluate imported trained weights (a `.bpk` file naming its genome) as a run of
    /// their own, without training: answered as `Evaluate` is.
    EvaluateWeights {
        /// Dataset and the settings the file is scored with.
        settings: SearchSettings,
        /// Which compute backend the user allows.
        backend: BackendChoice,
        /// The weights file, base64.
        weights: String,
    },
    /// Send candidate `index`'s trained weights (`Weights`, or `WeightsUnavailable`) with
    /// this rule and these thresholds recorded in the file. Runs beside a search.
    ExportWeights {
        /// Archive position.
        index: usize,
        /// The rule of the thresholds.
        exit_rule: ExitRule,
        /// The page's current thresholds.
        thresholds: Vec<f32>,
    },
    /// Evaluate one proposal as a pool worker (sent by the search worker that runs the
    /// search, never by the page): answered by `JobDone`.
    Job {
        /// The proposal and everything its evaluation depends on.
        job: Job,
    },
    /// Stop after the current training step; the worker answers `Paused` with the run so
    /// far (a later `Start` with `resume` continues it).
    Pause,
    /// Which backend would train now, and why: answered by `Probed` (the page's badge).
    /// With `auto` and no measurement (neither `remembered` nor one this worker made),
    /// the worker measures first (`Measuring`, then `Probed` with the figures).
    Probe {
        /// Which compute backend the user allows.
        backend: BackendChoice,
        /// The measurement this browser remembers (used instead of measuring again).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remembered: Option<Measurement>,
    },
    /// Measure both backends again (the user asked): `Measuring`, then `Probed` with the
    /// new figures, or `MeasureRefused` while a search or another request trains.
    Measure {
        /// Which compute backend the user allows (what `Probed` then reports).
        backend: BackendChoice,
    },
    /// A few training steps of the default genome on `dataset`'s training split (the
    /// compute check): `SmokeStep` per step, then `SmokeDone` or `SmokeFailed`.
    Smoke {
        /// Dataset id.
        dataset: String,
        /// Seed of the split and the weights.
        seed: u64,
        /// Training steps.
        steps: usize,
        /// Which compute backend the user allows.
        backend: BackendChoice,
    },
}

/// What is being trained right now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Phase {
    /// The weight-sharing supernet (once per dataset, seed and budget).
    Supernet,
    /// Candidate `index` (0-based archive position) of `total`, proposed by `iteration`.
    Candidate {
        /// Archive position.
        index: usize,
        /// Evaluations of the whole run.
        total: usize,
        /// Iteration that proposed it (0 = initial random sample).
        iteration: usize,
    },
}

/// One training step finished.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepInfo {
    /// What is training.
    pub phase: Phase,
    /// Steps done in this training run (1-based).
    pub step: usize,
    /// Steps of this training run.
    pub total_steps: usize,
    /// Loss of the step.
    pub loss: f32,
    /// Training throughput.
    pub samples_per_sec: f64,
    /// Seconds since this training run started.
    #[serde(default)]
    pub elapsed: f64,
}

/// Worker → page. Adjacently tagged (`{"type": …, "data": …}`, type first): the page
/// parses `data` straight into the variant, where an internally tagged enum would first
/// buffer the whole message (its cache string included) — a long main-thread task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker runs and accepts commands.
    Ready,
    /// A human-readable status line ("Loading the training images…").
    Status {
        /// The line.
        message: String,
    },
    /// The backend the search trains on and why (the badge shows it).
    Backend {
        /// WebGPU or the CPU.
        kind: DeviceKind,
        /// Adapter or reason.
        detail: String,
    },
    /// The GPU device failed mid-run; the search continues on the CPU from the last
    /// finished evaluation.
    BackendLost {
        /// What failed.
        reason: String,
    },
    /// The search loop started; `done` evaluations were already in the archive.
    Started {
        /// Evaluations of the whole run.
        total: usize,
        /// Evaluations already done.
        done: usize,
    },
    /// Candidate `index` starts training.
    Evaluating {
        /// Position among the run's evaluations (the archive position when none failed).
        index: usize,
        /// Iteration that proposed it.
        iteration: usize,
        /// Its genome, as text.
        genome: String,
    },
    /// A training step finished.
    Progress(StepInfo),
    /// Candidate `index` is evaluated: the run with it, and its test-set cache.
    Evaluated {
        /// Archive position.
        index: usize,
        /// The whole run so far.
        run: RunResults,
        /// Per-sample, per-exit confidences on the test set (for the sliders).
        cache: CompactCache,
    },
    /// A comparison run's candidate is evaluated: the run with it (no cache: the page
    /// shows a compared run's front, not its candidates).
    Recorded {
        /// The whole run so far.
        run: RunResults,
    },
    /// Evaluation `slot` failed (its training diverged, …): it is in `run.failed` and the
    /// search goes on.
    CandidateFailed {
        /// Position among the run's evaluations.
        slot: usize,
        /// Why, one sentence.
        reason: String,
        /// The run so far.
        run: RunResults,
    },
    /// An iteration finished (its hypervolume is in `run.iterations`).
    IterationDone {
        /// The run so far.
        run: RunResults,
    },
    /// Stopped on request; `run` can be resumed.
    Paused {
        /// The run so far.
        run: RunResults,
    },
    /// Every evaluation is done.
    Finished {
        /// The complete run.
        run: RunResults,
    },
    /// Candidate `index`'s weights file.
    Weights {
        /// Archive position.
        index: usize,
        /// Suggested file name.
        file_name: String,
        /// The `.bpk` file, base64.
        bytes: String,
    },
    /// Candidate `index`'s weights cannot be exported (the search goes on).
    WeightsUnavailable {
        /// Archive position.
        index: usize,
        /// Why.
        reason: String,
    },
    /// The search could not run or continue (what is in the archive stays valid).
    Failed {
        /// Why.
        message: String,
    },
    /// The answer to `Probe` and `Measure`: the backend the worker trains on, why, and
    /// the measurement behind an `auto` choice.
    Probed {
        /// The device.
        kind: DeviceKind,
        /// Adapter, reason or the measured figures.
        detail: String,
        /// Both backends' figures (the `auto` choice only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        measurement: Option<Measurement>,
    },
    /// The worker times training steps on each backend now (the badge says so).
    Measuring,
    /// A `Measure` request was not run.
    MeasureRefused {
        /// Why (the worker is busy training).
        reason: String,
    },
    /// A smoke-training step finished.
    SmokeStep {
        /// Steps done (1-based).
        step: usize,
        /// Loss of the step.
        loss: f32,
    },
    /// The smoke-training run finished.
    SmokeDone {
        /// Loss per step.
        losses: Vec<f32>,
        /// Wall time in the worker, data loading included.
        seconds: f64,
    },
    /// The smoke-training run failed.
    SmokeFailed {
        /// Why.
        message: String,
    },
    /// A pool worker's answer to a `Job` (to the search worker, never to the page).
    JobDone {
        /// The job's outcome.
        result: JobResult,
    },
}

fn one() -> usize {
    1
}

/// A message text that does not parse (the parser's message); the receiver answers or
/// reports it as `Failed`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    /// The page (or the search worker, for a job) sent what is not a [`ToWorker`].
    #[error("bad message to the worker: {0}")]
    MalformedToWorker(String),
    /// The worker sent what is not a [`FromWorker`].
    #[error("bad message from the worker: {0}")]
    MalformedFromWorker(String),
}

impl ToWorker {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a message.
    pub fn from_json(text: &str) -> Result<Self, ProtocolError> {
        serde_json::from_str(text).map_err(|e| ProtocolError::MalformedToWorker(e.to_string()))
    }
}

impl FromWorker {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let failed = FromWorker::Failed {
                message: format!("could not encode a message: {e}"),
            };
            serde_json::to_string(&failed).unwrap_or_default()
        })
    }

    /// Parses a message.
    pub fn from_json(text: &str) -> Result<Self, ProtocolError> {
        serde_json::from_str(text).map_err(|e| ProtocolError::MalformedFromWorker(e.to_string()))
    }
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
