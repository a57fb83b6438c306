//! How well each predictor ranked an iteration's new candidates before they were
//! trained: Kendall τ of predicted against measured (validation) accuracy and avg MACs,
//! one row per iteration, one column per predictor, the run's own predictor marked.

use yew::prelude::*;

use crate::app::shared::Shared;
use crate::engine::results::RunResults;
use crate::engine::surrogate::SurrogateKind;

/// Props of [`PredictorTaus`].
#[derive(Properties, PartialEq)]
pub struct PredictorTausProps {
    /// The run.
    pub run: Option<Shared<RunResults>>,
}

fn tau(v: Option<f64>) -> String {
    v.map_or("–".into(), |t| format!("{t:+.2}"))
}

/// `data-testid="predictor-taus"` (a table) with one `predictor-tau` cell per iteration
/// and predictor (`data-iteration`, `data-predictor`, `data-accuracy`, `data-macs`; empty
/// when undefined). Nothing before the first iteration ends.
#[component]
pub fn PredictorTaus(props: &PredictorTausProps) -> Html {
    let Some(run) = props.run.as_deref() else {
        return html! {};
    };
    let rows: Vec<_> = run
        .iterations
        .iter()
        .filter(|i| !i.predictor_taus.is_empty())
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let used = run.settings.predictor;
    let attr = |v: Option<f64>| v.map_or_else(String::new, |t| t.to_string());
    html! {
        <table class="rate-table predictor-taus" data-testid="predictor-taus">
            <caption>{ "Kendall τ of each predictor on the new candidates (accuracy / avg MACs)" }</caption>
            <thead><tr>
                <th>{ "iteration" }</th>
                { for SurrogateKind::ALL.into_iter().map(|k| html! {
                    <th title={k.label()}>{ if k == used { format!("{} (used)", k.name()) } else { k.name().to_owned() } }</th>
                }) }
            </tr></thead>
            <tbody>
                { for rows.into_iter().map(|it| html! {
                    <tr>
                        <td class="num">{ it.iteration }</td>
                        { for SurrogateKind::ALL.into_iter().map(|k| {
                            let p = it.predictor_taus.iter().find(|p| p.predictor == k);
                            let (a, m) = p.map_or((None, None), |p| (p.accuracy, p.macs));
                            html! {
                                <td class="num" data-testid="predictor-tau" data-iteration={it.iteration.to_string()}
                                    data-predictor={k.name()} data-accuracy={attr(a)} data-macs={attr(m)}>
                                    { format!("{} / {}", tau(a), tau(m)) }
                                </td>
                            }
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
