//! The search-space presets by name ([`SpacePreset`]): what a run's settings, a job file
//! and the worker's messages record, serialised as `"browser"` or `"paper"`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A search-space preset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpacePreset {
    /// [`SearchSpace::browser`](super::SearchSpace::browser): small, trainable in a tab.
    #[default]
    Browser,
    /// [`SearchSpace::paper`](super::SearchSpace::paper): AEBNAS's OFA-MobileNetV3 space.
    Paper,
}

/// A search-space preset name that is not one of the presets.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown search space '{0}' (expected browser or paper)")]
pub struct UnknownSpace(pub String);

impl SpacePreset {
    /// The name, as serialised and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SpacePreset::Browser => "browser",
            SpacePreset::Paper => "paper",
        }
    }
}

impl fmt::Display for SpacePreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SpacePreset {
    type Err = UnknownSpace;

    fn from_str(s: &str) -> Result<Self, UnknownSpace> {
        match s {
            "browser" => Ok(SpacePreset::Browser),
            "paper" => Ok(SpacePreset::Paper),
            other => Err(UnknownSpace(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_round_trip_as_their_names() {
        for p in [SpacePreset::Browser, SpacePreset::Paper] {
            assert_eq!(p.name().parse::<SpacePreset>(), Ok(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.name())
            );
        }
        let e = "tiny".parse::<SpacePreset>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown search space 'tiny' (expected browser or paper)"
        );
    }
}
