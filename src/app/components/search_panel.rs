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
use crate::app::settings::{BackendChoice, Limits, Settings, SettingsEdit};
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
    pub on_settings: Callback<(SettingsEdit, String)>,
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
    let edit = |f: SettingsEdit| edit_setting(&props.on_settings, f);
    let number = |label: &str,
                  field: &'static str,
                  value: usize,
                  (lo, hi): (usize, usize),
                  f: fn(&mut Settings, &str),
                  tip: &'static str| {
        html! {
            <label class="setting" title={tip}>
                <span class="field-label">{ label.to_owned() }</span>
                <SyncedInput kind="number" min={AttrValue::from(lo.to_string())} max={AttrValue::from(hi.to_string())}
                             value={AttrValue::from(value.to_string())} setting={field} disabled={busy} onchange={edit(f)} />
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
                    let set: SettingsEdit = |s, v| {
                        if let Ok(m) = parse_macs(v) {
                            s.mac_target = m;
                        }
                    };
                    cb.emit((set, text));
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
                        <select data-setting="method" disabled={busy} onchange={edit(|s, v| {
                            if let Ok(m) = v.parse::<Method>() { s.method = m; s.exit_rule = m.default_exit_rule(); }
                        })}>
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
                        <select data-setting="exit-rule" disabled={busy} onchange={edit(|s, v| {
                            if let Ok(r) = v.parse::<ExitRule>() { s.exit_rule = r; }
                        })}>
                            { for ExitRule::ALL.into_iter().map(|r| html! {
                                <option value={r.name()} selected={r == s.exit_rule}>{ r.name().replace('_', " ") }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Cost) {
                    <label class="setting">
                        <span class="field-label">{ "Exit cost" }</span>
                        <select data-setting="cost-convention" disabled={busy} onchange={edit(|s, v| {
                            if let Ok(c) = v.parse::<CostConvention>() { s.cost_convention = c; }
                        })}>
                            <option value="cumulative" selected={s.cost_convention == CostConvention::Cumulative}>{ "cumulative (AEBNAS)" }</option>
                            <option value="taken_head" selected={s.cost_convention == CostConvention::TakenHead}>{ "taken head only" }</option>
                        </select>
                    </label>
                }
                if shows(Control::Rule) {
                    <label class="setting" title="How each candidate's thresholds are tuned on the validation split">
                        <span class="field-label">{ "Tuning" }</span>
                        <select data-setting="tuning" disabled={busy} onchange={edit(|s, v| {
                            s.tuning = v.parse::<TuningRule>().ok();
                        })}>
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
                        <select data-setting="predictor" disabled={busy} onchange={edit(|s, v| {
                            s.predictor = v.parse::<SurrogateKind>().ok();
                        })}>
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
                        <select data-setting="backend" disabled={busy} onchange={edit(|s, v| {
                            s.backend = BackendChoice::from_name(v).unwrap_or_default();
                        })}>
                            { for BackendChoice::ALL.into_iter().map(|c| html! {
                                <option value={c.name()} selected={s.backend == c}>{ c.label() }</option>
                            }) }
                        </select>
                    </label>
                }
                if shows(Control::Budget) {
                    { number("Initial sample", "doe", s.n_doe, Limits::DOE, |s, v| s.n_doe = v.parse().unwrap_or(s.n_doe),
                             "Random networks trained before the search starts learning (design of experiments)") }
                    { number("Iterations", "iterations", s.iterations, Limits::ITERATIONS, |s, v| s.iterations = v.parse().unwrap_or(s.iterations),
                             "Surrogate-guided rounds after the initial sample") }
                    { number("Per iteration", "per-iter", s.per_iter, Limits::PER_ITER, |s, v| s.per_iter = v.parse().unwrap_or(s.per_iter),
                             "Candidates trained in each iteration") }
                    { number("Epochs", "epochs", s.epochs, Limits::EPOCHS, |s, v| s.epochs = v.parse().unwrap_or(s.epochs),
                             "Training passes per candidate (of the exit heads when the backbone is inherited)") }
                    <label class="setting" title="Shipped: every candidate inherits the pre-trained supernet of the dataset (batch-norm recalibrated, new exit heads trained). Own: a supernet trained first for the supernet epochs, or every candidate from scratch at 0">
                        <span class="field-label">{ "Backbone" }</span>
                        <select data-setting="backbone" disabled={busy} onchange={edit(|s, v| s.shipped_supernet = v == "shipped")}>
                            <option value="shipped" selected={s.shipped_supernet}>{ "pre-trained supernet (shipped, or imported for your data)" }</option>
                            <option value="own" selected={!s.shipped_supernet}>{ "own (supernet epochs or scratch)" }</option>
                        </select>
                    </label>
                    { number("Supernet epochs", "supernet-epochs", s.supernet_epochs, Limits::SUPERNET_EPOCHS,
                             |s, v| s.supernet_epochs = v.parse().unwrap_or(s.supernet_epochs),
                             "0 = every candidate trains from scratch; more = candidates inherit a trained supernet") }
                    { number("Images per epoch", "train-samples", s.train_samples, Limits::TRAIN_SAMPLES,
                             |s, v| s.train_samples = v.parse().unwrap_or(s.train_samples),
                             "Training images per epoch (a cap keeps the browser search short)") }
                }
                if shows(Control::Seed) {
                    { number("Seed", "seed", s.seed as usize, Limits::SEED, |s, v| s.seed = v.parse().unwrap_or(s.seed),
                         "Same seed and settings give the same run on the CPU backend") }
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
