//! [`Method`]: which genes a search method varies, which exit head and rule it uses.

use crate::engine::exits::ExitRule;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A search method: which genes it varies and which exit head it uses (docs/method.md,
/// § Baselines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Full space incl. exit-branch genes; margin rule; objectives `f1 = err + 0.1·MAPE`, `f2 = MAPE`.
    Aebnas,
    /// Backbone + threshold genes, fixed EDANAS-like head; margin rule.
    Edanas,
    /// Backbone + exit-placement bits (threshold gene on/off), fixed NACHOS-like head; margin rule.
    Nachos,
    /// Backbone only; exits after every stage, fixed pool + linear head; max-softmax rule.
    Sdn,
    /// Random search over the same genes as AEBNAS.
    Random,
}

impl Method {
    /// All methods, in display order.
    pub const ALL: [Method; 5] = [
        Method::Aebnas,
        Method::Edanas,
        Method::Nachos,
        Method::Sdn,
        Method::Random,
    ];

    /// Lower-case name (`"aebnas"`, …), as in serde and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Aebnas => "aebnas",
            Method::Edanas => "edanas",
            Method::Nachos => "nachos",
            Method::Sdn => "sdn",
            Method::Random => "random",
        }
    }

    /// Display name: `AEBNAS`, `EDANAS-like`, `NACHOS-like`, `SDN-like`, `random search`
    /// (the baselines are re-implementations in this search space, not the papers' code).
    pub fn label(self) -> &'static str {
        match self {
            Method::Aebnas => "AEBNAS",
            Method::Edanas => "EDANAS-like",
            Method::Nachos => "NACHOS-like",
            Method::Sdn => "SDN-like",
            Method::Random => "random search",
        }
    }

    /// Whether the exit-branch genes (module kind, resize, kernel, width, pool, second
    /// module) are searched; otherwise the method's fixed head is used.
    pub fn searches_branches(self) -> bool {
        matches!(self, Method::Aebnas | Method::Random)
    }

    /// Whether exits can be switched on and off (all but SDN, whose exits are all on).
    pub fn searches_placement(self) -> bool {
        !matches!(self, Method::Sdn)
    }

    /// The method's default confidence rule: margin for AEBNAS, EDANAS, NACHOS and random
    /// search; max-softmax for SDN.
    pub fn default_exit_rule(self) -> ExitRule {
        match self {
            Method::Sdn => ExitRule::MaxSoftmax,
            _ => ExitRule::Margin,
        }
    }

    /// Name of the method's default confidence rule (`exits::ExitRule`):
    /// `"margin"` for AEBNAS, EDANAS, NACHOS, random; `"max_softmax"` for SDN.
    pub fn default_exit_rule_name(self) -> &'static str {
        match self {
            Method::Sdn => "max_softmax",
            _ => "margin",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Method::ALL
            .iter()
            .copied()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown method '{s}' (expected aebnas, edanas, nachos, sdn or random)")
            })
    }
}
