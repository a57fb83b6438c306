//! Imported runs and candidates are checked like links: non-finite and out-of-range
//! numbers, settings past the controls' limits, exits outside the space, and genome text
//! that tries to set other link keys.

use crate::engine::exits::ExitRule;
use crate::engine::genome::default_genome;
use crate::engine::search::total_evaluations;
use crate::playground::link::LinkCandidate;
use crate::playground::settings::Settings;
use crate::playground::transfer::{candidate_file, parse_import, Imported};
use serde_json::{json, Value};

const CLI_RUN: &str = include_str!("../../tests/fixtures/cli-run.json");

/// The CLI's run with `edit` applied to its JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(CLI_RUN).unwrap();
    edit(&mut v);
    serde_json::to_string(&v).unwrap()
}

/// The import of `text`, refusals as the message the user sees.
fn import(text: &str) -> Result<Imported, String> {
    parse_import(text.len() as u64, text, &Settings::default()).map_err(|e| e.to_string())
}

#[test]
fn a_threshold_that_overflows_f32_is_refused_not_saved_as_null() {
    let text = edited(|v| v["archive"][0]["thresholds"][0] = json!(1e39));
    assert!(
        text.contains("1e+39"),
        "the edit is in the file: {}",
        &text[..200]
    );
    let err = import(&text).unwrap_err();
    assert!(
        err.contains("candidate 1") && err.contains("not a finite number"),
        "{err}"
    );
    // Numbers past f64 do not even parse.
    let huge = CLI_RUN.replacen("\"wall_seconds\": ", "\"wall_seconds\": 1e400, \"x\": ", 1);
    assert!(import(&huge).is_err());
    // The largest f64 is finite: a wall time of 1.8e308 s is odd but readable.
    let text = edited(|v| v["wall_seconds"] = json!(f64::MAX));
    assert!(import(&text).is_ok());
}

#[test]
fn non_finite_values_anywhere_in_a_record_are_refused() {
    for field in ["exit_rates", "exit_costs"] {
        let text = edited(|v| v["archive"][1][field][0] = json!(1e39_f64 * 1e300));
        // serde_json writes a non-finite f64 as null: the reader refuses the null.
        assert!(import(&text).is_err(), "{field}");
    }
    let text = edited(|v| v["archive"][0]["predicted"] = json!([0.5, 1e39]));
    assert!(import(&text).is_ok(), "1e39 is a finite f64");
    let text = edited(|v| v["archive"][0]["thresholds"] = json!([3.5e38, 3.5e38]));
    let err = import(&text).unwrap_err();
    assert!(err.contains("not a finite number"), "{err}");
}

#[test]
fn settings_past_the_controls_limits_are_clamped_and_named() {
    let big = u32::MAX as u64;
    let text = edited(|v| {
        let s = &mut v["settings"];
        s["n_doe"] = json!(big);
        s["iterations"] = json!(big);
        s["per_iter"] = json!(big);
        s["epochs"] = json!(0);
        s["train_samples"] = json!(1);
        s["seed"] = json!(u64::MAX);
        s["mac_target"] = json!(1e300);
    });
    let Imported::Run(run, _, notes) = import(&text).unwrap() else {
        panic!("expected a run");
    };
    let s = &run.settings;
    assert_eq!((s.n_doe, s.iterations, s.per_iter), (64, 30, 16));
    assert_eq!((s.epochs, s.train_samples, s.seed), (1, Some(64), 999_999));
    assert_eq!(s.mac_target, 1e9);
    assert_eq!(total_evaluations(s), 64 + 30 * 16);
    assert_eq!(notes.len(), 7, "{notes:?}");
    assert!(
        notes[0].starts_with("initial sample 4294967295 → 64"),
        "{notes:?}"
    );
    // The CLI's own run is within the limits: nothing to say.
    let Imported::Run(_, _, notes) = import(CLI_RUN).unwrap() else {
        panic!("expected a run");
    };
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn the_total_of_evaluations_cannot_overflow() {
    let Imported::Run(run, _, _) = import(CLI_RUN).unwrap() else {
        panic!("expected a run");
    };
    let mut s = run.settings.clone();
    (s.n_doe, s.iterations, s.per_iter) = (usize::MAX, usize::MAX, usize::MAX);
    assert_eq!(total_evaluations(&s), usize::MAX);
}

#[test]
fn exits_outside_the_space_or_out_of_order_are_refused() {
    let text = edited(|v| v["archive"][0]["exit_positions"][0] = json!(u32::MAX));
    let err = import(&text).unwrap_err();
    assert!(
        err.contains("candidate 1: exit position 4294967295 is outside"),
        "{err}"
    );
    let text = edited(|v| {
        let p = v["archive"][0]["exit_positions"]
            .as_array()
            .unwrap()
            .clone();
        let mut r = p.clone();
        r.reverse();
        if p.len() >= 2 {
            v["archive"][0]["exit_positions"] = json!(r);
        } else {
            v["archive"][0]["exit_positions"] = json!([1, 1]);
        }
    });
    assert!(import(&text).is_err());
    let text = edited(|v| v["archive"][1]["genome"] = json!([9, 9, 9]));
    let err = import(&text).unwrap_err();
    assert!(
        err.contains("candidate 2: its genome does not fit"),
        "{err}"
    );
}

#[test]
fn genome_text_cannot_set_other_link_keys() {
    let genome = default_genome(&crate::playground::link::link_space());
    let candidate = LinkCandidate {
        genome,
        rule: ExitRule::Margin,
        thresholds: vec![0.5, 0.5],
    };
    let text = candidate_file(&Settings::default(), &candidate, None);
    let good = default_genome(&crate::playground::link::link_space()).to_string();
    let injected = format!("{good}&seed=5&data=mnist&view=results");
    let text = text.replacen(&format!("\"{good}\""), &format!("\"{injected}\""), 1);
    assert!(
        text.contains("&seed=5"),
        "the file carries the injected text"
    );
    match import(&text) {
        Err(e) => assert!(e.contains("cannot be opened"), "{e}"),
        Ok(Imported::Candidate(link, _)) => panic!(
            "the injected genome opened a link: seed {}, data {}",
            link.settings.seed, link.settings.dataset
        ),
        Ok(other) => panic!("expected a refusal, got {other:?}"),
    }
}
