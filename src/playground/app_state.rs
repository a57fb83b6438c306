//! The page's state: one value changed only through [`Action`]s ([`AppState::apply`] in
//! `app_state/reduce.rs`; `app/state.rs` makes it yew's `Reducible`), in the style of yew's
//! `function_todomvc` example. Asynchronous work (fetching, training) lives in
//! hooks and reports back by dispatching actions; stale reports (for a dataset the user
//! has since left) are dropped here.

use super::backend::Backend;
use super::catalog::Catalog;
use super::compare_state::{CompareEvent, CompareState};
use super::controls::Control;
pub use super::data_state::{DataState, Sample};
pub use super::errors_state::{ErrorEvent, ErrorNote, ErrorsState};
use super::link::{Link, Notice};
use super::page::{resolve_pending, MissingData, PageState};
use super::run_state::{RunEvent, RunState};
use super::settings::Settings;
pub use super::shared::Shared;
pub use super::smoke_state::{SmokeEvent, SmokeState};
use super::user_data::{is_user_id, UserMeta};
use crate::data::Dataset;

mod reduce;

/// Everything the page shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppState {
    /// The user's settings.
    pub settings: Settings,
    /// `data/datasets.json`, once fetched.
    pub catalog: Option<Shared<Catalog>>,
    /// The user's datasets stored in this browser, once listed.
    pub user: Option<Shared<Vec<UserMeta>>>,
    /// The worker's compute backend, once it answered (asked at start-up and whenever
    /// the backend setting changes).
    pub backend: Option<Shared<Backend>>,
    /// The selected dataset.
    pub data: DataState,
    /// The smoke-training run.
    pub smoke: SmokeState,
    /// The search (runs in the worker) and the selected candidate.
    pub run: RunState,
    /// "Compare methods": the other methods on the run's problem.
    pub compare: CompareState,
    /// What a link set: view, hidden controls, lesson, notices, a network to train.
    pub page: PageState,
    /// The error banner's notes.
    pub errors: ErrorsState,
}

/// Everything that can change the state.
#[derive(Debug)]
pub enum Action {
    /// The catalogue arrived.
    CatalogLoaded(Shared<Catalog>),
    /// The user picked a dataset (by id).
    SelectDataset(String),
    /// The stored user datasets were listed (at start-up, after adding or removing one).
    UserSetsLoaded(Shared<Vec<UserMeta>>),
    /// A loader reports progress for dataset `id`.
    DataLoading { id: String, what: String },
    /// Test images for dataset `id` are ready to show.
    SamplesLoaded {
        id: String,
        samples: Shared<Vec<Sample>>,
        test: Shared<Dataset>,
        elapsed_ms: f64,
    },
    /// Loading dataset `id` failed.
    DataFailed { id: String, message: String },
    /// The worker answered a probe or a measurement: the badge's backend.
    BackendReady(Shared<Backend>),
    /// The worker trains on this backend now (a search or a network started, or the GPU
    /// was lost): the badge follows.
    BackendInUse {
        /// WebGPU or the CPU.
        kind: crate::playground::backend_measure::DeviceKind,
        /// Adapter or reason.
        detail: String,
    },
    /// The smoke-training run changed.
    Smoke(SmokeEvent),
    /// Show an error in the banner.
    ReportError { title: String, detail: String },
    /// Saving the run in the browser failed (`detail` says how many evaluations are not
    /// saved): shown every time, in place of an earlier such note, with a download offer.
    RunNotSaved { title: String, detail: String },
    /// The run was saved again: a "not saved" note no longer holds.
    RunSaved,
    /// Hide the error with this id.
    DismissError(u32),
    /// The user set a setting's control to this text (the dataset changes only by
    /// `SelectDataset`).
    SetSetting(super::setting_fields::Field, String),
    /// Something happened to the search.
    Run(RunEvent),
    /// Something happened to the comparison of methods.
    Compare(CompareEvent),
    /// A link was opened (at start-up, on `hashchange`, by a lesson step or an import):
    /// every control takes its value; `notices` lists what the link could not use.
    ApplyLink {
        link: Box<Link>,
        notices: Vec<Notice>,
    },
    /// The user dismissed the link notices.
    DismissNotices,
    /// The classroom panel changed the hidden controls.
    SetHidden(std::collections::BTreeSet<Control>),
    /// The user closed the lesson.
    EndLesson,
    /// The linked network will not be trained (the user kept the current run).
    DropPending,
    /// Show the dataset's shipped example run (a first visit with nothing saved).
    WantExample,
    /// The example run could not be shown (why).
    ExampleUnavailable(String),
}

