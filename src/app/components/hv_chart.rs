//! Hypervolume after each iteration: how much of the (error, avg MACs) plane the
//! candidates found so far dominate, as a share of the box up to the run's fixed
//! reference point. It never decreases; a flat line means the iteration found nothing
//! better.

use yew::prelude::*;

use super::axes::{axes, n, Frame, TickFormat};
use super::term::{Term, Word};
use crate::app::plot::{iteration_colour, Scale};
use crate::app::shared::Shared;
use crate::engine::results::RunResults;
use crate::playground::run_view::hv_per_iteration;

/// Props of [`HvChart`].
#[derive(Properties, PartialEq)]
pub struct HvChartProps {
    /// The run.
    pub run: Option<Shared<RunResults>>,
}

const FRAME: Frame = Frame {
    w: 320.0,
    h: 200.0,
    left: 44.0,
    right: 12.0,
    top: 12.0,
    bottom: 40.0,
};

/// `data-testid="hv-chart"` (`data-points` = iterations recorded).
#[component]
pub fn HvChart(props: &HvChartProps) -> Html {
    let (points, max_it): (Vec<(usize, f64)>, usize) = match props.run.as_deref() {
        Some(run) => (hv_per_iteration(run), run.settings.iterations.max(1)),
        None => (Vec::new(), 1),
    };
    let x = Scale::new((0.0, max_it as f64), FRAME.xr());
    let top = points.iter().map(|p| p.1).fold(0.0f64, f64::max);
    let y = Scale::new((0.0, (top * 1.15).max(0.05)), FRAME.yr());
    let line: String = points
        .iter()
        .map(|&(i, v)| format!("{},{}", n(x.at(i as f64)), n(y.at(v))))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <figure class="chart hv">
            <figcaption class="chart-title">
                <Term word={Word::Hypervolume}>{ "Hypervolume" }</Term>{ " per iteration" }
            </figcaption>
            <svg class="chart-svg" viewBox={FRAME.view_box()} data-testid="hv-chart"
                 data-points={points.len().to_string()} role="img"
                 aria-label="Hypervolume after each iteration">
                { axes(&FRAME, &x, &y, (TickFormat::Plain, TickFormat::Percent),
                       ("iteration (0 = initial sample)", "% of reference box")) }
                if points.len() > 1 {
                    <polyline class="hv-line" points={line} fill="none" />
                }
                { for points.iter().map(|&(i, v)| html! {
                    <circle class="hv-point" cx={n(x.at(i as f64))} cy={n(y.at(v))} r="4" fill={iteration_colour(i)}>
                        <title>{ format!("iteration {i}: {:.2}% of the reference box", 100.0 * v) }</title>
                    </circle>
                }) }
                if points.is_empty() {
                    <text class="chart-empty" x={n(FRAME.w / 2.0)} y={n(FRAME.h / 2.0 - 8.0)} text-anchor="middle">
                        { "appears when the initial sample is done" }
                    </text>
                }
            </svg>
        </figure>
    }
}
