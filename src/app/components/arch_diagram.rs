//! The selected candidate's architecture: the backbone stages left to right with their
//! depth, kernels and expansions, each early exit drawn under the stage it attaches to
//! with its modules, and the MACs and parameters of every part (from the engine's cost
//! report; MACs of conv and linear layers).

use yew::prelude::*;

use super::term::{Term, Word};
use crate::app::plot::{exit_colour, percent};
use crate::app::shared::Shared;
use crate::engine::arch::{Architecture, ExitHead};
use crate::engine::cost::Part;
use crate::engine::units::format_macs;

/// Props of [`ArchDiagram`].
#[derive(Properties, PartialEq)]
pub struct ArchDiagramProps {
    /// The decoded network.
    pub arch: Shared<Architecture>,
    /// Share of test images leaving at each enabled exit, then the final one.
    pub rates: Vec<f64>,
}

/// `data-testid="arch-diagram"` with `data-testid="arch-stage"` per stage and
/// `data-testid="arch-exit"` per candidate exit (`data-enabled`).
#[component]
pub fn ArchDiagram(props: &ArchDiagramProps) -> Html {
    let arch = &props.arch;
    let report = arch.cost_report();
    let params = |part: Part| {
        report
            .params
            .iter()
            .filter(|(p, _)| *p == part)
            .map(|(_, n)| *n)
            .sum::<u64>()
    };
    let stages = arch.stages.len();
    let column = |c: usize| format!("arch-col-{}", c + 1);
    let (_, h, w) = arch.input;
    let mut enabled_rank = 0usize;
    html! {
        <div class={classes!("arch", format!("arch-cols-{}", stages + 2))} data-testid="arch-diagram">
            <div class={classes!("arch-block", "arch-stem", column(0))}>
                <div class="arch-name">{ "Input + stem" }</div>
                <div class="arch-detail">{ format!("{}×{}×{} → conv {k}×{k} s{}", arch.input.0, h, w, arch.stem.stride, k = arch.stem.kernel) }</div>
                <div class="arch-detail">{ format!("{}ch · {}×{}", arch.stem.c_out, arch.stem.h_out, arch.stem.w_out) }</div>
                { cost_line(report.stem_macs, params(Part::Stem)) }
            </div>
            { for arch.stages.iter().enumerate().map(|(s, st)| {
                let list = |f: &dyn Fn(&crate::engine::arch::MbConvSpec) -> usize| {
                    st.layers.iter().map(|l| f(l).to_string()).collect::<Vec<_>>().join(",")
                };
                html! {
                    <div class={classes!("arch-block", "arch-stage", column(s + 1))} data-testid="arch-stage">
                        <div class="arch-name">{ format!("Stage {}", s + 1) }</div>
                        <div class="arch-detail arch-genes">
                            { format!("d={} · k {} · e {}", st.layers.len(), list(&|l| l.kernel), list(&|l| l.expansion)) }
                        </div>
                        <div class="arch-detail">{ format!("{}ch · {}×{}", st.out_c, st.out_h, st.out_w) }</div>
                        { cost_line(report.stage_macs.get(s).copied().unwrap_or(0), params(Part::Stage(s))) }
                    </div>
                }
            }) }
            <div class={classes!("arch-block", "arch-final", column(stages + 1))}>
                <div class="arch-name">{ "Final classifier" }</div>
                <div class="arch-detail">{ final_text(arch) }</div>
                { cost_line(report.final_head_macs, params(Part::Final)) }
                { rate_line(props.rates.last().copied(), exit_colour(props.rates.len().saturating_sub(1)), "leave here") }
            </div>
            { for arch.exits.iter().enumerate().map(|(j, ex)| {
                let col = column(ex.position + 1);
                if !ex.enabled {
                    return html! {
                        <div class={classes!("arch-exit", "arch-exit-off", col)} data-testid="arch-exit" data-enabled="false">
                            <div class="arch-name">{ format!("Exit {} · off", j + 1) }</div>
                            <div class="arch-detail">{ "not in this network" }</div>
                        </div>
                    };
                }
                let rank = enabled_rank;
                enabled_rank += 1;
                let row = report.exits.get(j);
                html! {
                    <div class={classes!("arch-exit", col)} data-testid="arch-exit" data-enabled="true" data-exit={rank.to_string()}>
                        <div class="arch-name">
                            <span class="exit-dot" data-exit={rank.to_string()}></span>
                            <Term word={Word::Exit}>{ format!("Exit {}", j + 1) }</Term>
                        </div>
                        { for modules_text(&ex.head).into_iter().map(|m| html! { <div class="arch-module">{ m }</div> }) }
                        { cost_line(row.map_or(0, |r| r.head_macs), params(Part::Exit(j))) }
                        if let Some(cost) = row.and_then(|r| r.cost_cumulative) {
                            <div class="arch-detail">{ format!("leaving here costs {}", format_macs(cost)) }</div>
                        }
                        { rate_line(props.rates.get(rank).copied(), exit_colour(rank), "leave here") }
                    </div>
                }
            }) }
            <div class="arch-total">
                { format!("Backbone {} MACs · {} parameters in all (batch-norm excluded)",
                          format_macs(report.total_backbone_macs as f64), format_macs(report.total_params as f64)) }
            </div>
        </div>
    }
}

