//! The page's reducer ([`AppState::apply`], yew-free; `app/state.rs` makes it yew's
//! `Reducible`), by kind of action: the dataset and its samples, errors and background
//! status, the search run and the comparison, the page itself. Each part returns whether
//! anything changed.

use super::{Action, AppState, ErrorEvent};
use crate::playground::backend::Backend;
use crate::playground::compare_state::CompareEvent;
use crate::playground::data_state::{DataEvent, DataState};
use crate::playground::page::resolve_pending;
use crate::playground::run_state::RunEvent;
use crate::playground::settings::Settings;
use crate::playground::shared::Shared;
use crate::playground::smoke_state::SmokeState;
use crate::playground::user_data::is_user_id;

impl AppState {
    /// Applies `action`; returns whether anything changed (an unchanged state is not
    /// re-rendered).
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Run(event) => self.reduce_run(event),
            Action::Compare(event) => self.compare.apply(event),
            a @ (Action::CatalogLoaded(_)
            | Action::UserSetsLoaded(_)
            | Action::SelectDataset(_)
            | Action::DataLoading { .. }
            | Action::SamplesLoaded { .. }
            | Action::DataFailed { .. }) => self.reduce_data(a),
            a @ (Action::ReportError { .. }
            | Action::RunNotSaved { .. }
            | Action::RunSaved
            | Action::DismissError(_)
            | Action::Smoke(_)
            | Action::BackendReady(_)
            | Action::BackendInUse { .. }) => self.reduce_status(a),
            a => self.reduce_page(a),
        }
    }
}

impl AppState {
    /// The dataset: catalog, stored sets, the choice, its samples.
    fn reduce_data(&mut self, action: Action) -> bool {
        match action {
            Action::CatalogLoaded(catalog) => {
                self.catalog = Some(catalog);
                self.settle_dataset();
            }
            Action::UserSetsLoaded(list) => {
                self.user = Some(list);
                self.settle_dataset();
            }
            Action::SelectDataset(id) => {
                if id == self.settings.dataset || self.smoke.running || self.run.status.is_busy() {
                    return false;
                }
                self.page.files = self
                    .user_meta(&id)
                    .map(|m| m.files.clone())
                    .unwrap_or_default();
                self.settings.dataset = id.clone();
                // An example belongs to its dataset: the new dataset's example replaces it.
                if self.run.example {
                    self.run.apply(RunEvent::Cleared);
                    self.page.example_wanted = !is_user_id(&id);
                }
                self.data = DataState {
                    id,
                    ..DataState::default()
                };
                self.smoke = SmokeState::default();
            }
            Action::DataLoading { id, what } => {
                return self.data.apply(&id, DataEvent::Loading(what))
            }
            Action::SamplesLoaded {
                id,
                samples,
                test,
                elapsed_ms,
            } => {
                let loaded = DataEvent::Loaded {
                    samples,
                    test,
                    elapsed_ms,
                };
                return self.data.apply(&id, loaded);
            }
            Action::DataFailed { id, message } => {
                if !self.data.apply(&id, DataEvent::Failed(message.clone())) {
                    return false;
                }
                let title = format!("Could not load {}", self.dataset_name(&id));
                self.push_error(title, message);
            }
            _ => return false,
        }
        true
    }

    /// Errors, smoke training, the backend.
    fn reduce_status(&mut self, action: Action) -> bool {
        match action {
            Action::BackendReady(backend) => self.backend = Some(backend),
            Action::BackendInUse { kind, detail } => {
                match Backend::in_use(self.backend.as_deref(), kind, detail) {
                    Some(b) => self.backend = Some(Shared::new(b)),
                    None => return false,
                }
            }
            Action::Smoke(event) => match self.smoke.apply(event) {
                (false, _) => return false,
                (true, Some(failure)) => {
                    self.push_error("Smoke training failed".to_owned(), failure)
                }
                (true, None) => {}
            },
            Action::ReportError { title, detail } => {
                return self.errors.apply(ErrorEvent::Report { title, detail })
            }
            Action::RunNotSaved { title, detail } => {
                return self.errors.apply(ErrorEvent::RunNotSaved { title, detail })
            }
            Action::RunSaved => return self.errors.apply(ErrorEvent::RunSaved),
            Action::DismissError(id) => return self.errors.apply(ErrorEvent::Dismiss(id)),
            _ => return false,
        }
        true
    }

    /// The search run (the run reducer), and the page's example and pending network.
    fn reduce_run(&mut self, event: RunEvent) -> bool {
        match &event {
            // A late example does not replace a run the user started or opened.
            RunEvent::Restored { example: true, .. } if !self.page.example_wanted => {
                return false;
            }
            RunEvent::Restored { .. } | RunEvent::Requested { resume: false } => {
                self.page.example_wanted = false
            }
            _ => {}
        }
        // The page's own search takes the cores, and another run is another problem: a
        // comparison stops (and continues from where it stopped when started again).
        if matches!(
            event,
            RunEvent::Requested { .. } | RunEvent::Restored { .. } | RunEvent::Cleared
        ) {
            self.compare.apply(CompareEvent::Stop);
        }
        if let Some(note) = self.run.apply(event) {
            self.push_error(note.title, note.detail);
        }
        resolve_pending(&mut self.run, &mut self.page.pending, &self.settings);
        true
    }

    /// Settings, links, notices, lessons, the example's wish.
    fn reduce_page(&mut self, action: Action) -> bool {
        match action {
            Action::SetSetting(field, value) => {
                let dataset = self.settings.dataset.clone();
                let mut settings = self.settings.clone();
                // A control's text that does not parse changes nothing (the MAC target's
                // control says why itself).
                if field.set(&mut settings, &value).is_err() {
                    return false;
                }
                self.settings = Settings {
                    dataset,
                    ..settings.clamped()
                };
            }
            Action::ApplyLink { link, notices } => self.apply_link(*link, notices),
            Action::DismissNotices => {
                self.page.notices.clear();
                self.page.missing = None;
            }
            Action::SetHidden(hide) => self.page.hide = hide,
            Action::EndLesson => self.page.lesson = None,
            Action::DropPending => self.page.pending = None,
            Action::WantExample => {
                self.page.example_wanted = self.run.run.is_none()
                    && !self.run.status.is_busy()
                    && !is_user_id(&self.settings.dataset)
            }
            Action::ExampleUnavailable(why) => {
                if self.page.example_wanted {
                    self.page.example_wanted = false;
                    self.push_error("The example run could not be shown".into(), why);
                }
            }
            _ => return false,
        }
        true
    }
}
