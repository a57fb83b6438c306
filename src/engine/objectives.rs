//! Search objectives, all minimised (docs/method.md, § Objectives).
//!
//! - `MAPE = 100 · |avgMACs − T| / T` for a MAC target `T`;
//! - **AEBNAS**: `f1 = err% + 0.1 · MAPE`, `f2 = MAPE`;
//! - **EDANAS**: `f1 = err%`, `f2 = avgMACs`.
//!
//! `err% = 100 · (1 − accuracy)`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// AEBNAS's weight of MAPE in `f1`.
pub const AEBNAS_MAPE_WEIGHT: f64 = 0.1;

/// `100 · |avg − target| / target`; `f64::INFINITY` when `target` is not a positive
/// finite number or `avg` is not finite.
pub fn mape(avg_macs: f64, target: f64) -> f64 {
    if !(target.is_finite() && target > 0.0 && avg_macs.is_finite()) {
        return f64::INFINITY;
    }
    100.0 * (avg_macs - target).abs() / target
}

/// Which pair of objectives a search minimises. Serialised `"aebnas"` / `"edanas"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveSet {
    /// `(err% + 0.1·MAPE, MAPE)`.
    #[default]
    Aebnas,
    /// `(err%, avgMACs)`.
    Edanas,
}

impl ObjectiveSet {
    /// Both sets.
    pub const ALL: [ObjectiveSet; 2] = [ObjectiveSet::Aebnas, ObjectiveSet::Edanas];

    /// The default of `method`: EDANAS's pair for EDANAS, AEBNAS's for every other method.
    pub fn default_for(method: crate::engine::space::Method) -> Self {
        match method {
            crate::engine::space::Method::Edanas => ObjectiveSet::Edanas,
            _ => ObjectiveSet::Aebnas,
        }
    }

    /// The serialised name.
    pub fn name(self) -> &'static str {
        match self {
            ObjectiveSet::Aebnas => "aebnas",
            ObjectiveSet::Edanas => "edanas",
        }
    }

    /// Axis labels of `(f1, f2)`.
    pub fn labels(self) -> [&'static str; 2] {
        match self {
            ObjectiveSet::Aebnas => ["err% + 0.1·MAPE", "MAPE (%)"],
            ObjectiveSet::Edanas => ["err%", "avg MACs"],
        }
    }

    /// `(f1, f2)` for an `accuracy` in `[0, 1]`, `avg_macs` and MAC target. Non-finite
    /// inputs give `f64::INFINITY` entries (worst), never NaN.
    pub fn evaluate(self, accuracy: f64, avg_macs: f64, target: f64) -> [f64; 2] {
        let err = if accuracy.is_finite() {
            100.0 * (1.0 - accuracy)
        } else {
            f64::INFINITY
        };
        let f = match self {
            ObjectiveSet::Aebnas => {
                let m = mape(avg_macs, target);
                [err + AEBNAS_MAPE_WEIGHT * m, m]
            }
            ObjectiveSet::Edanas => [err, avg_macs],
        };
        f.map(|v| if v.is_nan() { f64::INFINITY } else { v })
    }
}

impl fmt::Display for ObjectiveSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error parsing an [`ObjectiveSet`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown objective set `{0}` (expected aebnas or edanas)")]
pub struct ParseObjectiveSetError(pub String);

impl FromStr for ObjectiveSet {
    type Err = ParseObjectiveSetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "aebnas" => Ok(ObjectiveSet::Aebnas),
            "edanas" => Ok(ObjectiveSet::Edanas),
            _ => Err(ParseObjectiveSetError(s.to_string())),
        }
    }
}

/// MAC-count parsing (`2M`, `500k`, `1.5M`) and formatting live with the search loop.
pub use super::units::{format_macs, parse_macs, ParseMacsError};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_objectives() {
        assert_eq!(mape(1.5e6, 2e6), 25.0);
        assert_eq!(mape(2.5e6, 2e6), 25.0);
        assert_eq!(mape(2e6, 2e6), 0.0);
        assert_eq!(mape(1.0, 0.0), f64::INFINITY);
        // acc .9 → err 10; MAPE 25 → f1 = 10 + 2.5.
        let [f1, f2] = ObjectiveSet::Aebnas.evaluate(0.9, 1.5e6, 2e6);
        assert!((f1 - 12.5).abs() < 1e-9 && (f2 - 25.0).abs() < 1e-12);
        let [e1, e2] = ObjectiveSet::Edanas.evaluate(0.9, 1.5e6, 2e6);
        assert!((e1 - 10.0).abs() < 1e-9 && e2 == 1.5e6);
        let bad = ObjectiveSet::Aebnas.evaluate(f64::NAN, f64::NAN, 1.0);
        assert!(bad.iter().all(|v| *v == f64::INFINITY));
    }

    #[test]
    fn names_round_trip() {
        for o in ObjectiveSet::ALL {
            assert_eq!(o.to_string().parse::<ObjectiveSet>().unwrap(), o);
            let j = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<ObjectiveSet>(&j).unwrap(), o);
        }
        assert!("x".parse::<ObjectiveSet>().is_err());
    }
}
