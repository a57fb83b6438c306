//! Generated links for the link codec: the round trip `parse(to_hash(l)) == l` over
//! links the page could produce, and a fuzz test over ≥ 100,000 generated and mutated
//! hashes (no panic, values inside the limits, idempotent).

use super::*;
use crate::engine::assign::NEVER;
use crate::engine::results::CostConvention;
use crate::engine::rng::Rng;
use crate::engine::space::Method;
use crate::playground::settings::BackendChoice;
use crate::playground::user_data::{LINK_FILES_MAX, LINK_FILES_TOTAL_CHARS};
use proptest::prelude::*;

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
                l.files = within_files_budget(e.2);
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
                l.candidate = Some(sampled_candidate(s.method, c.1, &c.2, c.3));
            }
            l.view = View::ALL[d.0];
            l.hide = d.1.into_iter().map(|i| Control::ALL[i]).collect();
            l.lesson = d.2.map(|step| (Lesson::Intro, step));
            // The shipped example run exists for the shipped datasets only.
            l.example = c.1 % 2 == 0 && !is_user_id(&l.settings.dataset);
            l
        })
}

/// File names up to the link's total length for them.
fn within_files_budget(names: Vec<String>) -> Vec<String> {
    let mut used = 0;
    names
        .into_iter()
        .filter(|n| {
            used += n.len() + 1;
            used <= LINK_FILES_TOTAL_CHARS + 1
        })
        .collect()
}

/// A canonical genome sampled with `seed` for `method`, its sliders on the 0.01 grid
/// (101 = never leave) from `grid`, confidence rule number `rule`.
fn sampled_candidate(method: Method, seed: u64, grid: &[u32], rule: usize) -> LinkCandidate {
    let space = link_space();
    let g = Genome::sample(&space, method, &mut Rng::new(seed)).canonical(&space, method);
    let n = (0..space.exit_positions.len())
        .filter(|&j| g.exit_enabled(&space, method, j))
        .count();
    let thresholds = (0..n)
        .map(|j| match grid[j % grid.len()] {
            101 => NEVER,
            k => k as f32 / 100.0,
        })
        .collect();
    LinkCandidate {
        genome: g,
        rule: ExitRule::ALL[rule],
        thresholds,
    }
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
