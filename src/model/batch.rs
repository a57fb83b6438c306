//! Mini-batches: pixels → normalised tensors, seeded shuffling and light augmentation.
//!
//! Augmentation runs on the host with the seeded [`Rng`], so a seed gives the same batches
//! on every backend: a random shift of up to 2 pixels (zero padded) for every dataset, and a
//! horizontal flip for natural images (3 channels) only — digits and clothes keep their
//! orientation.

use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::data::Dataset;
use crate::engine::rng::Rng;

/// Largest shift, in pixels, of the random-translation augmentation.
pub const MAX_SHIFT: usize = 2;

/// Copies image `i` of `data` into `out` as floats in `[0, 1]`, shifted by (`dy`, `dx`)
/// and optionally flipped horizontally; pixels shifted in from outside are 0.
fn write_image(data: &Dataset, i: usize, dy: isize, dx: isize, flip: bool, out: &mut [f32]) {
    let (c, h, w) = (data.channels, data.height, data.width);
    let src = data.image(i);
    for ch in 0..c {
        for y in 0..h {
            let sy = y as isize - dy;
            for x in 0..w {
                let xx = if flip { w - 1 - x } else { x };
                let sx = xx as isize - dx;
                let v = if sy >= 0 && sy < h as isize && sx >= 0 && sx < w as isize {
                    src[ch * h * w + sy as usize * w + sx as usize] as f32 / 255.0
                } else {
                    0.0
                };
                out[ch * h * w + y * w + x] = v;
            }
        }
    }
}

/// A batch of images `[n, c, r, r]` (normalised to mean 0.5, std 0.5 per pixel and resized
/// to resolution `r`) and its labels `[n]`.
pub fn make_batch(
    data: &Dataset,
    indices: &[usize],
    resolution: usize,
    augment: Option<&mut Rng>,
    device: &Device,
) -> (Tensor<4>, Tensor<1, Int>) {
    let (c, h, w) = (data.channels, data.height, data.width);
    let per = c * h * w;
    let mut pixels = vec![0f32; indices.len() * per];
    let mut rng = augment;
    for (b, &i) in indices.iter().enumerate() {
        let (dy, dx, flip) = match rng.as_deref_mut() {
            Some(r) => {
                let span = 2 * MAX_SHIFT + 1;
                let dy = r.below(span) as isize - MAX_SHIFT as isize;
                let dx = r.below(span) as isize - MAX_SHIFT as isize;
                (dy, dx, c == 3 && r.below(2) == 1)
            }
            None => (0, 0, false),
        };
        write_image(data, i, dy, dx, flip, &mut pixels[b * per..(b + 1) * per]);
    }
    for v in &mut pixels {
        *v = (*v - 0.5) / 0.5;
    }
    let x = Tensor::<4>::from_data(TensorData::new(pixels, [indices.len(), c, h, w]), device);
    let x = resize_input(x, resolution);
    let labels: Vec<i64> = indices.iter().map(|&i| data.labels[i] as i64).collect();
    let y = Tensor::<1, Int>::from_data(TensorData::new(labels, [indices.len()]), device);
    (x, y)
}

/// Images `[n, c, h, w]` resized to `side × side` (bilinear; unchanged when they are that
/// size): how a batch reaches a network's input resolution.
pub fn resize_input(x: Tensor<4>, side: usize) -> Tensor<4> {
    let [_, _, h, w] = x.dims();
    if h == side && w == side {
        return x;
    }
    let options = InterpolateOptions::new(InterpolateMode::Bilinear);
    interpolate(x, options.with_output_size([side, side]))
}

/// The sample order of one epoch: a seeded permutation of `0..n`.
pub fn epoch_order(n: usize, seed: u64, epoch: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    Rng::derive(seed, 0xE90C + epoch as u64).shuffle(&mut order);
    order
}
