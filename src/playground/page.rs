//! What a link adds to the search state: the open view, hidden controls, the lesson, the
//! notices about a link's ignored values, and a linked network waiting to be trained.
//! [`link_of`] writes the page's state as a [`Link`]; [`resolve_pending`] selects the
//! linked network once the run holds it. Pure (tested natively).

use std::collections::BTreeSet;

use super::controls::{Control, View};
use super::lesson::Lesson;
use super::link::{Link, LinkCandidate, Notice};
use super::run_state::{RunState, ViewState};
use super::settings::Settings;
use super::user_data::is_user_id;

/// The page-level state a link restores (besides the settings and the selection).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    /// The section the page opened at (scrolled to once).
    pub view: View,
    /// Controls hidden for a classroom page.
    pub hide: BTreeSet<Control>,
    /// A guided lesson and its step.
    pub lesson: Option<(Lesson, usize)>,
    /// What the last opened link could not use, shown until dismissed.
    pub notices: Vec<Notice>,
    /// The linked network, until the run holds it and it is selected.
    pub pending: Option<LinkCandidate>,
    /// The files of the selected user dataset (what a link names); empty for shipped data.
    pub files: Vec<String>,
    /// A link named a user dataset this browser does not hold (shown until dismissed).
    pub missing: Option<MissingData>,
    /// The dataset's shipped example run is wanted (a first visit, or a link's
    /// `run=example`) and not shown yet; the page fetches it.
    pub example_wanted: bool,
}

/// A user dataset a link named that is not stored here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MissingData {
    /// The dataset id from the link.
    pub id: String,
    /// The files the recipient must load (from the link; may be empty).
    pub files: Vec<String>,
}

impl PageState {
    /// Whether `control` is shown.
    pub fn shows(&self, control: Control) -> bool {
        !self.hide.contains(&control)
    }
}

/// The link of the page as it is now: the settings, the selected candidate (or the one
/// waiting to be trained) with its sliders, the view, hidden controls and lesson.
pub fn link_of(settings: &Settings, run: &RunState, page: &PageState) -> Link {
    let selected = run.view.as_ref().and_then(|v| {
        let record = run.run.as_ref()?.archive.get(v.index)?;
        Some(LinkCandidate {
            genome: record.genome.clone(),
            rule: v.rule,
            thresholds: v.thresholds.iter().map(|&t| slider_value(t)).collect(),
        })
    });
    Link {
        settings: Settings {
            smoke_steps: Settings::default().smoke_steps,
            samples_shown: Settings::default().samples_shown,
            ..settings.clone()
        },
        candidate: page.pending.clone().or(selected),
        files: if is_user_id(&settings.dataset) {
            page.files.clone()
        } else {
            Vec::new()
        },
        view: page.view,
        hide: page.hide.clone(),
        lesson: page.lesson,
        example: run.example || page.example_wanted,
    }
}

/// A threshold as a link carries it: the slider's 0.01 grid, or off.
fn slider_value(t: f32) -> f32 {
    if t > 1.0 {
        crate::engine::assign::NEVER
    } else {
        (t.clamp(0.0, 1.0) * 100.0).round() / 100.0
    }
}

