//! "Use your own data": pick or drop files (CIFAR-10/100 binaries or archives, SVHN
//! `.mat`, IDX pairs, a zip or folder of images by class). The file reader worker
//! ([`use_reader`]) detects the format and decodes it off the page's thread, with a
//! progress line and "Cancel"; the panel shows the format, shape, classes with counts and
//! real images, and "Use this dataset" keeps it in browser storage (`user_store`) and
//! selects it. Stored datasets are listed with a remove button. Errors show one line and
//! change nothing.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::drop_zone::DropZone;
use super::sample_grid::paint_in_tasks;
use crate::app::browser::confirm;
use crate::app::hooks::{use_reader, use_user_supernet, Preview, ReadState, Reader, UserSupernet};
use crate::app::state::{Sample, Shared};
use crate::app::user_data::{UserMeta, MAX_TOTAL_BYTES};
use crate::app::user_store;

/// Props of [`UserDataPanel`].
#[derive(Properties, PartialEq)]
pub struct UserDataPanelProps {
    /// The stored user datasets; `None` while listing.
    pub user: Option<Shared<Vec<UserMeta>>>,
    /// The selected dataset's id.
    pub selected: String,
    /// Whether selecting is disabled (e.g. during training).
    pub disabled: bool,
    /// Called with the new list after a dataset was stored or removed.
    pub on_list: Callback<Vec<UserMeta>>,
    /// Called with a dataset's id to select it.
    pub on_select: Callback<String>,
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
}

/// `data-testid="user-data-panel"`: file inputs (`user-data-input`, a folder picker),
/// the drop zone (`user-data-drop`), the preview (`user-data-summary`, `user-data-use`),
/// the reader's progress (`user-data-busy`, with `user-data-cancel`), the stored list
/// (`user-data-select`, `user-data-remove`) and `user-data-error`.
#[component]
pub fn UserDataPanel(props: &UserDataPanelProps) -> Html {
    let reader = use_reader();
    let supernet = use_user_supernet(props.on_list.clone());
    // Saving or removing (the read's own progress is in `reader.state`).
    let saving = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let grid = use_node_ref();
    let preview = match &reader.state {
        ReadState::Ready(p) => Some(p.clone()),
        _ => None,
    };
    let reading = match &reader.state {
        ReadState::Reading(line) => Some(line.clone()),
        _ => None,
    };
    let busy = reading.is_some() || saving.is_some();
    {
        let (grid, shown) = (grid.clone(), preview.clone());
        use_effect_with(preview.as_ref().map(Rc::as_ptr), move |_| {
            let painting = match (shown, grid.cast::<Element>()) {
                (Some(p), Some(el)) => Some(paint_in_tasks(el, p.samples.clone())),
                _ => None,
            };
            move || painting.into_iter().for_each(|current| current.set(false))
        });
    }
    let on_files = {
        let (error, read) = (error.clone(), reader.read.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            error.set(None);
            read.emit(files);
        })
    };
    let on_pick = on_files.reform(|e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let files = file_list(input.files());
        input.set_value("");
        files
    });
    let on_drop = on_files.reform(file_list);
    let on_use = save_callback(&saving, &error, &reader, props, preview.clone());
    let on_discard = reader.clear.reform(|_: MouseEvent| ());
    let on_cancel = reader.cancel.reform(|_: MouseEvent| ());
    let on_remove = remove_callback(&saving, &error, props.on_list.clone());
    let message = match &reader.state {
        ReadState::Failed(e) => Some(e.clone()),
        _ => (*error).clone().or_else(|| supernet.error.clone()),
    };
    let status = reading
        .clone()
        .or_else(|| (*saving).clone())
        .or_else(|| supernet.busy.clone());
    let busy = busy || supernet.busy.is_some();
    let stored: Vec<UserMeta> = props.user.as_deref().cloned().unwrap_or_default();
    html! {
        <section class="card" aria-labelledby="user-data-heading" data-testid="user-data-panel">
            <h2 id="user-data-heading">{ "Use your own data" }</h2>
            <p class="card-note">
                { format!("CIFAR-10/100 binaries or their .tar.gz, SVHN *_32x32.mat, IDX image + label pairs, \
                           or PNG/JPEG images in one folder per class (a folder or .zip). Up to {} MB of files \
                           together. Read here and kept in this browser only: nothing is uploaded.",
                          MAX_TOTAL_BYTES >> 20) }
            </p>
            <DropZone testid="user-data-drop" {on_drop}>
                <span>{ "Drop files here, or pick them: " }</span>
                <input type="file" multiple=true data-testid="user-data-input" onchange={on_pick.clone()}
                       disabled={busy} />
            </DropZone>
            <label class="field-inline">
                <span>{ "…or a folder of images by class: " }</span>
                <input type="file" multiple=true webkitdirectory=true data-testid="user-data-folder"
                       onchange={on_pick} disabled={busy} />
            </label>
            if let Some(what) = status {
                <p class="status status-busy" data-testid="user-data-busy">
                    { what }
                    if reading.is_some() {
                        { " " }
                        <button type="button" class="button-ghost" data-testid="user-data-cancel"
                                onclick={on_cancel}>{ "Cancel" }</button>
                    }
                </p>
            }
            if let Some(message) = message {
                <p class="status status-error" role="alert" data-testid="user-data-error">{ message }</p>
            }
            if let Some(p) = &preview {
                { summary(&p.meta, &grid, &p.samples) }
                <div class="button-row">
                    <button type="button" class="button-primary" data-testid="user-data-use"
                            disabled={busy || props.disabled} onclick={on_use}>{ "Use this dataset" }</button>
                    <button type="button" class="button-ghost" data-testid="user-data-discard"
                            onclick={on_discard}>{ "Discard" }</button>
                </div>
            }
            if !stored.is_empty() {
                <h3 class="subheading">{ "Stored in this browser" }</h3>
                <ul class="user-data-list">
                    { for stored.into_iter().map(|m| stored_item(m, props, &on_remove, &supernet, busy)) }
                </ul>
            }
        </section>
    }
}

