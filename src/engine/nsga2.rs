//! NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002) over fixed-length integer genomes.
//!
//! - **fast non-dominated sort**: `a` dominates `b` iff `a_j ≤ b_j` for all `j` and
//!   `a_j < b_j` for some `j` (all objectives minimised); front 0 is non-dominated, front
//!   `k + 1` is non-dominated once fronts `0..=k` are removed;
//! - **crowding distance** within a front: boundary points `∞`, others
//!   `Σ_j (f_j[next] − f_j[prev]) / (f_j^max − f_j^min)` over the front sorted by `f_j`;
//! - **binary tournament** on (lower rank, then larger crowding, then a coin flip);
//! - **two-point crossover** (probability 0.9): the genes between two cut points swap;
//! - **integer polynomial mutation** (Deb & Agrawal; pymoo's `PM`, `η = 1`, per-gene
//!   probability `1/len`): `δ1 = (x − xl)/(xu − xl)`, `δ2 = (xu − x)/(xu − xl)`,
//!   `u ~ U[0,1)`; `u ≤ ½`: `δq = (2u + (1 − 2u)(1 − δ1)^(η+1))^(1/(η+1)) − 1`, else
//!   `δq = 1 − (2(1 − u) + 2(u − ½)(1 − δ2)^(η+1))^(1/(η+1))`; `x' = round(x + δq(xu − xl))`;
//! - **elitist (μ+λ) survival**: parents ∪ offspring, filled front by front, the last
//!   front by crowding distance descending;
//! - **duplicates removed**: an offspring equal to a population member, an earlier
//!   offspring or a genome of the caller's archive is discarded and regenerated.
//!
//! Genes are `0..=upper[g]`. The initial population is the caller's seed genomes (e.g. the
//! archive's non-dominated set), then random genomes. A caller-given `repair` closure
//! canonicalises every genome created (after clamping to the bounds).

use super::rng::Rng;

mod sort;
use serde::{Deserialize, Serialize};
pub use sort::{crowding_distance, dominates, non_dominated_sort, ranks};
use std::collections::HashSet;

/// NSGA-II settings (defaults: the AEBNAS paper's — population 40, 20 generations).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nsga2Config {
    /// Population size `μ` (= offspring per generation `λ`); at least 2.
    pub pop_size: usize,
    /// Number of generations.
    pub generations: usize,
    /// Probability that a pair of parents is crossed over.
    pub crossover_prob: f64,
    /// Distribution index `η` of polynomial mutation.
    pub mutation_eta: f64,
    /// Per-gene mutation probability; `None` = `1 / genome length`.
    pub mutation_prob: Option<f64>,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for Nsga2Config {
    fn default() -> Self {
        Self {
            pop_size: 40,
            generations: 20,
            crossover_prob: 0.9,
            mutation_eta: 1.0,
            mutation_prob: None,
            seed: 0,
        }
    }
}

/// One evaluated genome with its rank and crowding distance in the population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Individual {
    /// The genome.
    pub genome: Vec<u32>,
    /// Objective values (minimised; NaN replaced by `+∞`).
    pub objectives: Vec<f64>,
    /// Non-domination rank (0 = first front).
    pub rank: usize,
    /// Crowding distance within its front (`∞` at the boundary).
    pub crowding: f64,
}

/// Result of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Nsga2Outcome {
    /// The final population (at most `pop_size`), sorted by rank then crowding.
    pub population: Vec<Individual>,
    /// Number of objective evaluations made.
    pub evaluations: usize,
}

impl Nsga2Outcome {
    /// The final population's first front.
    pub fn front(&self) -> Vec<&Individual> {
        self.population.iter().filter(|i| i.rank == 0).collect()
    }
}

/// Why a run could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Nsga2Error {
    /// The genome has no genes.
    #[error("genome length must be positive")]
    EmptyGenome,
    /// Population size below 2.
    #[error("population size {0} is below 2")]
    PopulationTooSmall(usize),
    /// No valid initial genome could be produced.
    #[error("could not build an initial population")]
    NoPopulation,
}

