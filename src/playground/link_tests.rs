//! Tests of the link codec on hand-written links: values taken, clamping with notices,
//! fallbacks, versions, genomes and thresholds, user datasets, lessons. The generated and
//! fuzzed links are in `link_fuzz_tests.rs`.

use super::values::decode;
use super::*;
use crate::engine::assign::NEVER;
use crate::engine::results::CostConvention;
use crate::engine::space::Method;
use crate::playground::setting_fields::Limits;
use crate::playground::settings::BackendChoice;
use crate::playground::user_data::LINK_FILES_MAX;

pub(super) fn link_space_genome() -> Genome {
    let space = link_space();
    crate::engine::genome::default_genome(&space)
}

pub(super) fn default_genome_text() -> String {
    link_space_genome().to_string()
}

fn keys(notes: &[Notice]) -> Vec<&str> {
    notes.iter().map(|n| n.key.as_str()).collect()
}

#[test]
fn default_link_round_trips_without_notices() {
    let hash = Link::default().to_hash();
    assert_eq!(
        hash,
        "v=1&data=fashion-mnist&method=aebnas&target=1M&rule=margin&cost=cumulative&doe=8\
         &iters=3&k=8&epochs=1&supernet=0&backbone=shipped&train=2048&seed=1&backend=auto"
    );
    let (link, notes) = Link::parse(&format!("#{hash}"));
    assert_eq!(link, Link::default());
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(Link::parse("").0, Link::default());
}

#[test]
fn a_link_can_force_either_backend_or_leave_it_to_the_measurement() {
    for (text, choice) in [
        ("auto", BackendChoice::Auto),
        ("webgpu", BackendChoice::WebGpu),
        ("cpu", BackendChoice::Cpu),
    ] {
        let (link, notes) = Link::parse(&format!("v=1&backend={text}"));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(link.settings.backend, choice);
    }
    let (link, notes) = Link::parse("v=1&backend=tpu");
    assert_eq!(link.settings.backend, BackendChoice::Auto);
    assert_eq!(notes.len(), 1, "{notes:?}");
}

#[test]
fn readable_values_are_taken() {
    let (link, notes) = Link::parse(
        "v=1&data=mnist&method=sdn&target=250k&rule=entropy&cost=taken_head&doe=6&seed=42&backend=cpu&view=candidate&hide=seed,hv&lesson=intro&step=2",
    );
    assert!(notes.is_empty(), "{notes:?}");
    let s = &link.settings;
    assert_eq!(
        (s.dataset.as_str(), s.method, s.mac_target, s.exit_rule),
        ("mnist", Method::Sdn, 250e3, ExitRule::Entropy)
    );
    assert_eq!(
        (s.cost_convention, s.n_doe, s.seed, s.backend),
        (CostConvention::TakenHead, 6, 42, BackendChoice::Cpu)
    );
    assert_eq!(link.view, View::Candidate);
    assert_eq!(
        link.hide.iter().copied().collect::<Vec<_>>(),
        vec![Control::Seed, Control::Hypervolume]
    );
    assert_eq!(link.lesson, Some((Lesson::Intro, 1)));
}

#[test]
fn out_of_range_values_are_clamped_with_notices() {
    // The example: a MAC target of 10^12, 50 iterations of 10^6 epochs,
    // thresholds of 7.
    let genome = default_genome_text();
    let (link, notes) = Link::parse(&format!(
        "v=1&target=1000000000000&iters=50&epochs=1000000&genome={genome}&th=7,0.5"
    ));
    let s = &link.settings;
    assert_eq!(
        (s.mac_target, s.iterations, s.epochs),
        (Limits::MAC_TARGET.1, Limits::ITERATIONS.1, Limits::EPOCHS.1)
    );
    let c = link.candidate.expect("the genome is valid");
    assert_eq!(c.thresholds, vec![1.0, 0.5]);
    assert_eq!(keys(&notes), vec!["target", "iters", "epochs", "th"]);
    assert!(
        notes[0].message.contains("1.00G") || notes[0].message.contains("1000"),
        "{}",
        notes[0].message
    );
}

#[test]
fn broken_values_fall_back_to_defaults_and_are_listed() {
    let (link, notes) = Link::parse("v=1&data=cifar-1000&method=magic&target=lots&rule=&doe=-3&seed=abc&genome=1,2,x&view=nope&hide=dataset,bogus&lesson=advanced&zzz=1");
    let d = Settings::default();
    assert_eq!(link.settings, d);
    assert_eq!(link.candidate, None);
    assert_eq!(
        link.hide.iter().copied().collect::<Vec<_>>(),
        vec![Control::Dataset]
    );
    assert_eq!(
        keys(&notes),
        vec!["data", "method", "target", "rule", "doe", "seed", "genome", "view", "hide", "lesson"]
    );
}

