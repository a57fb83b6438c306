//! Proposals of the search loop (docs/method.md, § Search loop): the seeded DOE, and one
//! surrogate-assisted iteration (surrogates → NSGA-II on surrogate objectives → `K`
//! candidates along `f2`).

use std::collections::HashSet;

use super::SearchError;
use crate::engine::arch::Architecture;
use crate::engine::genome::{Genome, GenomeLayout};
use crate::engine::nsga2::{self, non_dominated_sort, Individual, Nsga2Config};
use crate::engine::results::{CandidateRecord, SearchSettings};
use crate::engine::rng::Rng;
use crate::engine::space::SearchSpace;
use crate::engine::surrogate::{fit_quality, Encoder, Surrogate, SurrogateKind};

/// RNG stream of the DOE (and of every `random` genome).
const STREAM_DOE: u64 = 1;
/// RNG streams of iteration `it`: NSGA-II `+ 2·it`, fallback random fills `+ 2·it + 1`.
const STREAM_ITER: u64 = 100;
/// Surrogate model used for both targets.
const KIND: SurrogateKind = SurrogateKind::Rbf;
/// Cross-validation folds of the held-out Kendall τ.
const TAU_FOLDS: usize = 5;

/// One iteration's proposals.
pub(super) struct Proposals {
    /// Genomes to evaluate with their predicted `[accuracy, avg MACs]`.
    pub candidates: Vec<(Genome, Option<[f64; 2]>)>,
    /// Held-out Kendall τ of the accuracy surrogate.
    pub tau_accuracy: Option<f64>,
    /// Held-out Kendall τ of the avg-MACs surrogate.
    pub tau_macs: Option<f64>,
}

/// `v` rounded to 9 significant digits, so that a JSON round trip (which may be one ulp
/// off) never changes what the surrogates see.
fn stable(v: f64) -> f64 {
    format!("{v:.8e}").parse().unwrap_or(v)
}

/// Whether `g` decodes in `space` and has at least one early exit on.
fn feasible(space: &SearchSpace, s: &SearchSettings, g: &Genome) -> bool {
    let exits = space.exit_positions.len();
    (exits == 0 || (0..exits).any(|j| g.exit_enabled(space, s.method, j)))
        && Architecture::decode(space, s.method, g).is_ok()
}

/// The first `n` genomes of the run's DOE stream: seeded, canonical, unique, decodable,
/// each with an early exit. `random` takes all its genomes from this stream, so `aebnas`
/// and `random` runs with the same seed share their DOE.
pub fn doe_genomes(
    space: &SearchSpace,
    s: &SearchSettings,
    n: usize,
) -> Result<Vec<Genome>, SearchError> {
    let mut rng = Rng::derive(s.seed, STREAM_DOE);
    let mut seen = HashSet::new();
    random_fill(space, s, &mut rng, &mut seen, n).ok_or(SearchError::Exhausted(n))
}

/// `n` new random genomes not in `seen` (added to it); `None` if the space runs dry.
fn random_fill(
    space: &SearchSpace,
    s: &SearchSettings,
    rng: &mut Rng,
    seen: &mut HashSet<Genome>,
    n: usize,
) -> Option<Vec<Genome>> {
    let mut out = Vec::with_capacity(n);
    let mut tries = 0;
    while out.len() < n {
        tries += 1;
        if tries > 1000 * (n + 10) {
            return None;
        }
        let g = Genome::sample(space, s.method, rng);
        if feasible(space, s, &g) && seen.insert(g.clone()) {
            out.push(g);
        }
    }
    Some(out)
}

/// NSGA-II population and generations for an archive of `n` and `k` picks: the paper's
/// 40 / 20 from 20 archive points on; below that `max(10, 2n, 4k)` (≤ 40) and `max(5, n)`
/// generations, so a surrogate fitted on a handful of points is not over-exploited.
pub fn nsga2_budget(n: usize, k: usize) -> (usize, usize) {
    if n >= 20 {
        (40, 20)
    } else {
        (10.max(2 * n).max(4 * k).min(40), 5.max(n))
    }
}