/// Format, shape, counts, classes with counts, and the sample grid of a preview.
fn summary(meta: &UserMeta, grid: &NodeRef, samples: &[Sample]) -> Html {
    html! {
        <div class="user-data-summary" data-testid="user-data-summary" data-id={meta.id.clone()}>
            <dl class="facts">
                <dt>{ "Format" }</dt><dd data-testid="user-data-format">{ meta.format.clone() }</dd>
                <dt>{ "Images" }</dt>
                <dd data-testid="user-data-shape">
                    { format!("{} train + {} test{}, each {}", meta.train_count, meta.test_count,
                              if meta.split { " (held out: 20%)" } else { "" }, meta.shape()) }
                </dd>
                <dt>{ "Size" }</dt>
                <dd>{ format!("{} of files; {} stored", megabytes(meta.source_bytes), megabytes(meta.stored_bytes)) }</dd>
            </dl>
            <table class="class-counts" data-testid="user-data-classes">
                <thead><tr><th>{ "Class" }</th><th>{ "Images" }</th></tr></thead>
                <tbody>
                    { for meta.classes.iter().zip(&meta.counts).map(|(c, n)| html! {
                        <tr data-class={c.clone()}><td>{ c.clone() }</td><td>{ n }</td></tr>
                    }) }
                </tbody>
            </table>
            <div class="sample-grid sample-grid-small" data-testid="user-data-samples" ref={grid.clone()}>
                { for samples.iter().map(|s| html! {
                    <figure class="sample" data-label={s.label.to_string()} key={s.index}>
                        <canvas width={s.width.to_string()} height={s.height.to_string()}
                                role="img" aria-label={s.class_name.clone()}></canvas>
                        <figcaption>{ s.class_name.clone() }</figcaption>
                    </figure>
                }) }
            </div>
        </div>
    }
}

