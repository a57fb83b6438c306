//! A callback whose identity survives re-renders while it always runs the latest closure.
//!
//! Yew skips re-rendering a component whose props compare equal, and a `Callback` compares
//! by identity: a callback made afresh on every render of the root makes every panel that
//! receives one re-render on every state change (each progress step of a search). The
//! hooks that build their callbacks from the current state wrap them here.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// A stable callback that forwards to the `latest` callback of the most recent render.
#[hook]
pub fn use_stable_callback<IN: 'static, OUT: 'static>(
    latest: Callback<IN, OUT>,
) -> Callback<IN, OUT> {
    let slot: Rc<RefCell<Callback<IN, OUT>>> = use_mut_ref(|| latest.clone());
    *slot.borrow_mut() = latest;
    let stable = use_memo((), move |_| {
        Callback::from(move |input: IN| {
            // Cloned out first: the callback may dispatch and re-render, which writes `slot`.
            let current = slot.borrow().clone();
            current.emit(input)
        })
    });
    (*stable).clone()
}
