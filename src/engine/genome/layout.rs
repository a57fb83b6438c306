//! Where each gene of the genome sits ([`GenomeLayout`]), for a search space of `S`
//! stages, `L = max depth`, `E` candidate exits and `M` modules per exit branch:
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

use crate::engine::space::{Method, SearchSpace};

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
