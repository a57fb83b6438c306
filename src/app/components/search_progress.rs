//! Live progress of the search: what is training, the step and its loss, throughput,
//! evaluations done, an estimate of the time left, and how many duplicate networks the
//! search passed over before training.

use yew::prelude::*;

use super::term::{Term, Word};
use crate::app::run_state::RunState;
use crate::app::worker::protocol::Phase;

/// Props of [`SearchProgress`].
#[derive(Properties, PartialEq)]
pub struct SearchProgressProps {
    /// The search state.
    pub run: RunState,
    /// `performance.now()` at this render (for the time-left estimate).
    pub now_ms: f64,
}

fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{:.0} s", seconds.max(1.0))
    } else if seconds < 3600.0 {
        format!("{:.0} min", (seconds / 60.0).round())
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// `data-testid="progress"` (`data-state` = run status, `data-done`, `data-total`), with
/// `duplicates-skipped` (`data-value`) once the search has passed over a proposal whose
/// effective network it already evaluated.
#[component]
pub fn SearchProgress(props: &SearchProgressProps) -> Html {
    let r = &props.run;
    let done = r.done();
    let total = r.planned();
    let overall = r.overall_fraction();
    let eta = r.seconds_left(props.now_ms);
    let duplicates: usize = r.run.as_ref().map_or(0, |run| {
        run.iterations.iter().map(|i| i.duplicates_skipped).sum()
    });
    let phase = match r.step.as_ref().map(|s| &s.phase) {
        Some(Phase::Supernet) => {
            html! { <>{ "Training the " }<Term word={Word::Supernet}>{ "supernet" }</Term></> }
        }
        Some(Phase::Candidate {
            index, iteration, ..
        }) => html! {
            { format!("Candidate {} · {}", index + 1, if *iteration == 0 { "initial sample".to_owned() } else { format!("iteration {iteration}") }) }
        },
        None => html! { { r.status_line.clone().unwrap_or_else(|| "Ready to search".into()) } },
    };
    html! {
        <div class="progress" data-testid="progress" data-state={r.status.name()} data-done={done.to_string()}
             data-total={total.to_string()} aria-live="polite">
            <div class="progress-head">
                <span class="progress-phase">{ phase }</span>
                <span class="progress-count">{ format!("{done} / {total} evaluated") }</span>
            </div>
            <div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                 aria-valuenow={format!("{:.0}", 100.0 * overall)}>
                <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                    <rect class="progress-track" x="0" y="0" width="100" height="6" rx="3" />
                    <rect class="progress-fill" x="0" y="0" width={format!("{:.2}", 100.0 * overall)} height="6" rx="3" />
                </svg>
            </div>
            <div class="progress-facts">
                if let Some(s) = r.step.as_ref() {
                    <span>{ format!("step {} / {}", s.step, s.total_steps) }</span>
                    <span>{ format!("loss {:.3}", s.loss) }</span>
                    <span>{ format!("{:.0} images/s", s.samples_per_sec) }</span>
                }
                if let Some(eta) = eta {
                    <span data-testid="eta">{ format!("about {} left{}", duration(eta),
                        if r.supernet_seconds_left().is_some() { " of the supernet's training" } else { "" }) }</span>
                }
                if duplicates > 0 {
                    <span data-testid="duplicates-skipped" data-value={duplicates.to_string()}
                          title="Proposals whose network (architecture; thresholds are tuned from it) was already evaluated: passed over before training">
                        { format!("{duplicates} duplicate network{} skipped", if duplicates == 1 { "" } else { "s" }) }
                    </span>
                }
                if r.step.is_none() && r.status.is_busy() {
                    <span>{ r.status_line.clone().unwrap_or_default() }</span>
                }
            </div>
        </div>
    }
}
