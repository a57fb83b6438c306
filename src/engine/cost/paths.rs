//! Path costs of the exits: the cost of leaving at each exit in both conventions
//! (cumulative, taken head), the average MACs over exit rates, and the full cost report
//! the `macs` command prints (layers, per-exit costs, parameters per part).

use serde::{Deserialize, Serialize};

use super::{head_rows, LayerRow, Part};
use crate::engine::arch::Architecture;

/// Path costs over the enabled exits in order, then the final exit (the cost vector the
/// exit-assignment code uses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExitCosts {
    /// AEBNAS convention (earlier enabled heads included).
    pub cumulative: Vec<f64>,
    /// EDANAS/NACHOS convention (only the taken head).
    pub taken_head: Vec<f64>,
    /// Candidate index of each entry (`None` for the final exit).
    pub exit_index: Vec<Option<usize>>,
}

/// Which exit-cost convention a run uses (recorded in results).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostConvention {
    /// Backbone + every enabled head at or before the exit (AEBNAS).
    #[default]
    Cumulative,
    /// Backbone + the taken head only (EDANAS/NACHOS code).
    TakenHead,
}

impl ExitCosts {
    /// The cost vector of `convention`.
    pub fn get(&self, convention: CostConvention) -> &[f64] {
        match convention {
            CostConvention::Cumulative => &self.cumulative,
            CostConvention::TakenHead => &self.taken_head,
        }
    }
}

/// `avg MACs = Σ r_i·M_i` (entries beyond the shorter slice are ignored).
pub fn avg_macs(rates: &[f64], costs: &[f64]) -> f64 {
    rates.iter().zip(costs).map(|(r, m)| r * m).sum()
}

/// Cost of one exit (candidate or final) for the JSON / table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExitCostRow {
    /// Candidate index (0-based); the final exit has index = number of candidates.
    pub index: usize,
    /// 0-based stage after which the exit sits (final: the last stage).
    pub position: usize,
    /// Whether the exit is in the network (final: always).
    pub enabled: bool,
    /// Whether this is the final classifier.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Backbone MACs up to and including stage `position`.
    pub backbone_macs: u64,
    /// MACs of this exit's own head (final: the final classifier).
    pub head_macs: u64,
    /// Cumulative cost (`None` when disabled).
    pub cost_cumulative: Option<f64>,
    /// Taken-head cost (`None` when disabled).
    pub cost_taken_head: Option<f64>,
}

/// Everything the `macs` command prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// Every layer of the network (disabled exits omitted).
    pub layers: Vec<LayerRow>,
    /// Candidate exits in order, then the final exit.
    pub exits: Vec<ExitCostRow>,
    /// Stem (+ first block) MACs.
    pub stem_macs: u64,
    /// MACs per stage.
    pub stage_macs: Vec<u64>,
    /// Stem + all stages.
    pub total_backbone_macs: u64,
    /// Final classifier MACs.
    pub final_head_macs: u64,
    /// Parameters per part (stem, stages, enabled exits, final).
    pub params: Vec<(Part, u64)>,
    /// All parameters (BN excluded).
    pub total_params: u64,
}

impl Architecture {
    /// The full cost report (layers, per-exit costs in both conventions, parameters).
    pub fn cost_report(&self) -> CostReport {
        let layers = self.layers();
        let sum = |p: Part| {
            layers
                .iter()
                .filter(|r| r.part == p)
                .map(|r| r.macs)
                .sum::<u64>()
        };
        let stem_macs = sum(Part::Stem);
        let stage_macs: Vec<u64> = (0..self.stages.len())
            .map(|s| sum(Part::Stage(s)))
            .collect();
        let upto = |pos: usize| stem_macs + stage_macs.iter().take(pos + 1).sum::<u64>();
        let total_backbone_macs = upto(self.stages.len());
        let final_head_macs = sum(Part::Final);
        let head: Vec<u64> = (0..self.exits.len())
            .map(|j| {
                head_rows(j, &self.exits[j].head)
                    .iter()
                    .map(|r| r.macs)
                    .sum()
            })
            .collect();
        let mut exits = Vec::new();
        let mut heads_so_far = 0u64;
        for (j, ex) in self.exits.iter().enumerate() {
            let b = upto(ex.position);
            if ex.enabled {
                // Enabled heads at or before this position (positions are increasing).
                heads_so_far = self
                    .enabled_exits()
                    .filter(|(_, e)| e.position <= ex.position)
                    .map(|(i, _)| head[i])
                    .sum();
            }
            exits.push(ExitCostRow {
                index: j,
                position: ex.position,
                enabled: ex.enabled,
                is_final: false,
                backbone_macs: b,
                head_macs: head[j],
                cost_cumulative: ex.enabled.then(|| (b + heads_so_far) as f64),
                cost_taken_head: ex.enabled.then(|| (b + head[j]) as f64),
            });
        }
        let all_heads: u64 = self.enabled_exits().map(|(i, _)| head[i]).sum();
        exits.push(ExitCostRow {
            index: self.exits.len(),
            position: self.stages.len().saturating_sub(1),
            enabled: true,
            is_final: true,
            backbone_macs: total_backbone_macs,
            head_macs: final_head_macs,
            cost_cumulative: Some((total_backbone_macs + final_head_macs + all_heads) as f64),
            cost_taken_head: Some((total_backbone_macs + final_head_macs) as f64),
        });
        let mut params: Vec<(Part, u64)> = Vec::new();
        for r in &layers {
            match params.last_mut() {
                Some((p, n)) if *p == r.part => *n += r.params,
                _ => params.push((r.part, r.params)),
            }
        }
        CostReport {
            total_params: params.iter().map(|(_, n)| n).sum(),
            layers,
            exits,
            stem_macs,
            stage_macs,
            total_backbone_macs,
            final_head_macs,
            params,
        }
    }

    /// Path costs over the enabled exits in order, then the final exit.
    pub fn exit_costs(&self) -> ExitCosts {
        let rep = self.cost_report();
        let used = rep.exits.iter().filter(|e| e.enabled);
        let mut c = ExitCosts {
            cumulative: vec![],
            taken_head: vec![],
            exit_index: vec![],
        };
        for e in used {
            c.cumulative.push(e.cost_cumulative.unwrap_or(0.0));
            c.taken_head.push(e.cost_taken_head.unwrap_or(0.0));
            c.exit_index.push((!e.is_final).then_some(e.index));
        }
        c
    }
}
