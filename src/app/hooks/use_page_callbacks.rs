//! The root's callbacks that only dispatch an action, made once (the dispatcher never
//! changes), so panels whose data did not change skip re-rendering while a search streams
//! progress; and the effect that trains a link's network by itself when nothing of the
//! user's would be replaced.

use std::collections::BTreeSet;

use yew::prelude::*;

use crate::app::controls::Control;
use crate::app::run_state::RunEvent;
use crate::app::setting_fields::Field;
use crate::app::state::{Action, AppState, Shared};
use crate::app::user_data::UserMeta;

/// Callbacks that dispatch one action each.
pub struct PageCallbacks {
    /// Choose a dataset.
    pub on_select: Callback<String>,
    /// The stored datasets changed.
    pub on_user_list: Callback<Vec<UserMeta>>,
    /// Close an error.
    pub on_dismiss: Callback<u32>,
    /// Edit a setting.
    pub on_settings: Callback<(Field, String)>,
    /// A run event from a panel (the sliders, the rule).
    pub on_run_event: Callback<RunEvent>,
    /// Select a candidate.
    pub on_pick: Callback<usize>,
    /// Close the link's notices.
    pub on_dismiss_notices: Callback<()>,
    /// Keep the current run instead of the link's network.
    pub on_keep: Callback<()>,
    /// Hide controls.
    pub on_hide: Callback<BTreeSet<Control>>,
    /// Close the lesson.
    pub on_close_lesson: Callback<()>,
}

/// The dispatch-only callbacks of the page.
#[hook]
pub fn use_page_callbacks(state: &UseReducerHandle<AppState>) -> PageCallbacks {
    let d = state.dispatcher();
    let on_select = use_callback((), move |id: String, _| {
        d.dispatch(Action::SelectDataset(id))
    });
    let d = state.dispatcher();
    let on_user_list = use_callback((), move |list: Vec<UserMeta>, _| {
        d.dispatch(Action::UserSetsLoaded(Shared::new(list)))
    });
    let d = state.dispatcher();
    let on_dismiss = use_callback((), move |id: u32, _| d.dispatch(Action::DismissError(id)));
    let d = state.dispatcher();
    let on_settings = use_callback((), move |(field, value), _| {
        d.dispatch(Action::SetSetting(field, value))
    });
    let d = state.dispatcher();
    let on_run_event = use_callback((), move |e: RunEvent, _| d.dispatch(Action::Run(e)));
    let d = state.dispatcher();
    let on_pick = use_callback((), move |i: usize, _| {
        d.dispatch(Action::Run(RunEvent::Select(i)))
    });
    let d = state.dispatcher();
    let on_dismiss_notices = use_callback((), move |(), _| d.dispatch(Action::DismissNotices));
    let d = state.dispatcher();
    let on_keep = use_callback((), move |(), _| d.dispatch(Action::DropPending));
    let d = state.dispatcher();
    let on_hide = use_callback((), move |h, _| d.dispatch(Action::SetHidden(h)));
    let d = state.dispatcher();
    let on_close_lesson = use_callback((), move |(), _| d.dispatch(Action::EndLesson));
    PageCallbacks {
        on_select,
        on_user_list,
        on_dismiss,
        on_settings,
        on_run_event,
        on_pick,
        on_dismiss_notices,
        on_keep,
        on_hide,
        on_close_lesson,
    }
}

/// A link's network trains by itself when the page holds no run of the user's (the
/// shipped example counts as none); otherwise the notice asks first. Tried once per
/// network, so a failure does not loop.
#[hook]
pub fn use_auto_train_linked(state: &UseReducerHandle<AppState>, train: Callback<bool>) {
    let tried = use_mut_ref(|| None::<String>);
    let pending = state.page.pending.as_ref().map(|p| p.genome.to_string());
    let ready = !state.run.status.is_busy()
        && state.run.own_done() == 0
        && state.catalog.is_some()
        && !state.page.example_wanted;
    use_effect_with((pending, ready), move |(pending, ready)| {
        if let (Some(g), true) = (pending, *ready) {
            if tried.borrow().as_ref() != Some(g) {
                *tried.borrow_mut() = Some(g.clone());
                train.emit(false);
            }
        }
    });
}
