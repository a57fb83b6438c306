//! The CPU loops of the depthwise backward pass ([`super`]), channels-last: the gradient
//! and the input are first transposed to `[b, h, w, c]` with zero padding, so that every
//! inner loop runs over the `c` channels of one position (contiguous, no bounds logic, so
//! the compiler vectorises it) instead of along a 2–14-wide row of one channel.
//!
//! For stride `s`, padding `p`, a `k×k` kernel and output position `(i, j)`, tap `(u, v)`
//! reads padded input row `s·i + u`, column `s·j + v`:
//! - input:  `∂x_pad[b, s·i+u, s·j+v, :] += g[b, i, j, :] ⊙ w[:, u, v]`
//! - weight: `∂w[:, u, v] += g[b, i, j, :] ⊙ x_pad[b, s·i+u, s·j+v, :]`

use burn::tensor::Shape;

use super::super::parallel::for_each_chunk;

/// Sizes of one depthwise conv.
pub struct Dims {
    batch: usize,
    c: usize,
    h: usize,
    w: usize,
    k: usize,
    ho: usize,
    wo: usize,
    s: usize,
    p: usize,
}

impl Dims {
    /// From the shapes of `x` `[b, c, h, w]`, `weight` `[c, 1, k, k]` and the output
    /// gradient `[b, c, ho, wo]`.
    pub fn of(x: &Shape, weight: &Shape, grad: &Shape, s: usize, p: usize) -> Self {
        Dims {
            batch: x[0],
            c: x[1],
            h: x[2],
            w: x[3],
            k: weight[2],
            ho: grad[2],
            wo: grad[3],
            s,
            p,
        }
    }

    /// For the forward pass: the output size from `x` `[b, c, h, w]` and `weight`
    /// `[c, 1, k, k]`, `(n + 2p − k)/s + 1` per axis.
    pub fn forward(x: &Shape, weight: &Shape, s: usize, p: usize) -> Self {
        let out = |n: usize| (n + 2 * p - weight[2]) / s + 1;
        let grad = Shape::new([x[0], x[1], out(x[2]), out(x[3])]);
        Self::of(x, weight, &grad, s, p)
    }

    /// The output shape `[b, c, ho, wo]`.
    pub fn output_shape(&self) -> Shape {
        Shape::new([self.batch, self.c, self.ho, self.wo])
    }

    /// Padded height and width: every tap of every output position lands inside.
    fn padded(&self) -> (usize, usize) {
        let ph = (self.h + 2 * self.p).max(self.s * (self.ho - 1) + self.k);
        let pw = (self.w + 2 * self.p).max(self.s * (self.wo - 1) + self.k);
        (ph, pw)
    }

    /// Sample `b` of an NCHW tensor `[_, c, h, w]` into the zeroed channels-last padded
    /// buffer `dst` (`[ph, pw, c]`), at offset `(p, p)`.
    fn pad_channels_last(&self, src: &[f32], b: usize, dst: &mut [f32]) {
        let (_, pw) = self.padded();
        let plane = self.h * self.w;
        for ch in 0..self.c {
            let src = &src[(b * self.c + ch) * plane..][..plane];
            for (r, row) in src.chunks_exact(self.w).enumerate() {
                let base = ((r + self.p) * pw + self.p) * self.c + ch;
                for (col, &v) in row.iter().enumerate() {
                    dst[base + col * self.c] = v;
                }
            }
        }
    }

    /// The output gradient of sample `b`, `[c, ho, wo]` → `[ho·wo, c]`.
    fn grad_channels_last(&self, gs: &[f32], b: usize) -> Vec<f32> {
        let plane = self.ho * self.wo;
        let mut out = vec![0.0f32; plane * self.c];
        for ch in 0..self.c {
            let src = &gs[(b * self.c + ch) * plane..][..plane];
            for (q, &v) in src.iter().enumerate() {
                out[q * self.c + ch] = v;
            }
        }
        out
    }
}

/// `out += a ⊙ b` over the channels of one position (the compiler vectorises it).
fn mul_add(out: &mut [f32], a: &[f32], b: &[f32]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o += x * y;
    }
}

/// The kernel channels-last: `[k·k, c]`.
fn kernel_channels_last(ws: &[f32], d: &Dims) -> Vec<f32> {
    let (c, k) = (d.c, d.k);
    let mut wt = vec![0.0f32; k * k * c];
    for ch in 0..c {
        for t in 0..k * k {
            wt[t * c + ch] = ws[ch * k * k + t];
        }
    }
    wt
}

