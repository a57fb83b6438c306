//! The notice about a link: what it could not use (`data-testid="url-notice"`), and a
//! linked network that waits for the user's go-ahead because it would replace a run.

use yew::prelude::*;

use crate::app::link::Notice;
use crate::app::page::MissingData;

/// Props of [`LinkNotice`].
#[derive(Properties, PartialEq)]
pub struct LinkNoticeProps {
    /// What the link could not use.
    pub notices: Vec<Notice>,
    /// A user dataset the link named that this browser does not hold.
    #[prop_or_default]
    pub missing: Option<MissingData>,
    /// A linked network is waiting and the page holds another run.
    pub pending_conflict: bool,
    /// The linked network is being trained.
    pub training: bool,
    /// Dismiss the notices.
    pub on_dismiss: Callback<()>,
    /// Train the linked network (replacing the run, after asking).
    pub on_train: Callback<()>,
    /// Keep the run and forget the linked network.
    pub on_keep: Callback<()>,
}

/// The link notices and the linked network's prompt.
#[component]
pub fn LinkNotice(props: &LinkNoticeProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    let train = props.on_train.reform(|_: MouseEvent| ());
    let keep = props.on_keep.reform(|_: MouseEvent| ());
    html! {
        <>
            if let Some(m) = &props.missing {
                <div class="notice" role="status" data-testid="user-data-missing">
                    <strong>{ "This link uses a dataset loaded from files on another computer." }</strong>
                    if m.files.is_empty() {
                        <p>{ format!("Its files ({}) are not in this browser, and the link does not name them. The default dataset is shown.", m.id) }</p>
                    } else {
                        <p>
                            { "To use it, load the same files under “Use your own data”: " }
                            { for m.files.iter().enumerate().map(|(i, f)| html! {
                                <>{ if i > 0 { ", " } else { "" } }<code data-testid="user-data-missing-file">{ f.clone() }</code></>
                            }) }
                            { ". Until then the default dataset is shown." }
                        </p>
                    }
                    <button type="button" class="button-ghost" onclick={dismiss.clone()}>{ "Dismiss" }</button>
                </div>
            }
            if !props.notices.is_empty() {
                <div class="notice" role="status" data-testid="url-notice">
                    <strong>{ "Parts of this link were not used as written:" }</strong>
                    <ul>
                        { for props.notices.iter().map(|n| html! {
                            <li data-key={n.key.clone()}><code>{ n.key.clone() }</code>{ ": " }{ n.message.clone() }</li>
                        }) }
                    </ul>
                    <p class="card-note">{ "Everything else comes from the link; the rest has its default value." }</p>
                    <button type="button" class="button-ghost" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
            if props.pending_conflict && !props.training {
                <div class="notice" role="status" data-testid="link-pending">
                    <p>{ "This link opens a network that is not in the run saved in this browser. Training it starts a new run (the saved one is deleted)." }</p>
                    <div class="button-row">
                        <button type="button" class="button-primary" data-testid="train-linked" onclick={train}>{ "Train the linked network" }</button>
                        <button type="button" class="button-ghost" onclick={keep}>{ "Keep my run" }</button>
                    </div>
                </div>
            }
        </>
    }
}
