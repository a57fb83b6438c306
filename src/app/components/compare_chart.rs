//! The comparison's anytime curves: each method's hypervolume (common normalised
//! reference) after each evaluated network, the current run in ink, the compared methods
//! in their colours, dashed.

use yew::prelude::*;

use super::axes::{axes, n, Frame, TickFormat};
use crate::app::compare_view::CompareView;
use crate::app::plot::{method_colour, Scale};
use crate::app::shared::Shared;

/// Props of [`CompareChart`].
#[derive(Properties, PartialEq)]
pub struct CompareChartProps {
    /// The comparison.
    pub view: Shared<CompareView>,
}

const FRAME: Frame = Frame {
    w: 420.0,
    h: 230.0,
    left: 48.0,
    right: 14.0,
    top: 12.0,
    bottom: 42.0,
};

/// `data-testid="compare-chart"` with one `data-testid="compare-curve"` polyline per
/// method that evaluated a network (`data-method`, `data-points`).
#[component]
pub fn CompareChart(props: &CompareChartProps) -> Html {
    let rows = &props.view.rows;
    let total = rows.iter().map(|r| r.total).max().unwrap_or(1).max(1);
    let top = rows
        .iter()
        .filter_map(|r| r.figures.as_ref())
        .flat_map(|f| f.curve.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let x = Scale::new((0.0, total as f64), FRAME.xr());
    let y = Scale::new((0.0, (top * 1.1).max(0.05)), FRAME.yr());
    html! {
        <figure class="chart compare-chart">
            <figcaption class="chart-title">{ "Hypervolume after each evaluated network" }</figcaption>
            <svg class="chart-svg" viewBox={FRAME.view_box()} data-testid="compare-chart" role="img"
                 aria-label="Hypervolume against evaluations, one line per method">
                { axes(&FRAME, &x, &y, (TickFormat::Plain, TickFormat::Percent),
                       ("evaluated networks", "% of the common box")) }
                { for rows.iter().filter_map(|r| r.figures.as_ref().map(|f| (r, f))).map(|(r, f)| {
                    let points = f.curve.iter()
                        .map(|&(k, hv)| format!("{},{}", n(x.at(k as f64)), n(y.at(hv))))
                        .collect::<Vec<_>>().join(" ");
                    html! {
                        <polyline class={classes!("compare-curve", (!r.current).then_some("compared"))}
                                  data-testid="compare-curve" data-method={r.method.name()}
                                  data-points={f.curve.len().to_string()} points={points} fill="none"
                                  stroke={method_colour(r.method, r.current)}>
                            <title>{ format!("{}: {:.3} after {} networks", r.method.label(), f.hv, f.evaluations) }</title>
                        </polyline>
                    }
                }) }
            </svg>
        </figure>
    }
}
