//! Surrogate models fitted on the archive (SPEC §6): genome features → a target
//! (accuracy or avg MACs), and their fit quality as Kendall's τ.
//!
//! - Features ([`Encoder`]): one-hot per gene (`Σ (upper_g + 1)` columns) or each gene
//!   normalised to `g / upper_g`; genes with a single value are dropped.
//! - **Ridge** regression, closed form on centred data: `w = (XᵀX + αI)⁻¹ Xᵀy` (primal,
//!   when `d ≤ n`) or `w = Xᵀ(XXᵀ + αI)⁻¹ y` (dual, when `n < d`) — identical solutions;
//!   `b = ȳ − x̄·w`.
//! - **RBF**: Gaussian-kernel interpolation with a ridge ("nugget") term:
//!   `f(x) = ȳ + Σ_i c_i exp(−γ‖x − x_i‖²)`, `(K + λI) c = y − ȳ`, `γ = 1 / median of the
//!   non-zero pairwise squared distances`.
//! - Linear systems are symmetric positive definite and solved by Cholesky; a failed
//!   factorisation, an empty archive or a single point degrade to the constant mean
//!   model. Duplicated genomes and `n < d` are fine thanks to the ridge terms.
//! - **Kendall's τ-b**: `(n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))` over all pairs, with
//!   `n_1`, `n_2` the pairs tied in `a` resp. `b`; 0 when undefined.

use serde::{Deserialize, Serialize};

mod quality;
pub use quality::{fit_quality, held_out_tau, kendall_tau, FitQuality};

/// Ridge strength `α` used by [`Surrogate::fit`] for [`SurrogateKind::Ridge`].
pub const RIDGE_ALPHA: f64 = 1e-3;
/// Nugget `λ` used for [`SurrogateKind::Rbf`].
pub const RBF_NUGGET: f64 = 1e-6;

/// Genome → feature vector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encoder {
    /// Largest value of every gene.
    pub upper: Vec<u32>,
    /// One-hot (`true`) or normalised (`false`) features.
    pub one_hot: bool,
}

impl Encoder {
    /// One-hot encoder for genes `0..=upper[g]`.
    pub fn one_hot(upper: &[u32]) -> Self {
        Self {
            upper: upper.to_vec(),
            one_hot: true,
        }
    }

    /// Normalised encoder (`g / upper_g`).
    pub fn normalised(upper: &[u32]) -> Self {
        Self {
            upper: upper.to_vec(),
            one_hot: false,
        }
    }

    /// Feature dimension.
    pub fn dim(&self) -> usize {
        let live = self.upper.iter().filter(|&&u| u > 0);
        if self.one_hot {
            live.map(|&u| u as usize + 1).sum()
        } else {
            live.count()
        }
    }

    /// Features of `genome` (missing genes read as 0, values above the bound clamped).
    pub fn encode(&self, genome: &[u32]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.dim());
        for (i, &u) in self.upper.iter().enumerate().filter(|(_, &u)| u > 0) {
            let g = genome.get(i).copied().unwrap_or(0).min(u);
            if self.one_hot {
                out.extend((0..=u).map(|v| (v == g) as u8 as f64));
            } else {
                out.push(g as f64 / u as f64);
            }
        }
        out
    }
}

/// Which model to fit. Serialised `"ridge"` / `"rbf"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SurrogateKind {
    /// Ridge regression.
    Ridge,
    /// Gaussian RBF interpolation.
    #[default]
    Rbf,
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Surrogate {
    /// Predicts a constant (empty/degenerate training sets).
    Constant {
        /// The prediction.
        value: f64,
    },
    /// `w·x + b`.
    Ridge {
        /// Weights `w`.
        weights: Vec<f64>,
        /// Intercept `b`.
        bias: f64,
    },
    /// `mean + Σ coef_i exp(−gamma ‖x − centre_i‖²)`.
    Rbf {
        /// Training points.
        centres: Vec<Vec<f64>>,
        /// Coefficients `c`.
        coef: Vec<f64>,
        /// Kernel width `γ`.
        gamma: f64,
        /// Target mean `ȳ`.
        mean: f64,
    },
}

