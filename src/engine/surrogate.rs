//! Surrogate models fitted on the archive (docs/method.md, § Surrogates): genome features →
//! a target (accuracy or avg MACs), and their fit quality as Kendall's τ.
//!
//! - Features ([`Encoder`]): one-hot per gene (`Σ (upper_g + 1)` columns) or each gene
//!   normalised to `g / upper_g`; genes with a single value are dropped.
//! - **Ridge** regression, closed form on centred data: `w = (XᵀX + αI)⁻¹ Xᵀy` (primal,
//!   when `d ≤ n`) or `w = Xᵀ(XXᵀ + αI)⁻¹ y` (dual, when `n < d`) — identical solutions;
//!   `b = ȳ − x̄·w`.
//! - **RBF**: Gaussian-kernel interpolation with a ridge ("nugget") term:
//!   `f(x) = ȳ + Σ_i c_i exp(−γ‖x − x_i‖²)`, `(K + λI) c = y − ȳ`, `γ = 1 / median of the
//!   non-zero pairwise squared distances`.
//! - **MLP** (the paper's default predictor for AEBNAS): one hidden layer of `tanh`
//!   units trained by full-batch Adam on the standardised target, deterministic
//!   (see `mlp.rs`).
//! - Linear systems are symmetric positive definite and solved by Cholesky; a failed
//!   factorisation, an empty archive or a single point degrade to the constant mean
//!   model. Duplicated genomes and `n < d` are fine thanks to the ridge terms.
//! - **Kendall's τ-b**: `(n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))` over all pairs, with
//!   `n_1`, `n_2` the pairs tied in `a` resp. `b`; 0 when undefined.

use serde::{Deserialize, Serialize};

mod mlp;
mod quality;
pub use mlp::{MLP_EPOCHS, MLP_HIDDEN};
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
    /// Gaussian RBF interpolation (the default of results files that name no predictor).
    #[default]
    Rbf,
    /// One-hidden-layer perceptron.
    Mlp,
}

impl SurrogateKind {
    /// Every kind, in display order.
    pub const ALL: [SurrogateKind; 3] =
        [SurrogateKind::Mlp, SurrogateKind::Rbf, SurrogateKind::Ridge];

    /// Name on the command line, in results and in the page.
    pub fn name(self) -> &'static str {
        match self {
            SurrogateKind::Ridge => "ridge",
            SurrogateKind::Rbf => "rbf",
            SurrogateKind::Mlp => "mlp",
        }
    }

    /// The default of `method`: the MLP for AEBNAS (the paper's), RBF for the others.
    pub fn default_for(method: crate::engine::space::Method) -> Self {
        match method {
            crate::engine::space::Method::Aebnas => SurrogateKind::Mlp,
            _ => SurrogateKind::Rbf,
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            SurrogateKind::Ridge => "ridge regression",
            SurrogateKind::Rbf => "RBF interpolation",
            SurrogateKind::Mlp => "MLP (one hidden layer)",
        }
    }
}

/// Why a predictor name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown predictor {0:?} (mlp | rbf | ridge)")]
pub struct ParseSurrogateKindError(pub String);

impl std::str::FromStr for SurrogateKind {
    type Err = ParseSurrogateKindError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SurrogateKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| ParseSurrogateKindError(s.to_string()))
    }
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
    /// `mean + scale · (w₂·tanh(W₁x + b₁) + b₂)`.
    Mlp {
        /// Input features `d`.
        inputs: usize,
        /// `W₁` (hidden × d, row-major), `b₁`, `w₂`, `b₂`, flat.
        params: Vec<f64>,
        /// Target mean.
        mean: f64,
        /// Target standard deviation.
        scale: f64,
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
            SurrogateKind::Mlp => mlp::fit_mlp(&xs, &ys, mean),
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
            Surrogate::Mlp {
                inputs,
                params,
                mean,
                scale,
            } => mlp::predict_mlp(*inputs, params, *mean, *scale, x),
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
mod tests;
