//! The error banner: every failure the user should know about, until dismissed.

use yew::prelude::*;

use crate::app::state::ErrorNote;

/// Props of [`ErrorBanner`].
#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    /// Errors to show, oldest first.
    pub errors: Vec<ErrorNote>,
    /// Called with an error's id when the user dismisses it.
    pub on_dismiss: Callback<u32>,
    /// Downloads the run (offered by a note saying the run is not saved in the browser).
    #[prop_or_default]
    pub on_download_run: Callback<()>,
}

/// `data-testid="error-banner"` (one per error), each with a `data-testid="error-dismiss"`
/// button; a note about the run not being saved also has `data-testid="error-download-run"`.
/// Renders nothing when there are no errors.
#[component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    if props.errors.is_empty() {
        return html! {};
    }
    html! {
        <div class="error-stack">
            { for props.errors.iter().map(|note| {
                let id = note.id;
                let onclick = props.on_dismiss.reform(move |_: MouseEvent| id);
                let download = props.on_download_run.reform(|_: MouseEvent| ());
                html! {
                    <div class="error-banner" role="alert" data-testid="error-banner" key={id}>
                        <div class="error-text">
                            <strong>{ &note.title }</strong>
                            <span class="error-detail">{ &note.detail }</span>
                        </div>
                        if note.offers_run {
                            <button type="button" class="button-secondary error-action" data-testid="error-download-run" onclick={download}>
                                { "Download the run" }</button>
                        }
                        <button type="button" class="icon-button" data-testid="error-dismiss"
                                aria-label="Dismiss" {onclick}>{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
