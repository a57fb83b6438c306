//! Per-exit threshold sliders and the confidence-rule picker of the selected candidate,
//! with what they do — exit rates, accuracy per exit, overall accuracy, avg MACs and
//! where the MAC target lies — re-scored by the parent from the cached test-set
//! confidences on every input event (no network re-run), beside the validation figures
//! the search chose the candidate by. Three buttons set the sliders to what the engine's
//! threshold tuning found on the validation split.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::term::{Term, Word};
use crate::app::plot::{exit_colour, exit_name, percent};
use crate::app::run_state::ViewState;
use crate::engine::assign::Summary;
use crate::engine::exits::ExitRule;
use crate::engine::results::CandidateRecord;
use crate::engine::units::format_macs;
use crate::playground::candidate_view::stacked;
pub use crate::playground::candidate_view::Tuning;

/// Props of [`ThresholdPanel`].
#[derive(Properties, PartialEq)]
pub struct ThresholdPanelProps {
    /// The candidate.
    pub record: CandidateRecord,
    /// Rule and thresholds.
    pub view: ViewState,
    /// The outcome of `view` on the test set (`None` without a cache).
    pub summary: Option<Summary>,
    /// MAC target of the run.
    pub target: f64,
    /// Slider `i` moved to a value.
    pub on_threshold: Callback<(usize, f32)>,
    /// Rule picked.
    pub on_rule: Callback<ExitRule>,
    /// Tuning button pressed.
    pub on_tune: Callback<Tuning>,
    /// Whether the tuning buttons are shown (a classroom link can hide them).
    #[prop_or(true)]
    pub show_tuning: bool,
}

fn rule_label(rule: ExitRule) -> &'static str {
    match rule {
        ExitRule::Margin => "score margin (top-1 − top-2)",
        ExitRule::MaxSoftmax => "max softmax (top-1)",
        ExitRule::Entropy => "1 − normalised entropy",
    }
}

