//! Export and import: a whole run (the CLI's versioned results schema, plus the page's
//! per-candidate confidence caches under the extra key `page_caches`, which the CLI
//! ignores) and one candidate (genome, method, rule, thresholds and the settings that
//! train it). Imports are size-capped and validated like links (finite numbers, settings
//! clamped to the controls' limits, candidates inside the space; genome text
//! percent-encoded into the link it opens); a bad file changes nothing. Pure (tested
//! natively); the page does the file picking and downloading.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::import_check::{check_candidates, clamp_run_settings, ImportError};
use super::link::{encode, Link, LinkCandidate, Notice};
use super::settings::Settings;
pub use crate::engine::cache_codec::run_file;
use crate::engine::cache_codec::{CompactCache, PAGE_CACHES_KEY};
use crate::engine::exits::ExitRule;
use crate::engine::results::RunResults;
use crate::engine::space::Method;
use crate::model::meta::{read_meta, WeightsFileError};

/// Files larger than this are refused before they are read.
pub const MAX_IMPORT_BYTES: u64 = 64 << 20;
/// `format` of a candidate file.
pub const CANDIDATE_FORMAT: &str = "aebnas-candidate";

/// One candidate as a file: what is needed to train it again and look at it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateFile {
    /// Always [`CANDIDATE_FORMAT`].
    pub format: String,
    /// File format version (1).
    pub version: u32,
    /// Dataset id.
    pub dataset: String,
    /// Search method (decides the exit heads).
    pub method: Method,
    /// Genome as text (`2,0,1,…`).
    pub genome: String,
    /// Confidence rule.
    pub exit_rule: ExitRule,
    /// Thresholds per enabled early exit (> 1 = off).
    pub thresholds: Vec<f32>,
    /// Training seed.
    pub seed: u64,
    /// Training epochs.
    pub epochs: usize,
    /// Training images per epoch.
    pub train_samples: usize,
    /// Test accuracy and avg MACs when exported (for reference).
    pub accuracy: Option<f64>,
    /// Avg MACs when exported.
    pub avg_macs: Option<f64>,
}

/// What an imported file holds.
#[derive(Debug)]
pub enum Imported {
    /// A run, with the caches the file carried (by archive position) and what was
    /// clamped into the controls' limits (one line each).
    Run(Box<RunResults>, BTreeMap<usize, CompactCache>, Vec<String>),
    /// A candidate, as the link that opens it (validated like any link).
    Candidate(Box<Link>, Vec<Notice>),
}

