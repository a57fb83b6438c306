//! Exact 2-D hypervolume for minimisation (docs/method.md, § Hypervolume and Pareto front).
//!
//! `HV(P, r)` = area dominated by the points `P` and bounded by the reference point `r`:
//! the union of boxes `[p_1, r_1] × [p_2, r_2]`. Points not strictly better than `r` in
//! both coordinates (or not finite) contribute nothing. Computed by sorting the
//! non-dominated staircase by `f1` ascending: `HV = Σ_i (x_{i+1} − x_i) · (r_2 − y_i)` with
//! `x_{n+1} = r_1`.
//!
//! AEBNAS's reference point: `1.01 ×` the column-wise maximum of the *initial* archive
//! (DOE), fixed for the whole run ([`aebnas_reference`]); a user-given point works too.

/// The AEBNAS reference point `1.01 · max_j p_j` per coordinate over `initial` (finite
/// points only). Implemented as `max + 0.01·|max|`, equal to `1.01·max` for the
/// non-negative objectives used here and still beyond every point for negative ones.
/// `None` when there is no finite point.
pub fn aebnas_reference(initial: &[[f64; 2]]) -> Option<[f64; 2]> {
    let mut max = [f64::NEG_INFINITY; 2];
    let mut any = false;
    for p in initial
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        any = true;
        max[0] = max[0].max(p[0]);
        max[1] = max[1].max(p[1]);
    }
    any.then(|| max.map(|m| m + 0.01 * m.abs()))
}

/// Exact hypervolume of `points` (minimised) with respect to `reference`.
pub fn hypervolume_2d(points: &[[f64; 2]], reference: [f64; 2]) -> f64 {
    if !(reference[0].is_finite() && reference[1].is_finite()) {
        return 0.0;
    }
    let mut pts: Vec<[f64; 2]> = points
        .iter()
        .copied()
        .filter(|p| {
            p[0].is_finite() && p[1].is_finite() && p[0] < reference[0] && p[1] < reference[1]
        })
        .collect();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    // Keep the staircase: strictly decreasing f2 as f1 grows.
    let mut stair: Vec<[f64; 2]> = Vec::with_capacity(pts.len());
    for p in pts {
        if stair.last().is_none_or(|l| p[1] < l[1]) {
            stair.push(p);
        }
    }
    let mut hv = 0.0;
    for (i, p) in stair.iter().enumerate() {
        let next_x = stair.get(i + 1).map_or(reference[0], |q| q[0]);
        hv += (next_x - p[0]) * (reference[1] - p[1]);
    }
    hv
}

/// Hypervolume over `points` given as objective vectors (the first two entries are used;
/// shorter vectors are ignored).
pub fn hypervolume_of(points: &[Vec<f64>], reference: [f64; 2]) -> f64 {
    let pts: Vec<[f64; 2]> = points
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| [p[0], p[1]])
        .collect();
    hypervolume_2d(&pts, reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_volumes() {
        let r = [4.0, 4.0];
        assert_eq!(hypervolume_2d(&[], r), 0.0);
        // One point (1, 2): (4−1)·(4−2) = 6.
        assert_eq!(hypervolume_2d(&[[1.0, 2.0]], r), 6.0);
        // (1,3), (2,2), (3,1): staircase 1·1 + 1·2 + 1·3 = 6.
        let front = [[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]];
        assert_eq!(hypervolume_2d(&front, r), 6.0);
        // Adding a dominated point (2.5, 2.5) and a duplicate changes nothing.
        let more = [[3.0, 1.0], [2.5, 2.5], [1.0, 3.0], [2.0, 2.0], [2.0, 2.0]];
        assert_eq!(hypervolume_2d(&more, r), 6.0);
        // Points on or beyond the reference contribute nothing.
        assert_eq!(
            hypervolume_2d(&[[4.0, 0.0], [0.0, 5.0], [f64::NAN, 1.0]], r),
            0.0
        );
        // (0,0) with r = (2, 3): 6.
        assert_eq!(hypervolume_2d(&[[0.0, 0.0], [1.0, 1.0]], [2.0, 3.0]), 6.0);
        assert_eq!(hypervolume_2d(&[[0.0, 0.0]], [f64::NAN, 1.0]), 0.0);
    }

    #[test]
    fn aebnas_reference_rule() {
        let init = [[10.0, 200.0], [30.0, 100.0], [20.0, f64::NAN]];
        let r = aebnas_reference(&init).unwrap();
        assert!((r[0] - 30.3).abs() < 1e-12 && (r[1] - 202.0).abs() < 1e-9);
        assert_eq!(aebnas_reference(&[]), None);
        // HV of the initial archive: staircase (10,200), (30,100) with r = (30.3, 202):
        // (30 − 10)·(202 − 200) + (30.3 − 30)·(202 − 100) = 40 + 30.6 = 70.6.
        let hv = hypervolume_2d(&init, r);
        assert!((hv - 70.6).abs() < 1e-9, "{hv}");
        let as_vec: Vec<Vec<f64>> = init.iter().map(|p| p.to_vec()).collect();
        assert!((hypervolume_of(&as_vec, r) - hv).abs() < 1e-12);
    }

    #[test]
    fn adding_points_never_decreases() {
        let mut rng = crate::engine::rng::Rng::new(4);
        let r = [1.0, 1.0];
        let mut pts = Vec::new();
        let mut last = 0.0;
        for _ in 0..200 {
            pts.push([rng.next_f64() * 1.1, rng.next_f64() * 1.1]);
            let hv = hypervolume_2d(&pts, r);
            assert!(hv >= last && hv <= 1.0);
            last = hv;
        }
    }
}
