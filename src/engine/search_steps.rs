//! The search loop's *ask* step, pure: which genomes a run evaluates next.
//!
//! A run's evaluations are numbered by **slot**: the DOE holds slots `0..n_doe`,
//! iteration `it ≥ 1` the `per_iter` slots after the DOE and the iterations before it.
//! An iteration's proposals depend only on the settings, the seed and the outcomes of the
//! slots before it ([`plan_iteration`]), so any scheduler may ask for them, evaluate them
//! anywhere in any order, and tell the outcomes back in slot order
//! ([`super::tell`](super::tell)); the same seed gives the same run whoever evaluates it.
//! [`super::run_search`] is these two steps with an evaluator in between.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::propose::{doe_with_duplicates, surrogate_proposals};
use super::{total_evaluations, validate_settings, SearchError};
use crate::engine::genome::Genome;
use crate::engine::results::{RunResults, SearchSettings};
use crate::engine::space::{Method, SearchSpace};

/// One evaluation the loop asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// Position among the run's evaluations (0-based).
    pub slot: usize,
    /// Iteration that proposes it (0 = DOE).
    pub iteration: usize,
    /// The canonical genome.
    pub genome: Genome,
    /// Surrogate predictions `[accuracy, avg MACs]` (none for DOE and `random`).
    pub predicted: Option<[f64; 2]>,
}

/// Every proposal of one iteration and what its [`IterationRecord`] keeps of them.
///
/// [`IterationRecord`]: crate::engine::results::IterationRecord
#[derive(Clone, Debug, PartialEq)]
pub struct IterationPlan {
    /// Iteration number (0 = DOE).
    pub iteration: usize,
    /// The proposals of all its slots, in slot order (evaluated ones included).
    pub proposals: Vec<Proposal>,
    /// Held-out Kendall τ of the accuracy surrogate (none for DOE and `random`).
    pub tau_accuracy: Option<f64>,
    /// Held-out Kendall τ of the avg-MACs surrogate.
    pub tau_macs: Option<f64>,
    /// Proposals passed over because their effective network was already in the run.
    pub duplicates: usize,
}

/// The slots of iteration `it` (empty beyond the run's last iteration).
pub fn iteration_slots(s: &SearchSettings, it: usize) -> Range<usize> {
    if it == 0 {
        return 0..s.n_doe;
    }
    if it > s.iterations {
        let end = total_evaluations(s);
        return end..end;
    }
    let start = s.n_doe + (it - 1) * s.per_iter;
    start..start + s.per_iter
}

/// The iteration that holds `slot` (`None` beyond the run's evaluations).
pub fn iteration_of_slot(s: &SearchSettings, slot: usize) -> Option<usize> {
    if slot >= total_evaluations(s) {
        None
    } else if slot < s.n_doe {
        Some(0)
    } else {
        Some(1 + (slot - s.n_doe) / s.per_iter.max(1))
    }
}

/// Checks that `run` can go on in `space`; returns the evaluations the whole run makes.
pub fn check_run(run: &RunResults, space: &SearchSpace) -> Result<usize, SearchError> {
    validate_settings(&run.settings, space)?;
    let total = total_evaluations(&run.settings);
    if run.evaluations_done() > total {
        return Err(SearchError::Settings(format!(
            "the run holds {} evaluations, more than the {total} these settings make",
            run.evaluations_done()
        )));
    }
    Ok(total)
}

/// Every proposal of iteration `it`, from the outcomes of the slots before it (a resumed
/// run may hold later ones: they are not read).
pub fn plan_iteration(
    space: &SearchSpace,
    run: &RunResults,
    it: usize,
) -> Result<IterationPlan, SearchError> {
    let s = &run.settings;
    let slots = iteration_slots(s, it);
    let plain = |genomes: &[Genome], duplicates: usize| IterationPlan {
        iteration: it,
        proposals: (slots.clone().zip(genomes))
            .map(|(slot, g)| Proposal {
                slot,
                iteration: it,
                genome: g.clone(),
                predicted: None,
            })
            .collect(),
        tau_accuracy: None,
        tau_macs: None,
        duplicates,
    };
    // Random search draws every genome from the DOE stream (its iteration 0 counts every
    // draw's duplicates); the others draw only the DOE from it.
    if s.method == Method::Random {
        let (all, duplicates) = doe_with_duplicates(space, s, total_evaluations(s))?;
        let duplicates = if it == 0 { duplicates } else { 0 };
        return Ok(plain(&all[slots.clone()], duplicates));
    }
    if it == 0 {
        let (doe, duplicates) = doe_with_duplicates(space, s, s.n_doe)?;
        return Ok(plain(&doe, duplicates));
    }
    let before = run.archive_position(slots.start).min(run.archive.len());
    if before == 0 {
        return Err(SearchError::AllFailed {
            count: run.failed.len(),
            reason: (run.failed.first()).map_or_else(String::new, |f| f.reason.clone()),
        });
    }
    // Only the failures before this iteration: a resumed run knows later ones too.
    let failed: Vec<Genome> = (run.failed.iter())
        .filter(|f| f.slot < slots.start)
        .map(|f| f.genome.clone())
        .collect();
    let p = surrogate_proposals(space, s, it, &run.archive[..before], &failed)?;
    Ok(IterationPlan {
        iteration: it,
        proposals: (slots.zip(p.candidates))
            .map(|(slot, (genome, predicted))| Proposal {
                slot,
                iteration: it,
                genome,
                predicted,
            })
            .collect(),
        tau_accuracy: p.tau_accuracy,
        tau_macs: p.tau_macs,
        duplicates: p.duplicates,
    })
}
