//! Mounts its children later, so that a large panel appears over several tasks and frames
//! instead of one long main-thread task (each part's render, style and layout stays short;
//! the bench and the e2e tests hold every task under 50 ms).
//!
//! Two clocks: `frames` waits for that many painted frames (each part of the first screen
//! gets its own frame, so its style and layout, and the first use of each font size, are
//! paid in a frame of its own), `delay_ms` for a timer (panels below the fold).

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::app::browser::{after_next_frame, Staged};

/// Props of [`Deferred`].
#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// Milliseconds after the first render before the children mount (after `frames`).
    #[prop_or(0)]
    pub delay_ms: u32,
    /// Painted frames to wait for before the children mount (0: none).
    #[prop_or(0)]
    pub frames: u32,
    /// What to mount.
    pub children: Html,
}

/// Calls `done` once `frames` more frames have been painted (in a task after the last).
fn after_frames(frames: u32, done: impl FnOnce() + 'static) {
    if frames == 0 {
        done();
    } else {
        after_next_frame(move || after_frames(frames - 1, done));
    }
}

/// The children, after `frames` painted frames and then `delay_ms`.
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let ready = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with((props.frames, props.delay_ms), move |&(frames, delay)| {
            // Dropped with the component: a timer that has not fired is cancelled.
            let timer = std::rc::Rc::new(std::cell::RefCell::new(None::<Timeout>));
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            // Counted as pending until it mounts or the component goes (`when_quiet`).
            let staged = std::rc::Rc::new(std::cell::RefCell::new(Some(Staged::hold())));
            {
                let (timer, alive, staged) = (timer.clone(), alive.clone(), staged.clone());
                after_frames(frames, move || {
                    if !alive.get() {
                        return;
                    }
                    let mount = move || {
                        crate::app::browser::measured("mount deferred", || ready.set(true));
                        drop(staged.borrow_mut().take());
                    };
                    if frames > 0 && delay == 0 {
                        mount();
                    } else {
                        *timer.borrow_mut() = Some(Timeout::new(delay, mount));
                    }
                });
            }
            move || {
                alive.set(false);
                drop(timer.borrow_mut().take());
                drop(staged.borrow_mut().take());
            }
        });
    }
    if *ready {
        props.children.clone()
    } else {
        html! { <div class="deferred" aria-busy="true"></div> }
    }
}
