//! Timing training steps on a device: the fixed small job the page uses to tell which
//! backend is faster on this browser. The browser space's default genome trains on
//! synthetic 28×28 grey images (deterministic pixels, ten classes; no download), one
//! batch per step through the real training loop, and each step's wall time is recorded
//! (the loss is read back every step, so a step's time includes the device finishing it).

use burn::tensor::Device;

use super::network::EarlyExitNet;
use super::train::{train, Control, Progress, TrainConfig, TrainError};
use crate::data::Dataset;
use crate::engine::arch::Architecture;
use crate::engine::genome::default_genome;
use crate::engine::space::{Method, SearchSpace};

/// Image side of the synthetic data.
const SIDE: usize = 28;
/// Classes of the synthetic data.
const CLASSES: usize = 10;

/// `n` synthetic grey images: fixed pseudo-random pixels, labels cycling over the classes.
fn synthetic(n: usize) -> Result<Dataset, String> {
    let images = (0..n * SIDE * SIDE)
        .map(|i| ((i as u64).wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let labels = (0..n).map(|i| (i % CLASSES) as u16).collect();
    let classes = (0..CLASSES).map(|c| c.to_string()).collect();
    Dataset::new("timing", classes, (1, SIDE, SIDE), images, labels).map_err(|e| e.to_string())
}

/// Trains up to `steps` steps of `batch` images on `device` (autodiff added here) and
/// returns each step's wall time in ms. After every step `keep_going(times so far)`
/// decides whether another starts (a time cap stops a slow device between steps).
pub async fn time_steps(
    device: &Device,
    batch: usize,
    steps: usize,
    keep_going: &mut dyn FnMut(&[f64]) -> bool,
) -> Result<Vec<f64>, TrainError> {
    let data = synthetic(batch * steps).map_err(TrainError::Backend)?;
    let space = SearchSpace::browser(1, SIDE, CLASSES);
    let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space))
        .map_err(|e| TrainError::Backend(e.to_string()))?;
    let ad = device.clone().autodiff();
    let net = EarlyExitNet::from_scratch(&arch, 1, &ad)
        .map_err(|e| TrainError::Backend(e.to_string()))?;
    let config = TrainConfig {
        epochs: 1,
        batch_size: batch,
        lr: 0.05,
        seed: 1,
        augment: false,
        max_samples: Some(batch * steps),
        resolution: SIDE,
        ..TrainConfig::default()
    };
    let mut times = Vec::with_capacity(steps);
    let mut last = 0.0;
    let mut on_step = |p: &Progress| {
        times.push((p.elapsed - last) * 1000.0);
        last = p.elapsed;
        if keep_going(&times) {
            Control::Continue
        } else {
            Control::Stop
        }
    };
    match train(net, &data, &config, &ad, &mut on_step).await {
        Ok(_) | Err(TrainError::Cancelled { .. }) => Ok(times),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_timed_and_the_caller_can_stop_early() {
        let device = Device::flex();
        let all = pollster::block_on(time_steps(&device, 4, 3, &mut |_| true)).unwrap();
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|ms| *ms > 0.0 && ms.is_finite()), "{all:?}");
        let mut asked = 0;
        let one = pollster::block_on(time_steps(&device, 4, 3, &mut |t| {
            asked += 1;
            t.is_empty()
        }))
        .unwrap();
        assert_eq!((one.len(), asked), (1, 1));
    }
}
