//! The search controls: method, MAC target, exit rule, cost convention, threshold tuning,
//! predictor, budget, seed and backend (the user's [`Settings`]), the run / pause / clear buttons, and the live
//! progress underneath.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::search_progress::SearchProgress;
use super::synced_input::{edit_setting, SyncedInput};
use super::term::{Term, Word};
use crate::app::controls::Control;
use crate::app::run_state::{RunState, RunStatus};
use crate::app::setting_fields::Field;
use crate::app::settings::{BackendChoice, Settings};
use crate::engine::exits::ExitRule;
use crate::engine::results::CostConvention;
use crate::engine::space::Method;
use crate::engine::surrogate::SurrogateKind;
use crate::engine::tuning::TuningRule;
use crate::engine::units::{format_macs, parse_macs};

/// Props of [`SearchPanel`].
#[derive(Properties, PartialEq)]
pub struct SearchPanelProps {
    /// The settings for the next run.
    pub settings: Settings,
    /// The search state.
    pub run: RunState,
    /// Whether a search can start (the worker needs nothing from the page, but the
    /// dataset list must be known).
    pub can_start: bool,
    /// `performance.now()` at this render.
    pub now_ms: f64,
    /// New settings.
    /// An edit of one setting: the function that applies a control's new text, and the
    /// text (applied by the reducer to the current settings, so quick edits never race).
    pub on_settings: Callback<(Field, String)>,
    /// Start (`false`) or resume (`true`).
    pub on_run: Callback<bool>,
    /// Pause.
    pub on_pause: Callback<()>,
    /// Delete the run (after asking).
    pub on_clear: Callback<()>,
    /// Controls a classroom link hides.
    #[prop_or_default]
    pub hide: std::collections::BTreeSet<Control>,
}

fn method_label(m: Method) -> &'static str {
    match m {
        Method::Aebnas => "AEBNAS (searches exit branches)",
        Method::Edanas => "EDANAS-like (fixed head)",
        Method::Nachos => "NACHOS-like (exit placement)",
        Method::Sdn => "SDN-like (exit after every stage)",
        Method::Random => "random search",
    }
}

