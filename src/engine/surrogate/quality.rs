//! Fit quality of a surrogate: Kendall's τ-b between predictions and truth,
//! `τ_b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))` (`n_0` pairs, `n_1`/`n_2` pairs tied
//! in `a`/`b`), on held-out rows or k-fold out-of-fold predictions of the archive.

use super::{Surrogate, SurrogateKind};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// Kendall's τ-b between two paired samples (the shorter length is used; pairs with a
/// NaN are skipped). 1 = same ranking, −1 = reversed, 0 when undefined.
pub fn kendall_tau(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (mut conc, mut disc, mut tie_a, mut tie_b, mut total) = (0i64, 0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let (da, db) = (a[i] - a[j], b[i] - b[j]);
            if da.is_nan() || db.is_nan() {
                continue;
            }
            total += 1;
            match (da == 0.0, db == 0.0) {
                (true, true) => {
                    tie_a += 1;
                    tie_b += 1;
                }
                (true, false) => tie_a += 1,
                (false, true) => tie_b += 1,
                _ if (da > 0.0) == (db > 0.0) => conc += 1,
                _ => disc += 1,
            }
        }
    }
    let denom = (((total - tie_a) * (total - tie_b)) as f64).sqrt();
    if denom > 0.0 {
        (conc - disc) as f64 / denom
    } else {
        0.0
    }
}

/// τ between a model's predictions on held-out rows and their true targets.
pub fn held_out_tau(model: &Surrogate, x: &[Vec<f64>], y: &[f64]) -> f64 {
    let pred: Vec<f64> = x.iter().map(|r| model.predict(r)).collect();
    kendall_tau(&pred, y)
}

/// Cross-validated fit quality.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitQuality {
    /// Kendall τ of out-of-fold predictions vs truth; `None` with fewer than 3 points.
    pub kendall_tau: Option<f64>,
    /// Folds used.
    pub folds: usize,
    /// Points used.
    pub points: usize,
}

/// k-fold cross-validated Kendall τ of `kind` on `(x, y)` (folds clamped to `2..=n`,
/// seeded shuffle): every point is predicted by a model fitted without its fold.
pub fn fit_quality(
    kind: SurrogateKind,
    x: &[Vec<f64>],
    y: &[f64],
    folds: usize,
    seed: u64,
) -> FitQuality {
    let n = x.len().min(y.len());
    if n < 3 {
        return FitQuality {
            kendall_tau: None,
            folds: 0,
            points: n,
        };
    }
    let k = folds.clamp(2, n);
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut pred = vec![0.0; n];
    for f in 0..k {
        let test: Vec<usize> = order.iter().copied().skip(f).step_by(k).collect();
        let (tx, ty): (Vec<Vec<f64>>, Vec<f64>) = order
            .iter()
            .enumerate()
            .filter(|(p, _)| p % k != f)
            .map(|(_, &i)| (x[i].clone(), y[i]))
            .unzip();
        let model = Surrogate::fit(kind, &tx, &ty);
        for i in test {
            pred[i] = model.predict(&x[i]);
        }
    }
    FitQuality {
        kendall_tau: Some(kendall_tau(&pred, &y[..n])),
        folds: k,
        points: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tau_hand_values() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(kendall_tau(&a, &a), 1.0);
        assert_eq!(kendall_tau(&a, &[4.0, 3.0, 2.0, 1.0]), -1.0);
        // Pairs: only (2,3) discordant → (5 − 1)/6.
        assert!((kendall_tau(&a, &[1.0, 3.0, 2.0, 4.0]) - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(kendall_tau(&a, &[1.0; 4]), 0.0);
        assert_eq!(kendall_tau(&[], &[]), 0.0);
        // τ-b with a tie in b: a=(1,2,3), b=(1,1,2): n_c = 2, n_d = 0, n_0 = 3, n_2 = 1
        // → 2 / sqrt(3·2).
        let t = kendall_tau(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        assert!((t - 2.0 / 6f64.sqrt()).abs() < 1e-12);
    }
}