/// The forward pass `y[b, :, i, j] = Σ_{u,v} w[:, u, v] ⊙ x_pad[b, s·i+u, s·j+v, :]`,
/// `[b, c, ho, wo]`, one sample per task. Natively burn's own direct depthwise conv is as
/// fast; in WebAssembly, where it dispatched its SIMD per row, this was ~2× faster
/// (V8 profile of the page's worker, README throughput).
pub fn forward(xs: &[f32], ws: &[f32], d: &Dims) -> Vec<f32> {
    let (ph, pw) = d.padded();
    let (c, k) = (d.c, d.k);
    let wt = kernel_channels_last(ws, d);
    let mut out = vec![0.0f32; d.batch * c * d.ho * d.wo];
    for_each_chunk(&mut out, c * d.ho * d.wo, |b, y| {
        let mut xp = vec![0.0f32; ph * pw * c];
        d.pad_channels_last(xs, b, &mut xp);
        let mut acc = vec![0.0f32; c];
        for i in 0..d.ho {
            for j in 0..d.wo {
                acc.fill(0.0);
                for u in 0..k {
                    let row = (d.s * i + u) * pw + d.s * j;
                    for v in 0..k {
                        let xv = &xp[(row + v) * c..][..c];
                        let wv = &wt[(u * k + v) * c..][..c];
                        mul_add(&mut acc, xv, wv);
                    }
                }
                let q = i * d.wo + j;
                for (ch, &a) in acc.iter().enumerate() {
                    y[ch * d.ho * d.wo + q] = a;
                }
            }
        }
    });
    out
}

/// `∂x` `[b, c, h, w]`, one sample per task.
pub fn input_grad(ws: &[f32], gs: &[f32], d: &Dims) -> Vec<f32> {
    let (ph, pw) = d.padded();
    let (c, k) = (d.c, d.k);
    let wt = kernel_channels_last(ws, d);
    let mut out = vec![0.0f32; d.batch * c * d.h * d.w];
    for_each_chunk(&mut out, c * d.h * d.w, |b, gx| {
        let g = d.grad_channels_last(gs, b);
        let mut gp = vec![0.0f32; ph * pw * c];
        for i in 0..d.ho {
            for j in 0..d.wo {
                let gv = &g[(i * d.wo + j) * c..][..c];
                for u in 0..k {
                    let row = (d.s * i + u) * pw + d.s * j;
                    for v in 0..k {
                        let dst = &mut gp[(row + v) * c..][..c];
                        let wv = &wt[(u * k + v) * c..][..c];
                        mul_add(dst, gv, wv);
                    }
                }
            }
        }
        // The interior, back to `[c, h, w]`.
        for (ch, plane) in gx.chunks_exact_mut(d.h * d.w).enumerate() {
            for (r, row) in plane.chunks_exact_mut(d.w).enumerate() {
                let base = ((r + d.p) * pw + d.p) * c + ch;
                for (col, o) in row.iter_mut().enumerate() {
                    *o = gp[base + col * c];
                }
            }
        }
    });
    out
}

/// `∂w` `[c, 1, k, k]`: partial sums over groups of samples, then their total.
pub fn weight_grad(xs: &[f32], gs: &[f32], d: &Dims) -> Vec<f32> {
    let (ph, pw) = d.padded();
    let (c, k) = (d.c, d.k);
    let groups = d.batch.clamp(1, 8);
    let mut partial = vec![0.0f32; groups * k * k * c];
    for_each_chunk(&mut partial, k * k * c, |grp, acc| {
        let mut xp = vec![0.0f32; ph * pw * c];
        for b in (grp..d.batch).step_by(groups) {
            d.pad_channels_last(xs, b, &mut xp);
            let g = d.grad_channels_last(gs, b);
            for i in 0..d.ho {
                for j in 0..d.wo {
                    let gv = &g[(i * d.wo + j) * c..][..c];
                    for u in 0..k {
                        let row = (d.s * i + u) * pw + d.s * j;
                        for v in 0..k {
                            let xv = &xp[(row + v) * c..][..c];
                            let a = &mut acc[(u * k + v) * c..][..c];
                            mul_add(a, gv, xv);
                        }
                    }
                }
            }
        }
    });
    let mut out = vec![0.0f32; c * k * k];
    for part in partial.chunks_exact(k * k * c) {
        for t in 0..k * k {
            for ch in 0..c {
                out[ch * k * k + t] += part[t * c + ch];
            }
        }
    }
    out
}
