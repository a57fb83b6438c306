//! One table of the user's settings: each [`Field`] of [`Settings`] declared once with
//! its link key, its control (`data-setting`) and label, the `aebnas search` flag it
//! matches, its limits, and how its text is parsed and written. The link codec writes
//! and reads settings through it, the controls send `(Field, text)` edits through it,
//! [`Settings::clamped`] uses its limits, and a test checks every flag against the CLI.

use super::settings::{BackendChoice, Settings};
use crate::engine::exits::ExitRule;
use crate::engine::results::CostConvention;
use crate::engine::space::Method;
use crate::engine::surrogate::SurrogateKind;
use crate::engine::tuning::TuningRule;
use crate::engine::units::{format_macs, parse_macs};

/// A user setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// [`Settings::dataset`].
    Dataset,
    /// [`Settings::method`].
    Method,
    /// [`Settings::mac_target`].
    MacTarget,
    /// [`Settings::exit_rule`].
    ExitRule,
    /// [`Settings::cost_convention`].
    CostConvention,
    /// [`Settings::tuning`] (`default` = the method's).
    Tuning,
    /// [`Settings::predictor`] (`default` = the method's).
    Predictor,
    /// [`Settings::n_doe`].
    Doe,
    /// [`Settings::iterations`].
    Iterations,
    /// [`Settings::per_iter`].
    PerIter,
    /// [`Settings::epochs`].
    Epochs,
    /// [`Settings::supernet_epochs`].
    SupernetEpochs,
    /// [`Settings::shipped_supernet`] (`shipped` or `own`).
    Backbone,
    /// [`Settings::train_samples`].
    TrainSamples,
    /// [`Settings::seed`].
    Seed,
    /// [`Settings::backend`].
    Backend,
    /// [`Settings::workers`] (0 = auto).
    Workers,
    /// [`Settings::smoke_steps`] (not in links).
    SmokeSteps,
}

/// What the table says of a field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// Link key (`None`: not in links).
    pub key: Option<&'static str>,
    /// The control's `data-setting` name.
    pub control: &'static str,
    /// The control's label.
    pub label: &'static str,
    /// The matching `aebnas search` flag (`None`: the page's only).
    pub flag: Option<&'static str>,
    /// Inclusive limits of a number (`None`: a choice or free text).
    pub limits: Option<(f64, f64)>,
}

const fn spec(
    key: Option<&'static str>,
    control: &'static str,
    label: &'static str,
    flag: Option<&'static str>,
    limits: Option<(f64, f64)>,
) -> Spec {
    Spec {
        key,
        control,
        label,
        flag,
        limits,
    }
}

/// A number's limits as the table holds them.
const fn n((lo, hi): (usize, usize)) -> Option<(f64, f64)> {
    Some((lo as f64, hi as f64))
}

/// The table, one row per field in [`Field::ALL`] (declaration) order: link key, control,
/// label, `aebnas search` flag, limits.
#[rustfmt::skip]
const SPECS: [Spec; 18] = [
    spec(Some("data"), "dataset", "Dataset", Some("--dataset"), None),
    spec(Some("method"), "method", "Method", Some("--method"), None),
    spec(Some("target"), "mac-target", "MAC target", Some("--mac-target"), Some(Limits::MAC_TARGET)),
    spec(Some("rule"), "exit-rule", "Exit rule", Some("--rule"), None),
    spec(Some("cost"), "cost-convention", "Exit cost", Some("--convention"), None),
    spec(Some("tuning"), "tuning", "Tuning", Some("--tuning"), None),
    spec(Some("predictor"), "predictor", "Predictor", Some("--predictor"), None),
    spec(Some("doe"), "doe", "Initial sample", Some("--doe"), n(Limits::DOE)),
    spec(Some("iters"), "iterations", "Iterations", Some("--iterations"), n(Limits::ITERATIONS)),
    spec(Some("k"), "per-iter", "Per iteration", Some("--per-iter"), n(Limits::PER_ITER)),
    spec(Some("epochs"), "epochs", "Epochs", Some("--epochs"), n(Limits::EPOCHS)),
    spec(Some("supernet"), "supernet-epochs", "Supernet epochs", Some("--supernet-epochs"), n(Limits::SUPERNET_EPOCHS)),
    spec(Some("backbone"), "backbone", "Backbone", Some("--supernet"), None),
    spec(Some("train"), "train-samples", "Images per epoch", Some("--train-samples"), n(Limits::TRAIN_SAMPLES)),
    spec(Some("seed"), "seed", "Seed", Some("--seed"), n(Limits::SEED)),
    spec(Some("backend"), "backend", "Backend", Some("--backend"), None),
    spec(Some("workers"), "workers", "Search workers", Some("--jobs"), n(Limits::WORKERS)),
    spec(None, "smoke-steps", "Smoke-training steps", None, n(Limits::SMOKE_STEPS)),
];

