//! A candidate inherits a copy of the supernet that shares nothing with it: training one
//! candidate does not change what the next inherits, so a candidate's record does not
//! depend on the candidates trained before it from the same supernet (one worker, a pool
//! of workers and a resumed run all give the same records).

use super::*;
use crate::engine::rng::Rng;
use crate::engine::search::doe_genomes;

/// `n` random 28×28 grey images of 10 classes.
fn data(n: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let images = (0..n * 28 * 28).map(|_| rng.below(256) as u8).collect();
    let labels = (0..n).map(|i| (i % 10) as u16).collect();
    let classes = (0..10).map(|c| c.to_string()).collect();
    Dataset::new("random", classes, (1, 28, 28), images, labels).unwrap()
}

fn settings() -> SearchSettings {
    SearchSettings {
        n_doe: 2,
        supernet_epochs: 1,
        train_samples: Some(64),
        seed: 3,
        backend: "cpu".into(),
        ..SearchSettings::for_tests("random", 1.0e6, TuningRule::Grid)
    }
}

#[test]
fn a_candidates_record_does_not_depend_on_the_candidates_trained_before_it() {
    let space = SearchSpace::browser(1, 28, 10);
    let device = Device::flex();
    let s = settings();
    let (train, val, test) = (data(64, 1), data(40, 2), data(40, 3));
    let config = TrainConfig {
        epochs: 1,
        seed: s.seed,
        max_samples: Some(64),
        batch_size: 32,
        lr: 0.05,
        ..TrainConfig::default()
    };
    let mut go_on = |_: &crate::model::train::Progress| Control::Continue;
    let (supernet, _) =
        pollster::block_on(train_supernet(&space, &train, &config, &device, &mut go_on)).unwrap();
    let genomes = doe_genomes(&space, &s, 2).unwrap();
    let mut record = |g: &Genome| {
        let arch = Architecture::decode(&space, s.method, g).unwrap();
        let data = (&train, &val, &test);
        let trained = train_candidate(&arch, Some(&supernet), &s, data, &device, &mut go_on);
        let mut r = pollster::block_on(trained).unwrap().record;
        r.train_seconds = 0.0;
        r
    };
    let first = record(&genomes[1]);
    let other = record(&genomes[0]);
    let again = record(&genomes[1]);
    assert_eq!(again, first, "the same genome after another candidate");
    assert_ne!(other.val_exit_rates, first.val_exit_rates);
}