/// One stored dataset: name, shape and size, "Use" and "Remove", and its supernet
/// (`user-supernet`, `data-state` imported or none): import (`user-supernet-input`) or
/// remove (`user-supernet-remove`).
fn stored_item(
    m: UserMeta,
    props: &UserDataPanelProps,
    on_remove: &Callback<UserMeta>,
    supernet: &UserSupernet,
    busy: bool,
) -> Html {
    let import = {
        let (m, import) = (m.clone(), supernet.import.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|l| l.get(0));
            input.set_value("");
            if let Some(file) = file {
                import.emit((m.clone(), file));
            }
        })
    };
    let remove_supernet = supernet.remove.reform({
        let m = m.clone();
        move |_: MouseEvent| m.clone()
    });
    let selected = m.id == props.selected;
    let select = props.on_select.reform({
        let id = m.id.clone();
        move |_: MouseEvent| id.clone()
    });
    let remove = on_remove.reform({
        let m = m.clone();
        move |_: MouseEvent| m.clone()
    });
    html! {
        <li data-id={m.id.clone()} class={classes!(selected.then_some("selected"))}>
            <span class="user-data-name">{ m.name.clone() }</span>
            <span class="card-note">
                { format!(" · {} · {} classes · {} images · {}", m.shape(), m.classes.len(),
                          m.train_count + m.test_count, megabytes(m.stored_bytes)) }
            </span>
            <span class="button-row">
                <button type="button" class="button-secondary" data-testid="user-data-select"
                        disabled={selected || props.disabled || busy} onclick={select}>
                    { if selected { "Selected" } else { "Use" } }
                </button>
                <button type="button" class="button-ghost" data-testid="user-data-remove"
                        disabled={props.disabled || busy} onclick={remove}>{ "Remove" }</button>
            </span>
            <div class="card-note user-supernet" data-testid="user-supernet"
                 data-state={if m.supernet.is_some() { "imported" } else { "none" }}>
                if let Some(sn) = &m.supernet {
                    { format!("Supernet: {} ({} epochs on {} images, {}); searches inherit it \
                               (Backbone: pre-trained supernet). ", sn.name, sn.epochs, sn.train_images,
                              megabytes(sn.bytes)) }
                    <button type="button" class="button-ghost" data-testid="user-supernet-remove"
                            disabled={props.disabled || busy} onclick={remove_supernet}>{ "Remove supernet" }</button>
                } else {
                    <label class="field-inline">
                        <span>{ "Supernet: none. Import one trained by " }
                              <code>{ "aebnas supernet --dataset FILES --out supernet.bpk" }</code>{ ": " }</span>
                        <input type="file" accept=".bpk" data-testid="user-supernet-input"
                               disabled={props.disabled || busy} onchange={import} />
                    </label>
                }
            </div>
        </li>
    }
}

/// "Use": stores the preview (in the reader worker), lists the stored sets again and
/// selects the new one; the preview is spent either way.
fn save_callback(
    saving: &UseStateHandle<Option<String>>,
    error: &UseStateHandle<Option<String>>,
    reader: &Reader,
    props: &UserDataPanelProps,
    preview: Option<Rc<Preview>>,
) -> Callback<MouseEvent> {
    let (saving, error, clear) = (saving.clone(), error.clone(), reader.clear.clone());
    let (on_list, on_select) = (props.on_list.clone(), props.on_select.clone());
    let save = reader.save.clone();
    Callback::from(move |_: MouseEvent| {
        let Some(p) = preview.clone() else { return };
        let (saving, error, clear) = (saving.clone(), error.clone(), clear.clone());
        let (on_list, on_select) = (on_list.clone(), on_select.clone());
        saving.set(Some("Saving in browser storage…".into()));
        save.emit(Callback::from(move |result: Result<(), String>| {
            let (saving, error, clear) = (saving.clone(), error.clone(), clear.clone());
            let (on_list, on_select, id) = (on_list.clone(), on_select.clone(), p.meta.id.clone());
            spawn_local(async move {
                let saved = match result {
                    Ok(()) => user_store::list().await.map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                match saved {
                    Ok(list) => {
                        on_list.emit(list);
                        on_select.emit(id);
                    }
                    Err(e) => error.set(Some(e)),
                }
                // The parts went to the reader worker: the preview is spent either way.
                clear.emit(());
                saving.set(None);
            });
        }));
    })
}

/// "Remove": asks, deletes a stored dataset, lists the stored sets again.
fn remove_callback(
    saving: &UseStateHandle<Option<String>>,
    error: &UseStateHandle<Option<String>>,
    on_list: Callback<Vec<UserMeta>>,
) -> Callback<UserMeta> {
    let (saving, error) = (saving.clone(), error.clone());
    Callback::from(move |meta: UserMeta| {
        let ask = format!(
            "Remove {} from this browser? Links to it will ask for its files again.",
            meta.name
        );
        if !confirm(&ask) {
            return;
        }
        let (saving, error, on_list) = (saving.clone(), error.clone(), on_list.clone());
        saving.set(Some(format!("Removing {}…", meta.name)));
        spawn_local(async move {
            let done = match user_store::remove(&meta.id).await {
                Ok(()) => user_store::list().await,
                Err(e) => Err(e),
            };
            match done {
                Ok(list) => on_list.emit(list),
                Err(e) => error.set(Some(format!("{} could not be removed: {e}", meta.name))),
            }
            saving.set(None);
        });
    })
}
