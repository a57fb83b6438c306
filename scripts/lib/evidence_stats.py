"""Statistics of docs/results.md: hypervolume, confidence intervals, the paired bootstrap,
the exact Wilcoxon signed-rank test and linear interpolation. Standard library only (the
machine that regenerates the document has no SciPy)."""

import math
import random

# Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]

BOOTSTRAP_SAMPLES = 10_000
BOOTSTRAP_SEED = 2025


def hypervolume(points, ref):
    """Area dominated by `points` (minimised pairs) and bounded by `ref` (2-D sweep).
    Points not strictly better than `ref` in both objectives add nothing."""
    inside = sorted((m, e) for e, m in points if e < ref[0] and m < ref[1])
    front = []  # increasing MACs, strictly decreasing error
    for m, e in inside:
        if not front or e < front[-1][1]:
            front.append((m, e))
    area = 0.0
    for i, (m, e) in enumerate(front):
        right = front[i + 1][0] if i + 1 < len(front) else ref[1]
        area += (right - m) * (ref[0] - e)
    return area


def non_dominated(points):
    """Indices of the points (minimised pairs) no other point dominates."""
    keep = []
    for i, p in enumerate(points):
        dominated = any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in points)
        # Of equal points keep the first.
        duplicate = any(points[j] == p for j in range(i))
        if not dominated and not duplicate:
            keep.append(i)
    return keep


def mean(xs):
    return sum(xs) / len(xs)


def t_interval(xs):
    """Mean and two-sided 95 % t confidence interval (None for fewer than two values)."""
    m = mean(xs)
    n = len(xs)
    if n < 2:
        return m, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    t = T975[n - 2] if n - 1 <= len(T975) else 1.96
    half = t * sd / math.sqrt(n)
    return m, (m - half, m + half)


def percentile(sorted_xs, q):
    """Linear-interpolated percentile of sorted values, q in [0, 1]."""
    pos = q * (len(sorted_xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def paired_bootstrap(pairs, statistic, samples=BOOTSTRAP_SAMPLES, seed=BOOTSTRAP_SEED):
    """95 % percentile interval of `statistic(resampled pairs)`, resampling the pairs
    (e.g. seeds, or backbones) with replacement; deterministic for a given seed."""
    rng = random.Random(seed)
    n = len(pairs)
    values = []
    for _ in range(samples):
        draw = [pairs[rng.randrange(n)] for _ in range(n)]
        v = statistic(draw)
        if v is not None and math.isfinite(v):
            values.append(v)
    if not values:
        return None
    values.sort()
    return percentile(values, 0.025), percentile(values, 0.975)


def ratio_of_means(pairs):
    """mean(a) / mean(b) over (a, b) pairs; None when mean(b) is 0."""
    b = mean([p[1] for p in pairs])
    return mean([p[0] for p in pairs]) / b if b else None


def mean_difference(pairs):
    return mean([a - b for a, b in pairs])


def wilcoxon_signed_rank(diffs):
    """Exact two-sided Wilcoxon signed-rank test (zeros dropped, tied |d| get average
    ranks). Returns (W+, n used, p)."""
    d = [x for x in diffs if x != 0]
    n = len(d)
    if n == 0:
        return 0.0, 0, 1.0
    order = sorted(range(n), key=lambda i: abs(d[i]))
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and abs(d[order[j + 1]]) == abs(d[order[i]]):
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    doubled = [round(2 * r) for r in ranks]  # average ranks are multiples of 1/2
    w_plus2 = sum(r for r, x in zip(doubled, d) if x > 0)
    # Null distribution of the doubled W+: every sign pattern equally likely.
    total = sum(doubled)
    counts = [0] * (total + 1)
    counts[0] = 1
    for r in doubled:
        for s in range(total, r - 1, -1):
            counts[s] += counts[s - r]
    patterns = 2 ** n
    low = sum(counts[: w_plus2 + 1]) / patterns
    high = sum(counts[w_plus2:]) / patterns
    return w_plus2 / 2, n, min(1.0, 2 * min(low, high))


def attained(front, x):
    """The y of the last point with x' <= x on a front [(x, y)] (a staircase: what a
    budget of x buys); None below its first point."""
    best = None
    for px, py in sorted(front):
        if px <= x:
            best = py
    return best


def interpolate(curve, x):
    """Linear interpolation of y at x on `curve` [(x, y)] (sorted by x here); None outside
    its range."""
    pts = sorted(curve)
    if not pts or x < pts[0][0] or x > pts[-1][0]:
        return None
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[0][1]
