//! The compute panel: which backend runs the maths and why (with "Measure again", which
//! times both backends anew), and the "smoke train" check that proves it — a few
//! training steps with the loss going down.

use yew::prelude::*;

use super::synced_input::{edit_setting, SyncedInput};
use super::Sparkline;
use crate::app::backend::{Backend, BackendKind};
use crate::app::setting_fields::{Field, Limits};
use crate::app::state::{Shared, SmokeState};

/// Props of [`SmokePanel`].
#[derive(Properties, PartialEq)]
pub struct SmokePanelProps {
    /// The selected backend; `None` while selection runs.
    pub backend: Option<Shared<Backend>>,
    /// The run's state.
    pub smoke: SmokeState,
    /// Whether the button can start a run now.
    pub can_run: bool,
    /// Why it cannot (shown under the button), if it cannot.
    pub waiting_for: Option<AttrValue>,
    /// Steps the next run trains (`Settings::smoke_steps`).
    pub steps: usize,
    /// Edits the settings (the steps input).
    pub on_settings: Callback<(Field, String)>,
    /// Starts a run.
    pub on_run: Callback<()>,
    /// Measures the backends again.
    #[prop_or_default]
    pub on_measure: Callback<()>,
    /// Search workers a search started now would use.
    #[prop_or(1)]
    pub workers: usize,
    /// Why that many (one line).
    #[prop_or_default]
    pub workers_reason: AttrValue,
    /// The "workers" setting (0 = auto).
    #[prop_or_default]
    pub workers_setting: usize,
    /// Whether a search runs (the setting applies to the next one).
    #[prop_or_default]
    pub searching: bool,
}

/// `data-testid="smoke-panel"` (`data-state` = `idle | running | done | failed`,
/// `data-losses` = JSON array of the losses so far), with `data-testid="smoke-train"`
/// (button), `data-testid="smoke-loss"` (latest loss, text = the number only),
/// `data-testid="smoke-steps"` (the number of steps of the next run),
/// `data-testid="smoke-progress"`, `data-testid="backend-detail"` and
/// `data-testid="measure-backends"` (the "Measure again" button), and
/// `data-testid="pool-workers"` (`data-workers` = the number of search workers, with
/// the "workers" setting's input, `data-setting="workers"`).
#[component]
pub fn SmokePanel(props: &SmokePanelProps) -> Html {
    let smoke = &props.smoke;
    let state = if smoke.running {
        "running"
    } else if smoke.failed.is_some() {
        "failed"
    } else if smoke.elapsed_ms.is_some() {
        "done"
    } else {
        "idle"
    };
    let losses = serde_json::to_string(&smoke.losses).unwrap_or_else(|_| "[]".to_owned());
    let onclick = props.on_run.reform(|_: MouseEvent| ());
    let on_measure = props.on_measure.reform(|_: MouseEvent| ());
    let can_measure = !smoke.running
        && props
            .backend
            .as_deref()
            .is_some_and(|b| b.kind != BackendKind::Measuring);
    let latest = smoke.losses.last().map(|loss| format!("{loss:.4}"));
    let progress = match (smoke.running, smoke.elapsed_ms) {
        (true, _) => format!("Step {} of {}", smoke.losses.len(), smoke.total),
        (false, Some(ms)) => format!(
            "{} steps in {:.1} s ({:.0} ms/step)",
            smoke.losses.len(),
            ms / 1000.0,
            ms / smoke.losses.len().max(1) as f64
        ),
        _ => "A tiny conv net trained on the training images".to_owned(),
    };
    let on_steps = edit_setting(&props.on_settings, Field::SmokeSteps);
    let on_workers = edit_setting(&props.on_settings, Field::Workers);
    let (lo, hi) = Limits::SMOKE_STEPS;
    let (wlo, whi) = Limits::WORKERS;
    let change = match (smoke.losses.first(), smoke.losses.last(), smoke.running) {
        (Some(first), Some(last), false) if smoke.losses.len() > 1 => {
            let class = if last < first {
                "delta delta-down"
            } else {
                "delta delta-up"
            };
            Some(html! { <span class={class}>{ format!("from {first:.4}") }</span> })
        }
        _ => None,
    };
    html! {
        <section class="card" aria-labelledby="compute-heading" data-testid="smoke-panel"
                 data-state={state} data-losses={losses}>
            <h2 id="compute-heading">{ "Compute" }</h2>
            <div class="backend-row">
                <p class="backend-detail" data-testid="backend-detail">
                    { match props.backend.as_deref() {
                        Some(backend) => backend.detail.clone(),
                        None => "Looking for a WebGPU adapter…".to_owned(),
                    } }
                </p>
                <button type="button" class="button-secondary" data-testid="measure-backends"
                        title="Time a few training steps on each backend and use the faster (with the backend setting on “Faster by measurement”)"
                        disabled={!can_measure} onclick={on_measure}>
                    { "Measure again" }
                </button>
            </div>
            <div class="backend-row" data-testid="pool-workers" data-workers={props.workers.to_string()}>
                <p class="backend-detail" title="Candidates of an iteration train side by side, one per worker (the CPU backend; a GPU trains them one at a time). Same results with any number.">
                    { format!("Search: {}", props.workers_reason) }
                </p>
                <label class="setting smoke-steps" title="Search workers (0 = auto: one per core, as memory allows)">
                    <SyncedInput kind="number" setting="workers" value={AttrValue::from(props.workers_setting.to_string())}
                                 min={AttrValue::from(wlo.to_string())} max={AttrValue::from(whi.to_string())}
                                 disabled={props.searching} onchange={on_workers} />
                    <span>{ "workers" }</span>
                </label>
            </div>
            <div class="smoke-row">
                <button type="button" class="button-primary" data-testid="smoke-train"
                        disabled={!props.can_run} aria-busy={smoke.running.to_string()} {onclick}>
                    { if smoke.running { "Training…" } else { "Smoke train" } }
                </button>
                <label class="setting smoke-steps" data-testid="smoke-steps" title="Steps of the next smoke-training run">
                    <SyncedInput kind="number" setting="smoke-steps" value={AttrValue::from(props.steps.to_string())}
                                 min={AttrValue::from(lo.to_string())} max={AttrValue::from(hi.to_string())}
                                 disabled={smoke.running} onchange={on_steps} />
                    <span>{ "steps" }</span>
                </label>
                <div class="loss-readout">
                    <span class="loss-label">{ "Loss" }</span>
                    <span class="loss-value" data-testid="smoke-loss">
                        { latest.unwrap_or_else(|| "—".to_owned()) }
                    </span>
                    { for change }
                </div>
            </div>
            <Sparkline values={smoke.losses.clone()} capacity={smoke.total}
                       label="Training loss per step" />
            <p class="card-note" data-testid="smoke-progress">{ progress }</p>
            if let Some(waiting) = &props.waiting_for {
                <p class="card-note">{ waiting.clone() }</p>
            }
        </section>
    }
}
