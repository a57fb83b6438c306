//! A synthetic [`Evaluator`]: accuracy, exit rates and avg MACs as a known deterministic
//! function of the decoded architecture, no training. Used by the loop's tests and by
//! `aebnas search --synthetic` (the CLI's checkpoint/resume tests); never a measurement.
//!
//! Costs count conv (`k²·C_in/groups·C_out·H_out·W_out`) and linear (`in·out`) layers of
//! the decoded [`Architecture`], with exit costs in the run's [`CostConvention`]
//! (docs/method.md, § Cost model), so every record satisfies `avg_macs = Σ rate × cost`
//! exactly as computed. Accuracy grows with log backbone MACs; an exit leaves a fraction of
//! the remaining samples that grows as its threshold falls and as it sits deeper.
//!
//! These figures are the record's validation figures; its test figures equal them, or,
//! with [`SyntheticEvaluator::test_inverted`], rank every pair of candidates by accuracy
//! the other way round (test accuracy `1 − accuracy`, avg MACs unchanged): the tests'
//! proof that only validation chooses.

use super::{EvalError, Evaluator};
use crate::engine::arch::{Architecture, ConvSpec, ExitHead, LinearSpec, MbConvSpec};
use crate::engine::exits::ExitRule;
use crate::engine::genome::{Genome, GenomeError};
use crate::engine::results::{CandidateRecord, CostConvention};
use crate::engine::space::{Method, SearchSpace};

/// The synthetic evaluator.
#[derive(Clone, Debug)]
pub struct SyntheticEvaluator {
    /// Space genomes are decoded in.
    pub space: SearchSpace,
    /// Exit cost convention of the records.
    pub convention: CostConvention,
    /// Exit rule written into the records.
    pub exit_rule: ExitRule,
    /// Calls made so far (tests count evaluations with it).
    pub calls: usize,
    /// Genomes evaluated, in call order.
    pub evaluated: Vec<Genome>,
    /// Genomes whose evaluation fails as a diverged training would (tests of failures).
    pub fail: Vec<Genome>,
    /// Test figures that disagree with validation on every comparison.
    pub test_inverted: bool,
}

impl SyntheticEvaluator {
    /// An evaluator for `space`.
    pub fn new(space: SearchSpace, convention: CostConvention, exit_rule: ExitRule) -> Self {
        Self {
            space,
            convention,
            exit_rule,
            calls: 0,
            evaluated: Vec::new(),
            fail: Vec::new(),
            test_inverted: false,
        }
    }

    /// The record of `genome` under `method` (what [`Evaluator::evaluate`] returns).
    pub fn record(&self, genome: &Genome, method: Method) -> Result<CandidateRecord, GenomeError> {
        let a = Architecture::decode(&self.space, method, genome)?;
        let mut prefix = conv(&a.stem) + a.first_block.as_ref().map_or(0.0, mbconv);
        let mut stage_end = Vec::new();
        for st in &a.stages {
            prefix += st.layers.iter().map(mbconv).sum::<f64>();
            stage_end.push(prefix);
        }
        let backbone = prefix;
        let fh = &a.final_head;
        let final_head = fh.expand.as_ref().map_or(0.0, conv)
            + fh.feature_mix.as_ref().map_or(0.0, conv)
            + linear(&fh.classifier);
        let final_acc = 0.55 + 0.4 * (1.0 - (-backbone / 1.5e6).exp());
        let (mut costs, mut rates, mut accs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut thresholds, mut positions) = (Vec::new(), Vec::new());
        let (mut heads_so_far, mut remaining) = (0.0, 1.0);
        let depth = a.stages.len().max(1) as f64;
        for (_, ex) in a.enabled_exits() {
            let head = head_macs(&ex.head);
            heads_so_far += head;
            let to_here = stage_end.get(ex.position).copied().unwrap_or(backbone);
            costs.push(match self.convention {
                CostConvention::Cumulative => to_here + heads_so_far,
                CostConvention::TakenHead => to_here + head,
            });
            let t = ex.threshold.unwrap_or(0.5) as f64;
            let deep = (ex.position + 1) as f64 / depth;
            let leave = (0.75 - t + 0.2 * deep).clamp(0.05, 0.95);
            rates.push(remaining * leave);
            remaining *= 1.0 - leave;
            let bonus = 0.02 * (1.0 + head / 1e4).ln().min(3.0);
            accs.push((final_acc * (0.75 + 0.2 * deep) + bonus + 0.1 * t).min(0.999));
            thresholds.push(t as f32);
            positions.push(ex.position);
        }
        costs.push(match self.convention {
            CostConvention::Cumulative => backbone + final_head + heads_so_far,
            CostConvention::TakenHead => backbone + final_head,
        });
        rates.push(remaining);
        accs.push(final_acc);
        let avg: f64 = rates.iter().zip(&costs).map(|(r, c)| r * c).sum();
        let acc: f64 = rates
            .iter()
            .zip(&accs)
            .map(|(r, a)| r * a)
            .sum::<f64>()
            .clamp(0.0, 1.0);
        Ok(CandidateRecord {
            genome: genome.clone(),
            method,
            iteration: 0,
            thresholds,
            exit_rule: self.exit_rule,
            exit_positions: positions,
            val_accuracy: acc,
            val_avg_macs: avg,
            val_exit_rates: rates.clone(),
            test_accuracy: if self.test_inverted { 1.0 - acc } else { acc },
            test_final_exit_accuracy: final_acc,
            test_avg_macs: avg,
            test_exit_accuracies: rates
                .iter()
                .zip(&accs)
                .map(|(&r, &a)| (r > 0.0).then_some(a))
                .collect(),
            test_exit_rates: rates,
            exit_costs: costs,
            val_tuned: Vec::new(),
            train_seconds: 0.0,
            predicted: None,
        })
    }
}

impl Evaluator for SyntheticEvaluator {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        self.calls += 1;
        self.evaluated.push(genome.clone());
        if self.fail.contains(genome) {
            return Err(EvalError::Failed(
                "training diverged: loss NaN at step 1 (synthetic failure)".into(),
            ));
        }
        self.record(genome, method)
            .map_err(|e| EvalError::Failed(e.to_string()))
    }
}

fn conv(c: &ConvSpec) -> f64 {
    (c.kernel * c.kernel * (c.c_in / c.groups.max(1)) * c.c_out * c.h_out * c.w_out) as f64
}

fn linear(l: &LinearSpec) -> f64 {
    (l.in_features * l.out_features) as f64
}

fn mbconv(m: &MbConvSpec) -> f64 {
    m.expand.as_ref().map_or(0.0, conv)
        + conv(&m.depthwise)
        + m.se.as_ref().map_or(0.0, |(a, b)| conv(a) + conv(b))
        + conv(&m.project)
}

fn head_macs(h: &ExitHead) -> f64 {
    match h {
        ExitHead::Branch {
            modules,
            classifier,
        } => modules.iter().flat_map(|m| &m.convs).map(conv).sum::<f64>() + linear(classifier),
        ExitHead::Edanas {
            expand,
            mix,
            classifier,
        } => conv(expand) + conv(mix) + linear(classifier),
        ExitHead::Nachos { convs, classifier } => {
            convs.iter().map(conv).sum::<f64>() + linear(classifier)
        }
        ExitHead::Sdn { classifier, .. } => linear(classifier),
    }
}
