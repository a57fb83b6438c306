//! [`ExitCache`]: per-sample, per-exit outputs of one trained network — every confidence
//! rule's value and the prediction at each exit, exit-major (`index = exit · N + sample`),
//! confidences as plain `f32`. Validated on construction and on deserialisation. See
//! docs/method.md, § Exit caches and threshold tuning.

use super::{confidence, ExitRule, MAX_EXITS};
use serde::{Deserialize, Serialize};

/// Why an [`ExitCache`] could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExitCacheError {
    /// No exit at all (the final exit is always required).
    #[error("an exit cache needs at least one exit (the final one)")]
    NoExits,
    /// More exits than [`MAX_EXITS`].
    #[error("{0} exits exceed the maximum of {MAX_EXITS}")]
    TooManyExits(usize),
    /// `num_classes` is 0 or does not fit a `u16` label.
    #[error("invalid number of classes {0}")]
    BadClassCount(usize),
    /// An array has the wrong length.
    #[error("`{what}` has length {got}, expected {expected}")]
    Length {
        /// Which array.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The length it should have.
        expected: usize,
    },
    /// A label or prediction is not a class index.
    #[error("`{what}` holds class {value}, but there are {num_classes} classes")]
    BadClass {
        /// Which array.
        what: &'static str,
        /// The offending value.
        value: u16,
        /// Number of classes.
        num_classes: usize,
    },
    /// A confidence is NaN or outside `[0, 1]`.
    #[error("confidence {0} is not in [0, 1]")]
    BadConfidence(f32),
}

/// Cached per-sample, per-exit outputs of one trained network on one split.
///
/// Exits are the network's *enabled* early exits in order, then the final classifier as
/// the last one (`num_exits = E`). Arrays indexed by exit are exit-major: the value of
/// exit `e`, sample `s` is at `e · num_samples + s`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawExitCache")]
pub struct ExitCache {
    /// Number of samples `N`.
    pub num_samples: usize,
    /// Number of exits `E` (enabled early exits + final).
    pub num_exits: usize,
    /// Number of classes `K`.
    pub num_classes: usize,
    /// Score-margin confidences, `E · N`, exit-major.
    pub margin: Vec<f32>,
    /// Max-softmax confidences, `E · N`, exit-major.
    pub max_softmax: Vec<f32>,
    /// Normalised-entropy confidences, `E · N`, exit-major.
    pub entropy: Vec<f32>,
    /// Predicted class (argmax, first on ties), `E · N`, exit-major.
    pub predicted: Vec<u16>,
    /// True class per sample, `N`.
    pub labels: Vec<u16>,
}

/// Unvalidated mirror of [`ExitCache`] used by deserialisation.
#[derive(Deserialize)]
struct RawExitCache {
    num_samples: usize,
    num_exits: usize,
    num_classes: usize,
    margin: Vec<f32>,
    max_softmax: Vec<f32>,
    entropy: Vec<f32>,
    predicted: Vec<u16>,
    labels: Vec<u16>,
}

impl TryFrom<RawExitCache> for ExitCache {
    type Error = ExitCacheError;
    fn try_from(r: RawExitCache) -> Result<Self, Self::Error> {
        let c = ExitCache {
            num_samples: r.num_samples,
            num_exits: r.num_exits,
            num_classes: r.num_classes,
            margin: r.margin,
            max_softmax: r.max_softmax,
            entropy: r.entropy,
            predicted: r.predicted,
            labels: r.labels,
        };
        c.validate()?;
        Ok(c)
    }
}

impl ExitCache {
    /// Builds the cache from softmax outputs: `probs_per_exit[e]` is the `N · K` row-major
    /// softmax of exit `e` (final exit last), `labels` the `N` true classes.
    pub fn from_probs(
        probs_per_exit: &[Vec<f32>],
        labels: &[u16],
        num_classes: usize,
    ) -> Result<Self, ExitCacheError> {
        let e = probs_per_exit.len();
        let n = labels.len();
        check_shape(e, num_classes)?;
        let mut cache = ExitCache {
            num_samples: n,
            num_exits: e,
            num_classes,
            margin: Vec::with_capacity(e * n),
            max_softmax: Vec::with_capacity(e * n),
            entropy: Vec::with_capacity(e * n),
            predicted: Vec::with_capacity(e * n),
            labels: labels.to_vec(),
        };
        for probs in probs_per_exit {
            if probs.len() != n * num_classes {
                return Err(ExitCacheError::Length {
                    what: "probs_per_exit[e]",
                    got: probs.len(),
                    expected: n * num_classes,
                });
            }
            for row in probs.chunks_exact(num_classes) {
                cache.margin.push(confidence(ExitRule::Margin, row));
                cache
                    .max_softmax
                    .push(confidence(ExitRule::MaxSoftmax, row));
                cache.entropy.push(confidence(ExitRule::Entropy, row));
                cache.predicted.push(argmax(row) as u16);
            }
        }
        cache.validate()?;
        Ok(cache)
    }

    /// Builds the cache from precomputed parts (each confidence array and `predicted`
    /// exit-major `E · N`), validating every length and value.
    pub fn from_parts(
        num_exits: usize,
        num_classes: usize,
        margin: Vec<f32>,
        max_softmax: Vec<f32>,
        entropy: Vec<f32>,
        predicted: Vec<u16>,
        labels: Vec<u16>,
    ) -> Result<Self, ExitCacheError> {
        let c = ExitCache {
            num_samples: labels.len(),
            num_exits,
            num_classes,
            margin,
            max_softmax,
            entropy,
            predicted,
            labels,
        };
        c.validate()?;
        Ok(c)
    }

