//! Tests of [`super`] (`surrogate.rs`).

use super::*;
use crate::engine::rng::Rng;

#[test]
fn encoder_shapes() {
    let e = Encoder::one_hot(&[2, 0, 1]);
    assert_eq!(e.dim(), 5);
    assert_eq!(e.encode(&[1, 0, 1]), vec![0.0, 1.0, 0.0, 0.0, 1.0]);
    assert_eq!(e.encode(&[9]), vec![0.0, 0.0, 1.0, 1.0, 0.0]);
    let n = Encoder::normalised(&[4, 0, 2]);
    assert_eq!(n.dim(), 2);
    assert_eq!(n.encode(&[1, 0, 2]), vec![0.25, 1.0]);
}

fn linear_data(n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = Rng::new(1);
    let x: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..3).map(|_| rng.next_f64()).collect())
        .collect();
    let y = x
        .iter()
        .map(|r| 2.0 * r[0] - 3.0 * r[1] + 0.5 * r[2] + 1.0)
        .collect();
    (x, y)
}

#[test]
fn ridge_recovers_linear_function() {
    let (x, y) = linear_data(50);
    match fit_ridge_with(&x, &y, 1e-9).unwrap() {
        Surrogate::Ridge { weights, bias } => {
            for (w, t) in weights.iter().zip([2.0, -3.0, 0.5]) {
                assert!((w - t).abs() < 1e-6, "{weights:?}");
            }
            assert!((bias - 1.0).abs() < 1e-6);
        }
        m => panic!("{m:?}"),
    }
    let m = Surrogate::fit(SurrogateKind::Ridge, &x, &y);
    assert!((m.predict(&[0.5, 0.5, 0.5]) - 0.75).abs() < 1e-2);
    let q = fit_quality(SurrogateKind::Ridge, &x, &y, 5, 0);
    assert!(q.kendall_tau.unwrap() > 0.95 && q.folds == 5);
    // The dual path (n < d) equals the primal one on the same rows.
    let (x3, y3) = (x[..3].to_vec(), y[..3].to_vec());
    let dual = fit_ridge_with(&x3, &y3, 0.1).unwrap();
    let wide: Vec<Vec<f64>> = x3
        .iter()
        .map(|r| [r.clone(), vec![0.0; 3]].concat())
        .collect();
    let dual_wide = fit_ridge_with(&wide, &y3, 0.1).unwrap();
    let p = [0.2, 0.9, 0.4];
    let pw = [0.2, 0.9, 0.4, 0.0, 0.0, 0.0];
    assert!((dual.predict(&p) - dual_wide.predict(&pw)).abs() < 1e-9);
}

#[test]
fn rbf_interpolates_and_ranks() {
    let x: Vec<Vec<f64>> = (0..20).map(|i| vec![i as f64 * 0.15]).collect();
    let y: Vec<f64> = x.iter().map(|r| r[0].sin()).collect();
    let m = Surrogate::fit(SurrogateKind::Rbf, &x, &y);
    assert!(matches!(m, Surrogate::Rbf { .. }));
    for (r, t) in x.iter().zip(&y) {
        assert!((m.predict(r) - t).abs() < 1e-2);
    }
    assert!((m.predict(&[0.775]) - 0.775f64.sin()).abs() < 0.02);
    let (lx, ly) = linear_data(40);
    let q = fit_quality(SurrogateKind::Rbf, &lx, &ly, 4, 2);
    assert!(q.kendall_tau.unwrap() > 0.8, "{q:?}");
}

#[test]
fn tiny_and_degenerate_archives() {
    let enc = Encoder::one_hot(&[3; 10]);
    let g = |v: u32| enc.encode(&[v; 10]);
    for kind in SurrogateKind::ALL {
        assert_eq!(Surrogate::fit(kind, &[], &[]).predict(&g(0)), 0.0);
        let one = Surrogate::fit(kind, &[g(1)], &[0.7]);
        assert_eq!(one.predict(&g(2)), 0.7);
        // n = 2 < d = 40, duplicated genome with different targets, a NaN target.
        let x = vec![g(1), g(1), g(2), g(3)];
        let m = Surrogate::fit(kind, &x, &[0.5, 0.7, 0.9, f64::NAN]);
        for v in 0..4 {
            assert!(m.predict(&g(v)).is_finite(), "{kind:?}");
        }
        assert!(m.predict(&g(2)) > m.predict(&g(1)));
        // Constant targets.
        let c = Surrogate::fit(kind, &x[..3], &[1.0; 3]);
        assert!((c.predict(&g(3)) - 1.0).abs() < 1e-9);
        assert_eq!(
            fit_quality(kind, &x[..2], &[1.0, 2.0], 5, 0).kendall_tau,
            None
        );
        let q = fit_quality(kind, &x, &[0.5, 0.7, 0.9, 0.1], 10, 0);
        assert!(q.kendall_tau.is_some_and(|t| (-1.0..=1.0).contains(&t)));
        // A JSON round trip keeps the model (to an ulp or so of its parameters).
        let json = serde_json::to_string(&m).unwrap();
        let back = serde_json::from_str::<Surrogate>(&json).unwrap();
        for v in 0..4 {
            assert!(
                (back.predict(&g(v)) - m.predict(&g(v))).abs() < 1e-12,
                "{kind:?}"
            );
        }
    }
}

/// `f(u, v) = sin(3u) + v²` at `n` seeded points of the unit square.
fn smooth_2d(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = Rng::new(seed);
    let x: Vec<Vec<f64>> = (0..n)
        .map(|_| vec![rng.next_f64(), rng.next_f64()])
        .collect();
    let y = x.iter().map(|p| (3.0 * p[0]).sin() + p[1] * p[1]).collect();
    (x, y)
}

#[test]
fn mlp_learns_a_smooth_function_better_than_the_mean() {
    let (x, y) = smooth_2d(60, 3);
    let (hx, hy) = smooth_2d(40, 4);
    let m = Surrogate::fit(SurrogateKind::Mlp, &x, &y);
    assert!(matches!(m, Surrogate::Mlp { .. }), "{m:?}");
    let tau = held_out_tau(&m, &hx, &hy);
    assert!(tau > 0.5, "held-out τ {tau}");
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let mse = |f: &dyn Fn(&[f64]) -> f64| {
        hx.iter()
            .zip(&hy)
            .map(|(p, t)| (f(p) - t).powi(2))
            .sum::<f64>()
            / hy.len() as f64
    };
    let (model, baseline) = (mse(&|p| m.predict(p)), mse(&|_| mean));
    assert!(
        model < 0.25 * baseline,
        "MSE {model} vs the mean's {baseline}"
    );
    // Seeded: the same archive gives the same model.
    assert_eq!(Surrogate::fit(SurrogateKind::Mlp, &x, &y), m);
}

#[test]
fn kendall_tau_matches_hand_counts() {
    // One discordant pair of six: (5 − 1) / 6.
    assert!((kendall_tau(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]) - 4.0 / 6.0).abs() < 1e-12);
    // Reversed: −1. A tie in `a`: 2 concordant of 3 pairs, τ_b = 2 / √(2 · 3).
    assert_eq!(kendall_tau(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0);
    let t = kendall_tau(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]);
    assert!((t - 2.0 / 6f64.sqrt()).abs() < 1e-12, "{t}");
    // Undefined (one point, all tied): 0.
    assert_eq!(kendall_tau(&[1.0], &[2.0]), 0.0);
    assert_eq!(kendall_tau(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
}
