"""Reference tests of scripts/lib/evidence_stats.py (the statistics of docs/results.md)
against hand-computed values. Run: python3 -m unittest discover scripts/tests"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import evidence_stats as S  # noqa: E402


class HypervolumeTests(unittest.TestCase):
    def test_one_point_is_its_rectangle(self):
        # (error 0.2, MACs 0.5) against (1, 1): 0.8 × 0.5.
        self.assertAlmostEqual(S.hypervolume([(0.2, 0.5)], (1, 1)), 0.4)

    def test_staircase_by_hand(self):
        # Points (e, m): (0.5, 0.1), (0.2, 0.4), (0.1, 0.8); dominated (0.6, 0.5) adds nothing.
        # Strips by MACs: [0.1, 0.4) × 0.5 + [0.4, 0.8) × 0.8 + [0.8, 1) × 0.9.
        pts = [(0.5, 0.1), (0.2, 0.4), (0.1, 0.8), (0.6, 0.5)]
        self.assertAlmostEqual(S.hypervolume(pts, (1, 1)), 0.15 + 0.32 + 0.18)

    def test_points_outside_the_reference_add_nothing(self):
        self.assertEqual(S.hypervolume([(0.5, 1.5), (1.2, 0.1)], (1, 1)), 0.0)
        self.assertEqual(S.hypervolume([], (1, 1)), 0.0)

    def test_non_dominated_keeps_the_first_of_equal_points(self):
        self.assertEqual(S.non_dominated([(1, 2), (2, 1), (1, 2), (2, 2)]), [0, 1])


class IntervalTests(unittest.TestCase):
    def test_t_interval_by_hand(self):
        # mean 2, sd 1, n 3: half-width 4.303 / sqrt(3).
        m, (lo, hi) = S.t_interval([1, 2, 3])
        self.assertAlmostEqual(m, 2)
        self.assertAlmostEqual(hi - m, 4.303 / 3 ** 0.5, places=9)
        self.assertAlmostEqual(m - lo, hi - m)
        self.assertEqual(S.t_interval([5.0]), (5.0, None))

    def test_bootstrap_of_constant_pairs_is_a_point(self):
        lo, hi = S.paired_bootstrap([(2.0, 1.0)] * 4, S.ratio_of_means, samples=200)
        self.assertEqual((lo, hi), (2.0, 2.0))

    def test_bootstrap_is_deterministic_and_brackets_the_mean(self):
        pairs = [(x, 0.0) for x in [0.1, -0.2, 0.4, 0.3, 0.0, 0.2]]
        a = S.paired_bootstrap(pairs, S.mean_difference, samples=500)
        self.assertEqual(a, S.paired_bootstrap(pairs, S.mean_difference, samples=500))
        self.assertLess(a[0], S.mean_difference(pairs))
        self.assertGreater(a[1], S.mean_difference(pairs))


class WilcoxonTests(unittest.TestCase):
    def test_all_positive_five(self):
        # W+ = 15 is the largest of 2^5 sign patterns: one-sided 1/32, two-sided 1/16.
        self.assertEqual(S.wilcoxon_signed_rank([1, 2, 3, 4, 5]), (15, 5, 0.0625))

    def test_symmetric_differences_give_one(self):
        w, n, p = S.wilcoxon_signed_rank([1, -1, 2, -2])
        self.assertEqual((w, n, p), (5.0, 4, 1.0))

    def test_zeros_are_dropped_and_ties_share_ranks(self):
        # |d| = 1, 1, 3 → ranks 1.5, 1.5, 3; W+ = 1.5 + 3 = 4.5. The 8 sign patterns give
        # W+ = 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6: P(W+ >= 4.5) = 3/8, two-sided 3/4.
        w, n, p = S.wilcoxon_signed_rank([0, 1, -1, 3])
        self.assertEqual((w, n), (4.5, 3))
        self.assertAlmostEqual(p, 2 * 3 / 8)
        self.assertEqual(S.wilcoxon_signed_rank([0, 0]), (0.0, 0, 1.0))


class AttainedTests(unittest.TestCase):
    def test_staircase_by_hand(self):
        front = [(3.0, 0.8), (1.0, 0.5), (2.0, 0.7)]
        self.assertIsNone(S.attained(front, 0.5))
        self.assertEqual(S.attained(front, 1.0), 0.5)
        self.assertEqual(S.attained(front, 2.5), 0.7)
        self.assertEqual(S.attained(front, 10.0), 0.8)


class InterpolateTests(unittest.TestCase):
    def test_linear_inside_none_outside(self):
        curve = [(2.0, 0.5), (1.0, 0.3), (4.0, 0.9)]
        self.assertAlmostEqual(S.interpolate(curve, 1.5), 0.4)
        self.assertAlmostEqual(S.interpolate(curve, 3.0), 0.7)
        self.assertAlmostEqual(S.interpolate(curve, 4.0), 0.9)
        self.assertIsNone(S.interpolate(curve, 0.5))
        self.assertIsNone(S.interpolate(curve, 4.5))


if __name__ == "__main__":
    unittest.main()
