//! The fixed-length integer genome (as AEBNAS): layout, validation, sampling, canonical form.
//!
//! Every gene is an index into a choice set of the [`SearchSpace`]; where each gene sits
//! is [`GenomeLayout`] (`genome/layout.rs`, with the table of positions).
//!
//! **Threshold genes only switch exits on and off.** Every candidate's thresholds are
//! tuned on the validation split after training (the run's tuning rule), which would
//! overwrite any value a gene carried, so a value (0.1 or 0.2) changes nothing about the
//! network the run deploys: it is not a gene. The canonical form writes the first "on"
//! value for every enabled exit, so two genomes that differ only in such a value are one
//! genome and the search never trains that network twice.

use crate::engine::rng::Rng;
use crate::engine::space::{Method, SearchSpace};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

mod layout;
pub use layout::{GenomeLayout, ModuleGene};

/// An invalid genome or one whose shapes do not work out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GenomeError {
    /// Wrong number of genes.
    #[error("genome has {got} genes, the {space} space needs {expected}")]
    Length {
        /// Genes the space needs.
        expected: usize,
        /// Genes given.
        got: usize,
        /// Space preset.
        space: crate::engine::space::SpacePreset,
    },
    /// A gene outside its choice set.
    #[error("gene {index} ({name}) = {value} is out of range 0..{card}")]
    OutOfRange {
        /// Gene index.
        index: usize,
        /// What the gene means.
        name: String,
        /// The value given.
        value: u32,
        /// Number of choices.
        card: u32,
    },
    /// A layer whose output would be empty (or whose kernel exceeds its padded input).
    #[error("{0}")]
    Shape(String),
    /// Text that is not a comma-separated list of non-negative integers.
    #[error("{0}")]
    Parse(String),
}

/// A genome: one integer per gene, fixed length for a space (layout in the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Genome(pub Vec<u32>);

impl fmt::Display for Genome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, g) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{g}")?;
        }
        Ok(())
    }
}

