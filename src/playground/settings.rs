//! The user's settings: one struct, documented per field, whose `Default` is the single
//! source of truth for the URL, browser storage and exports (`link.rs` reads and writes
//! them in the URL, `transfer.rs` in exported files). The table of fields, their limits and
//! [`Settings::clamped`] are in `setting_fields.rs`.

use serde::{Deserialize, Serialize};

use crate::engine::exits::ExitRule;
use crate::engine::objectives::ObjectiveSet;
use crate::engine::results::{CostConvention, SearchSettings, SupernetSource};
use crate::engine::space::Method;
use crate::engine::surrogate::SurrogateKind;
use crate::engine::tuning::TuningRule;

/// The dataset the app opens with (`id` in `data/datasets.json`).
pub const DEFAULT_DATASET: &str = "fashion-mnist";

/// Which compute backend the user asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendChoice {
    /// The faster backend by measurement: the worker times a few training steps on each
    /// available backend once per browser (remembered in storage) and uses the faster.
    #[default]
    Auto,
    /// WebGPU whenever the browser offers an adapter (the CPU, with the reason, when not).
    #[serde(rename = "webgpu")]
    WebGpu,
    /// Always use the CPU backend (burn's `flex`), even when WebGPU works.
    Cpu,
}

impl BackendChoice {
    /// Every choice, in the order of the picker.
    pub const ALL: [BackendChoice; 3] = [
        BackendChoice::Auto,
        BackendChoice::WebGpu,
        BackendChoice::Cpu,
    ];

    /// The name in links, settings files and results (`auto`, `webgpu`, `cpu`).
    pub fn name(self) -> &'static str {
        match self {
            BackendChoice::Auto => "auto",
            BackendChoice::WebGpu => "webgpu",
            BackendChoice::Cpu => "cpu",
        }
    }

    /// The choice of a name.
    pub fn from_name(name: &str) -> Option<BackendChoice> {
        BackendChoice::ALL.into_iter().find(|c| c.name() == name)
    }

    /// What the picker calls it.
    pub fn label(self) -> &'static str {
        match self {
            BackendChoice::Auto => "Faster by measurement",
            BackendChoice::WebGpu => "WebGPU if available",
            BackendChoice::Cpu => "CPU only",
        }
    }
}

/// Everything the user can set. Serialised with `serde(default)`, so a partial or older
/// saved copy fills the missing fields from [`Settings::default`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dataset to show and train on: an `id` from `data/datasets.json`
    /// (`fashion-mnist` or `mnist`). Default: Fashion-MNIST.
    pub dataset: String,
    /// Compute backend: the faster by measurement (`auto`), WebGPU when available
    /// (`webgpu`) or always the CPU (`cpu`). The search worker picks its device by it.
    pub backend: BackendChoice,
    /// Number of optimiser steps the "smoke train" button runs (the input beside it; not
    /// in links). Default: 20.
    pub smoke_steps: usize,
    /// Seed for every random choice (genomes, weight initialisation, batch order, the
    /// validation split). Default: 1.
    pub seed: u64,
    /// How many test images the sample grid shows (spread over the classes). Default: 30.
    pub samples_shown: usize,
    /// Search method (AEBNAS or a baseline). Default: AEBNAS.
    pub method: Method,
    /// MAC target `T`: the average MACs per image the search aims at. Default: 1 M.
    pub mac_target: f64,
    /// Confidence rule of the exits. Default: the method's (margin; max softmax for SDN).
    pub exit_rule: ExitRule,
    /// Exit cost convention: cumulative (AEBNAS) or taken head only. Default: cumulative.
    pub cost_convention: CostConvention,
    /// How thresholds are tuned on the validation split (`None` = the method's default:
    /// AEBNAS's grid for AEBNAS and random, all cut points for the others).
    pub tuning: Option<TuningRule>,
    /// Predictor of the surrogate-assisted iterations (`None` = the method's default: the
    /// MLP for AEBNAS, RBF for the others).
    pub predictor: Option<SurrogateKind>,
    /// Random genomes trained first (design of experiments). Default: 8.
    pub n_doe: usize,
    /// Surrogate-assisted iterations after the DOE. Default: 3.
    pub iterations: usize,
    /// Candidates trained per iteration (`K`). Default: 8.
    pub per_iter: usize,
    /// Training epochs per candidate. Default: 1.
    pub epochs: usize,
    /// Candidates inherit the pre-trained supernet shipped for the dataset (recalibrated,
    /// new exit heads trained on the budget below). Off, or for a dataset of the user's
    /// own: a supernet trained first for `supernet_epochs`, or every candidate from
    /// scratch when that is 0. Default: on.
    pub shipped_supernet: bool,
    /// Epochs of weight-sharing supernet training before the search when the shipped one
    /// is not used (0 = every candidate trains from scratch). Default: 0.
    pub supernet_epochs: usize,
    /// Training images per epoch (a cap on the 9,000 available). Default: 2,048.
    pub train_samples: usize,
    /// Search workers evaluating candidates side by side (`pool_size.rs`): 0 = auto (one
    /// per core, as memory allows). Never changes a run's results. Default: 0.
    pub workers: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            dataset: DEFAULT_DATASET.to_owned(),
            backend: BackendChoice::Auto,
            smoke_steps: 20,
            seed: 1,
            samples_shown: 30,
            method: Method::Aebnas,
            mac_target: 1.0e6,
            exit_rule: ExitRule::Margin,
            cost_convention: CostConvention::Cumulative,
            tuning: None,
            predictor: None,
            n_doe: 8,
            iterations: 3,
            per_iter: 8,
            epochs: 1,
            shipped_supernet: true,
            supernet_epochs: 0,
            train_samples: 2048,
            workers: 0,
        }
    }
}

