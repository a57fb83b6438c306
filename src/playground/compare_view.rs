//! What the "compare methods" panel and the Pareto plot show of a comparison: one row per
//! method (the current run first, then the compared ones), their figures, the
//! hypervolume ratio to the current run and a summary sentence written from the numbers
//! (one seed: the sentence says a difference is one draw). Plain functions of the state,
//! tested natively; the views only render them.

use super::compare_state::{CompareState, CompareStatus};
use super::run_state::RunState;
use super::shared::Shared;
use crate::engine::compare::{figures, MethodFigures};
use crate::engine::results::RunResults;
use crate::engine::search::total_evaluations;
use crate::engine::space::Method;

/// One method's row.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    /// The method.
    pub method: Method,
    /// Whether this is the page's own run.
    pub current: bool,
    /// `current`, or the compared method's status name.
    pub state: &'static str,
    /// Why it failed, if it did.
    pub failure: Option<String>,
    /// Evaluations done (failed ones included).
    pub done: usize,
    /// Evaluations of the whole run.
    pub total: usize,
    /// Its figures, once it evaluated a candidate.
    pub figures: Option<Shared<MethodFigures>>,
    /// Its hypervolume over the current run's (when both are known and the current one's
    /// is positive).
    pub hv_ratio: Option<f64>,
}

/// The comparison as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareView {
    /// The current run's row, then one per compared method.
    pub rows: Vec<CompareRow>,
    /// Whether every compared method finished.
    pub complete: bool,
    /// The summary sentence (once every method finished).
    pub summary: Option<String>,
}

/// The view of `state` for the page's run `main` (`None` when the comparison is about
/// another problem, or there is neither).
pub fn compare_view(
    state: &CompareState,
    main: Option<&Shared<RunResults>>,
) -> Option<CompareView> {
    let main = main?;
    if !state.is_for(main) {
        return None;
    }
    let own = Shared::new(figures(main));
    let total = total_evaluations(&main.settings);
    let mut rows = vec![CompareRow {
        method: main.settings.method,
        current: true,
        state: "current",
        failure: None,
        done: main.evaluations_done(),
        total,
        figures: Some(own.clone()),
        hv_ratio: (own.hv > 0.0).then_some(1.0),
    }];
    rows.extend(state.runs.iter().map(|r| {
        CompareRow {
            method: r.method,
            current: false,
            state: r.status.name(),
            failure: match &r.status {
                CompareStatus::Failed(why) => Some(why.clone()),
                _ => None,
            },
            done: r.done(),
            total,
            figures: r.figures.clone(),
            hv_ratio: r
                .figures
                .as_ref()
                .filter(|_| own.hv > 0.0)
                .map(|f| f.hv / own.hv),
        }
    }));
    let complete = state
        .runs
        .iter()
        .all(|r| r.status == CompareStatus::Finished);
    let summary = complete.then(|| summary(&rows)).flatten();
    Some(CompareView {
        rows,
        complete,
        summary,
    })
}

/// Why "compare methods" cannot start for the page's run now (`None`: it can).
pub fn compare_blocked(run: &RunState, smoke_running: bool) -> Option<&'static str> {
    let Some(r) = run.run.as_ref() else {
        return Some("Run a search first: the other methods then run on its settings.");
    };
    if run.status.is_busy() {
        return Some("The search is running: compare when it is done.");
    }
    if total_evaluations(&r.settings) <= 1 {
        return Some("A one-network run has no search to compare.");
    }
    if r.evaluations_done() < total_evaluations(&r.settings) {
        return Some("Finish the search first: methods are compared at equal evaluations.");
    }
    if smoke_running {
        return Some("The compute check is running.");
    }
    None
}

/// "On this seed, AEBNAS's front has the largest hypervolume (0.412); the nearest is
/// random search at 0.97 of it. One seed is one draw: docs/results.md compares 5."
fn summary(rows: &[CompareRow]) -> Option<String> {
    let own = rows.first()?;
    let own_hv = own.figures.as_ref()?.hv;
    let mut others: Vec<(&CompareRow, f64)> = rows[1..]
        .iter()
        .filter_map(|r| r.figures.as_ref().map(|f| (r, f.hv)))
        .collect();
    others.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, best_hv) = *others.first()?;
    let own_name = own.method.label();
    let lead = if own_hv >= best_hv {
        format!(
            "On this seed the current run ({own_name}) has the largest hypervolume ({own_hv:.3}); \
             the nearest is {} at {:.3}",
            best.method.label(),
            best_hv
        )
    } else {
        let beaten = others.iter().filter(|(_, hv)| *hv > own_hv).count();
        format!(
            "On this seed {} method{} found a larger hypervolume than the current run \
             ({own_name}, {own_hv:.3}); the largest is {} at {:.3}",
            beaten,
            if beaten == 1 { "" } else { "s" },
            best.method.label(),
            best_hv
        )
    };
    let ratio = if own_hv > 0.0 {
        format!(" ({:.2} × the current run's)", best_hv / own_hv)
    } else {
        String::new()
    };
    Some(format!(
        "{lead}{ratio}. One seed is one draw: docs/results.md compares the methods over 5 seeds \
         with confidence intervals."
    ))
}

#[cfg(test)]
#[path = "compare_view_tests.rs"]
mod tests;
