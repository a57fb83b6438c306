//! Where a search is ([`RunStatus`]): the states the progress bar, the buttons and the
//! `data-state` attributes read.

/// Where the search is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunStatus {
    /// No search has run (or the run was cleared).
    #[default]
    Idle,
    /// Start requested; the worker is loading data or training the supernet.
    Starting,
    /// Candidates are being trained.
    Running,
    /// Pause requested; waiting for the current step to finish.
    Pausing,
    /// Stopped with evaluations left; can resume.
    Paused,
    /// Every evaluation is done.
    Finished,
    /// The last attempt failed (what is in the archive stays valid).
    Failed,
}

impl RunStatus {
    /// Whether the worker is busy with this run.
    pub fn is_busy(self) -> bool {
        matches!(
            self,
            RunStatus::Starting | RunStatus::Running | RunStatus::Pausing
        )
    }

    /// Stable name for `data-state` attributes.
    pub fn name(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Starting => "starting",
            RunStatus::Running => "running",
            RunStatus::Pausing => "pausing",
            RunStatus::Paused => "paused",
            RunStatus::Finished => "finished",
            RunStatus::Failed => "failed",
        }
    }
}
