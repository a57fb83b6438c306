//! The URL hash ⇄ the page: reads the link when the page opens and whenever the hash is
//! edited (`hashchange`), and rewrites the hash as the user changes things
//! (`history.replaceState`, so slider drags do not flood the history). Scrolls to the
//! link's view once.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::app::browser::after_next_frame;
use crate::app::link::Link;
use crate::app::page::link_of;
use crate::app::state::{Action, AppState};

/// The page's URL hash (with `#`), or empty.
fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's URL with this hash (the text the "Copy link" button copies).
pub fn url_with_hash(hash: &str) -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{hash}")
}

fn apply_hash(d: &UseReducerDispatcher<AppState>) {
    let hash = current_hash();
    if hash.trim_start_matches('#').is_empty() {
        return;
    }
    let (link, notices) = Link::parse(&hash);
    d.dispatch(Action::ApplyLink {
        link: Box::new(link),
        notices,
    });
}

/// Keeps the URL hash and the state in step; returns the current link's hash text.
#[hook]
pub fn use_link(state: &UseReducerHandle<AppState>) -> String {
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            apply_hash(&d);
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "hashchange", move |_| apply_hash(&d)));
            move || drop(listener)
        });
    }
    let hash = link_of(&state.settings, &state.run, &state.page).to_hash();
    // Written after the next frame (replaceState forces a layout; the frame has just
    // done it); a newer hash cancels a write not yet made.
    use_effect_with(hash.clone(), |hash| {
        let cancelled = Rc::new(Cell::new(false));
        let (flag, hash) = (Rc::clone(&cancelled), hash.clone());
        after_next_frame(move || {
            if flag.get() || current_hash().trim_start_matches('#') == hash.as_str() {
                return;
            }
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&format!("#{hash}")),
                );
            }
        });
        move || cancelled.set(true)
    });
    let has_candidate = state.run.view.is_some();
    use_effect_with((state.page.view, has_candidate), |(view, _)| {
        if *view != crate::app::controls::View::default() {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(view.anchor()))
            {
                el.scroll_into_view();
            }
        }
    });
    hash
}
