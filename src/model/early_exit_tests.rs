//! True early-exit inference decides what the exit caches say: on real images (shipped
//! Fashion-MNIST, a candidate inheriting the shipped supernet), every sample leaves at the
//! exit, and with the class, that [`crate::engine::assign::assign`] gives from the cached
//! confidences, at several threshold settings.

use burn::module::Module;
use burn::tensor::Device;

use super::*;
use crate::data::{load_dataset_arg, shipped_dir, Shipped};
use crate::engine::arch::Architecture;
use crate::engine::assign::assign;
use crate::engine::genome::default_genome;
use crate::engine::results::{SearchSettings, SupernetSource};
use crate::engine::space::{Method, SearchSpace};
use crate::engine::tuning::TuningRule;
use crate::model::candidate::{exit_costs, train_candidate};
use crate::model::supernet_file::supernet_from_bytes;
use crate::model::train::Control;

#[test]
fn early_exit_inference_equals_the_cached_assignment() {
    let device = Device::flex();
    let space = SearchSpace::browser(1, 28, 10);
    let ds = Shipped::FashionMnist;
    let dir = shipped_dir(&ds.supernet_file()).expect("the supernet file is shipped");
    let bytes = std::fs::read(dir.join(ds.supernet_file())).unwrap();
    let (supernet, _) = supernet_from_bytes(&bytes, &space, ((1, 28, 28), 10), &device).unwrap();
    let (train, test) = load_dataset_arg(ds.id()).unwrap();
    let test = test.subset(&(0..400).collect::<Vec<_>>()).unwrap();
    let val = train.subset(&(5000..5100).collect::<Vec<_>>()).unwrap();
    let settings = SearchSettings {
        supernet: SupernetSource::Shipped,
        train_samples: Some(256),
        seed: 4,
        backend: "cpu".into(),
        ..SearchSettings::for_tests(ds.id(), 1.0e6, TuningRule::Grid)
    };
    let arch = Architecture::decode(&space, Method::Aebnas, &default_genome(&space)).unwrap();
    let mut go_on = |_: &crate::model::train::Progress| Control::Continue;
    let data = (&train, &val, &test);
    let trained = pollster::block_on(train_candidate(
        &arch,
        Some(&supernet),
        &settings,
        data,
        &device,
        &mut go_on,
    ))
    .unwrap();
    let net = trained.net.valid();
    let cache = &trained.test_cache;
    let costs = exit_costs(&arch, settings.cost_convention);
    let early = cache.num_exits - 1;
    assert!(early >= 1, "the default genome has early exits");
    let mut compared = 0;
    for t in [0.05f32, 0.2, 0.5, 0.9] {
        let thresholds = vec![t; early];
        let want = assign(cache, settings.exit_rule, &thresholds, &costs).unwrap();
        let got = pollster::block_on(early_exit_predict(
            &net,
            &test,
            &thresholds,
            settings.exit_rule,
            64,
            &device,
        ))
        .unwrap();
        let n = cache.num_samples;
        for s in 0..n {
            let e = want.exit_of[s] as usize;
            assert_eq!(got.exit_of[s] as usize, e, "sample {s} at thresholds {t}");
            assert_eq!(got.predicted[s], cache.predicted[e * n + s], "sample {s}");
        }
        compared += n;
    }
    assert_eq!(compared, 4 * 400);
}
