//! Tests of the link codec: hand-written links, clamping with notices, the round trip
//! `parse(to_hash(l)) == l` over generated links, and a fuzz test over ≥ 100,000
//! generated and mutated hashes (no panic, values inside the limits, idempotent).

use super::*;
use crate::app::settings::BackendChoice;
use crate::app::user_data::{LINK_FILES_MAX, LINK_FILES_TOTAL_CHARS};
use crate::engine::rng::Rng;
use proptest::prelude::*;

fn keys(notes: &[Notice]) -> Vec<&str> {
    notes.iter().map(|n| n.key.as_str()).collect()
}

#[test]
fn default_link_round_trips_without_notices() {
    let hash = Link::default().to_hash();
    assert_eq!(
        hash,
        "v=1&data=fashion-mnist&method=aebnas&target=1M&rule=margin&cost=cumulative&doe=4\
         &iters=1&k=4&epochs=1&supernet=0&train=2048&seed=1&backend=auto"
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

fn link_space_genome() -> Genome {
    let space = link_space();
    crate::engine::genome::default_genome(&space)
}

fn default_genome_text() -> String {
    link_space_genome().to_string()
}

/// A link the page could produce: settings inside the limits, a sampled canonical genome
/// with slider-grid thresholds.
fn arb_link() -> impl Strategy<Value = Link> {
    (
        (
            0usize..2,
            0usize..5,
            10_000u64..1_000_000_000,
            0usize..3,
            any::<bool>(),
            0usize..3,
        ),
        (
            1usize..=64,
            0usize..=30,
            1usize..=16,
            1usize..=20,
            0usize..=20,
            64usize..=60_000,
            0u64..=999_999,
        ),
        (
            any::<bool>(),
            any::<u64>(),
            proptest::collection::vec(0u32..=101, 6),
            0usize..3,
        ),
        (
            0usize..3,
            proptest::collection::btree_set(0usize..14, 0..5),
            proptest::option::of(0usize..4),
        ),
        (
            any::<bool>(),
            "[a-z0-9]{1,24}",
            proptest::collection::vec("[A-Za-z0-9][A-Za-z0-9._()+~/ -]{0,29}", 0..=LINK_FILES_MAX),
        ),
    )
        .prop_map(|(a, b, c, d, e)| {
            let mut l = Link::default();
            if e.0 {
                l.settings.dataset = format!("user-{}-0123abcd", e.1);
                let mut used = 0;
                l.files =
                    e.2.into_iter()
                        .filter(|n| {
                            used += n.len() + 1;
                            used <= LINK_FILES_TOTAL_CHARS + 1
                        })
                        .collect();
            }
            let s = &mut l.settings;
            if !e.0 {
                s.dataset = LINK_DATASETS[a.0].into();
            }
            s.method = Method::ALL[a.1];
            s.mac_target = a.2 as f64;
            s.exit_rule = ExitRule::ALL[a.3];
            s.cost_convention = if a.4 {
                CostConvention::TakenHead
            } else {
                CostConvention::Cumulative
            };
            s.backend = BackendChoice::ALL[a.5];
            (
                s.n_doe,
                s.iterations,
                s.per_iter,
                s.epochs,
                s.supernet_epochs,
                s.train_samples,
                s.seed,
            ) = b;
            if c.0 {
                let space = link_space();
                let g = Genome::sample(&space, s.method, &mut Rng::new(c.1))
                    .canonical(&space, s.method);
                let n = (0..space.exit_positions.len())
                    .filter(|&j| g.exit_enabled(&space, s.method, j))
                    .count();
                let thresholds = (0..n)
                    .map(|j| match c.2[j % 6] {
                        101 => NEVER,
                        k => k as f32 / 100.0,
                    })
                    .collect();
                l.candidate = Some(LinkCandidate {
                    genome: g,
                    rule: ExitRule::ALL[c.3],
                    thresholds,
                });
            }
            l.view = View::ALL[d.0];
            l.hide = d.1.into_iter().map(|i| Control::ALL[i]).collect();
            l.lesson = d.2.map(|step| (Lesson::Intro, step));
            l
        })
}

fn fuzz_cases() -> u32 {
    std::env::var("AEBNAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// A mutation of a hash: insert, delete, replace a value, duplicate a pair, or noise.
fn mutate(hash: &str, ops: &[(u8, usize, String)]) -> String {
    let mut h = hash.to_owned();
    for (op, at, text) in ops {
        let mut at = at % (h.len() + 1);
        while !h.is_char_boundary(at) {
            at -= 1;
        }
        match op % 5 {
            0 => h.insert_str(at, text),
            1 => {
                let mut end = (at + text.len()).min(h.len());
                while !h.is_char_boundary(end) {
                    end -= 1;
                }
                h.replace_range(at..end, "");
            }
            2 => {
                // Replace the value after the next '='.
                if let Some(eq) = h[at..].find('=') {
                    let start = at + eq + 1;
                    let end = h[start..].find('&').map_or(h.len(), |e| start + e);
                    h.replace_range(start..end, text);
                }
            }
            3 => {
                let pair = h.split('&').nth(at % 16).unwrap_or("").to_owned();
                h.push('&');
                h.push_str(&pair);
                h.push_str(text);
            }
            _ => h = text.clone(),
        }
    }
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn round_trip(link in arb_link()) {
        let hash = link.to_hash();
        prop_assert!(hash.len() < 2000);
        let (back, notes) = Link::parse(&hash);
        prop_assert!(notes.is_empty(), "{:?}", notes);
        prop_assert_eq!(back, link);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn fuzz_never_panics_and_stays_in_limits(
        link in arb_link(),
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), prop_oneof![
            "[a-z=&,.%0-9+-]{0,12}",
            "(1e308|-1|NaN|inf|999999999999999999999999|0x10|off|7|%FF%FE|\u{1F600})",
            ".{0,24}",
        ]), 0..4),
    ) {
        let hash = mutate(&link.to_hash(), &ops);
        let (parsed, _) = Link::parse(&hash);
        prop_assert_eq!(parsed.settings.clone().clamped(), parsed.settings.clone());
        if let Some(c) = &parsed.candidate {
            prop_assert!(c.thresholds.iter().all(|&t| (0.0..=1.0).contains(&t) || t == NEVER));
        }
        // What was taken is a valid link: it writes and reads back unchanged.
        let again = parsed.to_hash();
        prop_assert!(again.len() < 2000);
        let (back, notes) = Link::parse(&again);
        prop_assert!(notes.is_empty(), "{:?}", notes);
        prop_assert_eq!(back, parsed);
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