/// Selects the pending linked network when the run holds it (same genome and method),
/// with the link's rule and thresholds; clears `pending` then. Returns whether it did.
pub fn resolve_pending(
    run: &mut RunState,
    pending: &mut Option<LinkCandidate>,
    settings: &Settings,
) -> bool {
    let Some(want) = pending.as_ref() else {
        return false;
    };
    let Some(records) = run.run.as_ref().map(|r| &r.archive) else {
        return false;
    };
    let Some(index) = records
        .iter()
        .position(|c| c.genome == want.genome && c.method == settings.method)
    else {
        return false;
    };
    let record = &records[index];
    let thresholds = if record.thresholds.len() == want.thresholds.len() {
        want.thresholds.clone()
    } else {
        record.thresholds.clone()
    };
    run.view = Some(ViewState {
        index,
        rule: want.rule,
        thresholds,
    });
    *pending = None;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exits::ExitRule;
    use crate::engine::genome::Genome;
    use crate::engine::results::{CandidateRecord, RunResults};
    use crate::playground::shared::Shared;

    fn record(genome: Vec<u32>, thresholds: Vec<f32>) -> CandidateRecord {
        CandidateRecord {
            genome: Genome(genome),
            method: crate::engine::space::Method::Aebnas,
            iteration: 0,
            thresholds: thresholds.clone(),
            exit_rule: ExitRule::Margin,
            exit_positions: (0..thresholds.len()).collect(),
            val_accuracy: 0.8,
            val_avg_macs: 1e5,
            val_exit_rates: vec![1.0 / (thresholds.len() + 1) as f64; thresholds.len() + 1],
            test_accuracy: 0.8,
            test_final_exit_accuracy: 0.8,
            test_avg_macs: 1e5,
            test_exit_rates: vec![1.0 / (thresholds.len() + 1) as f64; thresholds.len() + 1],
            exit_costs: vec![1e5; thresholds.len() + 1],
            test_exit_accuracies: vec![Some(0.8); thresholds.len() + 1],
            val_tuned: Vec::new(),
            train_seconds: 1.0,
            predicted: None,
        }
    }

    fn run_with(records: Vec<CandidateRecord>) -> RunState {
        let settings = Settings::default().search_settings();
        let mut run = RunResults::new(settings);
        run.archive = records;
        RunState {
            run: Some(Shared::new(run)),
            ..RunState::default()
        }
    }

    #[test]
    fn pending_link_selects_the_matching_candidate_with_link_thresholds() {
        let mut run = run_with(vec![
            record(vec![1, 2], vec![0.2]),
            record(vec![3, 4], vec![0.1, 0.2]),
        ]);
        let mut pending = Some(LinkCandidate {
            genome: Genome(vec![3, 4]),
            rule: ExitRule::Entropy,
            thresholds: vec![0.55, 2.0],
        });
        assert!(resolve_pending(
            &mut run,
            &mut pending,
            &Settings::default()
        ));
        assert_eq!(pending, None);
        assert_eq!(
            run.view,
            Some(ViewState {
                index: 1,
                rule: ExitRule::Entropy,
                thresholds: vec![0.55, 2.0]
            })
        );
    }

    #[test]
    fn pending_link_waits_while_the_run_lacks_the_genome() {
        let mut run = run_with(vec![record(vec![1, 2], vec![0.2])]);
        let want = LinkCandidate {
            genome: Genome(vec![9, 9]),
            rule: ExitRule::Margin,
            thresholds: vec![0.5],
        };
        let mut pending = Some(want.clone());
        assert!(!resolve_pending(
            &mut run,
            &mut pending,
            &Settings::default()
        ));
        assert_eq!(pending, Some(want.clone()));
        // The link written meanwhile still carries the waiting network.
        let page = PageState {
            pending: pending.clone(),
            ..PageState::default()
        };
        assert_eq!(
            link_of(&Settings::default(), &run, &page).candidate,
            Some(want)
        );
    }

    #[test]
    fn link_of_carries_the_selection_on_the_slider_grid() {
        let mut run = run_with(vec![record(vec![1, 2], vec![0.2, 0.3])]);
        run.view = Some(ViewState {
            index: 0,
            rule: ExitRule::MaxSoftmax,
            thresholds: vec![0.123_456, 2.0],
        });
        let link = link_of(&Settings::default(), &run, &PageState::default());
        let c = link.candidate.unwrap();
        assert_eq!(
            (c.genome, c.rule, c.thresholds),
            (Genome(vec![1, 2]), ExitRule::MaxSoftmax, vec![0.12, 2.0])
        );
    }
}