impl AppState {
    /// The initial state for these settings (nothing loaded yet).
    pub fn new(settings: Settings) -> Self {
        let data = DataState {
            id: settings.dataset.clone(),
            ..DataState::default()
        };
        Self {
            settings,
            data,
            ..Self::default()
        }
    }

    /// Whether the smoke-train button can run now (it trains in the worker, so not
    /// beside a search).
    pub fn can_smoke_train(&self) -> bool {
        !self.smoke.running
            && !self.run.status.is_busy()
            && self.backend.is_some()
            && self.data.test.is_some()
    }

    /// Whether the page's start is over as far as its data goes: the test images loaded
    /// (or failed) and the example run, when the page wants one, shown (or found
    /// unavailable). The search worker starts after it (see `use_worker`), so that its
    /// compile does not share the cores with the example's panels mounting.
    pub fn start_settled(&self) -> bool {
        (self.data.samples.is_some() || self.data.failed.is_some()) && !self.page.example_wanted
    }

    fn push_error(&mut self, title: String, detail: String) {
        self.errors.apply(ErrorEvent::Report { title, detail });
    }

    /// Takes every value of `link` (the dataset only while nothing is training).
    fn apply_link(&mut self, link: Link, notices: Vec<Notice>) {
        let busy = self.smoke.running || self.run.status.is_busy();
        let dataset = if busy {
            self.settings.dataset.clone()
        } else {
            link.settings.dataset.clone()
        };
        if dataset != self.data.id {
            self.data = DataState {
                id: dataset.clone(),
                ..DataState::default()
            };
            self.smoke = SmokeState::default();
        }
        self.settings = Settings {
            dataset,
            smoke_steps: self.settings.smoke_steps,
            samples_shown: self.settings.samples_shown,
            ..link.settings.clamped()
        };
        // A link naming the example keeps one already shown (its selection applies).
        let example_wanted = link.example && !busy && !self.run.example;
        self.page = PageState {
            view: link.view,
            hide: link.hide,
            lesson: link.lesson,
            notices,
            pending: link.candidate,
            files: link.files,
            missing: None,
            example_wanted,
        };
        resolve_pending(&mut self.run, &mut self.page.pending, &self.settings);
        self.settle_dataset();
    }

    /// The engine's settings of a search now: [`Settings::search_settings_with`] knowing
    /// whether the selected user dataset has an imported supernet.
    pub fn search_settings(&self) -> crate::engine::results::SearchSettings {
        let imported =
            (self.user_meta(&self.settings.dataset)).is_some_and(|m| m.supernet.is_some());
        self.settings.search_settings_with(imported)
    }

    /// The stored user dataset with this id, if listed.
    pub fn user_meta(&self, id: &str) -> Option<&UserMeta> {
        self.user.as_ref()?.iter().find(|m| m.id == id)
    }

    /// Once the catalogue (and, for a user dataset, the stored list) is known: keeps the
    /// selected dataset when it exists here, else notes a missing user dataset (with the
    /// files a link named) and selects the shipped default.
    fn settle_dataset(&mut self) {
        let Some(catalog) = self.catalog.clone() else {
            return;
        };
        let id = self.settings.dataset.clone();
        if catalog.get(&id).is_some() {
            self.page.files.clear();
            return;
        }
        if is_user_id(&id) {
            if self.user.is_none() {
                return;
            }
            if let Some(files) = self.user_meta(&id).map(|m| m.files.clone()) {
                self.page.files = files;
                return;
            }
            self.page.missing = Some(MissingData {
                id,
                files: std::mem::take(&mut self.page.files),
            });
        }
        if let Some(info) = catalog.datasets.iter().find(|info| info.default) {
            self.settings.dataset = info.id.clone();
            self.data = DataState {
                id: info.id.clone(),
                ..DataState::default()
            };
            self.smoke = SmokeState::default();
        }
        self.page.files.clear();
    }

    /// The display name of dataset `id` (shipped or stored here), else the id.
    pub fn dataset_name(&self, id: &str) -> String {
        self.catalog
            .as_ref()
            .and_then(|catalog| catalog.get(id).map(|info| info.name.clone()))
            .or_else(|| self.user_meta(id).map(|m| m.name.clone()))
            .unwrap_or_else(|| id.to_owned())
    }
}

#[cfg(test)]
#[path = "app_state_tests.rs"]
mod tests;
