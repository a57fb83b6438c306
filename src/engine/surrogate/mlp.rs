//! The MLP surrogate (the paper's default predictor for AEBNAS): one hidden layer of
//! [`MLP_HIDDEN`] `tanh` units, a linear output, trained full-batch with Adam on the
//! mean squared error of the standardised target plus a small L2 penalty on the weights.
//! Pure Rust and deterministic: the initial weights come from a fixed seed mixed with the
//! training set's size, so one archive always gives one model.

use super::Surrogate;
use crate::engine::rng::Rng;

/// Hidden units.
pub const MLP_HIDDEN: usize = 16;
/// Full-batch Adam steps.
pub const MLP_EPOCHS: usize = 400;
/// Adam step size.
const LR: f64 = 0.01;
/// L2 penalty on the weights (not the biases).
const WEIGHT_DECAY: f64 = 1e-4;
/// Seed of the initial weights (mixed with `n` and `d`).
const SEED: u64 = 0x4D4C_5053;

/// Parameters in one flat vector: `w1` (`h × d`), `b1` (`h`), `w2` (`h`), `b2`.
struct Layout {
    d: usize,
    h: usize,
}

impl Layout {
    fn len(&self) -> usize {
        self.h * self.d + 2 * self.h + 1
    }
    fn b1(&self) -> usize {
        self.h * self.d
    }
    fn w2(&self) -> usize {
        self.b1() + self.h
    }
    fn b2(&self) -> usize {
        self.w2() + self.h
    }
}

/// Hidden activations and output of the standardised model at `x`.
fn forward(p: &[f64], l: &Layout, x: &[f64], hidden: &mut [f64]) -> f64 {
    let mut out = p[l.b2()];
    for (k, a) in hidden.iter_mut().enumerate() {
        let row = &p[k * l.d..(k + 1) * l.d];
        let z = p[l.b1() + k] + row.iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
        *a = z.tanh();
        out += p[l.w2() + k] * *a;
    }
    out
}

/// Fits the MLP on rows `xs` (each of length `d ≥ 1`) and targets `ys` with mean `mean`;
/// `None` if training diverges.
pub(super) fn fit_mlp(xs: &[&[f64]], ys: &[f64], mean: f64) -> Option<Surrogate> {
    let (n, d) = (xs.len(), xs[0].len());
    let var = ys.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / n as f64;
    if var.is_nan() || var <= 0.0 {
        return Some(Surrogate::Constant { value: mean });
    }
    let scale = var.sqrt();
    let t: Vec<f64> = ys.iter().map(|y| (y - mean) / scale).collect();
    let l = Layout { d, h: MLP_HIDDEN };
    let mut rng = Rng::new(SEED ^ (n as u64) << 20 ^ d as u64);
    let mut p = vec![0.0; l.len()];
    let s1 = 1.0 / (d as f64).sqrt();
    let s2 = 1.0 / (l.h as f64).sqrt();
    p[..l.b1()].iter_mut().for_each(|w| *w = s1 * rng.normal());
    p[l.w2()..l.b2()]
        .iter_mut()
        .for_each(|w| *w = s2 * rng.normal());
    let (mut m, mut v) = (vec![0.0; l.len()], vec![0.0; l.len()]);
    let (b1, b2) = (0.9f64, 0.999f64);
    let mut hidden = vec![0.0; l.h];
    let mut g = vec![0.0; l.len()];
    for step in 1..=MLP_EPOCHS {
        g.iter_mut().for_each(|x| *x = 0.0);
        for (x, &target) in xs.iter().zip(&t) {
            let dout = (forward(&p, &l, x, &mut hidden) - target) / n as f64;
            g[l.b2()] += dout;
            for (k, &a) in hidden.iter().enumerate() {
                g[l.w2() + k] += dout * a;
                let dz = dout * p[l.w2() + k] * (1.0 - a * a);
                g[l.b1() + k] += dz;
                let row = &mut g[k * l.d..(k + 1) * l.d];
                row.iter_mut()
                    .zip(x.iter())
                    .for_each(|(gw, xv)| *gw += dz * xv);
            }
        }
        let weights = (0..l.b1()).chain(l.w2()..l.b2());
        weights.for_each(|i| g[i] += WEIGHT_DECAY * p[i]);
        let (c1, c2) = (1.0 - b1.powi(step as i32), 1.0 - b2.powi(step as i32));
        for i in 0..l.len() {
            m[i] = b1 * m[i] + (1.0 - b1) * g[i];
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            p[i] -= LR * (m[i] / c1) / ((v[i] / c2).sqrt() + 1e-8);
        }
    }
    p.iter().all(|w| w.is_finite()).then_some(Surrogate::Mlp {
        inputs: d,
        params: p,
        mean,
        scale,
    })
}

/// Prediction of a fitted MLP (`params` as [`fit_mlp`] lays them out).
pub(super) fn predict_mlp(inputs: usize, params: &[f64], mean: f64, scale: f64, x: &[f64]) -> f64 {
    let l = Layout {
        d: inputs,
        h: MLP_HIDDEN,
    };
    if params.len() != l.len() {
        return mean;
    }
    let mut row = vec![0.0; inputs];
    row.iter_mut()
        .zip(x)
        .for_each(|(r, v)| *r = if v.is_finite() { *v } else { 0.0 });
    let mut hidden = vec![0.0; l.h];
    mean + scale * forward(params, &l, &row, &mut hidden)
}
