//! Mounts its children a little later (`delay_ms`), so that a large panel appears over
//! several tasks and frames instead of one long main-thread task (each part's render and
//! layout stays short; the e2e test holds every task during a search under 50 ms).

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Props of [`Deferred`].
#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// Milliseconds after the first render before the children mount.
    #[prop_or(0)]
    pub delay_ms: u32,
    /// What to mount.
    pub children: Html,
}

/// The children, after `delay_ms`.
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let ready = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with(props.delay_ms, move |delay| {
            let timer = Timeout::new(*delay, move || {
                crate::app::browser::measured("mount deferred", || ready.set(true))
            });
            move || drop(timer)
        });
    }
    if *ready {
        props.children.clone()
    } else {
        html! { <div class="deferred" aria-busy="true"></div> }
    }
}