impl Settings {
    /// Where the candidates' backbones come from: the pre-trained supernet when it is on
    /// (and no supernet of the run's own is asked for) and the dataset has one — shipped,
    /// or `imported` for the selected user dataset.
    pub fn supernet_source_with(&self, imported: bool) -> SupernetSource {
        if !self.shipped_supernet || self.supernet_epochs > 0 {
            SupernetSource::Own
        } else if crate::data::Shipped::from_id(&self.dataset).is_some() {
            SupernetSource::Shipped
        } else if imported && super::user_data::is_user_id(&self.dataset) {
            SupernetSource::File(super::user_data::IMPORTED_SUPERNET.into())
        } else {
            SupernetSource::Own
        }
    }

    /// The engine's settings of a search with these settings (browser space; objectives
    /// as the CLI picks them: EDANAS's for the EDANAS method, else AEBNAS's). `backend`
    /// is filled in by the worker with the device it got.
    pub fn search_settings(&self) -> SearchSettings {
        self.search_settings_with(false)
    }

    /// [`Self::search_settings`] where the selected user dataset may have an imported
    /// supernet (`imported`).
    pub fn search_settings_with(&self, imported: bool) -> SearchSettings {
        SearchSettings {
            dataset: self.dataset.clone(),
            space: crate::engine::space::SpacePreset::Browser,
            method: self.method,
            mac_target: self.mac_target,
            exit_rule: self.exit_rule,
            cost_convention: self.cost_convention,
            tuning: self.tuning.unwrap_or(TuningRule::default_for(self.method)),
            predictor: self
                .predictor
                .unwrap_or(SurrogateKind::default_for(self.method)),
            objectives: ObjectiveSet::default_for(self.method),
            n_doe: self.n_doe,
            iterations: self.iterations,
            per_iter: self.per_iter,
            epochs: self.epochs,
            supernet_epochs: self.supernet_epochs,
            supernet: self.supernet_source_with(imported),
            train_samples: Some(self.train_samples),
            seed: self.seed,
            backend: self.backend.name().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_inside_the_limits_and_clamping_holds() {
        assert_eq!(Settings::default().clamped(), Settings::default());
        let wild = Settings {
            mac_target: 1e12,
            n_doe: 0,
            iterations: 1_000_000,
            epochs: 0,
            smoke_steps: 100_000,
            ..Settings::default()
        }
        .clamped();
        assert_eq!(
            (wild.mac_target, wild.n_doe, wild.iterations, wild.epochs),
            (1e9, 1, 30, 1)
        );
        assert_eq!(wild.smoke_steps, 200);
        let one = Settings {
            smoke_steps: 1,
            ..Settings::default()
        };
        assert_eq!(
            one.clamped().smoke_steps,
            2,
            "one loss cannot show a decrease"
        );
        let nan = Settings {
            mac_target: f64::NAN,
            ..Settings::default()
        }
        .clamped();
        assert_eq!(nan.mac_target, 1e6);
    }

    #[test]
    fn backend_choices_have_stable_names() {
        for c in BackendChoice::ALL {
            assert_eq!(BackendChoice::from_name(c.name()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.name()));
        }
        assert_eq!(BackendChoice::from_name("gpu"), None);
    }

    fn d_source(s: Settings) -> SupernetSource {
        s.search_settings().supernet
    }

    #[test]
    fn search_settings_follow_the_fields() {
        let s = Settings {
            method: Method::Edanas,
            n_doe: 3,
            ..Settings::default()
        }
        .search_settings();
        assert_eq!(
            (s.method, s.objectives, s.n_doe, s.space.name()),
            (Method::Edanas, ObjectiveSet::Edanas, 3, "browser")
        );
        assert_eq!(
            crate::engine::search::total_evaluations(&Settings::default().search_settings()),
            32
        );
        // The shipped supernet by default, for shipped datasets only, and not when the run
        // trains its own.
        assert_eq!(d_source(Settings::default()), SupernetSource::Shipped);
        let own = |f: fn(&mut Settings)| {
            let mut s = Settings::default();
            f(&mut s);
            d_source(s)
        };
        assert_eq!(own(|s| s.shipped_supernet = false), SupernetSource::Own);
        assert_eq!(own(|s| s.supernet_epochs = 2), SupernetSource::Own);
        assert_eq!(own(|s| s.dataset = "user-abc".into()), SupernetSource::Own);
        // A user dataset with an imported supernet inherits it unless the user asks for
        // their own.
        let user = Settings {
            dataset: "user-abc".into(),
            ..Settings::default()
        };
        assert_eq!(
            user.search_settings_with(true).supernet,
            SupernetSource::File(crate::playground::user_data::IMPORTED_SUPERNET.into())
        );
        let own_user = Settings {
            shipped_supernet: false,
            ..user.clone()
        };
        assert_eq!(own_user.supernet_source_with(true), SupernetSource::Own);
        assert_eq!(
            Settings::default().search_settings_with(true).supernet,
            SupernetSource::Shipped
        );
        // AEBNAS: the paper's grid and MLP unless the user picks others.
        let d = Settings::default().search_settings();
        assert_eq!(
            (d.tuning, d.predictor),
            (TuningRule::Grid, SurrogateKind::Mlp)
        );
        let picked = Settings {
            tuning: Some(TuningRule::MaxAccuracy),
            predictor: Some(SurrogateKind::Ridge),
            ..Settings::default()
        }
        .search_settings();
        assert_eq!(
            (picked.tuning, picked.predictor),
            (TuningRule::MaxAccuracy, SurrogateKind::Ridge)
        );
    }
}
