//! Datasets: readers for standard file formats, the shipped subsets, and seeded splits.
