//! Reference tests: the depthwise extension against burn's own grouped `conv2d`
//! (forward and both gradients), relative tolerance 1e-4, on shapes drawn from a seeded
//! generator (kernels 1–7, strides 1–2, paddings 0…k/2, odd and even sizes).

use super::*;
use crate::engine::rng::Rng;
use crate::model::reference::{assert_close, values};
use burn::tensor::module::conv2d;
use burn::tensor::Device;

fn noise(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len).map(|_| rng.next_f32() * 2.0 - 1.0).collect()
}

/// Output, `∂x` and `∂w` of `Σ(conv(x, w) · g)` with ours or burn's conv.
fn run(
    ours: bool,
    x: &TensorData,
    w: &TensorData,
    g: &TensorData,
    s: usize,
    p: usize,
) -> [Vec<f32>; 3] {
    let device = Device::flex().autodiff();
    let x = Tensor::<4>::from_data(x.clone(), &device).require_grad();
    let w = Tensor::<4>::from_data(w.clone(), &device).require_grad();
    let c = w.dims()[0];
    let y = if ours {
        depthwise_conv2d(x.clone(), w.clone(), s, p)
    } else {
        conv2d(x.clone(), w.clone(), None, options(s, p, c))
    };
    let grads = (y.clone() * Tensor::<4>::from_data(g.clone(), &device))
        .sum()
        .backward();
    [
        values(y.inner()),
        values(x.grad(&grads).unwrap()),
        values(w.grad(&grads).unwrap()),
    ]
}

#[test]
fn forward_and_gradients_equal_burns_grouped_conv2d() {
    let mut rng = Rng::new(7);
    for case in 0..40 {
        let k = [1, 3, 5, 7][rng.below(4)];
        let s = 1 + rng.below(2);
        let p = rng.below(k / 2 + 1);
        let (b, c) = (1 + rng.below(3), 1 + rng.below(9));
        let (h, w) = (k + rng.below(9), k + rng.below(9));
        let (ho, wo) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1);
        let x = TensorData::new(noise(&mut rng, b * c * h * w), [b, c, h, w]);
        let wt = TensorData::new(noise(&mut rng, c * k * k), [c, 1, k, k]);
        let g = TensorData::new(noise(&mut rng, b * c * ho * wo), [b, c, ho, wo]);
        let what = format!("case {case}: b{b} c{c} {h}×{w} k{k} s{s} p{p}");
        let [y1, gx1, gw1] = run(true, &x, &wt, &g, s, p);
        let [y2, gx2, gw2] = run(false, &x, &wt, &g, s, p);
        assert_close(&y1, &y2, 1e-4, &format!("{what} output"));
        assert_close(&gx1, &gx2, 1e-4, &format!("{what} ∂x"));
        assert_close(&gw1, &gw2, 1e-4, &format!("{what} ∂w"));
    }
}

/// Without autodiff the extension is burn's forward conv.
#[test]
fn inference_equals_burns_conv2d() {
    let device = Device::flex();
    let mut rng = Rng::new(3);
    let x = Tensor::<4>::from_data(
        TensorData::new(noise(&mut rng, 2 * 4 * 9 * 9), [2, 4, 9, 9]),
        &device,
    );
    let w = Tensor::<4>::from_data(
        TensorData::new(noise(&mut rng, 4 * 25), [4, 1, 5, 5]),
        &device,
    );
    let ours = values(depthwise_conv2d(x.clone(), w.clone(), 2, 2));
    let theirs = values(conv2d(x, w, None, options(2, 2, 4)));
    assert_close(&ours, &theirs, 1e-4, "inference");
}
