//! Seeded, class-stratified train/validation splits.
//!
//! Within each class the indices are shuffled with a seeded [`Rng`] stream of their own
//! and the first `round(count · fraction)` go to validation, so every class keeps its
//! proportion, and the same seed gives the same split on every platform.

use super::{DataError, Dataset};
use crate::engine::rng::Rng;

/// Indices of a split; both lists are sorted ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Indices kept for training.
    pub train: Vec<usize>,
    /// Indices held out for validation.
    pub val: Vec<usize>,
}

/// Splits `labels` so that `round(N · val_fraction)` examples (fraction clamped to
/// `[0, 1]`) are held out, about `val_fraction` of each class (largest remainders get the
/// leftovers, lower class first); with `val_fraction < 1` every class keeps at least one
/// training example.
pub fn stratified_split(labels: &[u16], val_fraction: f64, seed: u64) -> Split {
    let fraction = if val_fraction.is_finite() {
        val_fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let classes = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l as usize].push(i);
    }
    // Largest-remainder allocation: the total held out is round(N · fraction), each class
    // gets floor(n_c · fraction) plus at most one more, and (for fraction < 1) keeps at
    // least one training example.
    let total = (labels.len() as f64 * fraction).round() as usize;
    let sizes: Vec<usize> = by_class.iter().map(|v| v.len()).collect();
    let cap = |n: usize| {
        if fraction < 1.0 {
            n.saturating_sub(1)
        } else {
            n
        }
    };
    let mut take: Vec<usize> = sizes
        .iter()
        .map(|&n| ((n as f64 * fraction).floor() as usize).min(cap(n)))
        .collect();
    let mut order: Vec<usize> = (0..classes).collect();
    let rem = |c: usize| sizes[c] as f64 * fraction - (sizes[c] as f64 * fraction).floor();
    order.sort_by(|&a, &b| rem(b).total_cmp(&rem(a)).then(a.cmp(&b)));
    let mut given: usize = take.iter().sum();
    for c in order {
        if given >= total {
            break;
        }
        if take[c] < cap(sizes[c]) && rem(c) > 0.0 {
            take[c] += 1;
            given += 1;
        }
    }
    let (mut train, mut val) = (Vec::new(), Vec::new());
    for (class, mut idx) in by_class.into_iter().enumerate() {
        let mut rng = Rng::derive(seed, class as u64);
        rng.shuffle(&mut idx);
        let k = take[class].min(idx.len());
        val.extend_from_slice(&idx[..k]);
        train.extend_from_slice(&idx[k..]);
    }
    train.sort_unstable();
    val.sort_unstable();
    Split { train, val }
}

/// Validation images held out of a training set for threshold tuning and every choice of
/// the search: this many (10 % of the shipped 10,000-image subsets), at most a fifth of a
/// small set, at least one. The page's worker and the CLI hold out the same.
pub const VAL_IMAGES: usize = 1000;

/// The fraction of a training set of `n` images that [`VAL_IMAGES`] holds out.
pub fn validation_fraction(n: usize) -> f64 {
    VAL_IMAGES.min(n / 5).max(1) as f64 / n.max(1) as f64
}

impl Dataset {
    /// Splits into `(train, validation)` with the validation size every run uses
    /// ([`validation_fraction`]).
    pub fn split_validation(&self, seed: u64) -> Result<(Dataset, Dataset), DataError> {
        self.split(validation_fraction(self.len()), seed)
    }

    /// Splits into `(train, validation)` datasets with [`stratified_split`].
    pub fn split(&self, val_fraction: f64, seed: u64) -> Result<(Dataset, Dataset), DataError> {
        let s = stratified_split(&self.labels, val_fraction, seed);
        let mut train = self.subset(&s.train)?;
        let mut val = self.subset(&s.val)?;
        train.name = format!("{} (train split)", self.name);
        val.name = format!("{} (validation split)", self.name);
        Ok((train, val))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validation_size_is_1000_images_or_a_fifth_of_a_small_set() {
        assert_eq!(validation_fraction(10_000), 0.1);
        assert_eq!(validation_fraction(50_000), 0.02);
        assert_eq!(validation_fraction(100), 0.2);
        assert_eq!(validation_fraction(3), 1.0 / 3.0);
    }

    #[test]
    fn stratified_and_seeded() {
        let labels: Vec<u16> = (0..1000).map(|i| (i % 10) as u16).collect();
        let a = stratified_split(&labels, 0.2, 7);
        assert_eq!(a, stratified_split(&labels, 0.2, 7));
        assert_ne!(a, stratified_split(&labels, 0.2, 8));
        assert_eq!((a.train.len(), a.val.len()), (800, 200));
        for c in 0..10u16 {
            assert_eq!(a.val.iter().filter(|&&i| labels[i] == c).count(), 20);
        }
        let mut all: Vec<usize> = a.train.iter().chain(&a.val).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn edge_cases() {
        assert_eq!(stratified_split(&[], 0.5, 1).train.len(), 0);
        let s = stratified_split(&[0, 0, 1], 0.01, 1);
        assert_eq!((s.train.len(), s.val.len()), (3, 0));
        let s = stratified_split(&[0, 0, 1, 1, 2, 2, 2, 2, 3, 4], 0.2, 1);
        assert_eq!((s.train.len(), s.val.len()), (8, 2));
        assert_eq!(stratified_split(&[0, 1], f64::NAN, 1).val.len(), 0);
        assert_eq!(stratified_split(&[0, 1], 1.0, 1).train.len(), 0);
    }
}
