//! Tests of [`super`] (`nsga2.rs`).

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
