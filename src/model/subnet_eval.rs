//! The quality of one subnet of a supernet on its own: recalibrate its batch-norm
//! statistics ([`super::recalibrate`]), then classify with its final classifier (no exit
//! heads). How the shipped supernets are checked (`aebnas supernet --check`) and tested.

use burn::tensor::{Device, Int, Tensor};

use super::batch::make_batch;
use super::recalibrate::recalibrate;
use super::supernet::Supernet;
use crate::data::Dataset;
use crate::engine::arch::Architecture;

/// Images per inference batch.
const BATCH: usize = 250;

/// The final classifier's predicted class for every image of `test`, after recalibrating
/// `arch`'s subnet on `train`'s first images.
pub fn subnet_predictions(
    supernet: &Supernet,
    arch: &Architecture,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
) -> Vec<u32> {
    predictions(
        &recalibrate(supernet, arch, train, device),
        arch,
        test,
        device,
    )
}

/// The final classifier's predicted class for every image of `data`, with `net`'s
/// batch-norm statistics as they are (`net`: an inference module).
pub fn predictions(
    net: &Supernet,
    arch: &Architecture,
    data: &Dataset,
    device: &Device,
) -> Vec<u32> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut out = Vec::with_capacity(data.len());
    for chunk in indices.chunks(BATCH) {
        let (x, _) = make_batch(data, chunk, arch.input.1, None, device);
        let pred: Tensor<2, Int> = net.forward(x, arch).argmax(1);
        out.extend(pred.into_data().iter::<i64>().map(|p| p as u32));
    }
    out
}

/// Fraction of `predictions` equal to `test`'s labels.
pub fn accuracy(predictions: &[u32], test: &Dataset) -> f64 {
    let right = (predictions.iter().enumerate())
        .filter(|(i, p)| **p == u32::from(test.labels[*i]))
        .count();
    right as f64 / predictions.len().max(1) as f64
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "shipped_supernet_tests.rs"]
mod shipped_tests;
