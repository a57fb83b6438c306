//! The error banner's notes, as a plain reducer (no yew, no browser): each note has an id
//! to dismiss it by; a "run not saved" note offers the run as a download and a newer one
//! replaces it, and it goes when a save works again. [`ErrorsState::apply`] is the only
//! way it changes.

/// An error shown in the banner until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorNote {
    /// Identity for dismissing.
    pub id: u32,
    /// One-line summary.
    pub title: String,
    /// The reason, as reported.
    pub detail: String,
    /// Whether the note is about the run not being saved in the browser: it then offers
    /// to download the run, and a newer such note replaces it.
    pub offers_run: bool,
}

/// The notes not yet dismissed, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorsState {
    /// The notes.
    pub notes: Vec<ErrorNote>,
    /// The next note's id.
    next_id: u32,
}

/// Something that changes the [`ErrorsState`].
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorEvent {
    /// Show an error.
    Report {
        /// One-line summary.
        title: String,
        /// The reason.
        detail: String,
    },
    /// Saving the run failed: shown every time, in place of an earlier such note.
    RunNotSaved {
        /// One-line summary.
        title: String,
        /// How many evaluations are not saved.
        detail: String,
    },
    /// The run was saved again: a "not saved" note no longer holds.
    RunSaved,
    /// Hide the note with this id.
    Dismiss(u32),
}

impl ErrorsState {
    /// Applies `event`; returns whether anything changed.
    pub fn apply(&mut self, event: ErrorEvent) -> bool {
        match event {
            ErrorEvent::Report { title, detail } => self.push(title, detail, false),
            ErrorEvent::RunNotSaved { title, detail } => {
                self.notes.retain(|note| !note.offers_run);
                self.push(title, detail, true);
            }
            ErrorEvent::RunSaved => {
                if !self.notes.iter().any(|note| note.offers_run) {
                    return false;
                }
                self.notes.retain(|note| !note.offers_run);
            }
            ErrorEvent::Dismiss(id) => {
                let before = self.notes.len();
                self.notes.retain(|note| note.id != id);
                return self.notes.len() != before;
            }
        }
        true
    }

    fn push(&mut self, title: String, detail: String, offers_run: bool) {
        let id = self.next_id;
        self.next_id += 1;
        self.notes.push(ErrorNote {
            id,
            title,
            detail,
            offers_run,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_grow_and_an_unknown_dismissal_changes_nothing() {
        let mut e = ErrorsState::default();
        let report = |t: &str| ErrorEvent::Report {
            title: t.into(),
            detail: String::new(),
        };
        assert!(e.apply(report("a")) && e.apply(report("b")));
        assert_eq!(e.notes.iter().map(|n| n.id).collect::<Vec<_>>(), [0, 1]);
        assert!(!e.apply(ErrorEvent::Dismiss(7)));
        assert!(e.apply(ErrorEvent::Dismiss(0)));
        assert!(e.apply(report("c")));
        assert_eq!(e.notes.last().map(|n| n.id), Some(2), "ids are not reused");
    }
}
