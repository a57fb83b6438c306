//! Proposals of the search loop (docs/method.md, § Search loop): the seeded DOE, and one
//! surrogate-assisted iteration (surrogates → NSGA-II on surrogate objectives → `K`
//! candidates along `f2`).

use std::collections::HashSet;

use super::SearchError;
use crate::engine::arch::Architecture;
use crate::engine::genome::{Genome, GenomeLayout};
use crate::engine::nsga2::{self, non_dominated_sort, Individual, Nsga2Config};
use crate::engine::results::{CandidateRecord, PredictorTau, SearchSettings};
use crate::engine::rng::Rng;
use crate::engine::space::SearchSpace;
use crate::engine::surrogate::{fit_quality, kendall_tau, Encoder, Surrogate, SurrogateKind};

/// RNG stream of the DOE (and of every `random` genome).
const STREAM_DOE: u64 = 1;
/// RNG streams of iteration `it`: NSGA-II `+ 2·it`, fallback random fills `+ 2·it + 1`.
const STREAM_ITER: u64 = 100;
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
    /// New genomes passed over because their effective network was already evaluated or
    /// proposed.
    pub duplicates: usize,
}

/// The effective network of `g`, as a genome: its decoded architecture encoded again and
/// made canonical. A candidate's thresholds are tuned from its trained network by the
/// run's tuning rule, so the architecture alone fixes the deployed network; two genomes
/// with one key would train and deploy the same network. `None` when `g` does not decode.
pub(super) fn effective(space: &SearchSpace, s: &SearchSettings, g: &Genome) -> Option<Genome> {
    let arch = Architecture::decode(space, s.method, g).ok()?;
    Some(arch.encode().canonical(space, s.method))
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
    Ok(doe_with_duplicates(space, s, n)?.0)
}

/// [`doe_genomes`] and how many draws were passed over as duplicate effective networks.
pub(super) fn doe_with_duplicates(
    space: &SearchSpace,
    s: &SearchSettings,
    n: usize,
) -> Result<(Vec<Genome>, usize), SearchError> {
    let mut rng = Rng::derive(s.seed, STREAM_DOE);
    let mut seen = HashSet::new();
    random_fill(space, s, &mut rng, &mut seen, n).ok_or(SearchError::Exhausted(n))
}

/// `n` random genomes whose effective networks are not in `seen` (added to it), and the
/// number of feasible draws passed over as duplicates; `None` if the space runs dry.
fn random_fill(
    space: &SearchSpace,
    s: &SearchSettings,
    rng: &mut Rng,
    seen: &mut HashSet<Genome>,
    n: usize,
) -> Option<(Vec<Genome>, usize)> {
    let mut out = Vec::with_capacity(n);
    let (mut tries, mut duplicates) = (0, 0);
    while out.len() < n {
        tries += 1;
        if tries > 1000 * (n + 10) {
            return None;
        }
        let g = Genome::sample(space, s.method, rng);
        if !feasible(space, s, &g) {
            continue;
        }
        if effective(space, s, &g).is_some_and(|key| seen.insert(key)) {
            out.push(g);
        } else {
            duplicates += 1;
        }
    }
    Some((out, duplicates))
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

/// Surrogate-assisted proposals of iteration `it` from the archive evaluated before it;
/// the `failed` genomes (evaluated, no result) are never proposed again.
pub(super) fn surrogate_proposals(
    space: &SearchSpace,
    s: &SearchSettings,
    it: usize,
    archive: &[CandidateRecord],
    failed: &[Genome],
) -> Result<Proposals, SearchError> {
    let (enc, upper) = encoder(space, s);
    let t = Targets::of(&enc, archive);
    let (x, acc, macs, log_macs) = (&t.x, &t.acc, &t.macs, &t.log_macs);
    let seed = s.seed ^ (it as u64).wrapping_mul(0x9E37_79B9);
    let kind = s.predictor;
    let tau = |y: &[f64]| fit_quality(kind, x, y, TAU_FOLDS, seed).kendall_tau;
    let (tau_accuracy, tau_macs) = (tau(acc), tau(log_macs));
    let m_acc = Surrogate::fit(kind, x, acc);
    let m_mac = Surrogate::fit(kind, x, log_macs);
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
    let seeds = front_seeds(s, archive, acc, macs);
    let in_archive: HashSet<Vec<u32>> = (archive.iter().map(|c| &c.genome))
        .chain(failed)
        .map(|g| g.0.clone())
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
    // Never the same effective network twice: not one in the archive, not two picks.
    let mut seen: HashSet<Genome> = (archive.iter().map(|c| &c.genome))
        .chain(failed)
        .filter_map(|g| effective(space, s, g))
        .collect();
    let (eligible, mut duplicates) = eligible(space, s, outcome.population, &in_archive, &mut seen);
    let mut picked: Vec<Genome> = spread_along_f2(&eligible, s.per_iter)
        .into_iter()
        .map(|i| Genome(eligible[i].genome.clone()))
        .collect();
    if picked.len() < s.per_iter {
        // Too few new networks on the surrogate front: fill with random new ones (`seen`
        // holds the archive's and every eligible member's effective network).
        let mut rng = Rng::derive(s.seed, STREAM_ITER + 2 * it as u64 + 1);
        let (more, dup) = random_fill(space, s, &mut rng, &mut seen, s.per_iter - picked.len())
            .ok_or(SearchError::Exhausted(archive.len() + s.per_iter))?;
        duplicates += dup;
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
        duplicates,
    })
}

