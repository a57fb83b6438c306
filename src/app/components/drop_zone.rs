//! [`DropZone`]: a `<label>` that takes dropped files (highlighted while something is
//! dragged over it) and wraps the file input(s) its owner puts inside.

use web_sys::{DragEvent, FileList};
use yew::prelude::*;

use crate::app::files::dropped_files;

/// Props of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// `data-testid` of the zone.
    pub testid: AttrValue,
    /// The files dropped (`None` when the drop held no file list).
    pub on_drop: Callback<Option<FileList>>,
    /// The text and the file input(s).
    pub children: Html,
}

/// `class="drop-zone"`, plus `drop-zone-active` while files are dragged over it.
#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let on_drop = {
        let (cb, dragging) = (props.on_drop.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            cb.emit(dropped_files(&e));
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    html! {
        <label class={classes!("drop-zone", (*dragging).then_some("drop-zone-active"))} data-testid={props.testid.clone()}
               ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            { props.children.clone() }
        </label>
    }
}
