//! The "compare methods" card: runs the other four methods on the current run's problem
//! (same dataset, seed, budget and MAC target; each method with its own exit rule and
//! tuning) and shows, per method, its progress, hypervolume on one common reference, its
//! ratio to the current run's and the network it chose under the target; the anytime
//! curves beside; the summary sentence once all are done. Their fronts are drawn on the
//! Pareto plot.

use yew::prelude::*;

use super::compare_chart::CompareChart;
use super::term::{Term, Word};
use crate::app::compare_view::{CompareRow, CompareView};
use crate::app::plot::{method_colour, percent};
use crate::app::shared::Shared;
use crate::engine::units::format_macs;

/// Props of [`ComparePanel`].
#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    /// The comparison of the current run (`None`: none yet, or it is about another run).
    pub view: Option<Shared<CompareView>>,
    /// Why a comparison cannot start now.
    pub blocked: Option<AttrValue>,
    /// Whether a compared method runs.
    pub running: bool,
    /// Start or continue.
    pub on_start: Callback<()>,
    /// Stop the running method.
    pub on_stop: Callback<()>,
    /// Download the runs.
    pub on_download: Callback<()>,
}

/// `data-testid="compare-panel"` (`data-state` = `idle`, `running`, `stopped` or
/// `complete`) with the `compare-methods`, `stop-compare` and `download-compare` buttons,
/// one `data-testid="compare-row"` per method (`data-method`, `data-state`, `data-done`,
/// `data-hv`, `data-ratio`) and `compare-summary`.
#[component]
pub fn ComparePanel(props: &ComparePanelProps) -> Html {
    let view = props.view.as_deref();
    let complete = view.is_some_and(|v| v.complete);
    let state = match (props.running, view) {
        (true, _) => "running",
        (false, Some(v)) if v.complete => "complete",
        (false, Some(_)) => "stopped",
        (false, None) => "idle",
    };
    let label = if state == "stopped" {
        "Continue the comparison"
    } else {
        "Compare methods"
    };
    let start = props.on_start.reform(|_: MouseEvent| ());
    let stop = props.on_stop.reform(|_: MouseEvent| ());
    let download = props.on_download.reform(|_: MouseEvent| ());
    let can_start = props.blocked.is_none() && !props.running && !complete;
    html! {
        <section class="card card-wide card-compare" aria-labelledby="compare-heading"
                 data-testid="compare-panel" data-state={state}>
            <div class="card-head">
                <h2 id="compare-heading">{ "Compare methods" }</h2>
                <span class="muted">{ "same dataset, seed, budget and MAC target; each method with its own exit rule and tuning" }</span>
            </div>
            <div class="button-row">
                if props.running {
                    <button type="button" class="button-secondary" data-testid="stop-compare" onclick={stop}>{ "Stop the comparison" }</button>
                } else {
                    <button type="button" class="button-primary" data-testid="compare-methods" disabled={!can_start}
                            onclick={start}>{ label }</button>
                }
                if view.is_some_and(|v| v.rows.iter().skip(1).any(|r| r.figures.is_some())) {
                    <button type="button" class="button-ghost" data-testid="download-compare" onclick={download}>{ "Download the runs (JSON)" }</button>
                }
            </div>
            if let (Some(why), false) = (props.blocked.as_ref(), props.running || complete) {
                <p class="card-note" data-testid="compare-blocked">{ why.clone() }</p>
            }
            if let Some(v) = props.view.clone() {
                <div class="compare-grid">
                    <table class="compare-table" data-testid="compare-table">
                        <thead><tr>
                            <th scope="col">{ "method" }</th>
                            <th scope="col">{ "networks" }</th>
                            <th scope="col"><Term word={Word::Hypervolume}>{ "HV" }</Term></th>
                            <th scope="col">{ "÷ current" }</th>
                            <th scope="col">{ "chosen under the target: validation / test" }</th>
                        </tr></thead>
                        <tbody>{ for v.rows.iter().map(row) }</tbody>
                    </table>
                    <CompareChart view={v.clone()} />
                </div>
                if let Some(summary) = v.summary.clone() {
                    <p class="card-note" data-testid="compare-summary">{ summary }</p>
                }
                <p class="card-note muted">
                    { "HV: the test figures of each run's validation front, MACs divided by 4 × the target, \
                       reference (error 1, 4 × target), so 1 is a perfect network at no cost. The compared \
                       runs stay until the page reloads or another search starts; download them to keep them." }
                </p>
            }
        </section>
    }
}

/// One method's table row.
fn row(r: &CompareRow) -> Html {
    let f = r.figures.as_deref();
    let hv = f.map_or_else(String::new, |f| format!("{:.4}", f.hv));
    let ratio = r.hv_ratio.map_or_else(String::new, |x| format!("{x:.3}"));
    let chosen = match f.map(|f| f.chosen.as_ref()) {
        None => "–".to_owned(),
        Some(None) => "none under the target".to_owned(),
        Some(Some(c)) => format!(
            "{} / {} at {} MACs",
            percent(c.val_accuracy),
            percent(c.test_accuracy),
            format_macs(c.test_avg_macs)
        ),
    };
    let progress = match (r.state, &r.failure) {
        (_, Some(why)) => format!("failed: {why}"),
        ("waiting", _) => "waiting".to_owned(),
        ("running", _) => format!("{} / {} (running)", r.done, r.total),
        ("stopped", _) => format!("{} / {} (stopped)", r.done, r.total),
        _ => format!("{} / {}", r.done, r.total),
    };
    let name = if r.current {
        format!("{} (current run)", r.method.label())
    } else {
        r.method.label().to_owned()
    };
    html! {
        <tr data-testid="compare-row" data-method={r.method.name()} data-state={r.state}
            data-done={r.done.to_string()} data-hv={f.map_or_else(String::new, |f| f.hv.to_string())}
            data-ratio={r.hv_ratio.map_or_else(String::new, |x| x.to_string())}>
            <th scope="row">
                <svg class="legend-swatch" viewBox="0 0 12 12" aria-hidden="true">
                    <rect x="1" y="1" width="10" height="10" fill={method_colour(r.method, r.current)} />
                </svg>
                { name }
            </th>
            <td>{ progress }</td>
            <td class="num">{ hv }</td>
            <td class="num">{ ratio }</td>
            <td>{ chosen }</td>
        </tr>
    }
}
