//! Bilinear resizing (align-corners) as a matrix product, so that its gradient exists on
//! every backend: burn's WebGPU kernels implement the backward pass of `interpolate` for
//! nearest mode only.
//!
//! Output `i` reads source position `s = i·(in−1)/(out−1)`: weight `1 − frac(s)` at
//! `⌊s⌋` and `frac(s)` at `⌊s⌋+1` (row `i` of [`bilinear_matrix`]).

use burn::tensor::{Tensor, TensorData};

/// The `[out, in]` bilinear (align-corners) interpolation matrix, row-major.
pub fn bilinear_matrix(out: usize, inp: usize) -> Vec<f32> {
    let mut a = vec![0.0f32; out * inp];
    for i in 0..out {
        let s = if out > 1 {
            i as f64 * (inp - 1) as f64 / (out - 1) as f64
        } else {
            0.0
        };
        let i0 = (s.floor() as usize).min(inp - 1);
        let i1 = (i0 + 1).min(inp - 1);
        let f = (s - i0 as f64) as f32;
        a[i * inp + i0] += 1.0 - f;
        a[i * inp + i1] += f;
    }
    a
}

/// The `[h·w, side·side]` matrix of the whole 2-D resize, `K = (A_h ⊗ A_w)ᵀ`:
/// `K[(r·w + c), (i·side + j)] = A_h[i, r] · A_w[j, c]` with `A` from [`bilinear_matrix`].
pub fn resize_matrix(h: usize, w: usize, side: usize) -> Vec<f32> {
    let (ah, aw) = (bilinear_matrix(side, h), bilinear_matrix(side, w));
    let mut k = vec![0.0f32; h * w * side * side];
    for r in 0..h {
        for c in 0..w {
            let row = &mut k[(r * w + c) * side * side..][..side * side];
            for i in 0..side {
                let a = ah[i * h + r];
                if a == 0.0 {
                    continue;
                }
                for j in 0..side {
                    row[i * side + j] = a * aw[j * w + c];
                }
            }
        }
    }
    k
}

/// `[n, c, h, w]` → `[n, c, side, side]`, bilinear with aligned corners (unchanged when
/// already `side × side`), as one matrix product `x.reshape([n·c, h·w]) · K`
/// ([`resize_matrix`]): its gradient (another product) exists on every backend, and on
/// the CPU it is a single gemm each way.
pub fn resize_bilinear(x: Tensor<4>, side: usize) -> Tensor<4> {
    let [n, c, h, w] = x.dims();
    if h == side && w == side {
        return x;
    }
    let device = x.device();
    let k = Tensor::<2>::from_data(
        TensorData::new(resize_matrix(h, w, side), [h * w, side * side]),
        &device,
    );
    x.reshape([n * c, h * w])
        .matmul(k)
        .reshape([n, c, side, side])
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::module::interpolate;
    use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
    use burn::tensor::Device;

    #[test]
    fn matrix_rows_hold_the_bilinear_weights() {
        // 3 → 5: sources 0, 0.5, 1, 1.5, 2.
        let a = bilinear_matrix(5, 3);
        assert_eq!(
            a,
            vec![
                1.0, 0.0, 0.0, //
                0.5, 0.5, 0.0, //
                0.0, 1.0, 0.0, //
                0.0, 0.5, 0.5, //
                0.0, 0.0, 1.0,
            ]
        );
    }

    #[test]
    fn equals_burns_bilinear_interpolate_forward() {
        let device = Device::flex();
        let values: Vec<f32> = (0..2 * 3 * 7 * 6)
            .map(|i| ((i * 37) % 11) as f32 - 5.0)
            .collect();
        let x = Tensor::<4>::from_data(TensorData::new(values, [2, 3, 7, 6]), &device);
        for side in [2, 4, 8, 10] {
            let ours = resize_bilinear(x.clone(), side)
                .into_data()
                .try_to_vec::<f32>()
                .unwrap();
            let options =
                InterpolateOptions::new(InterpolateMode::Bilinear).with_output_size([side, side]);
            let theirs = interpolate(x.clone(), options)
                .into_data()
                .try_to_vec::<f32>()
                .unwrap();
            assert_eq!(ours.len(), theirs.len());
            for (a, b) in ours.iter().zip(&theirs) {
                assert!((a - b).abs() < 1e-4, "side {side}: {a} vs {b}");
            }
        }
    }

    /// The gradient of the matrix form equals burn's own `interpolate` backward (flex),
    /// tolerance 1e-4, for shrinking, growing and mixed shapes.
    #[test]
    fn gradient_equals_burns_interpolate_backward() {
        let device = Device::flex().autodiff();
        for (h, w, side) in [(14, 14, 8), (7, 7, 10), (4, 6, 8), (9, 5, 3)] {
            let values: Vec<f32> = (0..2 * 3 * h * w)
                .map(|i| ((i * 53) % 17) as f32 * 0.25 - 2.0)
                .collect();
            let weights: Vec<f32> = (0..2 * 3 * side * side)
                .map(|i| ((i * 29) % 13) as f32 * 0.5 - 3.0)
                .collect();
            let grad_of = |ours: bool| {
                let x =
                    Tensor::<4>::from_data(TensorData::new(values.clone(), [2, 3, h, w]), &device)
                        .require_grad();
                let y = if ours {
                    resize_bilinear(x.clone(), side)
                } else {
                    let options = InterpolateOptions::new(InterpolateMode::Bilinear)
                        .with_output_size([side, side]);
                    interpolate(x.clone(), options)
                };
                let g = Tensor::<4>::from_data(
                    TensorData::new(weights.clone(), [2, 3, side, side]),
                    &device,
                );
                let grads = (y * g).sum().backward();
                x.grad(&grads)
                    .unwrap()
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap()
            };
            let (ours, theirs) = (grad_of(true), grad_of(false));
            for (a, b) in ours.iter().zip(&theirs) {
                assert!((a - b).abs() < 1e-4, "{h}x{w}→{side}: {a} vs {b}");
            }
        }
    }
}
