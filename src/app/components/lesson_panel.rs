//! The guided lesson (`lesson=intro`): the current step's text with back / next buttons;
//! each step sets the page into the state it talks about.

use yew::prelude::*;

use crate::app::lesson::Lesson;

/// Props of [`LessonPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// The lesson.
    pub lesson: Lesson,
    /// The step (0-based).
    pub step: usize,
    /// Go to a step.
    pub on_step: Callback<usize>,
    /// Close the lesson.
    pub on_close: Callback<()>,
}

/// `data-testid="lesson"` with `data-step` (1-based).
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let steps = props.lesson.all_steps();
    let step = props.step.min(steps.len() - 1);
    let s = steps[step];
    let back = {
        let cb = props.on_step.clone();
        Callback::from(move |_: MouseEvent| cb.emit(step.saturating_sub(1)))
    };
    let next = {
        let cb = props.on_step.clone();
        Callback::from(move |_: MouseEvent| cb.emit(step + 1))
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="card card-wide lesson" data-testid="lesson" data-step={(step + 1).to_string()} aria-live="polite">
            <div class="card-head">
                <h2>{ s.title }</h2>
                <span class="muted">{ format!("step {} of {}", step + 1, steps.len()) }</span>
            </div>
            <p>{ s.text }</p>
            <div class="button-row">
                <button type="button" class="button-secondary" disabled={step == 0} onclick={back}>{ "Back" }</button>
                if step + 1 < steps.len() {
                    <button type="button" class="button-primary" data-testid="lesson-next" onclick={next}>{ "Next" }</button>
                }
                <button type="button" class="button-ghost" onclick={close}>{ "Close the lesson" }</button>
            </div>
        </section>
    }
}
