//! Search-space and method tests.

use super::*;
use crate::engine::exits::ExitRule;

#[test]
fn make_divisible_matches_ofa() {
    assert_eq!(make_divisible(72.0, 8), 72);
    assert_eq!(make_divisible(120.0 / 4.0, 8), 32); // 30 → 32
                                                    // (18 + 4) / 8 = 2 → 16, but 16 < 0.9·18 = 16.2 → 24
    assert_eq!(make_divisible(18.0, 8), 24);
    assert_eq!(make_divisible(3.0, 8), 8); // never below the divisor
}

#[test]
fn presets_have_the_stated_choice_sets() {
    let b = SearchSpace::browser_default();
    assert_eq!(b.resolutions, vec![20, 24, 28]);
    assert_eq!(
        SearchSpace::browser(3, 32, 10).resolutions,
        vec![24, 28, 32]
    );
    assert_eq!(b.exit_positions, vec![0, 1, 2]);
    let p = SearchSpace::paper();
    assert_eq!(p.resolutions.len(), 11);
    assert_eq!(p.resolutions[10], 72);
    assert_eq!(p.threshold_off_index(), Some(2));
    let json = serde_json::to_string(&p).unwrap();
    let back: SearchSpace = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}

#[test]
fn method_parses_and_serialises_lowercase() {
    for m in Method::ALL {
        assert_eq!(m.name().parse::<Method>().unwrap(), m);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            format!("\"{}\"", m.name())
        );
    }
    assert!("foo".parse::<Method>().is_err());
    assert_eq!(Method::Sdn.default_exit_rule_name(), "max_softmax");
    assert_eq!(Method::Sdn.default_exit_rule(), ExitRule::MaxSoftmax);
    assert_eq!(Method::Edanas.default_exit_rule(), ExitRule::Margin);
}
