//! Bilinear resizing (align-corners) from `select` (gather) and element-wise products,
//! one axis at a time, so that its gradient exists on every backend: burn's WebGPU
//! kernels implement the backward pass of `interpolate` for nearest mode only.
//!
//! Output `i` reads source position `s = i·(in−1)/(out−1)`: weight `1 − frac(s)` at
//! `⌊s⌋` and `frac(s)` at `⌊s⌋+1` (row `i` of [`bilinear_matrix`]).

use burn::tensor::{Device, Int, Tensor, TensorData};

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

/// For each output position: the two source indices and the weight of the second one.
fn taps(out: usize, inp: usize) -> (Vec<i64>, Vec<i64>, Vec<f32>) {
    let a = bilinear_matrix(out, inp);
    let (mut i0, mut i1, mut f) = (Vec::new(), Vec::new(), Vec::new());
    for row in a.chunks(inp) {
        let first = row.iter().position(|&v| v > 0.0).unwrap_or(0);
        let second = (first + 1).min(inp - 1);
        let w1 = if second == first { 0.0 } else { row[second] };
        i0.push(first as i64);
        i1.push(second as i64);
        f.push(w1);
    }
    (i0, i1, f)
}

/// Interpolates along `dim` (2 = rows, 3 = columns) to `out` positions.
fn along(x: Tensor<4>, dim: usize, out: usize, device: &Device) -> Tensor<4> {
    let inp = x.dims()[dim];
    let (i0, i1, f) = taps(out, inp);
    let idx = |v: Vec<i64>| Tensor::<1, Int>::from_data(TensorData::new(v, [out]), device);
    let mut shape = [1, 1, 1, 1];
    shape[dim] = out;
    let w1 = Tensor::<1>::from_data(TensorData::new(f, [out]), device).reshape(shape);
    let w0 = w1.clone().neg().add_scalar(1.0);
    x.clone().select(dim, idx(i0)).mul(w0) + x.select(dim, idx(i1)).mul(w1)
}

/// `[n, c, h, w]` → `[n, c, side, side]`, bilinear with aligned corners (unchanged when
/// already `side × side`). Built from `select` and products: its gradient exists on
/// every backend.
pub fn resize_bilinear(x: Tensor<4>, side: usize) -> Tensor<4> {
    let [_, _, h, w] = x.dims();
    if h == side && w == side {
        return x;
    }
    let device = x.device();
    let x = along(x, 3, side, &device);
    along(x, 2, side, &device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::module::interpolate;
    use burn::tensor::ops::{InterpolateMode, InterpolateOptions};

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
}