/// A control's or link's text that does not fit its field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a valid {label}")]
pub struct FieldError {
    /// The field's label.
    pub label: &'static str,
    /// The text (shortened).
    pub text: String,
}

impl Field {
    /// Every field, in link order.
    pub const ALL: [Field; 18] = [
        Field::Dataset,
        Field::Method,
        Field::MacTarget,
        Field::ExitRule,
        Field::CostConvention,
        Field::Tuning,
        Field::Predictor,
        Field::Doe,
        Field::Iterations,
        Field::PerIter,
        Field::Epochs,
        Field::SupernetEpochs,
        Field::Backbone,
        Field::TrainSamples,
        Field::Seed,
        Field::Backend,
        Field::Workers,
        Field::SmokeSteps,
    ];

    /// The table row.
    pub fn spec(self) -> Spec {
        SPECS[self as usize]
    }

    /// The field's value as text (the link's and the control's form).
    pub fn format(self, s: &Settings) -> String {
        use Field as F;
        match self {
            F::Dataset => s.dataset.clone(),
            F::Method => s.method.name().into(),
            F::MacTarget => format_macs(s.mac_target),
            F::ExitRule => s.exit_rule.name().into(),
            F::CostConvention => s.cost_convention.name().into(),
            F::Tuning => s.tuning.map_or("default", TuningRule::name).into(),
            F::Predictor => s.predictor.map_or("default", SurrogateKind::name).into(),
            F::Doe => s.n_doe.to_string(),
            F::Iterations => s.iterations.to_string(),
            F::PerIter => s.per_iter.to_string(),
            F::Epochs => s.epochs.to_string(),
            F::SupernetEpochs => s.supernet_epochs.to_string(),
            F::Backbone => (if s.shipped_supernet { "shipped" } else { "own" }).into(),
            F::TrainSamples => s.train_samples.to_string(),
            F::Seed => s.seed.to_string(),
            F::Backend => s.backend.name().into(),
            F::Workers => s.workers.to_string(),
            F::SmokeSteps => s.smoke_steps.to_string(),
        }
    }

    /// Sets the field from `text` (numbers are not clamped here: [`Settings::clamped`]
    /// does that). A new method also takes its own exit rule.
    pub fn set(self, s: &mut Settings, text: &str) -> Result<(), FieldError> {
        use Field as F;
        let text = text.trim();
        let bad = || FieldError {
            label: self.spec().label,
            text: text.chars().take(40).collect(),
        };
        let int = |t: &str| t.parse::<usize>().map_err(|_| bad());
        match self {
            F::Dataset if !text.is_empty() => s.dataset = text.to_owned(),
            F::Dataset => return Err(bad()),
            F::Method => {
                s.method = text.parse::<Method>().map_err(|_| bad())?;
                s.exit_rule = s.method.default_exit_rule();
            }
            F::MacTarget => s.mac_target = parse_macs(text).map_err(|_| bad())?,
            F::ExitRule => s.exit_rule = text.parse::<ExitRule>().map_err(|_| bad())?,
            F::CostConvention => {
                s.cost_convention = text.parse::<CostConvention>().map_err(|_| bad())?
            }
            F::Tuning => s.tuning = optional(text, bad)?,
            F::Predictor => s.predictor = optional(text, bad)?,
            F::Doe => s.n_doe = int(text)?,
            F::Iterations => s.iterations = int(text)?,
            F::PerIter => s.per_iter = int(text)?,
            F::Epochs => s.epochs = int(text)?,
            F::SupernetEpochs => s.supernet_epochs = int(text)?,
            F::Backbone => {
                s.shipped_supernet = match text {
                    "shipped" => true,
                    "own" => false,
                    _ => return Err(bad()),
                }
            }
            F::TrainSamples => s.train_samples = int(text)?,
            F::Seed => s.seed = text.parse::<u64>().map_err(|_| bad())?,
            F::Backend => s.backend = BackendChoice::from_name(text).ok_or_else(bad)?,
            F::Workers => s.workers = int(text)?,
            F::SmokeSteps => s.smoke_steps = int(text)?,
        }
        Ok(())
    }
}