fn cost_line(macs: u64, params: u64) -> Html {
    html! {
        <div class="arch-cost">
            <span><Term word={Word::Mac}>{ "MACs" }</Term>{ format!(" {}", format_macs(macs as f64)) }</span>
            <span>{ format!("params {}", format_macs(params as f64)) }</span>
        </div>
    }
}

fn rate_line(rate: Option<f64>, colour: &'static str, what: &str) -> Html {
    match rate {
        Some(r) => html! {
            <div class="arch-rate">
                <svg class="legend-swatch" viewBox="0 0 12 12"><rect x="1" y="1" width="10" height="10" rx="2" fill={colour} /></svg>
                { format!("{} {what}", percent(r)) }
            </div>
        },
        None => html! {},
    }
}

fn final_text(arch: &Architecture) -> String {
    let f = &arch.final_head;
    let mut parts = Vec::new();
    if let Some(e) = &f.expand {
        parts.push(format!("1×1 →{}", e.c_out));
    }
    parts.push("GAP".into());
    if let Some(m) = &f.feature_mix {
        parts.push(format!("1×1 →{}", m.c_out));
    }
    parts.push(format!(
        "linear {}→{}",
        f.classifier.in_features, f.classifier.out_features
    ));
    parts.join(" · ")
}

/// One line per module of an exit head, then its classifier.
fn modules_text(head: &ExitHead) -> Vec<String> {
    match head {
        ExitHead::Branch {
            modules,
            classifier,
        } => modules
            .iter()
            .map(|m| {
                format!(
                    "{} {}×{} ext{} ×{}{}",
                    m.kind,
                    m.kernel,
                    m.kernel,
                    m.resize,
                    m.width,
                    if m.max_pool { " + pool" } else { "" }
                )
            })
            .chain(std::iter::once(format!(
                "GAP · linear {}→{}",
                classifier.in_features, classifier.out_features
            )))
            .collect(),
        ExitHead::Edanas {
            expand,
            mix,
            classifier,
        } => vec![
            format!("1×1 →{} · GAP", expand.c_out),
            format!("1×1 →{} · linear →{}", mix.c_out, classifier.out_features),
        ],
        ExitHead::Nachos { convs, classifier } => vec![
            format!(
                "3×3 convs {}",
                convs
                    .iter()
                    .map(|c| c.c_out.to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            format!("GAP · linear →{}", classifier.out_features),
        ],
        ExitHead::Sdn { pool, classifier } => vec![format!(
            "avg pool {pool}×{pool} · linear →{}",
            classifier.out_features
        )],
    }
}