impl Surrogate {
    /// Fits `kind` on rows `x` (all of the first row's length) and targets `y`. Rows of
    /// another length and non-finite targets are skipped. Never fails: degenerate inputs
    /// give a constant model.
    pub fn fit(kind: SurrogateKind, x: &[Vec<f64>], y: &[f64]) -> Surrogate {
        let d = x.first().map_or(0, |r| r.len());
        let (xs, ys): (Vec<&[f64]>, Vec<f64>) = x
            .iter()
            .zip(y)
            .filter(|(r, t)| r.len() == d && t.is_finite() && r.iter().all(|v| v.is_finite()))
            .map(|(r, &t)| (r.as_slice(), t))
            .unzip();
        let n = ys.len();
        if n == 0 {
            return Surrogate::Constant { value: 0.0 };
        }
        let mean = ys.iter().sum::<f64>() / n as f64;
        let constant = Surrogate::Constant { value: mean };
        if n == 1 || d == 0 {
            return constant;
        }
        let fitted = match kind {
            SurrogateKind::Ridge => fit_ridge(&xs, &ys, mean, RIDGE_ALPHA),
            SurrogateKind::Rbf => fit_rbf(&xs, &ys, mean, RBF_NUGGET),
        };
        fitted.unwrap_or(constant)
    }

    /// Prediction at `x` (finite whenever the model and `x` are; missing features read 0).
    pub fn predict(&self, x: &[f64]) -> f64 {
        let at = |i: usize| x.get(i).copied().unwrap_or(0.0);
        match self {
            Surrogate::Constant { value } => *value,
            Surrogate::Ridge { weights, bias } => {
                bias + weights
                    .iter()
                    .enumerate()
                    .map(|(i, w)| w * at(i))
                    .sum::<f64>()
            }
            Surrogate::Rbf {
                centres,
                coef,
                gamma,
                mean,
            } => {
                let k = |c: &Vec<f64>| {
                    let d2: f64 = c.iter().enumerate().map(|(i, v)| (v - at(i)).powi(2)).sum();
                    (-gamma * d2).exp()
                };
                mean + centres.iter().zip(coef).map(|(c, a)| a * k(c)).sum::<f64>()
            }
        }
    }
}

/// Ridge regression with strength `alpha` (see the module docs); `None` if unsolvable.
pub fn fit_ridge_with(x: &[Vec<f64>], y: &[f64], alpha: f64) -> Option<Surrogate> {
    let xs: Vec<&[f64]> = x.iter().map(|r| r.as_slice()).collect();
    let n = y.len().min(xs.len());
    if n == 0 {
        return None;
    }
    let mean = y[..n].iter().sum::<f64>() / n as f64;
    fit_ridge(&xs[..n], &y[..n], mean, alpha)
}

fn fit_ridge(xs: &[&[f64]], ys: &[f64], y_mean: f64, alpha: f64) -> Option<Surrogate> {
    let (n, d) = (xs.len(), xs[0].len());
    let alpha = alpha.max(1e-12);
    let x_mean: Vec<f64> = (0..d)
        .map(|j| xs.iter().map(|r| r[j]).sum::<f64>() / n as f64)
        .collect();
    let xc: Vec<Vec<f64>> = xs
        .iter()
        .map(|r| r.iter().zip(&x_mean).map(|(v, m)| v - m).collect())
        .collect();
    let yc: Vec<f64> = ys.iter().map(|t| t - y_mean).collect();
    let weights = if d <= n {
        let mut a = vec![0.0; d * d];
        let mut b = vec![0.0; d];
        for (r, t) in xc.iter().zip(&yc) {
            for i in 0..d {
                b[i] += r[i] * t;
                for j in 0..d {
                    a[i * d + j] += r[i] * r[j];
                }
            }
        }
        (0..d).for_each(|i| a[i * d + i] += alpha);
        cholesky_solve(a, d, &b)?
    } else {
        let mut k = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                k[i * n + j] = dot(&xc[i], &xc[j]) + if i == j { alpha } else { 0.0 };
            }
        }
        let a = cholesky_solve(k, n, &yc)?;
        (0..d)
            .map(|j| xc.iter().zip(&a).map(|(r, c)| r[j] * c).sum())
            .collect()
    };
    let bias = y_mean - dot(&x_mean, &weights);
    finite(&weights, bias).then_some(Surrogate::Ridge { weights, bias })
}

