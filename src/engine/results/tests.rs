//! Tests of reading results documents: a version-1 file, a future version.

use super::*;

const V1: &str = include_str!("../../../tests/fixtures/cli-run.json");

#[test]
fn a_version_1_file_reads_its_test_figures_as_test_and_chooses_on_validation() {
    let raw: serde_json::Value = serde_json::from_str(V1).unwrap();
    assert_eq!(raw["version"], 1);
    let run = RunResults::from_json(V1).unwrap();
    assert_eq!(run.version, RESULTS_VERSION);
    assert_eq!(run.settings.tuning, TuningRule::CutPoints);
    for (c, old) in run.archive.iter().zip(raw["archive"].as_array().unwrap()) {
        assert_eq!(c.test_accuracy, old["accuracy"].as_f64().unwrap());
        assert_eq!(c.test_avg_macs, old["avg_macs"].as_f64().unwrap());
        assert_eq!(c.val_accuracy, old["val_accuracy"].as_f64().unwrap());
        assert_eq!(c.val_avg_macs, old["val_avg_macs"].as_f64().unwrap());
        assert_eq!(
            c.test_final_exit_accuracy,
            old["final_exit_accuracy"].as_f64().unwrap()
        );
        assert_eq!(c.test_exit_rates.len(), c.thresholds.len() + 1);
        assert!(c.val_exit_rates.is_empty() && c.val_tuned.is_empty());
    }
    assert_eq!(
        run.pareto_front,
        crate::engine::search::pareto_indices(&run.archive)
    );
    // Written back, it is a version-2 file with distinct val_* and test_* fields.
    let text = run.to_json();
    assert!(text.contains("\"test_accuracy\"") && !text.contains("\"accuracy\""));
    assert_eq!(RunResults::from_json(&text).unwrap(), run);
}

#[test]
fn a_future_version_is_refused() {
    let text = V1.replacen("\"version\": 1", "\"version\": 99", 1);
    assert!(matches!(
        RunResults::from_json(&text),
        Err(ResultsError::FutureVersion(99))
    ));
}
