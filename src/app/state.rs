//! The page's state as yew's `Reducible`. [`AppState`], its [`Action`]s and the reducer
//! are yew-free (`playground/app_state.rs`, tested natively); this applies an action to a
//! copy and keeps the old value when nothing changed, so that nothing re-renders.

use std::rc::Rc;

use yew::Reducible;

pub use crate::playground::app_state::*;

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}
