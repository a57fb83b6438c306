//! Sharing: "Copy link" (the page's whole configuration in the URL), the classroom
//! builder (which controls a shared page hides, and the guided lesson), and export /
//! import of runs and candidates (file picker or drag-and-drop).

use std::collections::BTreeSet;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::drop_zone::DropZone;
use crate::app::controls::Control;
use crate::app::files::{copy_to_clipboard, first_file};
use crate::app::transfer::MAX_IMPORT_BYTES;

/// Props of [`SharePanel`].
#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The page's link (full URL).
    pub url: AttrValue,
    /// Controls hidden now.
    pub hide: BTreeSet<Control>,
    /// A run exists to export.
    pub has_run: bool,
    /// A candidate is selected to export.
    pub has_candidate: bool,
    /// New hidden set.
    pub on_hide: Callback<BTreeSet<Control>>,
    /// Start the guided lesson.
    pub on_lesson: Callback<()>,
    /// Download the run.
    pub on_export_run: Callback<()>,
    /// Download the selected candidate.
    pub on_export_candidate: Callback<()>,
    /// Download the selected candidate's trained weights.
    pub on_export_weights: Callback<()>,
    /// A file to import.
    pub on_import: Callback<web_sys::File>,
}

/// `data-testid="share-panel"`: `copy-link`, `share-url`, `hide-<control>` checkboxes,
/// `start-lesson`, `export-run`, `export-candidate`, `export-weights`, `import-file`,
/// `import-drop`.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let on_copy = {
        let (url, copied) = (props.url.to_string(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (url, copied) = (url.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(copy_to_clipboard(&url).await));
            });
        })
    };
    let toggle = |c: Control| {
        let (hide, cb) = (props.hide.clone(), props.on_hide.clone());
        Callback::from(move |_: Event| {
            let mut next = hide.clone();
            if !next.remove(&c) {
                next.insert(c);
            }
            cb.emit(next);
        })
    };
    let on_pick = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = first_file(input.files()) {
                cb.emit(file);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let cb = props.on_import.clone();
        Callback::from(move |files| {
            if let Some(file) = first_file(files) {
                cb.emit(file);
            }
        })
    };
    let copy_note = match *copied {
        Some(true) => "Copied to the clipboard.",
        Some(false) => "The browser did not allow copying: select the link above and copy it.",
        None => "The link holds every setting, the selected network and its thresholds.",
    };
    html! {
        <section class="card" aria-labelledby="share-heading" data-testid="share-panel">
            <h2 id="share-heading">{ "Share and teach" }</h2>
            <div class="share-row">
                <input type="text" readonly=true class="share-url" data-testid="share-url" value={props.url.clone()}
                       aria-label="Link to this page's configuration" />
                <button type="button" class="button-primary" data-testid="copy-link" onclick={on_copy}>{ "Copy link" }</button>
            </div>
            <p class="card-note" data-testid="copy-status">{ copy_note }</p>
            <details class="classroom">
                <summary>{ "Classroom: hide controls, guided lesson" }</summary>
                <p class="card-note">{ "Tick what a shared page should hide, then copy the link." }</p>
                <div class="checkbox-grid">
                    { for Control::ALL.into_iter().map(|c| html! {
                        <label class="checkbox">
                            <input type="checkbox" data-testid={format!("hide-{}", c.name())}
                                   checked={props.hide.contains(&c)} onchange={toggle(c)} />
                            { c.label() }
                        </label>
                    }) }
                </div>
                <button type="button" class="button-secondary" data-testid="start-lesson"
                        onclick={props.on_lesson.reform(|_: MouseEvent| ())}>{ "Start the intro lesson" }</button>
            </details>
            <h3>{ "Export and import" }</h3>
            <div class="button-row">
                <button type="button" class="button-secondary" data-testid="export-run" disabled={!props.has_run}
                        onclick={props.on_export_run.reform(|_: MouseEvent| ())}
                        title="The run as JSON (the CLI's results schema; `aebnas report` reads it)">{ "Download run" }</button>
                <button type="button" class="button-secondary" data-testid="export-candidate" disabled={!props.has_candidate}
                        onclick={props.on_export_candidate.reform(|_: MouseEvent| ())}
                        title="Genome, thresholds and training settings of the selected candidate">{ "Download candidate" }</button>
                <button type="button" class="button-secondary" data-testid="export-weights" disabled={!props.has_candidate}
                        onclick={props.on_export_weights.reform(|_: MouseEvent| ())}
                        title="The selected candidate's trained weights: a burn record (.bpk) that also names its genome, dataset and thresholds; `aebnas train --weights FILE` evaluates it">{ "Download weights" }</button>
            </div>
            <DropZone testid="import-drop" {on_drop}>
                <span>{ format!("Import a run or candidate (.json) or trained weights (.bpk), up to {} MB: drop it here or ", MAX_IMPORT_BYTES >> 20) }</span>
                <input type="file" accept=".json,.bpk,application/json" data-testid="import-file" onchange={on_pick} />
            </DropZone>
        </section>
    }
}