fn fit_rbf(xs: &[&[f64]], ys: &[f64], mean: f64, nugget: f64) -> Option<Surrogate> {
    let n = xs.len();
    let d2 = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| (u - v).powi(2)).sum::<f64>();
    let mut dists: Vec<f64> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| d2(xs[i], xs[j]))
        .filter(|&v| v > 0.0)
        .collect();
    dists.sort_by(|a, b| a.total_cmp(b));
    let gamma = dists.get(dists.len() / 2).map_or(1.0, |m| 1.0 / m);
    let mut k = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            k[i * n + j] = (-gamma * d2(xs[i], xs[j])).exp() + if i == j { nugget } else { 0.0 };
        }
    }
    let yc: Vec<f64> = ys.iter().map(|t| t - mean).collect();
    let coef = cholesky_solve(k, n, &yc)?;
    finite(&coef, gamma).then(|| Surrogate::Rbf {
        centres: xs.iter().map(|r| r.to_vec()).collect(),
        coef,
        gamma,
        mean,
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(u, v)| u * v).sum()
}

fn finite(v: &[f64], x: f64) -> bool {
    x.is_finite() && v.iter().all(|w| w.is_finite())
}

/// Solves `A z = b` for a symmetric positive-definite row-major `n × n` matrix `A`;
/// on a failed factorisation retries once with a diagonal jitter, else `None`.
fn cholesky_solve(a: Vec<f64>, n: usize, b: &[f64]) -> Option<Vec<f64>> {
    let scale = (0..n)
        .map(|i| a[i * n + i].abs())
        .fold(0.0, f64::max)
        .max(1.0);
    for jitter in [0.0, 1e-8 * scale] {
        let mut l = a.clone();
        (0..n).for_each(|i| l[i * n + i] += jitter);
        if cholesky_in_place(&mut l, n) {
            let mut z = b.to_vec();
            for i in 0..n {
                let s: f64 = (0..i).map(|k| l[i * n + k] * z[k]).sum();
                z[i] = (z[i] - s) / l[i * n + i];
            }
            for i in (0..n).rev() {
                let s: f64 = (i + 1..n).map(|k| l[k * n + i] * z[k]).sum();
                z[i] = (z[i] - s) / l[i * n + i];
            }
            return z.iter().all(|v| v.is_finite()).then_some(z);
        }
    }
    None
}

/// Lower-triangular Cholesky factor in place; false if not positive definite.
fn cholesky_in_place(a: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let s: f64 = (0..j).map(|k| a[j * n + k] * a[j * n + k]).sum();
        let diag = a[j * n + j] - s;
        if !(diag > 0.0 && diag.is_finite()) {
            return false;
        }
        let ljj = diag.sqrt();
        a[j * n + j] = ljj;
        for i in j + 1..n {
            let s: f64 = (0..j).map(|k| a[i * n + k] * a[j * n + k]).sum();
            a[i * n + j] = (a[i * n + j] - s) / ljj;
        }
    }
    true
}

#[cfg(test)]
mod tests {
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
        for kind in [SurrogateKind::Ridge, SurrogateKind::Rbf] {
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
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<Surrogate>(&json).unwrap(), m);
        }
    }
}
