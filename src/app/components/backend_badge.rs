//! The backend badge: "WebGPU", "CPU" or "No backend", with why in its tooltip, and the
//! measured figures when the backend was chosen by measurement
//! ("CPU · WebGPU 41 ms/step vs CPU 9 ms/step").

use yew::prelude::*;

use crate::app::backend::{Backend, BackendKind};
use crate::app::state::Shared;

/// Props of [`BackendBadge`].
#[derive(Properties, PartialEq)]
pub struct BackendBadgeProps {
    /// The selected backend; `None` while selection runs.
    pub backend: Option<Shared<Backend>>,
}

/// `data-testid="backend-badge"`, `data-backend="webgpu" | "cpu" | "none" | "pending"`
/// (pending while the worker starts or measures); the `title` says why. An automatic
/// choice adds `data-testid="backend-figures"` (the measured ms/step of each backend).
#[component]
pub fn BackendBadge(props: &BackendBadgeProps) -> Html {
    let (class, key, label, title) = match props.backend.as_deref() {
        None => (
            "badge badge-pending",
            "pending",
            "Detecting backend…",
            "Asking the worker which backend it trains on…".to_owned(),
        ),
        Some(backend) => {
            let (class, key) = match backend.kind {
                BackendKind::WebGpu => ("badge badge-webgpu", "webgpu"),
                BackendKind::Cpu => ("badge badge-cpu", "cpu"),
                BackendKind::Measuring => ("badge badge-pending", "pending"),
                BackendKind::Unavailable => ("badge badge-none", "none"),
            };
            (class, key, backend.kind.label(), backend.detail.clone())
        }
    };
    let figures = props
        .backend
        .as_deref()
        .filter(|b| b.is_known())
        .and_then(|b| b.measurement.as_ref())
        .map(|m| m.figures());
    html! {
        <span class={class} data-testid="backend-badge" data-backend={key} title={title}
              role="status" aria-live="polite">
            <span class="badge-dot" aria-hidden="true"></span>
            <span data-testid="backend-label">{ label }</span>
            if let Some(figures) = figures {
                <span class="badge-figures" data-testid="backend-figures">
                    { format!("· {figures}") }
                </span>
            }
        </span>
    }
}
