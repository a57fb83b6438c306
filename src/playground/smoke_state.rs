//! The smoke-training run of the compute panel, as a plain reducer (no yew, no browser):
//! a few training steps whose losses the worker reports one by one. [`SmokeState::apply`]
//! is the only way it changes; the yew `Reducible` in `state.rs` forwards [`SmokeEvent`]s
//! here, and the unit tests run natively.

/// The smoke-training run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SmokeState {
    /// Whether a run is in progress.
    pub running: bool,
    /// Steps requested for the current or last run.
    pub total: usize,
    /// Loss per finished step, in order.
    pub losses: Vec<f32>,
    /// Wall time of the last finished run.
    pub elapsed_ms: Option<f64>,
    /// Why the last run failed, if it did.
    pub failed: Option<String>,
}

/// Something that changes the [`SmokeState`].
#[derive(Clone, Debug, PartialEq)]
pub enum SmokeEvent {
    /// Smoke training started with this many steps.
    Started {
        /// Steps requested.
        total: usize,
    },
    /// A step finished.
    Step {
        /// Step index (0-based).
        step: usize,
        /// Its loss.
        loss: f32,
    },
    /// The run finished.
    Finished {
        /// Every step's loss.
        losses: Vec<f32>,
        /// Wall time.
        elapsed_ms: f64,
    },
    /// The run failed (why).
    Failed(String),
}

impl SmokeState {
    /// Applies `event`; returns `false` when it changed nothing (a late report of a run
    /// that is over), and the failure to show in the error banner, if any.
    pub fn apply(&mut self, event: SmokeEvent) -> (bool, Option<String>) {
        match event {
            SmokeEvent::Started { total } => {
                *self = SmokeState {
                    running: true,
                    total,
                    ..SmokeState::default()
                };
            }
            SmokeEvent::Step { step, loss } => {
                if !self.running {
                    return (false, None);
                }
                self.losses.truncate(step);
                self.losses.push(loss);
            }
            SmokeEvent::Finished { losses, elapsed_ms } => {
                self.running = false;
                if !losses.is_empty() {
                    self.losses = losses;
                }
                self.elapsed_ms = Some(elapsed_ms);
            }
            SmokeEvent::Failed(message) => {
                if !self.running {
                    return (false, None);
                }
                self.running = false;
                self.failed = Some(message.clone());
                return (true, Some(message));
            }
        }
        (true, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_accumulate_and_a_step_sent_again_replaces_its_loss() {
        let mut s = SmokeState::default();
        s.apply(SmokeEvent::Started { total: 3 });
        for (step, loss) in [(0, 2.0), (1, 1.5), (1, 1.4), (2, 1.0)] {
            assert!(s.apply(SmokeEvent::Step { step, loss }).0);
        }
        assert_eq!(s.losses, vec![2.0, 1.4, 1.0]);
        s.apply(SmokeEvent::Finished {
            losses: vec![],
            elapsed_ms: 12.0,
        });
        assert!(!s.running);
        assert_eq!((s.losses.len(), s.elapsed_ms), (3, Some(12.0)));
    }

    #[test]
    fn a_failure_is_reported_once_and_late_reports_change_nothing() {
        let mut s = SmokeState::default();
        s.apply(SmokeEvent::Started { total: 2 });
        let (changed, shown) = s.apply(SmokeEvent::Failed("no backend".into()));
        assert!(changed);
        assert_eq!(shown.as_deref(), Some("no backend"));
        assert_eq!(s.failed.as_deref(), Some("no backend"));
        let before = s.clone();
        assert_eq!(s.apply(SmokeEvent::Failed("again".into())), (false, None));
        assert_eq!(
            s.apply(SmokeEvent::Step { step: 0, loss: 1.0 }),
            (false, None)
        );
        assert_eq!(s, before);
    }
}
