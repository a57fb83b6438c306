//! The live Pareto view: validation accuracy against validation avg MACs (the figures the
//! search chooses by) of every evaluated candidate, test figures in each point's tooltip,
//! coloured by the iteration that proposed it, the non-dominated ones ringed and joined,
//! candidates over the MAC target drawn hollow, a dashed vertical line at the target.
//! Click (or Enter on) a point to select its candidate.

use yew::prelude::*;

use super::axes::{axes, n as fmt, Frame, TickFormat};
use super::term::{Term, Word};
use crate::app::compare_view::CompareView;
use crate::app::plot::{iteration_colour, method_colour, padded, percent, Scale};
use crate::app::shared::Shared;
use crate::engine::results::RunResults;
use crate::engine::units::format_macs;

/// Props of [`ParetoPlot`].
#[derive(Properties, PartialEq)]
pub struct ParetoPlotProps {
    /// The run (`None` before the first evaluation).
    pub run: Option<Shared<RunResults>>,
    /// The MAC target to mark when there is no run yet.
    pub target: f64,
    /// Selected candidate.
    pub selected: Option<usize>,
    /// Selects a candidate.
    pub on_select: Callback<usize>,
    /// A comparison of methods on this run's problem: their validation fronts are drawn
    /// too, dashed, in their colours.
    #[prop_or_default]
    pub compare: Option<Shared<CompareView>>,
}

const FRAME: Frame = Frame {
    w: 640.0,
    h: 360.0,
    left: 52.0,
    right: 18.0,
    top: 14.0,
    bottom: 46.0,
};