/// Runs NSGA-II. `upper[g]` is gene `g`'s largest value; `seeds` start the population;
/// offspring equal to any genome in `archive` are discarded; `objective` is minimised;
/// `repair` canonicalises a genome in place (use `|_| {}` for none).
pub fn run(
    upper: &[u32],
    config: &Nsga2Config,
    seeds: &[Vec<u32>],
    archive: &HashSet<Vec<u32>>,
    mut objective: impl FnMut(&[u32]) -> Vec<f64>,
    mut repair: impl FnMut(&mut [u32]),
) -> Result<Nsga2Outcome, Nsga2Error> {
    if upper.is_empty() {
        return Err(Nsga2Error::EmptyGenome);
    }
    let mu = config.pop_size;
    if mu < 2 {
        return Err(Nsga2Error::PopulationTooSmall(mu));
    }
    let mut rng = Rng::new(config.seed);
    let mut fix = |g: &mut Vec<u32>| {
        g.resize(upper.len(), 0);
        clamp(g, upper);
        repair(g);
        clamp(g, upper);
    };
    let mut n_obj = None;
    let mut evaluations = 0;
    let mut eval = |g: Vec<u32>| {
        evaluations += 1;
        let mut f = objective(&g);
        let m = *n_obj.get_or_insert(f.len());
        f.resize(m, f64::INFINITY);
        f.iter_mut()
            .filter(|v| v.is_nan())
            .for_each(|v| *v = f64::INFINITY);
        Individual {
            genome: g,
            objectives: f,
            rank: 0,
            crowding: 0.0,
        }
    };

    // Initial population: seeds (deduplicated), then random genomes not in the archive.
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    let mut pop: Vec<Individual> = Vec::new();
    for s in seeds {
        let mut g = s.clone();
        fix(&mut g);
        if seen.insert(g.clone()) {
            pop.push(eval(g));
        }
    }
    let mut tries = 0;
    while pop.len() < mu && tries < 100 * mu {
        tries += 1;
        let mut g: Vec<u32> = upper
            .iter()
            .map(|&u| rng.below(u as usize + 1) as u32)
            .collect();
        fix(&mut g);
        if !archive.contains(&g) && seen.insert(g.clone()) {
            pop.push(eval(g));
        }
    }
    if pop.is_empty() {
        return Err(Nsga2Error::NoPopulation);
    }
    pop = survive(pop, mu);

    let pm = config
        .mutation_prob
        .unwrap_or(1.0 / upper.len() as f64)
        .clamp(0.0, 1.0);
    for _gen in 0..config.generations {
        let mut seen: HashSet<Vec<u32>> = pop.iter().map(|i| i.genome.clone()).collect();
        let mut children: Vec<Vec<u32>> = Vec::with_capacity(mu);
        let mut attempts = 0;
        while children.len() < mu && attempts < 50 * mu {
            attempts += 1;
            let a = &pop[tournament(&pop, &mut rng)].genome;
            let b = &pop[tournament(&pop, &mut rng)].genome;
            let (mut c1, mut c2) = (a.clone(), b.clone());
            if rng.next_f64() < config.crossover_prob {
                two_point(&mut c1, &mut c2, &mut rng);
            }
            for mut c in [c1, c2] {
                mutate(&mut c, upper, pm, config.mutation_eta, &mut rng);
                fix(&mut c);
                if children.len() < mu && !archive.contains(&c) && seen.insert(c.clone()) {
                    children.push(c);
                }
            }
        }
        let mut merged = pop;
        merged.extend(children.into_iter().map(&mut eval));
        pop = survive(merged, mu);
    }
    Ok(Nsga2Outcome {
        population: pop,
        evaluations,
    })
}

fn clamp(g: &mut [u32], upper: &[u32]) {
    for (x, &u) in g.iter_mut().zip(upper) {
        *x = (*x).min(u);
    }
}

