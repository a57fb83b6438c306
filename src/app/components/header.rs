//! The page header: product name, a one-line explanation, and the backend badge.
//! `index.html` holds a static copy of the brand part, shown while the wasm loads (its
//! layout then also looks up the page's first fonts): keep the two alike.

use yew::prelude::*;

use super::BackendBadge;
use crate::app::backend::Backend;
use crate::app::state::Shared;

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The selected backend; `None` while selection runs.
    pub backend: Option<Shared<Backend>>,
}

/// The top bar.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header">
            <div class="brand">
                <svg class="brand-mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
                    <rect x="2" y="13" width="6" height="6" rx="1.5" fill="currentColor" />
                    <rect x="11" y="13" width="6" height="6" rx="1.5" fill="currentColor" />
                    <rect x="20" y="13" width="6" height="6" rx="1.5" fill="currentColor" />
                    <path d="M14 13 V6 H28" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                    <path d="M23 19 V26 H30" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                </svg>
                <div>
                    <h1 class="brand-name">{ "AEBNAS Playground" }</h1>
                    <p class="tagline">
                        { "Early-exit CNNs let easy images leave the network early. Search their \
                           exit branches under a compute budget — trained right here in your browser." }
                    </p>
                </div>
            </div>
            <BackendBadge backend={props.backend.clone()} />
        </header>
    }
}
