//! How far the search is and how long it has left, for the progress bar: pure arithmetic
//! on the [`RunState`] (the view only renders it).
//!
//! While candidates train, the time left extrapolates this session's pace: `elapsed /
//! progressed × remaining`, where progress counts finished evaluations plus the fraction of
//! the candidate in training. While the supernet trains (before any candidate), it is that
//! training's own pace: `elapsed / step × (total_steps − step)`.

use super::{RunState, RunStatus};
use crate::playground::worker::protocol::Phase;

/// Progress below this many evaluations gives no estimate (too little to extrapolate).
const MIN_PROGRESS: f64 = 0.05;

impl RunState {
    /// Evaluations of the whole run (the worker's count, else the run's settings).
    pub fn planned(&self) -> usize {
        if self.total > 0 {
            self.total
        } else {
            self.run.as_ref().map_or(0, |run| {
                crate::engine::search::total_evaluations(&run.settings)
            })
        }
    }

    /// The fraction of the training run in progress that is done, when it is a candidate's.
    fn candidate_fraction(&self) -> f64 {
        match self.step.as_ref() {
            Some(s) if matches!(s.phase, Phase::Candidate { .. }) => {
                s.step as f64 / s.total_steps.max(1) as f64
            }
            _ => 0.0,
        }
    }

    /// The share of the run done, in `[0, 1]` (the candidate in training counts in part).
    pub fn overall_fraction(&self) -> f64 {
        let total = self.planned();
        if total == 0 {
            return 0.0;
        }
        ((self.done() as f64 + self.candidate_fraction()) / total as f64).clamp(0.0, 1.0)
    }

    /// Seconds left of the supernet training in progress, from its own pace.
    pub fn supernet_seconds_left(&self) -> Option<f64> {
        let s = self.step.as_ref()?;
        (matches!(s.phase, Phase::Supernet) && s.step > 0 && s.elapsed > 0.0)
            .then(|| s.elapsed / s.step as f64 * s.total_steps.saturating_sub(s.step) as f64)
    }

    /// Seconds left at `now_ms` (`performance.now()`): of the supernet's training while
    /// it runs (before the search starts), else of the running search.
    pub fn seconds_left(&self, now_ms: f64) -> Option<f64> {
        if !self.status.is_busy() {
            return None;
        }
        if let Some(left) = self.supernet_seconds_left() {
            return Some(left);
        }
        if self.status != RunStatus::Running {
            return None;
        }
        let (t0, done0) = self.session?;
        let done = self.done();
        let fraction = self.candidate_fraction();
        let progressed = (done - done0.min(done)) as f64 + fraction;
        (progressed > MIN_PROGRESS).then(|| {
            let elapsed = (now_ms - t0) / 1000.0;
            elapsed / progressed * (self.planned() as f64 - done as f64 - fraction).max(0.0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::worker::protocol::StepInfo;

    fn step(phase: Phase, step: usize, total_steps: usize, elapsed: f64) -> Option<StepInfo> {
        Some(StepInfo {
            phase,
            step,
            total_steps,
            loss: 1.0,
            samples_per_sec: 100.0,
            elapsed,
        })
    }

    #[test]
    fn the_supernet_phase_extrapolates_its_own_pace() {
        // 25 of 100 steps in 10 s: 75 steps left at 0.4 s each = 30 s.
        // The worker trains the supernet before the search loop starts.
        let s = RunState {
            status: RunStatus::Starting,
            step: step(Phase::Supernet, 25, 100, 10.0),
            ..RunState::default()
        };
        assert_eq!(s.seconds_left(60_000.0), Some(30.0));
        assert_eq!(s.overall_fraction(), 0.0, "no candidate is done yet");
    }

    #[test]
    fn candidates_extrapolate_the_session_pace() {
        // Half of the first of 4 candidates in 5 s: 3.5 candidates left at 10 s each.
        let s = RunState {
            status: RunStatus::Running,
            total: 4,
            session: Some((1_000.0, 0)),
            step: step(
                Phase::Candidate {
                    index: 0,
                    total: 4,
                    iteration: 0,
                },
                50,
                100,
                5.0,
            ),
            ..RunState::default()
        };
        let left = s.seconds_left(6_000.0).unwrap();
        assert!((left - 35.0).abs() < 1e-9, "{left}");
        assert!((s.overall_fraction() - 0.125).abs() < 1e-12);
        // Too little progress, or not running: no estimate.
        let early = RunState {
            step: step(
                Phase::Candidate {
                    index: 0,
                    total: 4,
                    iteration: 0,
                },
                1,
                100,
                0.1,
            ),
            ..s.clone()
        };
        assert_eq!(early.seconds_left(6_000.0), None);
        let paused = RunState {
            status: RunStatus::Paused,
            ..s
        };
        assert_eq!(paused.seconds_left(6_000.0), None);
    }
}
