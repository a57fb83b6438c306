//! The backend badge: "WebGPU", "CPU" or "No backend", with why in its tooltip.

use yew::prelude::*;

use crate::app::backend::{Backend, BackendKind};
use crate::app::state::Shared;

/// Props of [`BackendBadge`].
#[derive(Properties, PartialEq)]
pub struct BackendBadgeProps {
    /// The selected backend; `None` while selection runs.
    pub backend: Option<Shared<Backend>>,
}

/// `data-testid="backend-badge"`, `data-backend="webgpu" | "cpu" | "none" | "pending"`; the
/// `title` says why.
#[component]
pub fn BackendBadge(props: &BackendBadgeProps) -> Html {
    let (class, key, label, title) = match props.backend.as_deref() {
        None => (
            "badge badge-pending",
            "pending",
            "Detecting backend…",
            "Trying WebGPU…".to_owned(),
        ),
        Some(backend) => match backend.kind {
            BackendKind::WebGpu => (
                "badge badge-webgpu",
                "webgpu",
                backend.kind.label(),
                backend.detail.clone(),
            ),
            BackendKind::Cpu => (
                "badge badge-cpu",
                "cpu",
                backend.kind.label(),
                backend.detail.clone(),
            ),
            BackendKind::Unavailable => (
                "badge badge-none",
                "none",
                backend.kind.label(),
                backend.detail.clone(),
            ),
        },
    };
    html! {
        <span class={class} data-testid="backend-badge" data-backend={key} title={title}
              role="status" aria-live="polite">
            <span class="badge-dot" aria-hidden="true"></span>
            { label }
        </span>
    }
}
