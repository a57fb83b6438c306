//! The results card: the live Pareto view and the hypervolume chart, with a one-line
//! summary of the best trade-off found so far.

use yew::prelude::*;

use super::hv_chart::HvChart;
use super::pareto_plot::ParetoPlot;
use super::term::{Term, Word};
use crate::app::plot::percent;
use crate::app::shared::Shared;
use crate::engine::results::RunResults;
use crate::engine::search::format_macs;

/// Props of [`ParetoPanel`].
#[derive(Properties, PartialEq)]
pub struct ParetoPanelProps {
    /// The run.
    pub run: Option<Shared<RunResults>>,
    /// Target to mark before a run exists.
    pub target: f64,
    /// Selected candidate.
    pub selected: Option<usize>,
    /// Select a candidate.
    pub on_select: Callback<usize>,
    /// Whether the hypervolume chart is shown (a classroom link can hide it).
    #[prop_or(true)]
    pub show_hv: bool,
}

/// `data-testid="pareto-panel"`.
#[component]
pub fn ParetoPanel(props: &ParetoPanelProps) -> Html {
    let best = props.run.as_deref().and_then(|run| {
        let t = run.settings.mac_target;
        run.archive
            .iter()
            .enumerate()
            .filter(|(_, c)| c.avg_macs <= t)
            .max_by(|a, b| a.1.accuracy.total_cmp(&b.1.accuracy))
            .map(|(i, c)| {
                format!(
                    "Best under the target: candidate {} — {} at {} MACs.",
                    i + 1,
                    percent(c.accuracy),
                    format_macs(c.avg_macs)
                )
            })
    });
    let count = props.run.as_ref().map_or(0, |r| r.archive.len());
    html! {
        <section class="card card-results" aria-labelledby="pareto-heading" data-testid="pareto-panel">
            <div class="card-head">
                <h2 id="pareto-heading"><Term word={Word::Pareto}>{ "Pareto front" }</Term></h2>
                <span class="muted">{ format!("{count} candidate{} evaluated", if count == 1 { "" } else { "s" }) }</span>
            </div>
            <div class="results-grid">
                <ParetoPlot run={props.run.clone()} target={props.target} selected={props.selected}
                            on_select={props.on_select.clone()} />
                <div class="results-side">
                    if props.show_hv { <HvChart run={props.run.clone()} /> }
                    <p class="card-note">
                        { best.unwrap_or_else(|| if count == 0 {
                            "Run a search: each trained network appears here as a point. Click one to inspect it.".into()
                        } else {
                            "No candidate meets the MAC target yet.".into()
                        }) }
                    </p>
                </div>
            </div>
        </section>
    }
}
