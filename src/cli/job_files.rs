//! The files of `aebnas propose` / `evaluate` / `tell`: a **job** (one proposal with
//! everything an evaluation needs: the run's settings, where the data is, the seed) and a
//! **result** (the job's proposal and its outcome). Both are JSON, each alone in its file,
//! so any scheduler (a shell loop, Ray, a Slurm array) can move them between machines.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::results::SearchSettings;
use crate::engine::search::{Outcome, Proposal};

/// Version of the job and result files; readers refuse others.
pub const JOB_VERSION: u32 = 1;

/// One evaluation to make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// [`JOB_VERSION`].
    pub version: u32,
    /// The run's settings (what the candidate is trained and tuned by).
    pub settings: SearchSettings,
    /// Where the dataset is: a shipped id (`fashion-mnist`, `mnist`) or an absolute path.
    pub data: String,
    /// The seed of the candidate's training (the run's).
    pub seed: u64,
    /// The proposal: slot, iteration, genome, prediction.
    pub proposal: Proposal,
}

/// What a job gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// [`JOB_VERSION`].
    pub version: u32,
    /// The settings of the job's run.
    pub settings: SearchSettings,
    /// The job's proposal.
    pub proposal: Proposal,
    /// Its record, or why its evaluation failed.
    pub outcome: Outcome,
}

/// Why a job or result file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JobFileError {
    /// Not readable.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// Not a file of this kind.
    #[error("{path} is not a {kind} file: {message}")]
    Parse {
        /// The file.
        path: String,
        /// `job` or `result`.
        kind: &'static str,
        /// The parser's message.
        message: String,
    },
    /// Another version.
    #[error("{path}: version {found}, this aebnas reads version {JOB_VERSION}")]
    Version {
        /// The file.
        path: String,
        /// Its version.
        found: u32,
    },
}

impl From<JobFileError> for String {
    fn from(e: JobFileError) -> String {
        e.to_string()
    }
}

/// Reads a JSON file of kind `kind`, checking its version.
fn read<T: serde::de::DeserializeOwned>(
    path: &Path,
    kind: &'static str,
    version: impl Fn(&T) -> u32,
) -> Result<T, JobFileError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| JobFileError::Io {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let value: T = serde_json::from_str(&text).map_err(|e| JobFileError::Parse {
        path: name.clone(),
        kind,
        message: e.to_string(),
    })?;
    match version(&value) {
        JOB_VERSION => Ok(value),
        found => Err(JobFileError::Version { path: name, found }),
    }
}

impl Job {
    /// Reads a job file.
    pub fn read(path: &Path) -> Result<Job, JobFileError> {
        read(path, "job", |j: &Job| j.version)
    }

    /// The file's text (written atomically by the caller).
    pub fn to_json(&self) -> String {
        to_json(self)
    }

    /// The file name of this job in a jobs folder: `job-<slot>.json`, zero-padded so that
    /// names sort in slot order.
    pub fn file_name(&self) -> String {
        format!("job-{:05}.json", self.proposal.slot)
    }
}

impl JobResult {
    /// Reads a result file.
    pub fn read(path: &Path) -> Result<JobResult, JobFileError> {
        read(path, "result", |r: &JobResult| r.version)
    }

    /// The file's text (written atomically by the caller).
    pub fn to_json(&self) -> String {
        to_json(self)
    }
}

/// Pretty JSON of a value that always serialises.
fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
