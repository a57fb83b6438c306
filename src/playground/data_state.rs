//! The selected dataset as the page holds it: its load state and the test images
//! prepared for display, as a plain reducer ([`DataState::apply`]; reports for a dataset the
//! user has since left change nothing). Part of the app state (`app_state.rs`).

use super::shared::Shared;
use crate::data::Dataset;

/// One test image prepared for display.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Index in the test subset.
    pub index: usize,
    /// Class label.
    pub label: usize,
    /// Class name from the catalogue.
    pub class_name: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA pixels, row-major, `width * height * 4` bytes (ready for `ImageData`).
    pub rgba: Vec<u8>,
}

/// The selected dataset as far as it has loaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataState {
    /// Which dataset this is (`Settings::dataset` when it was requested).
    pub id: String,
    /// What is being fetched right now (for the status line); `None` when idle.
    pub loading: Option<String>,
    /// Test images to show; `None` until loaded.
    pub samples: Option<Shared<Vec<Sample>>>,
    /// Number of test images in the subset.
    pub test_count: usize,
    /// The whole test subset (the search's sample-exit grid paints from it).
    pub test: Option<Shared<Dataset>>,
    /// Milliseconds from the request to the loaded test subset. (The page never holds
    /// the training subset: the worker that trains loads it.)
    pub load_ms: Option<f64>,
    /// Why loading failed, if it did.
    pub failed: Option<String>,
}

/// A loader's report about the selected dataset.
#[derive(Clone, Debug, PartialEq)]
pub enum DataEvent {
    /// What is being fetched now.
    Loading(String),
    /// The test images are ready to show.
    Loaded {
        /// The images prepared for display.
        samples: Shared<Vec<Sample>>,
        /// The whole test subset.
        test: Shared<Dataset>,
        /// Milliseconds from the request.
        elapsed_ms: f64,
    },
    /// Loading failed (why).
    Failed(String),
}

impl DataState {
    /// Applies a report about dataset `id`; `false` (nothing changed) when `id` is no
    /// longer the selected dataset.
    pub fn apply(&mut self, id: &str, event: DataEvent) -> bool {
        if id != self.id {
            return false;
        }
        match event {
            DataEvent::Loading(what) => self.loading = Some(what),
            DataEvent::Loaded {
                samples,
                test,
                elapsed_ms,
            } => {
                self.test_count = test.len();
                self.samples = Some(samples);
                self.test = Some(test);
                self.loading = None;
                self.load_ms = Some(elapsed_ms);
            }
            DataEvent::Failed(message) => {
                self.loading = None;
                self.failed = Some(message);
            }
        }
        true
    }
}
