//! Per-exit confidence histograms of the selected candidate on the test set: how
//! confident each early exit is on the images it classifies correctly (green) and wrongly
//! (red), with its threshold as a vertical line — images right of the line may leave.

use yew::prelude::*;

use super::axes::n;
use crate::app::hooks::use_histograms;
use crate::app::plot::exit_name;
use crate::app::shared::Shared;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::playground::candidate_view::BINS;

/// Props of [`ExitHistograms`].
#[derive(Properties, PartialEq)]
pub struct ExitHistogramsProps {
    /// Test-set cache.
    pub cache: Shared<ExitCache>,
    /// Confidence rule.
    pub rule: ExitRule,
    /// Thresholds of the early exits.
    pub thresholds: Vec<f32>,
    /// Stage after which each early exit sits.
    pub positions: Vec<usize>,
}

const W: f64 = 240.0;
const H: f64 = 96.0;
const PAD: f64 = 14.0;

/// An SVG path of one rectangle per non-empty bin, from `top` to `bottom` of `span(b)`.
fn bars_path(bw: f64, counts: &[u32], span: impl Fn(usize) -> (f64, f64)) -> String {
    let mut d = String::new();
    for (b, _) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
        let (top, bottom) = span(b);
        let x = PAD + bw * b as f64 + 0.5;
        d.push_str(&format!(
            "M{} {}h{}V{}h{}Z",
            n(x),
            n(top),
            n(bw - 1.0),
            n(bottom),
            n(-(bw - 1.0))
        ));
    }
    d
}

/// `data-testid="exit-histograms"` with one `data-testid="exit-histogram"` per early exit.
#[component]
pub fn ExitHistograms(props: &ExitHistogramsProps) -> Html {
    let early = props.cache.num_exits.saturating_sub(1);
    let bars = use_histograms(props.cache.clone(), props.rule);
    if early == 0 {
        return html! {};
    }
    html! {
        <div class="histograms" data-testid="exit-histograms">
            { for bars.iter().enumerate().map(|(e, (right, wrong))| {
                let top = right.iter().zip(wrong).map(|(a, b)| a + b).max().unwrap_or(1).max(1) as f64;
                let bw = (W - 2.0 * PAD) / BINS as f64;
                let y = |count: f64| (H - PAD) - (H - 2.0 * PAD) * count / top;
                let t = props.thresholds.get(e).copied().unwrap_or(1.0).min(1.0) as f64;
                let tx = PAD + (W - 2.0 * PAD) * t;
                let (nr, nw): (u32, u32) = (right.iter().sum(), wrong.iter().sum());
                html! {
                    <figure class="histogram" data-testid="exit-histogram">
                        <figcaption>
                            <span class="exit-dot" data-exit={e.to_string()}></span>
                            { exit_name(&props.positions, e) }
                            <span class="muted">{ format!(" · {nr} right, {nw} wrong if all left here") }</span>
                        </figcaption>
                        <svg class="chart-svg" viewBox={format!("0 0 {W} {H}")} role="img"
                             aria-label={format!("Confidence histogram of exit {}", e + 1)}>
                            // One path per class for all bins: two elements instead of
                            // 3 × BINS, so that mounting and re-drawing stay cheap.
                            <path class="bar-right" d={bars_path(bw, right, |b| (y(right[b] as f64), H - PAD))} />
                            <path class="bar-wrong" d={bars_path(bw, wrong, |b| {
                                let r = right[b] as f64;
                                (y(r + wrong[b] as f64), y(r))
                            })} />
                            <line class="axis" x1={n(PAD)} x2={n(W - PAD)} y1={n(H - PAD)} y2={n(H - PAD)} />
                            <text class="tick" x={n(PAD)} y={n(H - 2.0)} text-anchor="start">{ "0" }</text>
                            <text class="tick" x={n(W - PAD)} y={n(H - 2.0)} text-anchor="end">{ "1" }</text>
                            <line class="threshold-line" x1={n(tx)} x2={n(tx)} y1={n(PAD - 6.0)} y2={n(H - PAD)} />
                            <text class="threshold-label" x={n(tx)} y={n(PAD - 7.0)} text-anchor="middle">
                                { format!("t={:.2}", t) }
                            </text>
                        </svg>
                    </figure>
                }
            }) }
            <p class="legend">
                <span class="legend-item"><span class="swatch swatch-right"></span>{ "classified correctly" }</span>
                <span class="legend-item"><span class="swatch swatch-wrong"></span>{ "classified wrongly" }</span>
                <span class="legend-item">{ "x: confidence at the exit, line: its threshold" }</span>
            </p>
        </div>
    }
}
