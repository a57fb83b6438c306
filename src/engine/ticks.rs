//! Round tick values for charts (1, 2, 5 × 10ⁿ steps), shared by the page's SVG charts
//! and the CLI's report.

/// Round values (1, 2, 5 × 10ⁿ steps) covering `[lo, hi]`, about `count` of them.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || count == 0 {
        return Vec::new();
    }
    let raw = (hi - lo) / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_steps_inside_the_domain() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(
            nice_ticks(0.3e6, 2.1e6, 5),
            vec![0.5e6, 1.0e6, 1.5e6, 2.0e6]
        );
        assert!(nice_ticks(1.0, 1.0, 5).is_empty() && nice_ticks(0.0, f64::NAN, 5).is_empty());
    }
}