/// Sliders `data-testid="threshold-slider-<i>"`, `data-testid="exit-rule"`, buttons
/// `tune-grid` / `tune-cut-points` / `tune-max-accuracy` / `tune-record`, and the
/// read-outs `exit-rates` (children `exit-rate` with `data-exit`, `data-rate`),
/// `accuracy` and `avg-macs` (test split at the sliders' thresholds), `val-accuracy` and
/// `val-avg-macs` (validation split at the tuned thresholds), each with `data-value` = the
/// raw number; `threshold-value-<i>` has `data-off` when the exit is off.
#[component]
pub fn ThresholdPanel(props: &ThresholdPanelProps) -> Html {
    let r = &props.record;
    let exits = r.test_exit_rates.len();
    let on_rule = {
        let cb = props.on_rule.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(rule) = ExitRule::ALL.into_iter().find(|r| r.name() == value) {
                cb.emit(rule);
            }
        })
    };
    let tune = |t: Tuning| props.on_tune.reform(move |_: MouseEvent| t);
    let name = |i: usize| exit_name(&r.exit_positions, i);
    let summary = props.summary.as_ref();
    let (acc, macs) = summary.map_or((r.test_accuracy, r.test_avg_macs), |s| {
        (s.accuracy, s.avg_macs)
    });
    let gap = (macs - props.target) / props.target;
    let target_text = if gap.abs() < 0.005 {
        "on the target".to_owned()
    } else if gap < 0.0 {
        format!("{} under the target", percent(-gap))
    } else {
        format!("{} over the target", percent(gap))
    };
    let gauge_max = macs.max(props.target) * 1.15;
    html! {
        <div class="thresholds">
            <div class="field">
                <label class="field-label" for="exit-rule">
                    <Term word={Word::Confidence}>{ "Confidence rule" }</Term>
                </label>
                <select id="exit-rule" data-testid="exit-rule" onchange={on_rule}>
                    { for ExitRule::ALL.into_iter().map(|rule| html! {
                        <option value={rule.name()} selected={rule == props.view.rule}>{ rule_label(rule) }</option>
                    }) }
                </select>
            </div>
            { for props.view.thresholds.iter().enumerate().map(|(i, &t)| {
                let cb = props.on_threshold.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<f32>() {
                        cb.emit((i, v));
                    }
                });
                // An exit no validation image took at the tuned thresholds is not in the
                // deployed network (its head is not paid for).
                let dropped = t > 1.0 && r.exit_off(i);
                let shown = if dropped {
                    "off (dropped)".to_owned()
                } else if t > 1.0 {
                    "off".to_owned()
                } else {
                    format!("{t:.2}")
                };
                let id = format!("threshold-{i}");
                html! {
                    <div class="slider-row">
                        <label for={id.clone()} class="slider-label">
                            <span class="exit-dot" data-exit={i.to_string()}></span>
                            { name(i) }{ " " }<Term word={Word::Threshold}>{ "threshold" }</Term>
                        </label>
                        <input type="range" id={id} min="0" max="1" step="0.01" value={format!("{:.2}", t.min(1.0))}
                               data-testid={format!("threshold-slider-{i}")} aria-valuetext={shown.clone()} {oninput} />
                        <output class="slider-value" data-testid={format!("threshold-value-{i}")} data-off={(t > 1.0).to_string()}>{ shown }</output>
                    </div>
                }
            }) }
            if props.view.thresholds.is_empty() {
                <p class="card-note">{ "This network has no early exit: every image runs to the final classifier." }</p>
            }
            if props.show_tuning {
                <div class="tune-row" role="group" aria-label="Set the thresholds by tuning">
                    <button type="button" class="button-secondary" data-testid="tune-grid" onclick={tune(Tuning::Grid)}
                            title="AEBNAS: every threshold in {0.1, 0.2, 1.0}, best accuracy − 0.1·MAPE">{ "AEBNAS grid" }</button>
                    <button type="button" class="button-secondary" data-testid="tune-cut-points" onclick={tune(Tuning::CutPoints)}
                            title="Same score, searched over every cut point between confidences">{ "best score (all cut points)" }</button>
                    <button type="button" class="button-secondary" data-testid="tune-max-accuracy" onclick={tune(Tuning::MaxAccuracy)}
                            title="Highest accuracy whose avg MACs stay at or under the target">{ "best accuracy under the target" }</button>
                    <button type="button" class="button-ghost" data-testid="tune-record" onclick={tune(Tuning::Record)}
                            title="The thresholds the search tuned on the validation split">{ "reset" }</button>
                </div>
            }
            <div class="metrics">
                <div class="metric" title="Measured on the validation split at the tuned thresholds: what the search chose this network by">
                    <span class="metric-label">{ "Validation accuracy (tuned)" }</span>
                    <span class="metric-value" data-testid="val-accuracy" data-value={r.val_accuracy.to_string()}>{ percent(r.val_accuracy) }</span>
                </div>
                <div class="metric">
                    <span class="metric-label">{ "Validation avg MACs (tuned)" }</span>
                    <span class="metric-value" data-testid="val-avg-macs" data-value={r.val_avg_macs.to_string()}>{ format_macs(r.val_avg_macs) }</span>
                </div>
                <div class="metric" title="Measured on the test split at the thresholds above (reported, never used to choose)">
                    <span class="metric-label">{ "Test accuracy" }</span>
                    <span class="metric-value" data-testid="accuracy" data-value={acc.to_string()}>{ percent(acc) }</span>
                </div>
                <div class="metric">
                    <span class="metric-label">{ "Test avg " }<Term word={Word::Mac}>{ "MACs" }</Term></span>
                    <span class="metric-value" data-testid="avg-macs" data-value={macs.to_string()}>{ format_macs(macs) }</span>
                </div>
                <div class="metric metric-wide">
                    <span class="metric-label">{ format!("Target {} · {target_text}", format_macs(props.target)) }</span>
                    <svg class="gauge" viewBox="0 0 200 14" preserveAspectRatio="none" aria-hidden="true">
                        <rect class="gauge-track" x="0" y="3" width="200" height="8" rx="4" />
                        <rect class={classes!("gauge-fill", (gap > 0.0).then_some("gauge-over"))} x="0" y="3"
                              width={format!("{:.1}", 200.0 * macs / gauge_max)} height="8" rx="4" />
                        <line class="gauge-target" x1={format!("{:.1}", 200.0 * props.target / gauge_max)}
                              x2={format!("{:.1}", 200.0 * props.target / gauge_max)} y1="0" y2="14" />
                    </svg>
                </div>
            </div>
            <div class="exit-rates" data-testid="exit-rates" aria-label="Where the test images leave">
                <svg class="rate-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                    { for stacked(summary, r).into_iter().enumerate().map(|(i, (x, w))| html! {
                        <rect x={format!("{x:.3}")} y="0" width={format!("{w:.3}")} height="10" fill={exit_colour(i)} />
                    }) }
                </svg>
                <table class="rate-table">
                    <thead><tr><th>{ "leaves at" }</th><th>{ "share" }</th><th>{ "accuracy there" }</th><th>{ "cost" }</th></tr></thead>
                    <tbody>
                        { for (0..exits).map(|i| {
                            let rate = summary.map_or(r.test_exit_rates[i], |s| s.rate(i));
                            let acc = summary.map_or(r.test_exit_accuracies[i], |s| s.exit_accuracy(i));
                            html! {
                                <tr data-testid="exit-rate" data-exit={i.to_string()} data-rate={rate.to_string()}>
                                    <td><span class="exit-dot" data-exit={i.to_string()}></span>{ name(i) }</td>
                                    <td class="num">{ percent(rate) }</td>
                                    <td class="num">{ acc.map_or("–".to_owned(), percent) }</td>
                                    <td class="num">{ format_macs(r.exit_costs[i]) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
