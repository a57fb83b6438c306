//! The dataset picker and a short description of the selected dataset: the shipped
//! datasets first, then the user's own datasets stored in this browser ("Your data").

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app::catalog::Catalog;
use crate::app::state::{DataState, Shared};
use crate::app::user_data::UserMeta;

/// Props of [`DatasetPicker`].
#[derive(Properties, PartialEq)]
pub struct DatasetPickerProps {
    /// The catalogue; `None` while it loads.
    pub catalog: Option<Shared<Catalog>>,
    /// The user datasets stored in this browser; `None` while listing.
    pub user: Option<Shared<Vec<UserMeta>>>,
    /// The selected dataset's id.
    pub selected: String,
    /// Loading status of the selected dataset.
    pub data: DataState,
    /// Whether switching is disabled (e.g. during training).
    pub disabled: bool,
    /// Called with the chosen dataset's id.
    pub on_select: Callback<String>,
}

/// `data-testid="dataset-picker"` (a `<select>`), plus `data-testid="dataset-status"`.
#[component]
pub fn DatasetPicker(props: &DatasetPickerProps) -> Html {
    let onchange = props.on_select.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .map(|select| select.value())
            .unwrap_or_default()
    });
    let info = props
        .catalog
        .as_ref()
        .and_then(|catalog| catalog.get(&props.selected).cloned());
    let user: Vec<UserMeta> = props.user.as_deref().cloned().unwrap_or_default();
    let mine = user.iter().find(|m| m.id == props.selected).cloned();
    let counts = info
        .as_ref()
        .map(|i| (i.train.count, i.test.count))
        .or_else(|| mine.as_ref().map(|m| (m.train_count, m.test_count)));
    let status = if let Some(message) = &props.data.failed {
        html! { <span class="status status-error">{ format!("Failed: {message}") }</span> }
    } else if let Some(loading) = &props.data.loading {
        html! { <span class="status status-busy">{ loading.clone() }</span> }
    } else if let (Some((train, test)), Some(ms)) = (counts, props.data.load_ms) {
        html! {
            <span class="status status-ok">
                { format!("{train} train · {test} test images (test images loaded in {ms:.0} ms)") }
            </span>
        }
    } else {
        html! { <span class="status status-busy">{ "Loading the dataset list…" }</span> }
    };
    html! {
        <section class="card" aria-labelledby="dataset-heading">
            <h2 id="dataset-heading">{ "Dataset" }</h2>
            <label class="field">
                <span class="field-label">{ "Images to learn from" }</span>
                <select data-testid="dataset-picker" {onchange}
                        disabled={props.disabled || props.catalog.is_none()}>
                    { for props.catalog.iter().flat_map(|catalog| catalog.datasets.iter()).map(|d| html! {
                        <option value={d.id.clone()} selected={d.id == props.selected}>
                            { &d.name }
                        </option>
                    }) }
                    if !user.is_empty() {
                        <optgroup label="Your data (this browser)">
                            { for user.iter().map(|m| html! {
                                <option value={m.id.clone()} selected={m.id == props.selected}>
                                    { format!("{} ({})", m.name, m.shape()) }
                                </option>
                            }) }
                        </optgroup>
                    }
                </select>
            </label>
            <p class="dataset-status" data-testid="dataset-status">{ status }</p>
            if let Some(info) = info {
                <dl class="facts">
                    <dt>{ "Classes" }</dt>
                    <dd>{ info.classes.join(", ") }</dd>
                    <dt>{ "Licence" }</dt>
                    <dd>{ &info.licence }</dd>
                </dl>
            }
            if let Some(m) = mine {
                <dl class="facts">
                    <dt>{ "Classes" }</dt>
                    <dd>{ m.classes.join(", ") }</dd>
                    <dt>{ "Your files" }</dt>
                    <dd>{ format!("{} ({}); kept in this browser only — a link to it asks the recipient to load the same files", m.files.join(", "), m.format) }</dd>
                </dl>
            }
        </section>
    }
}