/// Surrogate-assisted proposals of iteration `it` from the archive evaluated before it.
pub(super) fn surrogate_proposals(
    space: &SearchSpace,
    s: &SearchSettings,
    it: usize,
    archive: &[CandidateRecord],
    failed: &[Genome],
) -> Result<Proposals, SearchError> {
    let layout = GenomeLayout::of(space);
    let card = layout.cardinalities(space);
    let searched = layout.searched(space, s.method);
    let upper: Vec<u32> = card
        .iter()
        .zip(&searched)
        .map(|(&c, &f)| if f { c.saturating_sub(1) } else { 0 })
        .collect();
    let enc = Encoder::one_hot(&upper);
    let x: Vec<Vec<f64>> = archive.iter().map(|c| enc.encode(&c.genome.0)).collect();
    let acc: Vec<f64> = archive.iter().map(|c| stable(c.accuracy)).collect();
    let macs: Vec<f64> = archive.iter().map(|c| stable(c.avg_macs)).collect();
    let log_macs: Vec<f64> = macs.iter().map(|m| m.max(1.0).ln()).collect();
    let seed = s.seed ^ (it as u64).wrapping_mul(0x9E37_79B9);
    let tau = |y: &[f64]| fit_quality(KIND, &x, y, TAU_FOLDS, seed).kendall_tau;
    let (tau_accuracy, tau_macs) = (tau(&acc), tau(&log_macs));
    let m_acc = Surrogate::fit(KIND, &x, &acc);
    let m_mac = Surrogate::fit(KIND, &x, &log_macs);
    let predict = |g: &[u32]| {
        let f = enc.encode(g);
        [m_acc.predict(&f).clamp(0.0, 1.0), m_mac.predict(&f).exp()]
    };
    let objective = |g: &[u32]| {
        if !feasible(space, s, &Genome(g.to_vec())) {
            return vec![f64::INFINITY; 2];
        }
        let [a, m] = predict(g);
        s.objectives.evaluate(a, m, s.mac_target).to_vec()
    };
    // Seeds: the archive's non-dominated set under the true objectives.
    let true_objs: Vec<Vec<f64>> = acc
        .iter()
        .zip(&macs)
        .map(|(&a, &m)| s.objectives.evaluate(a, m, s.mac_target).to_vec())
        .collect();
    let seeds: Vec<Vec<u32>> = non_dominated_sort(&true_objs)
        .first()
        .map(|f| f.iter().map(|&i| archive[i].genome.0.clone()).collect())
        .unwrap_or_default();
    // Failed genomes are not proposed again (they would most likely fail again).
    let in_archive: HashSet<Vec<u32>> = archive
        .iter()
        .map(|c| c.genome.0.clone())
        .chain(failed.iter().map(|g| g.0.clone()))
        .collect();
    let (pop_size, generations) = nsga2_budget(archive.len(), s.per_iter);
    let config = Nsga2Config {
        pop_size,
        generations,
        seed: Rng::derive(s.seed, STREAM_ITER + 2 * it as u64).next_u64(),
        ..Nsga2Config::default()
    };
    let repair = |g: &mut [u32]| {
        let c = Genome(g.to_vec()).canonical(space, s.method);
        g.copy_from_slice(&c.0);
    };
    let outcome = nsga2::run(&upper, &config, &seeds, &in_archive, objective, repair)?;
    let eligible: Vec<Individual> = outcome
        .population
        .into_iter()
        .filter(|i| !in_archive.contains(&i.genome) && i.objectives.iter().all(|v| v.is_finite()))
        .collect();
    let mut picked: Vec<Genome> = spread_along_f2(&eligible, s.per_iter)
        .into_iter()
        .map(|i| Genome(eligible[i].genome.clone()))
        .collect();
    if picked.len() < s.per_iter {
        // Too few new genomes on the surrogate front: fill with random new ones.
        let mut seen: HashSet<Genome> = archive.iter().map(|c| c.genome.clone()).collect();
        seen.extend(failed.iter().cloned());
        seen.extend(picked.iter().cloned());
        let mut rng = Rng::derive(s.seed, STREAM_ITER + 2 * it as u64 + 1);
        let more = random_fill(space, s, &mut rng, &mut seen, s.per_iter - picked.len())
            .ok_or(SearchError::Exhausted(archive.len() + s.per_iter))?;
        picked.extend(more);
    }
    let candidates = picked
        .into_iter()
        .map(|g| {
            let p = predict(&g.0);
            (g, Some(p))
        })
        .collect();
    Ok(Proposals {
        candidates,
        tau_accuracy,
        tau_macs,
    })
}

/// Indices of `k` members spread along `f2`: the best fronts until they hold `k`
/// members, then `k` evenly spaced picks after sorting them by `f2` (with `k = 1`, the
/// lowest `f1`).
fn spread_along_f2(pop: &[Individual], k: usize) -> Vec<usize> {
    if k == 0 || pop.is_empty() {
        return Vec::new();
    }
    let objs: Vec<Vec<f64>> = pop.iter().map(|i| i.objectives.clone()).collect();
    let mut pool = Vec::new();
    for front in non_dominated_sort(&objs) {
        pool.extend(front);
        if pool.len() >= k {
            break;
        }
    }
    let f = |i: usize, j: usize| objs[i].get(j).copied().unwrap_or(f64::INFINITY);
    if k == 1 {
        pool.sort_by(|&a, &b| f(a, 0).total_cmp(&f(b, 0)).then(a.cmp(&b)));
        pool.truncate(1);
        return pool;
    }
    pool.sort_by(|&a, &b| {
        f(a, 1)
            .total_cmp(&f(b, 1))
            .then(f(a, 0).total_cmp(&f(b, 0)))
            .then(a.cmp(&b))
    });
    if pool.len() <= k {
        return pool;
    }
    let m = pool.len();
    (0..k)
        .map(|i| pool[(i * (m - 1) + (k - 1) / 2) / (k - 1)])
        .collect()
}