impl FromStr for Genome {
    type Err = GenomeError;
    fn from_str(s: &str) -> Result<Self, GenomeError> {
        let s = s.trim().trim_start_matches('[').trim_end_matches(']');
        if s.trim().is_empty() {
            return Err(GenomeError::Parse("empty genome".into()));
        }
        s.split(',')
            .enumerate()
            .map(|(i, t)| {
                t.trim().parse::<u32>().map_err(|_| {
                    GenomeError::Parse(format!(
                        "gene {i}: '{}' is not a non-negative integer",
                        t.trim()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Genome)
    }
}

impl Genome {
    /// Checks length and that every gene is inside its choice set (shape problems are
    /// reported by `Architecture::decode`).
    pub fn validate(&self, space: &SearchSpace) -> Result<(), GenomeError> {
        let layout = GenomeLayout::of(space);
        if self.0.len() != layout.len() {
            return Err(GenomeError::Length {
                expected: layout.len(),
                got: self.0.len(),
                space: space.name,
            });
        }
        for (i, (&v, &card)) in self.0.iter().zip(&layout.cardinalities(space)).enumerate() {
            if v >= card {
                return Err(GenomeError::OutOfRange {
                    index: i,
                    name: layout.describe(i),
                    value: v,
                    card,
                });
            }
        }
        Ok(())
    }

    /// Whether early exit `j` is on under `method` (SDN: always; others: threshold ≠ off).
    pub fn exit_enabled(&self, space: &SearchSpace, method: Method, j: usize) -> bool {
        if !method.searches_placement() {
            return true;
        }
        let g = self.0.get(GenomeLayout::of(space).threshold(j)).copied();
        let off = space.threshold_off_index().map(|o| o as u32);
        g.is_some() && g != off
    }

    /// The canonical form: genes that do not change the architecture zeroed — layers beyond
    /// the depth, genes of disabled exits, absent modules, branch genes of methods with a
    /// fixed head; the threshold gene of every enabled exit 0 (on: its value is tuned). Equal architectures
    /// have equal canonical genomes. Assumes a genome of the right length (others are
    /// returned unchanged).
    pub fn canonical(&self, space: &SearchSpace, method: Method) -> Genome {
        let layout = GenomeLayout::of(space);
        let mut g = self.0.clone();
        if g.len() != layout.len() {
            return self.clone();
        }
        for s in 0..layout.stages {
            let d = space
                .depths
                .get(g[layout.depth(s)] as usize)
                .copied()
                .unwrap_or(layout.max_depth);
            for l in d..layout.max_depth {
                g[layout.kernel(s, l)] = 0;
                g[layout.expansion(s, l)] = 0;
            }
        }
        for j in 0..layout.exits {
            let t = layout.threshold(j);
            let enabled = self.exit_enabled(space, method, j);
            if enabled {
                g[t] = 0;
            }
            let first = t + 1;
            let last = t + layout.exit_genes();
            if !enabled || !method.searches_branches() {
                g[first..last].iter_mut().for_each(|v| *v = 0);
                continue;
            }
            let mut present = true;
            for m in 1..layout.max_modules {
                let p = layout.module_present(j, m).unwrap_or(0);
                present = present && g[p] != 0;
                if !present {
                    g[p..p + 6].iter_mut().for_each(|v| *v = 0);
                }
            }
        }
        Genome(g)
    }

    /// A random genome for `method` (uniform over searched genes, canonical, with at least
    /// one early exit enabled when the space has any).
    pub fn sample(space: &SearchSpace, method: Method, rng: &mut Rng) -> Genome {
        let layout = GenomeLayout::of(space);
        let card = layout.cardinalities(space);
        let free = layout.searched(space, method);
        let off = space.threshold_off_index();
        let mut g: Vec<u32> = (0..layout.len())
            .map(|i| {
                if free[i] {
                    rng.below(card[i] as usize) as u32
                } else {
                    0
                }
            })
            .collect();
        if method == Method::Nachos {
            // Placement bits: on (value index 0) or off, each with probability 1/2.
            for j in 0..layout.exits {
                if let (Some(o), true) = (off, rng.below(2) == 1) {
                    g[layout.threshold(j)] = o as u32;
                }
            }
        }
        let genome = Genome(g);
        let any = (0..layout.exits).any(|j| genome.exit_enabled(space, method, j));
        let mut g = genome.0;
        if !any && layout.exits > 0 {
            let j = rng.below(layout.exits);
            let on: Vec<u32> = (0..space.thresholds.len() as u32)
                .filter(|&v| Some(v as usize) != off)
                .collect();
            g[layout.threshold(j)] = on.first().copied().unwrap_or(0);
        }
        Genome(g).canonical(space, method)
    }
}

/// A reasonable mid-size genome: native resolution, middle depth, alternating kernels,
/// middle expansion; the first two exits on (threshold 0.2 where it exists) with a conv
/// k3 ext8 ×1 + pool module, the second exit with a depthwise-separable second module when
/// the space has that kind; remaining exits off. Canonical for AEBNAS.
pub fn default_genome(space: &SearchSpace) -> Genome {
    let layout = GenomeLayout::of(space);
    let mut g = vec![0u32; layout.len()];
    g[0] = space.resolutions.len().saturating_sub(1) as u32;
    let mid = |n: usize| (n / 2) as u32;
    for s in 0..layout.stages {
        g[layout.depth(s)] = mid(space.depths.len());
        for l in 0..layout.max_depth {
            g[layout.kernel(s, l)] = if l % 2 == 0 {
                mid(space.kernels.len())
            } else {
                0
            };
            g[layout.expansion(s, l)] = mid(space.expansions.len());
        }
    }
    let off = space.threshold_off_index().unwrap_or(0) as u32;
    let on = space
        .thresholds
        .iter()
        .position(|t| *t == Some(0.2))
        .unwrap_or(0) as u32;
    let dwsep = space
        .exit_branch
        .kinds
        .iter()
        .position(|k| *k == crate::engine::space::ModuleKind::DepthwiseSeparable);
    for j in 0..layout.exits {
        g[layout.threshold(j)] = if j < 2 { on } else { off };
        g[layout.module_gene(j, 0, ModuleGene::Pool)] = 1;
        if let (1, Some(k), true) = (j, dwsep, layout.max_modules > 1) {
            g[layout.module_present(j, 1).unwrap_or(0)] = 1;
            g[layout.module_gene(j, 1, ModuleGene::Kind)] = k as u32;
        }
    }
    Genome(g).canonical(space, Method::Aebnas)
}

#[cfg(test)]
mod tests;
