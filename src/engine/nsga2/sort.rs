//! Pareto sorting for NSGA-II (Deb et al. 2002), all objectives minimised.
//!
//! - `a` dominates `b` iff `a_j ≤ b_j` for every `j` and `a_j < b_j` for some `j`;
//! - fast non-dominated sort (`O(M N²)`): front 0 is non-dominated, front `k + 1` is
//!   non-dominated once fronts `0..=k` are removed;
//! - crowding distance: boundary points `∞`, others
//!   `Σ_j (f_j[next] − f_j[prev]) / (f_j^max − f_j^min)` along the front sorted by `f_j`.

/// Whether `a` Pareto-dominates `b` (minimisation).
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        if x > y {
            return false;
        }
        strictly |= x < y;
    }
    strictly
}

/// Fast non-dominated sort: the fronts, each a list of indices into `objs` (ascending).
pub fn non_dominated_sort(objs: &[Vec<f64>]) -> Vec<Vec<usize>> {
    let n = objs.len();
    let mut dominated_by_me: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut count = vec![0usize; n];
    for p in 0..n {
        for q in p + 1..n {
            if dominates(&objs[p], &objs[q]) {
                dominated_by_me[p].push(q);
                count[q] += 1;
            } else if dominates(&objs[q], &objs[p]) {
                dominated_by_me[q].push(p);
                count[p] += 1;
            }
        }
    }
    let mut fronts = Vec::new();
    let mut current: Vec<usize> = (0..n).filter(|&i| count[i] == 0).collect();
    while !current.is_empty() {
        let mut next = Vec::new();
        for &p in &current {
            for &q in &dominated_by_me[p] {
                count[q] -= 1;
                if count[q] == 0 {
                    next.push(q);
                }
            }
        }
        next.sort_unstable();
        fronts.push(std::mem::replace(&mut current, next));
    }
    fronts
}

/// Rank (front index) of every point.
pub fn ranks(objs: &[Vec<f64>]) -> Vec<usize> {
    let mut r = vec![0; objs.len()];
    for (k, front) in non_dominated_sort(objs).iter().enumerate() {
        for &i in front {
            r[i] = k;
        }
    }
    r
}

/// Crowding distance of each member of `front` (same order as `front`).
pub fn crowding_distance(objs: &[Vec<f64>], front: &[usize]) -> Vec<f64> {
    let n = front.len();
    let mut d = vec![0.0; n];
    if n <= 2 {
        return vec![f64::INFINITY; n];
    }
    let m = front.iter().map(|&i| objs[i].len()).min().unwrap_or(0);
    let mut order: Vec<usize> = (0..n).collect();
    #[allow(clippy::needless_range_loop)]
    for j in 0..m {
        order.sort_by(|&a, &b| objs[front[a]][j].total_cmp(&objs[front[b]][j]));
        let lo = objs[front[order[0]]][j];
        let hi = objs[front[order[n - 1]]][j];
        d[order[0]] = f64::INFINITY;
        d[order[n - 1]] = f64::INFINITY;
        let range = hi - lo;
        if !(range.is_finite() && range > 0.0) {
            continue;
        }
        for k in 1..n - 1 {
            let gap = objs[front[order[k + 1]]][j] - objs[front[order[k - 1]]][j];
            if gap.is_finite() {
                d[order[k]] += gap / range;
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<Vec<f64>> {
        v.iter().map(|&(a, b)| vec![a, b]).collect()
    }

    #[test]
    fn sort_known_fronts() {
        // A(1,5) B(2,3) C(4,1) | D(3,4) (by B) | E(5,5) (by D); F = B duplicates B.
        let o = pts(&[(1., 5.), (2., 3.), (4., 1.), (3., 4.), (5., 5.), (2., 3.)]);
        assert_eq!(
            non_dominated_sort(&o),
            vec![vec![0, 1, 2, 5], vec![3], vec![4]]
        );
        assert_eq!(ranks(&o), vec![0, 0, 0, 1, 2, 0]);
        assert!(dominates(&[1., 1.], &[1., 2.]) && !dominates(&[1., 2.], &[1., 2.]));
        assert!(!dominates(&[0., 3.], &[1., 2.]));
        assert!(non_dominated_sort(&[]).is_empty());
        // A chain: each point dominates the next.
        let chain = pts(&[(3., 3.), (1., 1.), (2., 2.)]);
        assert_eq!(non_dominated_sort(&chain), vec![vec![1], vec![2], vec![0]]);
    }

    #[test]
    fn crowding_known_values() {
        // (0,4) (1,2) (3,1) (4,0): ranges 4 and 4.
        // (1,2): f1 (3−0)/4 + f2 (4−1)/4 = 1.5; (3,1): (4−1)/4 + (2−0)/4 = 1.25.
        let o = pts(&[(0., 4.), (1., 2.), (3., 1.), (4., 0.)]);
        let d = crowding_distance(&o, &[0, 1, 2, 3]);
        assert_eq!(d[0], f64::INFINITY);
        assert_eq!(d[3], f64::INFINITY);
        assert!((d[1] - 1.5).abs() < 1e-12 && (d[2] - 1.25).abs() < 1e-12);
        // A(1,5) B(2,3) C(4,1): B = 3/3 + 4/4 = 2.
        let o = pts(&[(1., 5.), (2., 3.), (4., 1.)]);
        assert!((crowding_distance(&o, &[0, 1, 2])[1] - 2.0).abs() < 1e-12);
        assert_eq!(crowding_distance(&o, &[0, 1]), vec![f64::INFINITY; 2]);
    }
}