#[test]
fn a_newer_version_is_refused_as_a_whole() {
    let (link, notes) = Link::parse("v=7&seed=5&doe=9");
    assert_eq!(link, Link::default());
    assert_eq!(keys(&notes), vec!["v"]);
    assert!(notes[0].message.contains("version 7"));
    let (_, notes) = Link::parse("seed=5");
    assert_eq!(
        keys(&notes),
        vec!["v"],
        "a link without a version is read as v1, with a note"
    );
}

#[test]
fn a_genome_of_the_wrong_length_or_range_is_rejected() {
    let (link, notes) = Link::parse("v=1&genome=1,2,3&th=0.5");
    assert!(link.candidate.is_none());
    assert_eq!(keys(&notes), vec!["genome"]);
    let mut g = link_space_genome();
    g.0[0] = 99;
    let (link, notes) = Link::parse(&format!("v=1&genome={g}"));
    assert!(link.candidate.is_none());
    assert_eq!(keys(&notes), vec!["genome"]);
}

#[test]
fn threshold_count_must_match_the_enabled_exits() {
    let g = default_genome_text();
    let (link, notes) = Link::parse(&format!("v=1&genome={g}&th=0.3,off,0.9"));
    assert_eq!(link.candidate.unwrap().thresholds, vec![0.3, NEVER]);
    assert_eq!(keys(&notes), vec!["th"]);
}

#[test]
fn percent_encoding_round_trips() {
    assert_eq!(decode(&encode("a b&c=d%é")), "a b&c=d%é");
    assert_eq!(decode("%zz%4"), "%zz%4");
}

#[test]
fn the_largest_link_fits_in_2000_characters() {
    let space = link_space();
    let card = crate::engine::genome::GenomeLayout::of(&space).cardinalities(&space);
    let genome = Genome(card.iter().map(|c| c - 1).collect());
    let mut link = Link::default();
    link.settings.mac_target = 123_456_789.0;
    link.settings.seed = 999_999;
    link.settings.train_samples = 60_000;
    link.settings.dataset = "fashion-mnist".into();
    link.hide = Control::ALL.into_iter().collect();
    link.view = View::Candidate;
    link.lesson = Some((Lesson::Intro, 3));
    link.candidate = Some(LinkCandidate {
        genome,
        rule: ExitRule::MaxSoftmax,
        thresholds: vec![0.99; space.exit_positions.len()],
    });
    let hash = link.to_hash();
    assert!(hash.len() < 2000, "{} characters", hash.len());
    // A user dataset with the most file names of the most-escaped characters.
    link.settings.dataset = format!("user-{}-{}", "a".repeat(24), "f".repeat(8));
    link.files = (0..LINK_FILES_MAX).map(|_| "(".repeat(29)).collect();
    let hash = link.to_hash();
    assert!(hash.len() < 2000, "{} characters", hash.len());
    let (back, notes) = Link::parse(&hash);
    assert_eq!(back.files, link.files);
    assert!(!keys(&notes).contains(&"files"), "{notes:?}");
}

#[test]
fn user_dataset_links_carry_their_file_names() {
    let hash = "v=1&data=user-test-batch-0a1b2c3d&files=test_batch.bin,cifar%20(2).tar.gz";
    let (link, notes) = Link::parse(hash);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(link.settings.dataset, "user-test-batch-0a1b2c3d");
    assert_eq!(link.files, vec!["test_batch.bin", "cifar (2).tar.gz"]);
    assert!(link
        .to_hash()
        .contains("&files=test_batch.bin,cifar%20%282%29.tar.gz"));
    assert_eq!(Link::parse(&link.to_hash()).0, link);
    // Unsafe, too long or too many names are dropped with one notice.
    let many = (0..12)
        .map(|i| format!("f{i}.bin"))
        .collect::<Vec<_>>()
        .join(",");
    let (link, notes) = Link::parse(&format!(
        "v=1&data=user-x&files=ok.bin,a%26b,{},{many}",
        "z".repeat(80)
    ));
    assert_eq!(link.files.len(), LINK_FILES_MAX);
    assert_eq!(link.files[0], "ok.bin");
    assert_eq!(keys(&notes), vec!["files"]);
    // `files` is ignored for shipped datasets; bad user ids are refused.
    let (link, notes) = Link::parse("v=1&data=mnist&files=a.bin");
    assert!(notes.is_empty() && link.files.is_empty());
    assert!(!link.to_hash().contains("files"));
    let (link, notes) = Link::parse("v=1&data=user-Bad%20Id&files=a.bin");
    assert_eq!(
        (link.settings.dataset.as_str(), keys(&notes)),
        ("fashion-mnist", vec!["data"])
    );
    // A user dataset without names round-trips too.
    let (link, notes) = Link::parse("v=1&data=user-abc");
    assert!(notes.is_empty() && link.files.is_empty());
    assert_eq!(Link::parse(&link.to_hash()).0, link);
}

