//! Checks an imported run the way a link is checked, before the page keeps it: every
//! setting inside the controls' [`Limits`] (clamped, each change named in a notice),
//! every candidate's genome decodable in the browser space, its exit positions inside
//! that space and in order, and one threshold per early exit. Numbers are already known
//! finite ([`RunResults::validate`]). Pure (tested natively).

use super::link::link_space;
use super::setting_fields::Limits;
use crate::engine::arch::Architecture;
use crate::engine::results::RunResults;

/// Why an imported run was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A candidate's genome does not decode in the browser space.
    #[error("candidate {index}: its genome does not fit the browser search space ({why})")]
    Genome {
        /// 1-based candidate number.
        index: usize,
        /// The decoder's message.
        why: String,
    },
    /// A candidate's exits do not fit the space or its other values.
    #[error("candidate {index}: {why}")]
    Exits {
        /// 1-based candidate number.
        index: usize,
        /// What is wrong.
        why: String,
    },
}

/// Clamps `value` into `(lo, hi)`, noting a change as `"name v → clamped (lo–hi)"`.
fn clamp_noted(name: &str, value: &mut usize, (lo, hi): (usize, usize), notes: &mut Vec<String>) {
    let c = (*value).clamp(lo, hi);
    if c != *value {
        notes.push(format!("{name} {} → {c} (allowed {lo}–{hi})", *value));
        *value = c;
    }
}

/// Forces the run's settings into the controls' limits; returns what changed.
pub fn clamp_run_settings(run: &mut RunResults) -> Vec<String> {
    let mut notes = Vec::new();
    let s = &mut run.settings;
    clamp_noted("initial sample", &mut s.n_doe, Limits::DOE, &mut notes);
    clamp_noted(
        "iterations",
        &mut s.iterations,
        Limits::ITERATIONS,
        &mut notes,
    );
    clamp_noted(
        "candidates per iteration",
        &mut s.per_iter,
        Limits::PER_ITER,
        &mut notes,
    );
    clamp_noted("epochs", &mut s.epochs, Limits::EPOCHS, &mut notes);
    let supernet = Limits::SUPERNET_EPOCHS;
    clamp_noted(
        "supernet epochs",
        &mut s.supernet_epochs,
        supernet,
        &mut notes,
    );
    if let Some(n) = s.train_samples.as_mut() {
        clamp_noted("training images", n, Limits::TRAIN_SAMPLES, &mut notes);
    }
    let mut seed = usize::try_from(s.seed).unwrap_or(usize::MAX);
    clamp_noted("seed", &mut seed, Limits::SEED, &mut notes);
    s.seed = seed as u64;
    let (lo, hi) = Limits::MAC_TARGET;
    let target = s.mac_target.clamp(lo, hi);
    if target != s.mac_target {
        notes.push(format!(
            "MAC target {} → {target} (allowed {lo}–{hi})",
            s.mac_target
        ));
        s.mac_target = target;
    }
    notes
}

/// Checks every candidate of `run` against the browser space.
pub fn check_candidates(run: &RunResults) -> Result<(), ImportError> {
    let space = link_space();
    let places = &space.exit_positions;
    for (i, c) in run.archive.iter().enumerate() {
        let index = i + 1;
        let exits = |why: String| ImportError::Exits { index, why };
        let arch =
            Architecture::decode(&space, c.method, &c.genome).map_err(|e| ImportError::Genome {
                index,
                why: e.to_string(),
            })?;
        if let Some(&p) = c.exit_positions.iter().find(|p| !places.contains(p)) {
            return Err(exits(format!(
                "exit position {p} is outside the space (exits sit after stages {places:?})"
            )));
        }
        if c.exit_positions.windows(2).any(|w| w[0] >= w[1]) {
            return Err(exits(
                "its exit positions are not in increasing order".into(),
            ));
        }
        if c.exit_positions.len() != c.thresholds.len() {
            return Err(exits(format!(
                "{} exit positions but {} thresholds",
                c.exit_positions.len(),
                c.thresholds.len()
            )));
        }
        let enabled = arch.exits.iter().filter(|e| e.enabled).count();
        if enabled != c.thresholds.len() {
            return Err(exits(format!(
                "its genome has {enabled} early exits but the record {}",
                c.thresholds.len()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "import_check_tests.rs"]
mod tests;
