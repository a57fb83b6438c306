//! Unit tests of the page's reducer ([`AppState::apply`]), natively.

use super::*;
use crate::engine::results::RunResults;
use crate::engine::tuning::TuningRule;
use crate::playground::compare_state::CompareEvent;
use crate::playground::setting_fields::Field;

fn state() -> AppState {
    AppState::new(Settings::default())
}

#[test]
fn a_setting_takes_good_text_clamped_and_ignores_bad_text() {
    let mut s = state();
    assert!(s.apply(Action::SetSetting(Field::Doe, "500".into())));
    assert_eq!(s.settings.n_doe, 64, "clamped into the table's limits");
    assert!(!s.apply(Action::SetSetting(Field::Doe, "lots".into())));
    assert_eq!(s.settings.n_doe, 64);
    // The dataset changes only through SelectDataset.
    s.apply(Action::SetSetting(Field::Dataset, "mnist".into()));
    assert_eq!(s.settings.dataset, Settings::default().dataset);
}

#[test]
fn errors_get_ids_and_a_newer_unsaved_note_replaces_the_older() {
    let mut s = state();
    s.apply(Action::ReportError {
        title: "a".into(),
        detail: "first".into(),
    });
    for detail in ["3 not saved", "4 not saved"] {
        s.apply(Action::RunNotSaved {
            title: "not saved".into(),
            detail: detail.into(),
        });
    }
    let details: Vec<&str> = s.errors.notes.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(details, ["first", "4 not saved"]);
    assert!(s.errors.notes[1].offers_run && s.errors.notes[0].id < s.errors.notes[1].id);
    assert!(s.apply(Action::RunSaved));
    assert!(!s.apply(Action::RunSaved), "nothing left to take down");
    let id = s.errors.notes[0].id;
    s.apply(Action::DismissError(id));
    assert!(s.errors.notes.is_empty());
}

#[test]
fn late_data_reports_for_a_dataset_left_behind_are_dropped() {
    let mut s = state();
    let other = "mnist".to_owned();
    assert_ne!(s.data.id, other);
    assert!(!s.apply(Action::DataFailed {
        id: other,
        message: "gone".into(),
    }));
    assert!(s.errors.notes.is_empty() && s.data.failed.is_none());
    let id = s.data.id.clone();
    assert!(s.apply(Action::DataFailed {
        id,
        message: "network down".into(),
    }));
    assert_eq!(s.data.failed.as_deref(), Some("network down"));
    assert_eq!(s.errors.notes.len(), 1);
}

#[test]
fn the_page_s_own_search_stops_a_comparison_and_the_dataset_stays_while_busy() {
    let mut s = state();
    let base = crate::engine::results::SearchSettings {
        n_doe: 2,
        ..crate::engine::results::SearchSettings::for_tests(
            "fashion-mnist",
            1.0e6,
            TuningRule::Grid,
        )
    };
    s.run.run = Some(Shared::new(RunResults::new(base.clone())));
    s.apply(Action::Compare(CompareEvent::Start { base }));
    assert!(s.compare.running());
    s.apply(Action::Run(RunEvent::Requested { resume: false }));
    assert!(!s.compare.running(), "a new search takes the cores");
    assert!(s.run.status.is_busy());
    assert!(!s.apply(Action::SelectDataset("mnist".into())));
    assert_eq!(s.settings.dataset, Settings::default().dataset);
}

#[test]
fn the_start_settles_once_the_test_images_and_the_wanted_example_are_in() {
    let mut s = state();
    assert!(!s.start_settled(), "nothing loaded yet");
    s.apply(Action::WantExample);
    assert!(s.page.example_wanted, "a bare page wants the example");
    let id = s.data.id.clone();
    s.apply(Action::DataFailed {
        id,
        message: "offline".into(),
    });
    assert!(!s.start_settled(), "the example is still on its way");
    s.apply(Action::ExampleUnavailable("data/x.json: 404".into()));
    assert!(
        s.start_settled(),
        "an unavailable example ends the wait too"
    );
    // Without an example wanted, the test images alone settle it.
    let mut t = state();
    let id = t.data.id.clone();
    t.apply(Action::DataFailed {
        id,
        message: "offline".into(),
    });
    assert!(t.start_settled());
}
