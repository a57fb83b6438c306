//! The messages between the search worker that runs a search (the coordinator) and the
//! pool workers it starts beside it: a [`Job`] is one proposal to evaluate, a
//! [`JobResult`] what came of it. They travel inside [`ToWorker::Job`] and
//! [`FromWorker::JobDone`](super::protocol::FromWorker::JobDone); the page never sees
//! them.
//!
//! A job names everything its evaluation depends on (genome, settings with the seed,
//! dataset id), so the same job gives the same record in any worker on the CPU backend.
//!
//! [`ToWorker::Job`]: super::protocol::ToWorker::Job

use serde::{Deserialize, Serialize};

use crate::engine::cache_codec::CompactCache;
use crate::engine::genome::Genome;
use crate::engine::results::{CandidateRecord, SearchSettings};

/// One proposal to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Which batch of the coordinator it belongs to (answers of an older one are dropped).
    pub batch: u64,
    /// Index of the proposal in its batch.
    pub index: usize,
    /// The run's settings (dataset, seed, training budget, …).
    pub settings: SearchSettings,
    /// The canonical genome.
    pub genome: Genome,
}

/// What evaluating a job gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobOutcome {
    /// The candidate's record, its test-set cache and its trained weights.
    Evaluated {
        /// The record (genome, method, iteration and prediction are set when told).
        record: Box<CandidateRecord>,
        /// Per-sample, per-exit confidences on the test set.
        cache: CompactCache,
        /// The trained network as a `.bpk` file, base64 (`None` when it could not be
        /// written: the candidate's weights are then not downloadable).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weights: Option<String>,
    },
    /// The candidate cannot be evaluated (diverged training, …): recorded as failed.
    Failed {
        /// Why.
        reason: String,
    },
    /// Stopped by a pause before it finished.
    Cancelled,
    /// The worker could not run the job at all (no data, busy, …): it goes elsewhere.
    Refused {
        /// Why.
        reason: String,
    },
}

/// A pool worker's answer to a [`Job`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// The job's batch.
    pub batch: u64,
    /// The job's index in its batch.
    pub index: usize,
    /// What came of it.
    pub outcome: JobOutcome,
}