/// The candidate file of `candidate` trained with `settings`.
pub fn candidate_file(
    settings: &Settings,
    candidate: &LinkCandidate,
    metrics: Option<(f64, f64)>,
) -> String {
    let file = CandidateFile {
        format: CANDIDATE_FORMAT.into(),
        version: 1,
        dataset: settings.dataset.clone(),
        method: settings.method,
        genome: candidate.genome.to_string(),
        exit_rule: candidate.rule,
        thresholds: candidate.thresholds.clone(),
        seed: settings.seed,
        epochs: settings.epochs,
        train_samples: settings.train_samples,
        accuracy: metrics.map(|m| m.0),
        avg_macs: metrics.map(|m| m.1),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Why an imported file was refused (nothing is changed). The messages are shown to the
/// user after "Import failed: nothing was changed".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TransferError {
    /// The file is over [`MAX_IMPORT_BYTES`] (checked before it is read).
    #[error(
        "the file is {:.1} MB; the limit is {} MB",
        *size as f64 / 1e6,
        MAX_IMPORT_BYTES >> 20
    )]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
    },
    /// The text does not parse as JSON.
    #[error("not a JSON file: {0}")]
    NotJson(String),
    /// The file says it is a candidate file but its fields do not read as one.
    #[error("not a valid candidate file: {0}")]
    InvalidCandidateFile(String),
    /// A candidate file of a version this page does not know.
    #[error("candidate file version {0} is newer than this page understands (1)")]
    NewerCandidateFile(u32),
    /// JSON that is neither a run nor a candidate file.
    #[error("neither a run (results with `settings` and `archive`) nor a candidate file")]
    Unrecognised,
    /// The run's per-candidate caches (`page_caches`) do not read.
    #[error("the run's caches are damaged: {0}")]
    DamagedCaches(String),
    /// The run does not read as a results document (fields, version).
    #[error("not a valid run: {0}")]
    UnreadableRun(String),
    /// The run reads but one of its candidates does not fit the browser space.
    #[error("not a valid run: {0}")]
    InvalidCandidate(#[from] ImportError),
    /// The run has an empty archive.
    #[error("the run has no evaluated candidates")]
    EmptyRun,
    /// A weights file whose header is refused (not a record, other version, damaged).
    #[error(transparent)]
    Weights(#[from] WeightsFileError),
    /// The candidate's link does not open (an invalid genome or dataset); the link's
    /// notices, joined by "; ".
    #[error("the candidate cannot be opened: {0}")]
    CandidateNotOpenable(String),
}

/// Reads an imported file of `size` bytes (checked before reading) into a run or a
/// candidate; `current` fills what a candidate file does not set.
pub fn parse_import(size: u64, text: &str, current: &Settings) -> Result<Imported, TransferError> {
    if size > MAX_IMPORT_BYTES {
        return Err(TransferError::TooLarge { size });
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| TransferError::NotJson(e.to_string()))?;
    if value.get("format").and_then(|f| f.as_str()) == Some(CANDIDATE_FORMAT) {
        let file: CandidateFile = serde_json::from_value(value)
            .map_err(|e| TransferError::InvalidCandidateFile(e.to_string()))?;
        if file.version > 1 {
            return Err(TransferError::NewerCandidateFile(file.version));
        }
        let (link, notices) = candidate_link(file, current)?;
        return Ok(Imported::Candidate(Box::new(link), notices));
    }
    if value.get("archive").is_none() || value.get("settings").is_none() {
        return Err(TransferError::Unrecognised);
    }
    let caches: BTreeMap<usize, CompactCache> = match value.get(PAGE_CACHES_KEY) {
        Some(c) => serde_json::from_value(c.clone())
            .map_err(|e| TransferError::DamagedCaches(e.to_string()))?,
        None => BTreeMap::new(),
    };
    let mut run =
        RunResults::from_json(text).map_err(|e| TransferError::UnreadableRun(e.to_string()))?;
    if run.archive.is_empty() {
        return Err(TransferError::EmptyRun);
    }
    check_candidates(&run)?;
    let clamped = clamp_run_settings(&mut run);
    let caches = caches
        .into_iter()
        .filter(|(i, _)| *i < run.archive.len())
        .collect();
    Ok(Imported::Run(Box::new(run), caches, clamped))
}

/// Whether a file is a weights file (`.bpk`, or the burnpack magic number).
pub fn is_weights_file(name: &str, head: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".bpk")
        || head.starts_with(&burn_pack::MAGIC_NUMBER.to_le_bytes())
}

/// Reads a weights file (`.bpk`): the link that opens its network (dataset, method,
/// seed, genome, rule and thresholds from the file; the rest from `current`).
pub fn parse_weights(
    bytes: &[u8],
    current: &Settings,
) -> Result<(Link, Vec<Notice>), TransferError> {
    let meta = read_meta(bytes)?;
    let file = CandidateFile {
        format: CANDIDATE_FORMAT.into(),
        version: 1,
        dataset: meta.dataset,
        method: meta.method,
        genome: meta.genome,
        exit_rule: meta.exit_rule,
        thresholds: meta.thresholds,
        seed: meta.seed,
        epochs: current.epochs,
        train_samples: current.train_samples,
        accuracy: None,
        avg_macs: None,
    };
    candidate_link(file, current)
}

/// The link that opens `file`'s candidate, validated like any link (an invalid genome or
/// dataset is an error; clamped values are notices).
fn candidate_link(
    file: CandidateFile,
    current: &Settings,
) -> Result<(Link, Vec<Notice>), TransferError> {
    let mut link = Link {
        settings: current.clone(),
        ..Link::default()
    };
    let s = &mut link.settings;
    (s.dataset, s.method, s.seed, s.epochs, s.train_samples) = (
        file.dataset,
        file.method,
        file.seed,
        file.epochs,
        file.train_samples,
    );
    let mut hash = link.to_hash();
    let th: Vec<String> = file
        .thresholds
        .iter()
        .map(|t| {
            if *t > 1.0 {
                "off".into()
            } else {
                t.to_string()
            }
        })
        .collect();
    // The genome is text from a file: encoded, it cannot add or change other keys.
    hash.push_str(&format!(
        "&genome={}&vrule={}&th={}&view=candidate",
        encode(&file.genome),
        file.exit_rule.name(),
        encode(&th.join(","))
    ));
    let (link, notices) = Link::parse(&hash);
    if link.candidate.is_none() {
        let why = notices
            .iter()
            .map(|n| n.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(TransferError::CandidateNotOpenable(why));
    }
    Ok((link, notices))
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