/// NSGA-II's seeds: the archive's non-dominated set under the true objectives.
fn front_seeds(
    s: &SearchSettings,
    archive: &[CandidateRecord],
    acc: &[f64],
    macs: &[f64],
) -> Vec<Vec<u32>> {
    let true_objs: Vec<Vec<f64>> = acc
        .iter()
        .zip(macs)
        .map(|(&a, &m)| s.objectives.evaluate(a, m, s.mac_target).to_vec())
        .collect();
    non_dominated_sort(&true_objs)
        .first()
        .map(|f| f.iter().map(|&i| archive[i].genome.0.clone()).collect())
        .unwrap_or_default()
}

/// The final population's members worth proposing — finite objectives, not evaluated,
/// not the same effective network as one in `seen` (which gains them) — and how many
/// were turned away as duplicates.
fn eligible(
    space: &SearchSpace,
    s: &SearchSettings,
    population: Vec<Individual>,
    in_archive: &HashSet<Vec<u32>>,
    seen: &mut HashSet<Genome>,
) -> (Vec<Individual>, usize) {
    let mut duplicates = 0;
    let mut eligible: Vec<Individual> = Vec::new();
    for i in population {
        if in_archive.contains(&i.genome) || !i.objectives.iter().all(|v| v.is_finite()) {
            continue;
        }
        if eligible.iter().any(|e| e.genome == i.genome) {
            continue;
        }
        match effective(space, s, &Genome(i.genome.clone())) {
            Some(key) if !seen.contains(&key) => {
                seen.insert(key);
                eligible.push(i);
            }
            _ => duplicates += 1,
        }
    }
    (eligible, duplicates)
}

/// The one-hot encoder of the genes `s.method` searches, and their upper bounds.
fn encoder(space: &SearchSpace, s: &SearchSettings) -> (Encoder, Vec<u32>) {
    let layout = GenomeLayout::of(space);
    let card = layout.cardinalities(space);
    let searched = layout.searched(space, s.method);
    let upper: Vec<u32> = card
        .iter()
        .zip(&searched)
        .map(|(&c, &f)| if f { c.saturating_sub(1) } else { 0 })
        .collect();
    (Encoder::one_hot(&upper), upper)
}

/// Surrogate features and targets of an archive.
struct Targets {
    x: Vec<Vec<f64>>,
    acc: Vec<f64>,
    macs: Vec<f64>,
    log_macs: Vec<f64>,
}

impl Targets {
    /// Validation figures only: the test split never steers the search.
    fn of(enc: &Encoder, archive: &[CandidateRecord]) -> Self {
        let macs: Vec<f64> = archive.iter().map(|c| stable(c.val_avg_macs)).collect();
        Targets {
            x: archive.iter().map(|c| enc.encode(&c.genome.0)).collect(),
            acc: archive.iter().map(|c| stable(c.val_accuracy)).collect(),
            log_macs: macs.iter().map(|m| m.max(1.0).ln()).collect(),
            macs,
        }
    }
}

/// Every predictor, fitted on `before`, ranking the candidates `new` (their validation
/// accuracy and avg MACs): Kendall τ per predictor and target, `None` below 2 new ones.
pub(super) fn predictor_taus(
    space: &SearchSpace,
    s: &SearchSettings,
    before: &[CandidateRecord],
    new: &[CandidateRecord],
) -> Vec<PredictorTau> {
    let (enc, _) = encoder(space, s);
    let (train, test) = (Targets::of(&enc, before), Targets::of(&enc, new));
    let tau = |kind: SurrogateKind, y: &[f64], truth: &[f64]| {
        let model = Surrogate::fit(kind, &train.x, y);
        let pred: Vec<f64> = test.x.iter().map(|r| model.predict(r)).collect();
        (new.len() >= 2).then(|| kendall_tau(&pred, truth))
    };
    SurrogateKind::ALL
        .into_iter()
        .map(|predictor| PredictorTau {
            predictor,
            accuracy: tau(predictor, &train.acc, &test.acc),
            macs: tau(predictor, &train.log_macs, &test.log_macs),
        })
        .collect()
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
