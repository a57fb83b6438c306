//! Re-score benchmark (issue 3, item 3): 10,000 samples × 4 exits scored for one
//! threshold vector must take under 1 ms natively — it backs the UI's live sliders.
//!
//! Run: `cargo bench --bench rescore`.

use aebnas::engine::assign::{assign, score};
use aebnas::engine::exits::{ExitCache, ExitRule};
use aebnas::engine::rng::Rng;
use aebnas::engine::tuning::{tune_cut_points, tune_grid, TuneGoal};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// A random cache: `e` exits × `n` samples, 10 classes, later exits more accurate.
fn cache(e: usize, n: usize) -> ExitCache {
    let mut rng = Rng::new(1);
    let k = 10;
    let labels: Vec<u16> = (0..n).map(|_| rng.below(k) as u16).collect();
    let probs: Vec<Vec<f32>> = (0..e)
        .map(|i| {
            let mut p = Vec::with_capacity(n * k);
            for &l in &labels {
                let mut row: Vec<f32> = (0..k).map(|_| rng.next_f32()).collect();
                row[l as usize] += (i + 1) as f32 * rng.next_f32();
                let s: f32 = row.iter().sum();
                p.extend(row.iter().map(|v| v / s));
            }
            p
        })
        .collect();
    ExitCache::from_probs(&probs, &labels, k).expect("valid cache")
}

fn bench(c: &mut Criterion) {
    let cache = cache(4, 10_000);
    let costs = [1.0e6, 2.2e6, 3.5e6, 5.0e6];
    let t = [0.3f32, 0.2, 0.1];
    c.bench_function("score 10k x 4 exits", |b| {
        b.iter(|| score(black_box(&cache), ExitRule::Margin, black_box(&t), &costs))
    });
    c.bench_function("assign 10k x 4 exits (per-sample exits)", |b| {
        b.iter(|| assign(black_box(&cache), ExitRule::Margin, black_box(&t), &costs))
    });
    let goal = TuneGoal::aebnas(2.5e6);
    let mut g = c.benchmark_group("tuning 10k x 4 exits");
    g.sample_size(10);
    g.bench_function("aebnas grid", |b| {
        b.iter(|| tune_grid(black_box(&cache), ExitRule::Margin, &costs, &goal))
    });
    g.bench_function("all cut points", |b| {
        b.iter(|| tune_cut_points(black_box(&cache), ExitRule::Margin, &costs, &goal))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