#[test]
fn lesson_steps_set_the_state_they_describe() {
    let mut link = Link::default();
    Lesson::Intro.apply(0, &mut link);
    let c = link.candidate.clone().unwrap();
    assert!(
        c.thresholds.iter().all(|&t| t == NEVER),
        "step 1: every exit off"
    );
    assert_eq!(link.view, View::Candidate);
    Lesson::Intro.apply(1, &mut link);
    assert_eq!(link.candidate.as_ref().unwrap().thresholds[0], 0.5);
    Lesson::Intro.apply(3, &mut link);
    assert_eq!(
        (link.view, link.lesson),
        (View::Search, Some((Lesson::Intro, 3)))
    );
    // Each step's state survives a link.
    for step in 0..Lesson::Intro.steps() {
        let mut l = Link::default();
        Lesson::Intro.apply(step, &mut l);
        let (back, notes) = Link::parse(&l.to_hash());
        assert!(notes.is_empty(), "step {step}: {notes:?}");
        assert_eq!(back, l, "step {step}");
    }
}

#[test]
fn the_workers_setting_travels_only_when_set() {
    assert!(!Link::default().to_hash().contains("workers"));
    let (link, notes) = Link::parse("v=1&workers=2");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(link.settings.workers, 2);
    assert!(
        link.to_hash().ends_with("&backend=auto&workers=2"),
        "{}",
        link.to_hash()
    );
    assert_eq!(Link::parse(&link.to_hash()).0, link);
    let (link, notes) = Link::parse("v=1&workers=500");
    assert_eq!(link.settings.workers, Limits::WORKERS.1);
    assert_eq!(keys(&notes), vec!["workers"]);
    let (link, notes) = Link::parse("v=1&workers=many");
    assert_eq!((link.settings.workers, keys(&notes)), (0, vec!["workers"]));
}

#[test]
fn run_example_names_the_shipped_example_run() {
    let (link, notes) = Link::parse("#v=1&data=mnist&run=example");
    assert!(link.example, "{notes:?}");
    assert!(notes.is_empty(), "{notes:?}");
    assert!(link.to_hash().ends_with("&run=example"));
    assert_eq!(Link::parse(&link.to_hash()).0, link);
    assert!(!Link::default().to_hash().contains("run="));
    let (link, notes) = Link::parse("#v=1&run=mine");
    assert!(!link.example);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].key, "run");
    // A user dataset has no shipped example.
    let (link, notes) = Link::parse("#v=1&data=user-test-batch-0a1b2c3d&run=example");
    assert!(!link.example);
    assert_eq!(
        notes.iter().map(|n| n.key.as_str()).collect::<Vec<_>>(),
        ["run"]
    );
}

#[test]
fn tuning_and_predictor_travel_in_the_link_and_default_to_the_method() {
    use crate::engine::surrogate::SurrogateKind;
    use crate::engine::tuning::TuningRule;
    let mut link = Link::default();
    assert!(!link.to_hash().contains("tuning=") && !link.to_hash().contains("predictor="));
    link.settings.tuning = Some(TuningRule::MaxAccuracy);
    link.settings.predictor = Some(SurrogateKind::Ridge);
    let hash = link.to_hash();
    assert!(
        hash.contains("&tuning=max-accuracy&predictor=ridge&"),
        "{hash}"
    );
    let (back, notices) = Link::parse(&hash);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back.settings, link.settings);
    let (fallback, notices) = Link::parse("v=1&tuning=best&predictor=default");
    assert_eq!(keys(&notices), ["tuning"]);
    assert_eq!(
        (fallback.settings.tuning, fallback.settings.predictor),
        (None, None)
    );
}
