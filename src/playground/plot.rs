//! Small helpers for the SVG charts: linear scales, "nice" tick values, the colour of an
//! iteration or exit, and the name of an exit. Presentation only (the numbers come from the engine).

use crate::engine::space::Method;

/// A linear map from a data interval onto a pixel interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Data interval.
    pub domain: (f64, f64),
    /// Pixel interval (may be reversed for y).
    pub range: (f64, f64),
}

impl Scale {
    /// A scale; an empty or non-finite domain is widened so that it maps sensibly.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let (mut lo, mut hi) = domain;
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
            (lo, hi) = (lo - pad, hi + pad);
        }
        Self {
            domain: (lo, hi),
            range,
        }
    }

    /// Pixel position of `v`.
    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }

    /// About `count` round tick values inside the domain.
    pub fn ticks(&self, count: usize) -> Vec<f64> {
        nice_ticks(self.domain.0, self.domain.1, count)
    }
}

/// Round tick values (shared with the CLI's report charts).
pub use crate::engine::ticks::nice_ticks;

/// `[lo, hi]` widened by `frac` of its span on both sides.
pub fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(hi.abs() * 0.02).max(1e-9);
    (lo - frac * span, hi + frac * span)
}

/// Fill colour of iteration `it` (0 = the initial random sample).
pub fn iteration_colour(it: usize) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#64748b", "#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#ea580c", "#db2777", "#7c3aed",
    ];
    PALETTE[it % PALETTE.len()]
}

/// The name of exit `e` of a network whose early exits sit after `positions` (0-based
/// stages): "Exit 2 (after stage 3)", and "Final classifier" past the early exits.
pub fn exit_name(positions: &[usize], e: usize) -> String {
    match positions.get(e) {
        Some(p) => format!("Exit {} (after stage {})", e + 1, p + 1),
        None => "Final classifier".to_owned(),
    }
}

/// Colour of exit `i` (the final exit is drawn in the last colour of the run).
pub fn exit_colour(i: usize) -> &'static str {
    const PALETTE: [&str; 6] = [
        "#0ea5e9", "#22c55e", "#f59e0b", "#a855f7", "#ef4444", "#64748b",
    ];
    PALETTE[i % PALETTE.len()]
}

/// Colour of a method in a comparison (the current run's method in the ink colour).
pub fn method_colour(method: Method, current: bool) -> &'static str {
    if current {
        return "#111827";
    }
    match method {
        Method::Aebnas => "#4f46e5",
        Method::Edanas => "#dc2626",
        Method::Nachos => "#0d9488",
        Method::Sdn => "#d97706",
        Method::Random => "#6b7280",
    }
}

/// A percentage with one decimal: `87.3%`.
pub fn percent(fraction: f64) -> String {
    if fraction.is_finite() {
        format!("{:.1}%", 100.0 * fraction)
    } else {
        "–".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exits_are_named_by_number_and_stage() {
        assert_eq!(exit_name(&[1, 3], 1), "Exit 2 (after stage 4)");
        assert_eq!(exit_name(&[1, 3], 2), "Final classifier");
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        let t = nice_ticks(0.83, 0.91, 4);
        assert!(
            t.iter().all(|v| (0.83..=0.91).contains(v)) && t.len() >= 3,
            "{t:?}"
        );
        assert!(nice_ticks(1.0, 1.0, 4).is_empty());
    }

    #[test]
    fn scales_map_ends_and_survive_empty_domains() {
        let s = Scale::new((0.0, 2.0), (10.0, 110.0));
        assert_eq!((s.at(0.0), s.at(2.0)), (10.0, 110.0));
        let flat = Scale::new((5.0, 5.0), (0.0, 100.0));
        assert!((flat.at(5.0) - 50.0).abs() < 1e-9);
    }
}