/// Elitist survival of `n` out of `merged`; sets rank and crowding, sorted by them.
fn survive(merged: Vec<Individual>, n: usize) -> Vec<Individual> {
    let objs: Vec<Vec<f64>> = merged.iter().map(|i| i.objectives.clone()).collect();
    let mut slots: Vec<Option<Individual>> = merged.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(n);
    for (rank, front) in non_dominated_sort(&objs).into_iter().enumerate() {
        if out.len() >= n {
            break;
        }
        let cd = crowding_distance(&objs, &front);
        let mut members: Vec<(usize, f64)> = front.into_iter().zip(cd).collect();
        members.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (i, c) in members.into_iter().take(n - out.len()) {
            if let Some(mut ind) = slots[i].take() {
                ind.rank = rank;
                ind.crowding = c;
                out.push(ind);
            }
        }
    }
    out
}

/// Binary tournament: index of the winner of two random members.
fn tournament(pop: &[Individual], rng: &mut Rng) -> usize {
    if pop.len() < 2 {
        return 0;
    }
    let a = rng.below(pop.len());
    let mut b = rng.below(pop.len() - 1);
    if b >= a {
        b += 1;
    }
    let (x, y) = (&pop[a], &pop[b]);
    if x.rank != y.rank {
        return if x.rank < y.rank { a } else { b };
    }
    if x.crowding != y.crowding {
        return if x.crowding > y.crowding { a } else { b };
    }
    if rng.below(2) == 0 {
        a
    } else {
        b
    }
}

/// Two-point crossover: swaps the genes in `[p, q)` for random cut points `0 < p < q ≤ len`
/// (one cut at `p` when the genome has fewer than 3 genes).
fn two_point(a: &mut [u32], b: &mut [u32], rng: &mut Rng) {
    let len = a.len().min(b.len());
    if len < 2 {
        return;
    }
    let (p, q) = if len < 3 {
        (1, len)
    } else {
        let p = 1 + rng.below(len - 1);
        let mut q = 1 + rng.below(len - 2);
        if q >= p {
            q += 1;
        }
        (p.min(q), p.max(q))
    };
    a[p..q].swap_with_slice(&mut b[p..q]);
}

