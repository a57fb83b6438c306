//! The deployed network of a tuned candidate: an early exit that no validation sample
//! leaves at, at the tuned thresholds, is dropped — its threshold becomes "off"
//! ([`NEVER`]) and its head is not computed, so under the cumulative convention it no
//! longer counts in the cost of any later exit. Under the taken-head convention a head
//! only ever counts at its own exit, so the costs are unchanged.
//!
//! The heads' own costs come from the two conventions' path costs: with `C_j` cumulative
//! and `T_j` taken-head, `C_j − T_j = Σ_{k<j} h_k`, so `h_k = (C_{k+1} − T_{k+1}) −
//! (C_k − T_k)`.

use crate::engine::assign::{score, AssignError, NEVER};
use crate::engine::cost::{CostConvention, ExitCosts};
use crate::engine::exits::{ExitCache, ExitRule};

/// Thresholds and exit costs of a deployed network.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployed {
    /// Tuned thresholds, dropped exits at [`NEVER`].
    pub thresholds: Vec<f32>,
    /// Exit costs without the dropped heads (enabled exits, then final).
    pub costs: Vec<f64>,
    /// Whether each early exit was dropped.
    pub dropped: Vec<bool>,
}

/// Drops the early exits of `thresholds` that no sample of `cache` leaves at and prices
/// the rest with `costs` in `convention` (`thresholds` has one entry per early exit).
pub fn deploy(
    cache: &ExitCache,
    rule: ExitRule,
    costs: &ExitCosts,
    convention: CostConvention,
    thresholds: &[f32],
) -> Result<Deployed, AssignError> {
    let full = costs.get(convention);
    let summary = score(cache, rule, thresholds, full)?;
    let dropped: Vec<bool> = (0..thresholds.len())
        .map(|i| summary.exit_counts()[i] == 0)
        .collect();
    let thresholds = thresholds
        .iter()
        .zip(&dropped)
        .map(|(&t, &d)| if d { NEVER } else { t })
        .collect();
    Ok(Deployed {
        thresholds,
        costs: costs_without(costs, convention, &dropped),
        dropped,
    })
}

/// Exit costs in `convention` when the early exits marked in `dropped` have no head.
/// A dropped exit's own entry keeps its head (it is never taken).
pub fn costs_without(costs: &ExitCosts, convention: CostConvention, dropped: &[bool]) -> Vec<f64> {
    let (c, t) = (&costs.cumulative, &costs.taken_head);
    match convention {
        CostConvention::TakenHead => t.clone(),
        CostConvention::Cumulative => {
            let before = |j: usize| c[j] - t[j];
            let mut removed = 0.0;
            (0..c.len())
                .map(|j| {
                    if j > 0 && dropped.get(j - 1).copied().unwrap_or(false) {
                        removed += before(j) - before(j - 1);
                    }
                    c[j] - removed
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Backbone to exits 0, 1 and the final: 100, 300, 600 MACs; heads 10, 20; final
    /// classifier 50.
    fn costs() -> ExitCosts {
        ExitCosts {
            cumulative: vec![110.0, 330.0, 680.0],
            taken_head: vec![110.0, 320.0, 650.0],
            exit_index: vec![Some(0), Some(1), None],
        }
    }

    #[test]
    fn a_dropped_head_leaves_every_later_cumulative_cost() {
        let c = costs();
        let cum = CostConvention::Cumulative;
        assert_eq!(
            costs_without(&c, cum, &[false, false]),
            vec![110.0, 330.0, 680.0]
        );
        // Exit 0 dropped: exit 1 = 300 + 20, final = 600 + 50 + 20.
        assert_eq!(
            costs_without(&c, cum, &[true, false]),
            vec![110.0, 320.0, 670.0]
        );
        // Exit 1 dropped: final = 600 + 50 + 10.
        assert_eq!(
            costs_without(&c, cum, &[false, true]),
            vec![110.0, 330.0, 660.0]
        );
        assert_eq!(
            costs_without(&c, cum, &[true, true]),
            vec![110.0, 320.0, 650.0]
        );
        let taken = CostConvention::TakenHead;
        assert_eq!(costs_without(&c, taken, &[true, true]), c.taken_head);
    }

    #[test]
    fn an_exit_nobody_takes_is_switched_off_and_its_head_not_paid() {
        // Two samples, exits: 0, 1, final. Exit 0 never confident enough at 0.9.
        let probs = vec![
            vec![0.6, 0.4, 0.7, 0.3],   // exit 0: margins 0.2, 0.4
            vec![0.99, 0.01, 0.3, 0.7], // exit 1: margins 0.98, 0.4
            vec![1.0, 0.0, 0.0, 1.0],   // final
        ];
        let cache = ExitCache::from_probs(&probs, &[0, 1], 2).unwrap();
        let d = deploy(
            &cache,
            ExitRule::Margin,
            &costs(),
            CostConvention::Cumulative,
            &[0.9, 0.5],
        )
        .unwrap();
        assert_eq!(d.dropped, vec![true, false]);
        assert_eq!(d.thresholds, vec![NEVER, 0.5]);
        assert_eq!(d.costs, vec![110.0, 320.0, 670.0]);
        // Sample 0 leaves at exit 1 (320), sample 1 at the final exit (670): 495 on average,
        // where the network with exit 0's head would cost (330 + 680) / 2 = 505.
        let s = score(&cache, ExitRule::Margin, &d.thresholds, &d.costs).unwrap();
        assert_eq!(s.avg_macs, 495.0);
    }
}
