//! True early-exit inference (docs/method.md, § Early exits): samples that leave at exit
//! `i` do not run deeper layers. Per batch, after each enabled exit the confident samples
//! are taken out and the remaining feature maps are compacted (`select` on the batch axis)
//! before the next stage. What the caches of [`super::evaluate`] and the engine's
//! assignment report is what this inference does (tested on real images).

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::batch::make_batch;
use super::clock::yield_now;
use super::evaluate::read_f32;
use super::network::EarlyExitNet;
use crate::data::Dataset;
use crate::engine::exits::{confidence, ExitRule};

/// Predictions of true early-exit inference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlyExitOutput {
    /// Predicted class per sample.
    pub predicted: Vec<u16>,
    /// Exit taken per sample (index among enabled exits; the last = final classifier).
    pub exit_of: Vec<u8>,
}

/// Runs `net` on every sample of `data` with thresholds `thresholds` (one per enabled
/// early exit) under `rule`, stopping each sample at its first confident exit.
pub async fn early_exit_predict(
    net: &EarlyExitNet,
    data: &Dataset,
    thresholds: &[f32],
    rule: ExitRule,
    batch_size: usize,
    device: &Device,
) -> Result<EarlyExitOutput, super::error::ModelError> {
    let arch = &net.arch;
    let classes = data.classes.len();
    let mut predicted = vec![0u16; data.len()];
    let mut exit_of = vec![0u8; data.len()];
    let all: Vec<usize> = (0..data.len()).collect();
    for chunk in all.chunks(batch_size.max(1)) {
        let (x, _) = make_batch(data, chunk, arch.input.1, None, device);
        let mut alive: Vec<usize> = chunk.to_vec();
        let mut h = net.backbone.forward_stem(x, arch, &mut None);
        let mut e = 0usize;
        let mut heads = net.heads.iter();
        'stages: for s in 0..arch.stages.len() {
            h = net.backbone.forward_stage(h, arch, s, &mut None);
            for (j, exit) in arch.exits.iter().enumerate() {
                if !(exit.enabled && exit.position == s) {
                    continue;
                }
                let Some(head) = heads.next() else { break };
                let logits =
                    head.forward(h.clone(), &exit.head, &format!("exit{}", j + 1), &mut None);
                let probs = read_f32(softmax(logits, 1)).await?;
                let t = thresholds.get(e).copied().unwrap_or(f32::INFINITY);
                let mut kept = Vec::with_capacity(alive.len());
                for (i, (row, &sample)) in probs.chunks_exact(classes).zip(&alive).enumerate() {
                    if confidence(rule, row) >= t {
                        predicted[sample] = argmax(row);
                        exit_of[sample] = e as u8;
                    } else {
                        kept.push(i);
                    }
                }
                e += 1;
                if kept.is_empty() {
                    alive.clear();
                    break 'stages;
                }
                if kept.len() < alive.len() {
                    let idx: Vec<i64> = kept.iter().map(|&i| i as i64).collect();
                    let idx =
                        Tensor::<1, Int>::from_data(TensorData::new(idx, [kept.len()]), device);
                    h = h.select(0, idx);
                    alive = kept.iter().map(|&i| alive[i]).collect();
                }
            }
        }
        if !alive.is_empty() {
            let logits = net.backbone.forward_final(h, &arch.final_head, &mut None);
            let probs = read_f32(softmax(logits, 1)).await?;
            for (row, &sample) in probs.chunks_exact(classes).zip(&alive) {
                predicted[sample] = argmax(row);
                exit_of[sample] = e as u8;
            }
        }
        yield_now().await;
    }
    Ok(EarlyExitOutput { predicted, exit_of })
}

fn argmax(row: &[f32]) -> u16 {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best as u16
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "early_exit_tests.rs"]
mod tests;