/// `data-testid="pareto-plot"` (an `<svg>`, `data-count` = candidates) with one
/// `data-testid="pareto-point"` circle per candidate (`data-index`, `data-front`,
/// `data-over-target`, `data-val-accuracy`, `data-test-accuracy`, `aria-pressed` when
/// selected), and one `data-testid="compare-front"` group per compared method
/// (`data-method`, `data-points`).
#[component]
pub fn ParetoPlot(props: &ParetoPlotProps) -> Html {
    let empty = Vec::new();
    let archive = props.run.as_ref().map_or(&empty, |r| &r.archive);
    let front: Vec<usize> = props
        .run
        .as_ref()
        .map_or_else(Vec::new, |r| r.pareto_front.clone());
    let target = props
        .run
        .as_ref()
        .map_or(props.target, |r| r.settings.mac_target);
    let overlays: Vec<_> = props.compare.as_deref().map_or_else(Vec::new, |v| {
        v.rows
            .iter()
            .filter(|r| !r.current)
            .filter_map(|r| r.figures.as_ref().map(|f| (r.method, f.front.clone())))
            .collect()
    });
    let overlay_points = || overlays.iter().flat_map(|(_, front)| front.iter().copied());
    let max_macs = archive
        .iter()
        .map(|c| c.val_avg_macs)
        .chain(overlay_points().map(|p| p.0))
        .fold(target, f64::max);
    let x = Scale::new((0.0, max_macs * 1.08), FRAME.xr());
    let (lo, hi) = if archive.is_empty() {
        (0.5, 1.0)
    } else {
        let accuracies =
            || (archive.iter().map(|c| c.val_accuracy)).chain(overlay_points().map(|p| p.1));
        let lo = accuracies().fold(f64::INFINITY, f64::min);
        let hi = accuracies().fold(f64::NEG_INFINITY, f64::max);
        padded(lo, hi, 0.12)
    };
    let y = Scale::new((lo.max(0.0), hi.min(1.0)), FRAME.yr());
    let front_line: String = front
        .iter()
        .filter_map(|&i| archive.get(i))
        .map(|c| format!("{:.1},{:.1}", x.at(c.val_avg_macs), y.at(c.val_accuracy)))
        .collect::<Vec<_>>()
        .join(" ");
    let iterations = archive
        .iter()
        .map(|c| c.iteration)
        .max()
        .map_or(0, |m| m + 1);
    let tx = x.at(target);
    html! {
        <figure class="chart pareto">
            <svg class="chart-svg" viewBox={FRAME.view_box()} data-testid="pareto-plot"
                 data-count={archive.len().to_string()} role="group"
                 aria-label="Accuracy against average MACs of every evaluated candidate">
                { axes(&FRAME, &x, &y, (TickFormat::Macs, TickFormat::Percent),
                       ("validation avg MACs per image (conv and linear layers)", "validation accuracy (%)")) }
                <line class="target-line" x1={fmt(tx)} x2={fmt(tx)} y1={fmt(FRAME.top)} y2={fmt(FRAME.h - FRAME.bottom)} />
                <text class="target-label" x={fmt(tx + 4.0)} y={fmt(FRAME.top + 12.0)}>
                    { format!("target {}", format_macs(target)) }
                </text>
                { for overlays.iter().map(|(method, front)| {
                    let colour = method_colour(*method, false);
                    let line = front.iter().map(|&(m, a)| format!("{:.1},{:.1}", x.at(m), y.at(a)))
                        .collect::<Vec<_>>().join(" ");
                    html! {
                        <g class="compare-front" data-testid="compare-front" data-method={method.name()}
                           data-points={front.len().to_string()}>
                            <title>{ format!("{}'s validation front", method.label()) }</title>
                            <polyline points={line} fill="none" stroke={colour} />
                            { for front.iter().map(|&(m, a)| html! {
                                <rect x={fmt(x.at(m) - 3.5)} y={fmt(y.at(a) - 3.5)} width="7" height="7"
                                      transform={format!("rotate(45 {:.1} {:.1})", x.at(m), y.at(a))}
                                      fill="white" stroke={colour} />
                            }) }
                        </g>
                    }
                }) }
                if front.len() > 1 {
                    <polyline class="front-line" points={front_line} fill="none" />
                }
                { for archive.iter().enumerate().map(|(i, c)| {
                    let on_front = front.contains(&i);
                    let over = c.val_avg_macs > target;
                    let selected = props.selected == Some(i);
                    let colour = iteration_colour(c.iteration);
                    let onclick = props.on_select.reform(move |_: MouseEvent| i);
                    let on_select = props.on_select.clone();
                    let onkeydown = Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            on_select.emit(i);
                        }
                    });
                    let class = classes!("pareto-point", on_front.then_some("on-front"),
                                         over.then_some("over-target"), selected.then_some("selected"));
                    let label = format!(
                        "Candidate {} (iteration {}): validation {} at {} MACs, test {} at {} MACs{}{}",
                        i + 1, c.iteration, percent(c.val_accuracy), format_macs(c.val_avg_macs),
                        percent(c.test_accuracy), format_macs(c.test_avg_macs),
                        if on_front { ", on the Pareto front" } else { "" },
                        if over { ", over the MAC target" } else { "" });
                    html! {
                        <circle {class} data-testid="pareto-point" data-index={i.to_string()}
                                data-front={on_front.to_string()} data-over-target={over.to_string()}
                                data-val-accuracy={c.val_accuracy.to_string()} data-test-accuracy={c.test_accuracy.to_string()}
                                cx={fmt(x.at(c.val_avg_macs))} cy={fmt(y.at(c.val_accuracy))}
                                r={if on_front { "7" } else { "5.5" }}
                                fill={if over { "none" } else { colour }} stroke={colour}
                                tabindex="0" role="button" aria-pressed={selected.to_string()}
                                aria-label={label.clone()} {onclick} {onkeydown}>
                            <title>{ label }</title>
                        </circle>
                    }
                }) }
            </svg>
            <figcaption class="legend">
                { for (0..iterations).map(|it| html! {
                    <span class="legend-item">
                        <svg class="legend-swatch" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5" fill={iteration_colour(it)} /></svg>
                        { if it == 0 { "initial sample".to_string() } else { format!("iteration {it}") } }
                    </span>
                }) }
                <span class="legend-item">
                    <svg class="legend-swatch" viewBox="0 0 12 12"><circle cx="6" cy="6" r="4.5" class="legend-front" /></svg>
                    <Term word={Word::Pareto}>{ "Pareto front" }</Term>
                </span>
                <span class="legend-item">
                    <svg class="legend-swatch" viewBox="0 0 12 12"><circle cx="6" cy="6" r="4.5" fill="none" stroke="currentColor" /></svg>
                    { "over the " }<Term word={Word::Target}>{ "MAC target" }</Term>
                </span>
                { for overlays.iter().map(|(method, _)| html! {
                    <span class="legend-item">
                        <svg class="legend-swatch" viewBox="0 0 12 12">
                            <rect x="2.5" y="2.5" width="7" height="7" transform="rotate(45 6 6)" fill="white"
                                  stroke={method_colour(*method, false)} />
                        </svg>
                        { format!("{}'s front", method.label()) }
                    </span>
                }) }
            </figcaption>
        </figure>
    }
}