/// Integer polynomial mutation, per gene with probability `pm` (see the module docs).
fn mutate(g: &mut [u32], upper: &[u32], pm: f64, eta: f64, rng: &mut Rng) {
    let eta = if eta.is_finite() && eta >= 0.0 {
        eta
    } else {
        1.0
    };
    let pow = 1.0 / (eta + 1.0);
    for (x, &u) in g.iter_mut().zip(upper) {
        if u == 0 || rng.next_f64() >= pm {
            continue;
        }
        let (xu, xv) = (u as f64, *x as f64);
        let d1 = xv / xu;
        let d2 = (xu - xv) / xu;
        let r = rng.next_f64();
        let dq = if r <= 0.5 {
            let v = 2.0 * r + (1.0 - 2.0 * r) * (1.0 - d1).powf(eta + 1.0);
            v.powf(pow) - 1.0
        } else {
            let v = 2.0 * (1.0 - r) + 2.0 * (r - 0.5) * (1.0 - d2).powf(eta + 1.0);
            1.0 - v.powf(pow)
        };
        let y = (xv + dq * xu).round();
        *x = if y.is_finite() {
            y.clamp(0.0, xu) as u32
        } else {
            *x
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<Vec<f64>> {
        v.iter().map(|&(a, b)| vec![a, b]).collect()
    }

    #[test]
    fn survival_keeps_best_fronts() {
        let o = pts(&[(1., 5.), (2., 3.), (4., 1.), (3., 4.), (5., 5.), (0., 4.)]);
        let pop: Vec<Individual> = o
            .iter()
            .enumerate()
            .map(|(i, f)| Individual {
                genome: vec![i as u32],
                objectives: f.clone(),
                rank: 9,
                crowding: 0.0,
            })
            .collect();
        // Front 0 = {B, C, (0,4)}: (0,4) dominates A(1,5). Keep 4: front 0 + best of {A, D}.
        let kept = survive(pop, 4);
        let g: Vec<u32> = kept.iter().map(|i| i.genome[0]).collect();
        assert_eq!(
            &g[..3].iter().copied().collect::<HashSet<_>>(),
            &HashSet::from([1, 2, 5])
        );
        assert!(g[3] == 0 || g[3] == 3);
        assert_eq!(kept[3].rank, 1);
    }

    #[test]
    fn operators_respect_bounds_and_archive() {
        let upper = vec![3, 0, 7, 1, 2];
        let archive: HashSet<Vec<u32>> = (0..4).map(|a| vec![a, 0, 0, 0, 0]).collect();
        let cfg = Nsga2Config {
            pop_size: 12,
            generations: 15,
            seed: 3,
            ..Default::default()
        };
        let seeds = vec![vec![1, 0, 0, 0, 0], vec![9, 9, 9, 9, 9, 9]];
        let obj = |g: &[u32]| vec![g.iter().sum::<u32>() as f64, (g[2] as f64 - 3.0).abs()];
        // Repair: gene 2 even.
        let rep = |g: &mut [u32]| g[2] &= !1;
        let out = run(&upper, &cfg, &seeds, &archive, obj, rep).unwrap();
        let again = run(&upper, &cfg, &seeds, &archive, obj, rep).unwrap();
        assert_eq!(out, again, "seeded runs repeat");
        let mut uniq = HashSet::new();
        for ind in &out.population {
            assert!(ind.genome.iter().zip(&upper).all(|(g, u)| g <= u));
            assert_eq!(ind.genome[2] % 2, 0);
            assert!(uniq.insert(ind.genome.clone()));
        }
        assert_eq!(out.population.len(), 12);
        assert!(run(&[], &cfg, &[], &archive, obj, rep).is_err());
        let tiny = Nsga2Config {
            pop_size: 1,
            ..cfg.clone()
        };
        assert!(run(&upper, &tiny, &[], &archive, obj, rep).is_err());
        // A space smaller than the population does not hang or panic.
        let small = run(
            &[1],
            &cfg,
            &[],
            &HashSet::new(),
            |g| vec![g[0] as f64],
            |_| {},
        )
        .unwrap();
        assert_eq!(small.population.len(), 2);
    }

    /// ZDT1 (Zitzler, Deb, Thiele 2000), 30 genes in 0..=1000 (x = g/1000):
    /// f1 = x1, g = 1 + 9·Σ_{i≥2} x_i / 29, f2 = g·(1 − sqrt(f1/g)); true front g = 1,
    /// f2 = 1 − sqrt(f1). Generational distance (mean distance of the final front to the
    /// true front) must fall below 0.05.
    #[test]
    fn zdt1_reaches_true_front() {
        let n = 30;
        let zdt1 = |g: &[u32]| {
            let x: Vec<f64> = g.iter().map(|&v| v as f64 / 1000.0).collect();
            let gg = 1.0 + 9.0 * x[1..].iter().sum::<f64>() / (n - 1) as f64;
            vec![x[0], gg * (1.0 - (x[0] / gg).sqrt())]
        };
        let cfg = Nsga2Config {
            pop_size: 60,
            generations: 250,
            seed: 11,
            ..Default::default()
        };
        let out = run(&vec![1000; n], &cfg, &[], &HashSet::new(), zdt1, |_| {}).unwrap();
        let front = out.front();
        let gd = front
            .iter()
            .map(|ind| {
                (0..=2000)
                    .map(|k| {
                        let f1 = k as f64 / 2000.0;
                        let f2 = 1.0 - f1.sqrt();
                        (ind.objectives[0] - f1).hypot(ind.objectives[1] - f2)
                    })
                    .fold(f64::INFINITY, f64::min)
            })
            .sum::<f64>()
            / front.len() as f64;
        let spread = front.iter().map(|i| i.objectives[0]).fold(0.0, f64::max)
            - front.iter().map(|i| i.objectives[0]).fold(1.0, f64::min);
        println!(
            "ZDT1: GD {gd:.4}, front {} points, f1 spread {spread:.2}",
            front.len()
        );
        assert!(gd < 0.05, "GD {gd}");
        assert!(front.len() >= 20 && spread > 0.5);
    }
}