/// `data-testid="search-panel"` with `run-search`, `stop-search`, `restart-search`,
/// `clear-run` buttons, `progress`, and one `data-setting="<field>"` control per setting.
#[component]
pub fn SearchPanel(props: &SearchPanelProps) -> Html {
    let s = &props.settings;
    let shows = |c: Control| !props.hide.contains(&c);
    let busy = props.run.status.is_busy();
    let edit = |f: Field| edit_setting(&props.on_settings, f);
    // A number control: label, `data-setting` and limits from the settings table.
    let number = |f: Field, tip: &'static str| {
        let spec = f.spec();
        let (lo, hi) = spec.limits.unwrap_or((0.0, f64::MAX));
        html! {
            <label class="setting" title={tip}>
                <span class="field-label">{ spec.label }</span>
                <SyncedInput kind="number" min={AttrValue::from(lo.to_string())} max={AttrValue::from(hi.to_string())}
                             value={AttrValue::from(f.format(s))} setting={spec.control} disabled={busy} onchange={edit(f)} />
            </label>
        }
    };
    let target_error = use_state(|| None::<String>);
    let on_target = {
        let (cb, err) = (props.on_settings.clone(), target_error.clone());
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            match parse_macs(&text) {
                Ok(_) => {
                    err.set(None);
                    cb.emit((Field::MacTarget, text));
                }
                Err(e) => err.set(Some(e.to_string())),
            }
        })
    };
    let status = props.run.status;
    let resumable = props.run.can_resume();
    let on_run = props.on_run.reform(move |_: MouseEvent| resumable);
    let on_restart = props.on_run.reform(|_: MouseEvent| false);
    let on_pause = props.on_pause.reform(|_: MouseEvent| ());
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());
    let run_label = match status {
        RunStatus::Starting | RunStatus::Running => "Searching…",
        RunStatus::Pausing => "Pausing…",
        _ if resumable => "Resume search",
        _ => "Run search",
    };
    html! {
        <section class="card" aria-labelledby="search-heading" data-testid="search-panel">
            <h2 id="search-heading">{ "Search" }</h2>
            <div class="settings-grid">
                if shows(Control::Method) {
                    <label class="setting setting-wide">
                        <span class="field-label">{ "Method" }</span>
                        <select data-setting="method" disabled={busy} onchange={edit(Field::Method)}>
                            { for Method::ALL.into_iter().map(|m| html! {
                                <option value={m.name()} selected={m == s.method}>{ method_label(m) }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Target) {
                    <label class="setting">
                        <span class="field-label"><Term word={Word::Target}>{ "MAC target" }</Term></span>
                        <SyncedInput value={AttrValue::from(format_macs(s.mac_target))} setting="mac-target"
                                     disabled={busy} onchange={on_target} invalid={target_error.is_some()} />
                        if let Some(e) = (*target_error).clone() { <span class="field-error">{ e }</span> }
                    </label>
                }
                if shows(Control::Rule) {
                    <label class="setting">
                        <span class="field-label"><Term word={Word::Confidence}>{ "Exit rule" }</Term></span>
                        <select data-setting="exit-rule" disabled={busy} onchange={edit(Field::ExitRule)}>
                            { for ExitRule::ALL.into_iter().map(|r| html! {
                                <option value={r.name()} selected={r == s.exit_rule}>{ r.name().replace('_', " ") }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Cost) {
                    <label class="setting">
                        <span class="field-label">{ "Exit cost" }</span>
                        <select data-setting="cost-convention" disabled={busy} onchange={edit(Field::CostConvention)}>
                            <option value="cumulative" selected={s.cost_convention == CostConvention::Cumulative}>{ "cumulative (AEBNAS)" }</option>
                            <option value="taken_head" selected={s.cost_convention == CostConvention::TakenHead}>{ "taken head only" }</option>
                        </select>
                    </label>
                }
                if shows(Control::Rule) {
                    <label class="setting" title="How each candidate's thresholds are tuned on the validation split">
                        <span class="field-label">{ "Tuning" }</span>
                        <select data-setting="tuning" disabled={busy} onchange={edit(Field::Tuning)}>
                            <option value="default" selected={s.tuning.is_none()}>
                                { format!("method's default ({})", TuningRule::default_for(s.method).label()) }
                            </option>
                            { for TuningRule::ALL.into_iter().map(|t| html! {
                                <option value={t.name()} selected={s.tuning == Some(t)}>{ t.label() }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Method) {
                    <label class="setting" title="The model that predicts accuracy and avg MACs of untrained networks">
                        <span class="field-label">{ "Predictor" }</span>
                        <select data-setting="predictor" disabled={busy} onchange={edit(Field::Predictor)}>
                            <option value="default" selected={s.predictor.is_none()}>
                                { format!("method's default ({})", SurrogateKind::default_for(s.method).label()) }
                            </option>
                            { for SurrogateKind::ALL.into_iter().map(|k| html! {
                                <option value={k.name()} selected={s.predictor == Some(k)}>{ k.label() }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Backend) {
                    <label class="setting">
                        <span class="field-label">{ "Backend" }</span>
                        <select data-setting="backend" disabled={busy} onchange={edit(Field::Backend)}>
                            { for BackendChoice::ALL.into_iter().map(|c| html! {
                                <option value={c.name()} selected={s.backend == c}>{ c.label() }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Budget) {
                    { number(Field::Doe, "Random networks trained before the search starts learning (design of experiments)") }
                    { number(Field::Iterations, "Surrogate-guided rounds after the initial sample") }
                    { number(Field::PerIter, "Candidates trained in each iteration") }
                    { number(Field::Epochs, "Training passes per candidate (of the exit heads when the backbone is inherited)") }
                    <label class="setting" title="Shipped: every candidate inherits the pre-trained supernet of the dataset (batch-norm recalibrated, new exit heads trained). Own: a supernet trained first for the supernet epochs, or every candidate from scratch at 0">
                        <span class="field-label">{ "Backbone" }</span>
                        <select data-setting="backbone" disabled={busy} onchange={edit(Field::Backbone)}>
                            <option value="shipped" selected={s.shipped_supernet}>{ "pre-trained supernet (shipped, or imported for your data)" }</option>
                            <option value="own" selected={!s.shipped_supernet}>{ "own (supernet epochs or scratch)" }</option>
                        </select>
                    </label>
                    { number(Field::SupernetEpochs, "0 = every candidate trains from scratch; more = candidates inherit a trained supernet") }
                    { number(Field::TrainSamples, "Training images per epoch (a cap keeps the browser search short)") }
                }
                if shows(Control::Seed) {
                    { number(Field::Seed, "Same seed and settings give the same run on the CPU backend") }
                }
            </div>
            <div class="button-row">
                <button type="button" class="button-primary" data-testid="run-search" disabled={busy || !props.can_start}
                        onclick={on_run}>{ run_label }</button>
                <button type="button" class="button-secondary" data-testid="stop-search" disabled={!busy || status == RunStatus::Pausing}
                        onclick={on_pause} title="Stops after the current training step; resume later">{ "Pause" }</button>
                if resumable {
                    <button type="button" class="button-ghost" data-testid="restart-search" onclick={on_restart}>{ "Start over" }</button>
                }
                <button type="button" class="button-ghost" data-testid="clear-run" disabled={busy || props.run.run.is_none()}
                        onclick={on_clear}>{ "Clear" }</button>
            </div>
            <SearchProgress run={props.run.clone()} now_ms={props.now_ms} />
            <p class="card-note">{ format!("{} evaluations: {} initial + {} × {}. Runs in a background worker; the page stays responsive.",
                s.n_doe + s.iterations * s.per_iter, s.n_doe, s.iterations, s.per_iter) }</p>
        </section>
    }
}
