//! The fixed-length integer genome (as AEBNAS): layout, validation, sampling, canonical form.
//!
//! Every gene is an index into a choice set of the [`SearchSpace`]. The layout, for `S`
//! stages, `L = max depth`, `E` candidate exits and `M` modules per exit branch
//! (see [`GenomeLayout`]):
//!
//! | index | gene |
//! |---|---|
//! | `0` | resolution (index into `space.resolutions`) |
//! | `1 + s·(1+2L)` | stage `s` depth (into `space.depths`) |
//! | `1 + s·(1+2L) + 1 + 2l` | stage `s` layer `l` depthwise kernel (into `space.kernels`) |
//! | `1 + s·(1+2L) + 2 + 2l` | stage `s` layer `l` expansion (into `space.expansions`) |
//! | `X + j·G` | exit `j` threshold (into `space.thresholds`; the `None` value = off) |
//! | `X + j·G + 1 …+5` | exit `j` module 0: kind, resize, kernel, width, max-pool (0/1) |
//! | `X + j·G + 6 + 6(m−1)` | exit `j` module `m ≥ 1` present (0/1) |
//! | `… + 1 …+5` | exit `j` module `m ≥ 1`: kind, resize, kernel, width, max-pool |
//!
//! with `X = 1 + S·(1+2L)` and `G = 1 + 5 + 6·(M−1)` genes per exit. Browser space:
//! `1 + 4·7 + 3·12 = 65` genes; paper space: `1 + 5·9 + 4·12 = 94` genes. Stages and exits
//! are 0-based here (`s`, `j`); error messages name them 1-based like the UI.
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
        /// Space name.
        space: String,
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

/// The fields of one exit-branch module, in gene order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleGene {
    /// Index into `exit_branch.kinds`.
    Kind = 0,
    /// Index into `exit_branch.resize`.
    Resize = 1,
    /// Index into `exit_branch.kernels`.
    Kernel = 2,
    /// Index into `exit_branch.widths`.
    Width = 3,
    /// 0 = no max-pool, 1 = 2×2 max-pool.
    Pool = 4,
}

/// Gene positions of a space's genome (see the module docs for the table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenomeLayout {
    /// Number of stages `S`.
    pub stages: usize,
    /// Layers encoded per stage `L` (the largest depth choice).
    pub max_depth: usize,
    /// Candidate exits `E`.
    pub exits: usize,
    /// Modules per exit branch `M`.
    pub max_modules: usize,
}

impl GenomeLayout {
    /// The layout of `space`'s genome.
    pub fn of(space: &SearchSpace) -> Self {
        GenomeLayout {
            stages: space.stages.len(),
            max_depth: space.max_depth(),
            exits: space.exit_positions.len(),
            max_modules: space.exit_branch.max_modules.max(1),
        }
    }
    fn stage_genes(&self) -> usize {
        1 + 2 * self.max_depth
    }
    /// Genes per exit `G = 1 + 5 + 6·(M−1)`.
    pub fn exit_genes(&self) -> usize {
        6 + 6 * (self.max_modules - 1)
    }
    /// Genome length.
    pub fn len(&self) -> usize {
        1 + self.stages * self.stage_genes() + self.exits * self.exit_genes()
    }
    /// Always false (a genome has at least the resolution gene).
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Index of the resolution gene.
    pub fn resolution(&self) -> usize {
        0
    }
    /// Index of stage `s`'s depth gene.
    pub fn depth(&self, s: usize) -> usize {
        1 + s * self.stage_genes()
    }
    /// Index of stage `s` layer `l`'s kernel gene.
    pub fn kernel(&self, s: usize, l: usize) -> usize {
        self.depth(s) + 1 + 2 * l
    }
    /// Index of stage `s` layer `l`'s expansion gene.
    pub fn expansion(&self, s: usize, l: usize) -> usize {
        self.depth(s) + 2 + 2 * l
    }
    /// Index of exit `j`'s threshold gene.
    pub fn threshold(&self, j: usize) -> usize {
        1 + self.stages * self.stage_genes() + j * self.exit_genes()
    }
    /// Index of exit `j` module `m`'s "present" gene (`None` for module 0, always present).
    pub fn module_present(&self, j: usize, m: usize) -> Option<usize> {
        (m > 0).then(|| self.threshold(j) + 6 * m)
    }
    /// Index of a field of exit `j` module `m`.
    pub fn module_gene(&self, j: usize, m: usize, field: ModuleGene) -> usize {
        self.threshold(j) + 1 + 6 * m + field as usize
    }

    /// What gene `i` means, 1-based stages/exits/layers ("stage 2 layer 1 kernel").
    pub fn describe(&self, i: usize) -> String {
        if i == 0 {
            return "resolution".into();
        }
        let x = self.threshold(0);
        if i < x {
            let s = (i - 1) / self.stage_genes();
            let r = (i - 1) % self.stage_genes();
            if r == 0 {
                return format!("stage {} depth", s + 1);
            }
            let what = if r % 2 == 1 { "kernel" } else { "expansion" };
            return format!("stage {} layer {} {what}", s + 1, (r - 1) / 2 + 1);
        }
        let j = (i - x) / self.exit_genes();
        let r = (i - x) % self.exit_genes();
        if r == 0 {
            return format!("exit {} threshold", j + 1);
        }
        // Offsets 1..=5 of a block are module m's fields; offset 6 is module m+1's present bit.
        let (m, f) = ((r - 1) / 6, (r - 1) % 6);
        let m = if f == 5 { m + 1 } else { m };
        let names = ["kind", "resize", "kernel", "width", "max-pool", "present"];
        format!("exit {} module {} {}", j + 1, m + 1, names[f])
    }

    /// Number of choices of every gene (gene `i` takes values `0..card[i]`).
    pub fn cardinalities(&self, space: &SearchSpace) -> Vec<u32> {
        let b = &space.exit_branch;
        let mut c = vec![0u32; self.len()];
        c[0] = space.resolutions.len() as u32;
        for s in 0..self.stages {
            c[self.depth(s)] = space.depths.len() as u32;
            for l in 0..self.max_depth {
                c[self.kernel(s, l)] = space.kernels.len() as u32;
                c[self.expansion(s, l)] = space.expansions.len() as u32;
            }
        }
        for j in 0..self.exits {
            c[self.threshold(j)] = space.thresholds.len() as u32;
            for m in 0..self.max_modules {
                if let Some(p) = self.module_present(j, m) {
                    c[p] = 2;
                }
                c[self.module_gene(j, m, ModuleGene::Kind)] = b.kinds.len() as u32;
                c[self.module_gene(j, m, ModuleGene::Resize)] = b.resize.len() as u32;
                c[self.module_gene(j, m, ModuleGene::Kernel)] = b.kernels.len() as u32;
                c[self.module_gene(j, m, ModuleGene::Width)] = b.widths.len() as u32;
                c[self.module_gene(j, m, ModuleGene::Pool)] = 2;
            }
        }
        c
    }

    /// Which genes `method` searches (the others are fixed at their canonical value 0).
    pub fn searched(&self, space: &SearchSpace, method: Method) -> Vec<bool> {
        let card = self.cardinalities(space);
        let x = self.threshold(0);
        (0..self.len())
            .map(|i| {
                let free = if i < x {
                    true
                } else if (i - x).is_multiple_of(self.exit_genes()) {
                    method.searches_placement()
                } else {
                    method.searches_branches()
                };
                free && card[i] > 1
            })
            .collect()
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
                space: space.name.clone(),
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
