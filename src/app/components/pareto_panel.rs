//! The results card: the live Pareto view, the hypervolume chart with each predictor's
//! rank correlation beside it, and a one-line summary of the best trade-off found so far
//! (chosen on validation, test figures beside).

use yew::prelude::*;

use super::hv_chart::HvChart;
use super::pareto_plot::ParetoPlot;
use super::predictor_taus::PredictorTaus;
use super::term::{Term, Word};
use crate::app::compare_view::CompareView;
use crate::app::shared::Shared;
use crate::engine::results::RunResults;
use crate::playground::run_view::best_under_target_line;

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
    /// A comparison of methods on this run's problem (drawn on the plot).
    #[prop_or_default]
    pub compare: Option<Shared<CompareView>>,
}

/// `data-testid="pareto-panel"`, with `best-under-target` (`data-index` = the candidate
/// validation chooses under the MAC target, empty when none qualifies).
#[component]
pub fn ParetoPanel(props: &ParetoPanelProps) -> Html {
    let best = props.run.as_deref().and_then(best_under_target_line);
    let best_index = best.as_ref().map(|b| b.0);
    let best = best.map(|b| b.1);
    let count = props.run.as_ref().map_or(0, |r| r.archive.len());
    html! {
        <section class="card card-results" aria-labelledby="pareto-heading" data-testid="pareto-panel">
            <div class="card-head">
                <h2 id="pareto-heading"><Term word={Word::Pareto}>{ "Pareto front" }</Term></h2>
                <span class="muted">{ format!("{count} candidate{} evaluated", if count == 1 { "" } else { "s" }) }</span>
            </div>
            <div class="results-grid">
                <ParetoPlot run={props.run.clone()} target={props.target} selected={props.selected}
                            on_select={props.on_select.clone()} compare={props.compare.clone()} />
                <div class="results-side">
                    if props.show_hv {
                        <HvChart run={props.run.clone()} />
                        <PredictorTaus run={props.run.clone()} />
                    }
                    <p class="card-note" data-testid="best-under-target"
                       data-index={best_index.map_or_else(String::new, |i| i.to_string())}>
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
