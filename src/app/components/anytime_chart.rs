//! The selected candidate's anytime curve: the best accuracy it reaches for each avg-MAC
//! cost over all threshold settings (the engine's sweep, non-dominated points), with the
//! sliders' current setting as a dot and the MAC target as a dashed line.

use yew::prelude::*;

use super::axes::{axes, n, Frame, TickFormat};
use crate::app::hooks::use_anytime_curve;
use crate::app::plot::{padded, percent, Scale};
use crate::app::shared::Shared;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::units::format_macs;

/// Props of [`AnytimeChart`].
#[derive(Properties, PartialEq)]
pub struct AnytimeChartProps {
    /// Test-set cache.
    pub cache: Shared<ExitCache>,
    /// Confidence rule.
    pub rule: ExitRule,
    /// Exit costs (enabled exits, then final).
    pub costs: Vec<f64>,
    /// Current `(accuracy, avg MACs)`.
    pub current: (f64, f64),
    /// MAC target.
    pub target: f64,
}

const FRAME: Frame = Frame {
    w: 420.0,
    h: 240.0,
    left: 48.0,
    right: 14.0,
    top: 12.0,
    bottom: 42.0,
};
/// `data-testid="anytime-chart"` (`data-points` = curve points, `data-state` =
/// `computing` while the sweep runs over several tasks, then `ready`).
#[component]
pub fn AnytimeChart(props: &AnytimeChartProps) -> Html {
    let computed = use_anytime_curve(props.cache.clone(), props.rule, props.costs.clone());
    let pending = computed.is_none();
    let curve = computed.unwrap_or_default();
    let (acc, macs) = props.current;
    let xs = curve.iter().map(|p| p.avg_macs).chain([macs, props.target]);
    let (x_lo, x_hi) = (
        xs.clone().fold(f64::INFINITY, f64::min),
        xs.fold(0.0, f64::max),
    );
    let ys = curve.iter().map(|p| p.accuracy).chain([acc]);
    let (y_lo, y_hi) = (
        ys.clone().fold(f64::INFINITY, f64::min),
        ys.fold(0.0, f64::max),
    );
    let x = Scale::new(padded(x_lo, x_hi, 0.06), FRAME.xr());
    let (a, b) = padded(y_lo, y_hi, 0.1);
    let y = Scale::new((a.max(0.0), b.min(1.0)), FRAME.yr());
    let line = curve
        .iter()
        .map(|p| format!("{},{}", n(x.at(p.avg_macs)), n(y.at(p.accuracy))))
        .collect::<Vec<_>>()
        .join(" ");
    let tx = x.at(props.target);
    html! {
        <figure class="chart anytime">
            <figcaption class="chart-title">{ "Anytime curve: every threshold setting's best trade-off" }</figcaption>
            <svg class="chart-svg" viewBox={FRAME.view_box()} data-testid="anytime-chart"
                 data-points={curve.len().to_string()} data-state={if pending { "computing" } else { "ready" }}
                 aria-busy={pending.to_string()} role="img"
                 aria-label="Accuracy against avg MACs over threshold settings">
                { axes(&FRAME, &x, &y, (TickFormat::Macs, TickFormat::Percent), ("avg MACs", "test accuracy (%)")) }
                if (FRAME.left..=FRAME.w - FRAME.right).contains(&tx) {
                    <line class="target-line" x1={n(tx)} x2={n(tx)} y1={n(FRAME.top)} y2={n(FRAME.h - FRAME.bottom)} />
                }
                <polyline class="anytime-line" points={line} fill="none" />
                { for curve.iter().map(|p| html! {
                    <circle class="anytime-point" cx={n(x.at(p.avg_macs))} cy={n(y.at(p.accuracy))} r="2.2" />
                }) }
                <circle class="current-point" cx={n(x.at(macs))} cy={n(y.at(acc))} r="6">
                    <title>{ format!("current thresholds: {} at {}", percent(acc), format_macs(macs)) }</title>
                </circle>
            </svg>
        </figure>
    }
}
