//! The selected candidate: its architecture, the threshold sliders with their instant
//! re-scoring (the engine's `assign` on the cached test-set confidences; the tuning
//! buttons apply thresholds tuned on the validation split, recorded with the candidate), the per-exit
//! confidence histograms, the anytime curve and which test images leave where.

use yew::prelude::*;

use super::anytime_chart::AnytimeChart;
use super::arch_diagram::ArchDiagram;
use super::deferred::Deferred;
use super::exit_histograms::ExitHistograms;
use super::sample_exit_grid::SampleExitGrid;
use super::term::{Term, Word};
use super::threshold_panel::ThresholdPanel;
use crate::app::controls::Control;
use crate::app::hooks::use_scored;
use crate::app::plot::percent;
use crate::app::run_state::{RunEvent, ViewState};
use crate::app::shared::Shared;
use crate::data::Dataset;
use crate::engine::arch::Architecture;
use crate::engine::assign::Summary;
use crate::engine::exits::ExitCache;
use crate::engine::results::RunResults;
use crate::engine::space::SearchSpace;
use crate::engine::units::format_macs;

/// Props of [`CandidatePanel`].
#[derive(Properties, PartialEq)]
pub struct CandidatePanelProps {
    /// The run.
    pub run: Shared<RunResults>,
    /// The selection and sliders.
    pub view: ViewState,
    /// The candidate's test-set cache (`None` when it could not be kept).
    pub cache: Option<Shared<ExitCache>>,
    /// The run's test images, when loaded on the page.
    pub test: Option<Shared<Dataset>>,
    /// Reports slider, rule and tuning changes.
    pub on_event: Callback<RunEvent>,
    /// Controls a classroom link hides.
    #[prop_or_default]
    pub hide: std::collections::BTreeSet<Control>,
}

/// `data-testid="candidate-panel"` (`data-index` = the selected candidate).
#[component]
pub fn CandidatePanel(props: &CandidatePanelProps) -> Html {
    let index = props.view.index;
    let shows = |c: Control| !props.hide.contains(&c);
    let Some(record) = props.run.archive.get(index).cloned() else {
        return html! {};
    };
    let dims = props
        .test
        .as_ref()
        .map_or((1, 28, 10), |t| (t.channels, t.height, t.classes.len()));
    let arch = use_memo(
        (record.genome.clone(), record.method, dims),
        |(genome, method, (c, r, k))| {
            Architecture::decode(&SearchSpace::browser(*c, *r, *k), *method, genome)
                .ok()
                .map(Shared::new)
        },
    );
    let scored = use_scored(
        props.cache.clone(),
        props.view.rule,
        props.view.thresholds.clone(),
        record.exit_costs.clone(),
    );
    let summary: Option<Summary> = scored.as_ref().map(|(s, _)| *s);
    let rates: Vec<f64> = summary.map_or_else(|| record.test_exit_rates.clone(), |s| s.rates());
    let target = props.run.settings.mac_target;
    let on_threshold = props
        .on_event
        .reform(|(exit, value): (usize, f32)| RunEvent::SetThreshold { exit, value });
    let on_rule = props.on_event.reform(RunEvent::SetRule);
    // Thresholds come from the record, tuned on the validation split when the candidate
    // was evaluated (the reducer looks them up); the test cache only re-scores them.
    let on_tune = props.on_event.reform(RunEvent::Tune);
    let current = summary.map_or((record.test_accuracy, record.test_avg_macs), |s| {
        (s.accuracy, s.avg_macs)
    });
    html! {
        <section class="card card-wide candidate" aria-labelledby="candidate-heading" data-testid="candidate-panel"
                 data-index={index.to_string()} data-genome={record.genome.to_string()}>
            <div class="card-head">
                <h2 id="candidate-heading">{ format!("Candidate {}", index + 1) }</h2>
                <span class="chip">{ if record.iteration == 0 { "initial sample".to_owned() } else { format!("iteration {}", record.iteration) } }</span>
                <span class="chip">{ record.method.name() }</span>
                <span class="muted" data-testid="candidate-figures">{ format!("validation (tuned by {}): {} at {} · test: {} at {} · trained in {:.0} s · genome {}",
                    props.run.settings.tuning.name(), percent(record.val_accuracy), format_macs(record.val_avg_macs),
                    percent(record.test_accuracy), format_macs(record.test_avg_macs), record.train_seconds, record.genome) }</span>
            </div>
            if let Some(arch) = arch.as_ref() {
                <Deferred delay_ms={60}><ArchDiagram arch={arch.clone()} rates={rates.clone()} /></Deferred>
            }
            <div class="candidate-grid">
                <div class="candidate-controls">
                    <h3>{ "Move the " }<Term word={Word::Threshold}>{ "thresholds" }</Term></h3>
                    <Deferred delay_ms={20}>
                        <ThresholdPanel record={record.clone()} view={props.view.clone()} {summary} {target}
                                        {on_threshold} {on_rule} {on_tune} show_tuning={shows(Control::Tuning)} />
                    </Deferred>
                </div>
                <Deferred delay_ms={140}><div class="candidate-charts">
                    if let Some(cache) = props.cache.clone() {
                        if shows(Control::Anytime) {
                            <AnytimeChart cache={cache.clone()} rule={props.view.rule} costs={record.exit_costs.clone()}
                                          {current} {target} />
                        }
                        if shows(Control::Histograms) {
                            <Deferred delay_ms={100}><ExitHistograms {cache} rule={props.view.rule} thresholds={props.view.thresholds.clone()}
                                            positions={record.exit_positions.clone()} /></Deferred>
                        }
                    } else {
                        <p class="card-note">{ "This candidate's per-image confidences were not kept (browser storage was full), so the sliders show its tuned numbers only." }</p>
                    }
                </div></Deferred>
            </div>
            <h3>{ "Which test images leave where" }</h3>
            { match (props.test.clone(), props.cache.clone(), scored.as_ref()) {
                (Some(test), Some(cache), Some((_, exit_of))) if test.len() == cache.num_samples => html! {
                    <Deferred delay_ms={200}>
                        <SampleExitGrid {test} {cache} exit_of={exit_of.clone()} rule={props.view.rule}
                                        thresholds={props.view.thresholds.clone()} positions={record.exit_positions.clone()} />
                    </Deferred>
                },
                _ => html! { <p class="card-note" data-testid="sample-exit-grid">{ "The test images are still loading." }</p> },
            } }
        </section>
    }
}
