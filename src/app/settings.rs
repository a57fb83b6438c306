//! The user's settings: one struct, documented per field, whose `Default` is the single
//! source of truth for the URL, browser storage and exports (later issues read and write
//! it; the app shell only reads it).

use serde::{Deserialize, Serialize};

/// The dataset the app opens with (`id` in `data/datasets.json`).
pub const DEFAULT_DATASET: &str = "fashion-mnist";

/// Which compute backend the user asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendChoice {
    /// Try WebGPU first and fall back to the CPU when it is unavailable.
    #[default]
    Auto,
    /// Always use the CPU backend (burn's `flex`), even when WebGPU works.
    Cpu,
}

/// Everything the user can set. Serialised with `serde(default)`, so a partial or older
/// saved copy fills the missing fields from [`Settings::default`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dataset to show and train on: an `id` from `data/datasets.json`
    /// (`fashion-mnist` or `mnist`). Default: Fashion-MNIST.
    pub dataset: String,
    /// Compute backend: WebGPU when available (`auto`) or always the CPU (`cpu`).
    pub backend: BackendChoice,
    /// Number of optimiser steps the "smoke train" button runs. Default: 20.
    pub smoke_steps: usize,
    /// Seed for every random choice (weight initialisation, batch order). Default: 1.
    pub seed: u64,
    /// How many test images the sample grid shows (spread over the classes). Default: 30.
    pub samples_shown: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            dataset: DEFAULT_DATASET.to_owned(),
            backend: BackendChoice::Auto,
            smoke_steps: 20,
            seed: 1,
            samples_shown: 30,
        }
    }
}
