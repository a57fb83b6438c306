//! A candidate whose training really diverges (a learning rate of 1e30 makes the loss
//! NaN within a few steps) fails with the reason, is recorded in the run's `failed` list,
//! and the search with the real training pipeline goes on to the end.

use super::*;
use crate::engine::exits::ExitRule;
use crate::engine::objectives::ObjectiveSet;
use crate::engine::results::RunResults;
use crate::engine::rng::Rng;
use crate::engine::search::{doe_genomes, run_search, total_evaluations, SearchEvent};
use crate::model::train::train;

/// `n` random 28 × 28 grey images of 10 classes.
fn split(name: &str, n: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let images = (0..n * 28 * 28).map(|_| rng.below(256) as u8).collect();
    let labels = (0..n).map(|i| (i % 10) as u16).collect();
    let classes = (0..10).map(|c| c.to_string()).collect();
    Dataset::new(name, classes, (1, 28, 28), images, labels).unwrap()
}

fn settings() -> SearchSettings {
    SearchSettings {
        dataset: "random".into(),
        space: crate::engine::space::SpacePreset::Browser,
        method: Method::Aebnas,
        mac_target: 1.5e6,
        exit_rule: ExitRule::Margin,
        cost_convention: CostConvention::Cumulative,
        objectives: ObjectiveSet::Aebnas,
        n_doe: 3,
        iterations: 1,
        per_iter: 1,
        epochs: 1,
        supernet_epochs: 0,
        supernet: Default::default(),
        train_samples: Some(192),
        seed: 7,
        backend: "cpu".into(),
        tuning: TuningRule::CutPoints,
        predictor: crate::engine::surrogate::SurrogateKind::Rbf,
    }
}

/// The pipeline, except that `diverge` trains at a learning rate of 1e30.
struct Diverging {
    pipeline: Pipeline,
    diverge: Genome,
    train_set: Dataset,
    space: SearchSpace,
    settings: SearchSettings,
}

impl Evaluator for Diverging {
    async fn evaluate(
        &mut self,
        genome: &Genome,
        method: Method,
    ) -> Result<CandidateRecord, EvalError> {
        if genome != &self.diverge {
            return self.pipeline.evaluate(genome, method).await;
        }
        let arch = Architecture::decode(&self.space, method, genome).unwrap();
        let ad = Device::flex().autodiff();
        let net = EarlyExitNet::from_scratch(&arch, self.settings.seed, &ad).unwrap();
        let config = TrainConfig {
            lr: 1e30,
            ..candidate_train_config(&self.settings, arch.input.1)
        };
        let mut go_on = |_: &Progress| Control::Continue;
        let outcome = train(net, &self.train_set, &config, &ad, &mut go_on).await;
        match outcome {
            Err(e @ TrainError::NonFinite { .. }) => Err(EvalError::from(e)),
            Err(other) => panic!("expected a non-finite loss, got {other}"),
            Ok((_, stats)) => panic!("training at lr 1e30 stayed finite: {:?}", stats.losses),
        }
    }
}

#[test]
fn a_diverging_candidate_is_recorded_failed_and_the_search_goes_on() {
    let s = settings();
    let space = SearchSpace::browser(1, 28, 10);
    let data = (
        split("train", 192, 1),
        split("val", 40, 2),
        split("test", 40, 3),
    );
    let genomes = doe_genomes(&space, &s, s.n_doe).unwrap();
    let pipeline = Pipeline::with_supernet(
        &s,
        &space,
        data.clone(),
        Device::flex(),
        None,
        Box::new(|_: &Progress| {}),
    );
    let mut ev = Diverging {
        pipeline,
        diverge: genomes[1].clone(),
        train_set: data.0.clone(),
        space: space.clone(),
        settings: s.clone(),
    };
    let mut run = RunResults::new(s.clone());
    let mut failures = Vec::new();
    let mut on_event = |e: &SearchEvent, _: &RunResults| {
        if let SearchEvent::Failed { slot, reason, .. } = e {
            failures.push((*slot, reason.clone()));
        }
        true
    };
    let r = pollster::block_on(run_search(&mut run, &space, &mut ev, &mut on_event));
    r.expect("the search goes on past the diverged candidate");
    let total = total_evaluations(&s);
    assert_eq!(run.evaluations_done(), total);
    assert_eq!(run.archive.len(), total - 1);
    assert_eq!(run.failed.len(), 1);
    let f = &run.failed[0];
    assert_eq!((f.slot, &f.genome), (1, &genomes[1]));
    assert!(
        f.reason.starts_with("training diverged: loss NaN") || f.reason.contains("loss inf"),
        "{}",
        f.reason
    );
    assert_eq!(failures, vec![(1, f.reason.clone())]);
    assert!(run
        .archive
        .iter()
        .all(|c| c.test_accuracy.is_finite() && c.val_avg_macs > 0.0));
    // The failure is in the results file, so a reload or an export shows it.
    let json = run.to_json();
    assert!(json.contains("\"failed\"") && json.contains("training diverged"));
    assert_eq!(RunResults::from_json(&json).unwrap().failed, run.failed);
}
