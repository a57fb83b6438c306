//! The shipped pre-trained supernets (`www/data/*-supernet.bpk`, recorded in
//! `www/data/supernets.json` by `scripts/train-supernets`): each loads for its dataset,
//! its largest subnet classifies a known batch as recorded and reaches the recorded test
//! accuracy, and batch-norm recalibration is what makes an inherited subnet work.

use burn::module::Module;
use burn::tensor::Device;

use super::*;
use crate::data::{load_dataset_arg, shipped_dir, Dataset, Shipped};
use crate::engine::arch::Architecture;
use crate::engine::space::{Method, SearchSpace};
use crate::model::recalibrate::recalibrate;
use crate::model::supernet::{largest_genome, smallest_genome, Supernet};
use crate::model::supernet_file::supernet_from_bytes;

fn record() -> serde_json::Value {
    let dir = shipped_dir("supernets.json").expect("www/data/supernets.json is shipped");
    serde_json::from_slice(&std::fs::read(dir.join("supernets.json")).unwrap()).unwrap()
}

fn shipped(ds: Shipped) -> (Supernet, SearchSpace, Dataset, Dataset) {
    let (train, test) = load_dataset_arg(ds.id()).unwrap();
    let space = SearchSpace::browser(1, 28, 10);
    let dir = shipped_dir(&ds.supernet_file()).expect("the supernet file is shipped");
    let bytes = std::fs::read(dir.join(ds.supernet_file())).unwrap();
    let device = Device::flex();
    let (s, meta) = supernet_from_bytes(&bytes, &space, ((1, 28, 28), 10), &device).unwrap();
    assert_eq!(meta.classes, 10);
    (s, space, train, test)
}

fn arch(space: &SearchSpace, g: crate::engine::genome::Genome) -> Architecture {
    Architecture::decode(space, Method::Aebnas, &g).unwrap()
}

#[test]
fn each_shipped_supernet_classifies_its_recorded_batch_and_reaches_its_recorded_accuracy() {
    let record = record();
    for ds in Shipped::ALL {
        let Some(r) = record.get(ds.id()) else {
            panic!("www/data/supernets.json has no {}", ds.id());
        };
        let (s, space, train, test) = shipped(ds);
        let device = Device::flex();
        let largest = arch(&space, largest_genome(&space));
        let pred = subnet_predictions(&s, &largest, &train, &test, &device);
        let want: Vec<u32> = (r["check"]["largest_first_predictions"].as_array().unwrap())
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        // The recording build has SIMD kernels, the tests do not: the summation order
        // differs, so allow one flipped near-tie in the batch.
        let differ = want.iter().zip(&pred).filter(|(a, b)| a != b).count();
        assert!(
            differ <= 1,
            "{}: {differ} of {} predictions differ",
            ds.id(),
            want.len()
        );
        let acc = accuracy(&pred, &test);
        let recorded = r["check"]["largest"]["test_accuracy"].as_f64().unwrap();
        assert!(
            (acc - recorded).abs() <= 0.002,
            "{}: {acc} vs recorded {recorded}",
            ds.id()
        );
    }
}

/// The stored running statistics are averages over every subnet the sandwich training
/// drew; the smallest subnet's own statistics (recomputed on 512 training images) make it
/// markedly better on held-out images.
#[test]
fn recalibration_changes_the_statistics_and_improves_held_out_accuracy() {
    let (s, space, train, test) = shipped(Shipped::FashionMnist);
    let device = Device::flex();
    let smallest = arch(&space, smallest_genome(&space));
    let held_out: Vec<usize> = (0..500).collect();
    let test = test.subset(&held_out).unwrap();
    let stem_mean =
        |s: &Supernet| -> Vec<f32> { s.stem.bn.running().0.into_data().iter().collect() };
    let recal = recalibrate(&s, &smallest, &train, &device);
    let (before_stats, after_stats) = (stem_mean(&s), stem_mean(&recal));
    let stored = accuracy(&predictions(&s.valid(), &smallest, &test, &device), &test);
    let after = accuracy(&predictions(&recal, &smallest, &test, &device), &test);
    assert_ne!(
        before_stats, after_stats,
        "recalibration left the statistics as they were"
    );
    assert!(
        after > stored + 0.05,
        "stored statistics {stored}, recalibrated {after}"
    );
}
