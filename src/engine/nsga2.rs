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

    let mut pop = initial_population(seeds, upper, mu, archive, &mut rng, &mut fix, &mut eval);
    if pop.is_empty() {
        return Err(Nsga2Error::NoPopulation);
    }
    pop = survive(pop, mu);

    let pm = config
        .mutation_prob
        .unwrap_or(1.0 / upper.len() as f64)
        .clamp(0.0, 1.0);
    for _gen in 0..config.generations {
        let children = offspring(&pop, upper, config, pm, archive, &mut rng, &mut fix);
        let mut merged = pop;
        merged.extend(children.into_iter().map(&mut eval));
        pop = survive(merged, mu);
    }
    Ok(Nsga2Outcome {
        population: pop,
        evaluations,
    })
}

/// The first population: the seeds (deduplicated), then random genomes not in the archive
/// until `mu` (or 100 · `mu` tries).
fn initial_population(
    seeds: &[Vec<u32>],
    upper: &[u32],
    mu: usize,
    archive: &HashSet<Vec<u32>>,
    rng: &mut Rng,
    fix: &mut impl FnMut(&mut Vec<u32>),
    eval: &mut impl FnMut(Vec<u32>) -> Individual,
) -> Vec<Individual> {
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
    pop
}

/// One generation's children: binary tournaments, two-point crossover, polynomial
/// mutation, repaired; none already in the population or the archive (at most `mu`,
/// 50 · `mu` attempts).
fn offspring(
    pop: &[Individual],
    upper: &[u32],
    config: &Nsga2Config,
    pm: f64,
    archive: &HashSet<Vec<u32>>,
    rng: &mut Rng,
    fix: &mut impl FnMut(&mut Vec<u32>),
) -> Vec<Vec<u32>> {
    let mu = config.pop_size;
    let mut seen: HashSet<Vec<u32>> = pop.iter().map(|i| i.genome.clone()).collect();
    let mut children: Vec<Vec<u32>> = Vec::with_capacity(mu);
    let mut attempts = 0;
    while children.len() < mu && attempts < 50 * mu {
        attempts += 1;
        let a = &pop[tournament(pop, rng)].genome;
        let b = &pop[tournament(pop, rng)].genome;
        let (mut c1, mut c2) = (a.clone(), b.clone());
        if rng.next_f64() < config.crossover_prob {
            two_point(&mut c1, &mut c2, rng);
        }
        for mut c in [c1, c2] {
            mutate(&mut c, upper, pm, config.mutation_eta, rng);
            fix(&mut c);
            if children.len() < mu && !archive.contains(&c) && seen.insert(c.clone()) {
                children.push(c);
            }
        }
    }
    children
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
mod tests;