impl Settings {
    /// A copy with every numeric field inside its limits in the table
    /// ([`Field::spec`]); a non-finite MAC target is reset to the default.
    pub fn clamped(mut self) -> Self {
        for f in Field::ALL {
            f.clamp(&mut self);
        }
        self
    }
}

impl Field {
    /// Brings a numeric field inside its limits (a non-finite MAC target: the default).
    pub fn clamp(self, s: &mut Settings) {
        let Some((lo, hi)) = self.spec().limits else {
            return;
        };
        let c = |v: usize| v.clamp(lo as usize, hi as usize);
        match self {
            Field::MacTarget if s.mac_target.is_finite() => {
                s.mac_target = s.mac_target.clamp(lo, hi)
            }
            Field::MacTarget => s.mac_target = Settings::default().mac_target,
            Field::Doe => s.n_doe = c(s.n_doe),
            Field::Iterations => s.iterations = c(s.iterations),
            Field::PerIter => s.per_iter = c(s.per_iter),
            Field::Epochs => s.epochs = c(s.epochs),
            Field::SupernetEpochs => s.supernet_epochs = c(s.supernet_epochs),
            Field::TrainSamples => s.train_samples = c(s.train_samples),
            Field::Seed => s.seed = s.seed.min(hi as u64),
            Field::Workers => s.workers = c(s.workers),
            Field::SmokeSteps => s.smoke_steps = c(s.smoke_steps),
            _ => {}
        }
    }
}

/// The README's settings table (between `<!-- settings-table -->` markers; a test checks
/// that the README holds exactly this).
pub fn markdown_table() -> String {
    let d = Settings::default();
    let mut out = String::from(
        "| setting | link key | control (`data-setting`) | `aebnas search` flag | limits | default |\n\
         |---|---|---|---|---|---|\n",
    );
    for f in Field::ALL {
        let spec = f.spec();
        let code = |t: Option<&str>| t.map_or("–".to_owned(), |t| format!("`{t}`"));
        let limits = match (f, spec.limits) {
            (Field::MacTarget, Some((lo, hi))) => {
                format!("{} – {}", format_macs(lo), format_macs(hi))
            }
            (_, Some((lo, hi))) => format!("{lo} – {hi}"),
            (_, None) => "–".into(),
        };
        out.push_str(&format!(
            "| {} | {} | `{}` | {} | {} | `{}` |\n",
            spec.label,
            code(spec.key),
            spec.control,
            code(spec.flag),
            limits,
            f.format(&d)
        ));
    }
    out
}

/// `default` (the method's) or a named value.
fn optional<T: std::str::FromStr>(
    text: &str,
    bad: impl Fn() -> FieldError,
) -> Result<Option<T>, FieldError> {
    match text {
        "default" => Ok(None),
        t => t.parse::<T>().map(Some).map_err(|_| bad()),
    }
}

/// The range every numeric setting allows (inclusive), as the controls enforce them.
pub struct Limits;

impl Limits {
    /// MAC target.
    pub const MAC_TARGET: (f64, f64) = (1.0e4, 1.0e9);
    /// Initial random sample.
    pub const DOE: (usize, usize) = (1, 64);
    /// Iterations.
    pub const ITERATIONS: (usize, usize) = (0, 30);
    /// Candidates per iteration.
    pub const PER_ITER: (usize, usize) = (1, 16);
    /// Epochs per candidate.
    pub const EPOCHS: (usize, usize) = (1, 20);
    /// Supernet epochs.
    pub const SUPERNET_EPOCHS: (usize, usize) = (0, 20);
    /// Training images per epoch.
    pub const TRAIN_SAMPLES: (usize, usize) = (64, 60_000);
    /// Seed.
    pub const SEED: (usize, usize) = (0, 999_999);
    /// Smoke-training steps.
    pub const SMOKE_STEPS: (usize, usize) = (2, 200);
    /// Search workers (0 = auto).
    pub const WORKERS: (usize, usize) = (0, crate::playground::pool_size::MAX_WORKERS);
}

#[cfg(test)]
#[path = "setting_fields_tests.rs"]
mod tests;
