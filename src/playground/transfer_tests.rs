//! Export → import round trips, the CLI's results file, and refusals.

use super::*;
use crate::engine::genome::{default_genome, Genome};
use crate::playground::link::link_space;

const CLI_RUN: &str = include_str!("../../tests/fixtures/cli-run.json");

#[test]
fn the_cli_results_file_imports_as_a_run() {
    match parse_import(CLI_RUN.len() as u64, CLI_RUN, &Settings::default()) {
        Ok(Imported::Run(run, caches, clamped)) => {
            assert!(clamped.is_empty(), "{clamped:?}");
            assert!(run.archive.len() >= 2, "{} candidates", run.archive.len());
            assert!(caches.is_empty(), "the CLI writes no page caches");
            assert!(run
                .archive
                .iter()
                .all(|c| (0.0..=1.0).contains(&c.test_accuracy)));
        }
        other => panic!("expected a run, got {other:?}"),
    }
}

#[test]
fn a_run_file_round_trips_with_its_caches() {
    let run = RunResults::from_json(CLI_RUN).unwrap();
    let cache = CompactCache {
        v: 1,
        exits: 2,
        classes: 10,
        margin: "AAAA".into(),
        max_softmax: "AAAA".into(),
        entropy: "AAAA".into(),
        predicted: "AA".into(),
        labels: "AA".into(),
    };
    let caches = BTreeMap::from([(0usize, cache.clone()), (999usize, cache.clone())]);
    let text = run_file(&run, &caches);
    // The CLI's reader takes the page's file (the extra key is ignored).
    assert_eq!(RunResults::from_json(&text).unwrap(), run);
    match parse_import(text.len() as u64, &text, &Settings::default()).unwrap() {
        Imported::Run(back, back_caches, _) => {
            assert_eq!(*back, run);
            assert_eq!(
                back_caches,
                BTreeMap::from([(0usize, cache)]),
                "caches past the archive are dropped"
            );
        }
        other => panic!("expected a run, got {other:?}"),
    }
}

#[test]
fn a_candidate_file_round_trips_into_a_link() {
    let space = link_space();
    let genome = default_genome(&space);
    let settings = Settings {
        seed: 77,
        epochs: 3,
        ..Settings::default()
    };
    let candidate = LinkCandidate {
        genome: genome.clone(),
        rule: ExitRule::Entropy,
        thresholds: vec![0.35, 2.0],
    };
    let text = candidate_file(&settings, &candidate, Some((0.81, 1.2e5)));
    match parse_import(text.len() as u64, &text, &Settings::default()).unwrap() {
        Imported::Candidate(link, notices) => {
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(link.candidate, Some(candidate));
            assert_eq!((link.settings.seed, link.settings.epochs), (77, 3));
        }
        other => panic!("expected a candidate, got {other:?}"),
    }
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    let s = Settings::default();
    let err = |size: u64, text: &str| parse_import(size, text, &s).unwrap_err().to_string();
    assert!(err(MAX_IMPORT_BYTES + 1, "{}").contains("limit"));
    assert!(err(5, "{nope").contains("not a JSON file"));
    assert!(err(2, "{}").contains("neither a run"));
    let future = CLI_RUN.replacen("\"version\": 1", "\"version\": 99", 1);
    assert!(
        err(future.len() as u64, &future).contains("not a valid run"),
        "{}",
        err(future.len() as u64, &future)
    );
    let bad_genome = candidate_file(
        &s,
        &LinkCandidate {
            genome: Genome(vec![1, 2, 3]),
            rule: ExitRule::Margin,
            thresholds: vec![],
        },
        None,
    );
    assert!(err(bad_genome.len() as u64, &bad_genome).contains("cannot be opened"));
    let truncated = &CLI_RUN[..CLI_RUN.len() / 2];
    assert!(err(truncated.len() as u64, truncated).contains("not a JSON file"));
}

#[test]
fn refusals_are_typed_and_keep_their_messages() {
    let s = Settings::default();
    let err = |size: u64, text: &str| parse_import(size, text, &s).unwrap_err();
    let big = err(MAX_IMPORT_BYTES + 1, "{}");
    assert_eq!(
        big,
        TransferError::TooLarge {
            size: MAX_IMPORT_BYTES + 1
        }
    );
    assert_eq!(big.to_string(), "the file is 67.1 MB; the limit is 64 MB");
    let not_json = err(5, "{nope");
    assert!(
        matches!(not_json, TransferError::NotJson(_)),
        "{not_json:?}"
    );
    assert_eq!(
        not_json.to_string(),
        "not a JSON file: key must be a string at line 1 column 2"
    );
    assert_eq!(err(2, "{}"), TransferError::Unrecognised);
    assert_eq!(
        err(2, "{}").to_string(),
        "neither a run (results with `settings` and `archive`) nor a candidate file"
    );
    let newer = r#"{"format":"aebnas-candidate","version":2,"dataset":"mnist","method":"aebnas","genome":"1","exit_rule":"margin","thresholds":[],"seed":1,"epochs":1,"train_samples":1,"accuracy":null,"avg_macs":null}"#;
    assert_eq!(
        err(newer.len() as u64, newer).to_string(),
        "candidate file version 2 is newer than this page understands (1)"
    );
    let future = CLI_RUN.replacen("\"version\": 1", "\"version\": 99", 1);
    let unreadable = err(future.len() as u64, &future);
    assert!(
        matches!(unreadable, TransferError::UnreadableRun(_)),
        "{unreadable:?}"
    );
    assert!(unreadable.to_string().starts_with("not a valid run: "));
}

#[cfg(feature = "train")]
#[test]
fn a_weights_file_opens_its_network_with_its_thresholds() {
    use crate::engine::arch::Architecture;
    use crate::model::network::EarlyExitNet;
    use crate::model::weights::{export_weights, WeightsMeta, WEIGHTS_VERSION};
    let space = link_space();
    let genome = default_genome(&space);
    let arch = Architecture::decode(&space, Method::Aebnas, &genome).unwrap();
    let device = burn::tensor::Device::flex();
    let net = EarlyExitNet::from_scratch(&arch, 1, &device).unwrap();
    let meta = WeightsMeta {
        version: WEIGHTS_VERSION,
        genome: genome.to_string(),
        method: Method::Aebnas,
        dataset: "mnist".into(),
        input: (1, 28, 28),
        classes: 10,
        seed: 42,
        exit_rule: ExitRule::MaxSoftmax,
        thresholds: vec![0.75, 2.0],
    };
    let bytes = pollster::block_on(export_weights(&net, &meta)).unwrap();
    assert!(is_weights_file("net.BPK", b"") && is_weights_file("x", &bytes[..8]));
    assert!(!is_weights_file("run.json", b"{\"a\""));
    let (link, notices) = parse_weights(&bytes, &Settings::default()).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(link.settings.dataset, "mnist");
    assert_eq!(link.settings.seed, 42);
    let c = link.candidate.expect("a candidate");
    assert_eq!(c.genome, genome.canonical(&space, Method::Aebnas));
    assert_eq!(c.rule, ExitRule::MaxSoftmax);
    assert_eq!(c.thresholds[0], 0.75);
    assert!(c.thresholds[1] > 1.0, "an exit that was off stays off");
    assert!(matches!(
        parse_weights(b"NRUB but not a record", &Settings::default()),
        Err(TransferError::Weights(_))
    ));
    // A truncated file is refused before anything changes.
    assert!(parse_weights(&bytes[..bytes.len() / 2], &Settings::default()).is_err());
}