    /// Checks every invariant (lengths, class indices, confidences in `[0, 1]`).
    pub fn validate(&self) -> Result<(), ExitCacheError> {
        check_shape(self.num_exits, self.num_classes)?;
        let en = self.num_exits * self.num_samples;
        let len = |what, got: usize, expected| {
            if got == expected {
                Ok(())
            } else {
                Err(ExitCacheError::Length {
                    what,
                    got,
                    expected,
                })
            }
        };
        len("labels", self.labels.len(), self.num_samples)?;
        len("margin", self.margin.len(), en)?;
        len("max_softmax", self.max_softmax.len(), en)?;
        len("entropy", self.entropy.len(), en)?;
        len("predicted", self.predicted.len(), en)?;
        for (what, v) in [("labels", &self.labels), ("predicted", &self.predicted)] {
            if let Some(&bad) = v.iter().find(|&&c| c as usize >= self.num_classes) {
                return Err(ExitCacheError::BadClass {
                    what,
                    value: bad,
                    num_classes: self.num_classes,
                });
            }
        }
        for rule in ExitRule::ALL {
            if let Some(&bad) = self
                .confidences(rule)
                .iter()
                .find(|c| !(0.0..=1.0).contains(*c))
            {
                return Err(ExitCacheError::BadConfidence(bad));
            }
        }
        Ok(())
    }

    /// All confidences under `rule`, exit-major `E · N`.
    pub fn confidences(&self, rule: ExitRule) -> &[f32] {
        match rule {
            ExitRule::Margin => &self.margin,
            ExitRule::MaxSoftmax => &self.max_softmax,
            ExitRule::Entropy => &self.entropy,
        }
    }

    /// Confidence of sample `s` at exit `e` under `rule` (0 when out of range).
    pub fn confidence(&self, rule: ExitRule, e: usize, s: usize) -> f32 {
        self.index(e, s).map_or(0.0, |i| self.confidences(rule)[i])
    }

    /// Whether exit `e` classifies sample `s` correctly (false when out of range).
    pub fn correct(&self, e: usize, s: usize) -> bool {
        self.index(e, s)
            .is_some_and(|i| self.predicted[i] == self.labels[s])
    }

    /// Accuracy (0–1) of exit `e` if every sample left there (0 when empty).
    pub fn exit_accuracy_alone(&self, e: usize) -> f64 {
        if self.num_samples == 0 {
            return 0.0;
        }
        let c = (0..self.num_samples)
            .filter(|&s| self.correct(e, s))
            .count();
        c as f64 / self.num_samples as f64
    }

    fn index(&self, e: usize, s: usize) -> Option<usize> {
        (e < self.num_exits && s < self.num_samples).then(|| e * self.num_samples + s)
    }
}

fn check_shape(num_exits: usize, num_classes: usize) -> Result<(), ExitCacheError> {
    if num_exits == 0 {
        return Err(ExitCacheError::NoExits);
    }
    if num_exits > MAX_EXITS {
        return Err(ExitCacheError::TooManyExits(num_exits));
    }
    if num_classes == 0 || num_classes > u16::MAX as usize + 1 {
        return Err(ExitCacheError::BadClassCount(num_classes));
    }
    Ok(())
}

/// Index of the largest finite entry (first on ties; 0 for an empty/all-NaN row).
fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    let mut best_v = f32::NEG_INFINITY;
    for (i, &p) in row.iter().enumerate() {
        if p.is_finite() && p > best_v {
            best = i;
            best_v = p;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn cache_from_probs_is_exit_major() {
        // 2 exits, 2 samples, 2 classes.
        let exit0 = vec![0.9, 0.1, 0.6, 0.4];
        let exit1 = vec![0.2, 0.8, 0.3, 0.7];
        let c = ExitCache::from_probs(&[exit0, exit1], &[0, 1], 2).unwrap();
        assert_eq!((c.num_exits, c.num_samples), (2, 2));
        assert_eq!(c.predicted, vec![0, 0, 1, 1]);
        assert!(close(c.margin[0], 0.8) && close(c.margin[1], 0.2));
        assert!(close(c.max_softmax[2], 0.8) && close(c.max_softmax[3], 0.7));
        assert!(c.correct(0, 0) && !c.correct(0, 1) && !c.correct(1, 0) && c.correct(1, 1));
        assert!(!c.correct(2, 0) && !c.correct(0, 5));
        assert_eq!(c.exit_accuracy_alone(0), 0.5);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<ExitCache>(&json).unwrap(), c);
    }

    #[test]
    fn bad_caches_are_errors() {
        assert_eq!(
            ExitCache::from_probs(&[], &[0], 2),
            Err(ExitCacheError::NoExits)
        );
        assert!(ExitCache::from_probs(&[vec![0.5; 3]], &[0, 1], 2).is_err());
        assert!(ExitCache::from_probs(&[vec![0.5; 4]], &[0, 2], 2).is_err());
        assert!(ExitCache::from_probs(&[vec![0.5; 4]], &[0, 1], 0).is_err());
        let many = vec![vec![1.0]; MAX_EXITS + 1];
        assert!(ExitCache::from_probs(&many, &[0], 1).is_err());
        let bad = r#"{"num_samples":1,"num_exits":1,"num_classes":2,"margin":[2.0],
            "max_softmax":[0.5],"entropy":[0.0],"predicted":[0],"labels":[0]}"#;
        assert!(serde_json::from_str::<ExitCache>(bad).is_err());
        // Empty sample set is valid.
        let empty = ExitCache::from_probs(&[vec![]], &[], 3).unwrap();
        assert_eq!(empty.num_samples, 0);
    }
}
